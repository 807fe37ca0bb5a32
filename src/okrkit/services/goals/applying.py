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

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from okrkit.domain.cadence import as_utc
from okrkit.domain.check_ins import CheckIn, check_value, checked_confidence, checked_note
from okrkit.domain.cycles import Cycle, CycleState, StoredCycle
from okrkit.domain.errors import InvalidInput, OkrkitError
from okrkit.domain.fields import from_data
from okrkit.domain.goals import (
    CycleSpec,
    Goals,
    KeyResultSpec,
    KpiSpec,
    Location,
    ObjectiveSpec,
    TeamSpec,
)
from okrkit.domain.grading import closing_problem
from okrkit.domain.initiatives import StoredInitiative
from okrkit.domain.key_results import KeyResultDefinition, StoredKeyResult
from okrkit.domain.keys import check_key
from okrkit.domain.kpis import StoredKpi
from okrkit.domain.objectives import (
    Alignment,
    Objective,
    ObjectiveStatus,
    StoredObjective,
    objective_record,
)
from okrkit.domain.progress import KeyResultType
from okrkit.domain.teams import StoredTeam, Team, checked_team_name
from okrkit.services.check_ins import write_check_in
from okrkit.services.cycles import cycle_record
from okrkit.services.goals.changes import Action, Change, FieldChange, Plan
from okrkit.services.goals.reading import alert_drafts
from okrkit.services.initiatives import checked_initiative, initiative_record
from okrkit.services.key_results import (
    append_key_result,
    check_open,
    checked_key_result,
    key_result_record,
)
from okrkit.services.kpis import check_inputs, kpi_record, validate_kpi
from okrkit.services.objectives import (
    check_activation,
    check_objective,
    judge_objectives,
    keep_summaries_after,
    score_key_results,
)
from okrkit.services.ports import ObjectiveQuery, UnitOfWork
from okrkit.services.teams import team_record
from okrkit.services.tiles import keep_health

__all__ = ["apply_goals", "plan_goals", "write_goals"]

_ON_RECORD = (ObjectiveStatus.SCORED, ObjectiveStatus.CLOSED)
# A milestone key result written with a number of milestones and no steps: their names.
MILESTONE = "Milestone {}"
ARCHIVING = (
    "Archiving keeps an entry with its history: a KPI keeps its values, an objective its "
    "key results, check-ins and scores; it leaves the listings and is restored when the "
    "files name it again."
)


class _Placed(InvalidInput):
    """An error already placed at its entry's file, line and field."""


def _placed(message: str, location: Location, field: str | None) -> _Placed:
    path = ".".join(part for part in (location.path, field) if part)
    return _Placed(
        message, source=location.file or None, line=location.line or None, field=path or None
    )


@contextmanager
def _at(location: Location, field: str | None = None) -> Iterator[None]:
    """Name where in the files an error inside is: the entry's file and line, its path,
    and the field (`field`, else the one the error names)."""
    try:
        yield
    except _Placed:
        raise
    except InvalidInput as error:
        raise _placed(error.message, location, field or error.field) from None
    except OkrkitError as error:
        raise _placed(str(error), location, field) from None


def _fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(name, before.get(name), value)
        for name, value in after.items()
        if before.get(name) != value
    )


def _checked_text(text: str, field: str) -> str:
    """A written review or reason: a note's rules (`domain.check_ins.checked_note`)."""
    try:
        return checked_note(text)
    except InvalidInput as error:
        raise InvalidInput(error.message, field=field) from None


@dataclass
class _Stored:
    """The workspace's OKR side as the run found it: objectives (archived ones too) by
    key, their key results, each key result's check-ins and initiatives."""

    objectives: dict[str, StoredObjective]
    key_results: dict[str, list[StoredKeyResult]]
    check_ins: dict[int, list[CheckIn]]
    initiatives: dict[int, list[StoredInitiative]]


