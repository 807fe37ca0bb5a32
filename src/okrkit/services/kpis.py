"""KPIs: create, edit, archive, list and read KPI definitions, and a KPI's page.

Each use case is one transaction; every change bumps the KPI's version (a change based
on an older version is refused with who changed it and when) and is appended to the
audit log with its before and after. A KPI's page — its tile judged live, data
quality, segments, a page of values and, for a derived KPI, which input moved it — is
read in a fixed number of queries however many segments or inputs it has.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from okrkit.domain.access import Actor
from okrkit.domain.cadence import longest_period
from okrkit.domain.errors import Conflict, InvalidInput
from okrkit.domain.fields import data_of, fields_of
from okrkit.domain.formula import Formula
from okrkit.domain.key_results import StoredKeyResult
from okrkit.domain.keys import check_key
from okrkit.domain.kpis import Kpi, StoredKpi
from okrkit.domain.lint import Finding
from okrkit.domain.objectives import ObjectiveStatus, StoredObjective
from okrkit.domain.quality import Quality
from okrkit.domain.teams import StoredTeam
from okrkit.domain.values import Series
from okrkit.services.access import require_kpi_edit, require_kpi_sight, seen_by, sight
from okrkit.services.derived import LatestFactors, formula_inputs, latest_factors
from okrkit.services.lint import kpi_advice
from okrkit.services.ports import AlertQuery, ObjectiveQuery, SegmentLatest, UnitOfWork
from okrkit.services.tiles import Tile, keep_health, tiles

__all__ = [
    "EDITABLE",
    "PAGE_SIZE",
    "EditKpi",
    "KpiEditor",
    "KpiPage",
    "SegmentRow",
    "archive_kpi",
    "check_inputs",
    "create_kpi",
    "edit_kpi",
    "get_kpi",
    "kpi_editor",
    "kpi_page",
    "kpi_record",
    "list_kpis",
    "validate_kpi",
]

# The fields of a KPI definition an edit may change (all but its key).
EDITABLE = frozenset(f.name for f in fields_of(Kpi) if f.editable)
MAX_WINDOW_PERIODS = 1000


def kpi_record(stored: StoredKpi) -> dict[str, Any]:
    """A KPI as the audit log keeps it (JSON-ready): its definition, window, locked
    baseline and whether it is archived."""
    return {
        **data_of(stored.kpi),
        "window_periods": stored.window_periods,
        "baseline": None
        if stored.baseline is None
        else [stored.baseline[0].isoformat(), stored.baseline[1].isoformat()],
        "archived": stored.archived,
    }


def validate_kpi(kpi: Kpi) -> Kpi:
    """The rules a KPI definition must follow, each error naming its field: what makes
    a KPI impossible to judge (a cadence that fires less than yearly or more than
    hourly, thresholds the direction forbids, numbers that are not finite) is refused
    here, when it is written."""
    check_key(kpi.key)
    if not kpi.name.strip():
        raise InvalidInput("a KPI needs a name", field="name")
    kpi.cadence.check()
    if kpi.target is not None and not math.isfinite(kpi.target):
        raise InvalidInput(f"{kpi.target} is not a finite number", field="target")
    if kpi.thresholds is not None:
        kpi.thresholds.check(kpi.direction)
    if kpi.formula:
        Formula.parse(kpi.formula)
    return kpi


def check_inputs(uow: UnitOfWork, kpi: Kpi) -> None:
    """A derived KPI's formula reads KPIs of the workspace, and not itself; inside the
    caller's transaction."""
    if not kpi.formula:
        return
    inputs = Formula.parse(kpi.formula).inputs
    if kpi.key in inputs:
        raise InvalidInput(f"the formula reads {kpi.key} itself", field="formula")
    known = uow.kpis.existing(inputs)
    unknown = [key for key in inputs if key not in known]
    if unknown:
        raise InvalidInput(
            f"the formula reads {', '.join(unknown)}, which "
            f"{'is' if len(unknown) == 1 else 'are'} no KPI of this workspace: add "
            f"{'it' if len(unknown) == 1 else 'them'} first or correct the formula",
            field="formula",
        )


