"""The home page and a team's dashboard: is each team's business healthy right now?"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from okrkit.domain.alerts import AlertState
from okrkit.interfaces.web.deps import Now, Uow, viewer
from okrkit.interfaces.web.pages.rendering import page
from okrkit.services import alerts, dashboards
from okrkit.services.ports import AlertQuery

__all__ = ["home", "router", "team"]

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request, uow: Uow, now: Now) -> HTMLResponse:
    """Every team's KPI health at a glance — how many green, yellow, red, unknown and
    stale — with the North Star KPI's tile on top."""
    view = dashboards.home(uow, now, viewer=viewer(request))
    return page(request, "home.html", as_of=now, home=view)


@router.get("/teams/{team}", response_class=HTMLResponse)
def team(request: Request, team: str, uow: Uow, now: Now) -> HTMLResponse:
    """A team's dashboard: a tile per KPI with its value, target, status and why, the
    change against the prior period, a sparkline, and signal or routine variation; above
    them, the team's open alerts with their drafts (red first)."""
    view = dashboards.team_dashboard(uow, team, now, viewer=viewer(request))
    open_ = AlertQuery(states=(AlertState.OPEN,), team=team, limit=5)
    waiting = alerts.list_alerts(uow, open_, viewer=viewer(request))
    return page(request, "team.html", as_of=now, dashboard=view, alerts=waiting)