class _Run:
    """One apply: the changes made so far, inside the caller's unit of work."""

    def __init__(self, uow: UnitOfWork, actor: str, now: datetime) -> None:
        self.uow, self.actor, self.now = uow, actor, now
        self.changes: list[Change] = []
        self.notes: list[str] = []
        self.closing: list[tuple[StoredCycle, Location]] = []
        self.states: dict[str, CycleState] = {}

    def record(
        self,
        action: Action,
        audited: str | None,
        kind: str,
        key: str,
        location: Location,
        before: Mapping[str, Any] | None,
        after: Mapping[str, Any] | None,
        *,
        audit_key: str | None = None,
    ) -> None:
        """Note a change (its fields before → after when it changes an entry) and, when
        `audited` names the action, append it to the audit log."""
        if audited is not None:
            self.uow.audit.append(
                actor=self.actor, action=audited, entity=kind, key=audit_key or key,
                before=None if before is None else dict(before),
                after=None if after is None else dict(after), at=self.now,
            )  # fmt: skip
        fields = () if before is None or after is None else _fields(before, after)
        self.changes.append(Change(action, kind, key, location, fields))

    # --- teams and KPIs -------------------------------------------------------------------

    def teams(self, specs: Sequence[TeamSpec]) -> None:
        stored = {t.team.key: t for t in self.uow.teams.list(archived=True)}
        for spec in specs:
            key = spec.team.key
            with _at(spec.location):
                check_key(key)
                team = Team(key, checked_team_name(spec.team.name))
                if spec.parent == key:
                    raise InvalidInput("a team cannot be its own parent", field="parent")
                before = stored.get(key)
                if before is None:
                    added = self.uow.teams.add(team, spec.parent, self.actor, self.now)
                    self.record(
                        Action.CREATE, "create", "team", key, spec.location, None,
                        team_record(added),
                    )  # fmt: skip
                else:
                    self._team(before, replace(before, team=team, parent=spec.parent,
                                               archived=False), spec.location)  # fmt: skip
        for spec in specs:
            if spec.parent is not None and not self.uow.teams.exists(spec.parent):
                raise _placed(f"no team {spec.parent!r}", spec.location, "parent")
        named = {spec.team.key for spec in specs}
        for key, before in stored.items():
            if key not in named and not before.archived:
                self._team(before, replace(before, archived=True), Location.page(f"/teams/{key}"))

    def _team(self, before: StoredTeam, wanted: StoredTeam, location: Location) -> None:
        if wanted == before:
            return
        key = before.team.key
        after = self.uow.teams.update(key, before.revision.version, wanted, self.actor, self.now)
        action = _archiving(before.archived, after.archived)
        self.record(
            action, _audited(action), "team", key, location, team_record(before),
            team_record(after),
        )  # fmt: skip

    def kpis(self, specs: Sequence[KpiSpec]) -> dict[str, StoredKpi]:
        """Create, change and restore the KPIs the files name; return every KPI as it
        was found (those the files leave out are archived last)."""
        stored = {k.kpi.key: k for k in self.uow.kpis.list(archived=True)}
        judged = []
        for spec in specs:
            key = spec.kpi.key
            with _at(spec.location):
                kpi = validate_kpi(spec.kpi)
                before = stored.get(key)
                if before is None:
                    added = self.uow.kpis.add(kpi, self.actor, self.now)
                    self.record(
                        Action.CREATE, "create", "kpi", key, spec.location, None,
                        kpi_record(added),
                    )  # fmt: skip
                    continue
                wanted = replace(before, kpi=kpi, archived=False)
                if wanted == before:
                    continue
                after = self.uow.kpis.update(
                    key, before.revision.version, wanted, self.actor, self.now
                )
                action = _archiving(before.archived, after.archived)
                self.record(
                    action, _audited(action), "kpi", key, spec.location, kpi_record(before),
                    kpi_record(after),
                )  # fmt: skip
                judged.append(after)
        for spec in specs:
            with _at(spec.location):
                check_inputs(self.uow, spec.kpi)
        if judged:
            keep_health(self.uow, judged, self.now)
        return stored

    def archive_kpis(self, stored: Mapping[str, StoredKpi], named: set[str]) -> None:
        gone = [k for key, k in stored.items() if key not in named and not k.archived]
        for before in gone:
            key = before.kpi.key
            after = self.uow.kpis.update(
                key, before.revision.version, replace(before, archived=True), self.actor, self.now
            )
            self.record(
                Action.ARCHIVE, "archive", "kpi", key, Location.page(f"/kpis/{key}"),
                kpi_record(before), kpi_record(after),
            )  # fmt: skip
        if gone:
            self.uow.tiles.forget([k.kpi.key for k in gone])

    # --- cycles ---------------------------------------------------------------------------

    def cycles(self, goals: Goals) -> dict[str, StoredCycle]:
        """Create the cycles the files name (listed, or named by an objective: active
        when new) and start those they say are active; those they close are closed last,
        once their objectives are scored. Return every cycle by name."""
        stored = {c.cycle.name: c for c in self.uow.cycles.list()}
        listed = {spec.cycle.name for spec in goals.cycles}
        implied = {
            o.cycle.name: CycleSpec(o.cycle, CycleState.ACTIVE, o.location)
            for o in reversed(goals.objectives)
            if o.cycle.name not in listed
        }
        for spec in (*goals.cycles, *implied.values()):
            name = spec.cycle.name
            with _at(spec.location, None if name in listed else "cycle"):
                c = spec.cycle
                cycle = Cycle.parse(c.name, c.start, c.end, field="name")
                before = stored.get(name)
                if before is None:
                    stored[name] = self.uow.cycles.add(cycle, spec.state, self.actor, self.now)
                    self.record(
                        Action.CREATE, "create", "cycle", name, spec.location, None,
                        cycle_record(stored[name]),
                    )  # fmt: skip
                    continue
                if before.cycle != cycle:
                    raise InvalidInput(
                        f"cycle {name} runs from {before.cycle.start} to {before.cycle.end} "
                        "in the workspace: a cycle's dates do not change (give a cycle with "
                        "other dates another name)",
                        field="start" if name in listed else "cycle",
                    )
                if name not in listed or spec.state == before.state:
                    continue
                state = before.moved_to(spec.state)
                if state is CycleState.CLOSED:
                    self.closing.append((before, spec.location))
                    continue
                stored[name] = self.uow.cycles.update(
                    name, before.revision.version, replace(before, state=state), self.actor,
                    self.now,
                )  # fmt: skip
                self.record(
                    Action.CHANGE, "start", "cycle", name, spec.location, cycle_record(before),
                    cycle_record(stored[name]),
                )  # fmt: skip
        self.states = {name: c.state for name, c in stored.items()}
        self.states.update({before.cycle.name: CycleState.CLOSED for before, _ in self.closing})
        return stored

    def close_cycles(self) -> None:
        for before, location in self.closing:
            name = before.cycle.name
            with _at(location, "state"):
                active, _ = self.uow.objectives.list(
                    ObjectiveQuery(cycle=name, status=ObjectiveStatus.ACTIVE.value)
                )
                if active:
                    keys = ", ".join(o.objective.key for o in active)
                    raise InvalidInput(
                        f"cycle {name} closes with its objectives scored: {keys} still active"
                    )
                after = self.uow.cycles.update(
                    name, before.revision.version, replace(before, state=CycleState.CLOSED),
                    self.actor, self.now,
                )  # fmt: skip
            self.record(
                Action.CHANGE, "close", "cycle", name, location, cycle_record(before),
                cycle_record(after),
            )  # fmt: skip

    # --- objectives -----------------------------------------------------------------------

    def read(self) -> _Stored:
        listed, _ = self.uow.objectives.list(ObjectiveQuery(archived=True))
        key_results = self.uow.key_results.of([o.objective.key for o in listed])
        ids = [kr.id for krs in key_results.values() for kr in krs]
        return _Stored(
            {o.objective.key: o for o in listed},
            key_results,
            self.uow.check_ins.of(ids) if ids else {},
            self.uow.initiatives.of(ids) if ids else {},
        )

    def objectives(
        self, specs: Sequence[ObjectiveSpec], cycles: Mapping[str, StoredCycle], found: _Stored
    ) -> None:
        for spec in _ordered(specs):
            cycle = cycles[spec.cycle.name]
            with _at(spec.location):
                objective = self._definition(spec, cycle)
            before = found.objectives.get(spec.key)
            if before is None:
                self._create(spec, objective, cycle)
            else:
                self._update(spec, objective, cycle, before, found)

    def archive_objectives(self, found: _Stored, named: set[str]) -> None:
        gone = [o for key, o in found.objectives.items() if key not in named and not o.archived]
        drafts = alert_drafts(self.uow, gone)
        for before in gone:
            key = before.objective.key
            if key in drafts:
                continue
            after = self.uow.objectives.update(
                key, before.revision.version, replace(before, archived=True), self.actor,
                self.now,
            )  # fmt: skip
            self.record(
                Action.ARCHIVE, "archive", "objective", key, Location.page(f"/objectives/{key}"),
                objective_record(before), objective_record(after),
            )  # fmt: skip
        if drafts:
            self.notes.append(
                f"Left alone: {', '.join(sorted(drafts))}, "
                f"{'a draft' if len(drafts) == 1 else 'drafts'} an alert proposed and nobody "
                "accepted yet: each waits for a person on its alert (accepted there, or "
                "dismissed with a reason), as the export leaves it out."
            )

    def _definition(self, spec: ObjectiveSpec, cycle: StoredCycle) -> Objective:
        """The objective the files describe, checked as a person's edit is: its declared
        fields, its team, North Star and what it aligns to; in a closed cycle it is on
        record (scored or closed) or a draft nobody activated."""
        if self.states[cycle.cycle.name] is CycleState.CLOSED and spec.status not in (
            *_ON_RECORD,
            ObjectiveStatus.DRAFT,
        ):
            raise InvalidInput(
                f"cycle {cycle.cycle.name} is closed: its objectives are scored or closed",
                field="status",
            )
        parent = None
        if spec.parent is not None:
            key_result = None
            if spec.parent_key_result is not None:
                own = self.uow.key_results.of([spec.parent]).get(spec.parent, [])
                if not 1 <= spec.parent_key_result <= len(own):
                    raise InvalidInput(
                        f"objective {spec.parent!r} has no key result number "
                        f"{spec.parent_key_result}",
                        field="parent_key_result",
                    )
                key_result = own[spec.parent_key_result - 1].id
            parent = Alignment(spec.parent, key_result)
        elif spec.parent_key_result is not None:
            raise InvalidInput(
                "a key result to align to needs its objective", field="parent_key_result"
            )
        objective = from_data(
            Objective,
            {
                "key": spec.key, "title": spec.title, "cycle": spec.cycle.name,
                "team": spec.team, "type": spec.type.value, "description": spec.description,
                "owner": spec.owner, "parent": None if parent is None else str(parent),
                "north_star": spec.north_star, "private": spec.private,
            },
        )  # fmt: skip
        check_objective(self.uow, objective, cycle)
        if spec.status not in _ON_RECORD:
            _not_scored(spec)
        return objective

    def _create(self, spec: ObjectiveSpec, objective: Objective, cycle: StoredCycle) -> None:
        if spec.carried_from is not None:
            with _at(spec.location, "carried_from"):
                original = self.uow.objectives.get(spec.carried_from)
                if original.objective.cycle == objective.cycle:
                    raise InvalidInput("an objective is carried into another cycle")
        # A scored objective was active first: it is scored once its key results are.
        status = ObjectiveStatus.DRAFT if spec.status is ObjectiveStatus.DRAFT else None
        stored = self.uow.objectives.add(
            objective, status or ObjectiveStatus.ACTIVE, spec.carried_from, self.actor, self.now
        )
        self.record(
            Action.CREATE, "create", "objective", spec.key, spec.location, None,
            objective_record(stored),
        )  # fmt: skip
        pairs = []
        for kr in spec.key_results:
            added = self._create_key_result(kr, stored, cycle)
            pairs.append((kr, added))
            self._check_ins(kr, added, cycle, (), open_for_new=True, owner=spec.key)
            self._initiatives(kr, added, (), owner=spec.key)
        if spec.status in _ON_RECORD:
            self._score(spec, cycle, pairs)

    def _update(
        self,
        spec: ObjectiveSpec,
        objective: Objective,
        cycle: StoredCycle,
        before: StoredObjective,
        found: _Stored,
    ) -> None:
        key = spec.key
        with _at(spec.location):
            if before.objective.cycle != objective.cycle:
                raise InvalidInput(
                    f"objective {key!r} is in cycle {before.objective.cycle}: an objective's "
                    f"cycle does not change (carry it over into {objective.cycle})",
                    field="cycle",
                )
            if spec.carried_from is not None and spec.carried_from != before.carried_from:
                raise InvalidInput(
                    f"objective {key!r} was carried from {before.carried_from or 'nothing'}: "
                    "where an objective comes from does not change",
                    field="carried_from",
                )
            current = before
            if before.archived:
                current = self._objective_update(current, replace(current, archived=False),
                                                 spec, Action.RESTORE, "restore")  # fmt: skip
            if objective != current.objective:
                if current.status in _ON_RECORD:
                    raise InvalidInput(
                        f"objective {key!r} is {current.status}: it is on record", field="title"
                    )
                current = self._objective_update(current, replace(current, objective=objective),
                                                 spec, Action.CHANGE, "edit")  # fmt: skip
            if spec.status is not current.status and spec.status not in _ON_RECORD:
                if spec.status is ObjectiveStatus.ACTIVE:
                    with _at(spec.location, "status"):
                        status = check_activation(self.uow, current)
                else:
                    with _at(spec.location, "status"):
                        status = current.moved_to(spec.status)
                current = self._objective_update(current, replace(current, status=status),
                                                 spec, Action.CHANGE, "activate")  # fmt: skip
        stored_krs = found.key_results.get(key, [])
        pairs = _matched(spec, stored_krs)
        on_record = before.status in _ON_RECORD or self._was_closed(cycle)
        done = []
        for kr, known in pairs:
            if known is None:
                with _at(kr.location):
                    check_open(cycle, current)
                added = self._create_key_result(kr, current, cycle)
                done.append((kr, added))
                self._check_ins(kr, added, cycle, (), open_for_new=True, owner=key)
                self._initiatives(kr, added, (), owner=key)
                continue
            updated = self._update_key_result(kr, known, current, cycle)
            done.append((kr, updated))
            self._check_ins(kr, updated, cycle, found.check_ins.get(known.id, ()),
                            open_for_new=not on_record, owner=key)  # fmt: skip
            self._initiatives(kr, updated, found.initiatives.get(known.id, ()), owner=key)
        if spec.status in _ON_RECORD and _rescored(spec, current, done):
            self._score(spec, cycle, done)

    def _was_closed(self, cycle: StoredCycle) -> bool:
        """Whether the cycle was closed before this run: its check-ins are on record."""
        return cycle.state is CycleState.CLOSED

    def _objective_update(
        self,
        before: StoredObjective,
        wanted: StoredObjective,
        spec: ObjectiveSpec,
        action: Action,
        audited: str,
    ) -> StoredObjective:
        key = before.objective.key
        after = self.uow.objectives.update(
            key, before.revision.version, wanted, self.actor, self.now
        )
        self.record(
            action, audited, "objective", key, spec.location, objective_record(before),
            objective_record(after),
        )  # fmt: skip
        return after

    # --- key results, check-ins, initiatives ---------------------------------------------

    def _key_result_definition(
        self, kr: KeyResultSpec, objective: StoredObjective, cycle: StoredCycle
    ) -> KeyResultDefinition:
        """The key result the files describe, checked against its cycle as a person's
        is; it is owned by its objective's owner unless it names its own."""
        names = kr.steps
        if names is None and kr.milestones is not None:
            names = tuple(MILESTONE.format(n) for n in range(1, kr.milestones + 1))
        if names is not None and any(";" in name for name in names):
            raise InvalidInput("a step's name cannot hold ';'", field="steps")
        definition = from_data(
            KeyResultDefinition,
            {
                "title": kr.title, "type": kr.type.value, "unit": kr.unit, "start": kr.start,
                "target": kr.target, "owner": kr.owner or objective.objective.owner,
                "deadline": kr.deadline, "weight": kr.weight, "guardrail": kr.guardrail,
                "direction": None if kr.direction is None else kr.direction.value,
                "steps": None if names is None or kr.type is not KeyResultType.MILESTONE
                else "; ".join(names),
                "kpi": kr.kpi,
            },
        )  # fmt: skip
        return checked_key_result(self.uow, definition, cycle)

    def _create_key_result(
        self, kr: KeyResultSpec, objective: StoredObjective, cycle: StoredCycle
    ) -> StoredKeyResult:
        key = objective.objective.key
        with _at(kr.location):
            definition = self._key_result_definition(kr, objective, cycle)
            added = append_key_result(self.uow, key, definition, self.actor, self.now)
            self.record(Action.CREATE, None, "key_result", f"{key} / {kr.title}", kr.location,
                        None, None)  # fmt: skip
            if kr.original_target is None and not kr.recalibration:
                return added
            if kr.original_target is None:
                raise InvalidInput(
                    "a recalibration keeps the target the cycle started with: give original_target",
                    field="original_target",
                )
            reason = _checked_text(kr.recalibration, "recalibration")
            if not reason:
                raise InvalidInput("a recalibrated target needs its reason", field="recalibration")
            return self._key_result_update(
                added,
                replace(added, original_target=kr.original_target, recalibration=reason),
                kr,
                "recalibrate",
            )

    def _update_key_result(
        self,
        kr: KeyResultSpec,
        before: StoredKeyResult,
        objective: StoredObjective,
        cycle: StoredCycle,
    ) -> StoredKeyResult:
        with _at(kr.location):
            definition = self._key_result_definition(kr, objective, cycle)
            wanted = replace(before, definition=definition)
            reason = _checked_text(kr.recalibration, "recalibration")
            if definition == before.definition:
                given = (kr.original_target, reason)
                if given != (None, "") and given != (before.original_target, before.recalibration):
                    raise InvalidInput(
                        "a recalibration is recorded when the target changes mid-cycle: "
                        f"this key result's is {before.recalibration or 'none'!r}",
                        field="recalibration",
                    )
                return before
            check_open(cycle, objective)
            retargeted = definition.target != before.definition.target
            if retargeted and cycle.state is CycleState.ACTIVE:
                if not reason:
                    raise InvalidInput(
                        "changing a target mid-cycle is a recalibration: say why in recalibration",
                        field="recalibration",
                    )
                original = before.original_target
                if original is None:
                    original = before.definition.target
                if kr.original_target is not None and kr.original_target != original:
                    raise InvalidInput(
                        f"the target the cycle started with is {original:g}",
                        field="original_target",
                    )
                wanted = replace(wanted, original_target=original, recalibration=reason)
            audited = "recalibrate" if wanted.recalibration != before.recalibration else "edit"
            return self._key_result_update(before, wanted, kr, audited)

    def _key_result_update(
        self, before: StoredKeyResult, wanted: StoredKeyResult, kr: KeyResultSpec, audited: str
    ) -> StoredKeyResult:
        after = self.uow.key_results.update(
            before.id, before.revision.version, wanted, self.actor, self.now
        )
        self.record(
            Action.CHANGE, audited, "key_result", f"{before.objective} / {kr.title}",
            kr.location, key_result_record(before), key_result_record(after),
            audit_key=str(before.id),
        )  # fmt: skip
        return after

    def _check_ins(
        self,
        kr: KeyResultSpec,
        stored: StoredKeyResult,
        cycle: StoredCycle,
        known: Sequence[CheckIn],
        *,
        open_for_new: bool,
        owner: str,
    ) -> None:
        """Append the check-ins the files add, as they were recorded (a key result fed
        by a KPI keeps the value written: what its KPI showed then); one stored already
        (same moment, same value, confidence, note and author) is not stored again, one
        the files leave out stays, and one at a stored moment that differs is refused."""
        waiting: dict[datetime, list[CheckIn]] = {}
        for c in known:
            waiting.setdefault(as_utc(c.at), []).append(c)
        previous: datetime | None = None
        for n, c in enumerate(kr.check_ins):
            location = _check_in_location(kr, n)
            with _at(location):
                moment = as_utc(c.at)
                if waiting.get(moment):
                    _same_check_in(waiting[moment].pop(0), c, moment)
                    continue
                if not open_for_new:
                    raise InvalidInput(
                        f"objective {owner!r} is on record (scored, or its cycle closed): no "
                        "check-in is added to it",
                        field="at",
                    )
                if moment > as_utc(self.now) or moment < as_utc(cycle.cycle.start):
                    raise InvalidInput(
                        f"a check-in at {moment} is not between the cycle's start and now",
                        field="at",
                    )
                if previous is not None and moment < previous:
                    raise InvalidInput("check-ins are given oldest first", field="at")
                previous = moment
                value = check_value(stored.definition, c.value)
                confidence = checked_confidence(c.confidence)
                note = checked_note(c.note)
                written = CheckIn(moment, value, confidence, note, c.author)
                write_check_in(self.uow, stored, written, self.actor)
            self.changes.append(
                Change(
                    Action.APPEND,
                    "check_in",
                    f"{owner} / {kr.title} / {moment.isoformat(sep=' ')}",
                    location,
                    (FieldChange("value", None, value),),
                )
            )

    def _initiatives(
        self,
        kr: KeyResultSpec,
        stored: StoredKeyResult,
        known: Sequence[StoredInitiative],
        *,
        owner: str,
    ) -> None:
        by_title = {i.initiative.title: i for i in known}
        named: set[str] = set()
        for spec in kr.initiatives:
            with _at(spec.location):
                wanted = checked_initiative(spec.initiative)
                if wanted.title in named:
                    raise InvalidInput(
                        f"initiative {wanted.title!r} is named twice under this key result",
                        field="title",
                    )
                named.add(wanted.title)
                name = f"{owner} / {kr.title} / {wanted.title}"
                before = by_title.get(wanted.title)
                if before is None:
                    added = self.uow.initiatives.add(stored.id, wanted, self.actor, self.now)
                    self.record(
                        Action.CREATE, "create", "initiative", name, spec.location, None,
                        initiative_record(added), audit_key=str(added.id),
                    )  # fmt: skip
                elif before.initiative != wanted:
                    after = self.uow.initiatives.update(
                        before.id, before.revision.version, wanted, self.actor, self.now
                    )
                    self.record(
                        Action.CHANGE, "edit", "initiative", name, spec.location,
                        initiative_record(before), initiative_record(after),
                        audit_key=str(before.id),
                    )  # fmt: skip
        left = sorted(title for title in by_title if title not in named)
        if left:
            raise _placed(
                f"initiative {left[0]!r} of the workspace is not in the files: work is kept "
                "on record; give it status dropped instead of leaving it out",
                kr.location,
                "initiatives",
            )

    # --- scoring --------------------------------------------------------------------------

    def _score(
        self,
        spec: ObjectiveSpec,
        cycle: StoredCycle,
        pairs: Sequence[tuple[KeyResultSpec, StoredKeyResult]],
    ) -> None:
        """Score the objective as `score_objective` does — each key result's proposed
        score, or the one the files give with its reason — and close it when they say
        so, with the retrospective closing needs."""
        with _at(spec.location):
            current = self.uow.objectives.get(spec.key)
            if current.status is ObjectiveStatus.CLOSED:
                raise InvalidInput(
                    f"objective {spec.key!r} is closed: it is on record", field="status"
                )
            if current.status is ObjectiveStatus.DRAFT:
                raise InvalidInput(
                    f"objective {spec.key!r} is a draft: activate it before scoring",
                    field="status",
                )
            state = judge_objectives(self.uow, [current], {cycle.cycle.name: cycle}, self.now)[0]
        places = {stored.id: kr for kr, stored in pairs}
        given = {
            stored.id: (kr.score, kr.score_reason) for kr, stored in pairs if kr.score is not None
        }
        before = {s.key_result.id: s.key_result for s in state.key_results}
        try:
            scored, score = score_key_results(self.uow, state, given, self.actor, self.now)
        except InvalidInput as error:
            if not (error.field or "").startswith("scores."):
                raise _placed(error.message, spec.location, error.field) from None
            kr = places[int((error.field or "").removeprefix("scores."))]
            field = "score_reason" if kr.score is not None and not kr.score_reason else "score"
            raise _placed(error.message, kr.location, field) from None
        for after in scored:
            if after != before[after.id]:
                kr = places[after.id]
                self.record(
                    Action.CHANGE, None, "key_result", f"{spec.key} / {kr.title}", kr.location,
                    key_result_record(before[after.id]), key_result_record(after),
                )  # fmt: skip
        with _at(spec.location):
            retrospective = _checked_text(spec.retrospective, "retrospective")
            if spec.status is ObjectiveStatus.CLOSED:
                problem = closing_problem(score, current.objective.type, retrospective)
                if problem is not None:
                    raise InvalidInput(problem, field="retrospective")
            if spec.score is not None and (
                score is None or round(score, 2) != round(spec.score, 2)
            ):
                shown = "none" if score is None else f"{score:g}"
                raise InvalidInput(
                    f"an objective's score is its key results' weighted mean: {shown}",
                    field="score",
                )
        wanted = replace(current, status=spec.status, score=score, retrospective=retrospective)
        if wanted != current:
            audited = "close" if spec.status is ObjectiveStatus.CLOSED else "score"
            self._objective_update(current, wanted, spec, Action.CHANGE, audited)


