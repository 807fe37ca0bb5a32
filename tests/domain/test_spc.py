"""XmR charts and capability (docs/rules.md, "Signal or noise" and "Capability")."""

from __future__ import annotations

import math
import statistics
from typing import Literal

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from okrkit.domain.errors import InvalidInput
from okrkit.domain.health import Direction, Status, Thresholds, status
from okrkit.domain.phrasing import number
from okrkit.domain.spc import (
    BASELINE_POINTS,
    CAPABILITY_CODES,
    NO_VARIATION,
    Capability,
    Limits,
    Rule,
    Signal,
    Timeline,
    XmrResult,
    capability,
    capability_batch,
    capability_sentence,
    xmr,
    xmr_batch,
)

OUT, RUN, TOF = Rule.OUTSIDE_LIMITS, Rule.RUN_OF_8, Rule.THREE_OF_FOUR

# Alternating 12, 10: centre 11, mR̄ 2, limits 11 ± 5.32 = 5.68 and 16.32, halfway lines
# 11 ± 2.66 = 8.34 and 13.66. The last baseline point (index 19) is 10, below the centre.
BASE = [12.0, 10.0] * 10
HIGH, LOW = 14.0, 8.0  # beyond a halfway line, inside the limits


def weeks(n: int, unit: str = "", period: str = "week") -> Timeline:
    """The timeline of n points a period apart from Monday 5 Jan 2026 (months from Jan)."""
    if period == "month":
        stamps = np.datetime64("2026-01", "M") + np.arange(n)
    else:
        stamps = np.datetime64("2026-01-05", "D") + np.arange(n) * (7 if period == "week" else 1)
    return Timeline.of(stamps.astype("datetime64[s]"), period, unit)


def kinds(result: XmrResult) -> list[tuple[Rule, str, tuple[int, ...]]]:
    return [(s.rule, s.direction, s.indices) for s in result.signals]


# --- limits and the baseline -------------------------------------------------------------


def test_limits_from_the_hand_checked_baseline() -> None:
    result = xmr(BASE)
    assert result.limits is not None
    assert result.limits.centre == 11
    assert result.limits.moving_range_mean == 2
    assert result.limits.lower_limit == pytest.approx(5.68)
    assert result.limits.upper_limit == pytest.approx(16.32)
    assert result.limits.upper_range_limit == pytest.approx(6.536)
    assert result.limits.baseline_points == result.baseline_points == BASELINE_POINTS
    assert (result.reason, result.signals, result.verdict) == (None, (), "routine")


def test_later_points_do_not_move_the_limits() -> None:
    assert xmr(BASE + [100.0, -50.0, 3.0]).limits == xmr(BASE).limits


def test_baseline_argument_takes_the_first_n_points() -> None:
    result = xmr([1.0, 3.0, 2.0, 6.0, 50.0, 60.0], baseline=4)
    assert result.limits is not None
    assert result.limits.centre == 3
    assert result.limits.moving_range_mean == pytest.approx(7 / 3)
    assert result.baseline_points == 4
    assert kinds(result)[:2] == [(OUT, "up", (4,)), (OUT, "up", (5,))]


def test_a_locked_baseline_gives_the_limits_and_none_of_its_points_are_judged() -> None:
    # Limits from BASE (11 ± 5.32), then rules over three later points only.
    result = xmr([11.0, 17.0, 4.0], reference=BASE)
    assert result.limits == xmr(BASE).limits
    assert result.baseline_points == 20
    assert result.points == 3
    assert kinds(result) == [(OUT, "up", (1,)), (OUT, "down", (2,))]


def test_a_locked_baseline_is_per_row_in_a_batch() -> None:
    batch = xmr_batch([[11.0, 17.0], [11.0, 11.0]], reference=[BASE, [0.0, 22.0] * 10])
    assert batch.result(0).limits == xmr(BASE).limits
    assert batch.result(1).limits is not None
    assert batch.result(1).limits.centre == 11
    assert batch.result(1).signals == ()
    with pytest.raises(InvalidInput, match="one row per series"):
        xmr_batch([[1.0, 2.0]], reference=[BASE, BASE])


def test_a_locked_baseline_of_one_value_gives_no_limits() -> None:
    assert xmr(BASE, reference=[5.0]).limits is None


def test_fewer_points_than_the_baseline_uses_them_all() -> None:
    result = xmr([1.0, 2.0, 3.0, 5.0])
    assert result.limits is not None
    assert result.baseline_points == result.limits.baseline_points == 4
    assert result.limits.centre == 2.75
    assert result.limits.moving_range_mean == pytest.approx(4 / 3)


