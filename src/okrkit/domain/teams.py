"""A team: who watches KPIs and commits to objectives."""

from __future__ import annotations

from dataclasses import dataclass

from okrkit.domain.errors import InvalidInput
from okrkit.domain.versions import Revision

__all__ = ["MAX_TEAM_NAME", "StoredTeam", "Team", "checked_team_name"]

# A team's name is read on every page that lists teams: a line, not a document.
MAX_TEAM_NAME = 200


def checked_team_name(name: str) -> str:
    """A team's name as kept: trimmed, not empty, at most `MAX_TEAM_NAME` characters,
    without a NUL byte (no text can hold one)."""
    name = name.strip()
    if not name:
        raise InvalidInput("a team needs a name", field="name")
    if len(name) > MAX_TEAM_NAME:
        raise InvalidInput(
            f"a team's name is at most {MAX_TEAM_NAME} characters; this one has {len(name):,}",
            field="name",
        )
    if "\x00" in name:
        raise InvalidInput("a team's name cannot hold a NUL byte (\\x00)", field="name")
    return name


@dataclass(frozen=True)
class Team:
    """A team that watches KPIs and commits to objectives."""

    key: str
    name: str


@dataclass(frozen=True)
class StoredTeam:
    """A team as the workspace keeps it."""

    team: Team
    revision: Revision
    parent: str | None = None
    archived: bool = False
