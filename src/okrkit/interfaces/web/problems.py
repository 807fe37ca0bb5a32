"""Errors as RFC 9457 problem details for the JSON API, and a hook for the HTML pages.

`install(app)` registers one handler per kind of failure:

    OkrkitError (and every subclass)   → the status of its class (`ERROR_TYPES`)
    RequestValidationError             → 422, every bad field named with its location
    an HTTP error (unknown route, 405) → its status
    anything else                      → 500, without internals

A request under `/api/` gets `application/problem+json`; any other request (the HTML
pages) is handed to the renderer the app was created with (`install(app, html=…)`), so
the pages render their own error template from the same `Problem`. Without one, a short
plain text answer is sent. The domain knows nothing of HTTP: the status of an error class is
decided here, and docs/architecture.md's Errors table shows the same mapping.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, PlainTextResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from okrkit.domain.errors import (
    BadRows,
    Busy,
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    OkrkitError,
    RowError,
    RuleViolated,
    SourceUnavailable,
)
from okrkit.interfaces.web.schemas.problems import FieldError, Problem

__all__ = [
    "API_PREFIX",
    "BAD_REQUEST",
    "BUSY",
    "TOO_LARGE",
    "CONFLICT",
    "CROSS_SITE",
    "FORBIDDEN",
    "SIGN_IN_REQUIRED",
    "THROTTLED",
    "ERROR_TYPES",
    "FORM_EXPIRED",
    "INTERNAL_ERROR",
    "INVALID_INPUT",
    "NOT_FOUND",
    "PROBLEM_JSON",
    "PROBLEM_TYPES",
    "RULE_VIOLATED",
    "SOURCE_UNAVAILABLE",
    "TYPE_PREFIX",
    "VERSION_REQUIRED",
    "BodyProblem",
    "HtmlRenderer",
    "RETRY_AFTER_BUSY",
    "ProblemError",
    "ProblemType",
    "documented",
    "field_errors",
    "install",
    "problem_for",
    "problem_type",
    "render",
]

PROBLEM_JSON = "application/problem+json"
API_PREFIX = "/api/"
# Problem type URIs are relative to the server; each one answers with its description
# (GET /api/v1/problems/{slug}), as RFC 9457 §3.1.1 recommends.
TYPE_PREFIX = "/api/v1/problems/"


@dataclass(frozen=True)
class ProblemType:
    """One kind of problem: a stable `slug` (the end of its type URI), a title that
    never changes from one occurrence to the next, its HTTP status, and when it happens."""

    slug: str
    title: str
    status: int
    description: str

    @property
    def uri(self) -> str:
        return TYPE_PREFIX + self.slug


BAD_REQUEST = ProblemType(
    "bad-request", "Bad request", 400, "The request cannot be carried out as it is."
)
INVALID_INPUT = ProblemType(
    "invalid-input",
    "Invalid input",
    422,
    "A field of the request is missing or wrong: `field` names the first, `errors` every "
    "one with its location (body, query, header, path).",
)
RULE_VIOLATED = ProblemType(
    "rule-violated",
    "Rule violated",
    422,
    "The request is well formed but a business rule forbids it.",
)
NOT_FOUND = ProblemType(
    "not-found", "Not found", 404, "A key names nothing that exists, or no such route."
)
FORBIDDEN = ProblemType(
    "forbidden",
    "Forbidden",
    403,
    "You are signed in, but your role does not allow this (a viewer changing something, "
    "an editor of another team, a read-only token writing): the detail says what it takes.",
)
SIGN_IN_REQUIRED = ProblemType(
    "sign-in-required",
    "Sign-in required",
    401,
    "Sign in first: send `Authorization: Bearer <token>` with an API token (made on your "
    "account page or with `okrkit token create`), or sign in on the web pages. An unknown, "
    "revoked or expired token, or a disabled account's, opens nothing.",
)
THROTTLED = ProblemType(
    "throttled",
    "Too many failed sign-ins",
    429,
    "Too many sign-ins failed for this account or from this address lately: wait "
    "`Retry-After` seconds before trying again.",
)
CONFLICT = ProblemType(
    "conflict",
    "Conflict",
    409,
    "The write was based on a version someone else has changed since (the detail says "
    "who and when: reload and apply the change again), or the key is taken.",
)
VERSION_REQUIRED = ProblemType(
    "version-required",
    "Version required",
    428,
    "A change to an existing resource must say which version it was based on: send "
    '`If-Match: "<version>"` (the ETag of the GET) or a `version` field in the body.',
)
SOURCE_UNAVAILABLE = ProblemType(
    "source-unavailable",
    "Source unavailable",
    503,
    "An external source (file, database, URL) cannot be read right now.",
)
CROSS_SITE = ProblemType(
    "cross-site",
    "Cross-site write",
    403,
    "A browser sent this write from another site's page (its `Origin` or "
    "`Sec-Fetch-Site` says so): okrkit takes writes only from its own pages and from "
    "clients that are not browsers.",
)
FORM_EXPIRED = ProblemType(
    "form-expired",
    "Form expired",
    403,
    "A page's form was sent without the token okrkit put in it, with another browser's, "
    "or with one too old: it came from another page, or the page has expired. Reload the "
    "page and send it again. (The JSON API takes no token.)",
)
TOO_LARGE = ProblemType(
    "too-large",
    "Too large",
    413,
    "The request body is larger than okrkit takes: 1 MB for JSON and a page's form, 20 MB "
    "for a file upload or a values import, unless the server sets other limits. The "
    "detail names the size and the limit; nothing was written.",
)
BUSY = ProblemType(
    "busy",
    "Busy",
    503,
    "The workspace was busy with another write for longer than a write waits; nothing "
    "was written. Try again after `Retry-After` seconds.",
)
# How long a client told "busy" should wait before trying again, in seconds.
RETRY_AFTER_BUSY = 5
INTERNAL_ERROR = ProblemType(
    "internal-error",
    "Internal error",
    500,
    "Something failed inside okrkit; the server log has the details.",
)

# The status of each error class; an unlisted subclass takes its nearest listed
# ancestor's (tests/web/test_problems.py checks every class of domain/errors.py is here).
ERROR_TYPES: dict[type[OkrkitError], ProblemType] = {
    OkrkitError: BAD_REQUEST,
    InvalidInput: INVALID_INPUT,
    BadRows: INVALID_INPUT,
    NotFound: NOT_FOUND,
    Conflict: CONFLICT,
    Forbidden: FORBIDDEN,
    RuleViolated: RULE_VIOLATED,
    SourceUnavailable: SOURCE_UNAVAILABLE,
    Busy: BUSY,
}
PROBLEM_TYPES: dict[str, ProblemType] = {
    t.slug: t
    for t in (
        BAD_REQUEST,
        INVALID_INPUT,
        RULE_VIOLATED,
        NOT_FOUND,
        CONFLICT,
        FORBIDDEN,
        SIGN_IN_REQUIRED,
        THROTTLED,
        VERSION_REQUIRED,
        SOURCE_UNAVAILABLE,
        CROSS_SITE,
        FORM_EXPIRED,
        TOO_LARGE,
        BUSY,
        INTERNAL_ERROR,
    )
}


class ProblemError(Exception):
    """A problem of the HTTP conversation itself, raised by the interface (a missing
    `If-Match`, a malformed header) rather than by a use case."""

    def __init__(
        self,
        kind: ProblemType,
        detail: str,
        *,
        field: str | None = None,
        location: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.field = field
        self.location = location


class BodyProblem(StarletteHTTPException):
    """A problem found while a request body is read (it is too large): FastAPI lets only
    HTTP exceptions through from there, so this one is, and it carries its kind."""

    def __init__(self, kind: ProblemType, detail: str) -> None:
        super().__init__(kind.status, detail)
        self.kind = kind


HtmlRenderer = Callable[[Request, Problem], Response | Awaitable[Response]]

_WHEN = {
    400: "A request okrkit cannot read at all (problem+json), or a Host header naming a "
    "host this server does not answer for (text/plain).",
    401: "No one signed in: no token, or one that opens nothing (`sign-in-required`).",
    403: "A write a browser sent from another site's page (`cross-site`), or one the "
    "account's role or the token's scope does not allow (`forbidden`).",
    404: "A key names nothing that exists.",
    409: "A stale version (the detail says who changed it and when) or a taken key.",
    413: "The body is larger than the limit (`too-large`; the detail names both).",
    422: "Invalid input: `field` and `errors` name every bad field. A body that is not "
    "JSON, or not the JSON asked for, is one too.",
    428: "A change that does not say which version it is based on.",
    500: "Something failed inside okrkit; the server log has the details.",
    503: "The workspace was busy with another write (`busy`): nothing was written; try "
    "again after `Retry-After` seconds.",
}
_WRITES = frozenset({"post", "put", "patch", "delete"})


def _answerable(method: str, operation: Mapping[str, Any]) -> list[int]:
    """The statuses any route answers by the rules every route shares (a route adds its
    own — 409, 428 — with `documented`): 400 and 500 always; 422 with an input; 404 with
    a key in the path; 401 where someone must be signed in; for a write 403 (cross-site,
    forbidden), 503 (busy) and 413 (a body over the limit: any write may carry one,
    declared or not)."""
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    statuses = {400, 500}
    if parameters or has_body:
        statuses.add(422)
    if any(p.get("in") == "path" for p in parameters):
        statuses.add(404)
    if operation.get("security"):
        statuses.add(401)
    if method in _WRITES:
        statuses |= {403, 413, 503}
    if has_body:
        statuses.add(413)
    return sorted(statuses)


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The problem responses of an API route, for the OpenAPI document (`install` files
    them under application/problem+json)."""
    return {status: {"model": Problem, "description": _WHEN[status]} for status in statuses}


