"""`okrkit kr forecast` on real check-in files: the JSON contract, pace, exit codes."""

from __future__ import annotations

import json
from datetime import date, timedelta

import numpy as np
from scipy import stats

from tests.cli.helpers import weekly

CYCLE_START = date(2026, 10, 1)
DEADLINE = date(2026, 12, 31)
KEYS = {
    "n",
    "slope_per_day",
    "forecast",
    "lower",
    "upper",
    "probability",
    "progress",
    "forecast_progress",
    "expected_progress",
    "pace",
}


def _forecast(okrkit, path, *extra):
    return okrkit(
        "kr", "forecast", str(path), "--start", "40", "--target", "70",
        "--deadline", DEADLINE.isoformat(), "--cycle-start", CYCLE_START.isoformat(),
        "--format", "json", *extra,
    )  # fmt: skip


def test_json_matches_an_independent_least_squares_fit(okrkit, write_csv):
    # Setup wizard completion, checked in weekly from 40 % towards 70 %.
    values = [41.0, 44.5, 46.0, 49.5, 52.0, 53.5]
    path = write_csv("wizard.csv", weekly(date(2026, 10, 2), values))
    result = _forecast(okrkit, path, "--today", "2026-11-10")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert set(doc) == KEYS

    # The same line and interval, computed here with NumPy and SciPy from scratch.
    x = np.array([7.0 * i for i in range(len(values))])
    y = np.array(values)
    slope, intercept = np.polyfit(x, y, 1)
    x0 = (DEADLINE - date(2026, 10, 2)).days
    y0 = intercept + slope * x0
    s = np.sqrt(np.sum((y - (intercept + slope * x)) ** 2) / (len(x) - 2))
    se = s * np.sqrt(1 + 1 / len(x) + (x0 - x.mean()) ** 2 / np.sum((x - x.mean()) ** 2))
    q = stats.t.ppf(0.975, len(x) - 2)
    assert doc["n"] == 6
    assert abs(doc["slope_per_day"] - slope) < 1e-9
    assert abs(doc["forecast"] - y0) < 1e-9
    assert abs(doc["lower"] - (y0 - q * se)) < 1e-9
    assert abs(doc["upper"] - (y0 + q * se)) < 1e-9
    assert abs(doc["probability"] - (1 - stats.t.cdf((70 - y0) / se, len(x) - 2))) < 1e-9
    assert abs(doc["progress"] - (53.5 - 40) / 30) < 1e-12
    assert abs(doc["forecast_progress"] - min(1.0, (y0 - 40) / 30)) < 1e-12
    assert abs(doc["expected_progress"] - (date(2026, 11, 10) - CYCLE_START).days / 91) < 1e-12
    assert doc["pace"] == "on_track"  # the forecast passes 70 % of the way


def test_fewer_than_three_check_ins_say_why(okrkit, write_csv):
    path = write_csv("two.csv", weekly(date(2026, 10, 2), [41.0, 43.0]))
    result = _forecast(okrkit, path, "--today", "2026-10-20")
    doc = json.loads(result.stdout)
    assert set(doc) == KEYS | {"reason"}
    assert doc["forecast"] is None
    assert doc["lower"] is None
    assert doc["upper"] is None
    assert doc["probability"] is None
    assert "3 check-ins" in doc["reason"]
    # Judged on progress ÷ expected progress: (3/30) / (19/91) ≈ 0.48 → at risk.
    assert doc["pace"] == "at_risk"
    assert result.returncode == 0


def test_off_track_key_result_fails(okrkit, write_csv):
    # Trial-to-paid conversion meant to go from 12 % back to 16 %, still sliding.
    path = write_csv("ttp.csv", weekly(date(2026, 10, 4), [12.4, 12.2, 12.3, 12.0, 11.9]))
    result = okrkit(
        "kr", "forecast", str(path), "--start", "12", "--target", "16",
        "--deadline", DEADLINE.isoformat(), "--today", "2026-11-05", "--format", "json",
    )  # fmt: skip
    assert result.returncode == 1
    doc = json.loads(result.stdout)
    assert doc["pace"] == "off_track"
    assert doc["probability"] < 0.01
    assert doc["forecast_progress"] == 0.0


def test_decreasing_target(okrkit, write_csv):
    # Support first-response time from 4 h down to 2 h, on its way.
    path = write_csv("frt.csv", weekly(date(2026, 10, 2), [3.9, 3.6, 3.4, 3.1, 2.9]))
    result = okrkit(
        "kr", "forecast", str(path), "--start", "4", "--target", "2", "--deadline", "2026-12-31",
        "--today", "2026-11-05", "--type", "committed", "--format", "json",
    )  # fmt: skip
    doc = json.loads(result.stdout)
    assert doc["slope_per_day"] < 0
    assert doc["forecast"] < 2
    assert doc["probability"] > 0.95
    assert doc["pace"] == "on_track"


def test_first_week_is_not_started(okrkit, write_csv):
    path = write_csv("early.csv", weekly(date(2026, 10, 1), [40.0]))
    result = _forecast(okrkit, path, "--today", "2026-10-03")
    assert json.loads(result.stdout)["pace"] == "not_started"
    assert result.returncode == 0


def test_default_cycle_start_is_the_deadline_quarter(okrkit, write_csv):
    path = write_csv("wizard.csv", weekly(date(2026, 10, 2), [41.0, 44.5, 46.0]))
    result = okrkit(
        "kr", "forecast", str(path), "--start", "40", "--target", "70",
        "--deadline", "2026-12-31", "--today", "2026-11-15", "--format", "json",
    )  # fmt: skip
    expected = (date(2026, 11, 15) - date(2026, 10, 1)).days / (DEADLINE - date(2026, 10, 1)).days
    assert abs(json.loads(result.stdout)["expected_progress"] - expected) < 1e-12


def test_table_reads_as_sentences(okrkit, write_csv):
    path = write_csv("wizard.csv", weekly(date(2026, 10, 2), [41.0, 44.5, 46.0, 49.5]))
    result = okrkit(
        "kr", "forecast", str(path), "--start", "40", "--target", "70",
        "--deadline", "2026-12-31", "--today", "2026-11-01",
    )  # fmt: skip
    assert result.returncode == 0
    assert "95% interval" in result.stdout
    assert "Chance of reaching the target" in result.stdout
    assert "on track" in result.stdout


def test_deadline_before_cycle_start_is_bad_input(okrkit, write_csv):
    path = write_csv("wizard.csv", weekly(date(2026, 10, 2), [41.0, 44.5, 46.0]))
    result = okrkit(
        "kr", "forecast", str(path), "--start", "40", "--target", "70", "--deadline", "2026-09-01",
        "--cycle-start", "2026-10-01",
    )  # fmt: skip
    assert result.returncode == 2
    assert "--deadline" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_ins_older_than_the_quarter_extend_the_cycle(okrkit, write_csv):
    start = date(2026, 9, 20)
    path = write_csv(
        "early.csv", [((start + timedelta(days=7 * i)).isoformat(), 40 + i) for i in range(4)]
    )
    result = okrkit(
        "kr", "forecast", str(path), "--start", "40", "--target", "70",
        "--deadline", "2026-12-31", "--today", "2026-10-20", "--format", "json",
    )  # fmt: skip
    expected = (date(2026, 10, 20) - start).days / (DEADLINE - start).days
    assert abs(json.loads(result.stdout)["expected_progress"] - expected) < 1e-12
