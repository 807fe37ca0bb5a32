"""How large a request body okrkit takes: counted as it streams, refused (413) once over.

Two limits, in megabytes of 1,000,000 bytes:

    a file upload (multipart/form-data) or a values import (POST /api/v1/kpis/{kpi}/values)
                                        20 MB   (`OKRKIT_UPLOAD_LIMIT_MB` sets another)
    any other body (JSON, a page's form) 1 MB   (`OKRKIT_BODY_LIMIT_MB`)

A pure ASGI middleware: it counts the bytes of each chunk as the route reads them (with
`Content-Length` or chunked alike), so a body is refused before it is held whole — the
first read of one that declares more than the limit is refused at once. The refusal
(`TooLarge`, an HTTP exception because FastAPI lets only those through from reading a
body) becomes the `too-large` problem — JSON under /api/, the error page elsewhere —
naming the size and the limit, before the route runs: nothing is written.

Starlette's own `RequestBodyLimitMiddleware` (FastAPI's `max_body_size`) does the same
counting, but answers a body no route reads with its own plain-text 413 and takes a
route's limit only from its decorator; here the limit follows the kind of body.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Collection
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from okrkit.domain.errors import InvalidInput
from okrkit.interfaces.web.problems import TOO_LARGE, BodyProblem

__all__ = [
    "BODY_LIMIT_MB",
    "BODY_LIMIT_VARIABLE",
    "MEGABYTE",
    "UPLOAD_LIMIT_MB",
    "UPLOAD_LIMIT_VARIABLE",
    "BodyLimits",
    "LimitedBodies",
    "configured_limits",
    "megabytes",
]

MEGABYTE = 1_000_000
BODY_LIMIT_MB = 1
UPLOAD_LIMIT_MB = 20
BODY_LIMIT_VARIABLE = "OKRKIT_BODY_LIMIT_MB"
UPLOAD_LIMIT_VARIABLE = "OKRKIT_UPLOAD_LIMIT_MB"
_MOST_MB = 1024


@dataclass(frozen=True)
class BodyLimits:
    """The largest body okrkit takes, in bytes: `upload` for a file or an import,
    `body` for anything else."""

    body: int = BODY_LIMIT_MB * MEGABYTE
    upload: int = UPLOAD_LIMIT_MB * MEGABYTE


def _configured_mb(variable: str, default: int) -> int:
    text = os.environ.get(variable, "").strip()
    if not text:
        return default * MEGABYTE
    try:
        mb = float(text)
    except ValueError:
        mb = math.nan
    if not 0 < mb <= _MOST_MB:
        raise InvalidInput(f"{text!r} is not a number of MB from 0 to {_MOST_MB}", field=variable)
    return round(mb * MEGABYTE)


def configured_limits() -> BodyLimits:
    """`OKRKIT_BODY_LIMIT_MB` and `OKRKIT_UPLOAD_LIMIT_MB` (megabytes above 0 and at most
    1024), or the defaults."""
    return BodyLimits(
        body=_configured_mb(BODY_LIMIT_VARIABLE, BODY_LIMIT_MB),
        upload=_configured_mb(UPLOAD_LIMIT_VARIABLE, UPLOAD_LIMIT_MB),
    )


def megabytes(size: int) -> str:
    """`12_400_000` → `12.4 MB`; `1_000_000` → `1 MB`."""
    return f"{size / MEGABYTE:,.1f}".removesuffix(".0") + " MB"


def _too_large(size: int | None, limit: int, upload: bool) -> BodyProblem:
    kind = "a file upload or an import" if upload else "a request body"
    said = megabytes(size) if size is not None else None
    if said is None or said == megabytes(limit):
        said = f"more than {megabytes(limit)}"
    return BodyProblem(TOO_LARGE, f"The request body is {said}; the limit for {kind} is "
                       f"{megabytes(limit)}.")  # fmt: skip


class LimitedBodies:
    """ASGI middleware: refuse a body over its limit as it streams (see the module)."""

    def __init__(
        self, app: ASGIApp, limits: BodyLimits, imports: Collection[Callable[..., object]]
    ) -> None:
        self.app = app
        self.limits = limits
        self.imports = frozenset(imports)  # the routes' functions whose body is an import

    def _is_upload(self, scope: Scope, headers: Headers) -> bool:
        if headers.get("content-type", "").lower().startswith("multipart/form-data"):
            return True
        return scope.get("endpoint") in self.imports

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        size = int(declared) if declared is not None and declared.isdigit() else None
        received = 0

        async def counted() -> Message:
            nonlocal received
            # Read after routing: by now the route, and so whether this is an import, is known.
            upload = self._is_upload(scope, headers)
            limit = self.limits.upload if upload else self.limits.body
            if size is not None and size > limit:
                raise _too_large(size, limit, upload)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _too_large(size, limit, upload)
            return message

        await self.app(scope, counted, send)