@pytest.mark.parametrize(("values", "baseline"), [([7.0], 20), ([], 20), ([1.0, 9.0, 2.0], 1)])
def test_fewer_than_two_baseline_points_give_no_limits(values: list[float], baseline: int) -> None:
    result = xmr(values, baseline=baseline)
    assert result.limits is None
    assert result.reason == "fewer than 2 values to learn it from"
    assert (result.signals, result.verdict) == ((), "routine")
    assert result.describe(weeks(len(values))) == (
        "No usual range yet: fewer than 2 values to learn it from"
    )


def test_a_constant_baseline_has_no_limits_and_says_so_without_dividing_by_zero() -> None:
    result = xmr([4.5] * 20 + [100.0, -100.0])  # warnings are errors in this suite
    assert result.limits is None
    assert result.reason is not None
    assert result.reason == NO_VARIATION
    assert result.signals == ()
    assert result.describe(weeks(22)) == f"No usual range yet: {NO_VARIATION}"


@pytest.mark.parametrize("huge", [1e308, 1.7e308])
def test_values_near_the_float_limit_give_no_limits_and_say_why(huge: float) -> None:
    # ±1e308 overflows the mean and the moving ranges: no infinite limits, no warning
    result = xmr([huge, -huge] * 12)
    assert result.limits is None
    assert result.signals == ()
    assert result.describe(weeks(24)) == (
        "No usual range yet: the values are too large to compute it from"
    )


@pytest.mark.parametrize("baseline", [0, -3])
def test_a_baseline_below_one_point_is_bad_input(baseline: int) -> None:
    with pytest.raises(InvalidInput) as error:
        xmr(BASE, baseline=baseline)
    assert error.value.field == "baseline"
    assert "at least 1 point" in str(error.value)


def test_the_shapes_are_checked() -> None:
    with pytest.raises(InvalidInput):
        xmr_batch(np.array(BASE))
    with pytest.raises(InvalidInput):
        xmr(np.array([BASE, BASE]))


# --- outside the limits ------------------------------------------------------------------


def test_a_point_exactly_on_a_limit_is_not_outside() -> None:
    limits = xmr(BASE).limits
    assert limits is not None
    on_limits = xmr([*BASE, limits.upper_limit, limits.lower_limit])
    assert [s for s in on_limits.signals if s.rule is OUT] == []
    beyond = [np.nextafter(limits.upper_limit, math.inf), np.nextafter(limits.lower_limit, -1)]
    assert kinds(xmr([*BASE, *beyond]))[:2] == [(OUT, "up", (20,)), (OUT, "down", (21,))]


def test_one_signal_per_point_outside_with_its_direction_and_0_based_index() -> None:
    result = xmr([*BASE, 11.0, 20.0, 11.0, 2.0, 17.0])
    assert kinds(result) == [(OUT, "up", (21,)), (OUT, "down", (23,)), (OUT, "up", (24,))]
    assert result.verdict == "signal"


# --- runs of eight -----------------------------------------------------------------------


def test_a_run_of_seven_is_no_signal_and_eight_is() -> None:
    assert xmr([*BASE, *[12.5] * 7]).signals == ()
    assert kinds(xmr([*BASE, *[12.5] * 8])) == [(RUN, "up", tuple(range(20, 28)))]
    assert kinds(xmr([*BASE, 12.5, *[9.5] * 8])) == [(RUN, "down", tuple(range(21, 29)))]


def test_a_point_on_the_centre_neither_breaks_nor_extends_a_run() -> None:
    seven = xmr([*BASE, *[12.5] * 3, 11.0, *[12.5] * 4])
    assert seven.signals == ()
    eight = xmr([*BASE, *[12.5] * 4, 11.0, *[12.5] * 4])
    assert kinds(eight) == [(RUN, "up", (20, 21, 22, 23, 25, 26, 27, 28))]


def test_two_separate_runs_are_two_signals() -> None:
    up_down = xmr([*BASE, *[12.5] * 8, *[9.5] * 9])
    assert kinds(up_down) == [
        (RUN, "up", tuple(range(20, 28))),
        (RUN, "down", tuple(range(28, 37))),
    ]
    up_up = xmr([*BASE, *[12.5] * 8, 9.5, *[12.5] * 8])
    assert kinds(up_up) == [(RUN, "up", tuple(range(20, 28))), (RUN, "up", tuple(range(29, 37)))]


