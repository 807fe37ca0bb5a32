"""Adding, starting and closing a cycle: the new-cycle form (errors at their inputs, the
form as typed, nothing written), start as a button, and closing confirmed on a page of its
own that says what closing does. Every change redirects to a page (POST, redirect, GET).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict

from okrkit.domain.cycles import CycleState
from okrkit.domain.errors import Conflict, InvalidInput
from okrkit.interfaces.web.deps import Actor, Now, Uow
from okrkit.interfaces.web.pages.cycles.views import page_context
from okrkit.interfaces.web.pages.rendering import page
from okrkit.services import cycles
from okrkit.services.cycles import CreateCycle

__all__ = [
    "CycleForm",
    "close_cycle",
    "close_form",
    "create_cycle",
    "new_cycle",
    "router",
    "start_cycle",
]

router = APIRouter()


class CycleForm(BaseModel):
    """The new-cycle form as typed: a quarter's name alone (`2026-Q3`), or any name
    with its first and last days; and the state it starts in."""

    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = ""
    start: str = ""
    end: str = ""
    state: str = CycleState.PLANNING.value

    def command(self) -> tuple[CreateCycle | None, dict[str, str]]:
        """The cycle to add, or every error found, each under its input."""
        errors: dict[str, str] = {}
        if not self.name:
            errors["name"] = "a cycle needs a name: a quarter like 2026-Q3, or a name of your own"
        days: dict[str, date | None] = {}
        for field in ("start", "end"):
            text = getattr(self, field)
            try:
                days[field] = date.fromisoformat(text) if text else None
            except ValueError:
                errors[field] = f"{text!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-07-01"
        try:
            state = CycleState(self.state)
        except ValueError:
            errors["state"] = f"{self.state!r} is not a state: planning, active or closed"
        if errors:
            return None, errors
        return CreateCycle(self.name, days["start"], days["end"], state), {}


def _cycle_form(
    request: Request, form: CycleForm, errors: dict[str, str], status_code: int = 200
) -> HTMLResponse:
    return page(request, "cycles/form.html", status_code, form=form, errors=errors)


@router.get("/cycles/new", response_class=HTMLResponse)
def new_cycle(request: Request) -> HTMLResponse:
    """An empty form for a new cycle (its router is included before the
    overview's, whose `/cycles/{cycle}` would take "new" for a cycle's name)."""
    return _cycle_form(request, CycleForm(), {})


@router.post("/cycles", response_class=HTMLResponse)
def create_cycle(
    request: Request, form: Annotated[CycleForm, Form()], uow: Uow, now: Now, actor: Actor
) -> Response:
    """Add the cycle and go to its overview; on errors show the form again as typed."""
    command, errors = form.command()
    if command is not None:
        try:
            stored = cycles.create_cycle(uow, command, actor, now)
        except InvalidInput as error:
            errors = {
                error.field if error.field in ("start", "end", "state") else "name": error.message
            }
        except Conflict as error:
            errors = {"name": str(error)}
        else:
            return RedirectResponse(f"/cycles/{stored.cycle.name}?notice=created", status_code=303)
    return _cycle_form(request, form, errors, 422)


@router.post("/cycles/{cycle}/start", response_class=HTMLResponse)
def start_cycle(
    cycle: str, version: Annotated[int, Form()], uow: Uow, now: Now, actor: Actor
) -> Response:
    """A planned cycle becomes active; back to its overview."""
    cycles.start_cycle(uow, cycle, version, actor, now)
    return RedirectResponse(f"/cycles/{cycle}?notice=started", status_code=303)


@router.get("/cycles/{cycle}/close", response_class=HTMLResponse)
def close_form(request: Request, cycle: str, uow: Uow, now: Now) -> HTMLResponse:
    """Closing a cycle, confirmed on a page of its own that says what closing does."""
    stored = cycles.get_cycle(uow, cycle)
    return page(request, "cycles/close.html", stored=stored, **page_context(now))


@router.post("/cycles/{cycle}/close", response_class=HTMLResponse)
def close_cycle(
    cycle: str, version: Annotated[int, Form()], uow: Uow, now: Now, actor: Actor
) -> Response:
    """Close the cycle (scoring what is left) and show its scoring page."""
    closed = cycles.close_cycle(uow, cycle, version, actor, now)
    return RedirectResponse(
        f"/cycles/{cycle}/scoring?notice=closed&scored={len(closed.scored)}", status_code=303
    )
