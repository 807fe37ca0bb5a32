"""`/api/v1/imports`: every write of KPI values (imports, values typed in or deleted),
listed and undone."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from okrkit.interfaces.web.deps import Actor, Now, Uow, Who
from okrkit.interfaces.web.problems import documented
from okrkit.interfaces.web.schemas.values import ImportRecordOut, UndoneOut
from okrkit.services import imports

__all__ = ["list_imports", "router", "undo_import"]

router = APIRouter(tags=["values"])

ImportId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The import's id.")]


@router.get("/imports", responses=documented(404, 422))
def list_imports(
    uow: Uow,
    who: Who,
    kpi: Annotated[str | None, Query(description="Only the writes of this KPI.")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[ImportRecordOut]:
    """The newest writes of values first: who, when, from where, how many rows."""
    return [ImportRecordOut.of(r) for r in imports.list_imports(uow, kpi, viewer=who, limit=limit)]


@router.post("/imports/{import_id}/undo", responses=documented(404, 409, 422))
def undo_import(import_id: ImportId, uow: Uow, actor: Actor, now: Now) -> UndoneOut:
    """Undo an import (or a value typed in or deleted): the values it still holds are
    removed and those it replaced put back, where nothing newer took their place. Once
    only: a second undo is a 409."""
    return UndoneOut.of(imports.undo_import(uow, import_id, actor, now))
