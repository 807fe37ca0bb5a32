"""`/api/v1/audit`: the audit log, read only — who changed what, when, before and
after, newest first, filtered by team, thing and person, a page at a time (`before` or
`after` an entry's number). No method writes to it: anything but GET is a 405."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from okrkit.domain.accounts import MAX_EMAIL
from okrkit.domain.keys import MAX_KEY_LENGTH
from okrkit.interfaces.web.api.key_results import MAX_ID
from okrkit.interfaces.web.deps import Uow, Who
from okrkit.interfaces.web.problems import documented
from okrkit.interfaces.web.schemas.audit import AuditPageOut
from okrkit.services import audit
from okrkit.services.ports import AuditQuery

__all__ = ["list_audit", "router"]

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", responses=documented(404))
def list_audit(
    uow: Uow,
    who: Who,
    team: Annotated[
        str | None,
        Query(max_length=MAX_KEY_LENGTH, description="About this team's things (its key)."),
    ] = None,
    thing: Annotated[
        str | None,
        Query(
            alias="object",
            max_length=100,
            description="About this thing, `KIND:KEY` (`kpi:signups`, `key_result:12`), or "
            "any thing of one kind (`objective`).",
        ),
    ] = None,
    person: Annotated[
        str | None, Query(max_length=MAX_EMAIL, description="By this person, as recorded.")
    ] = None,
    before: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Entries older than this number.")
    ] = None,
    after: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Entries newer than this number.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=audit.MAX_PAGE_SIZE, description="A page's size.")] = 50,
) -> AuditPageOut:
    """A page of the audit log, newest first. An unknown team is a 404; an unknown kind
    of thing, or both `before` and `after`, a 422 naming the parameter."""
    entity, key = audit.parse_object(thing or "")
    query = AuditQuery(team, entity, key, person, limit, before, after)
    return AuditPageOut.of(audit.audit_page(uow, query, viewer=who))
