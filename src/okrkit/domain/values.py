"""A KPI's values: a time series of (timestamp, value), optionally per segment ("plan=pro")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import numpy.typing as npt

from okrkit.domain.cadence import Cadence, median_spacing, to_datetime64

__all__ = ["Series"]


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
