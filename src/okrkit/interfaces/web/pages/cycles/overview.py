"""The cycle overview: a quarter at a glance — each team's objectives with progress
against what was expected by now, pace in words, guardrail breaches and check-ins due.
Filters and pages are plain GET links, so they work without script and can be shared;
`/cycles` is the current cycle's overview."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from okrkit.interfaces.web.deps import Now, Uow, viewer
from okrkit.interfaces.web.pages.cycles.views import (
    overview_filter,
    pace_counts,
    page_context,
    paging,
)
from okrkit.interfaces.web.pages.kpis import page_number
from okrkit.interfaces.web.pages.rendering import page
from okrkit.services import cycles

__all__ = ["cycle", "cycles_index", "router"]

router = APIRouter()

NOTICES = {
    "created": "Cycle added.",
    "started": "Cycle started: check-ins are due every week from now on.",
}


@router.get("/cycles", response_class=HTMLResponse)
def cycles_index(request: Request, uow: Uow, now: Now) -> Response:
    """The current cycle's overview (303); without any cycle, a page that says how to
    add the first."""
    listed = cycles.list_cycles(uow, now.date())
    if listed.current is not None:
        return RedirectResponse(f"/cycles/{listed.current.cycle.name}", status_code=303)
    return page(request, "cycles/list.html", listing=listed, **page_context(now))


@router.get("/cycles/{cycle}", response_class=HTMLResponse)
def cycle(
    request: Request,
    cycle: str,
    uow: Uow,
    now: Now,
    team: str = "",
    owner: str = "",
    kind: Annotated[str, Query(alias="type")] = "",
    page_text: Annotated[str, Query(alias="page")] = "1",
    notice: str | None = None,
) -> HTMLResponse:
    """A cycle's overview: its objectives by team with progress, pace, guardrail
    breaches and check-ins due, filtered by team, owner and type, a page at a time."""
    number = page_number(page_text)
    view = cycles.cycle_summary(
        uow,
        cycle,
        now,
        overview_filter(team, owner, kind),
        viewer=viewer(request),
        offset=(number - 1) * cycles.PAGE_SIZE,
        limit=cycles.PAGE_SIZE,
    )
    counts, due = pace_counts(view.objectives)
    return page(
        request,
        "cycles/overview.html",
        as_of=now,
        view=view,
        paging=paging(f"/cycles/{cycle}", view, number),
        counts=counts,
        due=due,
        notice=NOTICES.get(notice or ""),
        **page_context(now),
    )