def problem_type(error: OkrkitError) -> ProblemType:
    """The problem type of an error: its class's, else its nearest mapped ancestor's."""
    for cls in type(error).__mro__:
        if cls in ERROR_TYPES:
            return ERROR_TYPES[cls]
    return BAD_REQUEST  # unreachable: OkrkitError itself is mapped


def _error_detail(error: OkrkitError) -> str:
    if isinstance(error, InvalidInput):
        # The field travels in its own member; the detail keeps the source, if any.
        where = f"{error.source}: " if error.source else ""
        return f"{where}{error.message}"
    return str(error)


def _row_error(row: RowError, source: str | None) -> FieldError:
    """A bad row: an item of a JSON body by index and field, else a file's line or row."""
    if row.unit == "item":
        return FieldError(
            location="body",
            field=f"[{row.line}]" + (f".{row.column}" if row.column else ""),
            detail=row.reason,
            pointer=f"/{row.line}" + (f"/{row.column}" if row.column else ""),
        )
    return FieldError(location=source or "file", field=row.column, detail=str(row))


def problem_for(error: OkrkitError, instance: str | None = None) -> Problem:
    """The problem document of an okrkit error; an invalid input names its field(s)."""
    kind = problem_type(error)
    field = None
    errors = None
    if isinstance(error, BadRows):
        errors = [_row_error(row, error.source) for row in error.rows]
        field = errors[0].field if errors else None
    elif isinstance(error, InvalidInput) and error.field is not None:
        field = error.field
        errors = [FieldError(location="body", field=field, detail=error.message)]
    return Problem(
        type=kind.uri,
        title=kind.title,
        status=kind.status,
        detail=_error_detail(error),
        instance=instance,
        field=field,
        errors=errors,
    )


