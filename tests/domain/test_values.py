"""The time series value object a KPI's values live in."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrkit.domain.cadence import Cadence, CadenceKind
from okrkit.domain.errors import InvalidInput
from okrkit.domain.values import Series, check_day, check_moment


def test_from_points_sorts_by_time_keeping_values_with_their_times() -> None:
    series = Series.from_points(
        [(date(2026, 11, 18), 3.0), (date(2026, 11, 16), 1.0), (date(2026, 11, 17), 2.0)]
    )
    assert series.timestamps.dtype == np.dtype("datetime64[s]")
    assert series.timestamps.tolist() == [
        datetime(2026, 11, 16),
        datetime(2026, 11, 17),
        datetime(2026, 11, 18),
    ]
    assert series.values.tolist() == [1.0, 2.0, 3.0]
    assert series.segments is None
    assert len(series) == 3


def test_from_points_keeps_the_input_order_of_equal_times() -> None:
    series = Series.from_points(
        [
            (date(2026, 11, 17), 1.0),
            (date(2026, 11, 16), 9.0),
            (date(2026, 11, 17), 2.0),
            (date(2026, 11, 17), 3.0),
        ]
    )
    assert series.values.tolist() == [9.0, 1.0, 2.0, 3.0]


def test_from_points_reads_dates_as_midnight_and_aware_times_as_utc() -> None:
    plus_2 = timezone(timedelta(hours=2))
    series = Series.from_points(
        [(date(2026, 11, 17), 1.0), (datetime(2026, 11, 17, 1, 0, tzinfo=plus_2), 2.0)]
    )
    # 01:00 at UTC+2 is 23:00 the day before in UTC, so it sorts first.
    assert series.timestamps.tolist() == [datetime(2026, 11, 16, 23, 0), datetime(2026, 11, 17)]
    assert series.values.tolist() == [2.0, 1.0]


def test_from_points_keeps_a_null_as_nan() -> None:
    series = Series.from_points([(date(2026, 11, 16), float("nan"))])
    assert np.isnan(series.values[0])


@given(st.lists(st.tuples(st.dates(), st.integers(-1000, 1000)), max_size=30))
def test_from_points_is_sorted_and_loses_no_point(points: list[tuple[date, int]]) -> None:
    series = Series.from_points([(d, float(v)) for d, v in points])
    assert len(series) == len(points)
    stamps = series.timestamps.astype(np.int64)
    assert bool(np.all(np.diff(stamps) >= 0))
    expected = sorted(points, key=lambda p: p[0])  # Python's sort is stable too
    assert series.values.tolist() == [float(v) for _, v in expected]


def test_newest_is_the_time_of_the_newest_value() -> None:
    series = Series.from_points(
        [(datetime(2026, 11, 23, 6, 30), 2.0), (datetime(2026, 11, 16, 6, 30), 1.0)]
    )
    assert series.newest == datetime(2026, 11, 23, 6, 30)
    assert isinstance(series.newest, datetime)


def test_an_empty_series_has_no_newest_and_no_cadence() -> None:
    series = Series.from_points([])
    assert len(series) == 0
    assert series.newest is None
    assert series.implied_cadence() is None


def test_tail_keeps_the_newest_points() -> None:
    series = Series.from_points([(date(2026, 11, d), float(d)) for d in range(16, 21)])
    tail = series.tail(2)
    assert tail.values.tolist() == [19.0, 20.0]
    assert tail.timestamps.tolist() == [datetime(2026, 11, 19), datetime(2026, 11, 20)]
    assert tail.newest == series.newest


def test_tail_keeps_the_segments_of_the_points_it_keeps() -> None:
    series = Series(
        np.array(["2026-11-16", "2026-11-16", "2026-11-17"], dtype="datetime64[s]"),
        np.array([1.0, 2.0, 3.0]),
        ("plan=pro", "plan=free", None),
    )
    tail = series.tail(2)
    assert tail.segments == ("plan=free", None)
    assert tail.values.tolist() == [2.0, 3.0]


def test_tail_longer_than_the_series_is_the_whole_series() -> None:
    series = Series.from_points([(date(2026, 11, 16), 1.0), (date(2026, 11, 17), 2.0)])
    assert series.tail(60).values.tolist() == [1.0, 2.0]


def test_tail_of_zero_points_is_empty() -> None:
    series = Series.from_points([(date(2026, 11, d), float(d)) for d in range(16, 21)])
    tail = series.tail(0)
    assert len(tail) == 0
    assert tail.newest is None


@pytest.mark.parametrize(
    ("step", "kind"),
    [(timedelta(days=1), CadenceKind.DAILY), (timedelta(weeks=1), CadenceKind.WEEKLY)],
)
def test_implied_cadence_of_evenly_spaced_points(step: timedelta, kind: CadenceKind) -> None:
    start = datetime(2026, 9, 7, 6, 0)
    series = Series.from_points([(start + i * step, float(i)) for i in range(10)])
    assert series.implied_cadence() == Cadence(kind)


def test_implied_cadence_of_month_starts_is_monthly() -> None:
    series = Series.from_points([(date(2026, m, 1), float(m)) for m in range(1, 13)])
    assert series.implied_cadence() == Cadence(CadenceKind.MONTHLY)


def test_implied_cadence_follows_the_median_spacing_not_an_outlier() -> None:
    # Daily values with one missing week: the spacing is still a day.
    moments = [date(2026, 11, 1) + timedelta(days=i) for i in range(10)]
    moments += [date(2026, 11, 18), date(2026, 11, 19)]
    series = Series.from_points([(m, 1.0) for m in moments])
    assert series.implied_cadence() == Cadence(CadenceKind.DAILY)


def test_implied_cadence_of_an_odd_spacing_is_that_spacing() -> None:
    series = Series.from_points(
        [(date(2026, 11, 1) + timedelta(days=3 * i), 1.0) for i in range(5)]
    )
    cadence = series.implied_cadence()
    assert cadence is not None
    assert cadence.kind is CadenceKind.SPACING
    assert cadence.spacing_seconds == 3 * 86_400


@pytest.mark.parametrize(
    "moments", [[date(2026, 11, 16)], [date(2026, 11, 16), date(2026, 11, 16)]]
)
def test_implied_cadence_needs_two_distinct_times(moments: list[date]) -> None:
    series = Series.from_points([(m, 1.0) for m in moments])
    assert series.implied_cadence() is None


# The years okrkit keeps, one rule for every edge (`check_moment`, `check_day`).
OUT_OF_RANGE = [
    datetime(1, 1, 1),
    datetime(1899, 12, 31, 23, 59, 59),
    datetime(3000, 1, 1),
    datetime(9999, 12, 31, 23, 59, 59),
    datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))),  # UTC would be year 0
    datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5))),  # UTC: year 10000
    datetime(1900, 1, 1, tzinfo=timezone(timedelta(hours=1))),  # UTC: 1899
]


@pytest.mark.parametrize("moment", OUT_OF_RANGE, ids=str)
def test_a_moment_outside_the_kept_years_is_refused_by_name(moment: datetime) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_moment(moment, "timestamp")
    assert refused.value.field == "timestamp"
    assert str(refused.value) == (
        f"timestamp: {moment.isoformat()} is out of range: okrkit keeps the years 1900 to 2999"
    )


@given(
    st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(2999, 12, 30)),
    st.timezones(),
)
def test_every_moment_inside_the_kept_years_is_kept(moment: datetime, zone: Any) -> None:
    assert check_moment(moment) is moment
    assert check_moment(moment.replace(tzinfo=zone)) is not None
    assert check_day(moment.date()) == moment.date()


@pytest.mark.parametrize("day", [date(1, 1, 1), date(1899, 12, 31), date(3000, 1, 1)], ids=str)
def test_a_day_outside_the_kept_years_is_refused(day: date) -> None:
    with pytest.raises(InvalidInput, match=f"--today: {day} is out of range"):
        check_day(day, "--today")
