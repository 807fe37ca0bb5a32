"""A KPI's cadence: how often it gets a new value, what one period is, and when it is stale.

Rules (docs/rules.md, "Trend" and "Freshness"):

- a period is one step of the cadence — a calendar day, an ISO week (Monday to Sunday),
  a calendar month, or one interval of a cron schedule; a series without a declared
  cadence uses its median spacing, with periods counted back from its newest point;
- a KPI is stale when its newest value is older than the cadence allows: daily 2 days,
  weekly 9 days, monthly 35 days, a cron schedule two of its intervals, a median spacing
  two spacings. Stale data is flagged, not trusted.

Time is UTC throughout the domain: naive datetimes are UTC, NumPy timestamps are
`datetime64[s]`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

import numpy as np
import numpy.typing as npt
from croniter import croniter

from okrkit.domain.errors import InvalidInput

__all__ = [
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
# A cron schedule firing more often than this over a series is refused, not enumerated.
_MAX_CRON_FIRES = 1_000_000


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
            return cls(CadenceKind.CRON, expression=cleaned)
        raise InvalidInput(
            f"{text!r} is not a cadence; use daily, weekly, monthly or a cron expression "
            "such as '0 6 * * 1'",
            source=source,
            field=field,
        )

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
        first = datetime.fromtimestamp(int(seconds.min()), UTC).replace(tzinfo=None)
        last = int(seconds.max())
        schedule = croniter(self.expression, first + timedelta(seconds=1))
        fires = [int(schedule.get_prev(float))]
        while fires[-1] <= last:
            if len(fires) > _MAX_CRON_FIRES:
                raise InvalidInput(
                    f"cron cadence {self.expression!r} fires more than {_MAX_CRON_FIRES:,} "
                    "times over this series; use a coarser schedule",
                    field="cadence",
                )
            fires.append(int(schedule.get_next(float)))
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
        assert self.expression is not None
        # Starting a second later makes a fire exactly at `as_of` count as happened.
        schedule = croniter(self.expression, as_of + timedelta(seconds=1))
        fire = as_of
        for _ in range(_ALLOWED_INTERVALS):
            fire = schedule.get_prev(datetime)
        return fire


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
