"""How an objective and its key results read: the JSON `--format json` prints and what
people read in a terminal, shared by `okr list|show|add|score|carry` and `okr checkin`.

A key result's forecast is `interfaces.documents.forecast_document`, the forecast part of
`kr forecast --format json` that the API prints too, so the three read the same.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.table import Table

from okrkit.domain.fields import data_of
from okrkit.domain.grading import Grade
from okrkit.domain.objectives import StoredObjective
from okrkit.domain.pace import Pace
from okrkit.domain.progress import KeyResultType
from okrkit.interfaces import documents
from okrkit.interfaces import formatting as fmt
from okrkit.interfaces.cli.key_results import PACE_STYLE
from okrkit.services.key_results import KeyResultState
from okrkit.services.objectives import ObjectivePage, ObjectiveState

__all__ = [
    "amount",
    "badges",
    "grade_document",
    "key_result_document",
    "key_result_view",
    "key_results_view",
    "objective_document",
    "objective_record",
    "pace_words",
    "page_document",
]


def key_result_document(state: KeyResultState) -> dict[str, Any]:
    """A key result judged as of now, as `--format json` prints it: its definition and
    version, where it stands (current, progress, pace), its forecast with the keys of
    `kr forecast --format json` (the forecast's own under `forecast`, progress and pace
    beside it), confidence and its last check-in."""
    kr = state.key_result
    last = state.last_check_in
    return {
        "id": kr.id,
        "objective": kr.objective,
        **data_of(kr.definition),
        "version": kr.revision.version,
        "original_target": kr.original_target,
        "recalibration": kr.recalibration,
        "score": kr.score,
        "score_reason": kr.score_reason,
        "final_value": kr.final_value,
        "current": state.current,
        "progress": state.progress,
        "expected_progress": state.expected_progress,
        "forecast_progress": state.forecast_progress,
        "pace": None if state.pace is None else state.pace.value,
        "guardrail_breached": state.breached,
        "check_in_due": state.check_in_due,
        "check_ins": state.check_in_count,
        "confidence": state.confidence,
        "confidence_trend": state.confidence_trend,
        "last_check_in": None
        if last is None
        else {
            "at": last.at.isoformat(),
            "value": last.value,
            "confidence": last.confidence,
            "note": last.note,
            "author": last.author,
        },
        "forecast": documents.forecast_document(state.forecast),
    }


def objective_document(state: ObjectiveState) -> dict[str, Any]:
    """An objective judged as of now, as `--format json` prints it: its definition,
    status and version, score, progress, pace, badges, and its key results."""
    return {
        **objective_record(state.stored),
        "team_name": state.team_name,
        "progress": state.progress,
        "pace": state.pace.value,
        "guardrail_breached": state.guardrail_breached,
        "breached": list(state.breached),
        "check_in_due": state.check_in_due,
        "key_results": [key_result_document(s) for s in state.key_results],
    }


def page_document(page: ObjectivePage) -> dict[str, Any]:
    """What `okr show --format json` prints: the objective judged (`objective_document`)
    with each key result's initiatives, the key result it aligns to, the objectives
    aligned to it and carried from it, its grade once scored, and the linter's advice."""
    document = objective_document(page.state)
    for kr in document["key_results"]:
        kr["initiatives"] = [
            {
                "id": i.id,
                "title": i.initiative.title,
                "status": i.initiative.status.value,
                "url": i.initiative.url,
                "version": i.revision.version,
            }
            for i in page.initiatives.get(kr["id"], ())
        ]
    parent_kr = page.parent_key_result
    return {
        **document,
        "parent_key_result": None
        if parent_kr is None
        else {"id": parent_kr.id, "title": parent_kr.definition.title},
        "aligned": [o.objective.key for o in page.aligned],
        "carried_to": [o.objective.key for o in page.carried_to],
        "grade": grade_document(page.grade),
        "advice": [
            {
                "code": f.code,
                "severity": f.severity.value,
                "message": f.message,
                "hint": f.hint,
                "path": f.location.path,
            }
            for f in page.advice
        ],
    }


def objective_record(stored: StoredObjective) -> dict[str, Any]:
    """An objective as a write prints it: its definition, status, version and score."""
    return {
        **data_of(stored.objective),
        "status": stored.status.value,
        "version": stored.revision.version,
        "changed_by": stored.revision.changed_by,
        "changed_at": stored.revision.changed_at.isoformat(),
        "score": stored.score,
        "retrospective": stored.retrospective,
        "carried_from": stored.carried_from,
    }


def grade_document(graded: Grade | None) -> dict[str, Any] | None:
    """An end-of-cycle grade as JSON (null before scoring)."""
    if graded is None:
        return None
    return {
        "score": graded.score,
        "display": graded.display,
        "colour": None if graded.colour is None else graded.colour.value,
        "success": graded.success,
        "needs_explanation": graded.needs_explanation,
    }


def pace_words(pace: Pace) -> str:
    """A pace in words, styled: colour is never the only signal."""
    return f"[{PACE_STYLE[pace]}]{pace.value.replace('_', ' ')}[/]"


