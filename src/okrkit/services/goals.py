"""Goals as code: the workspace read as the goals a team writes down.

`read_goals` gives the workspace's cycles, teams, KPIs and objectives (with their key results,
check-ins and initiatives) as domain `Goals`, each entry located at its page's address,
so that the linter judges the workspace with the same rules as a goals file, and the
workspace can be written back out as one.
"""

from __future__ import annotations

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
from okrkit.domain.objectives import StoredObjective
from okrkit.services.ports import ObjectiveQuery, UnitOfWork

__all__ = ["read_goals"]


def read_goals(uow: UnitOfWork) -> Goals:
    """The workspace as goals, inside an open unit of work: teams and KPIs that are not
    archived, and every objective of every cycle, each at its page's address."""
    teams = tuple(
        TeamSpec(t.team, t.parent, Location.page(f"/teams/{t.team.key}")) for t in uow.teams.list()
    )
    kpis = tuple(KpiSpec(k.kpi, Location.page(f"/kpis/{k.kpi.key}")) for k in uow.kpis.list())
    stored_cycles = uow.cycles.list()
    cycles = {c.cycle.name: c.cycle for c in stored_cycles}
    stored, _ = uow.objectives.list(ObjectiveQuery())
    key_results = uow.key_results.of([o.objective.key for o in stored])
    ids = [kr.id for krs in key_results.values() for kr in krs]
    check_ins = uow.check_ins.of(ids)
    initiatives = uow.initiatives.of(ids)
    objectives = tuple(
        _objective(
            o,
            cycles[o.objective.cycle],
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


def _objective(
    stored: StoredObjective, cycle: Cycle, key_results: list[KeyResultSpec]
) -> ObjectiveSpec:
    o = stored.objective
    return ObjectiveSpec(
        key=o.key,
        title=o.title,
        cycle=cycle,
        team=o.team,
        type=o.type,
        description=o.description,
        owner=o.owner,
        parent=None if o.parent is None else o.parent.objective,
        north_star=o.north_star,
        status=stored.status,
        private=o.private,
        score=stored.score,
        key_results=tuple(key_results),
        location=Location.page(f"/objectives/{o.key}"),
    )


def _key_result(
    kr: StoredKeyResult,
    check_ins: list[CheckIn] | tuple[()],
    initiatives: list[StoredInitiative] | tuple[()],
) -> KeyResultSpec:
    d = kr.definition
    return KeyResultSpec(
        title=d.title,
        type=d.type,
        start=d.start,
        target=d.target,
        unit=d.unit,
        owner=d.owner,
        deadline=d.deadline,
        kpi=d.kpi,
        guardrail=d.guardrail,
        weight=d.weight,
        direction=d.direction,
        milestones=None if d.steps is None else len(d.steps.names),
        check_ins=tuple(check_ins),
        initiatives=tuple(
            InitiativeSpec(i.initiative, Location.page(f"/key-results/{kr.id}"))
            for i in initiatives
        ),
        location=Location.page(f"/key-results/{kr.id}"),
    )
