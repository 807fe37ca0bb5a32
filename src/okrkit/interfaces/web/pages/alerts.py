"""The alert pages: what the KPIs that slipped raised, and what a person does about it.

    /alerts                  open alerts (or acknowledged, or resolved: ?state=), filtered
                             by team, KPI and level (?team=&kpi=&level=), 25 a page, red
                             first among the open ones
    /alerts/{id}             one alert: why it was raised, the kind of problem and what
                             to do about it, its KPI now, its draft objective and the
                             actions — accept the draft (title, owner, a yellow draft's
                             hypothesis), dismiss it (with a reason), acknowledge, resolve

Every action is a POST carrying the alert's version; one based on a version someone has
changed since is refused in words (409), what was typed kept. After an action the
browser goes to the alert's page (after accepting, to the objective's), POST, redirect,
GET, so a reload never acts twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from okrkit.domain.alerts import PROBLEM_WORDS, AlertLevel, AlertState, Problem
from okrkit.domain.errors import Conflict, InvalidInput
from okrkit.domain.objectives import ObjectiveStatus, StoredObjective
from okrkit.interfaces.web.deps import Actor, Now, Uow, viewer
from okrkit.interfaces.web.forms.alerts import (
    ACCEPT_FIELDS,
    LEVEL_WORDS,
    STATE_WORDS,
    AcceptForm,
    ActionForm,
    AlertFilter,
    DismissForm,
)
from okrkit.interfaces.web.forms.check_ins import MAX_ID
from okrkit.interfaces.web.pages.kpis import page_number
from okrkit.interfaces.web.pages.present import StatusView
from okrkit.interfaces.web.pages.rendering import page, templates
from okrkit.services import alerts, teams
from okrkit.services.alerts import AlertPage

__all__ = [
    "NOTICES",
    "DraftView",
    "PROBLEM_ADVICE",
    "accept",
    "acknowledge",
    "alert",
    "alert_list",
    "dismiss",
    "draft_view",
    "level_view",
    "resolve",
    "router",
    "state_view",
]

router = APIRouter()

Id = Annotated[int, Path(ge=1, le=MAX_ID)]

NOTICES = {
    "acknowledged": "Alert acknowledged: it stays on the KPI until it resolves, but waits for "
    "nobody now.",
    "resolved": "Alert resolved. If the KPI is still unhealthy at its next judgement, it "
    "raises a new one.",
    "dismissed": "Draft dismissed, with your reason: the alert is acknowledged.",
}

# What each kind of problem means for the person who reads the alert, and what to do.
PROBLEM_ADVICE: Mapping[Problem, str] = {
    Problem.SIGNAL: "Something changed: the KPI left the range it usually wobbles in, which "
    "chance alone very rarely does. Find what changed — a release, a campaign, a broken "
    "tracker, a market shift — then fix it, or keep it if it is for the better.",
    Problem.INCAPABLE: "Nothing changed: the process, as it runs today, produces values past "
    "the red bound now and then. Reacting to single values won't help — the process itself "
    "must change, which is what an objective is for.",
    Problem.THRESHOLD: "No signal: the value is within the KPI's usual wobble, but it crossed "
    "a threshold. Watch it, or aim an objective at it if the threshold matters now.",
    Problem.STALE: "The newest value is older than the KPI's cadence allows, so its status "
    "is not trusted. Get the data flowing again; the alert resolves by itself once it does.",
    Problem.BROKEN: "The newest periods have gaps, empty values or duplicates, so no verdict "
    "is trusted. Fix the data; the alert resolves by itself once it is sound.",
    Problem.CANT_JUDGE: "The KPI's definition (its cadence or thresholds) can't be judged. "
    "Fix the definition.",
}

_LEVELS = {
    AlertLevel.RED: StatusView("red", "✕", "Red", "its draft is urgent"),
    AlertLevel.YELLOW: StatusView("yellow", "▲", "Yellow", "its draft needs a hypothesis"),
    AlertLevel.DATA: StatusView("stale", "◷", "Data", "the data can't be trusted"),
}
_STATES = {
    AlertState.OPEN: StatusView("open", "●", "Open", "waits for a person"),
    AlertState.ACKNOWLEDGED: StatusView("acknowledged", "◐", "Acknowledged", "seen by a person"),
    AlertState.RESOLVED: StatusView("resolved", "✓", "Resolved", "closed"),
}


def level_view(level: AlertLevel) -> StatusView:
    """An alert's level as a badge: colour, icon of its own shape, and word."""
    return _LEVELS[level]


