"""What a request handler receives besides its input, for the pages and the API alike,
as `Annotated` dependencies:

    Uow      a unit of work on the workspace (each use case opens its own transaction)
    Now      the moment of the request, from the app's clock
    Who      who makes the request (`domain.access.Actor`): the account of its API
             token or of its browser's session (`sessions.request_actor`); nobody is
             refused (401)
    Actor    who makes a change (a `Who` that may write); the use case checks what
             they may change, and records their e-mail
    IfMatch  the version named by `If-Match: "<version>"`, or None

and the two helpers of a versioned change: `based_on` (which version it was based on)
and `tag` (the version a response shows, as its ETag). `create_app` puts the `Context`
on the app; nothing here imports the app.

Every route of the pages and the API needs someone signed in (`create_app` puts
`signed_in` on both routers); the sign-in pages and static files do not.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Header, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from okrkit.domain import access
from okrkit.domain.errors import Forbidden
from okrkit.domain.versions import MAX_VERSION
from okrkit.interfaces.web.problems import (
    CROSS_SITE,
    INVALID_INPUT,
    SIGN_IN_REQUIRED,
    VERSION_REQUIRED,
    ProblemError,
)
from okrkit.interfaces.web.sessions import request_actor
from okrkit.services.ports import UnitOfWork

__all__ = [
    "Actor",
    "Context",
    "IfMatch",
    "Now",
    "Uow",
    "actor",
    "based_on",
    "clock",
    "if_match",
    "no_nul_bytes",
    "same_origin_writes",
    "tag",
    "unit_of_work",
    "utc_now",
    "signed_in",
    "viewer",
    "Who",
]


def utc_now() -> datetime:
    """The clock the app reads by default: now, as naive UTC (the services' convention)."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Context:
    """What every request handler needs: a unit of work per use case, and the clock."""

    unit_of_work: Callable[[], UnitOfWork]
    clock: Callable[[], datetime] = utc_now


def _context(request: Request) -> Context:
    context: Context = request.app.state.context
    return context


def unit_of_work(request: Request) -> UnitOfWork:
    """A fresh unit of work for the use case this request runs."""
    return _context(request).unit_of_work()


def clock(request: Request) -> datetime:
    """The moment of the request (naive UTC), from the app's clock."""
    return _context(request).clock()


# Documents the API's tokens in its OpenAPI document (`sessions.request_actor` reads them).
_BEARER = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="An API token (`okrkit token create`, or your account page), as "
    "`Authorization: Bearer <token>`.",
)


def signed_in(
    request: Request,
    _documented: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)] = None,
) -> access.Actor:
    """Who makes the request: its API token's account or its browser's session; a
    request from nobody is refused (401: the API says how to send a token, a page
    sends the browser to the sign-in page)."""
    who = request_actor(request, clock(request))
    if who is None:
        raise ProblemError(
            SIGN_IN_REQUIRED,
            "sign in first: send 'Authorization: Bearer <token>' with an API token, or "
            "sign in on the pages",
        )
    return who


def viewer(request: Request) -> access.Actor:
    """Who reads, for a page's helper that has the request only: the signed-in account
    (read once per request, then kept), refused like `signed_in` when there is none."""
    return signed_in(request)


def actor(who: Annotated[access.Actor, Depends(signed_in)]) -> access.Actor:
    """Who makes a change: the signed-in account, which the use case checks. Only
    routes that change something take it, so a read-only token is refused here, before
    any use case runs."""
    if not who.writes:
        raise Forbidden("a read-only token cannot change anything: use a token with write access")
    return who


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
Actor = Annotated[access.Actor, Depends(actor)]
Who = Annotated[access.Actor, Depends(signed_in)]
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
    if not 1 <= version <= MAX_VERSION:
        raise ProblemError(
            INVALID_INPUT,
            f"{version} is not a version: versions count from 1, one per change",
            field="version" if body is not None else "If-Match",
            location="body" if body is not None else "header",
        )
    return version


def tag(response: Response, version: int) -> None:
    """Mark a response with the version it shows (`ETag: "<version>"`)."""
    response.headers["ETag"] = f'"{version}"'


def no_nul_bytes(request: Request) -> None:
    """No key, name, segment or cycle holds a NUL byte, so an address or a query that
    does is answered at once, naming where it is — before any route hands it to a
    database (PostgreSQL's text cannot even hold one)."""
    if "\x00" in request.scope["path"]:
        raise ProblemError(
            INVALID_INPUT,
            "the address holds a NUL byte (%00), which no key or name can hold",
            field="path",
            location="path",
        )
    for name, value in request.query_params.multi_items():
        if "\x00" in name or "\x00" in value:
            raise ProblemError(
                INVALID_INPUT,
                f"{name!r} holds a NUL byte (%00), which no key, name or segment can hold",
                field=name,
                location="query",
            )


_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def same_origin_writes(request: Request) -> None:
    """A write a browser sends from another site's page is refused (403), before it is
    read: until accounts arrive okrkit trusts whoever reaches it, so any page a person
    visits could otherwise post okrkit's forms through their browser. A browser says
    where a request comes from — `Sec-Fetch-Site` (same-origin, or none when the person
    typed or bookmarked it) or, older ones, `Origin` (it must be okrkit's own); scripts
    and other clients send neither and are not browsers a stranger's page can drive."""
    if request.method in _SAFE_METHODS:
        return
    fetched_from = request.headers.get("sec-fetch-site")
    if fetched_from is not None:
        if fetched_from.lower() not in ("same-origin", "none"):
            raise ProblemError(
                CROSS_SITE, f"a write from another site's page ({fetched_from}) is refused"
            )
        return
    origin = request.headers.get("origin")
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    if origin is not None and origin.lower() != own.lower():
        raise ProblemError(CROSS_SITE, f"a write from {origin} is refused: okrkit is {own}")
