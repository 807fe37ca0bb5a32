"""OKR cycles: add, start and close cycles, list them, and the cycle overview.

Each use case is one transaction, versioned and audited as everywhere. Closing a cycle
scores what is left (each active objective with the scores its key results' progress
proposes, and each key result's final value on record — a KPI's newest value for a key
result fed by one, the baseline the KPI carries into the next cycle) and retires it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Generic, TypeVar

from okrkit.domain.access import Actor
from okrkit.domain.cycles import Cycle, CycleState, StoredCycle, check_cycle_name, current_cycle
from okrkit.domain.errors import Conflict, InvalidInput, NotFound
from okrkit.domain.grading import ObjectiveType
from okrkit.domain.objectives import StoredObjective
from okrkit.domain.teams import Team
from okrkit.services.access import seen_by, sight
from okrkit.services.key_results import seen_objective
from okrkit.services.objectives import (
    ObjectiveState,
    ObjectiveSummary,
    judge_objectives,
    score_leftovers,
    seen_state,
    summarize_objectives,
)
from okrkit.services.ports import ObjectiveQuery, UnitOfWork

__all__ = [
    "MAX_CHOICES",
    "MAX_PAGE",
    "PAGE_SIZE",
    "Closed",
    "CreateCycle",
    "CycleList",
    "CycleOverview",
    "OverviewFilter",
    "close_cycle",
    "create_cycle",
    "cycle_overview",
    "cycle_summary",
    "cycle_record",
    "get_cycle",
    "list_cycles",
    "start_cycle",
]

# How an overview judges its objectives: in full, or as its page shows them.
Judged = TypeVar("Judged", ObjectiveState, ObjectiveSummary)
PAGE_SIZE = 25
# The overview's filters offer every team and every owner as a choice up to this many;
# beyond, a person types one: a list of a thousand names is neither read nor sent with
# every page, and nobody scrolls it.
MAX_CHOICES = 100
MAX_PAGE = 200


def cycle_record(stored: StoredCycle) -> dict[str, object]:
    """A cycle as the audit log keeps it."""
    return {
        "name": stored.cycle.name,
        "start": stored.cycle.start.isoformat(),
        "end": stored.cycle.end.isoformat(),
        "state": stored.state.value,
    }


@dataclass(frozen=True)
class CreateCycle:
    """Add a cycle: a quarter by its name (`2026-Q3`), or any name with its dates."""

    name: str
    start: date | None = None
    end: date | None = None
    state: CycleState = CycleState.PLANNING


def create_cycle(uow: UnitOfWork, command: CreateCycle, who: Actor, now: datetime) -> StoredCycle:
    """Add a cycle; its name is unique, it ends after it starts. A new cycle is planned
    (or active, or closed to record a past one)."""
    who.require_admin(f"add the cycle {command.name!r}")
    actor = who.name
    check_cycle_name(command.name, field="name")
    cycle = Cycle.parse(command.name, command.start, command.end, field="name")
    with uow:
        if any(c.cycle.name == cycle.name for c in uow.cycles.list()):
            raise Conflict(f"cycle {cycle.name} already exists")
        stored = uow.cycles.add(cycle, command.state, actor, now)
        uow.audit.append(
            actor=actor, action="create", entity="cycle", key=cycle.name, before=None,
            after=cycle_record(stored), at=now,
        )  # fmt: skip
        uow.commit()
    return stored


def get_cycle(uow: UnitOfWork, name: str) -> StoredCycle:
    """One cycle; NotFound names it."""
    with uow:
        return uow.cycles.get(name)


@dataclass(frozen=True)
class CycleList:
    """Every cycle, the latest to start first, and the one today falls in."""

    cycles: tuple[StoredCycle, ...]
    current: StoredCycle | None


def list_cycles(uow: UnitOfWork, today: date) -> CycleList:
    """Every cycle and the current one (`domain.cycles.current_cycle`)."""
    with uow:
        cycles = uow.cycles.list()
    return CycleList(tuple(cycles), current_cycle(cycles, today))


def start_cycle(uow: UnitOfWork, name: str, version: int, who: Actor, now: datetime) -> StoredCycle:
    """A planned cycle becomes active: check-ins become due every week."""
    who.require_admin(f"start the cycle {name!r}")
    actor = who.name
    with uow:
        before = uow.cycles.get(name)
        state = before.moved_to(CycleState.ACTIVE)
        after = uow.cycles.update(name, version, replace(before, state=state), actor, now)
        uow.audit.append(
            actor=actor, action="start", entity="cycle", key=name, before=cycle_record(before),
            after=cycle_record(after), at=now,
        )  # fmt: skip
        uow.commit()
    return after


@dataclass(frozen=True)
class Closed:
    """A closed cycle and the objectives its closing scored."""

    cycle: StoredCycle
    scored: tuple[StoredObjective, ...]


def close_cycle(uow: UnitOfWork, name: str, version: int, who: Actor, now: datetime) -> Closed:
    """Close a cycle: every active objective is scored with its proposed scores, every
    key result's final value goes on record (a KPI's newest value for one it feeds), and
    the cycle is closed — all in one transaction. Closing a closed cycle is refused."""
    who.require_admin(f"close the cycle {name!r}")
    actor = who.name
    with uow:
        before = uow.cycles.get(name)
        state = before.moved_to(CycleState.CLOSED)
        if before.revision.version != version:
            raise before.revision.conflict(f"cycle {name}", version)
        scored = score_leftovers(uow, before, actor, now)
        after = uow.cycles.update(name, version, replace(before, state=state), actor, now)
        uow.audit.append(
            actor=actor, action="close", entity="cycle", key=name, before=cycle_record(before),
            after=cycle_record(after), at=now,
        )  # fmt: skip
        uow.commit()
    return Closed(after, tuple(scored))


# --- The cycle overview -------------------------------------------------------------------


@dataclass(frozen=True)
class OverviewFilter:
    """Which objectives the overview shows: of a team, an owner, a type (None: all)."""

    team: str | None = None
    owner: str | None = None
    type: ObjectiveType | None = None


@dataclass(frozen=True)
class CycleOverview(Generic[Judged]):
    """A cycle's objectives by team, judged as of now, a page at a time.

    `objectives` are this page's, in team order (by team name, then title): judged in
    full (`ObjectiveState`, `cycle_overview`) or as the overview page shows them
    (`ObjectiveSummary`, `cycle_summary`); `total` how many the filter holds; `cycles`
    every cycle (to reach past ones); `teams` and `owners` what the filters offer (None:
    more than `MAX_CHOICES`, typed instead).
    """

    cycle: StoredCycle
    cycles: tuple[StoredCycle, ...]
    objectives: tuple[Judged, ...]
    total: int
    offset: int
    limit: int
    filter: OverviewFilter
    teams: tuple[Team, ...] | None
    owners: tuple[str, ...] | None


def cycle_overview(
    uow: UnitOfWork,
    name: str | None,
    now: datetime,
    filter: OverviewFilter = OverviewFilter(),  # noqa: B008 (frozen)
    *,
    viewer: Actor,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> CycleOverview[ObjectiveState]:
    """A page of a cycle's objectives (filtered by team, owner and type) with progress,
    pace, guardrail breaches and check-ins due, each key result judged — a fixed number
    of queries per page. Without a name, the current cycle's (the one today falls in;
    `NotFound` when there is no cycle yet). Only the objectives `viewer` may see are
    listed, counted and offered as filters (a private one of a team they are not in is
    not there)."""

    def judged(
        uow: UnitOfWork,
        page: Sequence[StoredObjective],
        cycles: Mapping[str, StoredCycle],
        now: datetime,
    ) -> list[ObjectiveState]:
        hidden = sight(uow, viewer)
        return [seen_state(s, hidden) for s in judge_objectives(uow, page, cycles, now)]

    return _overview(uow, name, now, filter, offset, limit, viewer, judged)


def cycle_summary(
    uow: UnitOfWork,
    name: str | None,
    now: datetime,
    filter: OverviewFilter = OverviewFilter(),  # noqa: B008 (frozen)
    *,
    viewer: Actor,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> CycleOverview[ObjectiveSummary]:
    """`cycle_overview` as the overview page shows it: each objective's progress, what
    was expected by now, pace, breached guardrails and check-ins due, read from its kept
    summary when that is current (`objectives.summarize_objectives`); of the objectives
    `viewer` may see."""

    def summarized(
        uow: UnitOfWork,
        page: Sequence[StoredObjective],
        cycles: Mapping[str, StoredCycle],
        now: datetime,
    ) -> list[ObjectiveSummary]:
        hidden = sight(uow, viewer)
        return [
            replace(s, stored=seen_objective(s.stored, hidden))
            for s in summarize_objectives(uow, page, cycles, now)
        ]

    return _overview(uow, name, now, filter, offset, limit, viewer, summarized)


def _overview(
    uow: UnitOfWork,
    name: str | None,
    now: datetime,
    filter: OverviewFilter,
    offset: int,
    limit: int,
    viewer: Actor,
    judge: Callable[
        [UnitOfWork, Sequence[StoredObjective], Mapping[str, StoredCycle], datetime],
        Sequence[Judged],
    ],
) -> CycleOverview[Judged]:
    if offset < 0:
        raise InvalidInput("the offset is not a count", field="offset")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"a page holds 1 to {MAX_PAGE} objectives", field="limit")
    with uow:
        listed = uow.cycles.list()
        found = uow.cycles.get(name) if name is not None else current_cycle(listed, now.date())
        if found is None:
            raise NotFound("no cycle yet: add one first")
        cycle, name = found, found.cycle.name
        cycles = {c.cycle.name: c for c in listed}
        offered = uow.teams.names(limit=MAX_CHOICES + 1)
        query = ObjectiveQuery(
            cycle=name,
            team=filter.team,
            owner=filter.owner,
            type=None if filter.type is None else filter.type.value,
            seen_by=seen_by(viewer),
        )
        page, total = uow.objectives.list(query, offset=offset, limit=limit)
        judged = judge(uow, page, cycles, now)
        owners = uow.objectives.owners(name, limit=MAX_CHOICES + 1, seen_by=seen_by(viewer))
    return CycleOverview(
        cycle=cycle,
        cycles=tuple(cycles.values()),
        objectives=tuple(judged),
        total=total,
        offset=offset,
        limit=limit,
        filter=filter,
        teams=offered if len(offered) <= MAX_CHOICES else None,
        owners=owners if len(owners) <= MAX_CHOICES else None,
    )