def create_kpi(uow: UnitOfWork, kpi: Kpi, who: Actor, now: datetime) -> StoredKpi:
    """Add a KPI to a team's dashboard; its key is unique and its team must exist."""
    who.require_edit(kpi.team, f"add a KPI to the team {kpi.team!r}")
    actor = who.name
    validate_kpi(kpi)
    with uow:
        uow.teams.get(kpi.team)
        if uow.kpis.existing([kpi.key]):
            raise Conflict(f"KPI {kpi.key!r} already exists")
        check_inputs(uow, kpi)
        stored = uow.kpis.add(kpi, actor, now)
        uow.audit.append(
            actor=actor, action="create", entity="kpi", key=kpi.key, before=None,
            after=kpi_record(stored), at=now,
        )  # fmt: skip
        uow.commit()
    return stored


@dataclass(frozen=True)
class EditKpi:
    """Change a KPI seen at `version`: definition fields, window, or locked baseline."""

    key: str
    version: int
    changes: dict[str, Any] = field(default_factory=dict)
    window_periods: int | None = None
    baseline: tuple[datetime, datetime] | None = None
    unlock_baseline: bool = False


def edit_kpi(uow: UnitOfWork, command: EditKpi, who: Actor, now: datetime) -> StoredKpi:
    """Apply an edit if nobody changed the KPI since `version`; audit before and after."""
    actor = who.name
    unknown = sorted(set(command.changes) - EDITABLE)
    if unknown:
        raise InvalidInput(f"cannot change {', '.join(unknown)}", field=unknown[0])
    if command.window_periods is not None and not 2 <= command.window_periods <= MAX_WINDOW_PERIODS:
        raise InvalidInput(
            f"the window must be 2 to {MAX_WINDOW_PERIODS} periods", field="window_periods"
        )
    if command.baseline is not None and command.baseline[0] >= command.baseline[1]:
        raise InvalidInput("the baseline must start before it ends", field="baseline")
    with uow:
        before = uow.kpis.get(command.key)
        require_kpi_edit(who, before, f"change the KPI {command.key!r}")
        changes = dict(command.changes)
        if "formula" in changes:
            shown = _masked(before, _hidden_inputs(uow, who, [before])).kpi.formula
            if shown != before.kpi.formula and changes["formula"] == shown:
                # The formula as their form showed it, a private input masked: unchanged.
                del changes["formula"]
        kpi = validate_kpi(replace(before.kpi, **changes))
        if kpi.team != before.kpi.team:
            who.require_edit(kpi.team, f"move the KPI {command.key!r} to the team {kpi.team!r}")
        if "formula" in changes:
            check_inputs(uow, kpi)
        baseline = None if command.unlock_baseline else command.baseline or before.baseline
        after_state = replace(
            before,
            kpi=kpi,
            window_periods=command.window_periods or before.window_periods,
            baseline=baseline,
        )
        after = uow.kpis.update(command.key, command.version, after_state, actor, now)
        uow.audit.append(
            actor=actor, action="edit", entity="kpi", key=command.key,
            before=kpi_record(before), after=kpi_record(after), at=now,
        )  # fmt: skip
        if kpi.private and not before.kpi.private:
            _hide_drafts(uow, command.key, actor, now)
        keep_health(uow, [after], now)
        uow.commit()
    return after


def _hide_drafts(uow: UnitOfWork, key: str, actor: str, now: datetime) -> None:
    """A KPI made private makes private the drafts its alerts proposed, still drafts:
    each names the KPI and what ails it (a draft is made private from the start for a
    KPI private already, `domain.alerts.draft_objective`)."""
    found, _ = uow.alerts.list(AlertQuery(kpi=key, limit=MAX_DRAFTS_HIDDEN))
    drafts = sorted({a.objective for a in found if a.objective is not None})
    if not drafts:
        return
    listed, _ = uow.objectives.list(ObjectiveQuery(keys=drafts, archived=True))
    for stored in listed:
        o = stored.objective
        if stored.status is not ObjectiveStatus.DRAFT or o.private:
            continue
        after = uow.objectives.update(
            o.key, stored.revision.version,
            replace(stored, objective=replace(o, private=True)), actor, now,
        )  # fmt: skip
        uow.audit.append(
            actor=actor, action="edit", entity="objective", key=o.key,
            before={"private": False}, after={"private": after.objective.private}, at=now,
        )  # fmt: skip


