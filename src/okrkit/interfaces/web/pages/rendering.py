"""How a page is answered: the Jinja2 templates and the error page.

Errors raised by a use case reach `okrkit.interfaces.web.problems`, which gives them
their HTTP status; outside `/api/` it hands the problem to `error_page` here, so a
person sees a page in words ("No team 'nope'") rather than JSON.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import orjson
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

import okrkit.interfaces.web.pages.present as present
from okrkit import __version__
from okrkit.domain.alerts import AlertState
from okrkit.domain.errors import OkrkitError
from okrkit.interfaces import formatting as fmt
from okrkit.interfaces.web.charts.bundle import BUNDLE_VERSION
from okrkit.interfaces.web.problems import BUSY, SIGN_IN_REQUIRED
from okrkit.interfaces.web.schemas.problems import Problem
from okrkit.interfaces.web.sessions import known_actor
from okrkit.services import alerts

__all__ = ["TEMPLATES", "error_page", "open_alerts", "page", "templates"]

TEMPLATES = Path(__file__).parents[1] / "templates"


def _orjson_text(value: Any) -> str:
    return orjson.dumps(value).decode()


templates = Jinja2Templates(directory=TEMPLATES)
templates.env.globals.update(
    version=__version__,
    bundle_version=BUNDLE_VERSION,
    number=fmt.number,
    change=fmt.change,
    span=fmt.span,
    moment=fmt.moment,
    share=fmt.percent_share,
    status_view=present.status_view,
    attention_view=present.attention_view,
    light_view=present.light_view,
    change_view=present.change_view,
    spark=present.spark,
    tile_facts=present.tile_facts,
    tiles_summary=present.tiles_summary,
    capability_words=present.capability_words,
    counts_view=present.counts_view,
    total_counts=present.total_counts,
    thresholds_words=present.thresholds_words,
    pace_view=present.pace_view,
    percent=present.percent,
    confidence_words=present.confidence_words,
)
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True
# The templates ship inside the package: no need to look at their files' times on every
# render to see whether they changed.
templates.env.auto_reload = False
# `tojson` (a chart's spec, up to a thousand points) through orjson; Jinja still escapes
# it for HTML. Keys keep their order rather than being sorted.
templates.env.policies["json.dumps_function"] = _orjson_text
templates.env.policies["json.dumps_kwargs"] = {}


def open_alerts(request: Request) -> int | None:
    """How many alerts the signed-in reader may see are open, for the site's navigation:
    read once per request (the count of one indexed state), None when nobody is signed
    in or it can't be read — a page never fails for its navigation."""
    if not hasattr(request.state, "open_alerts"):
        count: int | None = None
        who = known_actor(request)
        try:
            if who is not None:
                uow = request.app.state.context.unit_of_work()
                count = alerts.alert_counts(uow, viewer=who)[AlertState.OPEN]
        except OkrkitError:
            count = None
        request.state.open_alerts = count
    found: int | None = request.state.open_alerts
    return found


def page(
    request: Request,
    name: str,
    status_code: int = 200,
    *,
    as_of: datetime | None = None,
    **values: Any,
) -> HTMLResponse:
    """Render a page template with the values it shows."""
    return templates.TemplateResponse(
        request,
        name,
        {
            "as_of": as_of,
            "open_alerts": lambda: open_alerts(request),
            "who": known_actor(request),
            **values,
        },
        status_code=status_code,
    )


_TITLES = {
    404: "Not found",
    409: "Changed meanwhile",
    422: "Cannot do that",
    503: "Source unavailable",
}


# Where one status covers problems a person acts on differently, the type decides.
_TITLES_BY_TYPE = {BUSY.uri: "Busy, try again"}


def error_page(request: Request, problem: Problem) -> Response:
    """An error as a page in words: what went wrong, and the way back. A page asked for
    by someone not signed in sends them to sign in, and back here after."""
    if problem.type == SIGN_IN_REQUIRED.uri and request.method in ("GET", "HEAD"):
        back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/sign-in?{urlencode({'next': back})}", status_code=303)
    title = _TITLES_BY_TYPE.get(problem.type) or _TITLES.get(problem.status, problem.title)
    return page(request, "error.html", problem.status, title=title, problem=problem)
