"""`/api/v1/kpis`: the KPI catalogue, each KPI with its health."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Response

from okrkit.interfaces.web.deps import Actor, IfMatch, Now, Uow, Who, based_on, tag
from okrkit.interfaces.web.problems import documented
from okrkit.interfaces.web.schemas.common import VersionBody
from okrkit.interfaces.web.schemas.kpis import KpiCreate, KpiDetail, KpiOut, KpiPatch, kpi_detail
from okrkit.services import kpis
from okrkit.services.kpis import EditKpi

__all__ = [
    "archive_kpi",
    "create_kpi",
    "edit_kpi",
    "get_kpi",
    "list_kpis",
    "router",
]

router = APIRouter(prefix="/kpis", tags=["kpis"])


@router.get("", responses=documented(404, 422))
def list_kpis(
    uow: Uow,
    who: Who,
    team: Annotated[str | None, Query(description="Only this team's KPIs.")] = None,
    archived: Annotated[bool, Query(description="Include archived KPIs.")] = False,
) -> list[KpiOut]:
    """KPI definitions (of one team, or all), North Star first, then by name."""
    listed = kpis.list_kpis(uow, team, viewer=who, archived=archived)
    return [KpiOut.from_stored(stored) for stored in listed]


@router.post("", status_code=201, responses=documented(404, 409, 422))
def create_kpi(body: KpiCreate, uow: Uow, actor: Actor, now: Now, response: Response) -> KpiOut:
    """Add a KPI to a team's dashboard (409 when the key is taken)."""
    stored = kpis.create_kpi(uow, body.to_kpi(), actor, now)
    response.headers["Location"] = f"/api/v1/kpis/{stored.kpi.key}"
    tag(response, stored.revision.version)
    return KpiOut.from_stored(stored)


@router.get("/{kpi}", responses=documented(404))
def get_kpi(kpi: str, uow: Uow, who: Who, now: Now, response: Response) -> KpiDetail:
    """A KPI's definition, version and health now, with its segments' newest values."""
    page = kpis.kpi_page(uow, kpi, now, viewer=who)
    tag(response, page.tile.stored.revision.version)
    return kpi_detail(page, now)


@router.patch("/{kpi}", responses=documented(404, 409, 422, 428))
def edit_kpi(
    kpi: str,
    body: KpiPatch,
    uow: Uow,
    actor: Actor,
    now: Now,
    if_match: IfMatch,
    response: Response,
) -> KpiOut:
    """Change some fields of a KPI; `baseline: null` unlocks its XmR baseline."""
    baseline, unlock = body.baseline_change()
    command = EditKpi(
        kpi,
        based_on(if_match, body.version),
        changes=body.definition_changes(),
        window_periods=body.window_periods,
        baseline=baseline,
        unlock_baseline=unlock,
    )
    stored = kpis.edit_kpi(uow, command, actor, now)
    tag(response, stored.revision.version)
    return KpiOut.from_stored(stored)


@router.delete("/{kpi}", responses=documented(404, 409, 422, 428))
def archive_kpi(
    kpi: str,
    uow: Uow,
    actor: Actor,
    now: Now,
    if_match: IfMatch,
    response: Response,
    body: Annotated[VersionBody | None, Body()] = None,
) -> KpiOut:
    """Archive a KPI: it leaves the dashboards; its values and history stay."""
    version = based_on(if_match, None if body is None else body.version)
    stored = kpis.archive_kpi(uow, kpi, version, actor, now)
    tag(response, stored.revision.version)
    return KpiOut.from_stored(stored)
