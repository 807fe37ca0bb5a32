"""A KPI's page and its create and edit forms.

The page shows the shared definition, for a derived KPI which input moved it, the XmR
chart with a text summary, segments and a paginated table of values. The forms keep
what a person typed and put every error next to its field; a change based on a version
someone else has changed since is refused with who changed it and when. After a
successful change the browser is sent to the KPI's page (POST, redirect, GET), so a
reload never submits twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

import okrkit.interfaces.web.pages.present as present
from okrkit.domain.alerts import AlertState
from okrkit.domain.errors import Conflict, InvalidInput, NotFound
from okrkit.interfaces.web.charts.xmr import xmr_spec, xmr_summary
from okrkit.interfaces.web.deps import Actor, Now, Uow, viewer
from okrkit.interfaces.web.forms.check_ins import MAX_ID
from okrkit.interfaces.web.forms.kpis import REQUIRED, UNITS, KpiForm, field_of, other_fields
from okrkit.interfaces.web.forms.values import ValueForm
from okrkit.interfaces.web.pages.rendering import page
from okrkit.services import alerts, kpis
from okrkit.services.imports import list_imports
from okrkit.services.kpis import EditKpi
from okrkit.services.ports import AlertQuery, UnitOfWork
from okrkit.services.values import value_page

__all__ = [
    "create_kpi",
    "edit_form",
    "edit_kpi",
    "kpi",
    "kpi_page_response",
    "new_kpi",
    "page_number",
    "router",
    "ValuesTable",
    "Written",
]

router = APIRouter()

NOTICES = {
    "created": "KPI created.",
    "saved": "Changes saved.",
    "cancelled": "Import cancelled: nothing was written.",
}


# How many values a page of the KPI's table shows, and how many recent writes of values.
VALUES_PER_PAGE = 20
HISTORY = 10

# The alerts a KPI's page shows in its box: those that still wait to be resolved.
UNRESOLVED = (AlertState.OPEN, AlertState.ACKNOWLEDGED)

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
    editor = kpis.kpi_editor(uow, key, team, viewer=viewer(request))
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
    done: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    warned: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    removed: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
    restored: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    at: Annotated[str, Query(max_length=100)] = "",
    value: Annotated[str, Query(max_length=100)] = "",
) -> HTMLResponse:
    """A KPI's page: definition, owner, cadence, health, XmR chart with its summary in
    words, segments, one page of its values (newest first) and its recent writes of
    values. After a write of values (`done`, its id) the page says what it did and
    offers to undo it; after an undo (`removed`, `restored`) what the undo did. `at`
    and `value` fill in the form that corrects a value."""
    return kpi_page_response(
        request,
        uow,
        kpi,
        now,
        page_number=page_number(page_text),
        notice=NOTICES.get(notice or ""),
        written=Written(done, warned, removed, restored) if done is not None else None,
        value_form=ValueForm(at, value),
    )


@dataclass(frozen=True)
class Written:
    """A write of values just done (or undone), as the page's message tells it: its id,
    the warnings it went ahead with, and for an undo the values removed and restored."""

    id: int
    warned: int = 0
    removed: int | None = None
    restored: int = 0


@dataclass(frozen=True)
class ValuesTable:
    """One page of a KPI's values, newest first, `VALUES_PER_PAGE` a page."""

    points: tuple[tuple[datetime, float], ...]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // VALUES_PER_PAGE))


def _values_table(uow: UnitOfWork, key: str, number: int, who: Actor) -> ValuesTable:
    """A page of the values (a page beyond the last shows the last)."""
    found = value_page(
        uow, key, offset=(number - 1) * VALUES_PER_PAGE, limit=VALUES_PER_PAGE,
        newest_first=True, viewer=who,
    )  # fmt: skip
    table = ValuesTable(found.points, found.total, number)
    if number > table.pages:
        return _values_table(uow, key, table.pages, who)
    return table


def kpi_page_response(
    request: Request,
    uow: UnitOfWork,
    key: str,
    now: datetime,
    *,
    page_number: int = 1,
    notice: str | None = None,
    report: object | None = None,
    written: Written | None = None,
    status_code: int = 200,
    **forms: Any,
) -> HTMLResponse:
    """The KPI page, with a notice after a change, an import's report, the message of
    a write of values, or a form of values shown again with its errors (`forms`)."""
    view = kpis.kpi_page(uow, key, now, viewer=viewer(request))
    history = list_imports(uow, key, limit=HISTORY, viewer=viewer(request))
    unresolved = alerts.list_alerts(
        uow, AlertQuery(states=UNRESOLVED, kpi=key, limit=5), viewer=viewer(request)
    )
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
        table=_values_table(uow, key, page_number, viewer(request)),
        history=history,
        written=written,
        record=next((r for r in history if written and r.id == written.id), None),
        alerts=unresolved.alerts,
        **forms,
    )


@router.get("/kpis/{kpi}/edit", response_class=HTMLResponse)
def edit_form(request: Request, kpi: str, uow: Uow) -> HTMLResponse:
    """The KPI's definition in a form, with the version it is based on."""
    editor = kpis.kpi_editor(uow, kpi, viewer=viewer(request))
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
