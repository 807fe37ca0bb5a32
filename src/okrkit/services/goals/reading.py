"""The workspace read as the goals a team writes down.

`read_goals` gives the workspace's cycles, teams, KPIs and objectives (with their key
results, check-ins and initiatives) as domain `Goals`, each entry located at its page's
address, so that the linter judges the workspace with the same rules as a goals file.
`export_goals` is what `okrkit export` writes: the same goals as a person would write
them (a key result's owner and deadline left out where they are its objective's owner
and its cycle's end), without the drafts an alert proposed and nobody has accepted.

Both read what one reader may see: a private KPI or objective of a team they are not
in is left out, with everything under it (key results, check-ins, initiatives), so
the linter neither finds nor counts it for them. An export names nothing left out: a
KPI derived from such a KPI is left out too (its formula would name it), and a link
to one (an objective's North Star, a key result's KPI, a parent objective) is not
written.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from okrkit.domain.access import Actor
from okrkit.domain.check_ins import CheckIn
from okrkit.domain.cycles import Cycle
from okrkit.domain.goals import (
    CycleSpec,
    Goals,
    InitiativeSpec,
    KeyResultSpec,
    KpiSpec,
    Location,
    ObjectiveSpec,
    TeamSpec,
)
from okrkit.domain.initiatives import StoredInitiative
from okrkit.domain.key_results import StoredKeyResult
from okrkit.domain.kpis import StoredKpi
from okrkit.domain.objectives import ObjectiveStatus, StoredObjective
from okrkit.domain.progress import KeyResultType
from okrkit.services.access import seen_by, sight
from okrkit.services.derived import formula_inputs
from okrkit.services.ports import ObjectiveQuery, UnitOfWork

__all__ = ["alert_drafts", "export_goals", "read_goals", "seen_kpis"]


def seen_kpis(uow: UnitOfWork, viewer: Actor) -> list[StoredKpi]:
    """The KPIs that are not archived and `viewer` may see, inside an open unit of
    work."""
    return [k for k in uow.kpis.list() if viewer.sees(k.kpi.team, k.kpi.private)]


def read_goals(uow: UnitOfWork, *, viewer: Actor) -> Goals:
    """The workspace as goals, inside an open unit of work: teams, the KPIs and
    objectives that are not archived and `viewer` may see, and every cycle, each at its
    page's address."""
    teams = tuple(
        TeamSpec(t.team, t.parent, Location.page(f"/teams/{t.team.key}")) for t in uow.teams.list()
    )
    kpis = tuple(
        KpiSpec(k.kpi, Location.page(f"/kpis/{k.kpi.key}")) for k in seen_kpis(uow, viewer)
    )
    stored_cycles = sorted(uow.cycles.list(), key=lambda c: (c.cycle.start, c.cycle.name))
    cycles = {c.cycle.name: c.cycle for c in stored_cycles}
    stored, _ = uow.objectives.list(ObjectiveQuery(seen_by=seen_by(viewer)))
    key_results = uow.key_results.of([o.objective.key for o in stored])
    ids = [kr.id for krs in key_results.values() for kr in krs]
    check_ins = uow.check_ins.of(ids)
    initiatives = uow.initiatives.of(ids)
    places = {kr.id: n for krs in key_results.values() for n, kr in enumerate(krs, 1)}
    objectives = tuple(
        _objective(
            o,
            cycles[o.objective.cycle],
            places,
            [
                _key_result(kr, check_ins.get(kr.id, ()), initiatives.get(kr.id, ()))
                for kr in key_results.get(o.objective.key, ())
            ],
        )
        for o in stored
    )
    return Goals(
        teams,
        kpis,
        objectives,
        tuple(
            CycleSpec(c.cycle, c.state, Location.page(f"/cycles/{c.cycle.name}"))
            for c in stored_cycles
        ),
    )


def alert_drafts(uow: UnitOfWork, objectives: Collection[StoredObjective]) -> set[str]:
    """The keys of those objectives that are drafts an alert proposed: they wait for a
    person on their alert (accepted, or dismissed with a reason)."""
    drafts = [o.objective.key for o in objectives if o.status is ObjectiveStatus.DRAFT]
    return set(uow.alerts.of_objectives(drafts)) if drafts else set()