def test_run_of_eight_in_wheelers_high_school_smokers_data() -> None:
    """Percentage of high-school seniors who smoke daily, Table 8.1 of D. J. Wheeler,
    "Making Sense of Data" (SPC Press, 2003), as transcribed in the tests of
    github.com/mattmccormick/statprocon (tests/test_xmr.py, test_rule_2), which expects
    the last eight years flagged. Hand check: the mean of the 14 values is 19.27, and
    the last eight (18.7 … 19.0) are all below it, the one before (19.6) above it."""
    smokers = [21.3, 20.2, 20.9, 21.0, 18.8, 19.6, 18.7, 18.6, 18.1, 18.9, 19.2, 18.2, 17.3, 19.0]
    runs = [s for s in xmr(smokers).signals if s.rule is RUN]
    assert runs == [Signal(RUN, "down", tuple(range(6, 14)))]


# --- three of four beyond the halfway line -----------------------------------------------


def test_three_of_four_beyond_a_halfway_line() -> None:
    assert kinds(xmr([*BASE, HIGH, HIGH, 11.0, HIGH])) == [(TOF, "up", (20, 21, 22, 23))]
    assert kinds(xmr([*BASE, LOW, 11.0, LOW, LOW])) == [(TOF, "down", (20, 21, 22, 23))]
    assert xmr([*BASE, HIGH, 11.0, 11.0, HIGH]).signals == ()


def test_a_point_on_the_halfway_line_is_not_beyond_it() -> None:
    limits = xmr(BASE).limits
    assert limits is not None
    halfway = limits.centre + 1.33 * limits.moving_range_mean
    assert xmr([*BASE, halfway, halfway, halfway, halfway]).signals == ()


def test_overlapping_windows_merge_into_one_signal() -> None:
    result = xmr([*BASE, HIGH, HIGH, 11.0, HIGH, HIGH])  # windows 20–23 and 21–24
    assert kinds(result) == [(TOF, "up", (20, 21, 22, 23, 24))]


def test_windows_that_only_touch_stay_separate() -> None:
    # Windows 19–22 (10, 14, 14, 14) and 20–23 share points and merge; 24–27 only
    # touches 20–23 (and windows 21, 22, 23 hold two points beyond), so it stays apart.
    values = [*BASE, HIGH, HIGH, HIGH, 11.0, 11.0, HIGH, HIGH, HIGH]
    assert kinds(xmr(values)) == [(TOF, "up", (19, 20, 21, 22, 23)), (TOF, "up", (24, 25, 26, 27))]
    mask = xmr_batch(np.array([values])).three_of_four_up[0]
    assert np.flatnonzero(mask).tolist() == list(range(19, 28))


def test_points_beyond_the_limit_count_for_three_of_four() -> None:
    result = xmr([*BASE, 11.0, 17.0, HIGH, 17.0])
    assert kinds(result) == [(TOF, "up", (20, 21, 22, 23)), (OUT, "up", (21,)), (OUT, "up", (23,))]


def test_signals_are_ordered_by_first_point_then_rule() -> None:
    result = xmr([*BASE, *[17.0] * 8])
    assert kinds(result)[:3] == [
        (TOF, "up", tuple(range(19, 28))),  # the window 19–22 holds 10, 17, 17, 17
        (OUT, "up", (20,)),
        (RUN, "up", tuple(range(20, 28))),
    ]
    assert len(result.signals) == 10


# --- published worked examples -----------------------------------------------------------


def test_nist_sematech_flow_rate_example() -> None:
    """NIST/SEMATECH e-Handbook of Statistical Methods, section 6.3.2.2 "Individuals
    Control Charts" (https://www.itl.nist.gov/div898/handbook/pmc/section3/pmc322.htm):
    flow rate of the first 10 batches of a new process. Published: x̄ = 50.81,
    MR̄ = 1.8778, UCL = 55.8041, LCL = 45.8159, "the process is in control". NIST uses
    3 · MR̄ / 1.128 (2.6596 · MR̄) where okrkit uses 2.66 · MR̄: the limits differ by
    0.0004 · MR̄ = 0.0008, hence the tolerance on them."""
    flow_rate = [49.6, 47.6, 49.9, 51.3, 47.8, 51.2, 52.6, 52.4, 53.6, 52.1]
    result = xmr(flow_rate)
    assert result.limits is not None
    assert result.limits.centre == pytest.approx(50.81, abs=5e-3)
    assert result.limits.moving_range_mean == pytest.approx(1.8778, abs=5e-5)
    assert result.limits.upper_limit == pytest.approx(55.8041, abs=1e-3)
    assert result.limits.lower_limit == pytest.approx(45.8159, abs=1e-3)
    assert result.verdict == "routine"
    assert result.describe(weeks(10)) == (
        "No signal: all 10 weeks since 5 Jan within the usual range of 45.82–55.8"
    )