def archive_kpi(uow: UnitOfWork, key: str, version: int, who: Actor, now: datetime) -> StoredKpi:
    """Archive a KPI: it leaves the dashboards; its values and history stay."""
    actor = who.name
    with uow:
        before = uow.kpis.get(key)
        require_kpi_edit(who, before, f"archive the KPI {key!r}")
        after = uow.kpis.update(key, version, replace(before, archived=True), actor, now)
        uow.audit.append(
            actor=actor, action="archive", entity="kpi", key=key,
            before=kpi_record(before), after=kpi_record(after), at=now,
        )  # fmt: skip
        uow.tiles.forget([key])
        uow.commit()
    return after


# The most alerts of one KPI whose drafts are made private with it: far more than a KPI
# raises in years (a few a quarter).
MAX_DRAFTS_HIDDEN = 10_000

# What a derived KPI's formula says, to someone who may not see it, in place of a
# private KPI it reads.
PRIVATE_INPUT = "private_kpi"


def _hidden_inputs(uow: UnitOfWork, viewer: Actor, found: list[StoredKpi]) -> frozenset[str]:
    """The private KPIs `viewer` may not see that these KPIs' formulas read (no query
    for an admin, or when no formula is among them)."""
    if viewer.admin or not any(k.kpi.formula for k in found):
        return frozenset()
    return sight(uow, viewer).hidden_kpis


def _masked(stored: StoredKpi, hidden: frozenset[str]) -> StoredKpi:
    """The KPI as someone who may not see `hidden` reads it: a formula that reads one of
    them says `PRIVATE_INPUT` in its place (its value is the KPI's own, and shown)."""
    secret = set(formula_inputs(stored.kpi)) & hidden
    if not secret:
        return stored
    formula = stored.kpi.formula or ""
    for key in sorted(secret, key=len, reverse=True):
        formula = re.sub(rf"(?<![\w.]){re.escape(key)}(?![\w.])", PRIVATE_INPUT, formula)
    return replace(stored, kpi=replace(stored.kpi, formula=formula))


def list_kpis(
    uow: UnitOfWork, team: str | None = None, *, viewer: Actor, archived: bool = False
) -> list[StoredKpi]:
    """The KPIs `viewer` may see (of one team, or all), North Star first, then by name;
    a formula names no private KPI they may not see."""
    with uow:
        if team is not None:
            uow.teams.get(team)
        found = [
            k
            for k in uow.kpis.list(team=team, archived=archived)
            if viewer.sees(k.kpi.team, k.kpi.private)
        ]
        hidden = _hidden_inputs(uow, viewer, found)
    return [_masked(k, hidden) for k in found]


def get_kpi(uow: UnitOfWork, key: str, *, viewer: Actor) -> StoredKpi:
    """One KPI's definition; NotFound names the key (also for a private KPI `viewer`
    may not see); its formula names no private KPI they may not see."""
    with uow:
        stored = uow.kpis.get(key)
        require_kpi_sight(viewer, stored)
        hidden = _hidden_inputs(uow, viewer, [stored])
    return _masked(stored, hidden)


# --- a KPI's page --------------------------------------------------------------------

PAGE_SIZE = 50
# The segments of a KPI's page: each one's newest value and the one before it.
SegmentRow = SegmentLatest


