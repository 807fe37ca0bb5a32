"""`okrkit kpi import`, `set-value`, `delete-value`: KPI values into the workspace, shown
before they count, and corrected one at a time."""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress, TaskID

from okrkit.adapters.sources.values.files import ValueFile
from okrkit.adapters.sources.values.rows import ValueRow, ValueRows
from okrkit.domain.errors import InvalidInput, RowError
from okrkit.interfaces.cli import context, remote
from okrkit.interfaces.cli.output import (
    FormatOption,
    OutputFormat,
    console,
    error_console,
    print_json,
)
from okrkit.services.values import (
    ImportPreview,
    ImportReport,
    delete_value,
    import_values,
    preview_import,
    set_value,
)

__all__ = ["kpi_delete_value", "kpi_import", "kpi_set_value"]

PROGRESS_AFTER_SECONDS = 2.0

YesOption = Annotated[
    bool, typer.Option("--yes", "-y", help="Write without showing a preview first (scripts).")
]
SegmentOption = Annotated[
    str | None, typer.Option(help="A segment such as plan=pro (default: the KPI's total).")
]


def kpi_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV, Parquet or JSON of timestamp,value[,kpi][,segment].", show_default=False
        ),
    ],
    kpi: Annotated[
        str | None, typer.Option(help="The KPI a file without a kpi column is for.")
    ] = None,
    yes: YesOption = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only show what the import would do.")
    ] = False,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Import KPI values: every row is checked first, then all are written, or none.

    First a preview: each KPI's new, replaced and unchanged values, its status before
    and after, and every questioned row at its line — errors (a value outside its unit's
    range, a time in the future: nothing is imported until they are fixed) and warnings
    (far outside the usual range). At a terminal, you confirm; a script passes --yes
    (and without it, nothing is written). Re-importing a file changes nothing. Each
    import is recorded: `okrkit kpi imports` lists them, `okrkit kpi undo-import` undoes one.
    """
    context.ready()
    if not yes:
        with ValueFile(file) as source:
            preview = preview_import(
                context.unit_of_work(), source, context.now(), viewer=context.actor(),
                default_kpi=kpi,
            )  # fmt: skip
        _show_preview(preview, output)
        if not preview.can_import:
            raise typer.Exit(2)
        if dry_run:
            return
        if not sys.stdin.isatty():
            error_console.print(
                "not imported: confirm with --yes (nothing is written without it)",
                soft_wrap=True,
            )
            raise typer.Exit(1)
        if not typer.confirm(f"Import {preview.rows:,} values?", default=False, err=True):
            error_console.print("not imported", soft_wrap=True)
            raise typer.Exit(1)
    started = time.monotonic()
    bar: Progress | None = None
    task: TaskID | None = None

    def progress(done: int, total: int) -> None:
        nonlocal bar, task
        if bar is None and time.monotonic() - started > PROGRESS_AFTER_SECONDS:
            bar = Progress(console=error_console, transient=True)
            bar.start()
            task = bar.add_task("importing", total=total)
        if bar is not None and task is not None:
            bar.update(task, completed=done)

    try:
        with ValueFile(file) as source:
            report = import_values(
                context.unit_of_work(),
                source,
                context.actor(),
                context.now(),
                default_kpi=kpi,
                progress=progress,
            )
    finally:
        if bar is not None:
            bar.stop()
    _show_report(report, str(file), output, quiet=not yes and output is OutputFormat.JSON)


def kpi_set_value(
    kpi: Annotated[str, typer.Argument(help="The KPI's key.", show_default=False)],
    at: Annotated[
        str,
        typer.Argument(help="Its time: YYYY-MM-DD or an ISO 8601 datetime.", show_default=False),
    ],
    value: Annotated[float, typer.Argument(help="The value (15 for 15 %).", show_default=False)],
    segment: SegmentOption = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Type in one value, or correct the one stored at that time: checked like an
    import (a warning is said, an error refused), recorded, undone with
    `okrkit kpi undo-import`."""
    row = ValueRow(_moment(at), value, segment or "")
    if (server := remote.server()) is not None:
        where = remote.path("kpis", kpi, "values", remote.moment(row.timestamp))
        answer = server.send("PUT", where, body={"value": value, "segment": segment})
        warnings = tuple(
            RowError(w["item"], w["field"], w["detail"], "item") for w in answer["warnings"]
        )
        _show_written({**answer, "source": "the command line"}, warnings, output)
        return
    context.ready()
    report = set_value(
        context.unit_of_work(),
        ValueRows([row], name="typed in"),
        context.actor(),
        context.now(),
        kpi=kpi,
    )
    _show_report(report, "the command line", output)


