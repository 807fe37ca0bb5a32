"""How goals are applied, one change at a time: the changes and the audit log kept
together (`Recorder`), and errors placed at the file, line and field of the entry they
are about (`at`)."""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from okrkit.domain.check_ins import checked_note
from okrkit.domain.cycles import CycleState, StoredCycle
from okrkit.domain.errors import InvalidInput, OkrkitError
from okrkit.domain.goals import (
    Location,
)
from okrkit.services.goals.changes import Action, Change, FieldChange
from okrkit.services.ports import UnitOfWork

__all__ = ["Recorder", "at", "checked_text", "field_changes", "placed"]

# The errors already placed at their entry's file, line and field, which an enclosing
# entry must not place again (kept by identity: an error class of its own would be one
# more kind of error for every interface to know).
_PLACED: weakref.WeakSet[InvalidInput] = weakref.WeakSet()


def placed(message: str, location: Location, field: str | None) -> InvalidInput:
    """The error placed at its entry's file and line, its path and `field`."""
    path = ".".join(part for part in (location.path, field) if part)
    error = InvalidInput(
        message, source=location.file or None, line=location.line or None, field=path or None
    )
    _PLACED.add(error)
    return error


@contextmanager
def at(location: Location, field: str | None = None) -> Iterator[None]:
    """Name where in the files an error inside is: the entry's file and line, its path,
    and the field (`field`, else the one the error names)."""
    try:
        yield
    except InvalidInput as error:
        if error in _PLACED:
            raise
        raise placed(error.message, location, field or error.field) from None
    except OkrkitError as error:
        raise placed(str(error), location, field) from None


def field_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(name, before.get(name), value)
        for name, value in after.items()
        if before.get(name) != value
    )


def checked_text(text: str, field: str) -> str:
    """A written review or reason: a note's rules (`domain.check_ins.checked_note`)."""
    try:
        return checked_note(text)
    except InvalidInput as error:
        raise InvalidInput(error.message, field=field) from None


class Recorder:
    """One apply's changes so far and its bookkeeping, inside the caller's unit of
    work: the cycles it closes last and each cycle's state once applied."""

    def __init__(self, uow: UnitOfWork, actor: str, now: datetime) -> None:
        self.uow, self.actor, self.now = uow, actor, now
        self.changes: list[Change] = []
        self.notes: list[str] = []
        self.closing: list[tuple[StoredCycle, Location]] = []
        self.states: dict[str, CycleState] = {}
        self._created: set[tuple[str, str]] = set()

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
        `audited` names the action, append it to the audit log. A change of an entry this
        apply created is a step of its creation (a scored objective is created, then
        scored): audited, but the plan shows the creation only."""
        if audited is not None:
            self.uow.audit.append(
                actor=self.actor, action=audited, entity=kind, key=audit_key or key,
                before=None if before is None else dict(before),
                after=None if after is None else dict(after), at=self.now,
            )  # fmt: skip
        if action is Action.CREATE:
            self._created.add((kind, key))
        elif action is Action.CHANGE and (kind, key) in self._created:
            return  # a later step of its creation (scored, closed): the create says it
        fields = () if before is None or after is None else field_changes(before, after)
        self.changes.append(Change(action, kind, key, location, fields))