def test_wheeler_data_set_for_verifying_software() -> None:
    """D. J. Wheeler, "Making Sense of Data" (SPC Press, 2003), p. 382, "Data Set to Use
    When Verifying Software" (also the example of his Quality Digest column "Individual
    Charts Done Right and Wrong", Feb. 2010). Published figures as transcribed in the
    tests of github.com/mattmccormick/statprocon (tests/test_xmr.py,
    test_verifying_software): average 4135.50, average moving range 355.93, LNPL 3188.72,
    UNPL 5082.28, URL 1163.19 — same constants 2.66 and 3.268, so to the cent."""
    values = [5045, 4350, 4350, 3975, 4290, 4430, 4485, 4285]
    values += [3980, 3925, 3645, 3760, 3300, 3685, 3463, 5200]
    result = xmr([float(v) for v in values])
    assert result.limits is not None
    assert round(result.limits.centre, 2) == 4135.50
    assert round(result.limits.moving_range_mean, 2) == 355.93
    assert round(result.limits.lower_limit, 2) == 3188.72
    assert round(result.limits.upper_limit, 2) == 5082.28
    assert round(result.limits.upper_range_limit, 2) == 1163.19
    # hand check: the last value, 5200, is above 5082.28
    assert kinds(result) == [(OUT, "up", (15,))]
    assert result.describe(weeks(16, "count", "month")) == (
        "Signal: the latest month, Apr 2027, above the usual range of 3,189–5,082"
    )


def test_wheeler_peak_flow_rates() -> None:
    """D. J. Wheeler, "Making Sense of Data" (SPC Press, 2003), p. 130, Figure 9.9 "XmR
    Chart for AM Premedication Peak Flow Rates for Days 1 to 18", as transcribed in the
    tests of github.com/mattmccormick/statprocon (tests/test_xmr.py, test_peak_flow_rates).
    Published: average 183.1, average moving range 52.4, UNPL 322.5, LNPL 43.7, URL 171.3.
    The book computes the limits from the rounded averages (183.1 + 2.66 · 52.4 = 322.5),
    so unrounded limits (322.3, 43.8, 171.1) differ by up to 0.25."""
    peak_flow = [120, 140, 100, 150, 260, 150, 100, 120, 300]
    peak_flow += [300, 275, 300, 140, 170, 150, 150, 190, 180]
    result = xmr([float(v) for v in peak_flow])
    assert result.limits is not None
    assert round(result.limits.centre, 1) == 183.1
    assert round(result.limits.moving_range_mean, 1) == 52.4
    assert result.limits.upper_limit == pytest.approx(322.5, abs=0.25)
    assert result.limits.lower_limit == pytest.approx(43.7, abs=0.25)
    assert result.limits.upper_range_limit == pytest.approx(171.3, abs=0.25)
    book_unpl = 183.1 + 2.66 * 52.4
    assert book_unpl == pytest.approx(322.5, abs=0.05)


# --- in words ----------------------------------------------------------------------------


def test_describe_says_no_signal_with_the_usual_range_in_its_unit() -> None:
    assert xmr(BASE).describe(weeks(20, "percent")) == (
        "No signal: all 20 weeks since 5 Jan within the usual range of 5.7–16.3%"
    )
    assert xmr([1e6 + 0.1, 1e6 - 0.1] * 10).describe(weeks(20)) == (
        "No signal: all 20 weeks since 5 Jan within the usual range of 999,999.5–1,000,000.5"
    )


def test_describe_names_periods_by_their_dates_never_by_point_numbers() -> None:
    assert xmr([*BASE, 11.0, HIGH, HIGH, 11.0, HIGH]).describe(weeks(25)) == (
        "Signal: 3 of 4 weeks from 1 Jun to 22 Jun close to the top of the usual range "
        "(above 13.66)"
    )
    assert xmr([*BASE, *[20.0, 11.0] * 7]).describe(weeks(34, "ms")) == (
        "Signal: 7 weeks above the usual range of 6–16 ms (25 May, 8 Jun, 22 Jun, 6 Jul, "
        "20 Jul and 2 more)"
    )


