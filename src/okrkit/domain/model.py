"""Value objects shared by the rules: a team, a KPI's definition, a time series.

A KPI is the always-on health metric a team reviews forever: its definition (the
shared meaning of the number), which way is better, its target and thresholds, its
cadence, owner and team. Its values are a time series of (timestamp, value), optionally
per segment ("plan=pro").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from okrkit.domain.cadence import Cadence, median_spacing, to_datetime64
from okrkit.domain.errors import Conflict
from okrkit.domain.health import Direction, Thresholds

__all__ = ["Kpi", "KpiKind", "Revision", "Series", "StoredKpi", "StoredTeam", "Team"]


class KpiKind(StrEnum):
    """A leading KPI moves first and predicts a lagging one, which reports the result."""

    LEADING = "leading"
    LAGGING = "lagging"


@dataclass(frozen=True)
class Team:
    """A team that watches KPIs and commits to objectives."""

    key: str
    name: str


@dataclass(frozen=True)
class Kpi:
    """A KPI's definition: everything but its values."""

    key: str
    name: str
    unit: str
    direction: Direction
    cadence: Cadence
    team: str
    description: str = ""
    target: float | None = None
    thresholds: Thresholds | None = None
    owner: str | None = None
    kind: KpiKind = KpiKind.LAGGING
    north_star: bool = False
    guardrail: bool = False
    formula: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Revision:
    """Which version an edited thing is at, and who made that version when.

    Every change bumps the version; a change based on an older version is refused
    (optimistic concurrency), never silently overwritten.
    """

    version: int
    changed_at: datetime
    changed_by: str

    def conflict(self, what: str, expected_version: int) -> Conflict:
        """The error for a write based on `expected_version` of `what` ("KPI 'churn'"):
        who changed it since, when, and what to do."""
        return Conflict(
            f"{what} was changed by {self.changed_by} at {self.changed_at:%Y-%m-%d %H:%M} UTC "
            f"(now version {self.version}, yours {expected_version}): reload and apply your "
            "change again"
        )


@dataclass(frozen=True)
class StoredTeam:
    """A team as the workspace keeps it."""

    team: Team
    revision: Revision
    parent: str | None = None
    archived: bool = False


@dataclass(frozen=True)
class StoredKpi:
    """A KPI as the workspace keeps it: its definition, how it is judged, its revision.

    `window_periods` is how many cadence periods the dashboard judges it on; a locked
    `baseline` (from, to) keeps its XmR limits put until its owner relocks it.
    `values_version` counts the writes of its values (the revision counts the edits of
    its definition).
    """

    kpi: Kpi
    revision: Revision
    window_periods: int = 60
    baseline: tuple[datetime, datetime] | None = None
    archived: bool = False
    values_version: int = 0


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
