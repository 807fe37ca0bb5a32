"""Applying goals: objectives with their key results, check-ins, initiatives and
scores."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from okrkit.domain.access import SYSTEM
from okrkit.domain.check_ins import CheckIn
from okrkit.domain.cycles import CycleState, StoredCycle
from okrkit.domain.errors import InvalidInput
from okrkit.domain.fields import from_data
from okrkit.domain.goals import (
    KeyResultSpec,
    Location,
    ObjectiveSpec,
)
from okrkit.domain.grading import closing_problem
from okrkit.domain.initiatives import StoredInitiative
from okrkit.domain.key_results import StoredKeyResult
from okrkit.domain.objectives import (
    Alignment,
    Objective,
    ObjectiveStatus,
    StoredObjective,
    objective_record,
)
from okrkit.services.goals.changes import Action
from okrkit.services.goals.key_results import KeyResultWriter
from okrkit.services.goals.reading import alert_drafts
from okrkit.services.goals.recording import (
    at,
    checked_text,
    placed,
)
from okrkit.services.key_results import (
    check_open,
    key_result_record,
)
from okrkit.services.objectives import (
    check_activation,
    check_objective,
    judge_objectives,
    score_key_results,
)
from okrkit.services.ports import ObjectiveQuery

__all__ = ["ARCHIVING", "OkrWriter", "StoredOkrs"]

_ON_RECORD = (ObjectiveStatus.SCORED, ObjectiveStatus.CLOSED)

ARCHIVING = (
    "Archiving keeps an entry with its history: a KPI keeps its values, an objective its "
    "key results, check-ins and scores; it leaves the listings and is restored when the "
    "files name it again."
)


@dataclass
class StoredOkrs:
    """The workspace's OKR side as the run found it: objectives (archived ones too) by
    key, their key results, each key result's check-ins and initiatives."""

    objectives: dict[str, StoredObjective]
    key_results: dict[str, list[StoredKeyResult]]
    check_ins: dict[int, list[CheckIn]]
    initiatives: dict[int, list[StoredInitiative]]


class OkrWriter(KeyResultWriter):
    """Writes the objectives goals name, each with its key results, check-ins,
    initiatives and scores (and archives those they leave out)."""

    # --- objectives -----------------------------------------------------------------------

    def read(self) -> StoredOkrs:
        listed, _ = self.uow.objectives.list(ObjectiveQuery(archived=True))
        key_results = self.uow.key_results.of([o.objective.key for o in listed])
        ids = [kr.id for krs in key_results.values() for kr in krs]
        return StoredOkrs(
            {o.objective.key: o for o in listed},
            key_results,
            self.uow.check_ins.of(ids) if ids else {},
            self.uow.initiatives.of(ids) if ids else {},
        )

    def objectives(
        self, specs: Sequence[ObjectiveSpec], cycles: Mapping[str, StoredCycle], found: StoredOkrs
    ) -> None:
        for spec in _ordered(specs):
            cycle = cycles[spec.cycle.name]
            with at(spec.location):
                objective = self._definition(spec, cycle)
            before = found.objectives.get(spec.key)
            if before is None:
                self._create(spec, objective, cycle)
            else:
                self._update(spec, objective, cycle, before, found)

    def archive_objectives(self, found: StoredOkrs, named: set[str]) -> None:
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
        # Goals files are applied by an admin (`apply_goals`), who sees everything.
        check_objective(self.uow, objective, cycle, viewer=SYSTEM)
        if spec.status not in _ON_RECORD:
            _not_scored(spec)
        return objective

    def _create(self, spec: ObjectiveSpec, objective: Objective, cycle: StoredCycle) -> None:
        if spec.carried_from is not None:
            with at(spec.location, "carried_from"):
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
        found: StoredOkrs,
    ) -> None:
        key = spec.key
        with at(spec.location):
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
                    with at(spec.location, "status"):
                        status = check_activation(self.uow, current, viewer=SYSTEM)
                else:
                    with at(spec.location, "status"):
                        status = current.moved_to(spec.status)
                current = self._objective_update(current, replace(current, status=status),
                                                 spec, Action.CHANGE, "activate")  # fmt: skip
        stored_krs = found.key_results.get(key, [])
        pairs = _matched(spec, stored_krs)
        on_record = before.status in _ON_RECORD or self._was_closed(cycle)
        done = []
        for kr, known in pairs:
            if known is None:
                with at(kr.location):
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
        with at(spec.location):
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
                raise placed(error.message, spec.location, error.field) from None
            kr = places[int((error.field or "").removeprefix("scores."))]
            field = "score_reason" if kr.score is not None and not kr.score_reason else "score"
            raise placed(error.message, kr.location, field) from None
        for after in scored:
            if after != before[after.id]:
                kr = places[after.id]
                self.record(
                    Action.CHANGE, None, "key_result", f"{spec.key} / {kr.title}", kr.location,
                    key_result_record(before[after.id]), key_result_record(after),
                )  # fmt: skip
        with at(spec.location):
            retrospective = checked_text(spec.retrospective, "retrospective")
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
            raise placed(
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
        raise placed(
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
