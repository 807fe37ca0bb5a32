"""`okrkit alert list|show|acknowledge|resolve|accept|dismiss`: what the KPIs that
slipped raised, and what a person does about it.

An action names the alert's version it is based on with `--version` (as `alert list`
and `alert show` print it); without it, the alert as it is when the command runs — a
person at a terminal acts on the alert they just read. A stale `--version`, an alert
resolved already, a yellow draft without `--hypothesis` or a dismissal without
`--reason` is refused with one line (exit 2), as every refused change is. `--format
json` prints the API's document of the alert (`GET /api/v1/alerts/{id}`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from okrkit.domain.alerts import AlertLevel, AlertState
from okrkit.domain.errors import InvalidInput
from okrkit.domain.versions import check_version
from okrkit.interfaces.cli import context, remote
from okrkit.interfaces.cli.output import FormatOption, OutputFormat, console, print_json
from okrkit.interfaces.web.schemas.alerts import AlertListOut, AlertOut
from okrkit.interfaces.web.schemas.objectives import ObjectiveOut
from okrkit.services import alerts
from okrkit.services.alerts import AcceptDraft, AlertView
from okrkit.services.ports import AlertQuery

__all__ = [
    "alert_accept",
    "alert_acknowledge",
    "alert_dismiss",
    "alert_document",
    "alert_list",
    "alert_resolve",
    "alert_show",
]

# How many alerts one page of `alert list` holds.
PAGE_SIZE = 50
# The options a service's field is named by on the command line.
_FLAGS = {
    "version": "--version",
    "title": "--title",
    "owner": "--owner",
    "hypothesis": "--hypothesis",
    "reason": "--reason",
    "team": "--team",
    "kpi": "--kpi",
    "note": "--note",
}
# Colour is never the only signal: the level's word is printed too.
_LEVEL_STYLE = {AlertLevel.RED: "bold red", AlertLevel.YELLOW: "bold yellow", AlertLevel.DATA: ""}

IdArgument = Annotated[int, typer.Argument(help="The alert's number (alert list says it).")]
VersionOption = Annotated[
    int | None,
    typer.Option(
        help="The alert's version you act on (alert show says it); without it, the alert "
        "as it is now.",
        show_default=False,
    ),
]
NoteOption = Annotated[str, typer.Option(help="Why, in a sentence (optional).")]


def alert_document(view: AlertView) -> dict[str, Any]:
    """An alert as `--format json` prints it: the API's document of it."""
    document: dict[str, Any] = AlertOut.of(view).model_dump(mode="json")
    return document


def _out(view: AlertView) -> AlertOut:
    """An alert as the API's document of it, what every view of it here prints."""
    return AlertOut.model_validate(alert_document(view))


def _act(id: int, action: str, body: dict[str, Any], version: int | None) -> AlertOut | None:
    """An action on an alert sent to the server `OKRKIT_URL` names (based on `version`,
    else the alert as it is now), or None to act on this machine's workspace."""
    server = remote.server()
    if server is None:
        return None
    if version is None:
        version = AlertOut.model_validate(server.get(remote.path("alerts", id))).version
    else:
        check_version(version, "--version")
    where = remote.path("alerts", id, action)
    answer = server.send("POST", where, body={**body, "version": version})
    return AlertOut.model_validate(answer)


def _flagged(error: InvalidInput) -> InvalidInput:
    """A service's error named as the command line spells it (`reason` → `--reason`)."""
    error.field = _FLAGS.get(error.field or "", error.field)
    return error


def _version(id: int, version: int | None) -> int:
    """The version acted on: the one given, else the alert's current one."""
    if version is not None:
        return check_version(version, "--version")
    return alerts.get_alert(
        context.unit_of_work(), id, viewer=context.actor()
    ).stored.revision.version


def _level(view: AlertOut) -> str:
    level = view.level
    style = _LEVEL_STYLE[level]
    return f"[{style}]{level.value}[/]" if style else level.value


def _draft(view: AlertOut) -> str:
    draft = view.draft
    if draft is None:
        return "—"
    mark = "urgent draft" if draft.urgent else "draft"
    if draft.status.value != "draft":
        mark = draft.status.value
    return f"{escape(draft.key)} ({mark})"


