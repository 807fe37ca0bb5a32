"""Alerts in the API: an alert as a person reads it — its KPI, level, the kind of
problem and why, the value it was raised on, its life and its draft objective — a page
of them with the counts by state, and the bodies of the actions on one (acknowledge,
resolve, accept its draft, dismiss its draft).

The rules (a yellow draft needs its hypothesis, a dismissal its reason, a resolved alert
takes no action) are the service's, which names the field it refuses; the bodies only
check JSON types.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, JsonValue

from okrkit.domain.alerts import PROBLEM_WORDS, AlertKind, AlertLevel, AlertState, Problem
from okrkit.domain.health import Status
from okrkit.domain.objectives import ObjectiveStatus
from okrkit.interfaces import formatting as fmt
from okrkit.interfaces.web.schemas.check_ins import TextIn
from okrkit.interfaces.web.schemas.common import aware, revision_fields
from okrkit.services.alerts import AcceptDraft, AlertList, AlertView

__all__ = [
    "AcceptIn",
    "AlertListOut",
    "AlertOut",
    "DismissIn",
    "DraftOut",
    "NoteIn",
]

# The kind of problem as its value, a plain string: the domain's enum is also named
# `Problem`, which in the OpenAPI document is the problem details of an error (RFC 9457).
_KINDS: list[JsonValue] = [p.value for p in Problem]

_VERSION = Field(
    default=None, description='The alert\'s version; alternative to `If-Match: "<version>"`.'
)


class NoteIn(TextIn):
    """Acknowledge or resolve an alert seen at a version, with an optional note."""

    version: int | None = _VERSION
    note: str = Field(default="", description="Why, in a sentence (optional).")


class AcceptIn(TextIn):
    """Accept an alert's draft objective: it becomes active, edited as given first."""

    version: int | None = _VERSION
    title: str | None = Field(
        default=None, description="A new title for the objective (without numbers)."
    )
    owner: str | None = Field(default=None, description="Who owns it; empty for nobody.")
    hypothesis: str = Field(
        default="",
        description="Required for a yellow KPI's draft: we believe that <this change> will "
        "move the KPI because <this evidence>.",
    )

    def to_command(self, id: int, version: int) -> AcceptDraft:
        return AcceptDraft(id, version, self.title, self.owner, self.hypothesis)


class DismissIn(TextIn):
    """Dismiss an alert's draft objective, saying why (the alert is acknowledged)."""

    version: int | None = _VERSION
    reason: str = Field(description="Why the draft is not wanted (required).")


class DraftOut(BaseModel):
    """The draft objective an alert proposed (its address: /api/v1/objectives/{key})."""

    key: str
    title: str
    status: ObjectiveStatus
    urgent: bool = Field(description="Proposed by a red KPI: shown above its team's others.")


class AlertOut(BaseModel):
    """An alert: what it says about its KPI, its life, and its draft objective."""

    id: int
    kpi: str = Field(description="The KPI's key.")
    kpi_name: str
    team: str = Field(description="The KPI's team (its key).")
    kind: AlertKind = Field(description="status (the KPI's health) or data (its data).")
    level: AlertLevel = Field(description="yellow, red (its draft is urgent) or data.")
    problem: str = Field(
        description="Which kind of problem it is.", json_schema_extra={"enum": _KINDS}
    )
    problem_words: str = Field(description="The kind of problem in words.")
    reason: str = Field(description="Why it was raised, in words.")
    status: Status = Field(description="The KPI's status when it was raised or escalated.")
    value: float | None = Field(description="The value it was raised on, in the KPI's unit.")
    value_text: str = Field(description="That value as a person reads it, e.g. 12.0%.")
    value_at: str | None = Field(description="When that value is from (ISO 8601, UTC).")
    state: AlertState = Field(description="open, acknowledged or resolved.")
    opened_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    resolved_at: datetime | None
    resolved_by: str | None = Field(description="Who resolved it; null when it did itself.")
    note: str = Field(description="What the last person (or the resolution) said.")
    draft: DraftOut | None = Field(description="Its draft objective, while one exists.")
    version: int = Field(description="Bumped by every change; send it back with an action.")
    changed_at: datetime
    changed_by: str

    @classmethod
    def of(cls, view: AlertView) -> AlertOut:
        s, a = view.stored, view.stored.alert
        draft = view.draft
        return cls(
            id=s.id,
            kpi=a.kpi,
            kpi_name=view.kpi_name,
            team=view.team,
            kind=a.kind,
            level=a.level,
            problem=a.problem.value,
            problem_words=PROBLEM_WORDS[a.problem],
            reason=a.reason,
            status=a.status,
            value=a.value,
            value_text=view.value_text,
            value_at=None if a.value_at is None else fmt.moment(a.value_at),
            state=s.state,
            opened_at=aware(s.opened_at),
            acknowledged_at=None if s.acknowledged_at is None else aware(s.acknowledged_at),
            acknowledged_by=s.acknowledged_by,
            resolved_at=None if s.resolved_at is None else aware(s.resolved_at),
            resolved_by=s.resolved_by,
            note=s.note,
            draft=None
            if draft is None
            else DraftOut(
                key=draft.objective.key,
                title=draft.objective.title,
                status=draft.status,
                urgent=draft.urgent,
            ),
            **revision_fields(s.revision),
        )


class AlertListOut(BaseModel):
    """A page of alerts, how many match (`total`), where the next page starts, and how
    many alerts are in each state (of the team asked for, else of the workspace)."""

    items: list[AlertOut]
    total: int
    offset: int
    limit: int
    next_offset: int | None = Field(description="The offset of the next page; null on the last.")
    counts: dict[AlertState, int]

    @classmethod
    def of(cls, listed: AlertList) -> AlertListOut:
        q = listed.query
        end = q.offset + len(listed.alerts)
        return cls(
            items=[AlertOut.of(v) for v in listed.alerts],
            total=listed.total,
            offset=q.offset,
            limit=q.limit,
            next_offset=end if end < listed.total else None,
            counts={state: listed.counts.get(state, 0) for state in AlertState},
        )
