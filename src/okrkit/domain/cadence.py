"""A KPI's cadence: how often it gets a new value, what one period is, and when it is stale.

Rules (docs/rules.md, "Trend" and "Freshness"):

- a period is one step of the cadence — a calendar day, an ISO week (Monday to Sunday),
  a calendar month, or one interval of a cron schedule; a series without a declared
  cadence uses its median spacing, with periods counted back from its newest point;
- a KPI is stale when its newest value is older than the cadence allows: daily 2 days,
  weekly 9 days, monthly 35 days, a cron schedule two of its intervals, a median spacing
  two spacings. Stale data is flagged, not trusted;
- a cron schedule a KPI declares fires at least once a year and at most once an hour:
  one that never fires, skips a year (29 February) or fires every minute cannot be
  judged, so it is refused when written (`Cadence.parse`); one written before the rule
  (`Cadence.read`) says why it cannot be judged (`Cadence.problem`);
- enumerating a cron schedule's periods stops at `MAX_CRON_PERIODS`: every judgement
  costs bounded time.

Time is UTC throughout the domain: naive datetimes are UTC, NumPy timestamps are
`datetime64[s]`.
"""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

import numpy as np
import numpy.typing as npt
from croniter import CroniterError, croniter

from okrkit.domain.errors import InvalidInput

__all__ = [
    "longest_period",
    "MAX_CRON_PERIODS",
    "Cadence",
    "CadenceKind",
    "as_utc",
    "epoch_seconds",
    "is_stale",
    "stale_batch",
    "median_spacing",
    "to_datetime64",
]

Timestamps = npt.NDArray[np.datetime64]

SECONDS_PER_DAY = 86_400
# 1970-01-01 was a Thursday: shifting by 3 days puts every Monday on a multiple of 7.
_MONDAY_SHIFT_DAYS = 3
# How old the newest value may be, in whole days, before a KPI of that cadence is stale.
_ALLOWED_DAYS = {"daily": 2, "weekly": 9, "monthly": 35}
# Cron and spacing cadences allow this many of their intervals.
_ALLOWED_INTERVALS = 2
# The most periods of a cron schedule one judgement enumerates: a span holding more is
# refused with a reason (about 2.3 years of an hourly schedule; a KPI's window is at most
# 1,000 periods and is cut without enumerating the span before it).
MAX_CRON_PERIODS = 20_000
# A cron schedule must fire at least once a year and at most once an hour.
_YEAR = timedelta(days=366)
_HOUR_SECONDS = 3_600
_SECOND = timedelta(seconds=1)
# The fires checked for the yearly rule: the Gregorian calendar (leap years, weekdays)
# repeats every 400 years, so four centuries from a fixed day see every case.
_CHECKED_FROM = datetime(2000, 1, 1)
_CHECKED_UNTIL = datetime(2400, 1, 1)


