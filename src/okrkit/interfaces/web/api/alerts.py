"""`/api/v1/alerts`: what the KPIs that slipped raised — listed by state, team, KPI and
level a page at a time (red first among unresolved ones), read one by one, and acted on:
acknowledged, resolved, their draft objective accepted (activated, edited first as
given; a yellow KPI's draft needs its hypothesis) or dismissed with a reason.

Every action names the alert's version it was based on (`If-Match` or `version` in the
body): a stale one is a 409 saying who changed it and when.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Response

from okrkit.domain.alerts import AlertLevel, AlertState
from okrkit.domain.keys import MAX_KEY_LENGTH
from okrkit.interfaces.web.api.key_results import MAX_ID
from okrkit.interfaces.web.deps import Actor, IfMatch, Now, Uow, Who, based_on, tag
from okrkit.interfaces.web.problems import documented
from okrkit.interfaces.web.schemas.alerts import (
    AcceptIn,
    AlertListOut,
    AlertOut,
    DismissIn,
    NoteIn,
)
from okrkit.interfaces.web.schemas.objectives import ObjectiveOut
from okrkit.services import alerts
from okrkit.services.ports import AlertQuery

__all__ = [
    "MAX_PAGE",
    "AlertId",
    "accept_draft",
    "acknowledge_alert",
    "dismiss_draft",
    "get_alert",
    "list_alerts",
    "resolve_alert",
    "router",
]

# The most alerts one page holds.
MAX_PAGE = 200

AlertId = Annotated[int, Path(ge=1, le=MAX_ID, description="The alert's id.")]

router = APIRouter(prefix="/alerts", tags=["alerts"])

_Note = Annotated[NoteIn | None, Body()]


@router.get("", responses=documented(404))
def list_alerts(
    uow: Uow,
    who: Who,
    state: Annotated[
        list[AlertState] | None,
        Query(description="In these states (repeat it for several); all when left out."),
    ] = None,
    team: Annotated[
        str | None, Query(max_length=MAX_KEY_LENGTH, description="Of this team's KPIs (key).")
    ] = None,
    kpi: Annotated[
        str | None, Query(max_length=MAX_KEY_LENGTH, description="Of this KPI (its key).")
    ] = None,
    level: Annotated[AlertLevel | None, Query(description="Of this level.")] = None,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1, description="How many to skip.")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="A page's size.")] = 50,
) -> AlertListOut:
    """A page of alerts, newest first — red, then yellow, then data first when only open
    or acknowledged ones are asked for — with their KPIs and drafts; `counts` says how
    many are in each state. An unknown KPI is a 404, an unknown team a 422."""
    query = AlertQuery(tuple(state or ()), kpi, team, level, limit, offset)
    return AlertListOut.of(alerts.list_alerts(uow, query, viewer=who))


@router.get("/{id}", responses=documented(404))
def get_alert(id: AlertId, uow: Uow, who: Who, response: Response) -> AlertOut:
    """One alert with its KPI and draft; its ETag is its version."""
    view = alerts.get_alert(uow, id, viewer=who)
    tag(response, view.stored.revision.version)
    return AlertOut.of(view)


@router.post("/{id}/acknowledge", responses=documented(404, 409, 422, 428))
def acknowledge_alert(
    id: AlertId,
    uow: Uow,
    actor: Actor,
    now: Now,
    if_match: IfMatch,
    response: Response,
    body: _Note = None,
) -> AlertOut:
    """A person has seen the alert: it stays unresolved (its KPI raises nothing new) but
    waits for nobody. A resolved alert is a 409."""
    version = based_on(if_match, None if body is None else body.version)
    note = "" if body is None else body.note
    view = alerts.acknowledge_alert(uow, id, version, actor, now, note)
    tag(response, view.stored.revision.version)
    return AlertOut.of(view)


@router.post("/{id}/resolve", responses=documented(404, 409, 422, 428))
def resolve_alert(
    id: AlertId,
    uow: Uow,
    actor: Actor,
    now: Now,
    if_match: IfMatch,
    response: Response,
    body: _Note = None,
) -> AlertOut:
    """Resolve the alert by hand (the KPI's next judgement raises a new one if it is
    still unhealthy). A resolved alert is a 409."""
    version = based_on(if_match, None if body is None else body.version)
    note = "" if body is None else body.note
    view = alerts.resolve_alert(uow, id, version, actor, now, note)
    tag(response, view.stored.revision.version)
    return AlertOut.of(view)


@router.post("/{id}/accept", responses=documented(404, 409, 422, 428))
def accept_draft(
    id: AlertId,
    uow: Uow,
    actor: Actor,
    now: Now,
    if_match: IfMatch,
    response: Response,
    body: Annotated[AcceptIn | None, Body()] = None,
) -> ObjectiveOut:
    """Accept the alert's draft objective: its title and owner changed as given, the
    hypothesis written into its description (required for a yellow KPI's draft: a 422
    naming `hypothesis`), activated, and the alert acknowledged — at once. The answer is
    the objective (its `Location` and ETag); no draft, or one no longer a draft, is a
    409."""
    body = body or AcceptIn()
    command = body.to_command(id, based_on(if_match, body.version))
    stored = alerts.accept_draft(uow, command, actor, now)
    response.headers["Location"] = f"/api/v1/objectives/{stored.objective.key}"
    tag(response, stored.revision.version)
    return ObjectiveOut.from_stored(stored)


@router.post("/{id}/dismiss", responses=documented(404, 409, 422, 428))
def dismiss_draft(
    id: AlertId,
    body: DismissIn,
    uow: Uow,
    actor: Actor,
    now: Now,
    if_match: IfMatch,
    response: Response,
) -> AlertOut:
    """Dismiss the alert's draft objective, saying why (`reason`, required): the draft
    is removed (the audit log keeps it) and the alert acknowledged with the reason."""
    version = based_on(if_match, body.version)
    view = alerts.dismiss_draft(uow, id, version, body.reason, actor, now)
    tag(response, view.stored.revision.version)
    return AlertOut.of(view)