def export_goals(uow: UnitOfWork, *, viewer: Actor) -> Goals:
    """The workspace as `okrkit export` writes it for `viewer`, in one transaction:
    `read_goals` without the drafts an alert proposed (they are their alert's until a
    person accepts one), each entry as short as a person writes it. What an objective
    aligns to or was carried from is left out when that objective is not written
    (archived, such a draft, or private to a team `viewer` is not in), so the files read
    back on their own; so are a KPI derived from a KPI `viewer` may not see and every
    link to either (an objective's North Star, a key result's KPI), so the files name
    nothing private."""
    with uow:
        goals = read_goals(uow, viewer=viewer)
        hidden = sight(uow, viewer).hidden_kpis
        stored, _ = uow.objectives.list(ObjectiveQuery(seen_by=seen_by(viewer)))
        left_out = alert_drafts(uow, stored)
    hidden = _with_derived(goals, hidden)
    written = {o.key for o in goals.objectives if o.key not in left_out}
    return replace(
        goals,
        kpis=tuple(s for s in goals.kpis if s.kpi.key not in hidden),
        objectives=tuple(
            _as_written(o, written, hidden) for o in goals.objectives if o.key not in left_out
        ),
    )


def _with_derived(goals: Goals, hidden: frozenset[str]) -> frozenset[str]:
    """`hidden` and every KPI of `goals` whose formula reads one of them, however many
    derivations down (a formula names its inputs)."""
    while True:
        more = {
            spec.kpi.key
            for spec in goals.kpis
            if spec.kpi.key not in hidden and not hidden.isdisjoint(formula_inputs(spec.kpi))
        }
        if not more:
            return hidden
        hidden = hidden | more


def _as_written(
    spec: ObjectiveSpec, written: Collection[str], hidden_kpis: Collection[str]
) -> ObjectiveSpec:
    aligned = spec.parent in written
    return replace(
        spec,
        parent=spec.parent if aligned else None,
        parent_key_result=spec.parent_key_result if aligned else None,
        carried_from=spec.carried_from if spec.carried_from in written else None,
        north_star=None if spec.north_star in hidden_kpis else spec.north_star,
        key_results=tuple(
            replace(
                kr,
                owner=None if kr.owner == spec.owner else kr.owner,
                deadline=None if kr.deadline == spec.cycle.end else kr.deadline,
                kpi=None if kr.kpi in hidden_kpis else kr.kpi,
            )
            for kr in spec.key_results
        ),
    )


def _objective(
    stored: StoredObjective,
    cycle: Cycle,
    places: dict[int, int],
    key_results: Sequence[KeyResultSpec],
) -> ObjectiveSpec:
    parent = stored.objective.parent
    return ObjectiveSpec.of(
        stored.objective,
        cycle,
        status=stored.status,
        score=stored.score,
        retrospective=stored.retrospective,
        carried_from=stored.carried_from,
        parent_key_result=(
            None if parent is None or parent.key_result is None else places.get(parent.key_result)
        ),
        key_results=tuple(key_results),
        location=Location.page(f"/objectives/{stored.objective.key}"),
    )


def _key_result(
    kr: StoredKeyResult,
    check_ins: Sequence[CheckIn],
    initiatives: Sequence[StoredInitiative],
) -> KeyResultSpec:
    d = kr.definition
    # A boolean runs from 0 to 1 and a milestone from 0 to its steps: implied, not written.
    numeric = d.type is KeyResultType.NUMERIC
    return KeyResultSpec.of(
        d,
        start=d.start if numeric else None,
        target=d.target if numeric else None,
        original_target=kr.original_target,
        recalibration=kr.recalibration,
        score=kr.score,
        score_reason=kr.score_reason,
        check_ins=tuple(check_ins),
        initiatives=tuple(
            InitiativeSpec(i.initiative, Location.page(f"/key-results/{kr.id}"))
            for i in initiatives
        ),
        location=Location.page(f"/key-results/{kr.id}"),
    )
