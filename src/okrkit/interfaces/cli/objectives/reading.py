"""`okrkit okr list` and `okrkit okr show`: a cycle's objectives, and one objective with
its key results, judged as of now (or `--today`)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from okrkit.domain.errors import InvalidInput
from okrkit.domain.grading import ObjectiveType, grade
from okrkit.domain.objectives import ObjectiveStatus
from okrkit.interfaces.cli import context, remote
from okrkit.interfaces.cli.cycles import cycle_document
from okrkit.interfaces.cli.objectives.views import (
    badges,
    key_results_view,
    objective_document,
    pace_words,
    page_document,
)
from okrkit.interfaces.cli.output import (
    FormatOption,
    OutputFormat,
    TodayOption,
    console,
    print_json,
    today_or_now,
)
from okrkit.services import objectives
from okrkit.services.cycles import CycleOverview, OverviewFilter, cycle_overview
from okrkit.services.objectives import ObjectivePage, ObjectiveState

__all__ = ["LIST_PAGE", "okr_list", "okr_show"]

LIST_PAGE = 50


# What `okr show` prints that the API's objective resource does not carry: left out
# when the objective comes from a server (docs/cli.md, "Against a server").
_NOT_SERVED = ("parent_key_result", "aligned", "carried_to", "advice")


def _judged_as_of(today: str | None) -> None:
    """A server judges as of its own clock: `--today` cannot move it."""
    if today is not None:
        raise InvalidInput(
            f"the server {remote.URL_VARIABLE} names judges as of its own clock; leave "
            "--today out, or unset it to judge this machine's workspace",
            field="--today",
        )


def _overview(
    cycle: str | None, today: str | None, chosen: OverviewFilter, page: int
) -> CycleOverview[ObjectiveState]:
    """A page of a cycle's objectives: from the server `OKRKIT_URL` names, else the
    workspace."""
    offset = (page - 1) * LIST_PAGE
    if (server := remote.server()) is None:
        context.ready()
        return cycle_overview(
            context.unit_of_work(), cycle, today_or_now(today), chosen,
            viewer=context.actor(), offset=offset, limit=LIST_PAGE,
        )  # fmt: skip
    _judged_as_of(today)
    name = cycle or remote.current_cycle(server)
    stored = remote.stored_cycle(server.get(remote.path("cycles", name)))
    params = {"cycle": name, "team": chosen.team, "owner": chosen.owner,
              "type": None if chosen.type is None else chosen.type.value,
              "offset": offset, "limit": LIST_PAGE}  # fmt: skip
    answer = server.get("/objectives", params)
    return CycleOverview(
        cycle=stored,
        cycles=(),
        objectives=tuple(remote.objective_state(item, stored) for item in answer["items"]),
        total=answer["total"],
        offset=answer["offset"],
        limit=answer["limit"],
        filter=chosen,
        teams=None,
        owners=None,
    )


def _remote_page(server: remote.Server, key: str, today: str | None) -> ObjectivePage:
    """An objective from the server, as its page shows what the API serves of it."""
    _judged_as_of(today)
    answer = server.get(remote.path("objectives", key))
    stored = remote.stored_cycle(server.get(remote.path("cycles", answer["cycle"])))
    state = remote.objective_state(answer, stored)
    o = state.stored
    graded = None
    if o.status in (ObjectiveStatus.SCORED, ObjectiveStatus.CLOSED):
        graded = grade(o.score, o.objective.type, o.retrospective)
    return ObjectivePage(
        state=state, initiatives={}, history={}, kpis={}, parent=None,
        parent_key_result=None, aligned=(), carried_to=(), grade=graded, advice=(),
    )  # fmt: skip


def okr_list(
    cycle: Annotated[
        str | None, typer.Option(help="The cycle, e.g. 2026-Q3; default: the current one.")
    ] = None,
    team: Annotated[str | None, typer.Option(help="Only this team's objectives.")] = None,
    owner: Annotated[str | None, typer.Option(help="Only this owner's objectives.")] = None,
    objective_type: Annotated[
        ObjectiveType | None,
        typer.Option("--type", help="Only objectives of this type.", case_sensitive=False),
    ] = None,
    page: Annotated[int, typer.Option(min=1, help=f"Page of {LIST_PAGE} objectives.")] = 1,
    today: TodayOption = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """List a cycle's objectives by team: progress, pace in words, and the badges
    "guardrail breached" and "check-in due"."""
    overview = _overview(
        cycle, today, OverviewFilter(team=team, owner=owner, type=objective_type), page
    )
    if output is OutputFormat.JSON:
        print_json(
            {
                "cycle": cycle_document(overview.cycle),
                "total": overview.total,
                "offset": overview.offset,
                "limit": overview.limit,
                "objectives": [objective_document(s) for s in overview.objectives],
            }
        )
        return
    c = overview.cycle
    heading = (
        f"Cycle {c.cycle.name} ({c.state}, {c.cycle.start} to {c.cycle.end}): "
        f"{overview.total} objective{'' if overview.total == 1 else 's'}"
    )
    if not overview.objectives:
        console.print(heading + (f" — none on page {page}" if overview.total else ""), markup=False)
        return
    console.print(heading, markup=False)
    table = Table("Team", "Objective", "Progress", "Pace", "Badges")
    table.columns[2].justify = "right"
    for s in overview.objectives:
        o = s.stored.objective
        about = " · ".join([o.key, o.type.value, s.stored.status.value, o.owner or "no owner"])
        table.add_row(
            escape(s.team_name),
            f"{escape(o.title)}\n[dim]{escape(about)}[/]",
            f"{s.progress:.0%}",
            pace_words(s.pace),
            badges(s),
        )
    console.print(table)
    last = overview.offset + len(overview.objectives)
    if last < overview.total:
        console.print(
            f"Objectives {overview.offset + 1}–{last} of {overview.total}: "
            f"--page {page + 1} for the next.",
            markup=False,
        )


def okr_show(
    key: Annotated[str, typer.Argument(help="The objective's key.", show_default=False)],
    today: TodayOption = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Show an objective: its key results with id, where each stands, progress, pace,
    forecast with its 95 % interval and probability, confidence and last check-in; what
    it aligns to; the linter's advice."""
    server = remote.server()
    if server is not None:
        page = _remote_page(server, key, today)
    else:
        context.ready()
        page = objectives.objective_page(
            context.unit_of_work(), key, today_or_now(today), viewer=context.actor()
        )
    state = page.state
    if output is OutputFormat.JSON:
        document = page_document(page)
        if server is not None:
            for part in _NOT_SERVED:
                document.pop(part)
            for kr in document["key_results"]:
                kr.pop("initiatives")
        print_json(document)
        return
    stored = state.stored
    o = stored.objective
    console.print(f"[bold]Objective {escape(o.key)}[/]: {escape(o.title)}")
    facts = Table(show_header=False, box=None, padding=(0, 2, 0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    span = f"{state.cycle.cycle.start} to {state.cycle.cycle.end}"
    facts.add_row("Cycle", f"{escape(o.cycle)} ({state.cycle.state}, {span})")
    facts.add_row("Team, owner", f"{escape(state.team_name)}, {escape(o.owner or 'no owner')}")
    facts.add_row("Type, status", f"{o.type}, {stored.status} (version {stored.revision.version})")
    if o.parent is not None:
        parent = str(o.parent)
        if page.parent_key_result is not None:
            parent += f" ({page.parent_key_result.definition.title})"
        facts.add_row("Aligns to", escape(parent))
    if o.north_star:
        facts.add_row("North Star KPI", escape(o.north_star))
    if page.aligned:
        facts.add_row("Aligned to it", escape(", ".join(a.objective.key for a in page.aligned)))
    if stored.carried_from:
        facts.add_row("Carried from", escape(stored.carried_from))
    facts.add_row("Progress", f"{state.progress:.0%} (weighted, guardrails apart)")
    facts.add_row("Pace", pace_words(state.pace))
    if state.guardrail_breached:
        facts.add_row("Guardrail", f"[bold red]✕ breached[/]: {escape('; '.join(state.breached))}")
    if page.grade is not None:
        facts.add_row("Score", f"{page.grade.display} ({page.grade.colour or 'no number'})")
    if stored.retrospective:
        facts.add_row("Retrospective", escape(stored.retrospective))
    console.print(facts)
    console.print("[bold]Key results[/]")
    console.print(key_results_view(state.key_results))
    if page.advice:
        console.print("[bold]Advice[/] (okrkit lint's rules):")
        for f in page.advice:
            console.print(f"  {f.code} ({f.severity}): {f.message} — {f.hint}", markup=False)
