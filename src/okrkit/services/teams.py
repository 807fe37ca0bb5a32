"""Team use cases: create, edit, archive and list teams, each in one transaction."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any

from okrkit.domain.access import Actor
from okrkit.domain.errors import Conflict, InvalidInput
from okrkit.domain.keys import check_key
from okrkit.domain.teams import StoredTeam, Team, checked_team_name
from okrkit.services.ports import UnitOfWork

__all__ = [
    "CreateTeam",
    "EditTeam",
    "archive_team",
    "create_team",
    "edit_team",
    "get_team",
    "list_teams",
    "team_record",
]

UNSET: Any = object()


def team_record(stored: StoredTeam) -> dict[str, Any]:
    """A team as the audit log keeps it."""
    return {**asdict(stored.team), "parent": stored.parent, "archived": stored.archived}


@dataclass(frozen=True)
class CreateTeam:
    """Add a team; `parent` is the team it belongs to."""

    key: str
    name: str
    parent: str | None = None


@dataclass(frozen=True)
class EditTeam:
    """Change a team seen at `version`: a stale version is refused."""

    key: str
    version: int
    name: str | None = None
    parent: str | None = UNSET


def create_team(uow: UnitOfWork, command: CreateTeam, who: Actor, now: datetime) -> StoredTeam:
    """Create a team with a unique key; its parent, if any, must exist."""
    who.require_admin(f"add the team {command.key!r}")
    actor = who.name
    check_key(command.key)
    name = checked_team_name(command.name)
    with uow:
        if uow.teams.exists(command.key):
            raise Conflict(f"team {command.key!r} already exists")
        if command.parent is not None:
            uow.teams.get(command.parent)
        stored = uow.teams.add(Team(command.key, name), command.parent, actor, now)
        uow.audit.append(
            actor=actor, action="create", entity="team", key=command.key, before=None,
            after=team_record(stored), at=now,
        )  # fmt: skip
        uow.commit()
    return stored


def edit_team(uow: UnitOfWork, command: EditTeam, who: Actor, now: datetime) -> StoredTeam:
    """Rename a team or move it under another parent, if nobody changed it meanwhile."""
    who.require_admin(f"change the team {command.key!r}")
    actor = who.name
    with uow:
        before = uow.teams.get(command.key)
        team = (
            before.team
            if command.name is None
            else Team(before.team.key, checked_team_name(command.name))
        )
        parent = before.parent if command.parent is UNSET else command.parent
        if parent is not None:
            if parent == command.key:
                raise InvalidInput("a team cannot be its own parent", field="parent")
            uow.teams.get(parent)
        after = uow.teams.update(
            command.key, command.version, replace(before, team=team, parent=parent), actor, now
        )
        uow.audit.append(
            actor=actor, action="edit", entity="team", key=command.key,
            before=team_record(before), after=team_record(after), at=now,
        )  # fmt: skip
        uow.commit()
    return after


def archive_team(uow: UnitOfWork, key: str, version: int, who: Actor, now: datetime) -> StoredTeam:
    """Archive a team: it leaves the home page; its KPIs and history stay."""
    who.require_admin(f"archive the team {key!r}")
    actor = who.name
    with uow:
        before = uow.teams.get(key)
        after = uow.teams.update(key, version, replace(before, archived=True), actor, now)
        uow.audit.append(
            actor=actor, action="archive", entity="team", key=key,
            before=team_record(before), after=team_record(after), at=now,
        )  # fmt: skip
        uow.commit()
    return after


def get_team(uow: UnitOfWork, key: str) -> StoredTeam:
    """One team, archived or not; NotFound names the key."""
    with uow:
        return uow.teams.get(key)


def list_teams(uow: UnitOfWork, *, archived: bool = False) -> list[StoredTeam]:
    """Every team by name (archived ones when asked)."""
    with uow:
        return uow.teams.list(archived=archived)