def _archiving(was: bool, now: bool) -> Action:
    if was == now:
        return Action.CHANGE
    return Action.ARCHIVE if now else Action.RESTORE


def _audited(action: Action) -> str:
    return {Action.CHANGE: "edit"}.get(action, action.value)


def _field(location: Location, field: str) -> Location:
    return replace(location, path=f"{location.path}.{field}" if location.path else field)


def _check_in_location(kr: KeyResultSpec, n: int) -> Location:
    if n < len(kr.check_in_locations):
        return kr.check_in_locations[n]
    return _field(kr.location, f"check_ins[{n}]")


def _same_check_in(stored: CheckIn, given: CheckIn, moment: datetime) -> None:
    """A check-in in the files at a stored moment is the stored one, unchanged."""
    for name in ("value", "confidence", "note", "author"):
        was, now = getattr(stored, name), getattr(given, name)
        if name == "note":
            was, now = (was or "").strip(), (now or "").strip()
        if was != now:
            raise InvalidInput(
                f"check-ins are never edited: write a correction as a new check-in (the one "
                f"stored at {moment.isoformat(sep=' ')} has {name} {was!r}, not {now!r})",
                field=name,
            )


def _not_scored(spec: ObjectiveSpec) -> None:
    """Scores and a retrospective belong to a scored objective."""
    if spec.score is not None or spec.retrospective:
        raise InvalidInput(
            f"objective {spec.key!r} is {spec.status}: a score and a retrospective are "
            "written when it is scored",
            field="score" if spec.score is not None else "retrospective",
        )
    for kr in spec.key_results:
        if kr.score is not None or kr.score_reason:
            raise _placed(
                f"objective {spec.key!r} is {spec.status}: a key result is scored when its "
                "objective is",
                kr.location,
                "score",
            )