def state_view(state: AlertState) -> StatusView:
    """An alert's state as a chip: icon and word (and a colour)."""
    return _STATES[state]


@dataclass(frozen=True)
class DraftView:
    """A draft objective as the alert pages name it: its mark in words and its class."""

    key: str
    words: str
    title: str


def draft_view(draft: StoredObjective | None) -> DraftView | None:
    """ "Urgent draft", "Draft — waiting for a person", or the objective's status."""
    if draft is None:
        return None
    if draft.status is ObjectiveStatus.DRAFT:
        if draft.urgent:
            return DraftView("urgent", "Urgent draft", draft.objective.title)
        return DraftView("draft", "Draft — waiting for a person", draft.objective.title)
    return DraftView(draft.status.value, f"{draft.status.value.capitalize()} objective",
                     draft.objective.title)  # fmt: skip


def _when(moment: datetime) -> str:
    """A moment as a person reads it: '23 Nov 2026, 09:30 UTC' (the date alone at
    midnight)."""
    day = f"{moment.day} {moment:%b %Y}"
    if moment.hour == moment.minute == moment.second == 0:
        return day
    return f"{day}, {moment:%H:%M} UTC"


# How alerts read on every page that shows one (the alert pages, a KPI's page, an
# objective proposed by an alert, the cycle overview's drafts): the templates' globals.
templates.env.globals.update(
    level_view=level_view,
    state_view=state_view,
    draft_view=draft_view,
    problem_words=PROBLEM_WORDS,
    problem_advice=PROBLEM_ADVICE,
    alert_state_words=STATE_WORDS,
    alert_level_words=LEVEL_WORDS,
    when=_when,
)


