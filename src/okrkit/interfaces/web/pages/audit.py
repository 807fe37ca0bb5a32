"""The audit log page: who changed what, when, before and after.

    /audit                   the newest entries first, 25 a page, filtered by team, by
                             person and by thing (?team=&person=&kind=&key=); older and
                             newer pages by `?before=` and `?after=` an entry's number

The log is read only: no interface can edit it, so the page answers GET alone (any other
method is a 405). Filters and pages are plain links that can be shared.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from okrkit.domain.accounts import MAX_EMAIL
from okrkit.domain.errors import InvalidInput
from okrkit.domain.keys import MAX_KEY_LENGTH
from okrkit.interfaces import formatting as fmt
from okrkit.interfaces.web.deps import Now, Uow, viewer
from okrkit.interfaces.web.forms.check_ins import MAX_ID
from okrkit.interfaces.web.pages.rendering import page, templates
from okrkit.services import audit, teams
from okrkit.services.ports import AuditQuery

__all__ = ["AuditFilter", "audit_log", "router"]

router = APIRouter()

templates.env.globals.update(
    audit_changes=fmt.audit_changes,
    audit_value=fmt.audit_value,
    day_and_time=fmt.day_and_time,
)


@dataclass(frozen=True)
class AuditFilter:
    """The page's filters as typed in its address (empty: any) and where it starts."""

    team: str = ""
    person: str = ""
    kind: str = ""
    key: str = ""
    before: int | None = None
    after: int | None = None

    def query(self) -> AuditQuery:
        """The service's query; a key without its kind is named."""
        if self.key and not self.kind:
            raise InvalidInput("a key names a thing of one kind: choose its kind too", field="kind")
        if self.kind and self.kind not in audit.KIND_WORDS:
            raise InvalidInput(f"{self.kind!r} is not a kind of thing the log names", field="kind")
        return AuditQuery(
            team=self.team or None,
            entity=self.kind or None,
            key=self.key or None,
            actor=self.person or None,
            limit=audit.PAGE_SIZE,
            before=self.before,
            after=self.after,
        )

    @property
    def filtered(self) -> bool:
        return bool(self.team or self.person or self.kind or self.key)

    def address(self, **changes: object) -> str:
        """The page's address with these filters (and `changes`), shortest form; a new
        filter or page drops the other page mark."""
        values = {**asdict(replace(self, before=None, after=None)), **changes}
        shown = {k: v for k, v in values.items() if v not in ("", None)}
        return "/audit" + (f"?{urlencode(shown)}" if shown else "")


@router.get("/audit", response_class=HTMLResponse)
def audit_log(
    request: Request,
    uow: Uow,
    now: Now,
    team: Annotated[str, Query(max_length=MAX_KEY_LENGTH)] = "",
    person: Annotated[str, Query(max_length=MAX_EMAIL)] = "",
    kind: Annotated[str, Query(max_length=20)] = "",
    key: Annotated[str, Query(max_length=MAX_KEY_LENGTH)] = "",
    before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    after: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> HTMLResponse:
    """The audit log, newest first: when, who, what was done to which thing, and its
    fields before → after, filtered by team, person and thing, a page at a time."""
    chosen = AuditFilter(team.strip(), person.strip(), kind.strip(), key.strip(), before, after)
    listed = audit.audit_page(uow, chosen.query(), viewer=viewer(request))
    offered = teams.list_teams(uow, archived=True)
    return page(
        request,
        "audit/log.html",
        as_of=now,
        nav="audit",
        listed=listed,
        chosen=chosen,
        teams=offered,
        team_names={t.team.key: t.team.name for t in offered},
        kinds=audit.KIND_WORDS,
    )
