"""The alignment tree: from the North Star KPI and the company's objectives down to the
teams' objectives, and to the key results they align to; objectives aligned to nothing
are listed as such, so the bets that hang in the air are seen.

`/tree` without a cycle sends the browser to the current cycle's tree, so the address in
the bar names the cycle it shows and can be shared.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from okrkit.interfaces.web.deps import Now, Uow, viewer
from okrkit.interfaces.web.pages.cycles.views import page_context
from okrkit.interfaces.web.pages.rendering import page
from okrkit.services import alignment, cycles

__all__ = ["router", "tree"]

router = APIRouter()


@router.get("/tree", response_class=HTMLResponse)
def tree(request: Request, uow: Uow, now: Now, cycle: str | None = None) -> Response:
    """A cycle's alignment tree (`?cycle=2026-Q3`); without one, the current cycle's
    (303), or a page saying there is no cycle yet."""
    if not cycle:
        listed = cycles.list_cycles(uow, now.date())
        if listed.current is not None:
            return RedirectResponse(f"/tree?cycle={listed.current.cycle.name}", status_code=303)
        return page(request, "alignment/tree.html", view=None, **page_context(now))
    view = alignment.alignment_tree(uow, cycle, now, viewer=viewer(request))
    return page(request, "alignment/tree.html", as_of=now, view=view, **page_context(now))
