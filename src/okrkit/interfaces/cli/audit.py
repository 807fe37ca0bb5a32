"""`okrkit audit`: the audit log — who changed what, when, before and after — newest
first, filtered by team, thing and person. Read only: no command edits the log.

`--format json` prints the API's page document (`GET /api/v1/audit`); its `older` is
the `--before` of the next, older page.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from okrkit.domain.errors import InvalidInput
from okrkit.interfaces import formatting as fmt
from okrkit.interfaces.cli import context, remote
from okrkit.interfaces.cli.output import FormatOption, OutputFormat, console, print_json
from okrkit.interfaces.web.schemas.audit import AuditEntryOut, AuditPageOut
from okrkit.services import audit
from okrkit.services.ports import AuditQuery

__all__ = ["audit_command"]

# The options a service's field is named by on the command line.
_FLAGS = {"object": "--object", "kind": "--object", "limit": "--limit", "before": "--before"}


def _changes(entry: AuditEntryOut) -> str:
    lines = []
    for c in entry.changes:
        before, after = fmt.audit_value(c.before)[0], fmt.audit_value(c.after)[0]
        shown = after if c.before is None else f"{before} → {after}"
        lines.append(f"{c.field}: {shown}")
    return escape("\n".join(lines)) or "—"


def _thing(entry: AuditEntryOut) -> str:
    named = f"{entry.entity_words} {entry.key}"
    if entry.title:
        named += f"\n{entry.title}"
    elif entry.link is None and entry.entity not in ("cycle", "settings", "workspace"):
        named += "\n(no longer exists)"
    return escape(named)


def _page(query: AuditQuery, thing: str | None) -> AuditPageOut:
    """The page asked for: from the server `OKRKIT_URL` names, else the workspace."""
    if (server := remote.server()) is not None:
        params = {"team": query.team, "object": thing, "person": query.actor,
                  "limit": query.limit, "before": query.before}  # fmt: skip
        return AuditPageOut.model_validate(server.get("/audit", params))
    context.ready()
    return AuditPageOut.of(audit.audit_page(context.unit_of_work(), query, viewer=context.actor()))


def audit_command(
    team: Annotated[str | None, typer.Option(help="About this team's things (its key).")] = None,
    thing: Annotated[
        str | None,
        typer.Option(
            "--object",
            help="About this thing, KIND:KEY (kpi:signups, objective:grow-activation, "
            "key_result:12), or any thing of one KIND.",
        ),
    ] = None,
    person: Annotated[str | None, typer.Option(help="By this person, as recorded.")] = None,
    limit: Annotated[
        int, typer.Option(min=1, max=audit.MAX_PAGE_SIZE, help="How many entries.")
    ] = audit.PAGE_SIZE,
    before: Annotated[
        int | None, typer.Option(min=1, help="Older than this entry's number (a next page).")
    ] = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Show the audit log, newest first: when, who, what was done to which thing, and
    its fields before → after."""
    try:
        entity, key = audit.parse_object(thing or "")
        page = _page(AuditQuery(team, entity, key, person, limit, before), thing)
    except InvalidInput as error:
        error.field = _FLAGS.get(error.field or "", error.field)
        raise
    if output is OutputFormat.JSON:
        print_json(page.model_dump(mode="json"))
        return
    if not page.items:
        filtered = team or thing or person
        console.print(
            "No audit entries match these filters." if filtered else "No audit entries.",
            markup=False,
        )
        return
    table = Table("#", "When (UTC)", "Who", "What", "Thing", "Team", "Changes",
                  title="Audit log, newest first", title_justify="left")  # fmt: skip
    for e in page.items:
        team_text = e.team or "—"
        if e.private:
            team_text += " (private)"
        table.add_row(
            str(e.id), fmt.short_moment(e.at), escape(e.actor), escape(e.action_words), _thing(e),
            escape(team_text), _changes(e),
        )  # fmt: skip
    console.print(table)
    if page.older is not None:
        console.print(f"Older entries: okrkit audit --before {page.older}", markup=False)
