"""The linter on the workspace: what `okrkit lint` without files needs, and the advice
on pages.

`services.goals.lint_workspace` judges the workspace as goals (each entry at its page's
address) with every rule: what is written on the objectives of the open
cycles (active and planning; drafts included), teams and KPIs; the record of the closed
cycles (OKR007, OKR010, OKR011); and each KPI's data (KPI004–KPI006) from what the
workspace knows of it (`kpi_facts`). The workspace's settings switch rules off
(`services.settings`), and a run may switch off more.

A page asks for one object's findings only (`objective_findings`, `kpi_advice`), never
the whole workspace's: an objective with its key results, its team's place in the
cascade and its cycle's state; a KPI with its own facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from okrkit.domain.cadence import is_stale
from okrkit.domain.cycles import CycleState
from okrkit.domain.goals import CycleSpec, Goals, KpiSpec, Location, ObjectiveSpec, TeamSpec
from okrkit.domain.kpis import Kpi, StoredKpi
from okrkit.domain.lint import TEAM_RULES, Finding, KpiFacts, lint
from okrkit.domain.quality import Quality
from okrkit.domain.values import Series
from okrkit.services.health import window
from okrkit.services.ports import StoredSubscription, UnitOfWork
from okrkit.services.settings import current_settings
from okrkit.services.subscriptions import covers
from okrkit.services.tiles import kept_health, window_quality, window_span

__all__ = [
    "LintContext",
    "alerted",
    "kpi_advice",
    "kpi_facts",
    "lint_context",
    "objective_findings",
    "switched_off",
]


def switched_off(uow: UnitOfWork) -> frozenset[str]:
    """The rules the workspace's settings switch off (what the rules' page says)."""
    with uow:
        return current_settings(uow).disable


def alerted(kpi: Kpi, subscriptions: Sequence[StoredSubscription]) -> bool:
    """Whether a switched-on subscription covers the KPI (`subscriptions.covers`: one
    to it, to its team's alerts, or to every alert unless the KPI is private)."""
    return any(s.enabled and covers(s, kpi) for s in subscriptions)


def _facts(
    stored: StoredKpi,
    newest: datetime | None,
    quality: Quality,
    subscriptions: Sequence[StoredSubscription],
    as_of: datetime,
) -> KpiFacts:
    """A KPI's facts from its newest value's moment: stale by it (none: stale), unless
    its cadence is no schedule a KPI can have (its tile says so instead)."""
    cadence = stored.kpi.cadence
    return KpiFacts(
        newest=newest,
        stale=cadence.problem is None and is_stale(newest, cadence, as_of),
        alerted=alerted(stored.kpi, subscriptions),
        quality=quality,
    )


def kpi_facts(
    uow: UnitOfWork, listed: Sequence[StoredKpi], as_of: datetime, *, quality: bool = True
) -> dict[str, KpiFacts]:
    """What the workspace knows of each listed KPI for KPI004–KPI006, inside an open
    unit of work. A KPI with a current kept tile (`services.tiles`) is known by it: its
    newest value and its window's data quality, all tiles in one query. The others' windows
    are read as the tiles' judgement reads them (one query per few hundred KPIs), their
    segments' newest moments likewise; the subscriptions in one. Without `quality`
    (KPI006 switched off) only each KPI's newest value is read, not its window."""
    keys = [stored.kpi.key for stored in listed]
    subscriptions = uow.subscriptions.list()
    if not quality:
        latest = uow.values.latest(keys)
        return {
            stored.kpi.key: _facts(
                stored,
                latest[stored.kpi.key][0] if stored.kpi.key in latest else None,
                Quality(()),
                subscriptions,
                as_of,
            )
            for stored in listed
        }
    kept = uow.tiles.get(keys)
    facts = {}
    live = []
    for stored in listed:
        key = stored.kpi.key
        health = kept_health(stored, kept[key], as_of) if key in kept else None
        if health is None:
            live.append(stored)
        else:
            facts[key] = _facts(stored, health.latest_time, health.quality, subscriptions, as_of)
    if not live:
        return facts
    windows = uow.values.windows({stored.kpi.key: window_span(stored) for stored in live})
    segments = uow.values.segments_newest([stored.kpi.key for stored in live])
    empty = Series.from_points([])
    for stored in live:
        key = stored.kpi.key
        series = windows.get(key, empty)
        windowed = (
            window(series, stored.kpi.cadence, stored.window_periods)
            if len(series) and stored.kpi.cadence.problem is None
            else series
        )
        checked = window_quality(stored, windowed, segments.get(key, {}))
        newest = windowed.newest if len(windowed) else None
        facts[key] = _facts(stored, newest, checked, subscriptions, as_of)
    return facts


@dataclass(frozen=True)
class LintContext:
    """What a page's lint of one object needs besides the object: the teams (which one
    is at the top of the cascade) and the rules the workspace's settings switch off."""

    teams: tuple[TeamSpec, ...]
    disabled: frozenset[str]


def lint_context(uow: UnitOfWork) -> LintContext:
    """The teams and the workspace's switched-off rules, inside an open unit of work."""
    teams = tuple(
        TeamSpec(t.team, t.parent, Location.page(f"/teams/{t.team.key}")) for t in uow.teams.list()
    )
    return LintContext(teams, current_settings(uow).disable)


def objective_findings(
    spec: ObjectiveSpec, state: CycleState, context: LintContext
) -> list[Finding]:
    """The findings on one objective and its key results (in a cycle in `state`), as
    the workspace's lint would find them, the rules about a whole team left to it."""
    goals = Goals(teams=context.teams, objectives=(spec,), cycles=(CycleSpec(spec.cycle, state),))
    return [f for f in lint(goals, context.disabled) if f.code not in TEAM_RULES]


def kpi_advice(
    uow: UnitOfWork,
    stored: StoredKpi,
    windowed: Series,
    quality: Quality,
    as_of: datetime,
) -> list[Finding]:
    """The findings on one KPI, inside an open unit of work, from its window of values
    as its page judged it and the data quality found on it (`window_quality`), the
    rules about a whole team left to the workspace's lint."""
    newest = windowed.newest if len(windowed) else None
    facts = _facts(stored, newest, quality, uow.subscriptions.list(), as_of)
    spec = KpiSpec(stored.kpi, Location.page(f"/kpis/{stored.kpi.key}"))
    disabled = current_settings(uow).disable
    found = lint(Goals(kpis=(spec,)), disabled, {stored.kpi.key: facts})
    return [f for f in found if f.code not in TEAM_RULES]
