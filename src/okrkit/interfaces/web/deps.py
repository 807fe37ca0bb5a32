"""What the API's routes receive besides their input, as `Annotated` dependencies.

    Uow      a unit of work on the workspace (each use case opens its own transaction)
    Now      the moment of the request, from the app's clock
    Actor    who makes the change: the `X-Okrkit-Actor` header, "api" without it
    IfMatch  the version named by `If-Match: "<version>"`, or None

The actor header is a stand-in until API tokens arrive (DESIGN.md, Security): it is
trusted as sent and only ends up in the audit log and the "changed by" of a version.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Header, Request, Response

from okrkit.interfaces.web.app import Context
from okrkit.interfaces.web.problems import INVALID_INPUT, VERSION_REQUIRED, ProblemError
from okrkit.interfaces.web.schemas import Problem
from okrkit.services.ports import UnitOfWork

__all__ = [
    "ACTOR_HEADER",
    "DEFAULT_ACTOR",
    "Actor",
    "IfMatch",
    "Now",
    "Uow",
    "actor",
    "based_on",
    "clock",
    "documented",
    "if_match",
    "tag",
    "unit_of_work",
]

ACTOR_HEADER = "X-Okrkit-Actor"
DEFAULT_ACTOR = "api"


def _context(request: Request) -> Context:
    context: Context = request.app.state.context
    return context


def unit_of_work(request: Request) -> UnitOfWork:
    """A fresh unit of work for the use case this request runs."""
    return _context(request).unit_of_work()


def clock(request: Request) -> datetime:
    """The moment of the request (naive UTC), from the app's clock."""
    return _context(request).clock()


def actor(
    x_okrkit_actor: Annotated[
        str,
        Header(
            alias=ACTOR_HEADER,
            min_length=1,
            max_length=200,
            description="Who makes the change (recorded in the audit log); "
            'defaults to "api" until API tokens exist.',
        ),
    ] = DEFAULT_ACTOR,
) -> str:
    return x_okrkit_actor.strip() or DEFAULT_ACTOR


def if_match(
    value: Annotated[
        str | None,
        Header(
            alias="If-Match",
            pattern=r'^\s*("\d{1,18}"|\d{1,18})\s*$',
            description='The version the change is based on, as the ETag gave it: "3".',
        ),
    ] = None,
) -> int | None:
    return None if value is None else int(value.strip().strip('"'))


Uow = Annotated[UnitOfWork, Depends(unit_of_work)]
Now = Annotated[datetime, Depends(clock)]
Actor = Annotated[str, Depends(actor)]
IfMatch = Annotated[int | None, Depends(if_match)]


def based_on(header: int | None, body: int | None) -> int:
    """The version a change is based on: `If-Match` or the body's `version` (428 if
    neither; when both are given they must agree)."""
    if header is not None and body is not None and header != body:
        raise ProblemError(
            INVALID_INPUT,
            f"If-Match names version {header} but the body's version is {body}: send one",
            field="version",
            location="body",
        )
    version = header if header is not None else body
    if version is None:
        raise ProblemError(
            VERSION_REQUIRED,
            "say which version this change is based on: send the ETag of your GET as "
            'If-Match: "<version>", or a "version" field in the body',
            field="If-Match",
        )
    return version


def tag(response: Response, version: int) -> None:
    """Mark a response with the version it shows (`ETag: "<version>"`)."""
    response.headers["ETag"] = f'"{version}"'


_WHEN = {
    404: "A key names nothing that exists.",
    409: "A stale version (the detail says who changed it and when) or a taken key.",
    422: "Invalid input: `field` and `errors` name every bad field.",
    428: "A change that does not say which version it is based on.",
}


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The problem responses of a route, for the OpenAPI document (`problems.install`
    files them under application/problem+json)."""
    return {status: {"model": Problem, "description": _WHEN[status]} for status in statuses}