def test_describe_keeps_to_one_sentence_when_many_rules_fire() -> None:
    text = xmr([*BASE, *[17.0] * 8, 11.0, *[5.0] * 8]).describe(weeks(37))
    assert text == (
        "Signal: 8 weeks above the usual range of 5.68–16.32 (25 May – 13 Jul); "
        "since 27 Jul, 8 weeks below the usual range of 5.68–16.32; "
        "8 weeks in a row above the average of 11 (25 May – 13 Jul); and 3 more signals"
    )


@given(st.lists(st.floats(0, 100, allow_nan=False), min_size=21, max_size=200))
@settings(max_examples=60)
def test_describe_tells_every_signal_up_to_four_else_three_and_the_rest_counted(values):
    result = xmr(values)
    outside = {s.direction for s in result.signals if s.rule is Rule.OUTSIDE_LIMITS}
    groups = len(outside) + sum(1 for s in result.signals if s.rule is not Rule.OUTSIDE_LIMITS)
    text = result.describe(weeks(len(values)))
    assert "point" not in text
    if not groups:
        assert not text.startswith("Signal")
        return
    parts = text.removeprefix("Signal: ").split("; ")
    if groups <= 4:
        assert len(parts) == groups
    else:
        assert len(parts) == 4
        assert parts[-1] == f"and {groups - 3} more signals"


# --- the seed example --------------------------------------------------------------------


def test_trial_to_paid_sliding_from_15_to_12_percent_is_a_downward_signal() -> None:
    """Trial-to-paid conversion hovers around 15 % for 20 weeks, then slides to 12 % over
    the last 8 weeks: something changed, and the chart says which way."""
    steady = [15.2, 14.8, 15.1, 14.9, 15.3, 14.7, 15.0, 15.2, 14.9, 15.1]
    steady += [14.8, 15.0, 15.3, 14.9, 15.1, 14.8, 15.2, 15.0, 14.9, 15.1]
    sliding = [14.6, 14.2, 13.8, 13.4, 13.0, 12.7, 12.3, 12.0]
    result = xmr(steady + sliding)
    assert result.verdict == "signal"
    assert {s.direction for s in result.signals} == {"down"}
    assert Signal(RUN, "down", tuple(range(20, 28))) in result.signals
    assert result.describe(weeks(28, "percent")) == (
        "Signal: since 1 Jun, 7 weeks below the usual range of 14.2–15.8%; "
        "since 25 May, 8 weeks in a row below the average of 15.0%; "
        "at least 3 of every 4 weeks from 18 May to 13 Jul close to the bottom of the usual "
        "range (below 14.6%)"
    )
    assert result.headline(weeks(28, "percent")) == (
        "Signal: since 1 Jun, 7 weeks below the usual range of 14.2–15.8%"
    )


# --- the batch ---------------------------------------------------------------------------


def test_batch_rows_without_limits_hold_nan_and_no_signals() -> None:
    batch = xmr_batch(np.array([BASE, [3.0] * 20, [*BASE[:-1], 30.0]]))
    assert batch.has_limits.tolist() == [True, False, True]
    assert math.isnan(batch.centre[1])
    assert math.isnan(batch.upper_range_limit[1])
    assert batch.any_signal.tolist() == [False, False, True]
    assert batch.signals(1) == ()
    assert batch.result(1).reason == NO_VARIATION
    assert batch.outside_up.shape == (3, 20)


def test_batch_of_empty_series() -> None:
    batch = xmr_batch(np.zeros((3, 0)))
    assert batch.any_signal.tolist() == [False, False, False]
    assert batch.result(0).limits is None


# --- capability --------------------------------------------------------------------------


def limits(lower: float, upper: float) -> Limits:
    return Limits((lower + upper) / 2, (upper - lower) / 5.32, lower, upper, 1.0, 20)


@pytest.mark.parametrize(
    ("lower", "expected"),
    [(15.5, "capable"), (15.0, "marginal"), (13.0, "marginal"), (12.0, "marginal"),
     (11.9, "incapable")],
)  # fmt: skip
def test_capability_of_a_higher_is_better_kpi(lower: float, expected: str) -> None:
    conversion = Thresholds(green=15, red=12)
    assert capability(limits(lower, 18.0), conversion, Direction.HIGHER) == expected


