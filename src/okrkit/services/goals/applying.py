"""Goals as code: make the workspace what its goals files say, in one transaction.

`apply_goals` compares the goals with the workspace and writes the difference through
the repositories, each change meeting the rules a person's edit meets (the services'
and the domain's own checks, called here, never copied), versioned and audited as every
edit. `plan_goals` runs the very same code and rolls it back: a plan is what apply
would do, found by doing it. An error names the file, the line and the field of the
entry it is about, and nothing is written.

Identity: teams, KPIs and objectives by key, cycles by name; a key result within its
objective by title, else by place (a key result renamed at its place is a change);
an initiative by title within its key result; a check-in by its moment. The files
describe the whole workspace: a team, KPI or objective they no longer name is archived
(its values, check-ins and history stay) and restored when they name it again; a
draft an alert proposed stays its alert's when the files leave it out.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from okrkit.domain.access import Actor
from okrkit.domain.goals import (
    Goals,
)
from okrkit.domain.kpis import StoredKpi
from okrkit.services.goals.changes import Action, Plan
from okrkit.services.goals.okrs import ARCHIVING, OkrWriter
from okrkit.services.objectives import (
    keep_summaries_after,
)
from okrkit.services.ports import UnitOfWork

__all__ = ["apply_goals", "plan_goals", "write_goals"]


def write_goals(
    uow: UnitOfWork, goals: Goals, actor: str, now: datetime, *, whole: bool = True
) -> Plan:
    """Make the workspace what `goals` say, inside the caller's open unit of work (it
    commits or rolls back). With `whole`, the goals are the whole workspace: its teams
    and KPIs too, and what they leave out is archived; without, only their cycles and
    objectives are written (a workspace's loader, its teams and KPIs written before)."""
    run = OkrWriter(uow, actor, now)
    kpis: dict[str, StoredKpi] = {}
    if whole:
        run.teams(goals.teams)
        kpis = run.kpis(goals.kpis)
    found = run.read()
    cycles = run.cycles(goals)
    run.objectives(goals.objectives, cycles, found)
    if whole:
        run.archive_objectives(found, {o.key for o in goals.objectives})
    run.close_cycles()
    if whole:
        run.archive_kpis(kpis, {k.kpi.key for k in goals.kpis})
    if any(c.action is Action.ARCHIVE for c in run.changes):
        run.notes.insert(0, ARCHIVING)
    return Plan(tuple(run.changes), tuple(run.notes))


def apply_goals(uow: UnitOfWork, goals: Goals, who: Actor, now: datetime) -> Plan:
    """Make the workspace what its goals files say, in one transaction, and return what
    was done; nothing to do writes nothing (no version moves)."""
    who.require_admin("apply goals files")
    actor = who.name
    with uow:
        plan = write_goals(uow, goals, actor, now)
        if plan.changes:
            uow.commit()
    touched = sorted({c.key.split(" / ")[0] for c in plan.changes if c.kind != "team"
                      and c.kind != "kpi" and c.kind != "cycle"})  # fmt: skip
    if touched:
        keep_summaries_after(uow, touched, now)
    return replace(plan, applied=bool(plan.changes))


def plan_goals(uow: UnitOfWork, goals: Goals, who: Actor, now: datetime) -> Plan:
    """What `apply_goals` would do, found by doing it in a transaction that is rolled
    back: the same checks, the same errors, nothing written."""
    who.require_admin("plan goals files")
    actor = who.name
    with uow:
        return write_goals(uow, goals, actor, now)
