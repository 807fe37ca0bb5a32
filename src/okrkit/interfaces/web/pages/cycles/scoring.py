"""Scoring a cycle's objectives at its end: each key result's score proposed from its
progress and editable with a reason, the retrospective, and "score" or "score and close",
one objective at a time. A form with errors (a changed score without a reason, a
committed objective under 1.0 closed without an explanation) is shown again as typed
with each error at its input, and nothing is written."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict

from okrkit.domain.check_ins import checked_note
from okrkit.domain.errors import Conflict, InvalidInput
from okrkit.interfaces.web.deps import Actor, Now, Uow, viewer
from okrkit.interfaces.web.pages.cycles.views import page_context, paging
from okrkit.interfaces.web.pages.kpis import page_number
from okrkit.interfaces.web.pages.rendering import page
from okrkit.services import cycles
from okrkit.services.objectives import ScoreObjective, score_objective
from okrkit.services.ports import UnitOfWork

__all__ = ["ScoreForm", "router", "score", "scoring"]

router = APIRouter()


class ScoreForm(BaseModel):
    """One objective's scoring form as typed: the key results' ids with their scores and
    reasons side by side (in the page's order), the retrospective, and which button."""

    model_config = ConfigDict(str_strip_whitespace=True)

    version: int
    kr: list[int] = []
    score: list[str] = []
    reason: list[str] = []
    retrospective: str = ""
    action: str = "score"
    page: str = "1"

    def typed(self) -> dict[str, str]:
        """What was typed, by input name, to show the form again."""
        values = {"retrospective": self.retrospective}
        for kr_id, score, reason in zip(self.kr, self.score, self.reason, strict=False):
            values[f"score-{kr_id}"] = score
            values[f"reason-{kr_id}"] = reason
        return values

    def command(self, key: str) -> tuple[ScoreObjective | None, dict[str, str]]:
        """The scoring to do, or every error found, each under its input."""
        errors: dict[str, str] = {}
        if not len(self.kr) == len(self.score) == len(self.reason):
            errors[""] = "the form came incomplete: reload the page and score again"
        scores: dict[int, tuple[float, str]] = {}
        for kr_id, text, reason in zip(self.kr, self.score, self.reason, strict=False):
            try:
                reason = checked_note(reason)
            except InvalidInput as error:
                errors[f"reason-{kr_id}"] = error.message.replace("note", "reason")
            if not text:
                continue
            try:
                value = float(text.replace(",", "."))
            except ValueError:
                value = math.nan
            if not math.isfinite(value):
                errors[f"score-{kr_id}"] = (
                    f"{text!r} is not a score: write a number from 0.0 to 1.0, e.g. 0.7"
                )
                continue
            scores[kr_id] = (value, reason)
        try:
            retrospective = checked_note(self.retrospective)
        except InvalidInput as error:
            errors["retrospective"] = error.message.replace("note", "retrospective")
        if errors:
            return None, errors
        return ScoreObjective(
            key, self.version, scores, retrospective, close=self.action == "close"
        ), {}


def _placed(error: InvalidInput) -> dict[str, str]:
    """A scoring error under its input: a key result's score, the retrospective, or the
    top of the objective's form."""
    field = error.field or ""
    if field.startswith("scores."):
        return {f"score-{field.removeprefix('scores.')}": error.message}
    if field == "retrospective":
        return {"retrospective": error.message}
    return {"": error.message}


def _scoring_page(
    request: Request,
    uow: UnitOfWork,
    cycle: str,
    now: datetime,
    number: int,
    *,
    errors: Mapping[str, Mapping[str, str]] | None = None,
    typed: Mapping[str, Mapping[str, str]] | None = None,
    conflict: Mapping[str, str] | None = None,
    notice: str | None = None,
    done: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    view = cycles.cycle_overview(
        uow,
        cycle,
        now,
        viewer=viewer(request),
        offset=(number - 1) * cycles.PAGE_SIZE,
        limit=cycles.PAGE_SIZE,
    )
    return page(
        request,
        "cycles/scoring.html",
        status_code,
        as_of=now,
        view=view,
        paging=paging(f"/cycles/{cycle}/scoring", view, number),
        errors=errors or {},
        typed=typed or {},
        conflict=conflict or {},
        notice=notice,
        done=done,
        **page_context(now),
    )


@router.get("/cycles/{cycle}/scoring", response_class=HTMLResponse)
def scoring(
    request: Request,
    cycle: str,
    uow: Uow,
    now: Now,
    page_text: Annotated[str, Query(alias="page")] = "1",
    notice: str | None = None,
    done: str | None = None,
    scored: int | None = None,
) -> HTMLResponse:
    """A cycle's objectives to score: each key result's proposed score (its progress),
    editable with a reason, the retrospective, and each objective's grade once scored."""
    message = None
    if notice == "closed":
        count = scored or 0
        message = "Cycle closed. " + (
            f"{count} objective{'' if count == 1 else 's'} still active "
            f"{'was' if count == 1 else 'were'} scored with the scores their key "
            "results' progress proposed."
            if count
            else "No objective was left to score."
        )
    elif notice in ("scored", "closed-objective"):
        message = "Scored." if notice == "scored" else "Scored and closed."
    return _scoring_page(
        request, uow, cycle, now, page_number(page_text), notice=message, done=done
    )


@router.post("/cycles/{cycle}/scoring/{objective}", response_class=HTMLResponse)
def score(
    request: Request,
    cycle: str,
    objective: str,
    form: Annotated[ScoreForm, Form()],
    uow: Uow,
    now: Now,
    actor: Actor,
) -> Response:
    """Score one objective (and close it when asked); on errors show the scoring page
    again with what was typed and each error at its input — nothing is written."""
    number = page_number(form.page)
    command, errors = form.command(objective)
    conflict = None
    if command is not None:
        try:
            score_objective(uow, command, actor, now)
        except InvalidInput as error:
            errors = _placed(error)
        except Conflict as error:
            conflict = str(error)
        else:
            notice = "closed-objective" if command.close else "scored"
            query = urlencode({"page": number, "notice": notice, "done": objective})
            return RedirectResponse(
                f"/cycles/{cycle}/scoring?{query}#o-{objective}", status_code=303
            )
    return _scoring_page(
        request,
        uow,
        cycle,
        now,
        number,
        errors={objective: errors},
        typed={objective: form.typed()},
        conflict={objective: conflict} if conflict else None,
        status_code=409 if conflict else 422,
    )