def _field_name(parts: Sequence[int | str]) -> str:
    """`("thresholds", "green")` → `thresholds.green`; `(3, "value")` → `[3].value`."""
    name = ""
    for part in parts:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else str(part)
    return name


def _message(text: str) -> str:
    # Pydantic prefixes the message of a validator's ValueError; the reader needs only it.
    return text.removeprefix("Value error, ")


def field_errors(errors: Sequence[Any]) -> list[FieldError]:
    """Pydantic's (FastAPI's) validation errors as the API's field errors."""
    out = []
    for error in errors:
        loc = tuple(error.get("loc", ()))
        location = str(loc[0]) if loc else "body"
        if error.get("type") == "json_invalid":  # its loc holds a character's index
            why = (error.get("ctx") or {}).get("error", "it cannot be read")
            at = f" at character {loc[1] + 1}" if len(loc) > 1 else ""
            out.append(FieldError(location="body", detail=f"the body is not JSON: {why}{at}"))
            continue
        parts = loc[1:]
        pointer = None
        if location == "body":
            pointer = "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)
        out.append(
            FieldError(
                location=location,
                field=_field_name(parts) or None,
                detail=_message(str(error.get("msg", "is invalid"))),
                pointer=pointer,
            )
        )
    return out


def _validation_problem(exc: RequestValidationError, instance: str) -> Problem:
    errors = field_errors(exc.errors())
    named = [f"{e.field or e.location}: {e.detail}" for e in errors]
    shown = "; ".join(named[:10]) + (f"; and {len(named) - 10} more" if len(named) > 10 else "")
    count = f"{len(errors)} invalid field{'s' if len(errors) != 1 else ''}"
    return Problem(
        type=INVALID_INPUT.uri,
        title=INVALID_INPUT.title,
        status=INVALID_INPUT.status,
        detail=f"{count}: {shown}",
        instance=instance,
        field=errors[0].field if errors else None,
        errors=errors,
    )


def _http_problem(exc: StarletteHTTPException, request: Request) -> Problem:
    if exc.status_code == 404:
        detail = exc.detail if exc.detail != "Not Found" else None
        return Problem(
            type=NOT_FOUND.uri,
            title=NOT_FOUND.title,
            status=404,
            detail=detail or f"no resource at {request.method} {request.url.path}",
            instance=request.url.path,
        )
    phrase = HTTPStatus(exc.status_code).phrase
    # about:blank: the status says it all, the title is the status phrase (RFC 9457 §4.2.1).
    return Problem(
        type="about:blank",
        title=phrase,
        status=exc.status_code,
        detail=str(exc.detail) if exc.detail else phrase,
        instance=request.url.path,
    )


