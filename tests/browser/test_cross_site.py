"""A stranger's page cannot write through the person's browser: a form on another
site, posting to okrkit's own form address, is refused and writes nothing — in Debian's
Chromium, against a real server, the stranger's page served by a second real server on
loopback."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page


@pytest.fixture
def strangers_site(tmp_path: Path, okr_server: str) -> Iterator[str]:
    """Another site on loopback whose page holds a form that adds a cycle to okrkit."""
    (tmp_path / "index.html").write_text(
        "<!doctype html><html lang='en'><title>A prize!</title><body>"
        f"<form method='post' action='{okr_server}/cycles'>"
        "<input type='hidden' name='name' value='2026-Q4'>"
        "<button>Claim your prize</button></form></body></html>"
    )
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{site.server_address[1]}/"
    finally:
        site.shutdown()
        site.server_close()


def test_a_cross_site_form_post_is_refused_and_writes_nothing(
    okr_server: str, strangers_site: str, page: Page
) -> None:
    page.goto(strangers_site)
    with page.expect_navigation():
        page.get_by_role("button", name="Claim your prize").click()
    assert "is refused" in page.content()
    assert httpx.get(f"{okr_server}/api/v1/cycles/2026-Q4", timeout=30).status_code == 404
    # The same form on okrkit's own page is taken.
    page.goto(f"{okr_server}/cycles/new")
    page.get_by_label("Name").fill("2026-Q4")
    page.get_by_role("button", name="Add the cycle").click()
    page.wait_for_load_state()
    assert httpx.get(f"{okr_server}/api/v1/cycles/2026-Q4", timeout=30).status_code == 200
