"""An objective's page, its create and edit forms, activating a draft, carrying it over.

The page shows the objective — team, cycle, type and what it means for scoring, what
it aligns to and what aligns to it — its progress and pace, and one card per key
result (`id="kr-{id}"`): where it started, stands and should end, its pace in words,
the forecast at the deadline with its 95 % interval and the chance of reaching the
target, its chart with a summary in words, the KPI that feeds it, the check-in history
(newest first) and its initiatives; then the linter's advice on the objective.

The forms keep what was typed and put every error next to its input. "Check" runs
the decision filter and the linter on what was typed and shows their advice without
writing anything. After a change the browser is sent to the objective's page (POST,
redirect, GET), so a reload never submits twice.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

import okrkit.interfaces.web.pages.present as present
from okrkit.domain.check_ins import CheckIn
from okrkit.domain.cycles import CycleState, StoredCycle, next_cycle
from okrkit.domain.errors import Conflict, InvalidInput
from okrkit.domain.objectives import ObjectiveStatus
from okrkit.domain.progress import KeyResultType
from okrkit.interfaces.web.charts.key_results import (
    amount,
    day,
    forecast_words,
    key_result_spec,
    key_result_summary,
    unit_words,
)
from okrkit.interfaces.web.deps import Actor, Now, Uow, viewer
from okrkit.interfaces.web.forms.objectives import (
    KEY_RESULT_FIELDS,
    OBJECTIVE_FIELDS,
    ObjectiveForm,
    input_name,
)
from okrkit.interfaces.web.pages.rendering import page
from okrkit.services import alerts, objectives
from okrkit.services.key_results import KeyResultState
from okrkit.services.objectives import (
    CarryOver,
    CreateObjective,
    EditObjective,
    ObjectiveEditor,
    ObjectivePage,
)
from okrkit.services.tiles import Tile

__all__ = [
    "CheckInRow",
    "KeyResultCard",
    "activate",
    "carry",
    "carry_form",
    "create",
    "edit",
    "edit_form",
    "new",
    "objective",
    "objective_form",
    "router",
]

router = APIRouter()

NOTICES = {
    "created": "Objective created.",
    "drafted": "Saved as a draft: activate it once the team commits to it.",
    "saved": "Changes saved.",
    "activated": "Objective activated: its key results are now paced and due check-ins.",
    "carried": "Carried over: this is the copy in the new cycle, linked back to the original.",
    "accepted": "Draft accepted: the objective is active, and its alert acknowledged.",
}
TYPE_WORDS = {
    "committed": "Committed: a promise. Anything under 1.0 at the cycle's end is explained "
    "in writing; on track at the full pace its targets need, at risk from 70 % of it.",
    "aspirational": "Aspirational: a stretch. A score of 0.7 is success; on track from 70 % "
    "of the pace its targets need, at risk from 40 %.",
    "learning": "Learning: a question to answer. It is scored on what was learned (a note "
    "is required, the number is optional).",
}
STATUS_WORDS = {
    "draft": "Draft: waiting for a person to activate it",
    "active": "Active",
    "scored": "Scored",
    "closed": "Closed: on record",
}
INITIATIVE_STATUSES = {
    "planned": "Planned",
    "in_progress": "In progress",
    "done": "Done",
    "dropped": "Dropped",
}


# --- What the page shows ----------------------------------------------------------------


@dataclass(frozen=True)
class CheckInRow:
    """One check-in as the history table shows it."""

    when: str
    iso: str
    value: str
    change: str
    confidence: str
    note: str
    author: str


@dataclass(frozen=True)
class KeyResultCard:
    """One key result as its card shows it, every figure with its unit."""

    state: KeyResultState
    kind: str
    journey: tuple[str, str, str]  # start, now, target
    deadline: str
    deadline_iso: str
    weight: str
    forecast: str | None
    holding: str | None
    latest: str | None
    week_before: str | None
    recalibration: str | None
    kpi: Tile | None
    history: tuple[CheckInRow, ...]
    steps: tuple[tuple[str, bool], ...]
    spec: dict[str, Any] | None
    summary: str | None

    @property
    def id(self) -> int:
        return self.state.key_result.id


def _kind(state: KeyResultState) -> str:
    d = state.key_result.definition
    if d.type == KeyResultType.BOOLEAN:
        return "Done or not"
    if d.type == KeyResultType.MILESTONE:
        count = len(d.steps) if d.steps else 0
        return f"Milestones: {count} step{'' if count == 1 else 's'}"
    if d.unit == "count":
        return "A count"
    return f"A number, in {unit_words(d.unit)}" if d.unit else "A number"


def _figure(state: KeyResultState, value: float | None) -> str:
    d = state.key_result.definition
    if value is None:
        return "—"
    if d.type == KeyResultType.BOOLEAN:
        return "done" if value >= 1 else "not done"
    if d.type == KeyResultType.MILESTONE:
        return f"{value:g} of {len(d.steps) if d.steps else 0} steps"
    return amount(value, d.unit)


def _said(state: KeyResultState, check_in: CheckIn, today: date) -> str:
    words = f"{_figure(state, check_in.value)} on {day(check_in.at, today)}"
    if check_in.confidence is not None:
        words += f", confidence {check_in.confidence:g}/10"
    return words


def _history(
    state: KeyResultState, check_ins: Sequence[CheckIn], today: date
) -> tuple[CheckInRow, ...]:
    rows = []
    unit = state.key_result.definition.unit
    previous: float | None = None
    for c in check_ins:
        change = "—"
        if previous is not None and state.key_result.definition.type == KeyResultType.NUMERIC:
            delta = c.value - previous
            sign = "+" if delta > 0 else "\N{MINUS SIGN}" if delta < 0 else "±"
            # A change of a percentage is in points.
            change = sign + amount(abs(delta), "pp" if unit == "percent" else unit)
        rows.append(
            CheckInRow(
                when=day(c.at, today),
                iso=c.at.isoformat(timespec="minutes"),
                value=_figure(state, c.value),
                change=change,
                confidence=present.confidence_words(c.confidence),
                note=c.note,
                author=c.author or "—",
            )
        )
        previous = c.value
    return tuple(reversed(rows))


def _holding(state: KeyResultState) -> str | None:
    d = state.key_result.definition
    if not d.guardrail:
        return None
    now, start = _figure(state, state.current), _figure(state, d.start)
    if state.breached:
        return f"Breached: {now} is worse than its start, {start}"
    if state.current is None:
        return f"Holds until a value says otherwise: it must not get worse than {start}"
    return f"Holding: {now} is no worse than its start, {start}"


def _card(view: ObjectivePage, state: KeyResultState, now: datetime) -> KeyResultCard:
    kr = state.key_result
    d = kr.definition
    today = now.date()
    cycle = view.state.cycle.cycle
    deadline = d.deadline or cycle.end
    numeric = d.type == KeyResultType.NUMERIC
    check_ins = view.history.get(kr.id, ())
    recalibration = None
    if kr.original_target is not None:
        recalibration = (
            f"Target recalibrated from {_figure(state, kr.original_target)} to "
            f"{_figure(state, d.target)}: {kr.recalibration or 'no reason given'}"
        )
    steps: tuple[tuple[str, bool], ...] = ()
    if d.type == KeyResultType.MILESTONE and d.steps is not None:
        done = int(state.current or 0)
        steps = tuple((name, i < done) for i, name in enumerate(d.steps.names))
    return KeyResultCard(
        state=state,
        kind=_kind(state),
        journey=(
            _figure(state, d.start),
            _figure(state, state.current),
            _figure(state, d.target),
        ),
        deadline=day(deadline),
        deadline_iso=deadline.isoformat(),
        weight=f"{d.weight:g}",
        forecast=forecast_words(state, deadline, today) if numeric and not d.guardrail else None,
        holding=_holding(state),
        latest=_said(state, check_ins[-1], today) if check_ins else None,
        week_before=_said(state, check_ins[-2], today) if len(check_ins) > 1 else None,
        recalibration=recalibration,
        kpi=view.kpis.get(d.kpi) if d.kpi else None,
        history=_history(state, check_ins, today),
        steps=steps,
        spec=key_result_spec(state, cycle, now, check_ins) if numeric else None,
        summary=key_result_summary(state, cycle, now) if numeric else None,
    )


def _expected(view: ObjectivePage) -> float | None:
    """What the objective's progress should be by now: the weighted mean of its key
    results' expected progress (guardrails apart), as its progress is weighted."""
    counted = [s for s in view.state.key_results if not s.key_result.definition.guardrail]
    total = math.fsum(s.key_result.definition.weight for s in counted)
    if not counted or total <= 0:
        return None
    return math.fsum(s.expected_progress * s.key_result.definition.weight for s in counted) / total


