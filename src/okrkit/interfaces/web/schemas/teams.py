"""A team in the API: created, changed in part, and shown with its version."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from okrkit.domain.teams import StoredTeam
from okrkit.interfaces.web.schemas.common import StrictIn, revision_fields

__all__ = ["TeamCreate", "TeamOut", "TeamPatch"]


class TeamCreate(StrictIn):
    """A new team."""

    key: str = Field(description="Stable key: lower-case letters, digits, '-', '_'.")
    name: str
    parent: str | None = Field(default=None, description="Key of the team it belongs to.")


class TeamPatch(StrictIn):
    """A partial change to a team; omitted fields stay as they are."""

    name: str | None = None
    parent: str | None = Field(default=None, description="Key of the new parent; null detaches it.")
    version: int | None = Field(default=None, description='Alternative to `If-Match: "<version>"`.')


class TeamOut(BaseModel):
    """A team as the workspace keeps it."""

    key: str
    name: str
    parent: str | None
    archived: bool
    version: int = Field(description="Bumped by every change; send it back with a change.")
    changed_at: datetime
    changed_by: str

    @classmethod
    def from_stored(cls, stored: StoredTeam) -> TeamOut:
        return cls(
            key=stored.team.key,
            name=stored.team.name,
            parent=stored.parent,
            archived=stored.archived,
            **revision_fields(stored.revision),
        )
