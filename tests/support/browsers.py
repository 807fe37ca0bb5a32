"""Test clients signed in as a browser or a script would be.

`BrowserClient` sends a page's form the way a browser does — with the hidden token okrkit
put in a page it loaded, and the cookie that page set — after signing in on the real
sign-in page as an account made through the real use case (an admin, `ADMIN`, unless
told otherwise). `bearer` makes an account and an API token the same way, for a client
of the JSON API. Accounts get the real argon2 with cheap parameters: the hash carries
them, so the app's own check of a password is as cheap (the tests check behaviour, not
key stretching)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from typing import Any

from argon2 import PasswordHasher
from fastapi import FastAPI

from okrkit.adapters.accounts import Argon2Passwords
from okrkit.domain.access import operator
from okrkit.domain.accounts import Role, Scope
from okrkit.interfaces.web.form_tokens import TOKEN_FIELD
from okrkit.services import accounts

with warnings.catch_warnings():
    # Starlette asks for httpx2, which this project does not install; httpx works.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

__all__ = [
    "ADMIN",
    "PASSWORD",
    "TEST_PASSWORDS",
    "TOKEN_PAGE",
    "BrowserClient",
    "TestClient",
    "ensure_account",
    "bearer",
    "form_tokens",
]

# Who a test client is unless told otherwise: an admin.
ADMIN = "maya@example.com"
PASSWORD = "a test password"
TEST_PASSWORDS = Argon2Passwords(PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))

# A page with a form in every workspace, even an empty one.
TOKEN_PAGE = "/cycles/new"
_HIDDEN = re.compile(rf'<input type="hidden" name="{TOKEN_FIELD}" value="([^"]+)">')


def form_tokens(html: str) -> list[str]:
    """The form tokens in a page, one per form that writes."""
    return _HIDDEN.findall(html)


def ensure_account(
    app: FastAPI, email: str = ADMIN, *, admin: bool = True, teams: dict[str, Role] | None = None
) -> str:
    """The account `email` on the app's workspace, made (with `PASSWORD`) if missing."""
    uow = app.state.context.unit_of_work
    with uow() as found:
        exists = found.accounts.find(email) is not None
    if not exists:
        command = accounts.AddAccount(email, password=PASSWORD, admin=admin, teams=teams or {})
        now = app.state.context.clock()
        accounts.add_account(uow(), TEST_PASSWORDS, command, operator("tests"), now)
    return email


def bearer(
    app: FastAPI,
    email: str = ADMIN,
    *,
    admin: bool = True,
    teams: dict[str, Role] | None = None,
    scope: Scope = Scope.WRITE,
) -> dict[str, str]:
    """The `Authorization` header of a new API token of `email` (made if missing)."""
    ensure_account(app, email, admin=admin, teams=teams)
    now = app.state.context.clock()
    made = accounts.create_token(
        app.state.context.unit_of_work(), email, "tests", scope, None, operator("tests"), now
    )
    return {"Authorization": f"Bearer {made.token}"}


class BrowserClient(TestClient):
    """Signs in on the sign-in page as `account` (an admin unless `admin=False`, with
    `teams`; None: not signed in), then posts to a page (anything outside /api/) as a
    form — fields, files or a button alone — carry the token of `TOKEN_PAGE`, loaded
    once, unless the test sends a token of its own."""

    _token: str | None = None

    def __init__(
        self,
        app: Any,
        *args: Any,
        account: str | None = ADMIN,
        admin: bool = True,
        teams: dict[str, Role] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(app, *args, **kwargs)
        if account is not None:
            self.sign_in(account, admin=admin, teams=teams)

    def sign_in(
        self, email: str, *, admin: bool = True, teams: dict[str, Role] | None = None
    ) -> None:
        """Sign in on the sign-in page as `email` (made if missing)."""
        ensure_account(self.app, email, admin=admin, teams=teams)
        form = self.get("/sign-in")
        assert form.status_code == 200, form.text
        fields = {"email": email, "password": PASSWORD, TOKEN_FIELD: form_tokens(form.text)[0]}
        answer = super().request("POST", "/sign-in", data=fields, follow_redirects=False)
        assert answer.status_code == 303, answer.text
        self._token = None

    def form_token(self) -> str:
        if self._token is None:
            page = self.get(TOKEN_PAGE)
            assert page.status_code == 200, page.text
            self._token = form_tokens(page.text)[0]
        return self._token

    def request(self, method: str, url: Any, *args: Any, **kwargs: Any) -> Any:
        form = kwargs.get("data")
        # A browser's form post: any page POST not sent as JSON or raw bytes (a button
        # alone posts an empty form, which carries its token too).
        is_form = kwargs.get("json") is None and kwargs.get("content") is None
        if method.upper() == "POST" and is_form and not str(url).startswith("/api/"):
            fields: Mapping[str, Any] = form or {}
            if TOKEN_FIELD not in fields:
                kwargs["data"] = {**fields, TOKEN_FIELD: self.form_token()}
        return super().request(method, url, *args, **kwargs)
