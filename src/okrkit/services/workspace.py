"""Workspace use cases: load a whole workspace (the demo) into an empty database.

One use case, `load_workspace`, writes everything in one transaction through the
repositories: teams, KPIs and their values, and — when given — the OKR side: cycles,
objectives with their key results, check-ins and initiatives, and for the cycles that
are over, the scores and retrospectives on record. The OKR side is written as goals
files are applied (`services.goals.write_goals`): the same rules a person's edits meet
(keys, alignment, a key result against its cycle, a check-in's value and confidence, a
tracker address, what closing needs), each change audited, and an error names the entry
and field (`objectives[2].key_results[1].target`); nothing is written then.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from okrkit.domain.access import Actor
from okrkit.domain.alerts import AlertKind
from okrkit.domain.cadence import as_utc
from okrkit.domain.check_ins import CheckIn
from okrkit.domain.cycles import Cycle, CycleState
from okrkit.domain.errors import Conflict, InvalidInput
from okrkit.domain.goals import (
    CycleSpec,
    Goals,
    InitiativeSpec,
    KeyResultSpec,
    Location,
    ObjectiveSpec,
)
from okrkit.domain.initiatives import Initiative
from okrkit.domain.key_results import KeyResultDefinition
from okrkit.domain.kpis import Kpi
from okrkit.domain.notifications import Channel
from okrkit.domain.objectives import Objective, ObjectiveStatus
from okrkit.domain.teams import Team
from okrkit.domain.values import Series
from okrkit.services.goals import Action, write_goals
from okrkit.services.objectives import keep_summaries
from okrkit.services.ports import UnitOfWork, ValueBatch
from okrkit.services.tiles import refresh_health

__all__ = [
    "AlertEntry",
    "SubscriptionEntry",
    "BATCH_ROWS",
    "CycleEntry",
    "KeyResultEntry",
    "ObjectiveEntry",
    "Okrs",
    "is_empty",
    "load_workspace",
]

BATCH_ROWS = 50_000
# What the load's audit entry counts, by the kind of change that added it.
_COUNTED = {
    "cycle": "cycles",
    "objective": "objectives",
    "key_result": "key_results",
    "check_in": "check_ins",
    "initiative": "initiatives",
}
_ADDED = (Action.CREATE, Action.APPEND)


@dataclass(frozen=True)
class CycleEntry:
    """A cycle to load, in the state it is in (a past one closed, the current active)."""

    cycle: Cycle
    state: CycleState = CycleState.ACTIVE


@dataclass(frozen=True)
class KeyResultEntry:
    """A key result to load with its check-ins (oldest first; on a key result fed by a
    KPI each one's value is the KPI's newest value at that moment, as a check-in there
    only annotates) and the work under it.

    In a scored objective, `score` is the score a person gave (None: the one its
    progress at its final value proposes), with `score_reason` when it differs.
    """

    definition: KeyResultDefinition
    check_ins: tuple[CheckIn, ...] = ()
    initiatives: tuple[Initiative, ...] = ()
    score: float | None = None
    score_reason: str = ""


@dataclass(frozen=True)
class ObjectiveEntry:
    """An objective to load with its key results, in its status.

    It aligns as `objective.parent` says; `parent_key_result` narrows that to one key
    result of the parent, by its place among the parent's key results (0 is the first:
    ids exist only once loaded). `carried_from` is the objective of an earlier cycle it
    continues. A scored or closed objective is scored as `score_objective` would (each
    key result's final value is where it ended), with its `retrospective`.
    """

    objective: Objective
    key_results: tuple[KeyResultEntry, ...] = ()
    status: ObjectiveStatus = ObjectiveStatus.ACTIVE
    retrospective: str = ""
    carried_from: str | None = None
    parent_key_result: int | None = None


@dataclass(frozen=True)
class AlertEntry:
    """What people did about the alert a KPI raises once the workspace is loaded (its
    history): when it opened, and who acknowledged it when, saying what (e.g. that its
    draft was accepted as an objective of the workspace)."""

    kpi: str
    opened_at: datetime
    acknowledged_by: str
    acknowledged_at: datetime
    note: str


@dataclass(frozen=True)
class SubscriptionEntry:
    """Who is told about the workspace's alerts: written before its KPIs are judged, so
    the alerts the load raises are in their outbox."""

    channel: Channel
    target: str
    secret: str | None = None
    team: str | None = None
    kpi: str | None = None


@dataclass(frozen=True)
class Okrs:
    """The OKR side of a workspace to load: cycles, then objectives, each after what it
    aligns to or was carried from; and the history of the alerts its KPIs raise."""

    cycles: tuple[CycleEntry, ...] = ()
    objectives: tuple[ObjectiveEntry, ...] = ()
    alerts: tuple[AlertEntry, ...] = ()
    subscriptions: tuple[SubscriptionEntry, ...] = ()


def is_empty(uow: UnitOfWork) -> bool:
    """True when the workspace has no team yet (a first start)."""
    with uow:
        return not uow.teams.list(archived=True)


def load_workspace(
    uow: UnitOfWork,
    teams: Sequence[Team],
    kpis: Sequence[Kpi],
    values: Mapping[str, Series],
    who: Actor,
    now: datetime,
    *,
    okrs: Okrs | None = None,
) -> int:
    """Load teams, KPIs and their values — and the OKRs, when given — into an empty
    workspace in one transaction, then judge the KPIs' tiles for the health read model;
    returns the number of values written. A workspace that has teams is refused."""
    who.require_admin("load a workspace")
    actor = who.name
    with uow:
        if uow.teams.list(archived=True):
            raise Conflict("the workspace is not empty: load a workspace only into a new database")
        for team in teams:
            uow.teams.add(team, None, actor, now)
        for kpi in kpis:
            uow.kpis.add(kpi, actor, now)
        written = 0
        for key, series in values.items():
            for start in range(0, len(series), BATCH_ROWS):
                part = slice(start, start + BATCH_ROWS)
                size = len(series.values[part])
                written += uow.values.upsert(
                    ValueBatch(
                        kpis=(key,),
                        kpi=np.zeros(size, dtype=np.int64),
                        segment=[""] * size,
                        timestamps=series.timestamps[part],
                        value=series.values[part],
                    )
                )
        counts: dict[str, int] = {}
        if okrs:
            _annotations(okrs, values)
            plan = write_goals(uow, _goals(okrs), actor, now, whole=False)
            for kind, plural in _COUNTED.items():
                counts[plural] = sum(c.kind == kind for c in plan.changes if c.action in _ADDED)
        for sub in okrs.subscriptions if okrs else ():
            uow.subscriptions.add(
                sub.channel, sub.target, sub.secret, sub.team, sub.kpi, actor, now
            )
        if okrs and okrs.subscriptions:
            counts["subscriptions"] = len(okrs.subscriptions)
        uow.audit.append(
            actor=actor, action="load", entity="workspace", key="demo", before=None,
            after={"teams": len(teams), "kpis": len(kpis), "values": written, **counts},
            at=now,
        )  # fmt: skip
        uow.commit()
    refresh_health(uow, now)
    if okrs is not None:
        keep_summaries(uow, None, now)
        if okrs.alerts:
            _alert_history(uow, okrs.alerts, actor, now)
    return written


def _alert_history(
    uow: UnitOfWork, entries: Sequence[AlertEntry], actor: str, now: datetime
) -> None:
    """Give the alerts the load raised their history, in one transaction: an entry for
    a KPI that raised no status alert is refused (the workspace's story is wrong)."""
    with uow:
        raised = uow.alerts.unresolved([entry.kpi for entry in entries])
        for entry in entries:
            alert = raised.get(entry.kpi, {}).get(AlertKind.STATUS)
            if alert is None:
                raise Conflict(f"KPI {entry.kpi!r} raised no alert to give a history")
            uow.alerts.record(
                alert.id, entry.opened_at, entry.acknowledged_by, entry.acknowledged_at, entry.note
            )
            uow.audit.append(
                actor=actor, action="history", entity="alert", key=str(alert.id), before=None,
                after={"opened_at": entry.opened_at.isoformat(), "note": entry.note}, at=now,
            )  # fmt: skip
        uow.commit()


# --- The OKR side, inside load_workspace's transaction --------------------------------------


def _value_at(series: Series | None, at: datetime) -> float | None:
    """A KPI's newest value at `at` (None before its first)."""
    if series is None or not len(series):
        return None
    i = int(np.searchsorted(series.timestamps, np.datetime64(as_utc(at), "s"), side="right"))
    return None if i == 0 else float(series.values[i - 1])


def _annotations(okrs: Okrs, values: Mapping[str, Series]) -> None:
    """A check-in on a key result fed by a KPI annotates the KPI's value then: the values
    loaded with the workspace say what each one's value is."""
    for n, entry in enumerate(okrs.objectives):
        for j, kr in enumerate(entry.key_results):
            kpi = kr.definition.kpi
            if kpi is None:
                continue
            for m, c in enumerate(kr.check_ins):
                newest = _value_at(values.get(kpi), c.at)
                if newest is None or c.value != newest:
                    raise InvalidInput(
                        f"this key result follows KPI {kpi!r}: a check-in at {as_utc(c.at)} "
                        f"annotates its value then ({'none' if newest is None else f'{newest:g}'})",
                        field=f"objectives[{n}].key_results[{j}].check_ins[{m}].value",
                    )


def _goals(okrs: Okrs) -> Goals:
    """The OKR side of a workspace as goals (`services.goals` writes it), each entry at
    its place in `okrs` (`objectives[2].key_results[1]`) for the errors to name."""
    cycles = {entry.cycle.name: entry.cycle for entry in okrs.cycles}
    return Goals(
        cycles=tuple(
            CycleSpec(entry.cycle, entry.state, Location("", 0, f"cycles[{n}]"))
            for n, entry in enumerate(okrs.cycles)
        ),
        objectives=tuple(
            _objective(entry, cycles, f"objectives[{n}]") for n, entry in enumerate(okrs.objectives)
        ),
    )


def _objective(entry: ObjectiveEntry, cycles: Mapping[str, Cycle], where: str) -> ObjectiveSpec:
    o = entry.objective
    cycle = cycles.get(o.cycle)
    if cycle is None:
        raise InvalidInput(f"no cycle {o.cycle!r} among those loaded", field=f"{where}.cycle")
    return ObjectiveSpec.of(
        o,
        cycle,
        status=entry.status,
        retrospective=entry.retrospective,
        carried_from=entry.carried_from,
        parent_key_result=None if entry.parent_key_result is None else entry.parent_key_result + 1,
        key_results=tuple(
            _key_result(kr, f"{where}.key_results[{j}]") for j, kr in enumerate(entry.key_results)
        ),
        location=Location("", 0, where),
    )


def _key_result(entry: KeyResultEntry, where: str) -> KeyResultSpec:
    return KeyResultSpec.of(
        entry.definition,
        score=entry.score,
        score_reason=entry.score_reason,
        check_ins=entry.check_ins,
        initiatives=tuple(
            InitiativeSpec(i, Location("", 0, f"{where}.initiatives[{n}]"))
            for n, i in enumerate(entry.initiatives)
        ),
        location=Location("", 0, where),
    )
