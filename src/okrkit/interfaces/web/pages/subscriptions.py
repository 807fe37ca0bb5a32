"""Subscription pages: who is told about alerts, and how, and what became of each
notice.

    /subscriptions             every subscription — what it covers, its channel and
                               address (no secret shown), on or off and why, its newest
                               delivery — and the form to add one (POST)
    /subscriptions/{id}        one subscription and its delivery log, newest first, paged
                               (?page=N); switch it off or on (POST …/off, …/on)
    /subscriptions/{id}/delete deleting it, confirmed (POST deletes)

A webhook's signing secret is made here when it is added and shown on the answer to
that POST alone (never stored in an address, never cached, never shown again). Every
other change goes POST, redirect, GET, so a reload never submits twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from okrkit.adapters.notify import new_secret
from okrkit.domain.errors import Conflict, InvalidInput, NotFound
from okrkit.domain.notifications import Channel, DeliveryState
from okrkit.interfaces import formatting as fmt
from okrkit.interfaces.web.deps import Actor, Now, Uow, viewer
from okrkit.interfaces.web.forms.check_ins import MAX_ID
from okrkit.interfaces.web.forms.subscriptions import (
    CHANNEL_CHOICES,
    FIELDS,
    SubscriptionForm,
)
from okrkit.interfaces.web.pages.kpis import page_number
from okrkit.interfaces.web.pages.rendering import page
from okrkit.services import deliveries, subscriptions
from okrkit.services.deliveries import SubscriptionLog
from okrkit.services.ports import DeliveryLogEntry, StoredSubscription, UnitOfWork

__all__ = [
    "DELIVERIES_PER_PAGE",
    "Badge",
    "DeliveryView",
    "SubscriptionView",
    "add_subscription",
    "confirm_delete",
    "delete_subscription",
    "delivery_view",
    "router",
    "subscription",
    "subscription_view",
    "subscriptions_page",
    "switch_off",
    "switch_on",
]

router = APIRouter()

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
# How many deliveries a page of the log shows.
DELIVERIES_PER_PAGE = 20

# A state's badge: the colour class, an icon of its own shape, and the word.
_STATE_BADGES = {
    DeliveryState.DELIVERED: ("green", "✓"),
    DeliveryState.PENDING: ("yellow", "◷"),
    DeliveryState.SENDING: ("unknown", "➜"),
    DeliveryState.FAILED: ("red", "✕"),
}


@dataclass(frozen=True)
class Badge:
    """A status as the page shows it: a colour class, an icon and its word."""

    key: str
    icon: str
    word: str


def _state_badge(state: DeliveryState, attempts: int = 0) -> Badge:
    key, icon = _STATE_BADGES[state]
    word = fmt.state_words(state, attempts)
    return Badge(key, icon, word[:1].upper() + word[1:])


@dataclass(frozen=True)
class SubscriptionView:
    """A subscription in words: what it covers (and where that is), where its notices
    go (no secret), on or off and why, its newest delivery."""

    stored: StoredSubscription
    covers: str
    covers_href: str | None
    channel: str
    target: str
    switch: Badge
    why_off: str
    last: Badge | None
    last_at: str
    added: str
    changed: str

    @property
    def href(self) -> str:
        return f"/subscriptions/{self.stored.id}"

    @property
    def title(self) -> str:
        return f"{self.channel} to {self.target}"


def subscription_view(stored: StoredSubscription, name: str | None) -> SubscriptionView:
    """How a subscription reads; `name` is its team's or KPI's name, when known."""
    if stored.team is not None:
        covers, href = f"Team {name or stored.team}: its KPIs' alerts", f"/teams/{stored.team}"
    elif stored.kpi is not None:
        covers, href = f"KPI {name or stored.kpi}: its alerts", f"/kpis/{stored.kpi}"
    else:
        covers, href = "Every alert of every team", None
    switch = Badge("green", "●", "On") if stored.enabled else Badge("unknown", "○", "Off")
    last = None if stored.last_state is None else _state_badge(stored.last_state)
    return SubscriptionView(
        stored=stored,
        covers=covers,
        covers_href=href,
        channel=fmt.CHANNEL_WORDS[stored.channel],
        target=fmt.shown_target(stored.channel, stored.target),
        switch=switch,
        why_off=fmt.why_off(stored),
        last=last,
        last_at="" if stored.last_at is None else fmt.day_and_time(stored.last_at),
        added=fmt.day_and_time(stored.created_at),
        changed=fmt.day_and_time(stored.revision.changed_at),
    )


@dataclass(frozen=True)
class DeliveryView:
    """One delivery of the log in words."""

    entry: DeliveryLogEntry
    event: str
    state: Badge
    answer: str
    written: str
    tried: str
    outcome: tuple[str, str] | None

    @property
    def alert_href(self) -> str:
        return f"/alerts/{self.entry.alert_id}"


def _answer(entry: DeliveryLogEntry) -> str:
    """The last answer: its status (HTTP, or SMTP for e-mail) and what went wrong."""
    error = fmt.hide_target(entry.last_error, entry.channel, entry.target)
    code = None
    if entry.last_status is not None:
        protocol = "SMTP" if entry.channel is Channel.EMAIL else "HTTP"
        code = f"{protocol} {entry.last_status}"
    if code and error.startswith("not sent"):  # given up unsent after an earlier answer
        return f"{error[:1].upper()}{error[1:]} (the last answer was {code})"
    if code and error:
        return f"{code}: {error}"
    return code or error or ("no answer yet" if entry.attempts == 0 else "no answer")


def delivery_view(entry: DeliveryLogEntry) -> DeliveryView:
    outcome = None
    if entry.delivered_at is not None:
        outcome = ("Delivered", fmt.day_and_time(entry.delivered_at))
    elif entry.next_attempt_at is not None:
        outcome = ("Next try", fmt.day_and_time(entry.next_attempt_at))
    tried = entry.last_attempt_at
    return DeliveryView(
        entry=entry,
        event=fmt.EVENT_WORDS[entry.event].capitalize(),
        state=_state_badge(entry.state, entry.attempts),
        answer=_answer(entry),
        written=fmt.day_and_time(entry.created_at),
        tried="not yet" if tried is None else fmt.day_and_time(tried),
        outcome=outcome,
    )


def _list_page(
    request: Request,
    uow: UnitOfWork,
    form: SubscriptionForm,
    errors: dict[str, str],
    *,
    deleted: int | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    overview = subscriptions.subscriptions_overview(uow, viewer=viewer(request))
    names = {**overview.team_names, **overview.kpi_names}
    views = [subscription_view(s, names.get(s.team or s.kpi or "")) for s in overview.subscriptions]
    return page(
        request,
        "subscriptions/list.html",
        status_code,
        nav="subscriptions",
        views=views,
        teams=overview.teams,
        form=form,
        errors=errors,
        fields=FIELDS,
        channels=CHANNEL_CHOICES,
        deleted=deleted,
    )


@router.get("/subscriptions", response_class=HTMLResponse)
def subscriptions_page(
    request: Request,
    uow: Uow,
    team: Annotated[str, Query(max_length=64)] = "",
    kpi: Annotated[str, Query(max_length=64)] = "",
    deleted: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> HTMLResponse:
    """Every subscription, and the form to add one (`?team=` or `?kpi=` fill it in)."""
    form = SubscriptionForm(team=team, kpi=kpi)
    return _list_page(request, uow, form, {}, deleted=deleted)


@router.post("/subscriptions", response_class=HTMLResponse)
def add_subscription(
    request: Request,
    form: Annotated[SubscriptionForm, Form()],
    uow: Uow,
    now: Now,
    actor: Actor,
) -> Response:
    """Add a subscription. A webhook's answer shows its signing secret, this once; the
    others go to the new subscription's page. Errors stand at their input, as typed."""
    command = form.to_command(new_secret() if form.is_webhook else None)
    try:
        stored = subscriptions.create_subscription(uow, command, actor, now)
    except InvalidInput as error:
        where = error.field if error.field in FIELDS else ""
        return _list_page(request, uow, form, {where: error.message}, status_code=422)
    except NotFound as error:
        where = "kpi" if command.kpi is not None else "team"
        return _list_page(request, uow, form, {where: str(error)}, status_code=422)
    if stored.secret is None:
        return RedirectResponse(f"/subscriptions/{stored.id}", status_code=303)
    answer = page(
        request,
        "subscriptions/created.html",
        201,
        nav="subscriptions",
        view=subscription_view(stored, None),
        secret=stored.secret,
    )
    answer.headers["Cache-Control"] = "no-store"  # the secret stays out of the history
    return answer


