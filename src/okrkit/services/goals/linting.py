"""The workspace linted as goals: `okrkit lint` without files, and `/lint/findings`.

The workspace is read as goals (`reading.read_goals`, each entry at its page's address)
and judged with every rule, its KPIs' data as the workspace knows it
(`services.lint.kpi_facts`), the rules its settings switch off left out. It judges
what its reader may see (`read_goals`): a private KPI or objective of a team they are
not in, or a key result under one, is neither found nor counted, and a rule about a
whole team counts only what they see.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from okrkit.domain.access import Actor
from okrkit.domain.cycles import CycleState
from okrkit.domain.goals import Goals
from okrkit.domain.lint import DATA_RULES, RULES, Finding, lint
from okrkit.services.goals.reading import read_goals, seen_kpis
from okrkit.services.lint import kpi_facts
from okrkit.services.ports import UnitOfWork
from okrkit.services.settings import current_settings

__all__ = ["WorkspaceLint", "lint_workspace"]


@dataclass(frozen=True)
class WorkspaceLint:
    """The workspace's findings, and what they judged: the rules switched off (by the
    workspace's settings, and all of them with the run's own), how many objectives of
    open cycles, teams and KPIs were read."""

    findings: tuple[Finding, ...]
    settings_disable: frozenset[str]
    disabled: frozenset[str]
    objectives: int
    teams: int
    kpis: int


def lint_workspace(
    uow: UnitOfWork, as_of: datetime, disable: Collection[str] = (), *, viewer: Actor
) -> WorkspaceLint:
    """Lint what `viewer` may see of the workspace as of a moment: every rule but those
    its settings and `disable` switch off (an unknown code in `disable` is refused). In
    one transaction; a KPI's data costs one read of its window (as its tile's judgement
    does)."""
    unknown = sorted(set(disable) - RULES.keys())
    if unknown:
        lint(Goals(), unknown)  # refused in the linter's own words
    with uow:
        goals = read_goals(uow, viewer=viewer)
        settings = current_settings(uow)
        disabled = settings.disable | frozenset(disable)
        facts = None
        if not set(DATA_RULES) <= disabled:
            listed = seen_kpis(uow, viewer)
            facts = kpi_facts(uow, listed, as_of, quality="KPI006" not in disabled)
    closed = {c.cycle.name for c in goals.cycles if c.state is CycleState.CLOSED}
    return WorkspaceLint(
        findings=tuple(lint(goals, disabled, facts)),
        settings_disable=settings.disable,
        disabled=disabled,
        objectives=sum(o.cycle.name not in closed for o in goals.objectives),
        teams=len(goals.teams),
        kpis=len(goals.kpis),
    )
