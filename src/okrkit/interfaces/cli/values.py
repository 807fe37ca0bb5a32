"""`okrkit kpi import`: KPI values from a file into the workspace."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, TaskID

from okrkit.adapters.sources.values.files import ValueFile
from okrkit.interfaces.cli import context
from okrkit.interfaces.cli.output import (
    FormatOption,
    OutputFormat,
    console,
    error_console,
    print_json,
)
from okrkit.services.values import import_values

__all__ = ["kpi_import"]

PROGRESS_AFTER_SECONDS = 2.0


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
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Import KPI values: every row is checked first, then all are written, or none.

    Re-importing a file updates the same rows (idempotent). A long import shows a
    progress bar after a couple of seconds.
    """
    context.ready()
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
    if output is OutputFormat.JSON:
        print_json(
            {
                "source": str(file),
                "rows_read": report.rows_read,
                "rows_written": report.rows_written,
                "kpis": [
                    {
                        "key": k.key,
                        "rows": k.rows,
                        "first": k.first.isoformat(),
                        "last": k.last.isoformat(),
                    }
                    for k in report.kpis
                ],
            }
        )
        return
    console.print(
        f"imported {report.rows_read:,} values into {report.kpis_touched} KPI"
        f"{'s' * (report.kpis_touched != 1)} from {file}",
        soft_wrap=True,
    )
