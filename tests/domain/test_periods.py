"""Several series on one axis of a cadence's periods, each period worth the mean of its
points (docs/rules.md, "Trend", "Derived KPIs")."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import numpy as np
import pytest

from okrkit.domain.cadence import Cadence, CadenceKind
from okrkit.domain.errors import InvalidInput
from okrkit.domain.periods import MAX_PERIODS, align_periods
from okrkit.domain.values import Series


def _series(start: date, step_days: int, values: list[float]) -> Series:
    return Series.from_points(
        (start + timedelta(days=i * step_days), v) for i, v in enumerate(values)
    )


def test_series_are_put_on_one_axis_of_period_means() -> None:
    weekly = Cadence(CadenceKind.WEEKLY)
    monday = date(2026, 10, 5)
    daily = _series(monday, 1, [1, 2, 3, 4, 5, 6, 7, 10, 20])  # week 1 mean 4, week 2: 15
    sparse = _series(monday + timedelta(weeks=2), 7, [100.0])  # only in week 3
    table = align_periods(
        {"daily": daily, "sparse": sparse},
        weekly,
        [datetime(2026, 10, 7), datetime(2026, 10, 21, 12)],
    )
    assert table.periods.size == 3  # weeks of 5, 12 and 19 October
    np.testing.assert_array_equal(table.values["daily"], [4.0, 15.0, np.nan])
    np.testing.assert_array_equal(table.values["sparse"], [np.nan, np.nan, 100.0])
    first, third = table.located
    assert first == table.periods[0]
    assert third == table.periods[2]
    assert table.at(table.periods[1]) == {
        "daily": 15.0,
        "sparse": pytest.approx(math.nan, nan_ok=True),
    }
    assert math.isnan(table.at(table.periods[0] - 10)["daily"])


def test_a_spacing_cadence_locates_moments_after_the_newest_value_as_none() -> None:
    every_two_days = Cadence.from_spacing(2 * 86_400)
    series = _series(date(2026, 10, 1), 2, [1.0, 2.0, 3.0])
    table = align_periods(
        {"x": series}, every_two_days, [datetime(2026, 10, 3), datetime(2026, 12, 1)]
    )
    assert table.located[1] is None
    assert table.located[0] is not None
    assert table.at(table.located[0])["x"] == 2.0


def test_an_axis_of_too_many_periods_is_refused() -> None:
    seconds = Cadence.from_spacing(1.0)
    series = Series.from_points([(datetime(2026, 1, 1), 1.0), (datetime(2026, 3, 1), 2.0)])
    with pytest.raises(InvalidInput, match="coarser cadence"):
        align_periods({"x": series}, seconds)
    assert MAX_PERIODS < 60 * 86_400
