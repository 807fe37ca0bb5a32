"""Cadence, periods and freshness (docs/rules.md, "Trend", "Freshness", "Window and baseline")."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrkit.domain.cadence import (
    MAX_CRON_PERIODS,
    Cadence,
    CadenceKind,
    as_utc,
    epoch_seconds,
    is_stale,
    median_spacing,
    stale_batch,
    to_datetime64,
)
from okrkit.domain.errors import InvalidInput

DAY = 86_400
DAILY = Cadence(CadenceKind.DAILY)
WEEKLY = Cadence(CadenceKind.WEEKLY)
MONTHLY = Cadence(CadenceKind.MONTHLY)
# Monday 06:00, the weekly check-in of the brief.
MONDAY_0600 = Cadence.parse("0 6 * * 1")


def periods(cadence: Cadence, *moments: date | datetime) -> list[int]:
    return cadence.period_index(to_datetime64(list(moments))).tolist()


# --- parsing -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("daily", CadenceKind.DAILY),
        ("Daily", CadenceKind.DAILY),
        ("  WEEKLY ", CadenceKind.WEEKLY),
        ("weekly", CadenceKind.WEEKLY),
        ("Monthly\n", CadenceKind.MONTHLY),
        ("\tmonthly", CadenceKind.MONTHLY),
    ],
)
def test_parse_named_cadences_ignoring_case_and_whitespace(text: str, kind: CadenceKind) -> None:
    cadence = Cadence.parse(text)
    assert cadence.kind is kind
    assert str(cadence) == kind.value


def test_parse_a_cron_expression_keeps_it() -> None:
    cadence = Cadence.parse("0 6 * * 1")
    assert cadence.kind is CadenceKind.CRON
    assert cadence.expression == "0 6 * * 1"
    assert str(cadence) == "0 6 * * 1"


def test_parse_a_cron_expression_normalises_its_whitespace() -> None:
    assert Cadence.parse("  0  6 *\t* 1 ") == Cadence(CadenceKind.CRON, expression="0 6 * * 1")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hourly",
        "every monday",
        "0 6 * *",  # four fields
        "61 6 * * 1",  # minute out of range
        "0 6 * * 1 0 0",  # seven fields
        "spacing",
    ],
)
def test_parse_rejects_anything_else_naming_the_field(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        Cadence.parse(text)
    assert caught.value.field == "cadence"
    assert repr(text) in caught.value.message


def test_parse_error_names_the_callers_field_and_source() -> None:
    with pytest.raises(InvalidInput) as caught:
        Cadence.parse("fortnightly", source="kpis.yaml", field="--cadence")
    assert caught.value.field == "--cadence"
    assert caught.value.source == "kpis.yaml"


# --- from_spacing --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "kind"),
    [
        (1, CadenceKind.DAILY),
        (0.9, CadenceKind.DAILY),  # about a day: loads drift by a few hours
        (1.2, CadenceKind.DAILY),
        (7, CadenceKind.WEEKLY),
        (6.5, CadenceKind.WEEKLY),
        (30, CadenceKind.MONTHLY),
        (28, CadenceKind.MONTHLY),  # February
        (31, CadenceKind.MONTHLY),
    ],
)
def test_from_spacing_reads_about_a_day_week_or_month_as_that_cadence(
    days: float, kind: CadenceKind
) -> None:
    cadence = Cadence.from_spacing(days * DAY)
    assert cadence.kind is kind
    assert cadence.spacing_seconds is None


@pytest.mark.parametrize("days", [3, 1 / 24, 14, 91])
def test_from_spacing_keeps_any_other_spacing_as_periods_of_that_length(days: float) -> None:
    cadence = Cadence.from_spacing(days * DAY)
    assert cadence.kind is CadenceKind.SPACING
    assert cadence.spacing_seconds == pytest.approx(days * DAY)


def test_from_spacing_of_three_days_says_so() -> None:
    cadence = Cadence.from_spacing(3 * DAY)
    assert cadence == Cadence(CadenceKind.SPACING, expression="3 days", spacing_seconds=3 * DAY)


# --- periods -------------------------------------------------------------------------


def test_daily_periods_are_calendar_days_numbered_from_the_epoch() -> None:
    # 2026-11-22 is day 20779 after 1970-01-01.
    assert periods(
        DAILY,
        datetime(2026, 11, 22, 0, 0),
        datetime(2026, 11, 22, 23, 59, 59),
        datetime(2026, 11, 23, 0, 0),
        date(2026, 11, 25),
    ) == [20779, 20779, 20780, 20782]


def test_weekly_periods_are_iso_weeks_from_monday_to_sunday() -> None:
    # Monday 2026-11-16 .. Sunday 2026-11-22 is ISO week 47; Monday 2026-11-23 starts
    # week 48. The period number is (days since 1970-01-01 + 3) // 7, because the
    # epoch was a Thursday: (20773 + 3) // 7 = 2968.
    week_47 = [date(2026, 11, 16) + timedelta(days=i) for i in range(7)]
    week_48 = [date(2026, 11, 23) + timedelta(days=i) for i in range(7)]
    assert periods(WEEKLY, *week_47) == [2968] * 7
    assert periods(WEEKLY, *week_48) == [2969] * 7


def test_sunday_and_the_next_monday_fall_in_consecutive_weekly_periods() -> None:
    sunday_night = datetime(2026, 11, 22, 23, 59, 59)
    monday_midnight = datetime(2026, 11, 23, 0, 0)
    first, second = periods(WEEKLY, sunday_night, monday_midnight)
    assert second == first + 1


def test_monthly_periods_are_calendar_months() -> None:
    # Months since 1970-01: 2026-01 is (2026 − 1970) · 12 = 672.
    assert periods(
        MONTHLY,
        date(2025, 12, 31),
        date(2026, 1, 1),
        datetime(2026, 1, 31, 23, 59, 59),
        date(2026, 2, 1),
        date(2026, 2, 28),
        date(2026, 3, 1),
    ) == [671, 672, 672, 673, 673, 674]


def test_a_cron_cadence_has_its_period_boundaries_on_its_fire_times() -> None:
    # Fires every Monday 06:00: Monday 05:59 still belongs to the week before.
    assert periods(
        MONDAY_0600,
        datetime(2026, 11, 16, 5, 59),
        datetime(2026, 11, 16, 6, 0),
        datetime(2026, 11, 20, 12, 0),
        datetime(2026, 11, 23, 5, 59, 59),
        datetime(2026, 11, 23, 6, 0),
        datetime(2026, 12, 7, 6, 0),  # two weeks later: a missing period in between
    ) == [0, 1, 1, 1, 2, 4]


def test_a_six_hourly_cron_cadence_starts_a_period_every_six_hours() -> None:
    cadence = Cadence.parse("0 */6 * * *")
    assert periods(
        cadence,
        datetime(2026, 11, 23, 0, 0),
        datetime(2026, 11, 23, 5, 59),
        datetime(2026, 11, 23, 6, 0),
        datetime(2026, 11, 23, 17, 59),
        datetime(2026, 11, 23, 18, 0),
        datetime(2026, 11, 24, 0, 0),
    ) == [0, 0, 1, 2, 3, 4]


def test_a_spacing_cadence_counts_periods_back_from_the_newest_point() -> None:
    # Period 0 is (newest − 3 days, newest]; −1 is (newest − 6 days, newest − 3 days].
    cadence = Cadence.from_spacing(3 * DAY)
    newest = datetime(2026, 11, 23, 12, 0)
    assert periods(
        cadence,
        newest - timedelta(days=6),
        newest - timedelta(days=3, seconds=1),
        newest - timedelta(days=3),
        newest - timedelta(days=3) + timedelta(seconds=1),
        newest,
    ) == [-2, -1, -1, 0, 0]


def test_period_index_of_no_timestamps_is_empty() -> None:
    empty = to_datetime64([])
    for cadence in (DAILY, WEEKLY, MONTHLY, MONDAY_0600, Cadence.from_spacing(3 * DAY)):
        assert cadence.period_index(empty).size == 0


_days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


@given(_days, _days)
def test_weekly_periods_agree_with_iso_weeks(a: date, b: date) -> None:
    pa, pb = periods(WEEKLY, a, b)
    monday_a = a - timedelta(days=a.weekday())
    monday_b = b - timedelta(days=b.weekday())
    assert pb - pa == (monday_b - monday_a).days // 7
    assert (pa == pb) == (a.isocalendar()[:2] == b.isocalendar()[:2])


@given(_days, _days)
def test_monthly_periods_agree_with_calendar_months(a: date, b: date) -> None:
    pa, pb = periods(MONTHLY, a, b)
    assert pb - pa == (b.year - a.year) * 12 + (b.month - a.month)


@given(_days, _days)
def test_daily_periods_agree_with_calendar_days(a: date, b: date) -> None:
    pa, pb = periods(DAILY, a, b)
    assert pb - pa == (b - a).days


# --- freshness -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cadence", "newest", "fresh_until", "stale_from"),
    [
        # daily allows 2 days: the 21st is fresh all through the 23rd, stale on the 24th
        (DAILY, datetime(2026, 11, 21), datetime(2026, 11, 23, 23, 59, 59), datetime(2026, 11, 24)),
        # weekly allows 9 days: 14 November + 9 days = 23 November
        (
            WEEKLY,
            datetime(2026, 11, 14),
            datetime(2026, 11, 23, 23, 59, 59),
            datetime(2026, 11, 24),
        ),
        # monthly allows 35 days: 19 October + 12 days = 31 October, + 23 = 23 November
        (
            MONTHLY,
            datetime(2026, 10, 19),
            datetime(2026, 11, 23, 23, 59, 59),
            datetime(2026, 11, 24),
        ),
    ],
)
def test_named_cadences_allow_whole_days(
    cadence: Cadence, newest: datetime, fresh_until: datetime, stale_from: datetime
) -> None:
    assert not is_stale(newest, cadence, fresh_until)
    assert is_stale(newest, cadence, stale_from)


@pytest.mark.parametrize(
    ("cadence", "fresh", "stale"),
    [
        (DAILY, date(2026, 11, 21), datetime(2026, 11, 20, 23, 59, 59)),
        (WEEKLY, date(2026, 11, 14), datetime(2026, 11, 13, 23, 59, 59)),
        (MONTHLY, date(2026, 10, 19), datetime(2026, 10, 18, 23, 59, 59)),
    ],
)
def test_named_cadences_on_both_sides_of_the_oldest_fresh_day(
    cadence: Cadence, fresh: date, stale: datetime
) -> None:
    as_of = datetime(2026, 11, 23, 10, 0)
    assert not is_stale(as_utc(fresh), cadence, as_of)
    assert is_stale(stale, cadence, as_of)


def test_stale_after_for_named_cadences_is_a_midnight() -> None:
    as_of = datetime(2026, 11, 23, 10, 0)
    assert DAILY.stale_after(as_of) == datetime(2026, 11, 21)
    assert WEEKLY.stale_after(as_of) == datetime(2026, 11, 14)
    assert MONTHLY.stale_after(as_of) == datetime(2026, 10, 19)


def test_a_cron_cadence_allows_two_of_its_intervals() -> None:
    # At Monday 10:00 the last two fires are Monday 06:00 and the Monday before, 06:00:
    # a value from that earlier fire is still fresh, one a minute older is stale.
    as_of = datetime(2026, 11, 23, 10, 0)
    assert MONDAY_0600.stale_after(as_of) == datetime(2026, 11, 16, 6, 0)
    assert not is_stale(datetime(2026, 11, 16, 6, 0), MONDAY_0600, as_of)
    assert is_stale(datetime(2026, 11, 16, 5, 59), MONDAY_0600, as_of)


def test_a_spacing_cadence_allows_two_spacings() -> None:
    cadence = Cadence.from_spacing(3 * DAY)
    as_of = datetime(2026, 11, 23, 12, 0)
    assert not is_stale(datetime(2026, 11, 17, 12, 0), cadence, as_of)  # exactly 6 days
    assert is_stale(datetime(2026, 11, 17, 11, 59, 59), cadence, as_of)


@pytest.mark.parametrize(
    "cadence", [DAILY, WEEKLY, MONTHLY, MONDAY_0600, Cadence.from_spacing(3 * DAY)]
)
def test_no_value_at_all_is_stale(cadence: Cadence) -> None:
    assert is_stale(None, cadence, datetime(2026, 11, 23, 10, 0))


@pytest.mark.parametrize(
    "cadence", [DAILY, WEEKLY, MONTHLY, MONDAY_0600, Cadence.from_spacing(3 * DAY)]
)
def test_a_value_from_right_now_is_fresh(cadence: Cadence) -> None:
    as_of = datetime(2026, 11, 23, 10, 0)
    assert not is_stale(as_of, cadence, as_of)


PLUS_2 = timezone(timedelta(hours=2))
MINUS_5 = timezone(timedelta(hours=-5))


def test_is_stale_converts_an_aware_newest_value_to_utc() -> None:
    as_of = datetime(2026, 11, 23, 12, 0)
    # 01:00 on the 21st at UTC+2 is 23:00 on the 20th in UTC: too old for a daily KPI,
    # although the same wall-clock time read as UTC would be fresh.
    assert is_stale(datetime(2026, 11, 21, 1, 0, tzinfo=PLUS_2), DAILY, as_of)
    assert not is_stale(datetime(2026, 11, 21, 1, 0), DAILY, as_of)


def test_is_stale_converts_an_aware_as_of_to_utc() -> None:
    newest = datetime(2026, 11, 21)
    # 01:00 on the 24th at UTC+2 is still the 23rd in UTC: fresh.
    assert not is_stale(newest, DAILY, datetime(2026, 11, 24, 1, 0, tzinfo=PLUS_2))
    # 20:00 on the 23rd at UTC−5 is already the 24th in UTC: stale.
    assert is_stale(newest, DAILY, datetime(2026, 11, 23, 20, 0, tzinfo=MINUS_5))


_CADENCES = [DAILY, WEEKLY, MONTHLY, MONDAY_0600, Cadence.from_spacing(3 * DAY)]
_moments = st.datetimes(min_value=datetime(2026, 9, 1), max_value=datetime(2026, 12, 31))


@given(
    st.sampled_from(_CADENCES),
    st.lists(st.one_of(st.none(), _moments), max_size=20),
    _moments,
)
def test_stale_batch_equals_is_stale_element_wise(
    cadence: Cadence, newest: list[datetime | None], as_of: datetime
) -> None:
    stamps = np.array(
        [np.datetime64("NaT") if n is None else np.datetime64(n, "s") for n in newest],
        dtype="datetime64[s]",
    )
    expected = [
        is_stale(n if n is None else n.replace(microsecond=0), cadence, as_of) for n in newest
    ]
    assert stale_batch(stamps, cadence, as_of).tolist() == expected


def test_stale_batch_on_the_daily_example() -> None:
    # At 23 November: the 21st is fresh, the 20th stale, no value (NaT) stale.
    stamps = np.array(["2026-11-21", "2026-11-20T23:59:59", "NaT"], dtype="datetime64[s]")
    assert stale_batch(stamps, DAILY, datetime(2026, 11, 23, 10, 0)).tolist() == [
        False,
        True,
        True,
    ]


# --- time helpers --------------------------------------------------------------------


def test_as_utc_reads_a_date_as_its_midnight() -> None:
    assert as_utc(date(2026, 11, 23)) == datetime(2026, 11, 23, 0, 0)


def test_as_utc_keeps_a_naive_datetime_and_converts_an_aware_one() -> None:
    assert as_utc(datetime(2026, 11, 23, 10, 30)) == datetime(2026, 11, 23, 10, 30)
    converted = as_utc(datetime(2026, 11, 23, 1, 30, tzinfo=PLUS_2))
    assert converted == datetime(2026, 11, 22, 23, 30)
    assert converted.tzinfo is None
    assert as_utc(datetime(2026, 11, 23, 1, 30, tzinfo=UTC)) == datetime(2026, 11, 23, 1, 30)


def test_to_datetime64_gives_utc_seconds() -> None:
    stamps = to_datetime64([date(2026, 11, 23), datetime(2026, 11, 23, 20, 0, 5, tzinfo=MINUS_5)])
    assert stamps.dtype == np.dtype("datetime64[s]")
    assert stamps.tolist() == [datetime(2026, 11, 23), datetime(2026, 11, 24, 1, 0, 5)]


def test_median_spacing_is_over_distinct_times_in_seconds() -> None:
    stamps = to_datetime64(
        [
            date(2026, 11, 1),
            date(2026, 11, 1),  # a second segment on the same day is not a spacing of 0
            date(2026, 11, 2),
            date(2026, 11, 3),
            date(2026, 11, 5),
        ]
    )
    # Distinct spacings 1, 1, 2 days: the median is 1 day.
    assert median_spacing(stamps) == DAY


def test_median_spacing_ignores_the_order_of_timestamps() -> None:
    stamps = to_datetime64([date(2026, 11, 15), date(2026, 11, 1), date(2026, 11, 8)])
    assert median_spacing(stamps) == 7 * DAY


@pytest.mark.parametrize(
    "moments", [[], [date(2026, 11, 1)], [date(2026, 11, 1), date(2026, 11, 1)]]
)
def test_median_spacing_needs_two_distinct_times(moments: list[date]) -> None:
    assert median_spacing(to_datetime64(moments)) is None


def test_epoch_seconds_read_naive_moments_as_utc_and_convert_aware_ones():
    from datetime import date, datetime, timedelta, timezone

    assert epoch_seconds(datetime(1970, 1, 2)) == DAY
    assert epoch_seconds(date(1970, 1, 2)) == DAY
    plus_two = timezone(timedelta(hours=2))
    assert epoch_seconds(datetime(1970, 1, 2, 2, 0, tzinfo=plus_two)) == DAY


# --- a cadence a KPI can be judged by ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0 0 30 2 *", "the cadence `0 0 30 2 *` never fires (30 February)"),
        ("0 0 31 4,6 *", "never fires (31 April, 31 June)"),
        ("0 0 29 2 *", "fires less than once a year (29 February)"),
        ("0 0 * 2 1#5", "fires less than once a year: it does not fire from 1 January 2000"),
        (
            "* * * * * *",
            "`* * * * * *` fires every second; the most often a KPI can be judged is hourly",
        ),
        ("*/5 * * * *", "fires every 5 minutes; the most often"),
        ("0,30 9 * * *", "fires 30 minutes apart; the most often"),
    ],
)
def test_a_cron_that_fires_less_than_yearly_or_more_than_hourly_is_refused_saying_which(
    text: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        Cadence.parse(text, field="cadence")
    assert caught.value.field == "cadence"
    assert message in caught.value.message
    # Stored before the rule, it still reads, and says why it can't be judged.
    stored = Cadence.read(text)
    assert stored.problem == caught.value.message


@pytest.mark.parametrize(
    "text", ["0 * * * *", "0 6 * * 1", "0 0 1 1 *", "0 0 L * *", "0 0 31 * *", "0 6 * * * 30"]
)
def test_hourly_to_yearly_schedules_are_kept(text: str) -> None:
    assert Cadence.parse(text).problem is None


def test_reading_a_stored_cadence_never_fails() -> None:
    assert Cadence.read("weekly") == WEEKLY
    assert Cadence.read("often").problem == (
        "'often' is not a cadence; use daily, weekly, monthly or a cron expression such as "
        "'0 6 * * 1'"
    )


def _croniter_steps(run) -> int:  # type: ignore[no-untyped-def]
    """How many schedule steps (croniter's get_next / get_prev) `run()` takes."""
    import sys

    steps = 0

    def count(frame, event, arg):  # type: ignore[no-untyped-def]
        nonlocal steps
        if event == "call" and frame.f_code.co_name in {"get_next", "get_prev"}:
            steps += "croniter" in frame.f_code.co_filename
        return None

    sys.setprofile(count)
    try:
        run()
    finally:
        sys.setprofile(None)
    return steps


def test_a_stored_per_second_cron_is_refused_before_enumerating_a_period() -> None:
    every_second = Cadence.read("* * * * * *")
    a_year = to_datetime64([date(2025, 1, 1), date(2026, 1, 1)])

    def judge() -> None:
        with pytest.raises(InvalidInput, match="fires every second"):
            every_second.period_index(a_year)
        with pytest.raises(InvalidInput, match="fires every second"):
            every_second.period_start(datetime(2026, 1, 1), back=59)

    assert _croniter_steps(judge) == 0


def test_enumerating_a_schedules_periods_is_bounded() -> None:
    hourly = Cadence.parse("0 * * * *")
    ten_years = to_datetime64([date(2016, 1, 1), date(2026, 1, 1)])
    steps = _croniter_steps(lambda: _refused(hourly, ten_years))
    assert steps <= MAX_CRON_PERIODS + 2


def _refused(cadence: Cadence, stamps: np.ndarray) -> None:  # type: ignore[type-arg]
    with pytest.raises(InvalidInput, match="more than 20,000 periods of the cadence"):
        cadence.period_index(stamps)


def test_a_window_is_found_in_as_many_steps_as_it_has_periods() -> None:
    hourly = Cadence.parse("0 * * * *")
    start = hourly.period_start(datetime(2026, 11, 23, 9, 30), back=59)
    assert start == datetime(2026, 11, 20, 22, 0)
    steps = _croniter_steps(lambda: hourly.period_start(datetime(2026, 11, 23, 9, 30), back=59))
    assert steps <= 61


@pytest.mark.parametrize(
    ("cadence", "moment", "back", "start"),
    [
        (DAILY, datetime(2026, 11, 23, 9), 2, datetime(2026, 11, 21)),
        (WEEKLY, datetime(2026, 11, 25, 9), 1, datetime(2026, 11, 16)),
        (MONTHLY, datetime(2026, 1, 25, 9), 1, datetime(2025, 12, 1)),
        (MONDAY_0600, datetime(2026, 11, 23, 5, 59), 0, datetime(2026, 11, 16, 6)),
    ],
)
def test_a_period_starts_where_period_index_says(cadence, moment, back, start) -> None:  # type: ignore[no-untyped-def]
    assert cadence.period_start(moment, back=back) == start
    index = periods(cadence, start, moment)
    assert index[1] - index[0] == back
