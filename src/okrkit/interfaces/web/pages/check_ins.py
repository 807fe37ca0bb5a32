"""Check-in pages: My week, where a person checks in on every key result they own with
one form, and the form for one key result's check-in.

Beside every input stands what the person needs to fill it in: the last check-in's
value with its date and its confidence, where the key result stands (progress, pace in
words, the forecast at its deadline) and whether a check-in is due. A key result fed by
a KPI has no value input: its value is the KPI's newest, and the check-in adds a
confidence and a note. A week is recorded all or nothing: on any error the form comes
back as typed, each error beside its input, and nothing is written. After a successful
submit the browser is sent back (POST, redirect, GET), so a reload never records twice.

My week opens on the signed-in person's own key results (those owned under their
e-mail); another owner's week is chosen by name, from the owners that exist. Every
check-in is recorded under the signed-in person, whoever's week it is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, NamedTuple
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

import okrkit.interfaces.web.pages.present as present
from okrkit.domain.check_ins import CheckIn
from okrkit.domain.cycles import CycleState, StoredCycle
from okrkit.domain.errors import Conflict, InvalidInput, NotFound
from okrkit.domain.key_results import KeyResultDefinition
from okrkit.domain.objectives import ObjectiveStatus, StoredObjective
from okrkit.domain.progress import KeyResultType
from okrkit.interfaces import formatting as fmt
from okrkit.interfaces.web.deps import Actor, Now, Uow, viewer
from okrkit.interfaces.web.forms.check_ins import (
    MAX_ID,
    PARTS,
    CheckInForm,
    WeekForm,
    input_name,
)
from okrkit.interfaces.web.pages.rendering import page
from okrkit.services import check_ins, key_results
from okrkit.services.check_ins import Week
from okrkit.services.key_results import KeyResultState, KeyResultView

__all__ = [
    "CheckInRow",
    "Posted",
    "check_in",
    "check_in_form",
    "check_in_row",
    "in_unit",
    "posted_form",
    "record_week",
    "router",
    "week",
]

router = APIRouter()

KeyResultId = Annotated[int, Path(ge=1, le=MAX_ID, description="The key result's id.")]
# An owner is an e-mail address or a name (KeyResultDefinition.owner: at most 254).
OwnerQuery = Annotated[str, Query(max_length=254)]


async def posted_form(request: Request) -> dict[str, str]:
    """A posted form's text inputs by name (My week's inputs are named by key result, so
    they are read as a whole rather than declared one by one)."""
    form = await request.form()
    return {name: value for name, value in form.items() if isinstance(value, str)}


Posted = Annotated[dict[str, str], Depends(posted_form)]


# --- What a row of the form shows -------------------------------------------------------

# Units the number formatting writes itself ("12.0%", "$48.2k", "212 ms").
_FORMATTED_UNITS = {"percent", "currency", "ms", "hours", "count", "score", "ratio"}


def in_unit(value: float | None, definition: KeyResultDefinition) -> str:
    """A key result's value as a person reads it: in its unit ("58.0%", "7.5 min"),
    done or not for a boolean, steps done for a milestone."""
    if value is None:
        return "—"
    if definition.type == KeyResultType.BOOLEAN:
        return "done" if value >= 1 else "not done"
    if definition.type == KeyResultType.MILESTONE:
        total = len(definition.steps) if definition.steps is not None else 0
        return f"{value:g} of {total} step{'' if total == 1 else 's'} done"
    unit = definition.unit.strip()
    if unit in _FORMATTED_UNITS:
        return fmt.number(value, unit)
    # Other units (minutes, users, points) to two decimals at most: 7.5 min, 1.29 min.
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.2f}".rstrip("0").rstrip(".")
    text = text.replace("-", "\N{MINUS SIGN}", 1) if text not in ("-0", "0") else "0"
    return f"{text} {unit}" if unit else text


def _day(at: datetime) -> str:
    return at.date().isoformat()


@dataclass(frozen=True)
class CheckInRow:
    """One key result as a check-in form shows it: where it stands, in words, and what
    its inputs need."""

    state: KeyResultState
    objective: StoredObjective
    cycle: StoredCycle
    deadline: date
    unit: str
    current: str
    target: str
    last: str
    last_confidence: str
    forecast: str
    kpi: str | None
    value_hint: str
    open: str | None
    history: tuple[CheckIn, ...] = ()

    @property
    def id(self) -> int:
        return self.state.key_result.id

    @property
    def definition(self) -> KeyResultDefinition:
        return self.state.key_result.definition

    def recent(self, count: int = 5) -> tuple[CheckIn, ...]:
        """The newest check-ins of `history` (when given), newest first."""
        return tuple(reversed(self.history[-count:]))


def _forecast_words(state: KeyResultState, deadline: date) -> str:
    d = state.key_result.definition
    if d.guardrail:
        start = in_unit(d.start, d)
        if state.breached:
            return f"Guardrail breached: worse than its start {start}"
        return f"Guardrail holds: no worse than its start {start}"
    f = state.forecast
    if f.forecast is None:
        return f"No forecast yet: {f.reason}" if f.reason else "No forecast yet"
    words = f"Forecast by {deadline.isoformat()}: {in_unit(f.forecast, d)}"
    if f.lower is not None and f.upper is not None:
        lower, upper = in_unit(f.lower, d), in_unit(f.upper, d)
        # Check-ins on a perfect line have no spread: an interval of one value says nothing.
        if lower != upper:
            words += f" (95 % interval {lower} to {upper})"
    if f.probability is not None:
        words += f"; {present.percent(f.probability)} chance of reaching {in_unit(d.target, d)}"
    return words


def _value_hint(definition: KeyResultDefinition) -> str:
    """What a value means where the unit does not say it ('' for a number in its unit)."""
    if definition.type == KeyResultType.BOOLEAN:
        return "1 when done, 0 when not yet"
    if definition.type == KeyResultType.MILESTONE:
        total = len(definition.steps) if definition.steps is not None else 0
        return f"steps done so far, 0 to {total}"
    return ""


def _open(objective: StoredObjective, cycle: StoredCycle) -> str | None:
    """Why no check-in can be recorded now, or None when one can."""
    if cycle.state == CycleState.CLOSED:
        return f"Cycle {cycle.cycle.name} is closed: its check-ins are on record."
    if objective.status != ObjectiveStatus.ACTIVE:
        return f"This objective is {objective.status}: check-ins go to active objectives" + (
            " (activate it on its page)." if objective.status == ObjectiveStatus.DRAFT else "."
        )
    return None


def check_in_row(
    state: KeyResultState,
    objective: StoredObjective,
    cycle: StoredCycle,
    kpi_name: str | None = None,
    history: Sequence[CheckIn] = (),
) -> CheckInRow:
    """A key result judged as of now, as a check-in form shows it (with its check-ins
    as written, when given)."""
    d = state.key_result.definition
    deadline = d.deadline or cycle.cycle.end
    last = state.last_check_in
    kpi = None
    if d.kpi is not None or state.private_kpi:
        # A private KPI the reader may not see is not named (`seen_key_result`).
        name = "a private KPI" if state.private_kpi else f"KPI {kpi_name or d.kpi}"
        kpi = (
            f"From {name}: newest value {in_unit(state.current, d)}"
            if state.current is not None
            else f"From {name}, which has no values yet"
        )
    return CheckInRow(
        state=state,
        objective=objective,
        cycle=cycle,
        deadline=deadline,
        unit=d.unit.strip() or ("done or not" if d.type == KeyResultType.BOOLEAN else "—"),
        current=in_unit(state.current, d),
        target=in_unit(d.target, d),
        last=(
            f"{in_unit(last.value, d)} on {_day(last.at)}"
            if last is not None
            else "no check-in yet"
        ),
        last_confidence=(
            f"{last.confidence:g}/10 on {_day(last.at)}"
            if last is not None and last.confidence is not None
            else "none given"
        ),
        forecast=_forecast_words(state, deadline),
        kpi=kpi,
        value_hint=_value_hint(d),
        open=_open(objective, cycle),
        history=tuple(history),
    )


# --- My week ------------------------------------------------------------------------------


class _Problem(NamedTuple):
    """One error of the form, for the summary at its top: the input it links to."""

    anchor: str
    label: str
    message: str


def _problems(errors: Mapping[str, str], rows: Sequence[CheckInRow]) -> list[_Problem]:
    """The errors in the order of the form, each named by its key result and input."""
    words = {"value": "value", "confidence": "confidence", "note": "note"}
    found: list[_Problem] = []
    shown = set()
    for row in rows:
        for part in PARTS:
            name = input_name(row.id, part)
            if name in errors:
                title = row.definition.title
                found.append(
                    _Problem(f"kr-{row.id}-{part}", f"{title}, {words[part]}", errors[name])
                )
                shown.add(name)
    for name, message in errors.items():
        if name not in shown:
            found.insert(0, _Problem("week-form", "The form", message))
    return found


def _week_page(
    request: Request,
    view: Week,
    now: datetime,
    form: WeekForm,
    errors: Mapping[str, str],
    *,
    notice: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    rows = [
        check_in_row(
            r.state,
            r.objective,
            r.cycle,
            view.kpi_names.get(r.state.key_result.definition.kpi or ""),
        )
        for r in view.rows
    ]
    groups: list[tuple[StoredObjective, list[CheckInRow]]] = []
    for row in rows:
        if groups and groups[-1][0].objective.key == row.objective.objective.key:
            groups[-1][1].append(row)
        else:
            groups.append((row.objective, [row]))
    return page(
        request,
        "check_ins/week.html",
        status_code,
        as_of=now,
        nav="week",
        view=view,
        groups=groups,
        rows=rows,
        due=sum(1 for r in rows if r.state.check_in_due),
        form=form,
        errors=errors,
        problems=_problems(errors, rows),
        invalid={r.id for r in rows if any(input_name(r.id, p) in errors for p in PARTS)},
        input_name=input_name,
        in_unit=in_unit,
        notice=notice,
    )


@router.get("/me/week", response_class=HTMLResponse)
def week(
    request: Request,
    uow: Uow,
    now: Now,
    owner: OwnerQuery = "",
    recorded: Annotated[int | None, Query(ge=0, le=10_000)] = None,
) -> HTMLResponse:
    """My week: whose week is chosen (`?owner=noah@example.com`; by default one's own),
    then one form to check in on every key result they own in the active cycles."""
    chosen = owner.strip() or None
    view = check_ins.my_week(uow, chosen, now, viewer=viewer(request))
    notice = None
    if recorded is not None:
        notice = f"Recorded {recorded} check-in{'' if recorded == 1 else 's'}."
    return _week_page(request, view, now, WeekForm(view.owner or "", {}), {}, notice=notice)


def _week_address(owner: str, **extra: object) -> str:
    query = urlencode({**({"owner": owner} if owner else {}), **extra})
    return "/me/week" + (f"?{query}" if query else "")


@router.post("/me/week", response_class=HTMLResponse)
def record_week(request: Request, posted: Posted, uow: Uow, now: Now, actor: Actor) -> Response:
    """Record every row that is not blank, all or nothing; then back to My week with a
    notice of how many were recorded. On errors, the form as typed, each error at its
    input, nothing written."""
    form = WeekForm.of(posted)
    commands, errors = form.commands()
    status_code = 422
    if not errors and not commands:
        errors = {"": "nothing to check in: give a value, a confidence or a note"}
    elif not errors:
        try:
            count = check_ins.record_week(uow, commands, actor, now)
        except InvalidInput as error:
            errors = {error.field or "": error.message}
        except (Conflict, NotFound) as error:
            errors = {"": str(error)}
            status_code = 409 if isinstance(error, Conflict) else 422
        else:
            return RedirectResponse(_week_address(form.owner, recorded=count), status_code=303)
    view = check_ins.my_week(uow, form.owner or None, now, viewer=viewer(request))
    return _week_page(request, view, now, form, errors, status_code=status_code)


# --- One key result's check-in -------------------------------------------------------------


def _check_in_page(
    request: Request,
    view: KeyResultView,
    now: datetime,
    form: CheckInForm,
    errors: Mapping[str, str],
    *,
    status_code: int = 200,
) -> HTMLResponse:
    row = check_in_row(view.state, view.objective, view.cycle, view.kpi_name, view.check_ins)
    return page(
        request,
        "check_ins/form.html",
        status_code,
        as_of=now,
        nav="cycles",
        row=row,
        form=form,
        errors=errors,
        in_unit=in_unit,
    )


@router.get("/key-results/{id}/check-in", response_class=HTMLResponse)
def check_in_form(request: Request, id: KeyResultId, uow: Uow, now: Now) -> HTMLResponse:
    """The form for one key result's check-in, with where it stands and its last
    check-ins beside the inputs."""
    view = key_results.key_result_view(uow, id, now, viewer=viewer(request))
    return _check_in_page(request, view, now, CheckInForm(), {})


@router.post("/key-results/{id}/check-in", response_class=HTMLResponse)
def check_in(
    request: Request, id: KeyResultId, posted: Posted, uow: Uow, now: Now, actor: Actor
) -> Response:
    """Record the check-in and go to the key result on its objective's page; on errors
    show the form again as typed, each error at its input."""
    form = CheckInForm.of(posted)
    command, errors = form.command(id)
    status_code = 422
    if command is not None:
        try:
            state = check_ins.record_check_in(uow, command, actor, now)
        except InvalidInput as error:
            errors = {error.field or "": error.message}
        except Conflict as error:
            errors = {"": str(error)}
            status_code = 409
        else:
            kr = state.key_result
            return RedirectResponse(f"/objectives/{kr.objective}#kr-{kr.id}", status_code=303)
    view = key_results.key_result_view(uow, id, now, viewer=viewer(request))
    return _check_in_page(request, view, now, form, errors, status_code=status_code)