async def render(
    request: Request, problem: Problem, headers: Mapping[str, str] | None = None
) -> Response:
    """Answer a request with a problem: problem+json under `/api/`, else the HTML hook."""
    if request.url.path.startswith(API_PREFIX):
        return JSONResponse(
            problem.model_dump(mode="json", exclude_none=True),
            status_code=problem.status,
            media_type=PROBLEM_JSON,
            headers=headers,
        )
    html: HtmlRenderer | None = getattr(request.app.state, "html_renderer", None)
    if html is None:
        return PlainTextResponse(
            f"{problem.status} {problem.title}: {problem.detail}",
            status_code=problem.status,
            headers=headers,
        )
    response = html(request, problem)
    if inspect.isawaitable(response):
        response = await response
    if headers:
        response.headers.update(headers)
    return response


async def _okrkit_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, OkrkitError)
    headers = {"Retry-After": str(RETRY_AFTER_BUSY)} if isinstance(exc, Busy) else None
    return await render(request, problem_for(exc, request.url.path), headers=headers)


async def _problem_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ProblemError | BodyProblem)
    kind = exc.kind
    detail = str(exc.detail)
    field = exc.field if isinstance(exc, ProblemError) else None
    location = exc.location if isinstance(exc, ProblemError) else None
    problem = Problem(
        type=kind.uri,
        title=kind.title,
        status=kind.status,
        detail=detail,
        instance=request.url.path,
        field=field,
        errors=None
        if location is None
        else [FieldError(location=location, field=field, detail=detail)],
    )
    return await render(request, problem)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return await render(request, _validation_problem(exc, request.url.path))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if isinstance(exc, BodyProblem):
        return await _problem_error(request, exc)
    return await render(request, _http_problem(exc, request), headers=exc.headers)


async def _unexpected(request: Request, exc: Exception) -> Response:
    # Starlette's ServerErrorMiddleware calls this and then re-raises, so the traceback
    # still reaches the server log; the client only learns that it failed.
    problem = Problem(
        type=INTERNAL_ERROR.uri,
        title=INTERNAL_ERROR.title,
        status=500,
        detail="the server failed to answer this request; the failure is logged",
        instance=request.url.path,
    )
    return await render(request, problem)


def _problem_content() -> dict[str, Any]:
    return {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def _problem_responses(
    method: str, responses: dict[str, Any], operation: Mapping[str, Any]
) -> None:
    """An operation's error responses: those FastAPI filed under application/json as
    problems, plus every status the shared rules say it can answer (`_answerable`)."""
    for status, response in responses.items():
        content = response.setdefault("content", {})
        if str(status).startswith(("4", "5")) and content.pop("application/json", None):
            content.update(_problem_content())
    for code in _answerable(method, operation):
        responses.setdefault(str(code), {"description": _WHEN[code], "content": _problem_content()})
    responses["400"]["content"]["text/plain"] = {"schema": {"type": "string"}}
    if "503" in responses:
        responses["503"]["headers"] = {
            "Retry-After": {
                "description": "Seconds to wait before trying again.",
                "schema": {"type": "integer"},
            }
        }
    ordered = sorted(responses.items())
    responses.clear()
    responses.update(ordered)


def _problem_openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The OpenAPI document with error responses as `application/problem+json`.

    FastAPI files every declared response under the route's media type and adds its own
    422 shape to routes with parameters; the API answers errors with problem details,
    so the document says that instead, and lists every error status an operation can
    answer by the rules all routes share.
    """

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        document = get_openapi(
            title=app.title,
            version=app.version,
            openapi_version=app.openapi_version,
            description=app.description,
            routes=app.routes,
            tags=app.openapi_tags,
        )
        for path in document.get("paths", {}).values():
            for method, operation in path.items():
                _problem_responses(method, operation.setdefault("responses", {}), operation)
        schemas = document.get("components", {}).get("schemas", {})
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        app.openapi_schema = document
        return document

    return openapi


def install(app: FastAPI, html: HtmlRenderer | None = None) -> None:
    """Render every error of `app` as a problem: JSON under /api/; elsewhere the page
    `html` renders from the same `Problem` (sync or async), or plain text without one."""
    app.state.html_renderer = html
    app.add_exception_handler(OkrkitError, _okrkit_error)
    app.add_exception_handler(ProblemError, _problem_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
    app.openapi = _problem_openapi(app)  # type: ignore[method-assign]
