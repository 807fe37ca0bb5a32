"""A KPI's values: a time series of (timestamp, value), optionally per segment ("plan=pro");
and the one rule for every moment and day okrkit is given (`check_moment`, `check_day`).

Rule: okrkit keeps the years 1900 to 2999. No KPI was measured before 1900 (the first
day of spreadsheets' calendar), so an earlier date is a typo — 0025 for 2025, a year 1
from an empty cell — and a date after 2999 is one too; refusing them where they are
typed keeps every later sum of a date and a cadence, a cycle or a clock skew far inside
the calendar Python, numpy and the databases can hold (years 1 to 9999), so no page or
command can fail on a date it accepted. Every edge applies it: values posted or
imported, the API's `from`, `to` and `as_of`, a KPI's baseline, the dates of cycles
and key results, and the CLI's `--today`, `--from`, `--to`, `--start`, `--end` and
`--deadline`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np
import numpy.typing as npt

from okrkit.domain.cadence import Cadence, median_spacing, to_datetime64
from okrkit.domain.errors import InvalidInput

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "YEARS_RULE",
    "Series",
    "check_day",
    "check_moment",
    "check_year",
]

FIRST_YEAR, LAST_YEAR = 1900, 2999
YEARS_RULE = f"okrkit keeps the years {FIRST_YEAR} to {LAST_YEAR}"


def check_year(year: int, what: str, field: str | None = None) -> int:
    """The year itself when okrkit keeps it, else an `InvalidInput` naming `field` and
    saying `what` is out of range (the date or moment as written)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(f"{what} is out of range: {YEARS_RULE}", field=field)
    return year


def check_day(day: date, field: str | None = None) -> date:
    """The day itself when its year is one okrkit keeps, else an `InvalidInput` naming
    `field`."""
    check_year(day.year, day.isoformat(), field)
    return day


def check_moment(moment: datetime, field: str | None = None) -> datetime:
    """The moment itself when it falls in the years okrkit keeps — as written and in
    UTC (naive is UTC) — else an `InvalidInput` naming `field`."""
    # The year as written first, so the conversion to UTC cannot overflow.
    if FIRST_YEAR <= moment.year <= LAST_YEAR:
        utc = moment if moment.tzinfo is None else moment.astimezone(UTC)
        if FIRST_YEAR <= utc.year <= LAST_YEAR:
            return moment
    raise InvalidInput(f"{moment.isoformat()} is out of range: {YEARS_RULE}", field=field)


@dataclass(frozen=True)
class Series:
    """A time series sorted by time: `timestamps` (UTC, `datetime64[s]`) and `values`.

    `segments` names each point's segment, or is None when the series has none.
    """

    timestamps: npt.NDArray[np.datetime64]
    values: npt.NDArray[np.float64]
    segments: tuple[str | None, ...] | None = field(default=None)

    @classmethod
    def from_points(cls, points: Iterable[tuple[date | datetime, float]]) -> Series:
        """A series from (moment, value) pairs in any order; sorted by time, stable."""
        pairs = list(points)
        timestamps = to_datetime64([p[0] for p in pairs])
        values = np.array([p[1] for p in pairs], dtype=np.float64)
        order = np.argsort(timestamps, kind="stable")
        return cls(timestamps[order], values[order])

    def __len__(self) -> int:
        return int(self.values.size)

    @property
    def newest(self) -> datetime | None:
        """The time of the newest value, or None for an empty series."""
        if not len(self):
            return None
        return self.timestamps[-1].astype("datetime64[s]").item()  # type: ignore[no-any-return]

    def implied_cadence(self) -> Cadence | None:
        """The cadence the median spacing implies, or None with fewer than 2 times."""
        spacing = median_spacing(self.timestamps)
        return None if spacing is None else Cadence.from_spacing(spacing)

    def tail(self, points: int) -> Series:
        """The newest `points` values (none for 0)."""
        first = max(len(self) - points, 0)
        segments = None if self.segments is None else self.segments[first:]
        return Series(self.timestamps[first:], self.values[first:], segments)