class CadenceKind(StrEnum):
    """The kinds of cadence a KPI can declare (or a series can imply)."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    CRON = "cron"
    SPACING = "spacing"


def as_utc(moment: date | datetime) -> datetime:
    """A date or datetime as a naive UTC datetime: a date is its midnight UTC."""
    if isinstance(moment, datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        return moment
    return datetime(moment.year, moment.month, moment.day)


def epoch_seconds(moment: date | datetime) -> int:
    """A moment (naive is UTC) as whole seconds since 1970-01-01 UTC, as the store keys
    values."""
    return int(as_utc(moment).replace(tzinfo=UTC).timestamp())


def to_datetime64(moments: list[datetime] | list[date]) -> Timestamps:
    """Python dates or datetimes as a `datetime64[s]` array (UTC)."""
    return np.array([as_utc(m) for m in moments], dtype="datetime64[s]")


def median_spacing(timestamps: Timestamps) -> float | None:
    """Median distance in seconds between successive distinct timestamps, or None."""
    distinct = np.unique(timestamps.astype(np.int64))
    if distinct.size < 2:
        return None
    return float(np.median(np.diff(distinct)))


@dataclass(frozen=True)
class Cadence:
    """How often a KPI gets a value; `expression` holds the cron text or the spacing."""

    kind: CadenceKind
    expression: str | None = None
    spacing_seconds: float | None = None

    @classmethod
    def parse(cls, text: str, *, source: str | None = None, field: str = "cadence") -> Cadence:
        """Read `daily`, `weekly`, `monthly` or a cron expression ("0 6 * * 1")."""
        cleaned = " ".join(text.split())
        lowered = cleaned.lower()
        if lowered in _ALLOWED_DAYS:
            return cls(CadenceKind(lowered))
        if len(cleaned.split(" ")) in (5, 6) and croniter.is_valid(cleaned):
            return cls(CadenceKind.CRON, expression=cleaned).check(source=source, field=field)
        raise InvalidInput(
            f"{text!r} is not a cadence; use daily, weekly, monthly or a cron expression "
            "such as '0 6 * * 1'",
            source=source,
            field=field,
        )

    @classmethod
    def read(cls, text: str) -> Cadence:
        """A cadence okrkit wrote itself (a stored definition), read without checking it
        again: never raises, so a definition stored before a rule existed can still be
        listed and shown; `problem` says why it cannot be judged."""
        cleaned = " ".join(text.split())
        if cleaned.lower() in _ALLOWED_DAYS:
            return cls(CadenceKind(cleaned.lower()))
        return cls(CadenceKind.CRON, expression=cleaned)

    @property
    def problem(self) -> str | None:
        """Why a KPI of this cadence cannot be judged, or None: a cron schedule that is
        not one, never fires, fires less than once a year or more than once an hour."""
        if self.kind is not CadenceKind.CRON:
            return None
        return _cron_problem(self.expression or "")

    def check(self, *, source: str | None = None, field: str = "cadence") -> Cadence:
        """Refuse a cadence a KPI cannot be judged by (`problem`), naming the field;
        return self."""
        problem = self.problem
        if problem is not None:
            raise InvalidInput(problem, source=source, field=field)
        return self

    @classmethod
    def from_spacing(cls, seconds: float) -> Cadence:
        """The cadence a series implies by its median spacing.

        A spacing of about a day, a week or a month is read as that named cadence (so a
        file of weekly values gets the weekly period and staleness rule); any other
        spacing becomes periods of exactly that length.
        """
        days = seconds / SECONDS_PER_DAY
        if 0.75 <= days <= 1.5:
            return cls(CadenceKind.DAILY)
        if 5 <= days <= 9:
            return cls(CadenceKind.WEEKLY)
        if 26 <= days <= 35:
            return cls(CadenceKind.MONTHLY)
        return cls(CadenceKind.SPACING, expression=f"{days:g} days", spacing_seconds=seconds)

    def __str__(self) -> str:
        if self.kind is CadenceKind.CRON and self.expression:
            return self.expression
        return self.kind.value

    @property
    def period_name(self) -> str:
        """One step of the cadence in words: day, week, month, or point."""
        names = {CadenceKind.DAILY: "day", CadenceKind.WEEKLY: "week", CadenceKind.MONTHLY: "month"}
        return names.get(self.kind, "point")

    def period_index(self, timestamps: Timestamps) -> npt.NDArray[np.int64]:
        """The period each timestamp falls in, as integers that grow by 1 per period.

        Consecutive periods differ by exactly 1, so a missing period is a gap in the
        numbers. For a spacing cadence the newest timestamp's period is 0 and earlier
        ones are negative: period 0 is (newest − spacing, newest].
        """
        seconds = timestamps.astype("datetime64[s]").astype(np.int64)
        if self.kind is CadenceKind.DAILY:
            return seconds // SECONDS_PER_DAY
        if self.kind is CadenceKind.WEEKLY:
            return (seconds // SECONDS_PER_DAY + _MONDAY_SHIFT_DAYS) // 7
        if self.kind is CadenceKind.MONTHLY:
            return timestamps.astype("datetime64[M]").astype(np.int64)
        if self.kind is CadenceKind.SPACING:
            assert self.spacing_seconds is not None
            if seconds.size == 0:
                return seconds
            back: npt.NDArray[np.float64] = np.floor(
                (seconds.max() - seconds) / self.spacing_seconds
            )
            return (-back).astype(np.int64)
        return self._cron_period_index(seconds)

    def _cron_period_index(self, seconds: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        # The period of a timestamp is the cron interval that starts at the last fire
        # at or before it; the fires are enumerated once over the series' span.
        if seconds.size == 0:
            return seconds
        assert self.expression is not None
        self.check()
        first = datetime.fromtimestamp(int(seconds.min()), UTC).replace(tzinfo=None)
        last = int(seconds.max())
        try:
            schedule = croniter(self.expression, first + timedelta(seconds=1))
            fires = [int(schedule.get_prev(float))]
            while fires[-1] <= last:
                if len(fires) > MAX_CRON_PERIODS:
                    raise InvalidInput(
                        f"the values span more than {MAX_CRON_PERIODS:,} periods of the "
                        f"cadence `{self.expression}`; choose a coarser cadence",
                        field="cadence",
                    )
                fires.append(int(schedule.get_next(float)))
        except CroniterError as error:
            raise self._unreadable(error) from None
        starts = np.array(fires, dtype=np.int64)
        index: npt.NDArray[np.int64] = np.searchsorted(starts, seconds, side="right") - 1
        return index

    def stale_after(self, as_of: datetime) -> datetime:
        """The oldest newest-value time that is still fresh at `as_of`.

        Daily, weekly and monthly count whole days (a value dated 21 November is fresh
        on the 23rd for a daily KPI, stale on the 24th); cron and spacing cadences allow
        two of their intervals before `as_of`.
        """
        if self.kind.value in _ALLOWED_DAYS:
            cutoff = as_of.date() - timedelta(days=_ALLOWED_DAYS[self.kind.value])
            return datetime(cutoff.year, cutoff.month, cutoff.day)
        if self.kind is CadenceKind.SPACING:
            assert self.spacing_seconds is not None
            return as_of - timedelta(seconds=_ALLOWED_INTERVALS * self.spacing_seconds)
        return self.period_start(as_of, back=_ALLOWED_INTERVALS - 1)

    def period_start(self, moment: datetime, *, back: int = 0) -> datetime:
        """When the period `back` periods before the one holding `moment` starts (a cron
        schedule's fire at or before it, then `back` fires earlier): `back` + 1 steps of
        the schedule, however long its values span. Daily, weekly and monthly periods
        start at midnight UTC."""
        day = moment.date()
        if self.kind is CadenceKind.DAILY:
            return datetime.combine(day - timedelta(days=back), datetime.min.time())
        if self.kind is CadenceKind.WEEKLY:
            monday = day - timedelta(days=day.weekday() + 7 * back)
            return datetime.combine(monday, datetime.min.time())
        if self.kind is CadenceKind.MONTHLY:
            months = day.year * 12 + day.month - 1 - back
            return datetime(months // 12, months % 12 + 1, 1)
        if self.kind is CadenceKind.SPACING:
            assert self.spacing_seconds is not None
            return moment - timedelta(seconds=(back + 1) * self.spacing_seconds)
        self.check()
        assert self.expression is not None
        try:
            # Starting a second later makes a fire exactly at `moment` count as happened.
            schedule = croniter(self.expression, moment + timedelta(seconds=1))
            fire = moment
            for _ in range(back + 1):
                fire = schedule.get_prev(datetime)
        except CroniterError as error:
            raise self._unreadable(error) from None
        return fire

    def _unreadable(self, error: CroniterError) -> InvalidInput:
        return InvalidInput(
            f"the cadence `{self.expression}` has no fire near these dates ({error})",
            field="cadence",
        )


_UNITS = ((_HOUR_SECONDS, "hour"), (60, "minute"), (1, "second"))


def _every(seconds: int) -> str:
    """A span of at most an hour in words: 'second', '5 minutes', '90 seconds'."""
    for size, name in _UNITS:
        if seconds % size == 0:
            count = seconds // size
            return name if count == 1 else f"{count} {name}s"
    raise AssertionError(seconds)  # pragma: no cover (a second divides every span)


def _offsets(values: list[int | str], size: int) -> list[int]:
    return list(range(size)) if "*" in values else sorted(int(v) for v in values)


def _hourly_problem(expression: str, fields: list[list[int | str]]) -> str | None:
    """Why a schedule fires more than once an hour, or None: within an hour it fires at
    each of its minutes (and seconds), so more than one of them is too often."""
    seconds = _offsets(fields[5], 60) if len(fields) > 5 else [0]
    fires = sorted(60 * minute + second for minute in _offsets(fields[0], 60) for second in seconds)
    if len(fires) < 2:
        return None
    gaps = [b - a for a, b in zip(fires, fires[1:], strict=False)]
    every_hour = fields[1] == ["*"]
    if every_hour:
        gaps.append(fires[0] + _HOUR_SECONDS - fires[-1])
    often = (
        f"every {_every(gaps[0])}"
        if every_hour and len(set(gaps)) == 1
        else f"{_every(min(gaps))} apart"
    )
    return f"the cadence `{expression}` fires {often}; the most often a KPI can be judged is hourly"


def _missing_days(fields: list[list[int | str]], year: int) -> str:
    """The days of the month a schedule names that its months lack in `year` (2000 a
    leap year, 2001 not), in words — ' (30 February)' — when it names days by date
    alone; else nothing."""
    days, months, weekdays = fields[2], fields[3], fields[4]
    if weekdays != ["*"] or not all(isinstance(d, int) for d in days):
        return ""
    named = [
        f"{day} {calendar.month_name[month]}"
        for month in _offsets(months, 13)
        if month > 0
        for day in days
        if isinstance(day, int) and day > calendar.monthrange(year, month)[1]
    ]
    return f" ({', '.join(named[:3])})" if named else ""


@functools.lru_cache(maxsize=256)
def _cron_problem(expression: str) -> str | None:
    """Why a cron schedule cannot be a KPI's cadence, or None (see `Cadence.problem`).

    At most once an hour is read from its fields; at least once a year is checked by
    walking four centuries a year at a time (the last fire within a year of each fire
    must be a later one): about 400 steps however often it fires.
    """
    fields = expression.split(" ")
    if len(fields) not in (5, 6) or not croniter.is_valid(expression):
        return (
            f"{expression!r} is not a cadence; use daily, weekly, monthly or a cron "
            "expression such as '0 6 * * 1'"
        )
    expanded: list[list[int | str]] = list(croniter(expression).expanded)  # type: ignore[arg-type]
    often = _hourly_problem(expression, expanded)
    if often is not None:
        return often
    try:
        fire = croniter(expression, _CHECKED_FROM - _SECOND).get_next(datetime)
        gap: tuple[datetime, datetime] | None = (
            (_CHECKED_FROM, fire) if fire - _CHECKED_FROM > _YEAR else None
        )
        while gap is None and fire < _CHECKED_UNTIL:
            later = croniter(expression, fire + _YEAR + _SECOND).get_prev(datetime)
            gap = (fire, fire + _YEAR) if later <= fire else None
            fire = later
    except CroniterError:
        return f"the cadence `{expression}` never fires{_missing_days(expanded, 2000)}"
    if gap is None:
        return None
    return (
        f"the cadence `{expression}` fires less than once a year"
        f"{_missing_days(expanded, 2001)}: it does not fire from {gap[0]:%-d %B %Y} to "
        f"{gap[1]:%-d %B %Y}; a KPI must be judged at least once a year"
    )


def is_stale(newest: datetime | None, cadence: Cadence, as_of: datetime) -> bool:
    """Whether a KPI whose newest value is at `newest` is stale at `as_of`.

    No value at all is stale: there is nothing to trust.
    """
    if newest is None:
        return True
    return as_utc(newest) < cadence.stale_after(as_utc(as_of))


def stale_batch(
    newest: npt.NDArray[np.datetime64], cadence: Cadence, as_of: datetime
) -> npt.NDArray[np.bool_]:
    """`is_stale` for many KPIs of one cadence: one newest time (UTC) per KPI.

    NaT (no value at all) is stale.
    """
    cutoff = np.datetime64(cadence.stale_after(as_utc(as_of)), "s")
    newest_s = newest.astype("datetime64[s]")
    stale: npt.NDArray[np.bool_] = np.isnat(newest_s) | (newest_s < cutoff)
    return stale


# The longest one period of each fixed cadence can last.
_LONGEST = {
    CadenceKind.DAILY: timedelta(days=1),
    CadenceKind.WEEKLY: timedelta(days=7),
    CadenceKind.MONTHLY: timedelta(days=31),
}


def longest_period(cadence: Cadence) -> timedelta:
    """The longest one period of a cadence can last (a cron's: its spacing, else at most
    a year, the longest gap between two of its fires)."""
    if cadence.kind in _LONGEST:
        return _LONGEST[cadence.kind]
    if cadence.spacing_seconds:
        return timedelta(seconds=cadence.spacing_seconds)
    return timedelta(days=366)
