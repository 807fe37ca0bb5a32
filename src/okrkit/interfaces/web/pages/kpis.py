"""A KPI's page and its create and edit forms.

The page shows the shared definition, for a derived KPI which input moved it, the XmR
chart with a text summary, segments and a paginated table of values. The forms keep
what a person typed and put every error next to its field; a change based on a version
someone else has changed since is refused with who changed it and when. After a
successful change the browser is sent to the KPI's page (POST, redirect, GET), so a
reload never submits twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

import okrkit.interfaces.web.pages.present as present
from okrkit.domain.errors import Conflict, InvalidInput, NotFound
from okrkit.interfaces.web.charts.xmr import xmr_spec, xmr_summary
from okrkit.interfaces.web.deps import Actor, Now, Uow
from okrkit.interfaces.web.forms.kpis import REQUIRED, UNITS, KpiForm, field_of, other_fields
from okrkit.interfaces.web.pages.rendering import page
from okrkit.services import kpis
from okrkit.services.kpis import EditKpi
from okrkit.services.ports import UnitOfWork

__all__ = [
    "create_kpi",
    "edit_form",
    "edit_kpi",
    "kpi",
    "kpi_page_response",
    "new_kpi",
    "page_number",
    "router",
]

router = APIRouter()

NOTICES = {
    "created": "KPI created.",
    "saved": "Changes saved.",
}


# Pages beyond the last show the last; this bound keeps the offset a sane number.
_MAX_PAGE = 1_000_000


def page_number(text: str) -> int:
    """A page of a table, counted from 1; anything else is refused in words."""
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise InvalidInput(f"{text!r} is not a page: pages count from 1", field="page")
    return min(int(text), _MAX_PAGE)


def _form_page(
    request: Request,
    uow: UnitOfWork,
    form: KpiForm,
    errors: dict[str, str],
    *,
    key: str | None = None,
    conflict: str | None = None,
    team: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    editor = kpis.kpi_editor(uow, key, team)
    return page(
        request,
        "kpi_form.html",
        status_code,
        editor=editor,
        form=form,
        errors=errors,
        conflict=conflict,
        key=key,
        units=UNITS,
        other_fields=other_fields(),
        required=REQUIRED,
    )


def _placed(error: InvalidInput) -> dict[str, str]:
    return {field_of(error): error.message}


@router.get("/kpis/new", response_class=HTMLResponse)
def new_kpi(request: Request, uow: Uow, team: str | None = None) -> HTMLResponse:
    """An empty form for a new KPI of a team (`?team=growth`)."""
    return _form_page(request, uow, KpiForm.model_validate({"team": team or ""}), {}, team=team)


@router.post("/kpis", response_class=HTMLResponse)
def create_kpi(
    request: Request, form: Annotated[KpiForm, Form()], uow: Uow, now: Now, actor: Actor
) -> Response:
    """Add the KPI and go to its page; on errors show the form again as typed."""
    kpi, errors = form.to_kpi()
    if kpi is not None:
        try:
            stored = kpis.create_kpi(uow, kpi, actor, now)
        except InvalidInput as error:
            errors = _placed(error)
        except Conflict as error:
            errors = {"key": str(error)}
        except NotFound as error:
            errors = {"team": str(error)}
        else:
            return RedirectResponse(f"/kpis/{stored.kpi.key}?notice=created", status_code=303)
    return _form_page(request, uow, form, errors, status_code=422)


@router.get("/kpis/{kpi}", response_class=HTMLResponse)
def kpi(
    request: Request,
    kpi: str,
    uow: Uow,
    now: Now,
    page_text: Annotated[str, Query(alias="page")] = "1",
    notice: str | None = None,
    imported: int | None = None,
) -> HTMLResponse:
    """A KPI's page: definition, owner, cadence, health, XmR chart with its summary in
    words, segments, and one page of its values (newest first)."""
    view = kpis.kpi_page(uow, kpi, now, page_number(page_text))
    message = NOTICES.get(notice or "")
    if imported is not None:
        message = f"Imported {imported} value{'' if imported == 1 else 's'}."
    return kpi_page_response(request, view, now, notice=message)


def kpi_page_response(
    request: Request,
    view: kpis.KpiPage,
    now: datetime,
    *,
    notice: str | None = None,
    report: object | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The KPI page of a read model, with a notice after a change or an import's report."""
    return page(
        request,
        "kpi.html",
        status_code,
        as_of=now,
        view=view,
        spec=xmr_spec(view.tile),
        summary=xmr_summary(view.tile),
        factors=present.factors_view(view.tile.stored.kpi, view.factors),
        notice=notice,
        report=report,
    )


@router.get("/kpis/{kpi}/edit", response_class=HTMLResponse)
def edit_form(request: Request, kpi: str, uow: Uow) -> HTMLResponse:
    """The KPI's definition in a form, with the version it is based on."""
    editor = kpis.kpi_editor(uow, kpi)
    assert editor.stored is not None
    return _form_page(request, uow, KpiForm.of(editor.stored), {}, key=kpi)


@router.post("/kpis/{kpi}/edit", response_class=HTMLResponse)
def edit_kpi(
    request: Request,
    kpi: str,
    form: Annotated[KpiForm, Form()],
    uow: Uow,
    now: Now,
    actor: Actor,
) -> Response:
    """Save the edit if nobody changed the KPI since the form was opened; otherwise
    say who changed it and when, and keep what was typed."""
    form = form.model_copy(update={"key": kpi})
    parsed, errors = form.to_kpi()
    conflict = None
    if parsed is not None:
        command = EditKpi(kpi, form.version or 0, form.changes(parsed), form.window)
        try:
            kpis.edit_kpi(uow, command, actor, now)
        except InvalidInput as error:
            errors = _placed(error)
        except Conflict as error:
            conflict = str(error)
        except NotFound as error:
            if str(error) != f"no team {form.model_dump()['team']!r}":
                raise
            errors = {"team": str(error)}
        else:
            return RedirectResponse(f"/kpis/{kpi}?notice=saved", status_code=303)
    status_code = 409 if conflict else 422
    return _form_page(
        request, uow, form, errors, key=kpi, conflict=conflict, status_code=status_code
    )