@pytest.mark.parametrize(
    ("upper", "expected"),
    [(190.0, "capable"), (200.0, "marginal"), (300.0, "marginal"), (400.0, "marginal"),
     (401.0, "incapable")],
)  # fmt: skip
def test_capability_of_a_lower_is_better_kpi(upper: float, expected: str) -> None:
    latency_ms = Thresholds(green=200, red=400)
    assert capability(limits(100.0, upper), latency_ms, Direction.LOWER) == expected


def test_capability_is_unknown_without_limits_or_thresholds() -> None:
    thresholds = Thresholds(green=15, red=12)
    assert capability(None, thresholds, Direction.HIGHER) is Capability.UNKNOWN
    assert capability(limits(13, 17), None, Direction.LOWER) is Capability.UNKNOWN
    assert capability(xmr([5.0] * 10).limits, thresholds, Direction.HIGHER) == "unknown"


def test_capability_batch_agrees_with_capability() -> None:
    cases = []
    for direction in Direction:
        valid = (15.0, 12.0) if direction is Direction.HIGHER else (12.0, 15.0)
        for g, r in (valid, (math.nan, math.nan)):
            for lo in (10.0, 12.0, 13.5, 15.0, 16.0, math.nan):
                for hi in (11.0, 12.0, 13.5, 15.0, 16.0, 20.0):
                    cases.append((lo, hi, g, r, direction))
    lower, upper, green, red = (np.array([case[i] for case in cases]) for i in range(4))
    higher = np.array([case[4] is Direction.HIGHER for case in cases])
    codes = capability_batch(lower, upper, green, red, higher)
    for code, (lo, hi, g, r, direction) in zip(codes.tolist(), cases, strict=True):
        chart = None if math.isnan(lo) else limits(lo, hi)
        thresholds = None if math.isnan(g) else Thresholds(g, r)
        assert CAPABILITY_CODES[code] is capability(chart, thresholds, direction)


# --- properties --------------------------------------------------------------------------

decimals = st.integers(-100_000, 100_000).map(lambda i: i / 10)
noise = st.lists(st.integers(-50, 50), min_size=2, max_size=30)
# A level that moves after the baseline: rich in runs, points outside and 3-of-4 windows.
stepped = st.builds(
    lambda before, after, step: [v / 10 for v in before] + [(v + step) / 10 for v in after],
    noise,
    noise,
    st.integers(-150, 150),
)
series = st.one_of(st.lists(decimals, min_size=2, max_size=50), stepped)


def clear_of_lines(values: list[float], result: XmrResult, margin: float) -> bool:
    """No point within `margin` of the centre, a halfway line or a limit: away from ties,
    rounding cannot flip a comparison."""
    lim = result.limits
    assert lim is not None
    half = 1.33 * lim.moving_range_mean
    lines = [lim.centre, lim.centre + half, lim.centre - half, lim.lower_limit, lim.upper_limit]
    return all(abs(v - line) > margin for v in values for line in lines)


@settings(deadline=None)
@given(series, st.integers(-10_000_000, 10_000_000).map(lambda i: i / 10))
def test_shifting_a_series_shifts_centre_and_limits_and_keeps_the_signals(
    values: list[float], shift: float
) -> None:
    before, after = xmr(values), xmr([v + shift for v in values])
    assume(before.limits is not None)
    assert before.limits is not None
    assert after.limits is not None
    for name, moves in (("centre", True), ("lower_limit", True), ("upper_limit", True),
                        ("moving_range_mean", False), ("upper_range_limit", False)):  # fmt: skip
        expected = getattr(before.limits, name) + (shift if moves else 0)
        assert getattr(after.limits, name) == pytest.approx(expected, rel=1e-9, abs=1e-6)
    assume(clear_of_lines(values, before, 1e-4))
    assert after.signals == before.signals


@settings(deadline=None)
@given(series, st.floats(0.01, 100))
def test_scaling_a_series_scales_centre_and_limits_and_keeps_the_signals(
    values: list[float], factor: float
) -> None:
    before, after = xmr(values), xmr([v * factor for v in values])
    assume(before.limits is not None)
    assert before.limits is not None
    assert after.limits is not None
    for name in ("centre", "moving_range_mean", "lower_limit", "upper_limit", "upper_range_limit"):
        expected = getattr(before.limits, name) * factor
        assert getattr(after.limits, name) == pytest.approx(expected, rel=1e-9, abs=1e-6)
    assume(clear_of_lines(values, before, 1e-4 * (1 + max(map(abs, values)))))
    assert after.signals == before.signals