def _log_page(
    request: Request, uow: UnitOfWork, id: int, number: int, *, conflict: str | None = None
) -> HTMLResponse:
    read: SubscriptionLog = deliveries.subscription_log(
        uow, id, limit=DELIVERIES_PER_PAGE, offset=(number - 1) * DELIVERIES_PER_PAGE,
        viewer=viewer(request),
    )  # fmt: skip
    pages = max(1, -(-read.log.total // DELIVERIES_PER_PAGE))
    return page(
        request,
        "subscriptions/page.html",
        409 if conflict else 200,
        nav="subscriptions",
        view=subscription_view(read.subscription, read.covers_name),
        deliveries=[delivery_view(e) for e in read.log.entries],
        total=read.log.total,
        page_no=number,
        pages=pages,
        conflict=conflict,
    )


@router.get("/subscriptions/{id}", response_class=HTMLResponse)
def subscription(
    request: Request,
    id: Id,
    uow: Uow,
    number: Annotated[str, Query(alias="page", max_length=12)] = "1",
) -> HTMLResponse:
    """A subscription and a page of its delivery log, the newest first."""
    return _log_page(request, uow, id, page_number(number))


def _switch(
    request: Request, uow: UnitOfWork, id: int, version: int, enabled: bool, actor: Actor,
    now: datetime,
) -> Response:  # fmt: skip
    try:
        subscriptions.switch_subscription(uow, id, version, enabled, actor, now)
    except Conflict as error:
        return _log_page(request, uow, id, 1, conflict=str(error))
    return RedirectResponse(f"/subscriptions/{id}", status_code=303)


_Version = Annotated[int, Form(ge=1, le=2**63 - 1)]


@router.post("/subscriptions/{id}/off", response_class=HTMLResponse)
def switch_off(
    request: Request, id: Id, version: _Version, uow: Uow, now: Now, actor: Actor
) -> Response:
    """Switch it off, if nobody changed it since the page was loaded."""
    return _switch(request, uow, id, version, False, actor, now)


@router.post("/subscriptions/{id}/on", response_class=HTMLResponse)
def switch_on(
    request: Request, id: Id, version: _Version, uow: Uow, now: Now, actor: Actor
) -> Response:
    """Switch it back on, if nobody changed it since the page was loaded."""
    return _switch(request, uow, id, version, True, actor, now)


@router.get("/subscriptions/{id}/delete", response_class=HTMLResponse)
def confirm_delete(request: Request, id: Id, uow: Uow) -> HTMLResponse:
    """What deleting the subscription does, and the button that does it."""
    read = deliveries.subscription_log(uow, id, limit=1, viewer=viewer(request))
    return page(
        request,
        "subscriptions/delete.html",
        nav="subscriptions",
        view=subscription_view(read.subscription, read.covers_name),
        total=read.log.total,
        conflict=None,
    )


@router.post("/subscriptions/{id}/delete", response_class=HTMLResponse)
def delete_subscription(
    request: Request, id: Id, version: _Version, uow: Uow, now: Now, actor: Actor
) -> Response:
    """Delete it and its delivery log, if nobody changed it since the page was loaded."""
    try:
        subscriptions.delete_subscription(uow, id, version, actor, now)
    except Conflict as error:
        read = deliveries.subscription_log(uow, id, limit=1, viewer=viewer(request))
        return page(
            request,
            "subscriptions/delete.html",
            409,
            nav="subscriptions",
            view=subscription_view(read.subscription, read.covers_name),
            total=read.log.total,
            conflict=str(error),
        )
    return RedirectResponse(f"/subscriptions?deleted={id}", status_code=303)
