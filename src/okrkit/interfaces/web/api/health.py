"""`/api/v1/kpis/{kpi}/health`: a KPI's health alone, as of now or of a moment."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from okrkit.interfaces.web.deps import Now, Uow, Who, tag
from okrkit.interfaces.web.problems import documented
from okrkit.interfaces.web.schemas.common import Moment, naive
from okrkit.interfaces.web.schemas.health import Health, health_of
from okrkit.services import kpis

__all__ = ["get_kpi_health", "router"]

# Filed under the KPIs in the API's reference: the health is a part of the KPI resource.
router = APIRouter(prefix="/kpis", tags=["kpis"])

AsOf = Annotated[
    Moment | None,
    Query(description="Judge as of this ISO 8601 date or datetime (UTC); default: now."),
]


@router.get("/{kpi}/health", responses=documented(404, 422))
def get_kpi_health(
    kpi: str, uow: Uow, who: Who, now: Now, response: Response, as_of: AsOf = None
) -> Health:
    """A KPI's health alone: status, freshness, trend, XmR signals, capability, quality."""
    moment = now if as_of is None else naive(as_of)
    page = kpis.kpi_page(uow, kpi, moment, viewer=who)
    tag(response, page.tile.stored.revision.version)
    return health_of(page.tile, page.quality, moment)
