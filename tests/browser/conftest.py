"""A real okrkit server on loopback with the demo workspace, and Debian's Chromium.

The server is uvicorn in a thread of the test process, on a free port of 127.0.0.1,
serving a fresh SQLite database in the test's temporary folder; the test stops it.
Each server's workspace has an admin account (`tests.support.browsers.ADMIN`) and an
API token for it (`API_TOKENS[url]`); a tab of a test that uses a server signs in on its
real sign-in page first.
Chromium is Debian's (`/usr/bin/chromium`), never a downloaded browser: when it is
missing the tests fail and say how to install it, they are not skipped.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import Engine

from okrkit import demo
from okrkit.adapters.store.engine import make_engine
from okrkit.adapters.store.migrate import upgrade
from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.domain.access import operator
from okrkit.domain.accounts import Role
from okrkit.interfaces.web.app import create_app
from okrkit.services import accounts
from okrkit.services.accounts import add_account
from okrkit.services.objectives import EditObjective, edit_objective
from okrkit.services.workspace import load_workspace
from tests.support import okrs
from tests.support.actors import as_actor
from tests.support.browsers import ADMIN, PASSWORD, TEST_PASSWORDS, bearer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]


# The admin's API token on each running server, by its base URL.
API_TOKENS: dict[str, dict[str, str]] = {}
# The fixtures that serve a workspace: a tab of a test using one signs in to it.
SERVERS = ("server", "okr_server", "healthy_server", "subs_server", "token_fence_only")


def sign_in(tab: Page, url: str, email: str = ADMIN) -> None:
    """Sign in on the server's sign-in page, as a person would."""
    tab.goto(f"{url}/sign-in")
    tab.get_by_label("E-mail").fill(email)
    tab.get_by_label("Password").fill(PASSWORD)
    with tab.expect_navigation():
        tab.get_by_role("button", name="Sign in").click()
    assert "/sign-in" not in tab.url, tab.content()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _serving(
    engine: Engine,
    clock: Callable[[], datetime] | None = None,
    *,
    without: Sequence[Callable[..., object]] = (),
) -> Iterator[str]:
    """Serve the app on the engine's database from a thread, on a free loopback port;
    `without` names app-wide checks left out (to show that another one holds alone)."""
    port = _free_port()
    app = (
        create_app(lambda: SqlUnitOfWork(engine))
        if clock is None
        else create_app(lambda: SqlUnitOfWork(engine), clock=clock)
    )
    for check in without:
        app.dependency_overrides[check] = lambda: None
    token = bearer(app)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", ws="none"
    )
    web = uvicorn.Server(config)
    thread = threading.Thread(target=web.run, name="okrkit-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not web.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the test server did not start on 127.0.0.1:{port}")
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}"
    API_TOKENS[url] = token
    try:
        yield url
    finally:
        API_TOKENS.pop(url, None)
        web.should_exit = True
        thread.join(timeout=10)
        engine.dispose()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The base URL of a running server holding the demo workspace of today."""
    engine = make_engine(f"sqlite:///{tmp_path / 'okrkit.db'}")
    upgrade(engine)
    now = datetime.now(UTC).replace(tzinfo=None)
    workspace = demo.build(now.date())
    load_workspace(
        SqlUnitOfWork(engine),
        workspace.teams,
        workspace.kpis,
        workspace.values,
        as_actor("demo"),
        now,
    )
    with _serving(engine) as url:
        yield url


@pytest.fixture
def okr_server(tmp_path: Path) -> Iterator[str]:
    """The base URL of a running server holding the OKR workspace of `tests.support.okrs`
    (2026-Q3, six weeks of check-ins), its clock stopped at `okrs.NOW`."""
    engine = make_engine(f"sqlite:///{tmp_path / 'okrs.db'}")
    upgrade(engine)
    okrs.build(SqlUnitOfWork(engine))
    with _serving(engine, clock=lambda: okrs.NOW) as url:
        yield url


# The people of `private_okr_server`: a viewer of the growth team, which owns the private
# objective, and an editor of the company team, who is outside it.
MEMBER = "bo@example.com"
OUTSIDER = "cy@example.com"


@pytest.fixture
def private_okr_server(tmp_path: Path) -> Iterator[str]:
    """`okr_server`'s workspace with the growth team's objective "streamline-onboarding"
    made private, and two more accounts (password `PASSWORD`): `MEMBER`, a viewer of
    growth, and `OUTSIDER`, an editor of company."""
    engine = make_engine(f"sqlite:///{tmp_path / 'okrs.db'}")
    upgrade(engine)
    okrs.build(SqlUnitOfWork(engine))
    edit = EditObjective("streamline-onboarding", 1, {"private": True})
    edit_objective(SqlUnitOfWork(engine), edit, operator("tests"), okrs.NOW)
    for email, teams in ((MEMBER, {"growth": Role.VIEWER}), (OUTSIDER, {"company": Role.EDITOR})):
        command = accounts.AddAccount(email, password=PASSWORD, teams=teams)
        add_account(SqlUnitOfWork(engine), TEST_PASSWORDS, command, operator("tests"), okrs.NOW)
    with _serving(engine, clock=lambda: okrs.NOW) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless; a missing browser fails the run with the fix."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium. Install it "
            "with `sudo apt-get install chromium` (or run `make system-deps`).",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser tab at laptop size, signed in to the test's server; errors in the
    page's scripts fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    for name in SERVERS:
        if name in request.fixturenames:
            sign_in(tab, request.getfixturevalue(name))
    yield tab
    context.close()
    assert not errors, f"script errors in the page: {errors}"
