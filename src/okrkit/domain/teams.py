"""A team: who watches KPIs and commits to objectives."""

from __future__ import annotations

from dataclasses import dataclass

from okrkit.domain.versions import Revision

__all__ = ["StoredTeam", "Team"]


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