@dataclass(frozen=True)
class KpiPage:
    """Everything the KPI page shows; `factors`, for a derived KPI only, says which input
    moved it in the latest period (or why that cannot be computed); `feeds` are the key
    results it feeds, the newest first, each with its objective; `advice` the linter's
    findings on it (`services.lint.kpi_advice`)."""

    tile: Tile
    quality: Quality | None
    segments: tuple[SegmentRow, ...]
    values: tuple[tuple[datetime, float], ...]
    total_values: int
    page: int
    pages: int
    team: StoredTeam | None = None
    factors: LatestFactors | None = None
    feeds: tuple[tuple[StoredKeyResult, StoredObjective], ...] = ()
    advice: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class KpiEditor:
    """What the KPI form needs: the teams a KPI can belong to and, to edit, the KPI."""

    teams: tuple[StoredTeam, ...]
    stored: StoredKpi | None


def kpi_page(
    uow: UnitOfWork, key: str, as_of: datetime, page: int = 1, *, viewer: Actor
) -> KpiPage:
    """A KPI's page: its tile judged live, data quality, segments, one page of its
    values (a page beyond the last shows the last) and, for a derived KPI, which input
    moved it in the latest period, and the linter's advice on it (the workspace's
    settings honoured); a fixed number of queries however many segments or inputs."""
    with uow:
        stored = uow.kpis.get(key)
        require_kpi_sight(viewer, stored)
        hidden = _hidden_inputs(uow, viewer, [stored])
        team = uow.teams.get(stored.kpi.team)
        tile = tiles(uow, [stored], as_of, live=True)[0]
        segments = tuple(uow.values.segments_latest(key))
        checked = tile.health.quality if tile.health is not None else Quality(())
        quality = checked if len(tile.values) else None
        advice = kpi_advice(uow, stored, tile.values, checked, as_of)
        factors = None
        if stored.kpi.formula:
            # The inputs' last two periods: which inputs are KPIs, the newest time among
            # them, then every input's totals since two periods before it.
            inputs = uow.kpis.existing(formula_inputs(stored.kpi))
            latest = uow.values.latest(inputs)
            totals: dict[str, Series] = {}
            if latest:
                newest = max(moment for moment, _ in latest.values())
                since = newest - 2 * longest_period(stored.kpi.cadence)
                totals = uow.values.totals_between(dict.fromkeys(latest, (since, None)))
            factors = latest_factors(
                stored.kpi, {name: totals.get(name, Series.from_points([])) for name in inputs}
            )
        values, total = uow.values.page(key, "", (max(page, 1) - 1) * PAGE_SIZE, PAGE_SIZE)
        pages = max(1, -(-total // PAGE_SIZE))
        if page > pages:
            # Beyond the last page (a stale link, values deleted): show the last one.
            values, total = uow.values.page(key, "", (pages - 1) * PAGE_SIZE, PAGE_SIZE)
            pages = max(1, -(-total // PAGE_SIZE))
        masked = _masked(stored, hidden)
        if masked is not stored:
            # Which input moved it would name the private one: not said to them.
            tile, factors = replace(tile, stored=masked), None
        fed = uow.key_results.feeding(key)
        owners: dict[str, StoredObjective] = {}
        if fed:
            query = ObjectiveQuery(keys={kr.objective for kr in fed}, seen_by=seen_by(viewer))
            found, _ = uow.objectives.list(query)
            owners = {o.objective.key: o for o in found}
    return KpiPage(
        tile,
        quality,
        segments,
        tuple(values),
        total,
        min(max(page, 1), pages),
        pages,
        team,
        factors,
        tuple((kr, owners[kr.objective]) for kr in fed if kr.objective in owners),
        tuple(advice),
    )


def kpi_editor(
    uow: UnitOfWork, key: str | None = None, team: str | None = None, *, viewer: Actor
) -> KpiEditor:
    """The teams to choose from and, to edit, the KPI as stored (with its version); a
    KPI or team that does not exist, or a private KPI `viewer` may not see, is
    NotFound."""
    with uow:
        teams = tuple(uow.teams.list())
        stored = None if key is None else uow.kpis.get(key)
        if stored is not None:
            require_kpi_sight(viewer, stored)
            stored = _masked(stored, _hidden_inputs(uow, viewer, [stored]))
        if team is not None and team not in {t.team.key for t in teams}:
            uow.teams.get(team)
    return KpiEditor(teams, stored)
