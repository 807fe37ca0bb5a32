"""A stranger's page cannot write through the person's browser: a form on another
site, posting to okrkit's own form address, is refused and writes nothing — in Debian's
Chromium, against a real server, the stranger's page served by a second real server on
loopback. Either fence refuses it alone: where the browser says it comes from, and the
form token the stranger's page cannot have."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page

from okrkit.adapters.store.engine import make_engine
from okrkit.adapters.store.migrate import upgrade
from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.interfaces.web.deps import same_origin_writes
from tests.browser.conftest import API_TOKENS, _serving
from tests.support import okrs


@pytest.fixture
def token_fence_only(tmp_path: Path) -> Iterator[str]:
    """okrkit's OKR workspace served without the first fence (where a write comes from),
    so that only the form token stands between a stranger's page and the workspace."""
    engine = make_engine(f"sqlite:///{tmp_path / 'fenced.db'}")
    upgrade(engine)
    okrs.build(SqlUnitOfWork(engine))
    with _serving(engine, clock=lambda: okrs.NOW, without=[same_origin_writes]) as url:
        yield url


def _strangers_site(folder: Path, target: str) -> Iterator[str]:
    """Another site on loopback whose page holds a form that adds a cycle to `target`."""
    folder.mkdir()
    (folder / "index.html").write_text(
        "<!doctype html><html lang='en'><title>A prize!</title><body>"
        f"<form method='post' action='{target}/cycles'>"
        "<input type='hidden' name='name' value='2026-Q4'>"
        "<input type='hidden' name='csrf_token' value='a-guess'>"
        "<button>Claim your prize</button></form></body></html>"
    )
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{site.server_address[1]}/"
    finally:
        site.shutdown()
        site.server_close()


@pytest.fixture
def strangers_site(tmp_path: Path, okr_server: str) -> Iterator[str]:
    yield from _strangers_site(tmp_path / "stranger", okr_server)


@pytest.fixture
def strangers_site_for_fenced(tmp_path: Path, token_fence_only: str) -> Iterator[str]:
    yield from _strangers_site(tmp_path / "stranger", token_fence_only)


def _refused_then_taken(page: Page, stranger: str, okrkit: str, refusal: str) -> None:
    """The stranger's form is refused in words and writes nothing; the same form on
    okrkit's own page, with the token it holds, is taken."""
    page.goto(stranger)
    with page.expect_navigation():
        page.get_by_role("button", name="Claim your prize").click()
    assert refusal in page.content()
    assert (
        httpx.get(
            f"{okrkit}/api/v1/cycles/2026-Q4", headers=API_TOKENS[okrkit], timeout=30
        ).status_code
        == 404
    )
    page.goto(f"{okrkit}/cycles/new")
    page.get_by_label("Name").fill("2026-Q4")
    page.get_by_role("button", name="Add the cycle").click()
    page.wait_for_load_state()
    assert (
        httpx.get(
            f"{okrkit}/api/v1/cycles/2026-Q4", headers=API_TOKENS[okrkit], timeout=30
        ).status_code
        == 200
    )


def test_a_cross_site_form_post_is_refused_and_writes_nothing(
    okr_server: str, strangers_site: str, page: Page
) -> None:
    _refused_then_taken(page, strangers_site, okr_server, "is refused")


def test_the_form_token_alone_refuses_a_cross_site_post(
    token_fence_only: str, strangers_site_for_fenced: str, page: Page
) -> None:
    refusal = "This form came from another page or has expired"
    _refused_then_taken(page, strangers_site_for_fenced, token_fence_only, refusal)
