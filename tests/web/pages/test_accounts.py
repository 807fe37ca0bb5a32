"""Signing in and out, and the account page, through the app on SQLite and PostgreSQL:
a session is new at every sign-in and ends on the server, a wrong password and an
unknown e-mail answer alike, failures are throttled, and a token is shown once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import Engine

from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.domain.access import operator
from okrkit.interfaces.web.app import create_app
from okrkit.interfaces.web.pages.accounts import safe_next
from okrkit.interfaces.web.sessions import SESSION_COOKIE
from okrkit.interfaces.web.throttle import PER_ACCOUNT, SignInThrottle
from okrkit.services import accounts
from tests.support import okrs
from tests.support.browsers import (
    PASSWORD,
    TEST_PASSWORDS,
    BrowserClient,
    TestClient,
    ensure_account,
    form_tokens,
)
from tests.web.pages.helpers import element, text_of

NOW = datetime(2026, 12, 7, 9, 30)


@pytest.fixture
def app(engine: Engine):
    return create_app(lambda: SqlUnitOfWork(engine), clock=lambda: NOW)


@pytest.fixture
def visitor(app) -> Iterator[BrowserClient]:
    """A browser that has not signed in."""
    with BrowserClient(app, account=None, follow_redirects=False) as client:
        yield client


def _sign_in(client, email: str, password: str = PASSWORD, next_: str = "/"):
    token = form_tokens(client.get("/sign-in").text)[0]
    fields = {"email": email, "password": password, "next": next_, "csrf_token": token}
    return client.post("/sign-in", data=fields)


def test_signing_in_sets_a_new_http_only_same_site_session_and_goes_on(app, visitor):
    ensure_account(app, "ana@example.com", admin=False)
    visitor.cookies.set(SESSION_COOKIE, "planted-by-someone-else")
    answer = _sign_in(visitor, "Ana@Example.com", next_="/tree?cycle=2026-Q3")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/tree?cycle=2026-Q3"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    parts = {p.strip().lower() for p in cookie.split(";")}
    assert {"httponly", "samesite=lax", "path=/"} <= parts
    assert "secure" not in parts  # plain http here; over https below
    assert "planted-by-someone-else" not in cookie
    account = visitor.get("/account")
    assert account.status_code == 200
    assert "Signed in as ana@example.com" in text_of(account.text)


def test_the_session_cookie_is_secure_over_https(app):
    ensure_account(app)
    with BrowserClient(
        app, account=None, base_url="https://okrkit.test", follow_redirects=False
    ) as client:
        answer = _sign_in(client, "maya@example.com")
    assert "secure" in {p.strip().lower() for p in answer.headers["set-cookie"].split(";")}


@pytest.mark.parametrize("email", ["maya@example.com", "nobody@example.com", "not an address"])
def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(app, visitor, email):
    ensure_account(app)
    answer = _sign_in(visitor, email, "wrong password")
    assert answer.status_code == 401
    assert "The e-mail or the password is not right." in text_of(answer.text)
    assert SESSION_COOKIE not in answer.headers.get("set-cookie", "")
    assert 'value="wrong password"' not in answer.text  # the password is not shown back
    assert answer.headers["cache-control"] == "no-store"


def test_failed_sign_ins_are_throttled_per_account_before_any_password_is_checked(app, visitor):
    ensure_account(app)
    for _ in range(PER_ACCOUNT.amount):
        assert _sign_in(visitor, "maya@example.com", "wrong password").status_code == 401
    held = _sign_in(visitor, "maya@example.com")  # even the right password waits now
    assert held.status_code == 429
    assert 0 < int(held.headers["retry-after"]) <= PER_ACCOUNT.get_expiry()
    assert "Too many failed sign-ins" in text_of(held.text)
    assert visitor.get("/account").status_code == 303  # not signed in
    ensure_account(app, "omar@example.com")
    assert _sign_in(visitor, "omar@example.com").status_code == 303  # another account


def test_the_throttle_counts_per_address_across_accounts():
    throttle = SignInThrottle("memory://")
    for n in range(30):
        assert throttle.wait(f"person{n}@example.com", "192.0.2.7") == 0
        throttle.failed(f"person{n}@example.com", "192.0.2.7")
    assert throttle.wait("someone@example.com", "192.0.2.7") > 0
    assert throttle.wait("someone@example.com", "192.0.2.8") == 0


@pytest.mark.parametrize(
    ("asked", "goes"),
    [
        ("/objectives/x?y=1", "/objectives/x?y=1"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("", "/"),
    ],
)
def test_after_signing_in_it_goes_only_to_a_page_of_this_site(asked, goes):
    assert safe_next(asked) == goes


def test_signing_out_ends_the_session_on_the_server(app):
    with BrowserClient(app, follow_redirects=False) as client:
        kept = dict(client.cookies)
        out = client.post("/sign-out")
        assert out.status_code == 303
        assert out.headers["location"] == "/sign-in?signed_out=1"
        assert out.headers["cache-control"] == "no-store"
    with TestClient(app, cookies=kept, follow_redirects=False) as replay:
        assert replay.get("/account").status_code == 303  # the old cookie opens nothing
        assert replay.get("/api/v1/teams").status_code == 401


def test_a_disabled_accounts_open_session_ends_at_once(app):
    ensure_account(app, "bo@example.com", admin=False)
    with BrowserClient(app, account="bo@example.com", follow_redirects=False) as bo:
        assert bo.get("/account").status_code == 200
        accounts.edit_account(
            app.state.context.unit_of_work(),
            accounts.EditAccount("bo@example.com", disabled=True),
            operator("tests"),
            NOW,
        )
        assert bo.get("/account").status_code == 303


def test_a_new_password_signs_out_every_other_browser_but_this_one(app):
    ensure_account(app, "bo@example.com", admin=False)
    with (
        BrowserClient(app, account="bo@example.com", follow_redirects=False) as here,
        BrowserClient(app, account="bo@example.com", follow_redirects=False) as elsewhere,
    ):
        wrong = here.post(
            "/account/password",
            data={
                "current": "not it",
                "password": "a new long password",
                "again": "a new long password",
            },
        )
        assert wrong.status_code == 422
        assert "the current password is not right" in text_of(wrong.text)
        changed = here.post(
            "/account/password",
            data={
                "current": PASSWORD,
                "password": "a new long password",
                "again": "a new long password",
            },
        )
        assert changed.status_code == 303
        assert here.get("/account").status_code == 200
        assert elsewhere.get("/account").status_code == 303


def test_a_token_made_on_the_account_page_is_shown_once_and_can_be_revoked(app):
    with BrowserClient(app, follow_redirects=False) as client:
        made = client.post("/account/tokens", data={"name": "CI", "scope": "read", "expires": "30"})
        assert made.status_code == 201
        assert made.headers["cache-control"] == "no-store"
        token = element(made.text, "textarea", 'id="new-token"').split(">")[1].split("<")[0]
        assert token.startswith("okrkit_")
        listed = client.get("/account")
        assert token not in listed.text
        assert token[:12] in listed.text
        with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as script:
            assert script.get("/api/v1/teams").status_code == 200
            refused = script.post("/api/v1/teams", json={"key": "ops", "name": "Ops"})
            assert refused.status_code == 403  # a read token writes nothing
            assert refused.json()["type"] == "/api/v1/problems/forbidden"
            assert "a read-only token cannot change anything" in refused.json()["detail"]
            (info,) = accounts.list_tokens(
                app.state.context.unit_of_work(), operator("tests"), "maya@example.com"
            )
            revoked = client.post(f"/account/tokens/{info.id}/revoke")
            assert revoked.status_code == 303
            assert script.get("/api/v1/teams").status_code == 401


def test_the_one_time_link_signs_in_once(app, visitor):
    link = accounts.first_run_link(app.state.context.unit_of_work(), NOW)
    assert link is not None
    first = visitor.get(f"/sign-in/link/{link}")
    assert first.status_code == 303
    assert first.headers["location"] == "/account?welcome=1"
    welcome = text_of(visitor.get("/account?welcome=1").text)
    assert "Welcome." in welcome
    assert "Set a password below" in welcome
    with TestClient(app, follow_redirects=False) as other:
        again = other.get(f"/sign-in/link/{link}")
    assert again.status_code == 404
    assert "has been used or has expired" in text_of(again.text)


def test_the_password_form_makes_a_first_password_for_the_first_admin(app, visitor):
    link = accounts.first_run_link(app.state.context.unit_of_work(), NOW)
    visitor.get(f"/sign-in/link/{link}")
    new = "my own long password"
    answer = visitor.post("/account/password", data={"password": new, "again": new})
    assert answer.status_code == 303
    assert accounts.first_run_link(app.state.context.unit_of_work(), NOW) is None
    uow = app.state.context.unit_of_work()
    assert accounts.sign_in(uow, TEST_PASSWORDS, "admin@localhost", new, NOW).account


def test_the_account_page_says_what_its_owner_owns_and_leads_to_their_week(engine):
    okrs.build(SqlUnitOfWork(engine))
    app = create_app(lambda: SqlUnitOfWork(engine), clock=lambda: okrs.NOW)
    with BrowserClient(app, account="noah@example.com", admin=False) as noah:
        owns = element(noah.get("/account").text, "section", 'aria-labelledby="owns-title"')
    said = text_of(owns)
    assert "noah@example.com : 2 key results." in said
    assert "KPI" not in said
    assert 'href="/me/week?owner=noah%40example.com"' in owns
    with BrowserClient(app, account="bo@example.com", admin=False) as bo:
        assert "Nothing is owned by bo@example.com yet" in text_of(bo.get("/account").text)
