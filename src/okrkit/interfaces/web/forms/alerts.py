"""The alert pages' forms: the list's filters (a GET form, so a filtered list is an
address to share) and the actions on one alert — accept its draft (title, owner, and a
yellow draft's hypothesis), dismiss its draft (the reason), acknowledge, resolve — each
with the alert's version. The rules (a hypothesis for a yellow draft, a reason, a title)
are the use case's, which names the field it refuses; the page puts that error beside
the same input."""

from __future__ import annotations

from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict

from okrkit.domain.alerts import AlertLevel, AlertState
from okrkit.domain.errors import InvalidInput
from okrkit.services.alerts import AcceptDraft
from okrkit.services.ports import AlertQuery

__all__ = [
    "ACCEPT_FIELDS",
    "LEVEL_WORDS",
    "PAGE_SIZE",
    "STATE_WORDS",
    "AcceptForm",
    "ActionForm",
    "AlertFilter",
    "DismissForm",
]

# Alerts on one page of the list.
PAGE_SIZE = 25
# Each state and level in words, in the order the page offers them.
STATE_WORDS = {
    AlertState.OPEN.value: "Open",
    AlertState.ACKNOWLEDGED.value: "Acknowledged",
    AlertState.RESOLVED.value: "Resolved",
}
LEVEL_WORDS = {
    AlertLevel.RED.value: "Red",
    AlertLevel.YELLOW.value: "Yellow",
    AlertLevel.DATA.value: "Data",
}
# The inputs of the accept form, in the order it lays them out.
ACCEPT_FIELDS = ("title", "owner", "hypothesis")


class AlertFilter(BaseModel):
    """The list's filters as typed in its address: a state (open by default), a team,
    a KPI and a level (empty: all), and the page."""

    model_config = ConfigDict(str_strip_whitespace=True)

    state: str = AlertState.OPEN.value
    team: str = ""
    kpi: str = ""
    level: str = ""
    page: int = 1

    def query(self) -> AlertQuery:
        """The service's query; a state or level that is none is named."""
        if self.state not in STATE_WORDS:
            raise InvalidInput(
                f"{self.state!r} is not a state: open, acknowledged or resolved", field="state"
            )
        if self.level and self.level not in LEVEL_WORDS:
            raise InvalidInput(f"{self.level!r} is not a level: red, yellow or data", field="level")
        return AlertQuery(
            states=(AlertState(self.state),),
            kpi=self.kpi or None,
            team=self.team or None,
            level=AlertLevel(self.level) if self.level else None,
            limit=PAGE_SIZE,
            offset=(self.page - 1) * PAGE_SIZE,
        )

    def address(self, **changes: object) -> str:
        """The list's address with these filters (and `changes`), shortest form: the
        defaults (open, page 1) are left out."""
        values = {**self.model_dump(), **changes}
        shown = {
            k: v
            for k, v in values.items()
            if v not in ("", None)
            and not (k == "state" and v == "open")
            and not (k == "page" and v == 1)
        }
        return "/alerts" + (f"?{urlencode(shown)}" if shown else "")


class ActionForm(BaseModel):
    """Acknowledge or resolve: the alert's version, and an optional note."""

    model_config = ConfigDict(str_strip_whitespace=True)

    version: int = 0
    note: str = ""


class AcceptForm(BaseModel):
    """Accept the draft: the alert's version, the objective's title and owner as the
    person left them, and the hypothesis (required for a yellow draft)."""

    model_config = ConfigDict(str_strip_whitespace=True)

    version: int = 0
    title: str = ""
    owner: str = ""
    hypothesis: str = ""

    def command(self, id: int) -> AcceptDraft:
        """The acceptance as typed: an empty title is refused by the use case, an empty
        owner leaves the objective to nobody."""
        return AcceptDraft(id, self.version, self.title, self.owner, self.hypothesis)


class DismissForm(BaseModel):
    """Dismiss the draft: the alert's version and why."""

    model_config = ConfigDict(str_strip_whitespace=True)

    version: int = 0
    reason: str = ""
