"""`okrkit cycle list|add|start|close`: the OKR cycles of the workspace.

A cycle is planned, then active (check-ins fall due every week), then closed: closing
scores every objective still active with the scores its key results' progress proposes
and prints them. Closing a closed cycle is refused (exit 2, "is already closed"), as any
change that cannot be made is.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from okrkit.domain.cycles import CycleState, StoredCycle
from okrkit.domain.errors import InvalidInput
from okrkit.domain.grading import grade
from okrkit.domain.versions import check_version
from okrkit.interfaces.cli import context
from okrkit.interfaces.cli.output import (
    FormatOption,
    OutputFormat,
    TodayOption,
    console,
    parse_date,
    print_json,
    today_or_now,
)
from okrkit.services import cycles

__all__ = ["cycle_add", "cycle_close", "cycle_document", "cycle_list", "cycle_start"]

# A cycle's field as its command names it: the name is the argument, the rest options.
_FLAGS = {"start": "--start", "end": "--end", "state": "--state", "version": "--version"}

NameArgument = Annotated[str, typer.Argument(help="The cycle's name, e.g. 2026-Q3.")]
VersionOption = Annotated[
    int,
    typer.Option(help="The version you are changing (cycle list says it).", show_default=False),
]


def cycle_document(stored: StoredCycle) -> dict[str, Any]:
    """A cycle as `--format json` prints it: its name, span, state and version."""
    return {**cycles.cycle_record(stored), "version": stored.revision.version,
            "changed_by": stored.revision.changed_by,
            "changed_at": stored.revision.changed_at.isoformat()}  # fmt: skip


def _flagged(error: InvalidInput) -> InvalidInput:
    """A cycle's error named as the command line spells it (`end` → `--end`)."""
    error.field = _FLAGS.get(error.field or "", error.field)
    return error


def _span(stored: StoredCycle) -> str:
    return f"{stored.cycle.start} to {stored.cycle.end}"


def cycle_list(today: TodayOption = None, output: FormatOption = OutputFormat.TABLE) -> None:
    """List the cycles, the latest to start first; the current one (today falls in it)
    is marked."""
    context.ready()
    day = today_or_now(today).date()
    listed = cycles.list_cycles(context.unit_of_work(), day)
    current = listed.current.cycle.name if listed.current else None
    if output is OutputFormat.JSON:
        print_json(
            [{**cycle_document(c), "current": c.cycle.name == current} for c in listed.cycles]
        )
        return
    if not listed.cycles:
        quarter = f"{day.year}-Q{(day.month - 1) // 3 + 1}"
        console.print(f"No cycles yet: add one with `okrkit cycle add {quarter}`.", markup=False)
        return
    table = Table(
        "Cycle", "From", "To", "State", "Version", "", title="Cycles", title_justify="left"
    )
    for c in listed.cycles:
        mark = "[bold]◀ current[/]" if c.cycle.name == current else ""
        table.add_row(
            escape(c.cycle.name),
            c.cycle.start.isoformat(),
            c.cycle.end.isoformat(),
            c.state.value,
            str(c.revision.version),
            mark,
        )
    console.print(table)


def cycle_add(
    name: Annotated[
        str,
        typer.Argument(
            help="A quarter like 2026-Q3 (its dates follow), or a name of your own such as "
            "2027-H1 with --start and --end.",
            show_default=False,
        ),
    ],
    start: Annotated[
        str | None,
        typer.Option(help="Its first day (a quarter knows its own).", metavar="YYYY-MM-DD"),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option(help="Its last day (a quarter knows its own).", metavar="YYYY-MM-DD"),
    ] = None,
    state: Annotated[
        CycleState,
        typer.Option(
            help="planning (being written), active (checked in on weekly), or closed (a "
            "past cycle on record).",
            case_sensitive=False,
        ),
    ] = CycleState.PLANNING,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Add a cycle: a calendar quarter by its name, or any span with its dates."""
    command = cycles.CreateCycle(
        name,
        None if start is None else parse_date(start, "--start"),
        None if end is None else parse_date(end, "--end"),
        state,
    )
    context.ready()
    try:
        stored = cycles.create_cycle(
            context.unit_of_work(), command, context.actor(), context.now()
        )
    except InvalidInput as error:
        raise _flagged(error) from None
    if output is OutputFormat.JSON:
        print_json(cycle_document(stored))
        return
    console.print(f"Cycle {stored.cycle.name} added: {_span(stored)}, {stored.state}", markup=False)


def cycle_start(
    name: NameArgument, version: VersionOption, output: FormatOption = OutputFormat.TABLE
) -> None:
    """Start a planned cycle: its key results fall due for a check-in every week."""
    check_version(version, "--version")
    context.ready()
    try:
        stored = cycles.start_cycle(
            context.unit_of_work(), name, version, context.actor(), context.now()
        )
    except InvalidInput as error:
        raise _flagged(error) from None
    if output is OutputFormat.JSON:
        print_json(cycle_document(stored))
        return
    console.print(
        f"Cycle {name} started: {_span(stored)} (now version {stored.revision.version})",
        markup=False,
    )


def cycle_close(
    name: NameArgument, version: VersionOption, output: FormatOption = OutputFormat.TABLE
) -> None:
    """Close a cycle: every objective still active is scored with the scores its key
    results' progress proposes, and each key result's final value is kept (a KPI's newest
    value for one it feeds). Prints what it scored. Closing a closed cycle is refused
    (exit 2)."""
    check_version(version, "--version")
    context.ready()
    try:
        closed = cycles.close_cycle(
            context.unit_of_work(), name, version, context.actor(), context.now()
        )
    except InvalidInput as error:
        raise _flagged(error) from None
    scored = [
        (s, grade(s.score, s.objective.type, s.retrospective) if s.score is not None else None)
        for s in closed.scored
    ]
    if output is OutputFormat.JSON:
        print_json(
            {
                **cycle_document(closed.cycle),
                "scored": [
                    {
                        "key": s.objective.key,
                        "title": s.objective.title,
                        "team": s.objective.team,
                        "type": s.objective.type.value,
                        "status": s.status.value,
                        "score": s.score,
                        "version": s.revision.version,
                    }
                    for s, _ in scored
                ],
            }
        )
        return
    console.print(
        f"Cycle {name} closed (now version {closed.cycle.revision.version}).", markup=False
    )
    if not scored:
        console.print("Nothing was left to score: no objective of it was still active.")
        return
    table = Table(
        "Objective",
        "Team",
        "Type",
        "Score",
        title=f"Scored on closing ({len(scored)})",
        title_justify="left",
    )
    for s, graded in scored:
        score = "—" if graded is None else f"{graded.display} ({graded.colour})"
        table.add_row(
            f"{escape(s.objective.title)}\n[dim]{escape(s.objective.key)}[/]",
            escape(s.objective.team),
            s.objective.type.value,
            score,
        )
    console.print(table)
    console.print(
        "To change a score (with a reason) or add the retrospective: okrkit okr score KEY",
        markup=False,
    )
