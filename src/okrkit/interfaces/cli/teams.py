"""`okrkit team add|list`: the teams of the workspace."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from okrkit.domain.teams import StoredTeam
from okrkit.interfaces.cli import context
from okrkit.interfaces.cli.output import FormatOption, OutputFormat, console, print_json
from okrkit.services import teams

__all__ = ["team_add", "team_document", "team_list"]


def team_add(
    key: Annotated[str, typer.Argument(help="Stable key, e.g. growth.", show_default=False)],
    name: Annotated[str, typer.Option(help="Display name.", show_default=False)],
    parent: Annotated[str | None, typer.Option(help="The team it belongs to.")] = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Add a team."""
    context.ready()
    stored = teams.create_team(
        context.unit_of_work(), teams.CreateTeam(key, name, parent), context.actor(), context.now()
    )
    if output is OutputFormat.JSON:
        print_json(team_document(stored))
        return
    console.print(f"team {stored.team.key} ({stored.team.name}) added")


def team_document(stored: StoredTeam) -> dict[str, Any]:
    """A team as `team list --format json` prints it."""
    return {
        "key": stored.team.key,
        "name": stored.team.name,
        "parent": stored.parent,
        "version": stored.revision.version,
    }


def team_list(output: FormatOption = OutputFormat.TABLE) -> None:
    """List the teams."""
    context.ready()
    listed = teams.list_teams(context.unit_of_work())
    if output is OutputFormat.JSON:
        print_json([team_document(t) for t in listed])
        return
    table = Table("Key", "Name", "Parent", "Version", title="Teams", title_justify="left")
    for t in listed:
        table.add_row(t.team.key, t.team.name, t.parent or "", str(t.revision.version))
    console.print(table)