def kpi_delete_value(
    kpi: Annotated[str, typer.Argument(help="The KPI's key.", show_default=False)],
    at: Annotated[
        str,
        typer.Argument(help="Its time: YYYY-MM-DD or an ISO 8601 datetime.", show_default=False),
    ],
    segment: SegmentOption = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Delete one value: kept in the history, undone with `okrkit kpi undo-import`."""
    context.ready()
    record = delete_value(
        context.unit_of_work(),
        kpi,
        _moment(at),
        context.actor(),
        context.now(),
        segment=segment or "",
    )
    if output is OutputFormat.JSON:
        print_json({"id": record.id, "kind": record.kind, "kpi": kpi, "source": record.source})
        return
    console.print(
        f"deleted the value of {record.source} (undo: okrkit kpi undo-import {record.id})",
        soft_wrap=True,
    )


def _moment(text: str) -> datetime:
    """A date or ISO 8601 datetime argument as naive UTC, or a one-line error."""
    from okrkit.domain.cadence import as_utc

    try:
        return as_utc(datetime.fromisoformat(text.strip()))
    except ValueError:
        raise InvalidInput(
            f"{text!r} is not an ISO 8601 date or datetime (2026-11-23 or 2026-11-23T09:30:00Z)",
            field="AT",
        ) from None


def _show_preview(preview: ImportPreview, output: OutputFormat) -> None:
    if output is OutputFormat.JSON:
        from okrkit.interfaces.documents import preview_document

        print_json(preview_document(preview))
        return
    noun = "KPI" if len(preview.kpis) == 1 else "KPIs"
    console.print(
        f"{preview.source}: {preview.rows:,} values for {len(preview.kpis)} {noun} — "
        f"{preview.new:,} new, {preview.replaced:,} replacing a value, "
        f"{preview.unchanged:,} unchanged",
        soft_wrap=True,
    )
    for k in preview.kpis:
        change = ""
        if k.before is not None and k.after is not None:
            change = (
                f"; status {k.before.status.value} → {k.after.status.value}, "
                f"{k.before.verdict} → {k.after.verdict}"
            )
        console.print(
            f"  {k.key}: {k.rows:,} values ({k.new:,} new, {k.replaced:,} replacing, "
            f"{k.unchanged:,} unchanged){change}",
            soft_wrap=True,
        )
    _questioned(
        preview.error_count, "errors — nothing can be imported until they are fixed", preview.errors
    )
    _questioned(preview.warning_count, "warnings — check these values", preview.warnings)


def _questioned(count: int, what: str, rows: tuple[RowError, ...]) -> None:
    """Questioned rows on stderr: how many and what they mean, then each at its line."""
    if not count:
        return
    error_console.print(f"{count:,} {what}:", soft_wrap=True)
    for row in rows:
        column = f"{row.column}: " if row.column else ""
        error_console.print(
            f"  {row.unit} {row.line}: {column}{row.reason}", soft_wrap=True, markup=False
        )


def _show_report(
    report: ImportReport, source: str, output: OutputFormat, *, quiet: bool = False
) -> None:
    from okrkit.interfaces.documents import import_document

    _show_written(import_document(report, source), report.warnings, output, quiet=quiet)


def _show_written(
    document: dict[str, Any],
    warnings: tuple[RowError, ...],
    output: OutputFormat,
    *,
    quiet: bool = False,
) -> None:
    """A write of values as `import_document` says it, locally or from a server."""
    if output is OutputFormat.JSON:
        if not quiet:
            print_json(document)
        return
    touched = len(document["kpis"])
    undo = "" if document["id"] is None else f" (undo: okrkit kpi undo-import {document['id']})"
    console.print(
        f"imported {document['rows_read']:,} values into {touched} KPI"
        f"{'s' * (touched != 1)} from {document['source']}: {document['new']:,} new, "
        f"{document['replaced']:,} replaced{undo}",
        soft_wrap=True,
    )
    _questioned(
        document["warning_count"], "warnings — imported anyway; check these values", warnings
    )
