"""`/api/v1/subscriptions`: who is told about alerts, and how — list, add (a webhook's
signing secret answered this once), read, switch off and on, delete — and each one's
delivery log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Response

from okrkit.adapters.notify import new_secret
from okrkit.domain.notifications import Channel
from okrkit.interfaces.web.api.key_results import MAX_ID
from okrkit.interfaces.web.deps import Actor, IfMatch, Now, Uow, Who, based_on, tag
from okrkit.interfaces.web.problems import documented
from okrkit.interfaces.web.schemas.common import VersionBody
from okrkit.interfaces.web.schemas.subscriptions import (
    DeliveryPageOut,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionOut,
    delivery_page,
)
from okrkit.services import deliveries, subscriptions

__all__ = [
    "MAX_DELIVERIES",
    "SubscriptionId",
    "create_subscription",
    "delete_subscription",
    "get_subscription",
    "list_deliveries",
    "list_subscriptions",
    "router",
    "switch_off",
    "switch_on",
]

SubscriptionId = Annotated[int, Path(ge=1, le=MAX_ID, description="The subscription's id.")]
# The most deliveries one page of the log holds.
MAX_DELIVERIES = 500

router = APIRouter(prefix="/subscriptions", tags=["subscriptions"])


@router.get("", responses=documented())
def list_subscriptions(uow: Uow, who: Who) -> list[SubscriptionOut]:
    """Every subscription, oldest first, each with its newest delivery's state."""
    listed = subscriptions.list_subscriptions(uow, viewer=who)
    return [SubscriptionOut.from_stored(s) for s in listed]


@router.post("", status_code=201, responses=documented(404, 422))
def create_subscription(
    body: SubscriptionCreate, uow: Uow, actor: Actor, now: Now, response: Response
) -> SubscriptionCreated:
    """Subscribe a webhook, a Slack incoming webhook or an e-mail address to a team's
    alerts, one KPI's, or every alert (404 for a team or KPI that does not exist). A
    webhook's answer holds its signing secret: the only time it is shown."""
    secret = new_secret() if body.channel is Channel.WEBHOOK else None
    stored = subscriptions.create_subscription(uow, body.to_command(secret), actor, now)
    response.headers["Location"] = f"/api/v1/subscriptions/{stored.id}"
    response.headers["Cache-Control"] = "no-store"  # the secret stays out of caches
    tag(response, stored.revision.version)
    return SubscriptionCreated.from_new(stored)


@router.get("/{id}", responses=documented())
def get_subscription(id: SubscriptionId, uow: Uow, who: Who, response: Response) -> SubscriptionOut:
    """One subscription; its ETag is its version. Its secret is never shown again."""
    stored = subscriptions.get_subscription(uow, id, viewer=who)
    tag(response, stored.revision.version)
    return SubscriptionOut.from_stored(stored)


def _switch(
    id: int, enabled: bool, uow: Uow, actor: Actor, now: Now, if_match: int | None,
    body: VersionBody | None, response: Response,
) -> SubscriptionOut:  # fmt: skip
    version = based_on(if_match, None if body is None else body.version)
    stored = subscriptions.switch_subscription(uow, id, version, enabled, actor, now)
    tag(response, stored.revision.version)
    return SubscriptionOut.from_stored(stored)


@router.post("/{id}/off", responses=documented(409, 428))
def switch_off(
    id: SubscriptionId,
    uow: Uow,
    actor: Actor,
    now: Now,
    if_match: IfMatch,
    response: Response,
    body: Annotated[VersionBody | None, Body()] = None,
) -> SubscriptionOut:
    """Switch a subscription off: no notices are written for it until it is on again."""
    return _switch(id, False, uow, actor, now, if_match, body, response)


@router.post("/{id}/on", responses=documented(409, 428))
def switch_on(
    id: SubscriptionId,
    uow: Uow,
    actor: Actor,
    now: Now,
    if_match: IfMatch,
    response: Response,
    body: Annotated[VersionBody | None, Body()] = None,
) -> SubscriptionOut:
    """Switch a subscription back on — after its endpoint answered 410 Gone, once it
    takes messages again."""
    return _switch(id, True, uow, actor, now, if_match, body, response)


@router.delete("/{id}", status_code=204, responses=documented(409, 428))
def delete_subscription(
    id: SubscriptionId,
    uow: Uow,
    actor: Actor,
    now: Now,
    if_match: IfMatch,
    body: Annotated[VersionBody | None, Body()] = None,
) -> Response:
    """Delete a subscription and its delivery log."""
    version = based_on(if_match, None if body is None else body.version)
    subscriptions.delete_subscription(uow, id, version, actor, now)
    return Response(status_code=204)


@router.get("/{id}/deliveries", responses=documented())
def list_deliveries(
    id: SubscriptionId,
    uow: Uow,
    who: Who,
    offset: Annotated[int, Query(ge=0, le=MAX_ID, description="How many to skip.")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_DELIVERIES, description="A page's size.")] = 50,
) -> DeliveryPageOut:
    """A page of the subscription's delivery log, the newest first: each notice's alert
    event, state, attempts, last answer and moments."""
    log = deliveries.delivery_log(uow, id, limit=limit, offset=offset, viewer=who)
    return delivery_page(log, offset, limit)
