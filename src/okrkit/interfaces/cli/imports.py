"""`okrkit kpi imports` and `okrkit kpi undo-import`: every write of KPI values, listed
and undone."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from okrkit.interfaces.cli import context
from okrkit.interfaces.cli.output import FormatOption, OutputFormat, console, print_json
from okrkit.services.imports import list_imports, undo_import
from okrkit.services.ports import ImportRecord

__all__ = ["kpi_imports", "kpi_undo_import"]

_KINDS = {"import": "imported", "typed": "typed in", "deleted": "deleted"}


def _document(record: ImportRecord) -> dict[str, object]:
    return {
        "id": record.id,
        "at": record.at.isoformat(),
        "actor": record.actor,
        "kind": record.kind,
        "source": record.source,
        "rows": record.rows,
        "new": record.added,
        "replaced": record.replaced,
        "kpis": list(record.kpis),
        "undone_at": None if record.undone_at is None else record.undone_at.isoformat(),
        "undone_by": record.undone_by,
    }


def kpi_imports(
    kpi: Annotated[
        str | None, typer.Argument(help="Only this KPI's (default: every KPI's).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=200, help="How many, newest first.")] = 20,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """List the writes of KPI values, newest first: imports, values typed in or deleted."""
    context.ready()
    records = list_imports(context.unit_of_work(), kpi, viewer=context.actor(), limit=limit)
    if output is OutputFormat.JSON:
        print_json([_document(r) for r in records])
        return
    if not records:
        console.print("no values were written yet")
        return
    table = Table("id", "when (UTC)", "who", "what", "values", "new", "replaced", "undone")
    for r in records:
        table.add_row(
            str(r.id),
            f"{r.at:%Y-%m-%d %H:%M}",
            r.actor,
            f"{_KINDS.get(r.kind, r.kind)}: {r.source}",
            f"{r.rows:,}",
            f"{r.added:,}",
            f"{r.replaced:,}",
            "" if r.undone_at is None else f"{r.undone_at:%Y-%m-%d} by {r.undone_by}",
        )
    console.print(table)


def kpi_undo_import(
    import_id: Annotated[
        int,
        typer.Argument(min=1, max=2**31 - 1, help="The import's id (okrkit kpi imports)."),
    ],
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Undo an import, a value typed in or one deleted: the values it still holds are
    removed and those it replaced put back (where nothing newer took their place)."""
    context.ready()
    undone = undo_import(context.unit_of_work(), import_id, context.actor(), context.now())
    if output is OutputFormat.JSON:
        print_json(
            {
                "record": _document(undone.record),
                "removed": undone.removed,
                "restored": undone.restored,
            }
        )
        return
    console.print(
        f"undid import {import_id}: {undone.removed:,} values removed, "
        f"{undone.restored:,} put back",
        soft_wrap=True,
    )
