"""Applying goals: key results with their check-ins (appended, never edited) and
initiatives."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from okrkit.domain.cadence import as_utc
from okrkit.domain.check_ins import CheckIn, check_value, checked_confidence, checked_note
from okrkit.domain.cycles import CycleState, StoredCycle
from okrkit.domain.errors import InvalidInput
from okrkit.domain.fields import from_data
from okrkit.domain.goals import (
    KeyResultSpec,
    Location,
)
from okrkit.domain.initiatives import StoredInitiative
from okrkit.domain.key_results import KeyResultDefinition, StoredKeyResult
from okrkit.domain.objectives import (
    StoredObjective,
)
from okrkit.domain.progress import KeyResultType
from okrkit.services.check_ins import write_check_in
from okrkit.services.goals.changes import Action, Change, FieldChange
from okrkit.services.goals.definitions import DefinitionWriter
from okrkit.services.goals.recording import (
    at,
    checked_text,
    placed,
)
from okrkit.services.initiatives import checked_initiative, initiative_record
from okrkit.services.key_results import (
    append_key_result,
    check_open,
    checked_key_result,
    key_result_record,
)

__all__ = ["MILESTONE", "KeyResultWriter"]

# A milestone key result written with a number of milestones and no steps: their names.
MILESTONE = "Milestone {}"


class KeyResultWriter(DefinitionWriter):
    """Writes an objective's key results, their check-ins and initiatives."""

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
        with at(kr.location):
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
            reason = checked_text(kr.recalibration, "recalibration")
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
        with at(kr.location):
            definition = self._key_result_definition(kr, objective, cycle)
            wanted = replace(before, definition=definition)
            reason = checked_text(kr.recalibration, "recalibration")
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
            with at(location):
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
            with at(spec.location):
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
            raise placed(
                f"initiative {left[0]!r} of the workspace is not in the files: work is kept "
                "on record; give it status dropped instead of leaving it out",
                kr.location,
                "initiatives",
            )


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
