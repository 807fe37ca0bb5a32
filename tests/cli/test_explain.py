"""`okrkit kpi explain` on real long-format files: factors, segments, leading KPIs, and
every bad input as one line on stderr with exit 2."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from tests.cli.helpers import assert_one_line_error

ARPU = "arpu = aov * frequency * paying_share"
MONDAY = date(2026, 9, 7)
HEADER = "timestamp,kpi,value"
SEGMENT_HEADER = "timestamp,kpi,segment,value"


def _day(weeks: int, days: int = 0) -> str:
    return (MONDAY + timedelta(weeks=weeks, days=days)).isoformat()


def arpu_rows() -> list[tuple[str, str, float]]:
    """Eight weeks of AOV, frequency and paying share. Week 0 holds two points per KPI
    whose means are 50, 2.0 and 0.05; week 7 is 48, 2.1 and 0.045 (the seeds' move)."""
    rows = [
        (_day(0), "aov", 49.0),
        (_day(0, 3), "aov", 51.0),
        (_day(0), "frequency", 1.9),
        (_day(0, 3), "frequency", 2.1),
        (_day(0), "paying_share", 0.05),
        (_day(0, 3), "paying_share", 0.05),
    ]
    for week in range(1, 7):
        rows += [
            (_day(week), "aov", 50.0),
            (_day(week), "frequency", 2.0),
            (_day(week), "paying_share", 0.05),
        ]
    rows += [(_day(7), "aov", 48.0), (_day(7), "frequency", 2.1), (_day(7), "paying_share", 0.045)]
    return rows


@pytest.fixture
def arpu_file(write_csv):
    return write_csv("arpu.csv", arpu_rows(), header=HEADER)


def explain_arpu(okrkit, path, *extra):
    return okrkit(
        "kpi",
        "explain",
        str(path),
        "--formula",
        ARPU,
        "--from",
        _day(0, 1),
        "--to",
        _day(7, 2),
        *extra,
    )


# --- factors ---------------------------------------------------------------------------


def test_json_splits_arpu_by_log_change_shares(okrkit, arpu_file):
    result = explain_arpu(okrkit, arpu_file, "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["mode"] == "factors"
    assert doc["kpi"] == "arpu"
    assert doc["formula"] == ARPU
    assert doc["cadence"] == "weekly"
    assert doc["method"] == "log_change"
    assert doc["reason"] is None
    # Week 0's values are the means of its two points: 50, 2.0, 0.05 → ARPU 5.0.
    assert doc["from"] == {"date": _day(0, 1), "period": "week of 2026-09-07", "value": 5.0}
    assert doc["to"]["period"] == "week of 2026-10-26"
    assert doc["to"]["value"] == pytest.approx(4.536)
    assert doc["change"] == pytest.approx(-0.464)
    assert doc["relative_change"] == pytest.approx(-0.0928)
    factors = {f["key"]: f for f in doc["factors"]}
    assert list(factors) == ["aov", "frequency", "paying_share"]
    # Hand-worked in tests/domain/test_decompose.py: shares 0.41915, −0.50097, 1.08182.
    assert factors["aov"]["before"] == 50.0
    assert factors["aov"]["after"] == 48.0
    assert factors["aov"]["share"] == pytest.approx(0.41915, abs=1e-5)
    assert factors["frequency"]["share"] == pytest.approx(-0.50097, abs=1e-5)
    assert factors["paying_share"]["share"] == pytest.approx(1.08182, abs=1e-5)
    assert factors["paying_share"]["contribution"] == pytest.approx(-0.50196, abs=1e-5)
    total = sum(f["contribution"] for f in doc["factors"])
    assert total == pytest.approx(doc["change"], abs=1e-12)


def test_table_ranks_factors_and_says_which_one_moved_arpu(okrkit, arpu_file):
    result = explain_arpu(okrkit, arpu_file)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "arpu: week of 2026-09-07 → week of 2026-10-26" in out
    lines = [line for line in out.splitlines() if "│" in line]
    assert [line.split("│")[1].strip() for line in lines] == ["paying share", "frequency", "aov"]
    assert "108%" in lines[0]
    assert "−50%" in lines[1]
    assert "arpu fell 0.464 (−9.3%) from 5 to 4.536; paying share explains 108% of the fall." in out
    assert "log-change shares" in out


def test_a_sum_formula_is_split_by_shapley_values(okrkit, write_csv):
    rows = [
        (_day(0), "new", 40),
        (_day(0), "expansion", 10),
        (_day(0), "churned", 15),
        (_day(1), "new", 45),
        (_day(1), "expansion", 8),
        (_day(1), "churned", 25),
    ]
    path = write_csv("mrr.csv", rows, header=HEADER)
    result = okrkit(
        "kpi",
        "explain",
        str(path),
        "--formula",
        "net_new = new + expansion - churned",
        "--from",
        _day(0),
        "--to",
        _day(1),
        "--cadence",
        "weekly",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["method"] == "shapley"
    assert doc["change"] == -7.0  # 35 → 28
    assert [f["contribution"] for f in doc["factors"]] == pytest.approx([5.0, -2.0, -10.0])


def test_a_bare_formula_and_an_explicit_cadence(okrkit, arpu_file):
    result = okrkit(
        "kpi",
        "explain",
        str(arpu_file),
        "--formula",
        "aov * frequency",
        "--from",
        "2026-09-07",
        "--to",
        "2026-10-30",
        "--cadence",
        "monthly",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["kpi"] is None
    assert doc["cadence"] == "monthly"
    assert doc["from"]["period"] == "2026-09"
    assert doc["to"]["period"] == "2026-10"


# --- segments --------------------------------------------------------------------------


def segment_rows() -> list[tuple[str, str, str, float]]:
    revenue0 = {"basic": 100, "pro": 300, "team": 100}
    revenue1 = {"basic": 110, "pro": 250, "team": 140, "enterprise": 20}
    funnel0 = {"web": (30, 200), "app": (10, 200)}
    funnel1 = {"web": (24, 120), "app": (14, 280)}
    rows = [(_day(0), "revenue", s, v) for s, v in revenue0.items()]
    rows += [(_day(1), "revenue", s, v) for s, v in revenue1.items()]
    for week, funnel in ((0, funnel0), (1, funnel1)):
        for segment, (paid, trials) in funnel.items():
            rows += [(_day(week), "paid", segment, paid), (_day(week), "trials", segment, trials)]
    rows += [(_day(0), "visits", "", 1000), (_day(1), "visits", "", 1100)]  # a total only
    return rows


@pytest.fixture
def segment_file(write_csv):
    return write_csv("segments.csv", segment_rows(), header=SEGMENT_HEADER)


def test_an_additive_kpi_is_explained_by_its_segments(okrkit, segment_file):
    args = [
        "kpi",
        "explain",
        str(segment_file),
        "--segments",
        "revenue",
        "--from",
        _day(0),
        "--to",
        _day(1),
        "--cadence",
        "weekly",
    ]
    result = okrkit(*args, "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["mode"] == "segments"
    assert (doc["from"]["value"], doc["to"]["value"], doc["change"]) == (500, 520, 20)
    shares = {s["segment"]: s["share"] for s in doc["segments"]}
    # basic +10, pro −50, team +40, enterprise +20 (new) of +20.
    assert shares == pytest.approx({"basic": 0.5, "pro": -2.5, "team": 2.0, "enterprise": 1.0})
    table = okrkit(*args)
    assert table.returncode == 0, table.stderr
    assert "revenue rose 20 (+4.0%) from 500 to 520; segment team explains 200% of the rise." in (
        table.stdout
    )
    assert "−250%" in table.stdout


def test_a_ratio_across_segments_is_explained_by_rate_and_mix(okrkit, segment_file):
    args = [
        "kpi",
        "explain",
        str(segment_file),
        "--formula",
        "conversion = paid / trials * 100",
        "--segments",
        "conversion",
        "--from",
        _day(0),
        "--to",
        _day(1),
        "--cadence",
        "weekly",
    ]
    result = okrkit(*args, "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["mode"] == "rate_mix"
    assert (doc["numerator"], doc["denominator"]) == ("paid", "trials")
    # 10 % → 9.5 %: web rate effect +2 pp, mixes −1.55 and −0.95 pp (hand-worked in
    # tests/domain/test_decompose.py, here in percent).
    assert doc["from"]["value"] == pytest.approx(10.0)
    assert doc["to"]["value"] == pytest.approx(9.5)
    assert doc["rate_effect"] == pytest.approx(2.0)
    assert doc["mix_effect"] == pytest.approx(-2.5)
    web = next(s for s in doc["segments"] if s["segment"] == "web")
    assert web["mix_effect"] == pytest.approx(-1.55)
    assert web["before_weight"] == pytest.approx(0.5)
    table = okrkit(*args)
    assert table.returncode == 0, table.stderr
    assert "conversion fell 0.5 (−5.0%) from 10 to 9.5" in table.stdout
    assert "50.0% → 30.0%" in table.stdout


# --- leading and lagging ---------------------------------------------------------------

STEPS = [3, -1, 4, 1, -5, 9, 2, -6, 5, 3, -5, 8, 9, -7, 9, 3, 2, -3, 8, 4]


@pytest.fixture
def lead_file(write_csv):
    trials, revenue = [100.0], [50.0]
    for step in STEPS:
        trials.append(trials[-1] + step)
    for step in [0.5, -0.3, *STEPS[:-2]]:  # revenue repeats trials' moves 2 weeks later
        revenue.append(revenue[-1] + step)
    nps = [30, 31, 29, 30, 32, 31, 30, 29, 31, 30, 32, 30, 29, 31, 30, 30, 31, 29, 30, 31, 30]
    rows = []
    for week in range(21):
        rows += [
            (_day(week), "revenue", revenue[week]),
            (_day(week), "trials", trials[week]),
            (_day(week), "nps", nps[week]),
        ]
    rows += [(_day(week), "new_feature", week) for week in range(17, 21)]
    return write_csv("lead.csv", rows, header=HEADER)


def test_lead_lag_finds_the_kpi_that_moves_two_weeks_earlier(okrkit, lead_file):
    result = okrkit("kpi", "explain", str(lead_file), "--lead-lag", "revenue", "--format", "json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["mode"] == "lead_lag"
    assert (doc["kpi"], doc["cadence"], doc["periods"], doc["max_lag"]) == (
        "revenue",
        "weekly",
        21,
        4,
    )
    first = doc["leading"][0]
    assert (first["key"], first["lag"], first["sign"], first["pairs"]) == (
        "trials",
        2,
        "positive",
        18,
    )
    assert first["correlation"] == pytest.approx(1.0)
    last = doc["leading"][-1]
    assert last["key"] == "new_feature"
    assert last["correlation"] is None
    assert "too little overlap" in last["reason"]


def test_lead_lag_table(okrkit, lead_file):
    result = okrkit("kpi", "explain", str(lead_file), "--lead-lag", "revenue", "--max-lag", "3")
    assert result.returncode == 0, result.stderr
    assert "Leading indicators of revenue" in result.stdout
    assert "+1.00 (positive)" in result.stdout
    assert "too little overlap" in result.stdout
    assert "lags 0–3" in result.stdout


# --- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("formula", "fragments"),
    [
        (
            "arpu = aov * frequncy * paying_share",
            ["--formula", "column 14", "no KPI 'frequncy'", "aov, frequency, paying_share"],
        ),
        ("arpu = aov * __import__('os').system('x')", ["--formula", "column 14", "function call"]),
        ("arpu = aov.__class__", ["--formula", "column 12", "attribute access"]),
        ("arpu = aov ** 99999999", ["--formula", "column 15", "outside [-10, 10]"]),
        ("arpu = aov *", ["--formula", "column 13", "ends too early"]),
        ("arpu = (aov", ["--formula", "column 8", "never closed"]),
    ],
)
def test_a_bad_formula_names_its_column(okrkit, arpu_file, formula, fragments):
    result = okrkit(
        "kpi", "explain", str(arpu_file), "--formula", formula, "--from", _day(0), "--to", _day(7)
    )
    assert_one_line_error(result, *fragments)
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("dates", "fragments"),
    [
        ((_day(-3), _day(7)), ["--from", "no value for 'aov' in the week of 2026-08-17"]),
        ((_day(0), _day(12)), ["--to", "no value for 'aov' in the week of 2026-11-30"]),
        ((_day(0), _day(0, 2)), ["--to", "same period (week of 2026-09-07)"]),
        ((_day(7), _day(0)), ["--from", "is not before --to"]),
        (("07.09.2026", _day(7)), ["--from", "not a date"]),
    ],
)
def test_a_missing_or_impossible_period(okrkit, arpu_file, dates, fragments):
    result = okrkit(
        "kpi", "explain", str(arpu_file), "--formula", ARPU, "--from", dates[0], "--to", dates[1]
    )
    assert_one_line_error(result, *fragments)


def test_a_division_by_zero_in_a_period_is_said(okrkit, write_csv):
    rows = [
        (_day(0), "revenue", 10),
        (_day(0), "users", 0),
        (_day(1), "revenue", 12),
        (_day(1), "users", 4),
    ]
    path = write_csv("zero.csv", rows, header=HEADER)
    result = okrkit(
        "kpi",
        "explain",
        str(path),
        "--formula",
        "arpu = revenue / users",
        "--from",
        _day(0),
        "--to",
        _day(1),
        "--cadence",
        "weekly",
    )
    assert_one_line_error(result, "--from", "arpu cannot be computed", "divides by zero")


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--from", _day(0), "--to", _day(1)], ["say what to explain"]),
        (["--formula", ARPU, "--to", _day(1)], ["--from", "give the two days"]),
        (["--lead-lag", "aov", "--formula", ARPU], ["--lead-lag", "without --formula"]),
        (["--lead-lag", "aov", "--from", _day(0)], ["--lead-lag", "drop --from"]),
        (["--lead-lag", "revenue"], ["--lead-lag", "no KPI 'revenue'", "aov, frequency"]),
        (["--lead-lag", "aov", "--max-lag", "-1"], ["--max-lag", "give 0 or more"]),
        (["--formula", ARPU, "--max-lag", "2"], ["--max-lag", "goes with --lead-lag"]),
        (["--formula", ARPU, "--cadence", "fortnightly"], ["--cadence", "not a cadence"]),
        (
            ["--segments", "aov", "--from", _day(0), "--to", _day(1)],
            ["--segments", "'aov' has no segment rows"],
        ),
        (
            ["--formula", ARPU, "--segments", "revenue", "--from", _day(0), "--to", _day(1)],
            ["--segments", "name it"],
        ),
    ],
)
def test_bad_options(okrkit, arpu_file, args, fragments):
    assert_one_line_error(okrkit("kpi", "explain", str(arpu_file), *args), *fragments)


def test_segment_only_inputs_need_segments_mode(okrkit, segment_file):
    result = okrkit(
        "kpi",
        "explain",
        str(segment_file),
        "--formula",
        "conversion = paid / trials",
        "--from",
        _day(0),
        "--to",
        _day(1),
    )
    assert_one_line_error(result, "--formula", "'paid' has only segment rows (app, web)")


def test_rate_and_mix_needs_a_ratio(okrkit, segment_file):
    result = okrkit(
        "kpi",
        "explain",
        str(segment_file),
        "--formula",
        "conversion = paid - trials",
        "--segments",
        "conversion",
        "--from",
        _day(0),
        "--to",
        _day(1),
    )
    assert_one_line_error(result, "--formula", "needs a ratio of two KPIs")


@pytest.mark.parametrize(
    ("content", "line", "fragments"),
    [
        ("timestamp,value\n2026-09-07,1\n", 1, ["kpi", "missing column 'kpi'"]),
        (
            f"{HEADER}\n2026-09-07,aov,1\n2026-09-08,aov,lots\n",
            3,
            ["value", "'lots' is not a number"],
        ),
        (f"{HEADER}\n2026-09-07,aov,1\n2026-09-31,aov,2\n", 3, ["timestamp", "ISO 8601"]),
        (f"{HEADER}\n2026-09-07,AOV ($),1\n", 2, ["kpi", "'AOV ($)' is not a KPI key"]),
        (f"{HEADER}\n2026-09-07,,1\n", 2, ["kpi", "is empty"]),
        (
            f"{HEADER}\n2026-09-07,aov,1\n2026-09-07,frequency,2\n2026-09-07,aov,3\n",
            4,
            ["timestamp", "duplicate timestamp 2026-09-07 00:00:00 for KPI 'aov'", "line 2"],
        ),
        (
            f"{SEGMENT_HEADER}\n2026-09-07,paid,web,1\n2026-09-07,paid,app,1\n"
            "2026-09-07,paid,web,2\n",
            4,
            ["duplicate", "segment 'web'", "line 2"],
        ),
        (f"{HEADER}\n2026-09-07,aov,1,extra\n", 2, ["has 4 fields, the header has 3"]),
        (f"{HEADER}\n", 1, ["value", "no values"]),
    ],
)
def test_a_bad_file_names_its_line_and_column(okrkit, write_csv, content, line, fragments):
    path = write_csv("bad.csv", content)
    result = okrkit(
        "kpi", "explain", str(path), "--formula", ARPU, "--from", _day(0), "--to", _day(1)
    )
    assert_one_line_error(result, f"{path}:{line}:", *fragments)


def test_an_empty_or_missing_file(okrkit, write_csv, tmp_path):
    empty = write_csv("empty.csv", "")
    args = ["--lead-lag", "aov"]
    assert_one_line_error(
        okrkit("kpi", "explain", str(empty), *args), str(empty), "timestamp,kpi,value"
    )
    missing = tmp_path / "nowhere.csv"
    assert_one_line_error(okrkit("kpi", "explain", str(missing), *args), "no such file")


def test_values_near_the_float_limit_are_explained_in_readable_numbers(okrkit, write_csv):
    # ±1e308 made shares "nan%" and a product that overflows "a division by zero"
    rows = [
        ("2026-10-05", "x", "revenue", 1e308),
        ("2026-10-05", "y", "revenue", 2.0),
        ("2026-10-12", "x", "revenue", -1e308),
        ("2026-10-12", "y", "revenue", 3.0),
    ]
    path = write_csv("huge.csv", rows, header="timestamp,segment,kpi,value")
    result = okrkit("kpi", "explain", str(path), "--segments", "revenue",
                    "--from", "2026-10-05", "--to", "2026-10-12")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "1.0 × 10³⁰⁸" in result.stdout
    for unreadable in ("nan", "inf", "e+", "−0%"):
        assert unreadable not in result.stdout
    product = write_csv(
        "product.csv",
        [
            ("2026-10-05", "a", 1e308),
            ("2026-10-05", "b", 2.0),
            ("2026-10-12", "a", 1.0),
            ("2026-10-12", "b", 3.0),
        ],  # fmt: skip
        header="timestamp,kpi,value",
    )
    result = okrkit("kpi", "explain", str(product), "--formula", "c = a * b",
                    "--from", "2026-10-05", "--to", "2026-10-12")  # fmt: skip
    assert_one_line_error(result, "--from", "c cannot be computed", "overflows")