def _value(view: AlertOut) -> str:
    """The value it was raised on and its day."""
    return view.value_text + (f" on {view.value_at[:10]}" if view.value_at else "")


def alert_list(
    state: Annotated[
        AlertState,
        typer.Option(help="Which alerts: open, acknowledged or resolved.", case_sensitive=False),
    ] = AlertState.OPEN,
    team: Annotated[str | None, typer.Option(help="Of this team's KPIs (its key).")] = None,
    kpi: Annotated[str | None, typer.Option(help="Of this KPI (its key).")] = None,
    level: Annotated[
        AlertLevel | None,
        typer.Option(help="Of this level: red, yellow or data.", case_sensitive=False),
    ] = None,
    page: Annotated[int, typer.Option(min=1, help="Which page of 50.")] = 1,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """List the alerts in one state (open by default), red first among unresolved ones,
    with their KPI, level, kind of problem, value, draft objective and version."""
    query = AlertQuery((state,), kpi, team, level, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    try:
        listed = _list(query)
    except InvalidInput as error:
        raise _flagged(error) from None
    if output is OutputFormat.JSON:
        print_json([v.model_dump(mode="json") for v in listed.items])
        return
    if not listed.items:
        console.print(f"No {state.value} alerts.", markup=False)
        return
    table = Table(
        "#", "KPI", "Level", "Problem", "Value", "Opened", "Draft", "Version",
        title=f"{state.value.capitalize()} alerts {query.offset + 1}–"
        f"{query.offset + len(listed.items)} of {listed.total}",
        title_justify="left",
    )  # fmt: skip
    for v in listed.items:
        table.add_row(
            str(v.id),
            f"{escape(v.kpi_name)}\n[dim]{escape(v.kpi)}[/]",
            _level(v),
            escape(v.problem_words),
            escape(_value(v)) or "—",
            f"{v.opened_at:%Y-%m-%d %H:%M}",
            _draft(v),
            str(v.version),
        )
    console.print(table)


def _list(query: AlertQuery) -> AlertListOut:
    """A page of alerts: from the server `OKRKIT_URL` names, else the workspace."""
    if (server := remote.server()) is not None:
        params = {"state": [s.value for s in query.states], "team": query.team,
                  "kpi": query.kpi, "level": None if query.level is None else query.level.value,
                  "offset": query.offset, "limit": query.limit}  # fmt: skip
        return AlertListOut.model_validate(server.get("/alerts", params))
    context.ready()
    return AlertListOut.of(
        alerts.list_alerts(context.unit_of_work(), query, viewer=context.actor())
    )


def _show(view: AlertOut, heading: str | None = None) -> None:
    if heading:
        console.print(heading, markup=False)
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    state = view.state.value
    if view.state is AlertState.ACKNOWLEDGED and view.acknowledged_by:
        state += f" by {escape(view.acknowledged_by)}"
    draft = _draft(view) + (f": {escape(view.draft.title)}" if view.draft else "")
    rows = [
        (
            "Alert",
            f"#{view.id} on {escape(view.kpi_name)} ({escape(view.kpi)}), team {escape(view.team)}",
        ),
        ("Level", _level(view)),
        ("State", state),
        ("Problem", escape(view.problem_words)),
        ("Why", escape(view.reason)),
        ("Value", escape(_value(view)) or "—"),
        ("Status then", view.status.value),
        ("Opened", f"{view.opened_at:%Y-%m-%d %H:%M} UTC"),
        ("Draft", draft),
        ("Note", escape(view.note) or "—"),
        ("Version", f"{view.version}, changed by {escape(view.changed_by)}"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)


def alert_show(id: IdArgument, output: FormatOption = OutputFormat.TABLE) -> None:
    """Show one alert: its KPI, level, the kind of problem and why, the value it was
    raised on, its state, its draft objective and its version."""
    if (server := remote.server()) is not None:
        view = AlertOut.model_validate(server.get(remote.path("alerts", id)))
    else:
        context.ready()
        view = _out(alerts.get_alert(context.unit_of_work(), id, viewer=context.actor()))
    if output is OutputFormat.JSON:
        print_json(view.model_dump(mode="json"))
        return
    _show(view)


def alert_acknowledge(
    id: IdArgument,
    version: VersionOption = None,
    note: NoteOption = "",
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Acknowledge an alert: you have seen it; it stays on its KPI (which raises nothing
    new) until it resolves."""
    try:
        view = _act(id, "acknowledge", {"note": note}, version)
        if view is None:
            context.ready()
            seen = _version(id, version)
            view = _out(
                alerts.acknowledge_alert(
                    context.unit_of_work(), id, seen, context.actor(), context.now(), note
                )
            )
    except InvalidInput as error:
        raise _flagged(error) from None
    if output is OutputFormat.JSON:
        print_json(view.model_dump(mode="json"))
        return
    console.print(f"Alert {id} acknowledged (now version {view.version}).", markup=False)


def alert_resolve(
    id: IdArgument,
    version: VersionOption = None,
    note: NoteOption = "",
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Resolve an alert by hand; if its KPI is still unhealthy at its next judgement, it
    raises a new one."""
    try:
        view = _act(id, "resolve", {"note": note}, version)
        if view is None:
            context.ready()
            seen = _version(id, version)
            view = _out(
                alerts.resolve_alert(
                    context.unit_of_work(), id, seen, context.actor(), context.now(), note
                )
            )
    except InvalidInput as error:
        raise _flagged(error) from None
    if output is OutputFormat.JSON:
        print_json(view.model_dump(mode="json"))
        return
    console.print(f"Alert {id} resolved (now version {view.version}).", markup=False)


def alert_accept(
    id: IdArgument,
    title: Annotated[
        str | None, typer.Option(help="A new title for the objective (without numbers).")
    ] = None,
    owner: Annotated[str | None, typer.Option(help="Who owns it (empty: nobody).")] = None,
    hypothesis: Annotated[
        str,
        typer.Option(
            help="Required for a yellow KPI's draft: we believe that <this change> will move "
            "the KPI because <this evidence>."
        ),
    ] = "",
    version: VersionOption = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Accept an alert's draft objective: edited as given, activated, and the alert
    acknowledged, at once."""
    try:
        accepted = _accept(AcceptDraft(id, version or 0, title, owner, hypothesis), version)
    except InvalidInput as error:
        raise _flagged(error) from None
    document = accepted.model_dump(mode="json")
    if output is OutputFormat.JSON:
        print_json(document)
        return
    console.print(
        f"Draft accepted: objective {document['key']} is active in {document['cycle']} "
        f"({document['title']}); alert {id} acknowledged.",
        markup=False,
    )


def _accept(command: AcceptDraft, version: int | None) -> ObjectiveOut:
    """Accept a draft on the server `OKRKIT_URL` names, else on the workspace."""
    if (server := remote.server()) is not None:
        if version is None:
            alert = AlertOut.model_validate(server.get(remote.path("alerts", command.id)))
            version = alert.version
        body = {"version": check_version(version, "--version"), "title": command.title,
                "owner": command.owner, "hypothesis": command.hypothesis}  # fmt: skip
        answer = server.send("POST", remote.path("alerts", command.id, "accept"), body=body)
        return ObjectiveOut.model_validate(answer)
    context.ready()
    command = replace(command, version=_version(command.id, version))
    stored = alerts.accept_draft(context.unit_of_work(), command, context.actor(), context.now())
    return ObjectiveOut.from_stored(stored)


def alert_dismiss(
    id: IdArgument,
    reason: Annotated[
        str, typer.Option(help="Why the draft is not wanted (required).", show_default=False)
    ],
    version: VersionOption = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Dismiss an alert's draft objective, saying why: the draft is removed (the audit
    log keeps it) and the alert acknowledged with the reason."""
    try:
        view = _act(id, "dismiss", {"reason": reason}, version)
        if view is None:
            context.ready()
            seen = _version(id, version)
            view = _out(
                alerts.dismiss_draft(
                    context.unit_of_work(), id, seen, reason, context.actor(), context.now()
                )
            )
    except InvalidInput as error:
        raise _flagged(error) from None
    if output is OutputFormat.JSON:
        print_json(view.model_dump(mode="json"))
        return
    console.print(f"Draft of alert {id} dismissed; the alert is acknowledged.", markup=False)
