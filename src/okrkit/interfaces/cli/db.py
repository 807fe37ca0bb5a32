"""`okrkit db upgrade`: create or migrate the workspace database."""

from __future__ import annotations

from okrkit.adapters.store.engine import database_url
from okrkit.interfaces.cli import context
from okrkit.interfaces.cli.output import FormatOption, OutputFormat, console, print_json

__all__ = ["db_upgrade"]


def db_upgrade(output: FormatOption = OutputFormat.TABLE) -> None:
    """Create or migrate the database to the newest version; safe to re-run."""
    revision = context.ready()
    url = database_url()
    shown = url.split("@")[-1] if "@" in url else url
    if output is OutputFormat.JSON:
        print_json({"database": shown, "revision": revision})
        return
    console.print(f"database {shown} is at revision {revision}", soft_wrap=True)
