"""A KPI's definition: the always-on health metric a team reviews forever.

The shared meaning of the number, which way is better, its target and thresholds, its
cadence, owner and team. Its values are a time series (`okrkit.domain.values`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from okrkit.domain.cadence import Cadence
from okrkit.domain.fields import MAX_PROSE, MAX_SOURCE, declare
from okrkit.domain.health import Direction, Thresholds
from okrkit.domain.keys import MAX_KEY_LENGTH
from okrkit.domain.versions import Revision

__all__ = ["Kpi", "KpiKind", "StoredKpi"]


class KpiKind(StrEnum):
    """A leading KPI moves first and predicts a lagging one, which reports the result."""

    LEADING = "leading"
    LAGGING = "lagging"


@dataclass(frozen=True)
class Kpi:
    """A KPI's definition: everything but its values.

    Each field is declared once, here: the API, goals files, the KPI form, the CLI's
    options, the store's columns and the audit log derive their shapes from these
    declarations (`domain.fields`).
    """

    key: str = declare(
        "Stable key: lower-case letters, digits, '-' and '_', e.g. trial_to_paid.",
        max_length=MAX_KEY_LENGTH,
        key=True,
        editable=False,
    )
    name: str = declare("Display name.", max_length=200, nonblank=True)
    direction: Direction = declare("Which way is better: higher or lower.", max_length=8)
    cadence: Cadence = declare(
        "How often it gets a value: daily, weekly, monthly or a cron expression.",
        max_length=100,
    )
    team: str = declare(
        "Key of the team whose dashboard shows it.", max_length=MAX_KEY_LENGTH, key=True
    )
    unit: str = declare(
        "count, percent, currency, ms, hours, ratio, score, … (none: a plain number)",
        default="",
        max_length=32,
    )
    lowest: float | None = declare(
        "The lowest value it can have, when not its unit's (0 for percent, ratio, counts "
        "and durations).",
        default=None,
    )
    highest: float | None = declare(
        "The highest value it can have, when not its unit's (100 for percent, 1 for ratio).",
        default=None,
    )
    description: str = declare(
        "The shared definition of the number.", default="", max_length=MAX_PROSE, prose=True
    )
    target: float | None = declare("Target value.", default=None)
    thresholds: Thresholds | None = declare(
        "The green and red bounds; both bounds belong to yellow.", default=None
    )
    owner: str | None = declare("Who answers for it.", default=None, max_length=254)
    kind: KpiKind = declare(
        "leading (moves first) or lagging (reports the result).",
        default=KpiKind.LAGGING,
        max_length=8,
    )
    north_star: bool = declare("The North Star metric of the organisation.", default=False)
    guardrail: bool = declare("A guardrail: must not get worse.", default=False)
    formula: str | None = declare(
        "A derived KPI's formula over other KPIs' keys, e.g. arpa = mrr / paying_customers.",
        default=None,
        max_length=MAX_SOURCE,
        prose=True,
    )
    source: str | None = declare(
        "Where its values come from.", default=None, max_length=MAX_SOURCE, prose=True
    )
    private: bool = declare(
        "Visible to its team's members and admins only (a reorg, a pricing bet).", default=False
    )


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
