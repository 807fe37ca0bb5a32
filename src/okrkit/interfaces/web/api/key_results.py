"""`/api/v1/key-results` and `/api/v1/objectives/{objective}/key-results`: add a key
result to an objective, read one judged as of now, change it (a new target mid-cycle
with its reason: a recalibration, the original target kept)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from okrkit.interfaces.web.deps import Actor, IfMatch, Now, Uow, Who, based_on, tag
from okrkit.interfaces.web.problems import documented
from okrkit.interfaces.web.schemas.key_results import (
    KeyResultCreate,
    KeyResultDetail,
    KeyResultOut,
    KeyResultPatch,
    key_result_detail,
)
from okrkit.services import key_results
from okrkit.services.key_results import AddKeyResult

__all__ = [
    "MAX_ID",
    "KeyResultId",
    "add_key_result",
    "edit_key_result",
    "get_key_result",
    "router",
]

# The workspace numbers key results, check-ins and initiatives with 32-bit integers; a
# larger id names nothing (and PostgreSQL would refuse to compare it).
MAX_ID = 2**31 - 1

KeyResultId = Annotated[int, Path(ge=1, le=MAX_ID, description="The key result's id.")]

router = APIRouter(tags=["key results"])


@router.post(
    "/objectives/{objective}/key-results", status_code=201, responses=documented(404, 409, 422)
)
def add_key_result(
    objective: str, body: KeyResultCreate, uow: Uow, actor: Actor, now: Now, response: Response
) -> KeyResultOut:
    """Add a key result last in an objective; its deadline lies in the objective's
    cycle (its last day by default). 409 when the objective is scored or its cycle
    closed."""
    command = AddKeyResult(objective, body.to_definition())
    stored = key_results.add_key_result(uow, command, actor, now)
    response.headers["Location"] = f"/api/v1/key-results/{stored.id}"
    tag(response, stored.revision.version)
    return KeyResultOut.from_stored(stored)


@router.get("/key-results/{id}", responses=documented(404, 422))
def get_key_result(
    id: KeyResultId, uow: Uow, who: Who, now: Now, response: Response
) -> KeyResultDetail:
    """A key result judged as of now — progress, pace, forecast, confidence, last
    check-in — with its initiatives; its ETag is its version."""
    view = key_results.key_result_view(uow, id, now, viewer=who)
    tag(response, view.state.key_result.revision.version)
    return key_result_detail(view)


@router.patch("/key-results/{id}", responses=documented(404, 409, 422, 428))
def edit_key_result(
    id: KeyResultId,
    body: KeyResultPatch,
    uow: Uow,
    actor: Actor,
    now: Now,
    if_match: IfMatch,
    response: Response,
) -> KeyResultOut:
    """Change some fields of a key result. A new target while its cycle is active needs
    a `reason` (a recalibration: the original target is kept beside the new one)."""
    command = body.to_command(id, based_on(if_match, body.version))
    stored = key_results.edit_key_result(uow, command, actor, now)
    tag(response, stored.revision.version)
    return KeyResultOut.from_stored(stored)
