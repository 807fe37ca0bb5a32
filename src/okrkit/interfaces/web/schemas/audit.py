"""The audit log in the API: an entry as a person reads it — when, who, what was done
(as recorded and in words), to which thing (kind, key, title and page while it exists),
its team, whether a private objective is behind it, and its fields before → after — and
a page of entries with the marks of the pages around it."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, JsonValue

from okrkit.interfaces import formatting as fmt
from okrkit.interfaces.web.schemas.common import aware
from okrkit.services.audit import AuditEntry, AuditPage

__all__ = ["AuditChangeOut", "AuditEntryOut", "AuditPageOut"]


class AuditChangeOut(BaseModel):
    """One field before → after (null: none; a creation has no before, a removal no
    after)."""

    field: str
    before: JsonValue
    after: JsonValue


class AuditEntryOut(BaseModel):
    """One audit entry."""

    id: int = Field(description="The entry's number: later entries have higher ones.")
    at: datetime
    actor: str = Field(description="Who made the change, as recorded.")
    action: str = Field(description='What was done, as recorded ("edit", "check in" …).')
    action_words: str = Field(description='What was done, in words ("edited", "checked in").')
    entity: str = Field(description='The kind of thing, as recorded ("kpi", "key_result" …).')
    entity_words: str = Field(description='The kind of thing in words ("KPI", "key result").')
    key: str = Field(description="Its key, name or number.")
    title: str | None = Field(description="Its name or title; null once it is gone.")
    link: str | None = Field(description="Its page's path; null once it is gone or without one.")
    team: str | None = Field(description="The team it belongs to (key); null for none.")
    private: bool = Field(description="Whether a private objective is (or was) behind it.")
    changes: list[AuditChangeOut] = Field(
        description="The fields an edit changed; a creation's state; a removal's last state."
    )

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditEntryOut:
        return cls(
            id=entry.id,
            at=aware(entry.at),
            actor=entry.actor,
            action=entry.action,
            action_words=entry.words,
            entity=entry.entity,
            entity_words=entry.kind,
            key=entry.key,
            title=entry.title,
            link=entry.link,
            team=entry.team,
            private=entry.private,
            changes=[
                AuditChangeOut(field=c.field, before=c.before, after=c.after)
                for c in fmt.audit_changes(entry)
            ],
        )


class AuditPageOut(BaseModel):
    """A page of audit entries, newest first, and where the pages around it start."""

    items: list[AuditEntryOut]
    limit: int
    newer: int | None = Field(description="`after` for the newer page; null on the newest.")
    older: int | None = Field(description="`before` for the older page; null on the oldest.")

    @classmethod
    def of(cls, page: AuditPage) -> AuditPageOut:
        return cls(
            items=[AuditEntryOut.of(e) for e in page.entries],
            limit=page.query.limit,
            newer=page.newer,
            older=page.older,
        )
