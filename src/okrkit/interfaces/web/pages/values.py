"""A KPI's values written from its page: a file previewed then confirmed, one value typed
in or corrected, one deleted.

An uploaded file is checked first. A file that cannot be read, or with rows that are
not values at all (a bad date, a missing column), imports nothing and the KPI page
lists every bad row — its line, its column and what is wrong. A readable file is kept
(`imports.keep_upload`) and its preview shown at a page of its own: how many values are
new, replace one or change nothing, what the KPI's status and verdict would become, and
every implausible row at its line. Errors must be fixed first; warnings are shown and
the person confirms. Only the confirmation writes, in one transaction; the browser then
goes back to the KPI's page (POST, redirect, GET), which says what was written and
offers to undo it.

A value typed in goes through the same checks (`values.set_value`): a value far outside
the usual range is shown back with the warning and saved only once confirmed.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from okrkit.adapters.sources.values.files import FORMATS, ValueFile
from okrkit.adapters.sources.values.rows import ValueRows
from okrkit.domain import access
from okrkit.domain.errors import BadRows, InvalidInput, NotFound, RowError, SourceUnavailable
from okrkit.interfaces.web.deps import Actor, Now, Uow, viewer
from okrkit.interfaces.web.forms.values import ValueForm, field_of
from okrkit.interfaces.web.pages.kpis import kpi_page_response
from okrkit.interfaces.web.pages.rendering import page
from okrkit.services import imports
from okrkit.services.ports import CheckedValues, UnitOfWork
from okrkit.services.values import (
    ImportPreview,
    delete_value,
    import_values,
    preview_import,
    set_value,
)

__all__ = [
    "ImportProblem",
    "cancel_import",
    "confirm_import",
    "delete_one_value",
    "import_file",
    "import_preview",
    "problem_of",
    "router",
    "type_value",
]

router = APIRouter()

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")

# A token as `imports.keep_upload` makes them (a longer one names nothing kept).
Token = Annotated[str, PathParam(max_length=64)]


@dataclass(frozen=True)
class ImportProblem:
    """Why a file was not imported: a summary and every bad row (line, column, reason)."""

    file: str
    summary: str
    rows: tuple[RowError, ...] = ()
    unit: str = "line"


def problem_of(error: InvalidInput | SourceUnavailable, file: str) -> ImportProblem:
    """An import's failure as the page reports it: every bad row of the file, or what is
    wrong with the file as a whole (empty, a missing column, not a CSV file)."""
    if isinstance(error, BadRows):
        noun = "row" if error.bad_rows == 1 else "rows"
        summary = f"{error.bad_rows} {noun} to fix"
        if error.truncated:
            summary += f" (the first {len(error.rows)} of {error.count} problems are listed)"
        unit = error.rows[0].unit if error.rows else "line"
        return ImportProblem(file, summary, error.rows, unit)
    if isinstance(error, InvalidInput):
        where = f"{error.field}: " if error.field else ""
        rows: tuple[RowError, ...] = ()
        if error.line is not None:
            rows = (RowError(error.line, error.field, error.message),)
        return ImportProblem(file, f"{where}{error.message}", rows)
    return ImportProblem(file, "the file cannot be read: " + str(error).split(": ", 1)[-1])


def _shown(filename: str | None) -> str:
    """The uploaded file's name as a person gave it (no folders)."""
    return Path(filename or "the file").name


class _Upload:
    """An uploaded file as a `ValueSource` named as the person named it (not by the
    temporary file it is read from): the name its import's record and messages show."""

    def __init__(self, source: ValueFile, name: str) -> None:
        self._source = source
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    def kpi_keys(self, default_kpi: str | None) -> list[str]:
        return self._source.kpi_keys(default_kpi)

    def validate(self, known: Collection[str], default_kpi: str | None) -> CheckedValues:
        return self._source.validate(known, default_kpi)

    def lines(self, rows: Sequence[int]) -> tuple[list[int], str]:
        return self._source.lines(rows)


@contextmanager
def _opened(name: str, content: bytes) -> Iterator[_Upload]:
    """An upload as a values file of our own, named like the original (its type comes
    from the extension; a name without a known one is read as CSV)."""
    safe = _UNSAFE.sub("_", name).strip("._") or "values"
    if Path(safe).suffix.lower() not in FORMATS:
        safe += ".csv"
    with tempfile.TemporaryDirectory(prefix="okrkit-upload-") as folder:
        path = Path(folder) / safe
        path.write_bytes(content)
        with ValueFile(path) as source:
            yield _Upload(source, name)


def _preview(
    uow: UnitOfWork, kpi: str, name: str, content: bytes, now: datetime, who: Actor
) -> ImportPreview:
    with _opened(name, content) as source:
        return preview_import(uow, source, now, viewer=who, default_kpi=kpi)


@router.post("/kpis/{kpi}/import")
def import_file(
    request: Request,
    kpi: str,
    file: Annotated[UploadFile, File(description="CSV file: timestamp,value[,segment]")],
    uow: Uow,
    now: Now,
    actor: Actor,
) -> Response:
    """Check the uploaded file and keep it for its preview (nothing is written yet); a
    file that is not values is refused with every bad row."""
    shown = _shown(file.filename)
    content = file.file.read()
    try:
        with _opened(shown, content) as source:
            token = imports.keep_upload(uow, source, content, actor, now, kpi=kpi)
    except (InvalidInput, SourceUnavailable) as error:
        return kpi_page_response(
            request, uow, kpi, now, report=problem_of(error, shown), status_code=422
        )
    return RedirectResponse(f"/kpis/{kpi}/import/{token}", status_code=303)


