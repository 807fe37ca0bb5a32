"""`/api/v1/objectives`: objectives with their key results — listed by cycle, team,
owner, type and status a page at a time, created with their key results in one
request, read judged as of now, changed in part, activated, scored and carried over.

Paging: `offset` and `limit` in the query; the body of a page says how many objectives
the filters hold (`total`) and where the next page starts (`next_offset`), as a KPI's
values do.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Response

from okrkit.domain.fields import fields_of
from okrkit.domain.grading import ObjectiveType
from okrkit.domain.keys import MAX_KEY_LENGTH
from okrkit.domain.objectives import Objective, ObjectiveStatus
from okrkit.interfaces.web.deps import Actor, IfMatch, Now, Uow, Who, based_on, tag
from okrkit.interfaces.web.problems import documented
from okrkit.interfaces.web.schemas.common import VersionBody
from okrkit.interfaces.web.schemas.objectives import (
    CarryIn,
    ObjectiveCreate,
    ObjectiveDetail,
    ObjectiveOut,
    ObjectivePageOut,
    ObjectivePatch,
    ScoredOut,
    ScoreIn,
    objective_detail,
    objective_page,
    scored,
)
from okrkit.services import objectives
from okrkit.services.cycles import MAX_PAGE
from okrkit.services.ports import ObjectiveQuery

__all__ = [
    "activate_objective",
    "carry_over",
    "create_objective",
    "edit_objective",
    "get_objective",
    "list_objectives",
    "router",
    "score_objective",
]

# An owner is named as the declarations bound it; a filter longer than that names nobody.
_OWNER = next(f.max_length for f in fields_of(Objective) if f.name == "owner")

router = APIRouter(prefix="/objectives", tags=["objectives"])


def _located(response: Response, key: str, version: int) -> None:
    response.headers["Location"] = f"/api/v1/objectives/{key}"
    tag(response, version)


@router.get("", responses=documented(422))
def list_objectives(
    uow: Uow,
    who: Who,
    now: Now,
    cycle: Annotated[
        str | None, Query(max_length=MAX_KEY_LENGTH, description="Of this cycle.")
    ] = None,
    team: Annotated[
        str | None, Query(max_length=MAX_KEY_LENGTH, description="Of this team (its key).")
    ] = None,
    owner: Annotated[str | None, Query(max_length=_OWNER, description="Owned by.")] = None,
    type: Annotated[ObjectiveType | None, Query(description="Of this type.")] = None,
    status: Annotated[ObjectiveStatus | None, Query(description="In this status.")] = None,
    offset: Annotated[int, Query(ge=0, description="How many to skip.")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="A page's size.")] = 50,
) -> ObjectivePageOut:
    """A page of objectives judged as of now, by team then title, each with its key
    results; `total` counts all that the filters hold."""
    query = ObjectiveQuery(
        cycle=cycle,
        team=team,
        owner=owner,
        type=None if type is None else type.value,
        status=None if status is None else status.value,
    )
    states, total = objectives.list_objectives(
        uow, query, now, viewer=who, offset=offset, limit=limit
    )
    return objective_page(states, total, offset, limit)


@router.post("", status_code=201, responses=documented(409, 422))
def create_objective(
    body: ObjectiveCreate, uow: Uow, actor: Actor, now: Now, response: Response
) -> ObjectiveDetail:
    """Create an objective with its key results, all or none: an error names its field
    (a key result's by its place, `key_results[1].target`). 409 when the key is taken.
    The answer is the objective as `GET` of its `Location` gives it: its key results
    with their ids (check-ins are posted to them), judged as of now."""
    state = objectives.create_objective(uow, body.to_command(), actor, now)
    _located(response, state.stored.objective.key, state.stored.revision.version)
    return objective_detail(state)


@router.get("/{objective}", responses=documented(404))
def get_objective(
    objective: str, uow: Uow, who: Who, now: Now, response: Response
) -> ObjectiveDetail:
    """An objective judged as of now: progress, pace, guardrails, check-ins due, and each
    key result with its forecast; its ETag is the objective's version."""
    state = objectives.get_objective(uow, objective, now, viewer=who)
    tag(response, state.stored.revision.version)
    return objective_detail(state)


@router.patch("/{objective}", responses=documented(404, 409, 422, 428))
def edit_objective(
    objective: str,
    body: ObjectivePatch,
    uow: Uow,
    actor: Actor,
    now: Now,
    if_match: IfMatch,
    response: Response,
) -> ObjectiveOut:
    """Change some fields of an objective; `parent` is an objective's key or one of its
    key results as `key#id`, null aligns it to nothing. A scored objective is on record
    (409)."""
    command = body.to_command(objective, based_on(if_match, body.version))
    stored = objectives.edit_objective(uow, command, actor, now)
    tag(response, stored.revision.version)
    return ObjectiveOut.from_stored(stored)


@router.post("/{objective}/activate", responses=documented(404, 409, 422, 428))
def activate_objective(
    objective: str,
    uow: Uow,
    actor: Actor,
    now: Now,
    if_match: IfMatch,
    response: Response,
    body: Annotated[VersionBody | None, Body()] = None,
) -> ObjectiveOut:
    """A person makes a draft objective active (a draft is never activated without one)."""
    version = based_on(if_match, None if body is None else body.version)
    stored = objectives.activate_objective(uow, objective, version, actor, now)
    tag(response, stored.revision.version)
    return ObjectiveOut.from_stored(stored)


@router.post("/{objective}/score", responses=documented(404, 409, 422, 428))
def score_objective(
    objective: str,
    body: ScoreIn,
    uow: Uow,
    actor: Actor,
    now: Now,
    if_match: IfMatch,
    response: Response,
) -> ScoredOut:
    """Score an objective: each key result takes the score its progress proposes, or
    the one given with a reason; `close: true` closes it too, once a committed objective
    under 1.0 or a learning one has its retrospective."""
    command = body.to_command(objective, based_on(if_match, body.version))
    result = objectives.score_objective(uow, command, actor, now)
    tag(response, result.objective.revision.version)
    return scored(result)


@router.post("/{objective}/carry", status_code=201, responses=documented(404, 409, 422))
def carry_over(
    objective: str,
    uow: Uow,
    actor: Actor,
    now: Now,
    response: Response,
    body: Annotated[CarryIn | None, Body()] = None,
) -> ObjectiveOut:
    """Carry an unfinished objective into another cycle (the next one by default): a
    copy linked back to it, with the key results chosen each starting where it ended.
    The original is not changed, so no version is asked for. 409 when the new key is
    taken."""
    command = (body or CarryIn()).to_command(objective)
    stored = objectives.carry_over(uow, command, actor, now)
    _located(response, stored.objective.key, stored.revision.version)
    return ObjectiveOut.from_stored(stored)