def _carry_cycles(view: ObjectivePage) -> tuple[list[StoredCycle], str]:
    """The cycles an objective can be carried into (open, not its own) and the one
    proposed: the next cycle, else the first open one after its own."""
    own = view.state.cycle.cycle
    choices = [c for c in view.cycles if c.cycle.name != own.name and c.state != CycleState.CLOSED]
    proposed = next_cycle(own).name
    if not any(c.cycle.name == proposed for c in choices):
        later = sorted(
            (c for c in choices if c.cycle.start > own.start), key=lambda c: c.cycle.start
        )
        proposed = later[0].cycle.name if later else (choices[0].cycle.name if choices else "")
    return choices, proposed


@router.get("/objectives/new", response_class=HTMLResponse)
def new(
    request: Request,
    uow: Uow,
    now: Now,
    cycle: str | None = None,
    team: str | None = None,
    parent: str | None = None,
) -> HTMLResponse:
    """An empty form for a new objective and its key results
    (`?cycle=2026-Q3&team=growth&parent=grow-paying-customers`)."""
    editor = objectives.objective_editor(uow, now.date(), cycle=cycle, viewer=viewer(request))
    chosen = cycle or (editor.cycle.cycle.name if editor.cycle else None)
    form = ObjectiveForm.empty(cycle=chosen, team=team, parent=parent)
    return _form_page(request, editor, form, {}, now)


