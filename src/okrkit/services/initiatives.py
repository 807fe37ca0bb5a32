"""Initiatives: the work under a key result — add one, change its title, status or
tracker address. Versioned and audited as everything a person edits."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from okrkit.domain.access import Actor
from okrkit.domain.errors import InvalidInput
from okrkit.domain.initiatives import (
    Initiative,
    InitiativeStatus,
    StoredInitiative,
    check_tracker_url,
)
from okrkit.domain.key_results import StoredKeyResult
from okrkit.domain.objectives import StoredObjective
from okrkit.services.access import require_key_result_edit, require_objective_sight, sight
from okrkit.services.key_results import seen_objective, seen_stored
from okrkit.services.ports import UnitOfWork

__all__ = [
    "AddInitiative",
    "EditInitiative",
    "InitiativeEditor",
    "add_initiative",
    "checked_initiative",
    "edit_initiative",
    "get_initiative",
    "initiative_editor",
    "initiative_record",
]

MAX_TITLE_LENGTH = 200


def initiative_record(stored: StoredInitiative) -> dict[str, Any]:
    """An initiative as the audit log keeps it."""
    i = stored.initiative
    return {
        "key_result": stored.key_result,
        "title": i.title,
        "status": i.status.value,
        "url": i.url,
    }


def checked_initiative(initiative: Initiative) -> Initiative:
    """An initiative as kept: a title of at most 200 characters of text, an http(s)
    tracker address or none."""
    title = initiative.title.strip()
    if not title:
        raise InvalidInput("an initiative needs a title", field="title")
    if len(title) > MAX_TITLE_LENGTH or "\x00" in title:
        raise InvalidInput(
            f"a title is at most {MAX_TITLE_LENGTH} characters of text", field="title"
        )
    return replace(initiative, title=title, url=check_tracker_url(initiative.url))


@dataclass(frozen=True)
class AddInitiative:
    """Attach work to a key result."""

    key_result: int
    title: str
    status: InitiativeStatus = InitiativeStatus.PLANNED
    url: str | None = None


def add_initiative(
    uow: UnitOfWork, command: AddInitiative, who: Actor, now: datetime
) -> StoredInitiative:
    """Add an initiative under a key result."""
    actor = who.name
    initiative = checked_initiative(Initiative(command.title, command.status, command.url))
    with uow:
        require_key_result_edit(
            uow, who, command.key_result, f"add an initiative to key result {command.key_result}"
        )
        stored = uow.initiatives.add(command.key_result, initiative, actor, now)
        uow.audit.append(
            actor=actor, action="create", entity="initiative", key=str(stored.id), before=None,
            after=initiative_record(stored), at=now,
        )  # fmt: skip
        uow.commit()
    return stored


@dataclass(frozen=True)
class EditInitiative:
    """Change an initiative seen at `version` (None: leave a field as it is; an empty
    `url` clears it)."""

    id: int
    version: int
    title: str | None = None
    status: InitiativeStatus | None = None
    url: str | None = None


def edit_initiative(
    uow: UnitOfWork, command: EditInitiative, who: Actor, now: datetime
) -> StoredInitiative:
    """Edit an initiative if nobody changed it meanwhile."""
    actor = who.name
    with uow:
        before = uow.initiatives.get(command.id)
        require_key_result_edit(
            uow, who, before.key_result, f"change initiative {command.id}",
            f"no initiative {command.id}",
        )  # fmt: skip
        i = before.initiative
        changed = checked_initiative(
            Initiative(
                i.title if command.title is None else command.title,
                i.status if command.status is None else command.status,
                i.url if command.url is None else command.url,
            )
        )
        after = uow.initiatives.update(command.id, command.version, changed, actor, now)
        uow.audit.append(
            actor=actor, action="edit", entity="initiative", key=str(command.id),
            before=initiative_record(before), after=initiative_record(after), at=now,
        )  # fmt: skip
        uow.commit()
    return after


def get_initiative(uow: UnitOfWork, id: int, *, viewer: Actor) -> StoredInitiative:
    """One initiative; NotFound names it (also one under a private objective `viewer`
    may not see)."""
    with uow:
        stored = uow.initiatives.get(id)
        objective = uow.objectives.get(uow.key_results.get(stored.key_result).objective)
    require_objective_sight(viewer, objective, f"no initiative {id}")
    return stored


@dataclass(frozen=True)
class InitiativeEditor:
    """What an initiative's form needs: the key result it is under and that key result's
    objective (where the page goes back to), and, to edit, the initiative as stored."""

    key_result: StoredKeyResult
    objective: StoredObjective
    initiative: StoredInitiative | None = None


def initiative_editor(
    uow: UnitOfWork, *, viewer: Actor, key_result: int | None = None, initiative: int | None = None
) -> InitiativeEditor:
    """The form's context for a new initiative under `key_result`, or to edit
    `initiative`; NotFound names the one that does not exist (or is under a private
    objective `viewer` may not see)."""
    with uow:
        stored = None if initiative is None else uow.initiatives.get(initiative)
        id = stored.key_result if stored is not None else key_result
        if id is None:
            raise InvalidInput("name a key result or an initiative", field="key_result")
        kr = uow.key_results.get(id)
        objective = uow.objectives.get(kr.objective)
        missing = f"no initiative {initiative}" if stored is not None else f"no key result {id}"
        require_objective_sight(viewer, objective, missing)
        hidden = sight(uow, viewer)
    return InitiativeEditor(seen_stored(kr, hidden), seen_objective(objective, hidden), stored)
