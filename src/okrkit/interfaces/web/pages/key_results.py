"""Key result pages: a key result's address, and its create and edit forms.

A key result lives on its objective's page (`/objectives/{objective}#kr-{id}`); its own
address sends the browser there. The forms keep what a person typed and put every error
next to its field; a target changed while the cycle is active is a recalibration and
asks for its reason (the reason's input appears with that request); a change based on a
version someone else has changed since is refused with who changed it and when. After a
successful change the browser goes to the key result on its objective's page (POST,
redirect, GET), so a reload never submits twice.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from okrkit.domain.cycles import CycleState
from okrkit.domain.errors import Conflict, InvalidInput
from okrkit.interfaces.web.deps import Actor, Now, Uow, Who, viewer
from okrkit.interfaces.web.forms.check_ins import MAX_ID
from okrkit.interfaces.web.forms.key_results import (
    REQUIRED,
    KeyResultForm,
    declared,
    field_of,
    other_fields,
)
from okrkit.interfaces.web.pages.rendering import page
from okrkit.services import key_results
from okrkit.services.key_results import AddKeyResult, EditKeyResult, KeyResultEditor

__all__ = [
    "add_key_result",
    "edit_form",
    "edit_key_result",
    "key_result",
    "new_key_result",
    "router",
]

router = APIRouter()

KeyResultId = Annotated[int, Path(ge=1, le=MAX_ID, description="The key result's id.")]


def _form_page(
    request: Request,
    editor: KeyResultEditor,
    form: KeyResultForm,
    errors: dict[str, str],
    *,
    problem: str | None = None,
    conflict: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    stored = editor.stored
    # The reason's input is shown when a recalibration needs it, or was already given.
    recalibrating = stored is not None and (bool(form.reason) or "reason" in errors)
    return page(
        request,
        "key_results/form.html",
        status_code,
        nav="cycles",
        editor=editor,
        form=form,
        errors=errors,
        problem=problem,
        conflict=conflict,
        recalibrating=recalibrating,
        active=editor.cycle.state == CycleState.ACTIVE,
        fields=declared(),
        other_fields=other_fields(),
        required=REQUIRED,
    )


def _anchor(objective: str, id: int) -> str:
    return f"/objectives/{objective}#kr-{id}"


@router.get("/key-results/{id}", response_class=RedirectResponse)
def key_result(id: KeyResultId, uow: Uow, who: Who) -> RedirectResponse:
    """A key result's address: its place on its objective's page."""
    editor = key_results.key_result_editor(uow, id=id, viewer=who)
    return RedirectResponse(_anchor(editor.objective.objective.key, id), status_code=303)


@router.get("/objectives/{objective}/key-results/new", response_class=HTMLResponse)
def new_key_result(request: Request, objective: str, uow: Uow) -> HTMLResponse:
    """An empty form for a new key result of an objective, its deadline the cycle's
    last day."""
    editor = key_results.key_result_editor(uow, objective=objective, viewer=viewer(request))
    return _form_page(request, editor, KeyResultForm.new(editor.cycle.cycle.end), {})


def _placed(error: InvalidInput) -> dict[str, str]:
    return {field_of(error): error.message}


@router.post("/objectives/{objective}/key-results", response_class=HTMLResponse)
def add_key_result(
    request: Request,
    objective: str,
    form: Annotated[KeyResultForm, Form()],
    uow: Uow,
    now: Now,
    actor: Actor,
) -> Response:
    """Add the key result last in its objective and go to it on the objective's page;
    on errors show the form again as typed."""
    definition, errors = form.to_definition()
    problem = None
    if definition is not None:
        try:
            stored = key_results.add_key_result(
                uow, AddKeyResult(objective, definition), actor, now
            )
        except InvalidInput as error:
            errors = _placed(error)
        except Conflict as error:
            problem = str(error)
        else:
            return RedirectResponse(_anchor(objective, stored.id), status_code=303)
    editor = key_results.key_result_editor(uow, objective=objective, viewer=viewer(request))
    status_code = 409 if problem else 422
    return _form_page(request, editor, form, errors, problem=problem, status_code=status_code)


@router.get("/key-results/{id}/edit", response_class=HTMLResponse)
def edit_form(request: Request, id: KeyResultId, uow: Uow) -> HTMLResponse:
    """The key result's definition in a form, with the version it is based on."""
    editor = key_results.key_result_editor(uow, id=id, viewer=viewer(request))
    assert editor.stored is not None
    return _form_page(request, editor, KeyResultForm.of(editor.stored), {})


@router.post("/key-results/{id}/edit", response_class=HTMLResponse)
def edit_key_result(
    request: Request,
    id: KeyResultId,
    form: Annotated[KeyResultForm, Form()],
    uow: Uow,
    now: Now,
    actor: Actor,
) -> Response:
    """Save the edit if nobody changed the key result since the form was opened (a new
    target mid-cycle with its reason); otherwise say who changed it and when, and keep
    what was typed."""
    definition, errors = form.to_definition()
    problem = None
    if definition is not None:
        command = EditKeyResult(id, form.version or 0, form.changes(definition), form.reason)
        try:
            stored = key_results.edit_key_result(uow, command, actor, now)
        except InvalidInput as error:
            errors = _placed(error)
        except Conflict as error:
            problem = str(error)
        else:
            return RedirectResponse(_anchor(stored.objective, id), status_code=303)
    editor = key_results.key_result_editor(uow, id=id, viewer=viewer(request))
    assert editor.stored is not None
    # Based on a version someone has changed since: say who and when, whatever else was
    # refused (a recalibration's missing reason is checked before the version). Any
    # other refusal (a closed cycle, a scored objective) is a rule, said as it is.
    revision = editor.stored.revision
    conflict = None
    if revision.version != form.version:
        conflict = str(revision.conflict(f"key result {id}", form.version or 0))
        problem = None
    return _form_page(
        request,
        editor,
        form,
        errors,
        problem=problem,
        conflict=conflict,
        status_code=409 if problem or conflict else 422,
    )