async def objective_form(request: Request) -> ObjectiveForm:
    """The create or edit form as the browser sent it."""
    data = await request.form()
    return ObjectiveForm.read({k: v for k, v in data.items() if isinstance(v, str)})


Typed = Annotated[ObjectiveForm, Depends(objective_form)]


@router.post("/objectives", response_class=HTMLResponse)
def create(request: Request, form: Typed, uow: Uow, now: Now, actor: Actor) -> Response:
    """Create the objective with its key results in one go and go to its page; "check"
    shows the advice on what was typed instead; on errors the form again, as typed."""
    objective, errors = form.objective()
    definitions, row_errors = form.key_results()
    errors |= row_errors
    if form.action != "check" and objective is not None and not errors:
        status = ObjectiveStatus.DRAFT if form.action == "draft" else ObjectiveStatus.ACTIVE
        command = CreateObjective(objective, tuple(definitions), status)
        try:
            created = objectives.create_objective(uow, command, actor, now)
        except InvalidInput as error:
            errors = form.placed(error)
        except Conflict as error:
            errors = {"key": str(error)}
        else:
            notice = "drafted" if form.action == "draft" else "created"
            return RedirectResponse(f"/objectives/{created.key}?notice={notice}", status_code=303)
    draft, drafted = form.draft()
    editor = objectives.objective_editor(
        uow, now.date(), draft=draft, key_results=drafted, viewer=viewer(request)
    )
    checking = form.action == "check"
    return _form_page(
        request, editor, form, errors, now, checked=checking, status_code=200 if checking else 422
    )


@router.get("/objectives/{objective}", response_class=HTMLResponse)
def objective(
    request: Request, objective: str, uow: Uow, now: Now, notice: str | None = None
) -> HTMLResponse:
    """An objective's page: what it is and aligns to, its progress and pace, a card per
    key result with its chart, forecast, history and initiatives, and the advice."""
    view = objectives.objective_page(uow, objective, now, viewer=viewer(request))
    proposed_by = alerts.proposing_alert(uow, objective, viewer=viewer(request))
    cards = [_card(view, s, now) for s in view.state.key_results]
    return page(
        request,
        "objectives/page.html",
        as_of=now,
        nav="cycles",
        view=view,
        o=view.state.stored.objective,
        proposed_by=proposed_by,
        cards=cards,
        expected=_expected(view),
        type_words=TYPE_WORDS,
        status_words=STATUS_WORDS,
        initiative_statuses=INITIATIVE_STATUSES,
        notice=NOTICES.get(notice or ""),
        today=now.date(),
        day=day,
        quote=quote,
    )


@router.get("/objectives/{objective}/edit", response_class=HTMLResponse)
def edit_form(request: Request, objective: str, uow: Uow, now: Now) -> HTMLResponse:
    """The objective's definition in a form, with the version it is based on."""
    editor = objectives.objective_editor(uow, now.date(), objective, viewer=viewer(request))
    assert editor.stored is not None
    return _form_page(request, editor, ObjectiveForm.of(editor.stored), {}, now, key=objective)


@router.post("/objectives/{objective}/edit", response_class=HTMLResponse)
def edit(
    request: Request, objective: str, form: Typed, uow: Uow, now: Now, actor: Actor
) -> Response:
    """Save the edit if nobody changed the objective since the form was opened;
    otherwise say who did and when, and keep what was typed. "Check" shows the advice."""
    form.values["key"] = objective
    changes, errors = form.changes()
    conflict = None
    if form.action != "check" and not errors:
        command = EditObjective(objective, form.version or 0, changes)
        try:
            objectives.edit_objective(uow, command, actor, now)
        except InvalidInput as error:
            errors = form.placed(error)
        except Conflict as error:
            conflict = str(error)
        else:
            return RedirectResponse(f"/objectives/{objective}?notice=saved", status_code=303)
    draft, _ = form.draft(objective)
    editor = objectives.objective_editor(
        uow, now.date(), objective, draft=draft, viewer=viewer(request)
    )
    checking = form.action == "check" and not errors
    status_code = 200 if checking else 409 if conflict else 422
    return _form_page(
        request,
        editor,
        form,
        errors,
        now,
        key=objective,
        conflict=conflict,
        checked=form.action == "check",
        status_code=status_code,
    )


