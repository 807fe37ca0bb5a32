"""`/api/v1/kpis/{kpi}/values`: read a KPI's values by range and segment; import them
(or preview an import); type in, replace or delete one value."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query

from okrkit.adapters.sources.values.rows import ValueRow, ValueRows
from okrkit.interfaces.web.deps import Actor, Now, Uow, Who
from okrkit.interfaces.web.problems import documented
from okrkit.interfaces.web.schemas.common import Moment, naive
from okrkit.interfaces.web.schemas.values import (
    ImportOut,
    ImportRecordOut,
    OneValueIn,
    PreviewOut,
    ValueIn,
    ValuesPageOut,
)
from okrkit.services import values
from okrkit.services.values import MAX_PAGE

__all__ = ["MAX_ITEMS", "delete_value", "import_values", "list_values", "router", "set_value"]

# Larger imports go through a file (`okrkit kpi import`), which DuckDB checks without
# holding it in memory; a request body is parsed whole.
MAX_ITEMS = 100_000

router = APIRouter(prefix="/kpis/{kpi}/values", tags=["values"])


@router.get("", responses=documented(404, 422))
def list_values(
    kpi: str,
    uow: Uow,
    who: Who,
    start: Annotated[
        Moment | None,
        Query(alias="from", description="ISO 8601 date or datetime (UTC), inclusive."),
    ] = None,
    end: Annotated[
        Moment | None,
        Query(alias="to", description="ISO 8601 date or datetime (UTC), inclusive."),
    ] = None,
    segment: Annotated[
        str | None, Query(description="A segment such as plan=pro; default: the total.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ValuesPageOut:
    """A KPI's values between `from` and `to`, oldest first, a page at a time."""
    page = values.value_page(
        uow,
        kpi,
        segment=segment or "",
        start=None if start is None else naive(start),
        end=None if end is None else naive(end),
        offset=offset,
        limit=limit,
        viewer=who,
    )
    return ValuesPageOut.from_page(page)


@router.post(
    "",
    responses=documented(404, 422),
    response_model=ImportOut | PreviewOut,
)
def import_values(
    kpi: str,
    body: Annotated[list[ValueIn], Body(min_length=1, max_length=MAX_ITEMS)],
    uow: Uow,
    actor: Actor,
    now: Now,
    dry_run: Annotated[
        bool, Query(description="Write nothing: answer what the import would do.")
    ] = False,
) -> ImportOut | PreviewOut:
    """Import values in bulk: all of them or none (every bad item is named by index and
    field). A value outside its unit's range (150 for a percent) or in the future is an
    error; one far outside the KPI's usual range is a warning: the import goes ahead and
    lists it. A value already stored for the same segment and time is replaced, so
    sending the same items again changes nothing. With `dry_run`, nothing is written and
    the answer says each KPI's new, replaced and unchanged values, its status and
    verdict before and after, and every error and warning."""
    source = ValueRows([item.to_row() for item in body])
    if dry_run:
        preview = values.preview_import(uow, source, now, viewer=actor, default_kpi=kpi)
        return PreviewOut.from_preview(preview)
    report = values.import_values(uow, source, actor, now, default_kpi=kpi)
    return ImportOut.from_report(report)


@router.put("/{at}", responses=documented(404, 422))
def set_value(
    kpi: str,
    at: Annotated[Moment, Path(description="ISO 8601 date or datetime (UTC unless offset).")],
    body: OneValueIn,
    uow: Uow,
    actor: Actor,
    now: Now,
) -> ImportOut:
    """Type in one value at a time (replacing the one stored there): checked like an
    import, recorded as one (kind "typed"), undone by POST /imports/{id}/undo."""
    row = ValueRow(naive(at), body.value, body.segment or "")
    report = values.set_value(uow, ValueRows([row], name="typed in"), actor, now, kpi=kpi)
    return ImportOut.from_report(report)


@router.delete("/{at}", responses=documented(404, 422))
def delete_value(
    kpi: str,
    at: Annotated[Moment, Path(description="ISO 8601 date or datetime (UTC unless offset).")],
    uow: Uow,
    actor: Actor,
    now: Now,
    segment: Annotated[
        str | None, Query(description="A segment such as plan=pro; default: the total.")
    ] = None,
) -> ImportRecordOut:
    """Delete one value: kept in the history, recorded (kind "deleted") and undone by
    POST /imports/{id}/undo."""
    record = values.delete_value(uow, kpi, naive(at), actor, now, segment=segment or "")
    return ImportRecordOut.of(record)
