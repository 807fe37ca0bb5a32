"""`okrkit kpi check` on real files: the JSON contract, the table, the exit codes."""

from __future__ import annotations

import json
from datetime import date, timedelta

from tests.cli.helpers import weekly

# Trial-to-paid conversion as in the seeds: steady around 15 % for 20 weeks (the XmR
# baseline), then a slide to 12 % over 8 weeks.
STEADY = [15.2, 14.8, 15.1, 15.4, 14.9, 15.0, 15.3, 14.7, 15.1, 15.2,
          14.9, 15.0, 15.2, 14.8, 15.1, 15.3, 14.9, 15.0, 14.8, 15.3]  # fmt: skip
SLIDE = [14.6, 14.3, 13.9, 13.6, 13.2, 12.9, 12.5, 12.0]
START = date(2026, 5, 4)  # a Monday
TODAY = (START + timedelta(weeks=len(STEADY) + len(SLIDE) - 1, days=2)).isoformat()


def test_json_follows_the_contract_and_finds_the_slide(okrkit, write_csv):
    path = write_csv("trial_to_paid.csv", weekly(START, STEADY + SLIDE))
    result = okrkit("kpi", "check", str(path), "--green", "15", "--red", "12",
                    "--today", TODAY, "--format", "json")  # fmt: skip
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert set(doc) == {"status", "stale", "latest", "trend", "xmr", "verdict", "capability"}
    assert doc["status"] == "yellow"  # 12 belongs to yellow: red is strictly below 12
    assert doc["stale"] is False
    assert doc["latest"] == {"timestamp": (START + timedelta(weeks=27)).isoformat(), "value": 12.0}
    assert doc["trend"]["previous"] == 12.5
    assert abs(doc["trend"]["change"] - (-0.5)) < 1e-9
    assert abs(doc["trend"]["relative_change"] - (-0.5 / 12.5)) < 1e-9
    xmr = doc["xmr"]
    # Baseline: the first 20 points. Centre = mean, mR̄ = mean of the 19 moving ranges.
    centre = sum(STEADY) / 20
    mr = sum(abs(b - a) for a, b in zip(STEADY, STEADY[1:], strict=False)) / 19
    assert abs(xmr["centre"] - centre) < 1e-9
    assert abs(xmr["moving_range_mean"] - mr) < 1e-9
    assert abs(xmr["lower_limit"] - (centre - 2.66 * mr)) < 1e-9
    assert abs(xmr["upper_limit"] - (centre + 2.66 * mr)) < 1e-9
    assert abs(xmr["upper_range_limit"] - 3.268 * mr) < 1e-9
    assert xmr["baseline_points"] == 20
    rules = {(s["rule"], s["direction"]) for s in xmr["signals"]}
    assert ("run_of_8", "down") in rules
    assert ("outside_limits", "down") in rules
    run = next(s for s in xmr["signals"] if s["rule"] == "run_of_8")
    assert run["indices"] == list(range(20, 28))
    outside = [s["indices"] for s in xmr["signals"] if s["rule"] == "outside_limits"]
    lower = centre - 2.66 * mr
    assert outside == [[i] for i, v in enumerate(STEADY + SLIDE) if v < lower]
    assert doc["verdict"] == "signal"
    # The natural lower limit (about 14.4) lies between red 12 and green 15.
    assert doc["capability"] == "marginal"