def _matched(
    spec: ObjectiveSpec, stored: Sequence[StoredKeyResult]
) -> list[tuple[KeyResultSpec, StoredKeyResult | None]]:
    """Each key result of the files with the stored one it is: by title, else the one at
    its place; every stored key result must be named (one is kept with its check-ins)."""
    free = list(stored)
    found: list[StoredKeyResult | None] = []
    for kr in spec.key_results:
        match = next((s for s in free if s.definition.title == kr.title), None)
        if match is not None:
            free.remove(match)
        found.append(match)
    for n in range(len(spec.key_results)):
        if found[n] is None and n < len(stored) and stored[n] in free:
            found[n] = stored[n]
            free.remove(stored[n])
    if free:
        raise _placed(
            f"key result {free[0].definition.title!r} of objective {spec.key!r} is not in the "
            "files: a key result is kept with its check-ins (put it back, or carry the "
            "objective over without it)",
            spec.location,
            "key_results",
        )
    return list(zip(spec.key_results, found, strict=True))


def _rescored(
    spec: ObjectiveSpec,
    current: StoredObjective,
    pairs: Sequence[tuple[KeyResultSpec, StoredKeyResult]],
) -> bool:
    """Whether the files score the objective anew: its status, a key result's score or
    reason, its retrospective or score differ from what is on record."""
    if spec.status is not current.status or spec.retrospective.strip() != current.retrospective:
        return True
    if spec.score is not None and spec.score != current.score:
        return True
    return any(
        kr.score is not None and (kr.score, kr.score_reason) != (s.score, s.score_reason)
        for kr, s in pairs
    )


