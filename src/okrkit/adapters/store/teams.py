"""Teams in the store: rows to domain objects and back."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, select

from okrkit.adapters.store.tables import teams
from okrkit.adapters.store.versions import created, update_versioned
from okrkit.domain.errors import NotFound
from okrkit.domain.teams import StoredTeam, Team
from okrkit.domain.versions import Revision

__all__ = ["TeamRepository", "team_from_row"]


def team_from_row(row: Row[Any]) -> StoredTeam:
    """A `teams` row as a domain object."""
    return StoredTeam(
        team=Team(row.key, row.name),
        revision=Revision(row.version, row.updated_at, row.updated_by),
        parent=row.parent_key,
        archived=bool(row.archived),
    )


# Built once: a team's page reads it on every request.
_BY_KEY = select(teams).where(teams.c.key == bindparam("key"))


class TeamRepository:
    """Reads and writes teams on one connection (inside the unit of work's transaction)."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def get(self, key: str) -> StoredTeam:
        """The team with this key; NotFound names the key."""
        row = self._c.execute(_BY_KEY, {"key": key}).one_or_none()
        if row is None:
            raise NotFound(f"no team {key!r}")
        return team_from_row(row)

    def exists(self, key: str) -> bool:
        """Whether a team, archived or not, has this key."""
        return self._c.execute(select(teams.c.id).where(teams.c.key == key)).first() is not None

    def list(self, *, archived: bool = False) -> list[StoredTeam]:
        """Every team, by name; archived ones only when asked."""
        query = select(teams).order_by(teams.c.name, teams.c.key)
        if not archived:
            query = query.where(teams.c.archived.is_(False))
        return [team_from_row(row) for row in self._c.execute(query).all()]

    def names(
        self,
        *,
        archived: bool = False,
        keys: Collection[str] | None = None,
        limit: int | None = None,
    ) -> tuple[Team, ...]:
        query = select(teams.c.key, teams.c.name).order_by(teams.c.name, teams.c.key)
        if not archived:
            query = query.where(teams.c.archived.is_(False))
        if keys is not None:
            query = query.where(teams.c.key.in_(list(keys)))
        if limit is not None:
            query = query.limit(limit)
        return tuple(Team(key, name) for key, name in self._c.execute(query).all())

    def add(self, team: Team, parent: str | None, actor: str, now: datetime) -> StoredTeam:
        self._c.execute(
            teams.insert().values(
                key=team.key,
                name=team.name,
                parent_key=parent,
                archived=False,
                **created(actor, now),
            )
        )
        return self.get(team.key)

    def update(
        self, key: str, expected_version: int, new: StoredTeam, actor: str, now: datetime
    ) -> StoredTeam:
        """Apply changes when the team is still at `expected_version`, bumping it.

        The version check and the write are one UPDATE … WHERE version = expected, so two
        concurrent edits cannot both succeed.
        """
        changes = {"name": new.team.name, "parent_key": new.parent, "archived": new.archived}
        if not update_versioned(self._c, teams, key, expected_version, changes, actor, now):
            raise self.get(key).revision.conflict(f"team {key!r}", expected_version)
        return self.get(key)
