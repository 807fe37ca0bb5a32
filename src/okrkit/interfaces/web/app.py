"""The FastAPI application: pages at `/`, the JSON API at `/api/v1`, static files.

`create_app` takes how to open a unit of work and how to read the clock, so tests and
`okrkit serve` run the same app on different databases.
"""

from __future__ import annotations

import atexit
import gc
import os
import secrets
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from okrkit import __version__
from okrkit.adapters.accounts import Argon2Passwords
from okrkit.interfaces.web import api, pages, problems
from okrkit.interfaces.web.api import values as values_api
from okrkit.interfaces.web.body_limits import BodyLimits, LimitedBodies, configured_limits
from okrkit.interfaces.web.deps import (
    Context,
    no_nul_bytes,
    same_origin_writes,
    signed_in,
    utc_now,
)
from okrkit.interfaces.web.form_tokens import (
    BrowserCookie,
    FormTokens,
    form_token,
    install_secret,
    tokens_checked,
)
from okrkit.interfaces.web.head import HeadAsGet
from okrkit.interfaces.web.pages.rendering import error_page, templates
from okrkit.interfaces.web.security import SecurityHeaders
from okrkit.interfaces.web.serving import ALLOWED_HOSTS_VARIABLE
from okrkit.interfaces.web.sessions import SessionCookies
from okrkit.interfaces.web.throttle import SignInThrottle
from okrkit.services.ports import Passwords, UnitOfWork

__all__ = [
    "LOOPBACK_HOSTS",
    "REQUEST_THREADS",
    "STATIC",
    "allowed_hosts",
    "create_app",
    "freeze_for_serving",
    "workspace_app",
]

STATIC = Path(__file__).parent / "static"

# The names a request may give in its Host header when okrkit serves: loopback's, plus
# those `okrkit serve --allowed-host` adds (passed to every worker in
# `serving.ALLOWED_HOSTS_VARIABLE`). Any other name is refused, so a stranger's page
# cannot reach okrkit by pointing a name of its own at 127.0.0.1 (DNS rebinding).
LOOPBACK_HOSTS = ("127.0.0.1", "localhost")


def allowed_hosts() -> list[str]:
    """Loopback's names and those in `OKRKIT_ALLOWED_HOSTS` (comma-separated)."""
    extra = os.environ.get(ALLOWED_HOSTS_VARIABLE, "")
    named = [name.strip().lower() for name in extra.split(",") if name.strip()]
    return list(dict.fromkeys([*LOOPBACK_HOSTS, *named]))


# Threads answering requests at once, per process. Judging and rendering are Python
# work that holds the GIL: more threads than this only take turns on it, so every
# request in flight gets slower together (bench/dashboard.py: with 40, the default,
# the KPI page's p99 under 8 clients was about twice that with 1 or 2).
REQUEST_THREADS = 2


def create_app(
    unit_of_work: Callable[[], UnitOfWork],
    clock: Callable[[], datetime] = utc_now,
    *,
    request_threads: int = REQUEST_THREADS,
    hosts: Sequence[str] | None = None,
    secret: bytes | None = None,
    limits: BodyLimits | None = None,
    passwords: Passwords | None = None,
    throttle: SignInThrottle | None = None,
) -> FastAPI:
    """The web app on a workspace: the pages, the API under /api/v1, static files, HEAD
    wherever GET answers, and every error rendered as a problem (JSON for the API, the
    error page elsewhere); with `hosts`, a request naming another host is refused (400).
    The pages' form tokens and session cookies are signed with `secret` (the install's),
    else a random one; a body over `limits` (by default the configured ones) is refused
    (413). Passwords are checked with `passwords` (argon2id by default), failed sign-ins
    counted by `throttle`."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = request_threads
        yield

    app = FastAPI(
        title="okrkit",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # pages/apidocs.py: the reference without a CDN
        redoc_url=None,
        lifespan=lifespan,
        dependencies=[
            Depends(no_nul_bytes),
            Depends(same_origin_writes),
            Depends(tokens_checked),
        ],
    )
    app.state.context = Context(unit_of_work, clock)
    signing = secret or secrets.token_bytes(32)
    app.state.form_tokens = FormTokens(signing)
    app.state.session_cookies = SessionCookies(signing)
    app.state.passwords = passwords or Argon2Passwords()
    app.state.throttle = throttle or SignInThrottle()
    templates.env.globals["form_token"] = form_token
    problems.install(app, html=error_page)
    app.include_router(api.public, prefix="/api/v1")
    app.include_router(api.router, prefix="/api/v1", dependencies=[Depends(signed_in)])
    app.include_router(pages.public)
    app.include_router(pages.router, dependencies=[Depends(signed_in)])
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    if hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))
    # A values import's JSON body may be as large as an upload.
    imports = [values_api.import_values]
    app.add_middleware(LimitedBodies, limits=limits or configured_limits(), imports=imports)
    app.add_middleware(BrowserCookie)  # the id a page's form tokens are signed for
    app.add_middleware(HeadAsGet)  # HEAD on every GET route
    app.add_middleware(SecurityHeaders)  # on every answer, errors and static files too
    return app


def workspace_app() -> FastAPI:
    """The web app on the configured workspace (`okrkit serve`; with --workers, each
    worker process builds its own).

    What it loads lives as long as the process: moved out of the garbage collector's
    view, its full collections do not pause requests (80–100 ms at scale, measured by
    bench/dashboard.py).
    """
    from okrkit import bootstrap
    from okrkit.adapters.store.engine import data_folder

    secret = install_secret(data_folder())
    app = create_app(bootstrap.unit_of_work, hosts=allowed_hosts(), secret=secret)
    freeze_for_serving()
    return app


def freeze_for_serving() -> None:
    """Move what is loaded so far out of the garbage collector's view, and back at exit
    (so that extension modules freeing their objects at exit find them collected
    instead of reporting them leaked)."""
    gc.collect()
    gc.freeze()
    atexit.register(gc.unfreeze)
