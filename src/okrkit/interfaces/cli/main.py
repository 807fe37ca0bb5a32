"""The `okrkit` command: Typer app, global options and the one place errors are rendered.

Every command prints a human table by default and exact JSON with `--format json`, and
exits 0 on success, 1 when it found problems, 2 on bad usage or bad input. An
`OkrkitError` becomes one line on stderr — never a traceback.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from okrkit import __version__
from okrkit.domain.errors import (
    BadRows,
    Conflict,
    InvalidInput,
    NotFound,
    OkrkitError,
    RuleViolated,
    SourceUnavailable,
)
from okrkit.interfaces.cli import demo, goals, health, key_results, workspace

__all__ = ["EXIT_CODES", "app", "exit_code", "main", "run"]

# Exit status for each error class (docs/architecture.md has the same table).
EXIT_CODES: dict[type[OkrkitError], int] = {
    InvalidInput: 2,
    BadRows: 2,
    SourceUnavailable: 2,
    NotFound: 2,
    RuleViolated: 2,
    Conflict: 2,
}


def exit_code(error: OkrkitError) -> int:
    """The exit status for an error: its class's, else its nearest mapped ancestor's."""
    for cls in type(error).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]
    return 2


app = typer.Typer(
    name="okrkit",
    help="Keep a team's KPIs and OKRs in one place.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)
for name, command in (
    ("add", workspace.kpi_add),
    ("list", workspace.kpi_list),
    ("show", workspace.kpi_show),
    ("edit", workspace.kpi_edit),
    ("archive", workspace.kpi_archive),
    ("import", workspace.kpi_import),
):
    health.app.command(name)(command)
app.add_typer(health.app, name="kpi")
app.add_typer(workspace.db_app, name="db")
app.add_typer(workspace.team_app, name="team")
app.command(name="serve")(workspace.serve)
app.add_typer(key_results.app, name="kr")
app.command(name="demo")(demo.demo)
app.command(name="lint")(goals.lint_command)
app.command(name="classify")(goals.classify_command)
app.command(name="schema")(goals.schema_command)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"okrkit {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Keep a team's KPIs and OKRs in one place: health, signals, forecasts, lint."""


def run() -> None:
    """The console script: run the app, rendering every `OkrkitError` as one line."""
    try:
        app()
    except OkrkitError as error:
        # Plain write, never wrapped: the message is one line a script can grep.
        sys.stderr.write(f"okrkit: error: {error}\n")
        if isinstance(error, BadRows) and len(error.rows) > BadRows.SHOWN:
            # The first line summarises; a person fixing the file needs every row.
            for row in error.rows:
                sys.stderr.write(f"  {row}\n")
        sys.exit(exit_code(error))
