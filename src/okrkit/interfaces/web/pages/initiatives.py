"""Initiative pages: adding the work under a key result (posted from its objective's
page) and editing it.

The forms keep what a person typed and put every error next to its field; an edit based
on a version someone else has changed since is refused with who changed it and when.
After a successful change the browser goes to the key result on its objective's page
(POST, redirect, GET), so a reload never submits twice.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from okrkit.domain.errors import Conflict, InvalidInput
from okrkit.interfaces.web.deps import Actor, Now, Uow, viewer
from okrkit.interfaces.web.forms.check_ins import MAX_ID
from okrkit.interfaces.web.forms.initiatives import STATUS_WORDS, InitiativeForm
from okrkit.interfaces.web.pages.rendering import page
from okrkit.services import initiatives
from okrkit.services.initiatives import InitiativeEditor

__all__ = ["add_initiative", "edit_form", "edit_initiative", "router"]

router = APIRouter()

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
_FIELDS = ("title", "status", "url")


def _form_page(
    request: Request,
    editor: InitiativeEditor,
    form: InitiativeForm,
    errors: dict[str, str],
    *,
    conflict: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return page(
        request,
        "initiatives/form.html",
        status_code,
        nav="cycles",
        editor=editor,
        form=form,
        errors=errors,
        conflict=conflict,
        statuses=STATUS_WORDS,
    )


def _placed(error: InvalidInput) -> dict[str, str]:
    return {error.field if error.field in _FIELDS else "": error.message}


def _anchor(editor: InitiativeEditor) -> str:
    return f"/objectives/{editor.objective.objective.key}#kr-{editor.key_result.id}"


@router.post("/key-results/{id}/initiatives", response_class=HTMLResponse)
def add_initiative(
    request: Request,
    id: Id,
    form: Annotated[InitiativeForm, Form()],
    uow: Uow,
    now: Now,
    actor: Actor,
) -> Response:
    """Add an initiative under the key result and go back to it on its objective's page;
    on errors show the form again as typed."""
    editor = initiatives.initiative_editor(uow, key_result=id, viewer=viewer(request))
    command, errors = form.to_add(id)
    if command is not None:
        try:
            initiatives.add_initiative(uow, command, actor, now)
        except InvalidInput as error:
            errors = _placed(error)
        else:
            return RedirectResponse(_anchor(editor), status_code=303)
    return _form_page(request, editor, form, errors, status_code=422)


@router.get("/initiatives/{id}/edit", response_class=HTMLResponse)
def edit_form(request: Request, id: Id, uow: Uow) -> HTMLResponse:
    """The initiative in a form, with the version it is based on."""
    editor = initiatives.initiative_editor(uow, initiative=id, viewer=viewer(request))
    assert editor.initiative is not None
    return _form_page(request, editor, InitiativeForm.of(editor.initiative), {})


@router.post("/initiatives/{id}/edit", response_class=HTMLResponse)
def edit_initiative(
    request: Request,
    id: Id,
    form: Annotated[InitiativeForm, Form()],
    uow: Uow,
    now: Now,
    actor: Actor,
) -> Response:
    """Save the edit if nobody changed the initiative since the form was opened;
    otherwise say who changed it and when, and keep what was typed."""
    editor = initiatives.initiative_editor(uow, initiative=id, viewer=viewer(request))
    command, errors = form.to_edit(id)
    conflict = None
    if command is not None:
        try:
            initiatives.edit_initiative(uow, command, actor, now)
        except InvalidInput as error:
            errors = _placed(error)
        except Conflict as error:
            conflict = str(error)
        else:
            return RedirectResponse(_anchor(editor), status_code=303)
    return _form_page(
        request, editor, form, errors, conflict=conflict, status_code=409 if conflict else 422
    )
