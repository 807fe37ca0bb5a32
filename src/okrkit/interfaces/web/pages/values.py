"""Import a KPI's values from a file uploaded on its page.

The whole file is checked before anything is written: a file with a bad row imports
nothing, and the page lists every bad row — its line, its column and what is wrong —
so a person fixes them all at once and uploads the file again. A good file is written
in one transaction and the browser goes back to the KPI's page (POST, redirect, GET).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from okrkit.adapters.sources.values.files import FORMATS, ValueFile
from okrkit.domain.errors import BadRows, InvalidInput, RowError, SourceUnavailable
from okrkit.interfaces.web.deps import Actor, Now, Uow
from okrkit.interfaces.web.pages.kpis import kpi_page_response
from okrkit.services import kpis
from okrkit.services.values import import_values

__all__ = ["ImportProblem", "import_file", "problem_of", "router"]

router = APIRouter()

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


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


def _saved(upload: UploadFile, folder: Path) -> Path:
    """The upload in a file of our own, named like the original (its type comes from the
    extension; a name without a known one is read as CSV)."""
    name = _UNSAFE.sub("_", Path(upload.filename or "values.csv").name).strip("._") or "values"
    if Path(name).suffix.lower() not in FORMATS:
        name += ".csv"
    path = folder / name
    with path.open("wb") as out:
        shutil.copyfileobj(upload.file, out)
    return path


@router.post("/kpis/{kpi}/import")
def import_file(
    request: Request,
    kpi: str,
    file: Annotated[UploadFile, File(description="CSV file: timestamp,value[,segment]")],
    uow: Uow,
    now: Now,
    actor: Actor,
) -> Response:
    """Import the uploaded file into this KPI (rows with a `kpi` column go to the KPI
    they name); all of it or nothing."""
    shown = Path(file.filename or "the file").name
    with tempfile.TemporaryDirectory(prefix="okrkit-upload-") as folder:
        path = _saved(file, Path(folder))
        try:
            with ValueFile(path) as source:
                report = import_values(uow, source, actor, now, default_kpi=kpi)
        except (InvalidInput, SourceUnavailable) as error:
            problem = problem_of(error, shown)
        else:
            return RedirectResponse(f"/kpis/{kpi}?imported={report.rows_written}", status_code=303)
    view = kpis.kpi_page(uow, kpi, now)
    return kpi_page_response(request, view, now, report=problem, status_code=422)
