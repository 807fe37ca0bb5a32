"""Every form that writes carries a token, and a page write without this browser's valid
token is a 403 page in words that writes nothing — on SQLite and on PostgreSQL."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.interfaces.web.app import create_app
from okrkit.interfaces.web.form_tokens import (
    BROWSER_COOKIE,
    REFUSED,
    SECRET_FILE,
    TOKEN_FIELD,
    TOKEN_LIFETIME,
    install_secret,
)
from okrkit.interfaces.web.pages.rendering import TEMPLATES
from tests.support import okrs
from tests.support.browsers import BrowserClient, TestClient, bearer, form_tokens

SECRET = b"a secret of this test install"
FORM_TAG = re.compile(r"<form\b[^>]*>", re.S)
POST_FORM = re.compile(r'<form\b[^>]*method="post"[^>]*>(.*?)</form>', re.S)


@pytest.fixture
def app(okr_app):
    return okr_app(secret=SECRET)


@pytest.fixture
def browser(app) -> Iterator[BrowserClient]:
    with BrowserClient(app, follow_redirects=False) as client:
        yield client


@pytest.fixture
def stranger(app) -> Iterator[TestClient]:
    """Another browser, which never loaded okrkit's pages."""
    with TestClient(app, follow_redirects=False) as client:
        yield client


def test_every_form_that_writes_in_every_template_holds_the_token():
    """A new form without `{{ form_token() }}` fails here before any page renders it."""
    missing = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        for tag in FORM_TAG.finditer(text):
            if 'method="post"' not in tag.group(0):
                continue
            following = text[tag.end() :].lstrip()
            if not following.startswith("{{ form_token() }}"):
                missing.append(f"{path.relative_to(TEMPLATES)}: {tag.group(0)}")
    assert not missing, missing


def _crawl(client: TestClient, starts: list[str], limit: int = 120) -> dict[str, str]:
    """The pages reachable from `starts` by the links they show, by address."""
    seen: dict[str, str] = {}
    queue = list(starts)
    while queue and len(seen) < limit:
        address = queue.pop(0)
        if address in seen:
            continue
        page = client.get(address)
        if page.status_code != 200 or "text/html" not in page.headers["content-type"]:
            continue
        seen[address] = page.text
        for link in re.findall(r'href="(/[^"#?]*)"', page.text):
            if not link.startswith(("/static", "/api")) and link not in seen:
                queue.append(link)
    return seen


def test_every_page_renders_a_valid_token_in_every_form_that_writes(browser, app):
    pages = _crawl(browser, ["/", "/cycles", "/me/week", "/kpis/new", "/cycles/2026-Q3/close"])
    forms = {
        (address, action)
        for address, html in pages.items()
        for action in re.findall(r'<form\b[^>]*method="post"[^>]*action="([^"]*)"', html)
    }
    actions = {re.sub(r"/[^/]*(?=/|$)", "/*", action) for _, action in forms}
    assert len(forms) >= 10, forms
    assert {"/*", "/*/*/*", "/*/*/*/*"} <= actions  # new, edit and operation forms alike
    cookie = browser.cookies[BROWSER_COOKIE]
    for address, html in pages.items():
        for body in POST_FORM.findall(html):
            tokens = form_tokens(body)
            assert len(tokens) == 1, (address, body[:200])
            assert app.state.form_tokens.valid(tokens[0], cookie), address


def _cycle_exists(client: TestClient) -> bool:
    return client.get("/api/v1/cycles/2026-Q4").status_code == 200


def _refused(answer) -> None:
    assert answer.status_code == 403, answer.text
    assert answer.headers["content-type"].startswith("text/html")
    assert REFUSED in answer.text.replace("&mdash;", "—")


class _SignedLongAgo(TimestampSigner):
    def get_timestamp(self) -> int:
        return int(time.time() - TOKEN_LIFETIME.total_seconds() - 60)


def _old_token(browser_id: str) -> str:
    """A token of this install for this browser, signed a minute too long ago."""
    signer = URLSafeTimedSerializer(SECRET, salt="okrkit form token", signer=_SignedLongAgo)
    return signer.dumps(browser_id)


