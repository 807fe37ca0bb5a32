"""`/api/v1/teams`: list, create, read, edit and archive teams."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Response

from okrkit.interfaces.web.deps import Actor, IfMatch, Now, Uow, based_on, tag
from okrkit.interfaces.web.problems import documented
from okrkit.interfaces.web.schemas.common import VersionBody
from okrkit.interfaces.web.schemas.teams import TeamCreate, TeamOut, TeamPatch
from okrkit.services import teams
from okrkit.services.teams import CreateTeam, EditTeam

__all__ = ["archive_team", "create_team", "edit_team", "get_team", "list_teams", "router"]

router = APIRouter(prefix="/teams", tags=["teams"])


@router.get("", responses=documented(422))
def list_teams(
    uow: Uow,
    archived: Annotated[bool, Query(description="Include archived teams.")] = False,
) -> list[TeamOut]:
    """Every team by name; archived ones too with `archived=true`."""
    return [TeamOut.from_stored(t) for t in teams.list_teams(uow, archived=archived)]


@router.post("", status_code=201, responses=documented(404, 409, 422))
def create_team(body: TeamCreate, uow: Uow, actor: Actor, now: Now, response: Response) -> TeamOut:
    """Create a team (409 when the key is taken)."""
    command = CreateTeam(body.key, body.name, body.parent)
    stored = teams.create_team(uow, command, actor, now)
    response.headers["Location"] = f"/api/v1/teams/{stored.team.key}"
    tag(response, stored.revision.version)
    return TeamOut.from_stored(stored)


@router.get("/{team}", responses=documented(404))
def get_team(team: str, uow: Uow, response: Response) -> TeamOut:
    """One team, archived or not; its ETag is its version."""
    stored = teams.get_team(uow, team)
    tag(response, stored.revision.version)
    return TeamOut.from_stored(stored)


@router.patch("/{team}", responses=documented(404, 409, 422, 428))
def edit_team(
    team: str,
    body: TeamPatch,
    uow: Uow,
    actor: Actor,
    now: Now,
    if_match: IfMatch,
    response: Response,
) -> TeamOut:
    """Rename a team or move it under another parent (`parent: null` detaches it)."""
    moved = {"parent": body.parent} if "parent" in body.model_fields_set else {}
    command = EditTeam(team, based_on(if_match, body.version), name=body.name, **moved)
    stored = teams.edit_team(uow, command, actor, now)
    tag(response, stored.revision.version)
    return TeamOut.from_stored(stored)


@router.delete("/{team}", responses=documented(404, 409, 422, 428))
def archive_team(
    team: str,
    uow: Uow,
    actor: Actor,
    now: Now,
    if_match: IfMatch,
    response: Response,
    body: Annotated[VersionBody | None, Body()] = None,
) -> TeamOut:
    """Archive a team: it leaves the lists; its KPIs and history stay."""
    version = based_on(if_match, None if body is None else body.version)
    stored = teams.archive_team(uow, team, version, actor, now)
    tag(response, stored.revision.version)
    return TeamOut.from_stored(stored)
