"""Check-ins: record the weekly word on key results, one or a whole week's at a time,
and "My week", where a person checks in on every key result they own.

Check-ins are appended, never edited: a correction is a new check-in. Two check-ins on
one key result at the same moment are both kept, in the order they were written. A
key result fed by a KPI takes its value from the KPI: a check-in annotates it (a
confidence, a note) and cannot override it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from okrkit.domain.access import Actor
from okrkit.domain.accounts import owner_email
from okrkit.domain.check_ins import (
    CheckIn,
    CheckInTrail,
    check_value,
    checked_confidence,
    checked_note,
)
from okrkit.domain.cycles import CycleState, StoredCycle
from okrkit.domain.errors import Conflict, InvalidInput
from okrkit.domain.key_results import StoredKeyResult
from okrkit.domain.objectives import ObjectiveStatus, StoredObjective
from okrkit.services.access import require_objective_edit, seen_by, sight
from okrkit.services.key_results import (
    KeyResultState,
    hidden_kpi,
    judge_key_results,
    seen_key_result,
    seen_objective,
)
from okrkit.services.objectives import keep_summaries_after
from okrkit.services.ports import ObjectiveQuery, UnitOfWork

__all__ = [
    "RecordCheckIn",
    "Week",
    "WeekRow",
    "my_week",
    "record_check_in",
    "record_week",
    "write_check_in",
]


@dataclass(frozen=True)
class RecordCheckIn:
    """A check-in on a key result: its value (none for one fed by a KPI), a confidence
    from 0 to 10, a note (what moved, blockers, next step)."""

    key_result: int
    value: float | None = None
    confidence: float | None = None
    note: str = ""


def _checked(
    uow: UnitOfWork, command: RecordCheckIn, who: Actor, now: datetime, where: str
) -> tuple[StoredKeyResult, StoredObjective, StoredCycle, CheckIn]:
    """The check-in a command asks for, checked against its key result, objective and
    cycle (read, nothing written) and against who writes it (an editor of its team); an
    error names the field under `where`."""
    kr = uow.key_results.get(command.key_result)
    objective = uow.objectives.get(kr.objective)
    require_objective_edit(
        who, objective, f"check in on key result {kr.id}", f"no key result {kr.id}"
    )
    author = who.name
    cycle = uow.cycles.get(objective.objective.cycle)
    if cycle.state == CycleState.CLOSED:
        raise Conflict(f"cycle {cycle.cycle.name} is closed: its check-ins are on record")
    if objective.status != ObjectiveStatus.ACTIVE:
        raise Conflict(
            f"objective {objective.objective.key!r} is {objective.status}: check-ins go to "
            "active objectives"
        )
    d = kr.definition
    if d.kpi is not None:
        newest = uow.values.latest([d.kpi]).get(d.kpi)
        # A private KPI the writer may not see is not named (read on an error only).
        kpi = d.kpi

        def follows() -> str:
            return "a private KPI" if hidden_kpi(uow, who, kpi) else f"KPI {kpi!r}"

        if newest is None:
            raise InvalidInput(
                f"this key result follows {follows()}, which has no values yet: import them first",
                field=f"{where}value",
            )
        if command.value is not None and float(command.value) != newest[1]:
            raise InvalidInput(
                f"this key result follows {follows()} (newest value {newest[1]:g}): its value "
                "comes from the KPI — leave the value out and add a note",
                field=f"{where}value",
            )
        value = newest[1]
    else:
        if command.value is None:
            raise InvalidInput("a check-in needs a value", field=f"{where}value")
        value = check_value(d, command.value, field=f"{where}value")
    try:
        confidence = checked_confidence(command.confidence)
    except InvalidInput as error:
        raise InvalidInput(error.message, field=f"{where}confidence") from None
    try:
        note = checked_note(command.note)
    except InvalidInput as error:
        raise InvalidInput(error.message, field=f"{where}note") from None
    return kr, objective, cycle, CheckIn(now, value, confidence, note, author)


def write_check_in(uow: UnitOfWork, kr: StoredKeyResult, check_in: CheckIn, actor: str) -> None:
    """Append a checked check-in to a key result's history and audit it, inside the
    caller's transaction."""
    uow.check_ins.append(kr.id, check_in)
    after = {"at": check_in.at.isoformat(), "value": check_in.value,
             "confidence": check_in.confidence, "note": check_in.note}  # fmt: skip
    uow.audit.append(
        actor=actor, action="check in", entity="key_result", key=str(kr.id), before=None,
        after=after, at=check_in.at,
    )  # fmt: skip


