"""Undo a write of a KPI's values from its page: an imported file, a value typed in, a
value deleted (`services.imports.undo_import`). The values it wrote are removed and
the ones it replaced put back; the KPI's page then says how many. An import undone
already is a conflict shown in words (who undid it, when), never a second undo.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import RedirectResponse

from okrkit.interfaces.web.deps import Actor, Now, Uow
from okrkit.interfaces.web.forms.check_ins import MAX_ID
from okrkit.services.imports import undo_import

__all__ = ["router", "undo"]

router = APIRouter()


@router.post("/kpis/{kpi}/imports/{import_id}/undo")
def undo(
    kpi: str,
    import_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    uow: Uow,
    now: Now,
    actor: Actor,
) -> RedirectResponse:
    """Undo the write of values, then show the KPI's page with what the undo did."""
    undone = undo_import(uow, import_id, actor, now)
    return RedirectResponse(
        f"/kpis/{kpi}?done={import_id}&removed={undone.removed}&restored={undone.restored}#written",
        status_code=303,
    )
