"""`/api/v1/key-results/{id}/initiatives` and `/api/v1/initiatives/{id}`: the work
under a key result — add it, read it, change it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from okrkit.interfaces.web.api.key_results import MAX_ID, KeyResultId
from okrkit.interfaces.web.deps import Actor, IfMatch, Now, Uow, Who, based_on, tag
from okrkit.interfaces.web.problems import documented
from okrkit.interfaces.web.schemas.initiatives import (
    InitiativeCreate,
    InitiativeOut,
    InitiativePatch,
)
from okrkit.services import initiatives

__all__ = ["InitiativeId", "add_initiative", "edit_initiative", "get_initiative", "router"]

InitiativeId = Annotated[int, Path(ge=1, le=MAX_ID, description="The initiative's id.")]

router = APIRouter(tags=["initiatives"])


@router.post("/key-results/{id}/initiatives", status_code=201, responses=documented(404, 422))
def add_initiative(
    id: KeyResultId, body: InitiativeCreate, uow: Uow, actor: Actor, now: Now, response: Response
) -> InitiativeOut:
    """Attach work (a project, an experiment, a task) to a key result."""
    stored = initiatives.add_initiative(uow, body.to_command(id), actor, now)
    response.headers["Location"] = f"/api/v1/initiatives/{stored.id}"
    tag(response, stored.revision.version)
    return InitiativeOut.from_stored(stored)


@router.get("/initiatives/{id}", responses=documented(404, 422))
def get_initiative(id: InitiativeId, uow: Uow, who: Who, response: Response) -> InitiativeOut:
    """One initiative; its ETag is its version."""
    stored = initiatives.get_initiative(uow, id, viewer=who)
    tag(response, stored.revision.version)
    return InitiativeOut.from_stored(stored)


@router.patch("/initiatives/{id}", responses=documented(404, 409, 422, 428))
def edit_initiative(
    id: InitiativeId,
    body: InitiativePatch,
    uow: Uow,
    actor: Actor,
    now: Now,
    if_match: IfMatch,
    response: Response,
) -> InitiativeOut:
    """Change an initiative's title, status or tracker address (`url: null` clears it)."""
    command = body.to_command(id, based_on(if_match, body.version))
    stored = initiatives.edit_initiative(uow, command, actor, now)
    tag(response, stored.revision.version)
    return InitiativeOut.from_stored(stored)
