"""`/api/v1/kpis/{kpi}/values`: read a KPI's values by range and segment; import them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query

from okrkit.adapters.sources.values.rows import ValueRows
from okrkit.interfaces.web.deps import Actor, Now, Uow
from okrkit.interfaces.web.problems import documented
from okrkit.interfaces.web.schemas.common import Moment, naive
from okrkit.interfaces.web.schemas.values import ImportOut, ValueIn, ValuesPageOut
from okrkit.services import values
from okrkit.services.values import MAX_PAGE

__all__ = ["MAX_ITEMS", "import_values", "list_values", "router"]

# Larger imports go through a file (`okrkit kpi import`), which DuckDB checks without
# holding it in memory; a request body is parsed whole.
MAX_ITEMS = 100_000

router = APIRouter(prefix="/kpis/{kpi}/values", tags=["values"])


@router.get("", responses=documented(404, 422))
def list_values(
    kpi: str,
    uow: Uow,
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
    )
    return ValuesPageOut.from_page(page)


@router.post("", responses=documented(404, 422))
def import_values(
    kpi: str,
    body: Annotated[list[ValueIn], Body(min_length=1, max_length=MAX_ITEMS)],
    uow: Uow,
    actor: Actor,
    now: Now,
) -> ImportOut:
    """Import values in bulk: all of them or none (every bad item is named by index and
    field); a value already stored for the same segment and time is replaced, so
    sending the same items again changes nothing."""
    source = ValueRows([item.to_row() for item in body])
    report = values.import_values(uow, source, actor, now, default_kpi=kpi)
    return ImportOut.from_report(report)
