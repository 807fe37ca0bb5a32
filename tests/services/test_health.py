"""KPI use cases on plain values: the dashboard window and the capability words."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from okrkit.domain.cadence import Cadence
from okrkit.domain.errors import InvalidInput
from okrkit.domain.health import Direction, Status, Thresholds
from okrkit.domain.kpis import Kpi
from okrkit.domain.spc import Capability
from okrkit.domain.values import Series
from okrkit.services.health import KpiRules, check_kpi, describe_capability, judge_kpi, window

START = date(2026, 1, 5)  # a Monday


def _weekly(values: list[float]) -> Series:
    return Series.from_points((START + timedelta(weeks=i), v) for i, v in enumerate(values))


def _kpi(**changes: object) -> Kpi:
    fields: dict[str, object] = {
        "key": "trial_to_paid",
        "name": "Trial-to-paid conversion rate",
        "unit": "percent",
        "direction": Direction.HIGHER,
        "cadence": Cadence.parse("weekly"),
        "team": "growth",
        "thresholds": Thresholds(15, 12),
    }
    fields.update(changes)
    return Kpi(**fields)  # type: ignore[arg-type]


def test_a_stored_kpi_is_judged_on_its_last_60_periods():
    # 80 weeks: a wild first 20 weeks that must not reach the limits, then a calm 60.
    wild = [5.0, 25.0] * 10
    calm = [15.0, 16.0] * 30
    series = _weekly(wild + calm)
    assert len(window(series, Cadence.parse("weekly"))) == 60
    check = judge_kpi(
        _kpi(), series, datetime.combine(START + timedelta(weeks=80), datetime.min.time())
    )
    limits = check.xmr.limits
    assert limits is not None
    assert limits.centre == pytest.approx(15.5)  # the first 20 of the 60 calm weeks
    assert limits.moving_range_mean == pytest.approx(1.0)
    assert check.verdict == "routine"
    assert check.headline == (
        "No signal: all 60 weeks since 25 May 2026 within the usual range of 12.8–18.2%"
    )


def test_window_counts_periods_not_points():
    # Two values a week for 70 weeks: 60 periods hold 120 points.
    points = [(START + timedelta(days=7 * w + d), float(w)) for w in range(70) for d in (0, 3)]
    kept = window(Series.from_points(points), Cadence.parse("weekly"))
    assert len(kept) == 120
    assert kept.values[0] == 10.0


def test_check_needs_values():
    empty = Series.from_points([])
    with pytest.raises(InvalidInput, match="no values"):
        check_kpi(empty, KpiRules(), datetime(2026, 11, 23))


@pytest.mark.parametrize(
    ("values", "capability", "words"),
    [
        # centre 17, mR̄ 0.4: limits 15.94–18.06, all above green 15 → capable
        (
            [16.8, 17.2] * 10,
            Capability.CAPABLE,
            "capable: the usual range 15.94–18.06 lies wholly above the green bound 15, so "
            "routine variation stays green",
        ),
        # centre 15, mR̄ 2: lower limit 9.68 below red 12 → incapable
        ([14.0, 16.0] * 10, Capability.INCAPABLE, "the process itself must change"),
        # centre 15, mR̄ 1: lower limit 12.34 between red 12 and green 15 → marginal
        ([14.5, 15.5] * 10, Capability.MARGINAL, "reaches into yellow"),
    ],
)
def test_capability_in_words(values, capability, words):
    rules = KpiRules(direction=Direction.HIGHER, thresholds=Thresholds(15, 12))
    check = check_kpi(
        _weekly(values), rules, datetime.combine(START + timedelta(weeks=20), datetime.min.time())
    )
    assert check.capability is capability
    assert words in describe_capability(check)


def test_capability_without_thresholds_is_unknown_in_words():
    check = check_kpi(_weekly([14.5, 15.5] * 10), KpiRules(), datetime(2026, 6, 1))
    assert check.status is Status.UNKNOWN
    assert describe_capability(check) == "unknown: no thresholds to compare the usual range with"


def test_capability_of_a_lower_is_better_kpi_inside_its_green_bound_says_so():
    # Reproduced: "upper limit 289.6 is beyond the green bound 300" — it is inside it.
    # centre 280, mR̄ 3.6: usual range 270.4–289.6 ms, all below green 300 → capable
    rules = KpiRules(direction=Direction.LOWER, thresholds=Thresholds(300, 400), unit="ms")
    as_of = datetime.combine(START + timedelta(weeks=20), datetime.min.time())
    check = check_kpi(_weekly([278.2, 281.8] * 10), rules, as_of)
    assert check.capability is Capability.CAPABLE
    words = describe_capability(check)
    assert words == (
        "capable: the usual range 270–290 ms lies wholly below the green bound 300 ms, so "
        "routine variation stays green"
    )
    assert "beyond" not in words


def test_a_capable_process_beside_a_red_value_says_something_changed():
    # Reproduced: "stays green" beside a red status. The usual range is all green, the
    # newest value is red: it lies outside the usual range, a signal.
    rules = KpiRules(direction=Direction.HIGHER, thresholds=Thresholds(15, 12), unit="percent")
    as_of = datetime.combine(START + timedelta(weeks=21), datetime.min.time())
    check = check_kpi(_weekly([*[16.8, 17.2] * 10, 10.0]), rules, as_of)
    assert (check.status, check.capability) == (Status.RED, Capability.CAPABLE)
    assert describe_capability(check) == (
        "capable: the usual range 15.9–18.1% lies wholly above the green bound 15.0%, so "
        "routine variation stays green; the newest value is red all the same: it lies "
        "outside the usual range, so something changed"
    )