def badges(state: ObjectiveState) -> str:
    """An objective's badges in words with a sign: guardrail breached, check-in due."""
    badges = []
    if state.guardrail_breached:
        badges.append("[bold red]✕ guardrail breached[/]")
    if state.check_in_due:
        badges.append("[yellow]◷ check-in due[/]")
    return "\n".join(badges)


def amount(value: float | None, unit: str) -> str:
    """A key result's value in its unit: 58.0%, $1.2k, 8 min (`formatting.number`
    writes every unit; one it does not know follows the number)."""
    return fmt.number(value, unit)


def _plan(state: KeyResultState) -> str:
    kr = state.key_result
    d = kr.definition
    if d.type == KeyResultType.BOOLEAN:
        plan = "done or not"
    elif d.type == KeyResultType.MILESTONE:
        plan = f"{len(d.steps or ())} steps: {d.steps}"
    else:
        plan = f"{amount(d.start, d.unit)} → {amount(d.target, d.unit)}"
    words = [f"{plan} by {d.deadline}"]
    if kr.original_target is not None:
        words.append(f"target was {amount(kr.original_target, d.unit)}: {kr.recalibration}")
    if d.owner:
        words.append(d.owner)
    if d.weight != 1:
        words.append(f"weight {d.weight:g}")
    if d.kpi:
        words.append(f"fed by KPI {d.kpi}")
    if d.guardrail:
        words.append(f"guardrail ({'lower' if _holds_low(state) else 'higher'} is better)")
    return escape(" · ".join(words))


def _holds_low(state: KeyResultState) -> bool:
    d = state.key_result.definition
    if d.direction is not None:
        return d.direction.value == "lower"
    return (d.target or 0) < (d.start or 0)


def _value(state: KeyResultState, value: float | None) -> str:
    d = state.key_result.definition
    if value is None:
        return "—"
    if d.type == KeyResultType.BOOLEAN:
        return "done" if value >= 1 else "not done"
    if d.type == KeyResultType.MILESTONE:
        return f"{value:g} of {len(d.steps or ())} steps"
    return amount(value, d.unit)


def _now(state: KeyResultState) -> str:
    """Where a key result stands: its value, its progress against the time passed (a
    guardrail has none: it holds or not), its score once scored."""
    text = _value(state, state.current)
    if not state.key_result.definition.guardrail:
        text += f": {state.progress:.0%} of the way, {state.expected_progress:.0%} expected by now"
    if state.key_result.score is not None:
        text += f"; scored {state.key_result.score:.2f}"
        if state.key_result.score_reason:
            text += f" ({state.key_result.score_reason})"
    return escape(text)


def _forecast(state: KeyResultState) -> str:
    f = state.forecast
    if f.forecast is None:
        return escape(f"none: {f.reason}")
    unit = state.key_result.definition.unit
    chance = "" if f.probability is None else f"; chance of reaching the target {f.probability:.0%}"
    return escape(
        f"{amount(f.forecast, unit)} at the deadline (95% interval {amount(f.lower, unit)} "
        f"to {amount(f.upper, unit)}){chance}"
    )


def _pace_of(state: KeyResultState) -> str:
    if state.pace is not None:
        return pace_words(state.pace)
    if state.breached:
        return "[bold red]✕ guardrail breached[/]: it got worse than its start"
    return "[green]✓ guardrail holds[/]"


def _check_in(state: KeyResultState) -> str:
    last = state.last_check_in
    if last is None:
        text = "none yet"
    else:
        text = f"{last.at:%Y-%m-%d}: {_value(state, last.value)}"
        if last.note:
            text += f" “{last.note}”"
    confidence = "no confidence given"
    if state.confidence is not None:
        arrow = {"up": " ↑ up", "down": " ↓ down", "steady": " → steady"}
        confidence = f"confidence {state.confidence:g}/10"
        confidence += arrow.get(state.confidence_trend or "", "")
    due = "; [yellow]◷ check-in due[/]" if state.check_in_due else ""
    return f"{escape(text)}; {confidence}{due}"


def key_result_view(state: KeyResultState) -> RenderableType:
    """One key result as a person reads it, at any terminal width: its id and title,
    its plan, where it stands, its forecast with the 95 % interval and the chance of
    reaching the target, its pace, its last check-in and confidence."""
    kr = state.key_result
    facts = Table(show_header=False, box=None, padding=(0, 1, 0, 5))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    facts.add_row("Plan", _plan(state))
    facts.add_row("Now", _now(state))
    if not kr.definition.guardrail:
        facts.add_row("Forecast", _forecast(state))
    facts.add_row("Pace", _pace_of(state))
    facts.add_row("Check-in", _check_in(state))
    return Group(f"[bold]#{kr.id}[/] {escape(kr.definition.title)}", facts)


def key_results_view(states: tuple[KeyResultState, ...]) -> RenderableType:
    """Key results, one block each (`key_result_view`)."""
    return Group(*(key_result_view(s) for s in states))
