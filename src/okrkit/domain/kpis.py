"""A KPI's definition: the always-on health metric a team reviews forever.

The shared meaning of the number, which way is better, its target and thresholds, its
cadence, owner and team. Its values are a time series (`okrkit.domain.values`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from okrkit.domain.cadence import Cadence
from okrkit.domain.health import Direction, Thresholds
from okrkit.domain.versions import Revision

__all__ = ["Kpi", "KpiKind", "StoredKpi"]


class KpiKind(StrEnum):
    """A leading KPI moves first and predicts a lagging one, which reports the result."""

    LEADING = "leading"
    LAGGING = "lagging"


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