@given(st.floats(-1e6, 1e6), st.integers(1, 40), st.integers(1, 30))
def test_a_constant_series_has_no_limits_and_says_so(value: float, n: int, baseline: int) -> None:
    result = xmr([value] * n, baseline=baseline)
    assert result.limits is None
    assert result.signals == ()
    assert result.describe(weeks(n)).startswith("No usual range yet: ")
    assert result.reason in {NO_VARIATION, "fewer than 2 values to learn it from"}


@given(
    st.lists(st.integers(-100, 100).map(float), min_size=20, max_size=20),
    st.lists(st.integers(-100, 100).map(float), max_size=30),
    st.data(),
)
def test_a_point_far_beyond_a_limit_after_the_baseline_is_found_wherever_it_sits(
    baseline: list[float], tail: list[float], data: st.DataObject
) -> None:
    centre = statistics.fmean(baseline)
    mr = statistics.fmean(abs(b - a) for a, b in zip(baseline, baseline[1:], strict=False))
    assume(mr > 0)
    at = data.draw(st.integers(20, 20 + len(tail)), label="index")
    side: Literal["up", "down"] = data.draw(st.sampled_from(["up", "down"]), label="side")
    spike = centre + 10 * mr if side == "up" else centre - 10 * mr
    values = [*baseline, *tail[: at - 20], spike, *tail[at - 20 :]]
    assert Signal(OUT, side, (at,)) in xmr(values).signals


@given(st.lists(st.integers(-100, 100).map(float), min_size=20, max_size=20), st.integers(0, 19))
def test_a_large_spike_inside_the_baseline_is_still_found(values: list[float], at: int) -> None:
    """A spike of height H inside a 20-point baseline of range R raises the centre by
    H/20 and mR̄ by at most 2H/19, so the upper limit by at most 0.33 H (plus 2.66 R):
    with H = 10 R + 1 the spike stays above it."""
    spread = max(values) - min(values)
    values[at] += 10 * spread + 1
    assert Signal(OUT, "up", (at,)) in xmr(values).signals