def _ordered(specs: Sequence[ObjectiveSpec]) -> list[ObjectiveSpec]:
    """The objectives in the files' order, each after what it aligns to and what it was
    carried from (when the files name them); objectives that align in a circle stay in
    the files' order, and the alignment check names the circle."""
    keys = {spec.key for spec in specs}
    done: set[str] = set()
    order: list[ObjectiveSpec] = []
    waiting = list(specs)
    while waiting:
        ready = [
            s
            for s in waiting
            if all(
                k in done or k not in keys or k == s.key for k in (s.parent, s.carried_from) if k
            )
        ]
        if not ready:
            ready = waiting
        for s in ready:
            done.add(s.key)
            order.append(s)
        waiting = [s for s in waiting if s.key not in done]
    return order


def write_goals(
    uow: UnitOfWork, goals: Goals, actor: str, now: datetime, *, whole: bool = True
) -> Plan:
    """Make the workspace what `goals` say, inside the caller's open unit of work (it
    commits or rolls back). With `whole`, the goals are the whole workspace: its teams
    and KPIs too, and what they leave out is archived; without, only their cycles and
    objectives are written (a workspace's loader, its teams and KPIs written before)."""
    run = _Run(uow, actor, now)
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


def apply_goals(uow: UnitOfWork, goals: Goals, actor: str, now: datetime) -> Plan:
    """Make the workspace what its goals files say, in one transaction, and return what
    was done; nothing to do writes nothing (no version moves)."""
    with uow:
        plan = write_goals(uow, goals, actor, now)
        if plan.changes:
            uow.commit()
    touched = sorted({c.key.split(" / ")[0] for c in plan.changes if c.kind != "team"
                      and c.kind != "kpi" and c.kind != "cycle"})  # fmt: skip
    if touched:
        keep_summaries_after(uow, touched, now)
    return replace(plan, applied=bool(plan.changes))


def plan_goals(uow: UnitOfWork, goals: Goals, actor: str, now: datetime) -> Plan:
    """What `apply_goals` would do, found by doing it in a transaction that is rolled
    back: the same checks, the same errors, nothing written."""
    with uow:
        return write_goals(uow, goals, actor, now)