def test_a_page_write_without_this_browsers_valid_token_is_refused_and_writes_nothing(
    app, browser, stranger
):
    token = browser.form_token()
    cookie = browser.cookies[BROWSER_COOKIE]
    # The same browser (its cookie), sending exactly the fields given.
    same = TestClient(app, follow_redirects=False, cookies={BROWSER_COOKIE: cookie})
    forged = URLSafeTimedSerializer(b"another install", salt="okrkit form token").dumps(cookie)
    tries = {
        "no token": (same, {"name": "2026-Q4"}),
        "an empty token": (same, {"name": "2026-Q4", TOKEN_FIELD: ""}),
        "a token of another install": (same, {"name": "2026-Q4", TOKEN_FIELD: forged}),
        "a token made up": (same, {"name": "2026-Q4", TOKEN_FIELD: cookie}),
        "an expired token": (same, {"name": "2026-Q4", TOKEN_FIELD: _old_token(cookie)}),
        "another browser's token": (stranger, {"name": "2026-Q4", TOKEN_FIELD: token}),
    }
    for reason, (client, form) in tries.items():
        answer = client.post("/cycles", data=form)
        assert answer.status_code == 403, reason
        _refused(answer)
        assert not _cycle_exists(browser), reason
    # A token copied with a planted cookie of its own: the signature is for another id.
    stranger.cookies.set(BROWSER_COOKIE, "x" * 43)
    _refused(stranger.post("/cycles", data={"name": "2026-Q4", TOKEN_FIELD: token}))
    # Not a form at all, and not even the fields the route wants: still the token first.
    _refused(same.post("/cycles", json={"name": "2026-Q4"}))
    _refused(same.post("/cycles/2026-Q3/close"))
    assert not _cycle_exists(browser)
    taken = browser.post("/cycles", data={"name": "2026-Q4", TOKEN_FIELD: token})
    assert taken.status_code == 303, taken.text
    assert _cycle_exists(browser)


def test_an_upload_without_the_token_is_refused_and_imports_nothing(browser):
    def values() -> int:
        return len(browser.get("/api/v1/kpis/trial_to_paid/values?limit=1000").json()["items"])

    before = values()
    upload = {"file": ("values.csv", b"timestamp,value\n2026-08-10,99\n", "text/csv")}
    _refused(browser.post("/kpis/trial_to_paid/import", files=upload, data={TOKEN_FIELD: "x"}))
    assert values() == before
    taken = browser.post("/kpis/trial_to_paid/import", files=upload)
    assert taken.status_code == 303, taken.text
    preview = taken.headers["location"]
    assert preview.startswith("/kpis/trial_to_paid/import/")
    _refused(browser.post(preview, data={TOKEN_FIELD: "x"}))  # its confirmation too
    assert values() == before
    assert browser.post(preview).status_code == 303
    assert values() == before + 1


def test_the_json_api_takes_no_token_and_sets_no_cookie(app):
    with TestClient(app, headers=bearer(app)) as script:
        created = script.post("/api/v1/cycles", json={"name": "2026-Q4"})
    assert created.status_code == 201, created.text
    assert "set-cookie" not in created.headers


def test_the_browser_cookie_is_set_once_http_only_same_site_for_the_whole_site(stranger):
    first = stranger.get("/sign-in")  # the one form of someone not signed in
    cookie = first.headers["set-cookie"]
    assert cookie.startswith(f"{BROWSER_COOKIE}=")
    assert {"Path=/", "HttpOnly", "SameSite=Lax"} <= {p.strip() for p in cookie.split(";")}
    assert "set-cookie" not in stranger.get("/sign-in").headers  # it has one now


def test_tokens_one_worker_gave_are_good_in_every_worker_of_the_install(engine, tmp_path):
    """Every worker reads the install's secret file; another install's tokens fail."""
    secret = install_secret(tmp_path)
    assert install_secret(tmp_path) == secret
    assert (tmp_path / SECRET_FILE).stat().st_mode & 0o777 == 0o600
    other = Path(tmp_path / "other")
    other.mkdir()

    def worker(key: bytes):
        return create_app(lambda: SqlUnitOfWork(engine), clock=lambda: okrs.NOW, secret=key)

    with BrowserClient(worker(secret), follow_redirects=False) as first:
        token = first.form_token()
        cookies = dict(first.cookies)
    for key, status in ((secret, 303), (install_secret(other), 403)):
        with TestClient(worker(key), follow_redirects=False, cookies=cookies) as second:
            name = {303: "2027-Q1", 403: "2027-Q2"}[status]
            answer = second.post("/cycles", data={"name": name, TOKEN_FIELD: token})
            assert answer.status_code == status, answer.text