@router.get("/alerts", response_class=HTMLResponse)
def alert_list(
    request: Request,
    uow: Uow,
    now: Now,
    state: Annotated[str, Query(max_length=20)] = AlertState.OPEN.value,
    team: Annotated[str, Query(max_length=64)] = "",
    kpi: Annotated[str, Query(max_length=64)] = "",
    level: Annotated[str, Query(max_length=20)] = "",
    page_text: Annotated[str, Query(alias="page", max_length=20)] = "1",
) -> HTMLResponse:
    """The alerts in one state (open by default), filtered by team, KPI and level, a
    page at a time; each with its KPI, level, kind of problem, value, its draft and its
    state. Filters and pages are plain links that can be shared."""
    chosen = AlertFilter(state=state, team=team, kpi=kpi, level=level, page=page_number(page_text))
    listed = alerts.list_alerts(uow, chosen.query(), viewer=viewer(request))
    offered = teams.list_teams(uow)
    return page(
        request,
        "alerts/list.html",
        as_of=now,
        nav="alerts",
        listed=listed,
        chosen=chosen,
        teams=offered,
        team_names={t.team.key: t.team.name for t in offered},
        pages=max(1, -(-listed.total // listed.query.limit)),
    )


def _alert_page(
    request: Request,
    view: AlertPage,
    now: datetime,
    *,
    accept: AcceptForm | None = None,
    dismiss: DismissForm | None = None,
    errors: Mapping[str, str] | None = None,
    conflict: str | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    stored, draft = view.view.stored, view.view.draft
    version = stored.revision.version
    if accept is None:
        accept = AcceptForm(
            version=version,
            title="" if draft is None else draft.objective.title,
            owner="" if draft is None or draft.objective.owner is None else draft.objective.owner,
        )
    return page(
        request,
        "alerts/page.html",
        status_code,
        as_of=now,
        nav="alerts",
        view=view,
        a=stored.alert,
        stored=stored,
        draft=draft,
        accept=accept,
        dismiss=dismiss or DismissForm(version=version),
        errors=dict(errors or {}),
        conflict=conflict,
        notice=notice,
        accept_fields=ACCEPT_FIELDS,
    )


@router.get("/alerts/{id}", response_class=HTMLResponse)
def alert(request: Request, id: Id, uow: Uow, now: Now, notice: str | None = None) -> HTMLResponse:
    """One alert: why it was raised, what kind of problem it is and what to do about it,
    its KPI as it stands now, its draft objective with its key result, and the actions."""
    view = alerts.alert_page(uow, id, now, viewer=viewer(request))
    return _alert_page(request, view, now, notice=NOTICES.get(notice or ""))


def _refused(
    request: Request, uow: Uow, id: int, now: datetime, error: Exception, **forms: Any
) -> HTMLResponse:
    """The alert's page again after a refused action: a conflict in words (409), or the
    error beside its input (422), what was typed kept."""
    view = alerts.alert_page(uow, id, now, viewer=viewer(request))
    if isinstance(error, Conflict):
        # What was typed stays; the version becomes the one now shown, to act again on.
        current = view.view.stored.revision.version
        forms = {k: v.model_copy(update={"version": current}) for k, v in forms.items()}
        return _alert_page(request, view, now, conflict=str(error), status_code=409, **forms)
    assert isinstance(error, InvalidInput)
    return _alert_page(
        request, view, now, errors={error.field or "": error.message}, status_code=422, **forms
    )


@router.post("/alerts/{id}/accept", response_class=HTMLResponse)
def accept(
    request: Request,
    id: Id,
    form: Annotated[AcceptForm, Form()],
    uow: Uow,
    now: Now,
    actor: Actor,
) -> Response:
    """Accept the draft as edited (a yellow one with its hypothesis) and go to the
    objective's page, now active."""
    try:
        stored = alerts.accept_draft(uow, form.command(id), actor, now)
    except (InvalidInput, Conflict) as error:
        return _refused(request, uow, id, now, error, accept=form)
    return RedirectResponse(f"/objectives/{stored.objective.key}?notice=accepted", status_code=303)


@router.post("/alerts/{id}/dismiss", response_class=HTMLResponse)
def dismiss(
    request: Request,
    id: Id,
    form: Annotated[DismissForm, Form()],
    uow: Uow,
    now: Now,
    actor: Actor,
) -> Response:
    """Dismiss the draft, saying why; the alert is acknowledged."""
    try:
        alerts.dismiss_draft(uow, id, form.version, form.reason, actor, now)
    except (InvalidInput, Conflict) as error:
        return _refused(request, uow, id, now, error, dismiss=form)
    return RedirectResponse(f"/alerts/{id}?notice=dismissed", status_code=303)


@router.post("/alerts/{id}/acknowledge", response_class=HTMLResponse)
def acknowledge(
    request: Request,
    id: Id,
    form: Annotated[ActionForm, Form()],
    uow: Uow,
    now: Now,
    actor: Actor,
) -> Response:
    """A person has seen the alert."""
    try:
        alerts.acknowledge_alert(uow, id, form.version, actor, now, form.note)
    except (InvalidInput, Conflict) as error:
        return _refused(request, uow, id, now, error)
    return RedirectResponse(f"/alerts/{id}?notice=acknowledged", status_code=303)


@router.post("/alerts/{id}/resolve", response_class=HTMLResponse)
def resolve(
    request: Request,
    id: Id,
    form: Annotated[ActionForm, Form()],
    uow: Uow,
    now: Now,
    actor: Actor,
) -> Response:
    """Resolve the alert by hand."""
    try:
        alerts.resolve_alert(uow, id, form.version, actor, now, form.note)
    except (InvalidInput, Conflict) as error:
        return _refused(request, uow, id, now, error)
    return RedirectResponse(f"/alerts/{id}?notice=resolved", status_code=303)
