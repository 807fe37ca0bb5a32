"""Workspace use cases: load a whole workspace (the demo) into an empty database.

One use case, `load_workspace`, writes everything in one transaction through the
repositories: teams, KPIs and their values, and — when given — the OKR side: cycles,
objectives with their key results, check-ins and initiatives, and for the cycles that
are over, the scores and retrospectives on record. What it loads is checked by the same
domain rules a person's edits meet (keys, alignment, a key result against its cycle, a
check-in's value and confidence, a tracker address, what closing needs), and an error
names the entry and field (`objectives[2].key_results[1].target`); nothing is written
then.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import numpy as np

from okrkit.domain.alerts import AlertKind
from okrkit.domain.cadence import as_utc
from okrkit.domain.check_ins import CheckIn, check_value, checked_confidence, checked_note
from okrkit.domain.cycles import Cycle, CycleState, StoredCycle
from okrkit.domain.errors import Conflict, InvalidInput
from okrkit.domain.grading import ObjectiveType, closing_problem
from okrkit.domain.initiatives import Initiative, check_tracker_url
from okrkit.domain.key_results import (
    KeyResultDefinition,
    StoredKeyResult,
    objective_score,
    proposed_score,
)
from okrkit.domain.keys import check_key
from okrkit.domain.kpis import Kpi
from okrkit.domain.notifications import Channel
from okrkit.domain.objectives import Alignment, Objective, ObjectiveStatus, check_alignment
from okrkit.domain.progress import progress
from okrkit.domain.teams import Team
from okrkit.domain.values import Series
from okrkit.services.key_results import checked_key_result
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
MAX_INITIATIVE_TITLE = 200


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
    actor: str,
    now: datetime,
    *,
    okrs: Okrs | None = None,
) -> int:
    """Load teams, KPIs and their values — and the OKRs, when given — into an empty
    workspace in one transaction, then judge the KPIs' tiles for the health read model;
    returns the number of values written. A workspace that has teams is refused."""
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
        counts = _OkrLoader(uow, values, actor, now).load(okrs) if okrs else {}
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


def _named(error: InvalidInput, where: str) -> InvalidInput:
    """The error with its field placed in the entry it is about."""
    return InvalidInput(error.message, field=f"{where}.{error.field or 'title'}")


class _OkrLoader:
    """Writes an `Okrs` through the repositories of one open unit of work."""

    def __init__(
        self, uow: UnitOfWork, values: Mapping[str, Series], actor: str, now: datetime
    ) -> None:
        self.uow, self.values, self.actor, self.now = uow, values, actor, now
        self.cycles: dict[str, StoredCycle] = {}
        self.key_results: dict[str, list[int]] = {}
        self.alignments: dict[str, Alignment | None] = {}
        self.counts = dict.fromkeys(
            ("cycles", "objectives", "key_results", "check_ins", "initiatives"), 0
        )

    def load(self, okrs: Okrs) -> dict[str, int]:
        """Write every cycle and objective; return how many of each kind were written."""
        for n, entry in enumerate(okrs.cycles):
            c = entry.cycle
            cycle = Cycle.parse(c.name, c.start, c.end, field=f"cycles[{n}].name")
            if cycle.name in self.cycles:
                raise Conflict(f"cycle {cycle.name} is loaded twice")
            self.cycles[cycle.name] = self.uow.cycles.add(cycle, entry.state, self.actor, self.now)
        for n, objective in enumerate(okrs.objectives):
            self._objective(objective, f"objectives[{n}]")
        self.counts["cycles"] = len(self.cycles)
        self.counts["objectives"] = len(self.key_results)
        return self.counts

    def _objective(self, entry: ObjectiveEntry, where: str) -> None:
        o = entry.objective
        check_key(o.key, field=f"{where}.key")
        if o.key in self.key_results:
            raise Conflict(f"objective {o.key!r} is loaded twice")
        cycle = self.cycles.get(o.cycle)
        if cycle is None:
            raise InvalidInput(f"no cycle {o.cycle!r} among those loaded", field=f"{where}.cycle")
        if not self.uow.teams.exists(o.team):
            raise InvalidInput(f"no team {o.team!r}", field=f"{where}.team")
        if o.north_star is not None and not self.uow.kpis.existing([o.north_star]):
            raise InvalidInput(f"no KPI {o.north_star!r}", field=f"{where}.north_star")
        on_record = entry.status in (ObjectiveStatus.SCORED, ObjectiveStatus.CLOSED)
        if cycle.state == CycleState.CLOSED and not on_record:
            raise InvalidInput(
                f"cycle {o.cycle} is closed: its objectives are scored or closed",
                field=f"{where}.status",
            )
        o = replace(o, parent=self._parent(entry, cycle.cycle, f"{where}.parent"))
        if entry.carried_from is not None:
            self._carried_from(entry.carried_from, o.cycle, f"{where}.carried_from")
        definitions = []
        for j, kr in enumerate(entry.key_results):
            try:
                definitions.append(checked_key_result(self.uow, kr.definition, cycle))
            except InvalidInput as error:
                raise _named(error, f"{where}.key_results[{j}]") from None
        # A scored objective was active first: it is scored once its key results are.
        status = ObjectiveStatus.ACTIVE if on_record else entry.status
        stored = self.uow.objectives.add(o, status, entry.carried_from, self.actor, self.now)
        self.alignments[o.key] = o.parent
        ids = self.key_results[o.key] = []
        scored: list[StoredKeyResult] = []
        for j, (kr, definition) in enumerate(zip(entry.key_results, definitions, strict=True)):
            at = f"{where}.key_results[{j}]"
            added = self.uow.key_results.add(o.key, definition, self.actor, self.now)
            ids.append(added.id)
            self.counts["key_results"] += 1
            last = self._check_ins(added, kr.check_ins, cycle.cycle, f"{at}.check_ins")
            self._initiatives(added.id, kr.initiatives, f"{at}.initiatives")
            if on_record:
                scored.append(self._score(added, kr, last, cycle.cycle, at))
        if not on_record:
            return
        score = objective_score(
            [(kr.score, kr.definition.weight, kr.definition.guardrail) for kr in scored]
        )
        if score is None and o.type != ObjectiveType.LEARNING:
            score = 0.0
        try:
            retrospective = checked_note(entry.retrospective)
        except InvalidInput as error:
            raise InvalidInput(error.message, field=f"{where}.retrospective") from None
        if entry.status == ObjectiveStatus.CLOSED:
            problem = closing_problem(score, o.type, retrospective)
            if problem is not None:
                raise InvalidInput(problem, field=f"{where}.retrospective")
        self.uow.objectives.update(
            o.key,
            stored.revision.version,
            replace(stored, status=entry.status, score=score, retrospective=retrospective),
            self.actor,
            self.now,
        )

    def _parent(self, entry: ObjectiveEntry, cycle: Cycle, where: str) -> Alignment | None:
        """What the objective aligns to, the key result named by its id: loaded before
        it, of the same or an enclosing cycle, never itself or below itself."""
        parent = entry.objective.parent
        if parent is None:
            if entry.parent_key_result is not None:
                raise InvalidInput("a key result to align to needs its objective", field=where)
            return None
        key = entry.objective.key
        if parent.objective == key:
            raise InvalidInput(f"objective {key!r} cannot align to itself", field=where)
        if parent.objective not in self.key_results:
            raise InvalidInput(
                f"no objective {parent.objective!r} loaded before {key!r} to align to",
                field=where,
            )
        above = self.uow.objectives.get(parent.objective)
        span = self.cycles[above.objective.cycle].cycle
        if not (span.start <= cycle.start and cycle.end <= span.end):
            raise InvalidInput(
                f"objective {parent.objective!r} is in cycle {span.name}, which does not "
                f"enclose {cycle.name}",
                field=where,
            )
        alignment = Alignment(parent.objective)
        if entry.parent_key_result is not None:
            own = self.key_results[parent.objective]
            if not 0 <= entry.parent_key_result < len(own):
                raise InvalidInput(
                    f"objective {parent.objective!r} has no key result number "
                    f"{entry.parent_key_result + 1}",
                    field=where,
                )
            alignment = Alignment(parent.objective, own[entry.parent_key_result])
        check_alignment(key, alignment, self.alignments)
        return alignment

    def _carried_from(self, original: str, cycle: str, where: str) -> None:
        if original not in self.key_results:
            raise InvalidInput(f"no objective {original!r} loaded before to carry", field=where)
        if self.uow.objectives.get(original).objective.cycle == cycle:
            raise InvalidInput("an objective is carried into another cycle", field=where)

    def _check_ins(
        self, kr: StoredKeyResult, check_ins: Sequence[CheckIn], cycle: Cycle, where: str
    ) -> float | None:
        """Append the check-ins as `record_check_in` would have, each checked; return
        the last value."""
        d = kr.definition
        series = self.values.get(d.kpi) if d.kpi is not None else None
        last: float | None = None
        previous: datetime | None = None
        for n, c in enumerate(check_ins):
            at = f"{where}[{n}]"
            moment = as_utc(c.at)
            if moment > as_utc(self.now) or moment < as_utc(cycle.start):
                raise InvalidInput(
                    f"a check-in at {moment} is not between the cycle's start and now",
                    field=f"{at}.at",
                )
            if previous is not None and moment < previous:
                raise InvalidInput("check-ins are given oldest first", field=f"{at}.at")
            previous = moment
            if d.kpi is not None:
                newest = _value_at(series, moment)
                if newest is None or c.value != newest:
                    raise InvalidInput(
                        f"this key result follows KPI {d.kpi!r}: a check-in at {moment} "
                        f"annotates its value then ({'none' if newest is None else f'{newest:g}'})",
                        field=f"{at}.value",
                    )
                value = newest
            else:
                value = check_value(d, c.value, field=f"{at}.value")
            try:
                confidence = checked_confidence(c.confidence)
                note = checked_note(c.note)
            except InvalidInput as error:
                raise _named(error, at) from None
            self.uow.check_ins.append(kr.id, CheckIn(moment, value, confidence, note, c.author))
            self.counts["check_ins"] += 1
            last = value
        return last

    def _initiatives(self, kr: int, initiatives: Sequence[Initiative], where: str) -> None:
        for n, i in enumerate(initiatives):
            title = i.title.strip()
            if not title or len(title) > MAX_INITIATIVE_TITLE or "\x00" in title:
                raise InvalidInput(
                    f"an initiative needs a title of at most {MAX_INITIATIVE_TITLE} characters",
                    field=f"{where}[{n}].title",
                )
            try:
                url = check_tracker_url(i.url)
            except InvalidInput as error:
                raise _named(error, f"{where}[{n}]") from None
            self.uow.initiatives.add(kr, Initiative(title, i.status, url), self.actor, self.now)
            self.counts["initiatives"] += 1

    def _score(
        self,
        kr: StoredKeyResult,
        entry: KeyResultEntry,
        last: float | None,
        cycle: Cycle,
        where: str,
    ) -> StoredKeyResult:
        """A key result of a scored objective on record: where it ended (a KPI's newest
        value by the cycle's end for one fed by a KPI), its score — the one proposed from
        that, or a person's with a reason."""
        d = kr.definition
        final = last
        if d.kpi is not None:
            end = datetime.combine(cycle.end + timedelta(days=1), datetime.min.time())
            final = _value_at(self.values.get(d.kpi), min(end, as_utc(self.now)))
        proposed = proposed_score(progress(d.view(final)))
        score = proposed if entry.score is None else entry.score
        if not 0.0 <= score <= 1.0:
            raise InvalidInput(f"score {score} is not between 0.0 and 1.0", field=f"{where}.score")
        reason = checked_note(entry.score_reason)
        if round(score, 2) != proposed and not reason:
            raise InvalidInput(
                f"the score {score:g} differs from the {proposed:g} its progress proposes: "
                "say why in a reason",
                field=f"{where}.score_reason",
            )
        after = replace(kr, score=float(score), score_reason=reason, final_value=final)
        return self.uow.key_results.update(kr.id, kr.revision.version, after, self.actor, self.now)
