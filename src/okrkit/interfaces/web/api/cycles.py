"""`/api/v1/cycles`: the OKR cycles — list them with the current one, add, read, start
and close one (closing answers with what it scored)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response

from okrkit.interfaces.web.deps import Actor, IfMatch, Now, Uow, based_on, tag
from okrkit.interfaces.web.problems import documented
from okrkit.interfaces.web.schemas.common import VersionBody
from okrkit.interfaces.web.schemas.cycles import ClosedOut, CycleCreate, CycleListOut, CycleOut
from okrkit.services import cycles

__all__ = ["close_cycle", "create_cycle", "get_cycle", "list_cycles", "router", "start_cycle"]

router = APIRouter(prefix="/cycles", tags=["cycles"])

_Version = Annotated[VersionBody | None, Body()]


@router.get("")
def list_cycles(uow: Uow, now: Now) -> CycleListOut:
    """Every cycle, the latest to start first, and which one is current (today's)."""
    return CycleListOut.from_list(cycles.list_cycles(uow, now.date()))


@router.post("", status_code=201, responses=documented(409, 422))
def create_cycle(
    body: CycleCreate, uow: Uow, actor: Actor, now: Now, response: Response
) -> CycleOut:
    """Add a cycle: a quarter by its name (`2026-Q3`), or a name with its start and end
    (409 when the name is taken)."""
    stored = cycles.create_cycle(uow, body.to_command(), actor, now)
    response.headers["Location"] = f"/api/v1/cycles/{stored.cycle.name}"
    tag(response, stored.revision.version)
    return CycleOut.from_stored(stored)


@router.get("/{cycle}", responses=documented(404))
def get_cycle(cycle: str, uow: Uow, response: Response) -> CycleOut:
    """One cycle; its ETag is its version."""
    stored = cycles.get_cycle(uow, cycle)
    tag(response, stored.revision.version)
    return CycleOut.from_stored(stored)


@router.post("/{cycle}/start", responses=documented(404, 409, 422, 428))
def start_cycle(
    cycle: str,
    uow: Uow,
    actor: Actor,
    now: Now,
    if_match: IfMatch,
    response: Response,
    body: _Version = None,
) -> CycleOut:
    """A planned cycle becomes active: its key results become due a check-in weekly
    (409 when it is active or closed already)."""
    version = based_on(if_match, None if body is None else body.version)
    stored = cycles.start_cycle(uow, cycle, version, actor, now)
    tag(response, stored.revision.version)
    return CycleOut.from_stored(stored)


@router.post("/{cycle}/close", responses=documented(404, 409, 422, 428))
def close_cycle(
    cycle: str,
    uow: Uow,
    actor: Actor,
    now: Now,
    if_match: IfMatch,
    response: Response,
    body: _Version = None,
) -> ClosedOut:
    """Close a cycle: every active objective is scored with the scores its key results'
    progress proposes, each key result's final value goes on record, all at once. The
    answer lists what it scored; closing a closed cycle is a conflict (409)."""
    version = based_on(if_match, None if body is None else body.version)
    closed = cycles.close_cycle(uow, cycle, version, actor, now)
    tag(response, closed.cycle.revision.version)
    return ClosedOut.from_closed(closed)