def record_check_in(
    uow: UnitOfWork, command: RecordCheckIn, who: Actor, now: datetime
) -> KeyResultState:
    """Record a check-in and return the key result judged again with it (its progress,
    forecast and pace as they are now): one transaction."""
    author = who.name
    with uow:
        kr, objective, cycle, check_in = _checked(uow, command, who, now, "")
        # Judged with the new check-in before it is written, so that the write (on
        # SQLite, the database's one write lock) lasts two inserts, not a forecast.
        history = [*uow.check_ins.of([kr.id])[kr.id], check_in]
        trail = CheckInTrail.of(sorted(history, key=lambda c: c.at))  # stable: in order
        owners = [(objective, cycle)]
        state = judge_key_results(uow, owners, {kr.objective: [kr]}, now, {kr.id: trail})[kr.id]
        write_check_in(uow, kr, check_in, author)
        uow.commit()
    keep_summaries_after(uow, [kr.objective], now)
    return state


def record_week(
    uow: UnitOfWork, commands: Sequence[RecordCheckIn], who: Actor, now: datetime
) -> int:
    """Record a week's check-ins in one transaction — all or none; an error names the key
    result's field (`key_results.12.value`). Returns how many were recorded."""
    author = who.name
    if not commands:
        raise InvalidInput(
            "nothing to check in: give a value, a confidence or a note", field="value"
        )
    touched: list[str] = []
    with uow:
        seen: set[int] = set()
        for command in commands:
            if command.key_result in seen:
                raise InvalidInput(
                    f"key result {command.key_result} is checked in twice", field="key_result"
                )
            seen.add(command.key_result)
            kr, _, _, check_in = _checked(
                uow, command, who, now, f"key_results.{command.key_result}."
            )
            write_check_in(uow, kr, check_in, author)
            touched.append(kr.objective)
        uow.commit()
    keep_summaries_after(uow, sorted(set(touched)), now)
    return len(commands)


# --- My week ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekRow:
    """One key result to check in on: its objective and cycle, judged as of now."""

    objective: StoredObjective
    cycle: StoredCycle
    state: KeyResultState


@dataclass(frozen=True)
class Week:
    """A person's week: the key results they own in the active cycles, and the owners to
    choose from (until accounts arrive, a person is chosen by name). `kpi_names` names
    the KPIs that feed some of them, by key."""

    owner: str | None
    owners: tuple[str, ...]
    rows: tuple[WeekRow, ...]
    cycles: tuple[StoredCycle, ...]
    kpi_names: Mapping[str, str] = field(default_factory=dict)


def my_week(uow: UnitOfWork, owner: str | None, now: datetime, *, viewer: Actor) -> Week:
    """The key results `owner` owns in the active cycles' active objectives that
    `viewer` may see, judged as of now, with their last check-in beside them — in a
    fixed number of queries. A private KPI feeding one, they may not see, is not named.
    No `owner` is the viewer's own week, when an owner is written with their e-mail."""
    with uow:
        active = [c for c in uow.cycles.list() if c.state == CycleState.ACTIVE]
        names = [c.cycle.name for c in active]
        owners = uow.key_results.owners(names, seen_by(viewer))
        if owner is None:
            owner = next((o for o in owners if owner_email(o) == viewer.name), None)
        rows: list[WeekRow] = []
        kpi_names: dict[str, str] = {}
        if owner is not None:
            mine = uow.key_results.owned_by(owner, names)
            keys = sorted({kr.objective for kr in mine})
            query = ObjectiveQuery(
                keys=keys, status=ObjectiveStatus.ACTIVE.value, seen_by=seen_by(viewer)
            )
            objectives, _ = uow.objectives.list(query)
            hidden = sight(uow, viewer)
            cycles = {c.cycle.name: c for c in active}
            by_key = {o.objective.key: o for o in objectives}
            grouped: dict[str, list[StoredKeyResult]] = {}
            for kr in mine:
                if kr.objective in by_key:
                    grouped.setdefault(kr.objective, []).append(kr)
            owners_of = [(o, cycles[o.objective.cycle]) for o in objectives]
            states = judge_key_results(uow, owners_of, grouped, now)
            for o in objectives:
                for kr in grouped.get(o.objective.key, ()):
                    state = seen_key_result(states[kr.id], hidden)
                    rows.append(
                        WeekRow(seen_objective(o, hidden), cycles[o.objective.cycle], state)
                    )
            linked = {k for r in rows if (k := r.state.key_result.definition.kpi) is not None}
            if linked:
                kpi_names = {k.kpi.key: k.kpi.name for k in uow.kpis.list(keys=linked)}
    return Week(owner, tuple(owners), tuple(rows), tuple(active), kpi_names)
