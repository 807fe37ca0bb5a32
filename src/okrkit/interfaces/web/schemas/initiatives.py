"""Initiatives in the API: the work under a key result, added, changed in part and shown
with its version. The title and tracker address are checked by the service and the
domain (`domain.initiatives.check_tracker_url`), which name the field they refuse."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from okrkit.domain.errors import InvalidInput
from okrkit.domain.initiatives import InitiativeStatus, StoredInitiative
from okrkit.interfaces.web.schemas.check_ins import TextIn
from okrkit.interfaces.web.schemas.common import revision_fields
from okrkit.services.initiatives import AddInitiative, EditInitiative

__all__ = ["InitiativeCreate", "InitiativeOut", "InitiativePatch"]

_TITLE = "The work: a project, an experiment, a task (at most 200 characters)."
_URL = "Where it is tracked: an http(s) address, e.g. an issue in a tracker."


class InitiativeCreate(TextIn):
    """New work under a key result."""

    title: str = Field(description=_TITLE)
    status: InitiativeStatus = InitiativeStatus.PLANNED
    url: str | None = Field(default=None, description=_URL)

    def to_command(self, key_result: int) -> AddInitiative:
        return AddInitiative(key_result, self.title, self.status, self.url)


class InitiativePatch(TextIn):
    """A partial change to an initiative; omitted fields stay as they are, `url: null`
    clears the address."""

    title: str | None = Field(default=None, description=_TITLE)
    status: InitiativeStatus | None = None
    url: str | None = Field(default=None, description=_URL)
    version: int | None = Field(default=None, description='Alternative to `If-Match: "<version>"`.')

    def to_command(self, id: int, version: int) -> EditInitiative:
        """The change; null for a title or a status is refused by name (they cannot be
        empty), null for the address clears it."""
        for name in ("title", "status"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise InvalidInput("cannot be empty", field=name)
        url = self.url
        if "url" in self.model_fields_set and url is None:
            url = ""  # the service's way of saying "no address"
        return EditInitiative(id, version, self.title, self.status, url)


class InitiativeOut(BaseModel):
    """An initiative: its id (its address, /api/v1/initiatives/{id}), its key result,
    and its version."""

    id: int
    key_result: int = Field(description="The id of the key result it moves.")
    title: str
    status: InitiativeStatus
    url: str | None
    version: int = Field(description="Bumped by every change; send it back with a change.")
    changed_at: datetime
    changed_by: str

    @classmethod
    def from_stored(cls, stored: StoredInitiative) -> InitiativeOut:
        i = stored.initiative
        return cls(
            id=stored.id,
            key_result=stored.key_result,
            title=i.title,
            status=i.status,
            url=i.url,
            **revision_fields(stored.revision),
        )
