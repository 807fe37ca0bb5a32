"""The initiative form: the work under a key result as typed — its title, its status,
the address where it is tracked — read into the add and edit commands, or into errors
that each name their input. The rules (a title, an http(s) address) are the use case's,
which names the field it rejects; the page puts that error next to the same input."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from okrkit.domain.errors import InvalidInput
from okrkit.domain.initiatives import InitiativeStatus, StoredInitiative
from okrkit.services.initiatives import AddInitiative, EditInitiative

__all__ = ["STATUS_WORDS", "InitiativeForm"]

# Each status in words, in the order a piece of work goes through them.
STATUS_WORDS = {
    InitiativeStatus.PLANNED.value: "Planned",
    InitiativeStatus.IN_PROGRESS.value: "In progress",
    InitiativeStatus.DONE.value: "Done",
    InitiativeStatus.DROPPED.value: "Dropped",
}


class InitiativeForm(BaseModel):
    """The inputs of the add and edit forms, as typed."""

    model_config = ConfigDict(str_strip_whitespace=True)

    title: str = ""
    status: str = InitiativeStatus.PLANNED.value
    url: str = ""
    version: int | None = None

    @classmethod
    def of(cls, stored: StoredInitiative) -> InitiativeForm:
        """The form filled in with a stored initiative, to edit it."""
        i = stored.initiative
        return cls(
            title=i.title, status=i.status.value, url=i.url or "", version=stored.revision.version
        )

    def _status(self) -> InitiativeStatus:
        try:
            return InitiativeStatus(self.status.lower())
        except ValueError:
            raise InvalidInput(
                f"{self.status!r} is not one of {', '.join(STATUS_WORDS)}", field="status"
            ) from None

    def to_add(self, key_result: int) -> tuple[AddInitiative | None, dict[str, str]]:
        """The initiative to add under `key_result`, or the error of its status."""
        try:
            status = self._status()
        except InvalidInput as error:
            return None, {"status": error.message}
        return AddInitiative(key_result, self.title, status, self.url or None), {}

    def to_edit(self, id: int) -> tuple[EditInitiative | None, dict[str, str]]:
        """The edit of initiative `id` (an empty address clears it), or the error of its
        status."""
        try:
            status = self._status()
        except InvalidInput as error:
            return None, {"status": error.message}
        return EditInitiative(id, self.version or 0, self.title, status, self.url), {}
