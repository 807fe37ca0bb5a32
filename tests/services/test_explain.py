"""The `kpi explain` use cases on a real long-format file: the window they compare, the
read models they return and the mistakes they refuse, naming the option to fix."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from okrkit.adapters.sources.series_files import MultiSeriesFile, read_multi_series_csv
from okrkit.domain.cadence import Cadence, CadenceKind
from okrkit.domain.decompose import Method
from okrkit.domain.errors import InvalidInput
from okrkit.domain.formula import Formula
from okrkit.services.explain import (
    DEFAULT_MAX_LAG,
    explain_factors,
    explain_lead_lag,
    explain_rate_mix,
    explain_segments,
)

MONDAY = date(2026, 9, 7)
WEEK = timedelta(weeks=1)


def _file(tmp_path: Path, rows: list[tuple[date, str, str, float]]) -> MultiSeriesFile:
    path = tmp_path / "kpis.csv"
    lines = ["timestamp,kpi,segment,value"]
    lines += [f"{day.isoformat()},{kpi},{segment},{value}" for day, kpi, segment, value in rows]
    path.write_text("\n".join(lines) + "\n")
    return read_multi_series_csv(path)


@pytest.fixture
def arpu(tmp_path: Path) -> MultiSeriesFile:
    before = {"aov": 50.0, "frequency": 2.0, "paying_share": 0.05}
    after = {"aov": 48.0, "frequency": 2.1, "paying_share": 0.045}
    rows = [(MONDAY, kpi, "", value) for kpi, value in before.items()]
    rows += [(MONDAY + 2 * WEEK, kpi, "", value) for kpi, value in after.items()]
    rows += [(MONDAY + WEEK, "aov", "", 49.0)]  # only AOV in the week between
    return _file(tmp_path, rows)


def test_factors_compare_the_periods_holding_the_two_days(arpu: MultiSeriesFile) -> None:
    formula = Formula.parse("arpu = aov * frequency * paying_share")
    view = explain_factors(arpu, formula, None, MONDAY + timedelta(days=2), MONDAY + 2 * WEEK)
    window = view.window
    assert window.cadence == Cadence(CadenceKind.WEEKLY)  # implied by the 7-day spacing
    assert window.labels == ("week of 2026-09-07", "week of 2026-09-21")
    assert window.days == (date(2026, 9, 9), date(2026, 9, 21))
    assert window.periods[1] - window.periods[0] == 2
    assert view.formula is formula
    assert view.result.method is Method.LOG_CHANGE
    assert view.result.change == pytest.approx(4.536 - 5.0)


@pytest.mark.parametrize(
    ("formula", "start", "end", "field", "message"),
    [
        ("arpu = aov * frequncy", MONDAY, MONDAY + 2 * WEEK, "--formula", "column 14: no KPI"),
        ("aov * frequency", MONDAY + 2 * WEEK, MONDAY, "--from", "is not before --to"),
        ("aov * frequency", MONDAY, MONDAY + timedelta(days=3), "--to", "same period"),
        (
            "aov * frequency",
            MONDAY,
            MONDAY + WEEK,
            "--to",
            "no value for 'frequency' in the week of 2026-09-14",
        ),
    ],
)
def test_factors_refuse_mistakes_naming_the_option(
    arpu: MultiSeriesFile, formula: str, start: date, end: date, field: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message) as raised:
        explain_factors(arpu, Formula.parse(formula), None, start, end)
    assert raised.value.field == field


def test_a_new_segment_adds_its_whole_value(tmp_path: Path) -> None:
    rows = [(MONDAY, "revenue", "basic", 100.0), (MONDAY + WEEK, "revenue", "basic", 110.0)]
    rows += [(MONDAY + WEEK, "revenue", "team", 40.0)]
    view = explain_segments(_file(tmp_path, rows), "revenue", None, MONDAY, MONDAY + WEEK)
    assert view.kpi == "revenue"
    assert {s.segment: s.change for s in view.result.segments} == {"basic": 10.0, "team": 40.0}
    assert view.window.labels == ("week of 2026-09-07", "week of 2026-09-14")


def test_rate_mix_finds_the_ratio_s_two_kpis_and_its_scale(tmp_path: Path) -> None:
    rows = [
        (MONDAY, "paid", "web", 30.0),
        (MONDAY, "trials", "web", 200.0),
        (MONDAY + WEEK, "paid", "web", 24.0),
        (MONDAY + WEEK, "trials", "web", 120.0),
    ]
    formula = Formula.parse("conversion = paid / trials * 100")
    view = explain_rate_mix(_file(tmp_path, rows), formula, None, MONDAY, MONDAY + WEEK)
    assert (view.numerator, view.denominator) == ("paid", "trials")
    assert (view.result.before, view.result.after) == pytest.approx((15.0, 20.0))


def test_rate_mix_needs_a_ratio(tmp_path: Path) -> None:
    rows = [(MONDAY, "paid", "web", 3.0), (MONDAY, "trials", "web", 20.0)]
    with pytest.raises(InvalidInput, match="needs a ratio of two KPIs"):
        explain_rate_mix(
            _file(tmp_path, rows), Formula.parse("c = paid - trials"), None, MONDAY, MONDAY + WEEK
        )


def test_lead_lag_ranks_kpis_with_a_total_and_lists_the_others_last(tmp_path: Path) -> None:
    steps = [3, -1, 4, 1, -5, 9, 2, -6, 5, 3, -5, 8]
    rows = []
    for week, step in enumerate(steps):
        day = MONDAY + week * WEEK
        rows += [(day, "revenue", "", 50.0 + sum(steps[:week])), (day, "trials", "", step)]
        rows += [(day, "paid", "web", 1.0)]
    view = explain_lead_lag(_file(tmp_path, rows), "revenue", None)
    assert view.max_lag == DEFAULT_MAX_LAG
    assert view.periods == len(steps)
    assert view.cadence == Cadence(CadenceKind.WEEKLY)
    assert [r.key for r in view.leading] == ["trials", "paid"]
    assert view.leading[-1].reason == "only segment rows, no total"


def test_lead_lag_refuses_a_negative_lag_and_a_file_of_one_kpi(tmp_path: Path) -> None:
    source = _file(tmp_path, [(MONDAY, "revenue", "", 1.0), (MONDAY + WEEK, "revenue", "", 2.0)])
    with pytest.raises(InvalidInput, match="give 0 or more") as raised:
        explain_lead_lag(source, "revenue", None, max_lag=-1)
    assert raised.value.field == "--max-lag"
    with pytest.raises(InvalidInput, match="holds no KPI but 'revenue' to rank"):
        explain_lead_lag(source, "revenue", None)