def _kept(
    uow: UnitOfWork, kpi: str, token: str, now: datetime, reader: access.Actor
) -> imports.Upload:
    """The file kept for this KPI under `token` (`NotFound` when there is none)."""
    upload = imports.kept_upload(uow, token, now, viewer=reader)
    if upload.pending.kpi != kpi:
        raise NotFound("this preview has expired or was imported already: upload the file again")
    return upload


def _preview_page(
    request: Request,
    uow: UnitOfWork,
    kpi: str,
    token: str,
    upload: imports.Upload,
    now: datetime,
    status_code: int = 200,
) -> HTMLResponse:
    problem = preview = None
    try:
        preview = _preview(uow, kpi, upload.pending.name, upload.content, now, viewer(request))
    except (InvalidInput, SourceUnavailable) as error:
        problem = problem_of(error, upload.pending.name)
    if problem is not None or (preview is not None and not preview.can_import):
        status_code = 422
    return page(
        request,
        "values/preview.html",
        status_code,
        as_of=now,
        kpi=kpi,
        token=token,
        upload=upload.pending,
        preview=preview,
        report=problem,
    )


@router.get("/kpis/{kpi}/import/{token}", response_class=HTMLResponse)
def import_preview(request: Request, kpi: str, token: Token, uow: Uow, now: Now) -> HTMLResponse:
    """What importing the kept file would do, and the button that imports it."""
    upload = _kept(uow, kpi, token, now, viewer(request))
    return _preview_page(request, uow, kpi, token, upload, now)


@router.post("/kpis/{kpi}/import/{token}", response_class=HTMLResponse)
def confirm_import(
    request: Request, kpi: str, token: Token, uow: Uow, now: Now, actor: Actor
) -> Response:
    """Import the kept file, all of it or nothing, and forget it; then the KPI's page
    says what was imported. A file that has errors now shows its preview again."""
    upload = _kept(uow, kpi, token, now, actor)
    try:
        with _opened(upload.pending.name, upload.content) as source:
            report = import_values(uow, source, actor, now, default_kpi=kpi)
    except (InvalidInput, SourceUnavailable):
        return _preview_page(request, uow, kpi, token, upload, now, 422)
    imports.drop_upload(uow, token, actor)
    assert report.record is not None
    return RedirectResponse(
        f"/kpis/{kpi}?done={report.record.id}&warned={report.warning_count}#written",
        status_code=303,
    )


@router.post("/kpis/{kpi}/import/{token}/cancel")
def cancel_import(kpi: str, token: Token, uow: Uow, actor: Actor) -> RedirectResponse:
    """Forget the kept file: nothing is imported."""
    imports.drop_upload(uow, token, actor)
    return RedirectResponse(f"/kpis/{kpi}?notice=cancelled", status_code=303)


@router.post("/kpis/{kpi}/values", response_class=HTMLResponse)
def type_value(
    request: Request,
    kpi: str,
    uow: Uow,
    now: Now,
    actor: Actor,
    at: Annotated[str, Form(max_length=100)] = "",
    value: Annotated[str, Form(max_length=100)] = "",
    segment: Annotated[str, Form(max_length=1000)] = "",
    confirm: Annotated[bool, Form()] = False,
) -> Response:
    """Type in one value, or correct the one at the same time: checked like a file's
    rows; a value far outside the usual range is saved only once confirmed."""
    form = ValueForm(at, value, segment, confirm)
    row, errors = form.to_row()
    warnings: dict[str, str] = {}
    if row is not None:
        source = ValueRows([row], name="typed in")
        try:
            report = set_value(uow, source, actor, now, kpi=kpi, confirmed=confirm)
            if report.record is not None:
                done = report.record.id
                return RedirectResponse(f"/kpis/{kpi}?done={done}#written", status_code=303)
            warnings = _by_field(kpi, report.warnings)  # not saved: confirm first
        except BadRows as error:
            errors = _by_field(kpi, error.rows)
        except InvalidInput as error:
            errors = {field_of(error.field): error.message}
    return kpi_page_response(
        request,
        uow,
        kpi,
        now,
        status_code=422 if errors else 200,
        value_form=form,
        value_errors=errors,
        value_warnings=warnings,
    )


def _by_field(kpi: str, rows: tuple[RowError, ...]) -> dict[str, str]:
    """A typed value's questioned rows by the form's input (without the KPI's key)."""
    return {field_of(row.column): row.reason.removeprefix(f"{kpi}: ") for row in rows}


@router.post("/kpis/{kpi}/values/delete")
def delete_one_value(
    kpi: str,
    uow: Uow,
    now: Now,
    actor: Actor,
    at: Annotated[str, Form(max_length=100)],
    segment: Annotated[str, Form(max_length=1000)] = "",
) -> RedirectResponse:
    """Delete one value (kept in the history: undoing the deletion puts it back)."""
    row, errors = ValueForm(at, "0", segment).to_row()
    if row is None:
        raise InvalidInput(errors["at"], field="at")
    record = delete_value(uow, kpi, row.timestamp, actor, now, segment=row.segment)
    return RedirectResponse(f"/kpis/{kpi}?done={record.id}#written", status_code=303)