def test_table_says_status_and_verdict_in_words(okrkit, write_csv):
    path = write_csv("trial_to_paid.csv", weekly(START, STEADY + SLIDE))
    result = okrkit("kpi", "check", str(path), "--green", "15", "--red", "12", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "yellow" in out
    assert "Signal" in out
    assert "since 5 Oct, 6 weeks below the usual range of" in " ".join(out.split())
    assert "point" not in out  # periods by their dates, never point numbers
    assert "marginal" in out
    assert "weekly cadence" in out


def test_routine_variation_is_said_in_words(okrkit, write_csv):
    path = write_csv("steady.csv", weekly(START, STEADY))
    today = (START + timedelta(weeks=20)).isoformat()
    result = okrkit("kpi", "check", str(path), "--green", "14", "--red", "12",
                    "--today", today, "--format", "json")  # fmt: skip
    doc = json.loads(result.stdout)
    assert result.returncode == 0
    assert doc["status"] == "green"
    assert doc["verdict"] == "routine"
    assert doc["xmr"]["signals"] == []
    table = okrkit("kpi", "check", str(path), "--today", today)
    assert "No signal: all 20 weeks since 4 May within the usual range" in table.stdout
    assert "unknown" in table.stdout  # no thresholds given


def test_red_kpi_fails_the_check(okrkit, write_csv):
    path = write_csv("latency.csv", [(f"2026-11-{d:02d}", 380 + 10 * d) for d in range(1, 23)])
    result = okrkit("kpi", "check", str(path), "--direction", "lower", "--green", "250",
                    "--red", "400", "--today", "2026-11-23", "--format", "json")  # fmt: skip
    assert result.returncode == 1
    doc = json.loads(result.stdout)
    assert doc["status"] == "red"
    assert doc["latest"]["value"] == 600


def test_stale_kpi_is_never_green_and_fails(okrkit, write_csv):
    path = write_csv("dau.csv", [(f"2026-10-{d:02d}", 50_000 + d) for d in range(1, 31)])
    result = okrkit("kpi", "check", str(path), "--green", "48000", "--red", "44000",
                    "--cadence", "daily", "--today", "2026-11-23", "--format", "json")  # fmt: skip
    assert result.returncode == 1
    doc = json.loads(result.stdout)
    assert doc["stale"] is True
    assert doc["status"] == "yellow"


def test_rows_in_any_order_are_sorted_and_indices_follow_time(okrkit, write_csv):
    rows = weekly(START, STEADY + SLIDE)
    path = write_csv("shuffled.csv", rows[::-1])
    result = okrkit("kpi", "check", str(path), "--today", TODAY, "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["latest"]["value"] == 12.0
    run = next(s for s in doc["xmr"]["signals"] if s["rule"] == "run_of_8")
    assert run["indices"] == list(range(20, 28))


def test_baseline_option_moves_the_limits(okrkit, write_csv):
    path = write_csv("trial_to_paid.csv", weekly(START, STEADY + SLIDE))
    result = okrkit(
        "kpi", "check", str(path), "--baseline", "5", "--today", TODAY, "--format", "json"
    )
    xmr = json.loads(result.stdout)["xmr"]
    assert xmr["baseline_points"] == 5
    assert abs(xmr["centre"] - sum(STEADY[:5]) / 5) < 1e-9


def test_a_segment_is_checked_on_its_own(okrkit, write_csv):
    rows = [(f"2026-11-{d:02d}", seg, v) for d in range(1, 23)
            for seg, v in (("plan=pro", 100 + d), ("plan=free", 10.0))]  # fmt: skip
    path = write_csv("segments.csv", rows, header="timestamp,segment,value")
    pro = okrkit("kpi", "check", str(path), "--segment", "plan=pro", "--today", "2026-11-23",
                 "--format", "json")  # fmt: skip
    assert json.loads(pro.stdout)["latest"]["value"] == 122
    free = okrkit("kpi", "check", str(path), "--segment", "plan=free", "--today", "2026-11-23",
                  "--format", "json")  # fmt: skip
    doc = json.loads(free.stdout)
    assert doc["xmr"]["centre"] is None
    assert "all equal" in doc["xmr"]["reason"]
    assert doc["verdict"] == "routine"


def test_values_near_the_float_limit_are_judged_without_a_traceback(okrkit, write_csv):
    # Reproduced: values of ±1e308 gave a traceback (OverflowError while formatting).
    path = write_csv("huge.csv", weekly(START, [1e308, -1e308] * 12))
    today = (START + timedelta(weeks=24)).isoformat()
    result = okrkit("kpi", "check", str(path), "--target", "1e308", "--today", today)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr == ""
    assert "1.0 × 10³⁰⁸" in result.stdout
    assert "e+" not in result.stdout
    assert "No usual range yet: the values are too large to compute it from" in result.stdout


def test_an_infinite_target_is_refused_at_the_edge(okrkit, write_csv):
    # Reproduced: --target inf gave a traceback (OverflowError while formatting).
    path = write_csv("steady.csv", weekly(START, STEADY))
    for target in ("inf", "-inf", "nan"):
        result = okrkit("kpi", "check", str(path), "--target", target, "--today", TODAY)
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        assert f"--target: {target} is not a finite number" in result.stderr


def test_numbers_carry_the_unit_given(okrkit, write_csv):
    path = write_csv("conversion.csv", weekly(START, STEADY + SLIDE))
    result = okrkit("kpi", "check", str(path), "--unit", "percent", "--green", "15", "--red",
                    "12", "--target", "16", "--today", TODAY)  # fmt: skip
    out = " ".join(result.stdout.split())
    assert "12.0% on" in out
    assert "target 16.0% (−4.0 pp)" in out
    assert "since 5 Oct, 6 weeks below the usual range of 14.3–15.8%" in out
