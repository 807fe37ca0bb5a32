"""Subscriptions and their delivery log in the API: a new subscription's body, a
subscription as shown (its target only as far as it is no secret), the answer to a
create (a webhook's signing secret, this once), and a page of deliveries.

The rules (a channel, a web or e-mail address, a team or a KPI that exists) are the
service's and the domain's, which name the field they refuse; the body only checks
JSON types and sizes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from okrkit.domain.keys import MAX_KEY_LENGTH
from okrkit.domain.notifications import Channel, DeliveryState, Event
from okrkit.interfaces import formatting as fmt
from okrkit.interfaces.web.schemas.common import StrictIn, aware, revision_fields
from okrkit.services.deliveries import DeliveryLog
from okrkit.services.ports import DeliveryLogEntry, StoredSubscription
from okrkit.services.subscriptions import CreateSubscription

__all__ = [
    "DeliveryOut",
    "DeliveryPageOut",
    "SubscriptionCreate",
    "SubscriptionCreated",
    "SubscriptionOut",
    "delivery_page",
]


class SubscriptionCreate(StrictIn):
    """Who is told about alerts, and how. Give `team` or `kpi` (or neither: every
    alert). A webhook's signing secret is made by okrkit and answered once."""

    channel: Channel = Field(description="webhook (signed, Standard Webhooks), slack or email.")
    target: str = Field(
        max_length=2000,
        description="An http(s) address for a webhook or a Slack incoming webhook; an "
        "e-mail address for email.",
    )
    team: str | None = Field(
        default=None, max_length=MAX_KEY_LENGTH, description="Only this team's alerts (its key)."
    )
    kpi: str | None = Field(
        default=None, max_length=MAX_KEY_LENGTH, description="Only this KPI's alerts (its key)."
    )

    def to_command(self, secret: str | None) -> CreateSubscription:
        return CreateSubscription(self.channel.value, self.target, self.team, self.kpi, secret)


class SubscriptionOut(BaseModel):
    """A subscription: its id (its address, /api/v1/subscriptions/{id}), what it covers,
    where its notices go, whether it is on, and its newest delivery."""

    id: int
    channel: Channel
    target: str = Field(
        description="Where notices go, as far as it is no secret: an e-mail address in "
        "full, a Slack address by its host alone, a webhook by its host and the start of "
        "its path."
    )
    team: str | None = Field(description="Only this team's alerts; null with kpi: every alert.")
    kpi: str | None = Field(description="Only this KPI's alerts.")
    signed: bool = Field(description="Whether its messages are signed (a webhook).")
    enabled: bool
    disabled_reason: str = Field(description="Why it is off, in words; empty when it is on.")
    last_state: DeliveryState | None = Field(
        description="Its newest delivery's state (in GET /subscriptions); null before its "
        "first delivery."
    )
    last_at: datetime | None = Field(description="When its newest delivery was written or made.")
    created_at: datetime
    version: int = Field(description="Bumped by every change; send it back with a change.")
    changed_at: datetime
    changed_by: str

    @classmethod
    def fields_of(cls, stored: StoredSubscription) -> dict[str, object]:
        return {
            "id": stored.id,
            "channel": stored.channel,
            "target": fmt.shown_target(stored.channel, stored.target),
            "team": stored.team,
            "kpi": stored.kpi,
            "signed": stored.secret is not None,
            "enabled": stored.enabled,
            "disabled_reason": fmt.why_off(stored),
            "last_state": stored.last_state,
            "last_at": None if stored.last_at is None else aware(stored.last_at),
            "created_at": aware(stored.created_at),
            **revision_fields(stored.revision),
        }

    @classmethod
    def from_stored(cls, stored: StoredSubscription) -> SubscriptionOut:
        return cls.model_validate(cls.fields_of(stored))


class SubscriptionCreated(SubscriptionOut):
    """A new subscription, with a webhook's signing secret: keep it now, it is never
    shown again."""

    secret: str | None = Field(
        description="A webhook's signing secret (whsec_…), shown this once: the receiver "
        "checks each message's webhook-signature with it, as Standard Webhooks says. Null "
        "for Slack and e-mail."
    )

    @classmethod
    def from_new(cls, stored: StoredSubscription) -> SubscriptionCreated:
        return cls.model_validate({**cls.fields_of(stored), "secret": stored.secret})


class DeliveryOut(BaseModel):
    """One notice to one subscription: which alert event, its state, its attempts, the
    last answer, and its moments (UTC)."""

    id: int
    message_id: str = Field(description="The webhook-id every attempt carries.")
    subscription: int
    alert: int = Field(description="The alert's id.")
    event: Event
    kpi: str
    kpi_name: str
    summary: str
    state: DeliveryState
    attempts: int
    last_status: int | None = Field(
        description="The last answer's status: HTTP, or the SMTP reply code for e-mail."
    )
    last_error: str = Field(description="What went wrong last, in words; empty once delivered.")
    created_at: datetime
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None = Field(description="When it is tried again, if waiting.")
    delivered_at: datetime | None

    @classmethod
    def from_entry(cls, entry: DeliveryLogEntry) -> DeliveryOut:
        def at(moment: datetime | None) -> datetime | None:
            return None if moment is None else aware(moment)

        return cls(
            id=entry.id,
            message_id=entry.message_id,
            subscription=entry.subscription_id,
            alert=entry.alert_id,
            event=entry.event,
            kpi=entry.kpi,
            kpi_name=entry.kpi_name,
            summary=entry.summary,
            state=entry.state,
            attempts=entry.attempts,
            last_status=entry.last_status,
            last_error=fmt.hide_target(entry.last_error, entry.channel, entry.target),
            created_at=aware(entry.created_at),
            last_attempt_at=at(entry.last_attempt_at),
            next_attempt_at=at(entry.next_attempt_at),
            delivered_at=at(entry.delivered_at),
        )


class DeliveryPageOut(BaseModel):
    """A page of a subscription's delivery log, the newest first."""

    total: int = Field(description="How many deliveries the subscription has.")
    offset: int
    limit: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last.")
    items: list[DeliveryOut]


def delivery_page(log: DeliveryLog, offset: int, limit: int) -> DeliveryPageOut:
    """A page of the log, with where the next one starts."""
    return DeliveryPageOut(
        total=log.total,
        offset=offset,
        limit=limit,
        next_offset=offset + limit if offset + limit < log.total else None,
        items=[DeliveryOut.from_entry(e) for e in log.entries],
    )
