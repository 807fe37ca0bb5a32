"""Trend: latest period against the previous one, and the slope (docs/rules.md, "Trend")."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrkit.domain.cadence import Cadence, CadenceKind, to_datetime64
from okrkit.domain.trend import SLOPE_PERIODS, Trend, period_means, trend, trend_batch


def run(period_index: list[int], values: list[float]) -> Trend:
    return trend(np.array(period_index, dtype=np.int64), np.array(values, dtype=np.float64))


# --- latest against previous ---------------------------------------------------------


def test_latest_period_against_the_previous_one() -> None:
    result = run([0, 1, 2], [100.0, 80.0, 90.0])
    assert result.latest == 90.0
    assert result.previous == 80.0
    assert result.change == 10.0
    assert result.relative_change == pytest.approx(0.125)  # 10 / 80
    assert result.direction == "up"


def test_a_fall_is_a_negative_change() -> None:
    result = run([4, 5], [50.0, 40.0])
    assert result.change == -10.0
    assert result.relative_change == pytest.approx(-0.2)  # −10 / 50
    assert result.direction == "down"


def test_no_change_is_flat() -> None:
    result = run([4, 5], [50.0, 50.0])
    assert result.change == 0.0
    assert result.relative_change == 0.0
    assert result.direction == "flat"


def test_relative_change_is_measured_against_the_size_of_a_negative_previous() -> None:
    # Net cash flow −10 → −5 is an improvement of half its size: +50 %, not −50 %.
    result = run([0, 1], [-10.0, -5.0])
    assert result.change == 5.0
    assert result.relative_change == pytest.approx(0.5)


def test_several_points_in_one_period_are_worth_their_mean() -> None:
    # Previous period: (10 + 12) / 2 = 11. Latest: (12 + 15 + 18) / 3 = 15.
    result = run([0, 0, 1, 1, 1], [10.0, 12.0, 12.0, 15.0, 18.0])
    assert result.previous == 11.0
    assert result.latest == 15.0
    assert result.change == 4.0
    assert result.relative_change == pytest.approx(4 / 11)
    assert result.slope_per_period == pytest.approx(4.0)  # two periods, one step apart


def test_an_empty_previous_period_leaves_the_change_unknown() -> None:
    # Periods 0 and 2: period 1 holds nothing, so there is nothing to compare with.
    result = run([0, 2], [10.0, 20.0])
    assert result.latest == 20.0
    assert result.previous is None
    assert result.change is None
    assert result.relative_change is None
    assert result.direction == "unknown"
    assert result.slope_per_period == pytest.approx(5.0)  # (20 − 10) / 2 periods


def test_relative_change_from_zero_is_unknown() -> None:
    result = run([0, 1], [0.0, 5.0])
    assert result.previous == 0.0
    assert result.change == 5.0
    assert result.relative_change is None
    assert result.direction == "up"


def test_relative_change_from_zero_to_zero_is_unknown() -> None:
    result = run([0, 1], [0.0, 0.0])
    assert result.change == 0.0
    assert result.relative_change is None


def test_a_single_period_has_no_previous_and_no_slope() -> None:
    result = run([7, 7, 7], [1.0, 2.0, 3.0])
    assert result == Trend(
        latest=2.0, previous=None, change=None, relative_change=None, slope_per_period=None
    )


def test_an_empty_series_has_no_trend() -> None:
    result = run([], [])
    assert result == Trend(None, None, None, None, None)
    assert result.direction == "unknown"


# --- slope ---------------------------------------------------------------------------


def test_slope_is_the_least_squares_slope_per_period() -> None:
    # y = 1, 2, 4 at x = 0, 1, 2: x̄ = 1, ȳ = 7/3,
    # slope = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)² = (−1·(−4/3) + 1·(5/3)) / 2 = 1.5
    assert run([0, 1, 2], [1.0, 2.0, 4.0]).slope_per_period == pytest.approx(1.5)


def test_slope_uses_the_period_numbers_as_x_across_gaps() -> None:
    # y = 2x + 1 at x = 0, 1, 3, 4: slope 2. Counting points instead of periods
    # (x = 0, 1, 2, 3) would give 14 / 5 = 2.8.
    assert run([0, 1, 3, 4], [1.0, 3.0, 7.0, 9.0]).slope_per_period == pytest.approx(2.0)


def test_slope_covers_only_the_last_8_periods() -> None:
    assert SLOPE_PERIODS == 8
    # Periods 2..9 lie on y = 2x − 1; periods 0 and 1 are older than the window.
    recent = [2 * x - 1.0 for x in range(2, 10)]
    first = run(list(range(10)), [100.0, -50.0, *recent])
    second = run(list(range(10)), [-7.0, 1e6, *recent])
    assert first.slope_per_period == pytest.approx(2.0)
    assert second.slope_per_period == pytest.approx(2.0)


def test_the_8_period_window_is_counted_in_periods_with_a_gap_inside_it() -> None:
    # Latest period 9: the window is periods 2..9, of which period 4 is empty, so it
    # holds 7 periods with values, on y = 3x. Period 1 (an outlier) is outside the
    # window even though it would be the 8th non-empty period.
    index = [0, 1, 2, 3, 5, 6, 7, 8, 9]
    values = [0.0, 500.0, 6.0, 9.0, 15.0, 18.0, 21.0, 24.0, 27.0]
    assert run(index, values).slope_per_period == pytest.approx(3.0)


def test_an_old_period_alone_outside_the_window_gives_no_slope() -> None:
    # Periods 0 and 20: the window 13..20 holds one period only.
    result = run([0, 20], [1.0, 2.0])
    assert result.slope_per_period is None
    assert result.change is None


def test_slope_is_per_period_of_means() -> None:
    # Period 0: mean 2 of (1, 3); period 1: mean 10 of (4, 16); period 2: 6.
    # Means 2, 10, 6 at x = 0, 1, 2: slope = (−1·(−4) + 1·(0)) / 2 = 2.
    result = run([0, 0, 1, 1, 2], [1.0, 3.0, 4.0, 16.0, 6.0])
    assert result.slope_per_period == pytest.approx(2.0)


def test_trend_of_a_weekly_kpi_from_dated_values() -> None:
    # Daily readings, weekly cadence: week of Monday 9 Nov (7 values: 10..16, mean 13)
    # against week of Monday 16 Nov (3 values so far: 20, 21, 22, mean 21).
    days = [date(2026, 11, 9) + timedelta(days=i) for i in range(10)]
    values = np.array([10, 11, 12, 13, 14, 15, 16, 20, 21, 22], dtype=np.float64)
    index = Cadence(CadenceKind.WEEKLY).period_index(to_datetime64(days))
    result = trend(index, values)
    assert result.previous == 13.0
    assert result.latest == 21.0
    assert result.change == 8.0
    assert result.relative_change == pytest.approx(8 / 13)
    assert result.slope_per_period == pytest.approx(8.0)


# --- period_means --------------------------------------------------------------------


def test_period_means_gives_each_distinct_period_once_with_its_mean() -> None:
    index = np.array([3, 3, 4, 6, 6, 6], dtype=np.int64)
    values = np.array([[1.0, 3.0, 5.0, 1.0, 2.0, 3.0], [0.0, 0.0, 1.0, 9.0, 9.0, 0.0]])
    periods, means = period_means(index, values)
    assert periods.tolist() == [3, 4, 6]
    assert means.tolist() == [[2.0, 5.0, 2.0], [0.0, 1.0, 6.0]]


def test_period_means_of_nothing() -> None:
    periods, means = period_means(np.array([], dtype=np.int64), np.empty((2, 0)))
    assert periods.size == 0
    assert means.shape == (2, 0)


# --- trend_batch ---------------------------------------------------------------------


def same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return a == pytest.approx(b, rel=1e-9, abs=1e-6)


def assert_same_trend(actual: Trend, expected: Trend) -> None:
    for name in ("latest", "previous", "change", "relative_change", "slope_per_period"):
        assert same(getattr(actual, name), getattr(expected, name)), name


def reference_trend(index: list[int], values: list[float]) -> Trend:
    """The rule written out plainly, one period at a time, without NumPy."""
    by_period: dict[int, list[float]] = {}
    for p, v in zip(index, values, strict=True):
        by_period.setdefault(p, []).append(v)
    if not by_period:
        return Trend(None, None, None, None, None)
    means = {p: sum(vs) / len(vs) for p, vs in by_period.items()}
    last = max(means)
    latest = means[last]
    previous = means.get(last - 1)
    change = None if previous is None else latest - previous
    relative = None if change is None or previous == 0 else change / abs(previous)
    window = [p for p in means if p > last - SLOPE_PERIODS]
    slope = None
    if len(window) >= 2:
        x_mean = sum(window) / len(window)
        y_mean = sum(means[p] for p in window) / len(window)
        sxy = sum((p - x_mean) * (means[p] - y_mean) for p in window)
        sxx = sum((p - x_mean) ** 2 for p in window)
        slope = sxy / sxx
    return Trend(latest, previous, change, relative, slope)


# A sorted period index: a start and non-negative steps (0 = same period, >1 = a gap).
_index = st.tuples(
    st.integers(-1000, 1000), st.lists(st.integers(0, 3), min_size=0, max_size=29)
).map(lambda t: [t[0] + sum(t[1][:i]) for i in range(len(t[1]) + 1)])


@given(_index, st.data())
def test_trend_matches_the_rule_written_out_plainly(index: list[int], data: st.DataObject) -> None:
    # Whole numbers keep every sum and mean exact, so only the slope needs a tolerance.
    values = data.draw(
        st.lists(st.integers(-1000, 1000).map(float), min_size=len(index), max_size=len(index))
    )
    assert_same_trend(run(index, values), reference_trend(index, values))


@given(_index, st.integers(1, 5), st.data())
def test_trend_batch_rows_equal_trend_per_row(
    index: list[int], rows: int, data: st.DataObject
) -> None:
    cells = st.one_of(
        st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.just(math.nan), st.just(0.0)
    )
    matrix = np.array(
        data.draw(
            st.lists(
                st.lists(cells, min_size=len(index), max_size=len(index)),
                min_size=rows,
                max_size=rows,
            )
        ),
        dtype=np.float64,
    ).reshape(rows, len(index))
    period_index = np.array(index, dtype=np.int64)

    batch = trend_batch(period_index, matrix)

    assert batch.latest.shape == (rows,)
    for row in range(rows):
        assert_same_trend(batch.result(row), trend(period_index, matrix[row]))


def test_trend_batch_on_a_hand_checked_pair_of_series() -> None:
    index = np.array([0, 1, 1, 2], dtype=np.int64)
    values = np.array([[1.0, 2.0, 4.0, 5.0], [10.0, 0.0, 0.0, 4.0]])
    batch = trend_batch(index, values)
    # Row 0: means 1, 3, 5 → change 2, relative 2 / 3, slope 2.
    first = batch.result(0)
    assert (first.latest, first.previous, first.change) == (5.0, 3.0, 2.0)
    assert first.relative_change == pytest.approx(2 / 3)
    assert first.slope_per_period == pytest.approx(2.0)
    # Row 1: means 10, 0, 4 → change 4, relative unknown (from 0), slope (4 − 10) / 2.
    second = batch.result(1)
    assert (second.latest, second.previous, second.change) == (4.0, 0.0, 4.0)
    assert second.relative_change is None
    assert second.slope_per_period == pytest.approx(-3.0)