@router.post("/objectives/{objective}/activate", response_class=HTMLResponse)
def activate(
    objective: str, version: Annotated[int, Form()], uow: Uow, now: Now, actor: Actor
) -> Response:
    """A person makes a draft objective active (refused in words when it is not a
    draft, or when someone changed it since the page was opened)."""
    objectives.activate_objective(uow, objective, version, actor, now)
    return RedirectResponse(f"/objectives/{objective}?notice=activated", status_code=303)


@router.get("/objectives/{objective}/carry", response_class=HTMLResponse)
def carry_form(request: Request, objective: str, uow: Uow, now: Now) -> HTMLResponse:
    """What carrying the objective over would do, to choose and confirm: the key
    results to take (each starting where it stands now) and the cycle to take them to."""
    view = objectives.objective_page(uow, objective, now, viewer=viewer(request))
    return _carry_page(request, view, now, {})


@router.post("/objectives/{objective}/carry", response_class=HTMLResponse)
def carry(
    request: Request,
    objective: str,
    uow: Uow,
    now: Now,
    actor: Actor,
    key_results: Annotated[list[str] | None, Form()] = None,
    cycle: Annotated[str, Form(max_length=64)] = "",
    new_key: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Carry the objective over with the key results chosen and go to the copy; on
    errors the confirmation page again, as chosen, nothing written."""
    chosen = [int(v) for v in key_results or () if v.isascii() and v.isdigit()]
    errors: dict[str, str] = {}
    if not chosen:
        errors["key_results"] = "choose at least one key result to carry over"
    else:
        command = CarryOver(
            objective, cycle.strip() or None, tuple(chosen), new_key.strip() or None
        )
        try:
            copy = objectives.carry_over(uow, command, actor, now)
        except InvalidInput as error:
            errors[error.field if error.field in _CARRY_INPUTS else "cycle"] = error.message
        except Conflict as error:
            errors["new_key"] = str(error)
        else:
            return RedirectResponse(
                f"/objectives/{copy.objective.key}?notice=carried", status_code=303
            )
    view = objectives.objective_page(uow, objective, now, viewer=viewer(request))
    choice = _CarryChoice(set(chosen), cycle.strip(), new_key.strip())
    return _carry_page(request, view, now, errors, choice, status_code=422)


# --- Rendering ------------------------------------------------------------------------------


def _form_page(
    request: Request,
    editor: ObjectiveEditor,
    form: ObjectiveForm,
    errors: Mapping[str, str],
    now: datetime,
    *,
    key: str | None = None,
    conflict: str | None = None,
    checked: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    return page(
        request,
        "objectives/form.html",
        status_code,
        nav="cycles",
        editor=editor,
        form=form,
        errors=errors,
        conflict=conflict,
        key=key,
        checked=checked,
        objective_fields={f.name: f for f in OBJECTIVE_FIELDS},
        key_result_fields=KEY_RESULT_FIELDS,
        kpi_options=[(k.kpi.key, f"{k.kpi.name} ({k.kpi.key})") for k in editor.kpis],
        input_name=input_name,
        type_words=TYPE_WORDS,
        today=now.date(),
    )


_CARRY_INPUTS = ("key_results", "cycle", "new_key")


@dataclass(frozen=True)
class _CarryChoice:
    """What the carry-over form holds: the key results chosen, the cycle, the new key."""

    key_results: set[int] | None = None
    cycle: str = ""
    new_key: str = ""


def _carry_page(
    request: Request,
    view: ObjectivePage,
    now: datetime,
    errors: Mapping[str, str],
    choice: _CarryChoice | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    choice = choice or _CarryChoice()
    cycles, proposed = _carry_cycles(view)
    today = now.date()
    rows = []
    for s in view.state.key_results:
        d = s.key_result.definition
        ended = s.key_result.final_value if s.key_result.final_value is not None else s.current
        start = d.start if ended is None or d.guardrail else ended
        reached = start == d.target and not d.guardrail
        if d.guardrail:
            words = f"a guardrail: it keeps holding its start, {_figure(s, d.start)}"
        elif reached:
            words = f"already at its target, {_figure(s, d.target)}: nothing left to carry"
        else:
            words = (
                f"starts from {_figure(s, start)} (where it stands now) toward "
                f"{_figure(s, d.target)}"
            )
        unfinished = not reached and (d.guardrail or s.progress < 1.0)
        picked = unfinished if choice.key_results is None else s.key_result.id in choice.key_results
        rows.append((s, words, picked, reached))
    return page(
        request,
        "objectives/carry.html",
        status_code,
        nav="cycles",
        view=view,
        o=view.state.stored.objective,
        rows=rows,
        cycles=cycles,
        cycle=choice.cycle or proposed,
        new_key=choice.new_key,
        errors=errors,
        today=today,
        day=day,
    )
