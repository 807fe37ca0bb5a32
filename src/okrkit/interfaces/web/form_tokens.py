"""Every form a page shows carries a token, and a page write without a valid one is
refused: a stranger's page cannot post okrkit's forms through the person's browser.

A signed double-submit token. Each browser gets a random id in a cookie (`okrkit_browser`:
HttpOnly, SameSite=Lax, Path=/) the first time a page renders a form for it; the form
holds the id signed with the install's secret and the time it was signed (itsdangerous).
A POST to a page is taken only when its `csrf_token` field is a token of this install, at
most `TOKEN_LIFETIME` old, signed for the id in the request's own cookie. A stranger's
page can neither read the token (it is in okrkit's page) nor make one (it needs the
secret): even a cookie it manages to plant — another port of localhost shares okrkit's
cookies — gets it nothing without the matching signature.

SameSite=Lax rather than Strict: a link to okrkit followed from chat or mail arrives
without a Strict cookie, so the page would give the browser a new id, and every other
open tab's form would expire. Lax still keeps the cookie off a cross-site POST.

The secret is the install's: the file `form-secret` in okrkit's data folder, made once
(0600) and read by every worker of `okrkit serve --workers N`, so a token a page of one
worker gave is good in every other and after a restart. An app made without one (tests)
signs with a random secret of its own.

The JSON API takes no token: a script has no cookie and no page, and a browser cannot
send a cross-site JSON body without asking first (CORS), which okrkit never allows;
`deps.same_origin_writes` is the second fence for both.
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path

from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from okrkit.interfaces.web.problems import API_PREFIX, FORM_EXPIRED, ProblemError

__all__ = [
    "BROWSER_COOKIE",
    "SECRET_FILE",
    "TOKEN_FIELD",
    "TOKEN_LIFETIME",
    "REFUSED",
    "BrowserCookie",
    "FormTokens",
    "form_token",
    "install_secret",
    "tokens_checked",
]

BROWSER_COOKIE = "okrkit_browser"
TOKEN_FIELD = "csrf_token"
SECRET_FILE = "form-secret"
# A form left open over a long weekend still posts; a token copied out of a page stops
# working within the week.
TOKEN_LIFETIME = timedelta(days=7)
REFUSED = "This form came from another page or has expired — reload the page and send it again"

_BROWSER_ID = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_STATE = "okrkit.browser"  # scope["state"] key: (browser id, new?, token given?)


class FormTokens:
    """Tokens signed with one secret: `issue` one for a browser's id, `valid` checks one."""

    def __init__(self, secret: bytes) -> None:
        self._signer = URLSafeTimedSerializer(secret, salt="okrkit form token")

    def issue(self, browser: str) -> str:
        return self._signer.dumps(browser)

    def valid(self, token: str, browser: str) -> bool:
        try:
            signed = self._signer.loads(token, max_age=int(TOKEN_LIFETIME.total_seconds()))
        except BadSignature:  # a forgery, another install's or an expired one
            return False
        return isinstance(signed, str) and hmac.compare_digest(signed, browser)


def install_secret(folder: Path) -> bytes:
    """The install's secret in `folder` (made once, readable by its owner only); workers
    starting together agree on it: the first to link its file in wins."""
    path = folder / SECRET_FILE
    if not path.exists():
        draft = folder / f".{SECRET_FILE}-{os.getpid()}-{secrets.token_hex(4)}"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_hex(32))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_bytes().strip()


def _cookie_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            cookie: SimpleCookie = SimpleCookie()
            try:
                cookie.load(value.decode("latin-1"))
            except Exception:  # http.cookies.CookieError: a malformed header is no id
                return None
            morsel = cookie.get(BROWSER_COOKIE)
            if morsel is not None and _BROWSER_ID.fullmatch(morsel.value):
                return morsel.value
    return None


class BrowserCookie:
    """ASGI middleware: the browser's id from its cookie, else a new one, which the
    answer sets as the cookie only when a form token was put in the page."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        known = _cookie_id(scope)
        browser = {"id": known or secrets.token_urlsafe(32), "new": known is None, "used": False}
        scope.setdefault("state", {})[_STATE] = browser

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start" and browser["new"] and browser["used"]:
                cookie = (
                    f"{BROWSER_COOKIE}={browser['id']}; Path=/; HttpOnly; SameSite=Lax"
                ).encode()
                message = {**message, "headers": [*message["headers"], (b"set-cookie", cookie)]}
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _browser(request: Request) -> dict[str, object]:
    browser: dict[str, object] = request.scope["state"][_STATE]
    return browser


@pass_context
def form_token(context: Context) -> Markup:
    """The hidden field every form that writes holds: `{{ form_token() }}`."""
    request: Request = context["request"]
    browser = _browser(request)
    browser["used"] = True
    tokens: FormTokens = request.app.state.form_tokens
    token = tokens.issue(str(browser["id"]))
    return Markup('<input type="hidden" name="{}" value="{}">').format(TOKEN_FIELD, token)


async def tokens_checked(request: Request) -> None:
    """A write to a page (anything but the API) is refused (403) unless it carries a
    valid token for this browser's cookie; before the route runs, so nothing is written."""
    if request.method in _SAFE_METHODS or request.url.path.startswith(API_PREFIX):
        return
    sent = (await request.form()).get(TOKEN_FIELD)
    browser = _browser(request)
    tokens: FormTokens = request.app.state.form_tokens
    if browser["new"] or not isinstance(sent, str) or not tokens.valid(sent, str(browser["id"])):
        raise ProblemError(FORM_EXPIRED, REFUSED)