@settings(deadline=None)
@given(st.integers(1, 5), st.integers(0, 40), st.integers(1, 25), st.data())
def test_batch_rows_equal_single_series(k: int, n: int, baseline: int, data: st.DataObject) -> None:
    rows: list[list[float]] = []
    for _ in range(k):
        noise = data.draw(st.lists(st.integers(-20, 20), min_size=n, max_size=n))
        step = data.draw(st.integers(-60, 60))  # small integers: many points on the centre
        rows.append([float(v + (step if i >= n // 2 else 0)) for i, v in enumerate(noise)])
    batch = xmr_batch(np.array(rows).reshape(k, n), baseline)
    for i, row in enumerate(rows):
        assert batch.result(i) == xmr(row, baseline)


@settings(deadline=None)
@given(
    st.one_of(st.lists(st.integers(-20, 20).map(float), max_size=60), stepped), st.integers(1, 25)
)
def test_masks_are_the_union_of_the_signals(values: list[float], baseline: int) -> None:
    batch = xmr_batch(np.array([values]).reshape(1, len(values)), baseline)
    masks = {
        (OUT, "up"): batch.outside_up, (OUT, "down"): batch.outside_down,
        (RUN, "up"): batch.run_up, (RUN, "down"): batch.run_down,
        (TOF, "up"): batch.three_of_four_up, (TOF, "down"): batch.three_of_four_down,
    }  # fmt: skip
    signals = batch.signals(0)
    for (rule, side), mask in masks.items():
        covered = {i for s in signals if (s.rule, s.direction) == (rule, side) for i in s.indices}
        assert covered == set(np.flatnonzero(mask[0]).tolist())
    assert bool(batch.any_signal[0]) == bool(signals)


# --- headline: the one sentence of a dashboard tile ---------------------------------

# Alternating 10/12 for 20 points: centre 11, mR̄ 2, limits 5.68–16.32 (shown 5.7–16.3),
# halfway lines 8.34 and 13.66.
ALTERNATING = [10.0, 12.0] * 10


def test_headline_of_no_signal_names_the_usual_range() -> None:
    assert xmr(ALTERNATING).headline(weeks(20, "percent")) == (
        "No signal: all 20 weeks since 5 Jan within the usual range of 5.7–16.3%"
    )


def test_headline_of_a_run_reaching_the_newest_point_says_since_when() -> None:
    result = xmr([*ALTERNATING, *[10.5] * 9])
    assert result.headline(weeks(29, "hours")) == (
        "Signal: since 25 May, 9 weeks in a row below the average of 11.0 h"
    )


def test_headline_of_an_older_run_says_its_dates() -> None:
    result = xmr([*ALTERNATING, *[10.5] * 8, 12.0, 10.0, 12.0])
    assert result.headline(weeks(31, period="day")) == (
        "Signal: 8 days in a row below the average of 11 (25 Jan – 1 Feb)"
    )


def test_headline_prefers_the_latest_signal_and_counts_recent_periods_beyond() -> None:
    result = xmr([*ALTERNATING, 20.0, 11.0, 20.0])
    assert result.headline(weeks(23, "count", "month")) == (
        "Signal: since Sep 2027, 2 of 3 months above the usual range of 5.68–16.32"
    )
    single = xmr([*ALTERNATING, 2.0])
    assert single.headline(weeks(21, period="month")) == (
        "Signal: the latest month, Sep 2027, below the usual range of 5.68–16.32"
    )
    older = xmr([*ALTERNATING, 2.0, 11.0])
    assert older.headline(weeks(22)) == (
        "Signal: the week of 25 May below the usual range of 5.68–16.32"
    )


def test_headline_of_three_of_four() -> None:
    result = xmr([*ALTERNATING, 14.0, 14.0, 11.0, 14.0, 11.0])
    assert result.headline(weeks(25)) == (
        "Signal: 3 of 4 weeks from 25 May to 15 Jun close to the top of the usual range "
        "(above 13.66)"
    )


def test_headline_without_limits_says_why() -> None:
    assert xmr([5.0] * 10).headline(weeks(10)) == f"No usual range yet: {NO_VARIATION}"


# --- capability in words: the sentence agrees with the numbers ----------------------

finite = st.floats(-1e6, 1e6, allow_nan=False)


@given(
    low=finite,
    width=st.floats(0, 1e6),
    bounds=st.tuples(finite, finite).map(sorted),
    higher=st.booleans(),
    latest=finite,
    stale=st.booleans(),
    unit=st.sampled_from(["", "percent", "ms", "count", "currency", "hours", "users"]),
)
def test_the_capability_sentence_agrees_with_the_arithmetic_and_the_status_shown(
    low, width, bounds, higher, latest, stale, unit
):
    direction = Direction.HIGHER if higher else Direction.LOWER
    red, green = bounds if higher else bounds[::-1]
    thresholds = Thresholds(green, red)
    high = low + width
    limits = Limits((low + high) / 2, width / 5.32, low, high, width, 20)
    words = capability_sentence(limits, thresholds, direction, latest, unit=unit, stale=stale)
    ends = {status(low, thresholds, direction), status(high, thresholds, direction)}
    judged = capability(limits, thresholds, direction)
    assert words.startswith(judged.value + ": ")
    assert "beyond" not in words
    if "stays green" in words:  # every value of the usual range is green
        assert ends == {Status.GREEN}
    if "will produce" in words:  # some value of the usual range is red
        assert Status.RED in ends
    if "every value" in words:
        assert ends == {Status.RED}
    if "reaches into yellow but not red" in words:
        assert Status.YELLOW in ends
        assert Status.RED not in ends
    # the bound the sentence compares with is written in the KPI's unit
    assert number(green if judged is not Capability.INCAPABLE else red, unit) in words
    # never "stays green" beside a worse status without saying why
    shown = status(latest, thresholds, direction, stale=stale)
    expected = {
        Capability.CAPABLE: {Status.GREEN},
        Capability.MARGINAL: {Status.GREEN, Status.YELLOW},
        Capability.INCAPABLE: {Status.GREEN, Status.YELLOW, Status.RED},
    }[judged]
    if shown not in expected:
        assert "all the same" in words or "only because the newest value is stale" in words
        if "all the same" in words:  # the newest value really lies outside the usual range
            assert not low <= latest <= high
    else:
        assert "all the same" not in words
        assert "stale" not in words


def test_the_capability_sentence_without_limits_or_thresholds_says_what_is_missing():
    limits = xmr(BASE).limits
    assert capability_sentence(None, Thresholds(15, 12), Direction.HIGHER, 14.0) == (
        "unknown: no usual range yet to compare with the thresholds"
    )
    assert capability_sentence(limits, None, Direction.HIGHER, 14.0) == (
        "unknown: no thresholds to compare the usual range with"
    )
