"""Who a request comes from: an API token (`Authorization: Bearer …`) or a browser's
signed session cookie, read once per request.

The session cookie (`okrkit_session`) holds the session's random id signed with the
install's secret (itsdangerous), HttpOnly, SameSite=Lax, Path=/, Secure when the page
was asked for over HTTPS (behind a proxy that terminates TLS, `okrkit serve` trusts its
`X-Forwarded-Proto`), and lives as long as the session. The store keeps only the
SHA-256 of the id, so the session ends for good when it is signed out, when the
account's password is reset or when the account is disabled, whatever the cookie says.

A bearer token that opens nothing (unknown, revoked, expired, a disabled account's) is
refused with 401 rather than treated as no token: a script should hear that its token
stopped working, not get an anonymous answer.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from okrkit.domain.access import Actor
from okrkit.interfaces.web.problems import SIGN_IN_REQUIRED, ProblemError
from okrkit.services import accounts

__all__ = [
    "SESSION_COOKIE",
    "SessionCookies",
    "end_session_cookie",
    "known_actor",
    "request_actor",
    "session_secret",
    "set_session_cookie",
]

SESSION_COOKIE = "okrkit_session"
_STATE = "okrkit_actor"
_MAX_AGE = int(accounts.SESSION_LIFETIME.total_seconds())


class SessionCookies:
    """Signs a session's id for its cookie and reads it back."""

    def __init__(self, secret: bytes) -> None:
        self._signer = URLSafeTimedSerializer(secret, salt="okrkit session")

    def dumps(self, session: str) -> str:
        return self._signer.dumps(session)

    def loads(self, cookie: str) -> str | None:
        """The session id a cookie of this install holds, or None (forged, another
        install's, older than a session lives, or malformed)."""
        try:
            session = self._signer.loads(cookie, max_age=_MAX_AGE)
        except BadSignature:
            return None
        return session if isinstance(session, str) else None


def _cookies(request: Request) -> SessionCookies:
    cookies: SessionCookies = request.app.state.session_cookies
    return cookies


def session_secret(request: Request) -> str | None:
    """The session id in the request's cookie, when it is one this install signed."""
    cookie = request.cookies.get(SESSION_COOKIE)
    return None if not cookie else _cookies(request).loads(cookie)


def request_actor(request: Request, now: datetime) -> Actor | None:
    """Who the request comes from, read once per request: its bearer token's account
    (within the token's scope) or its session's; None when it carries neither. A bearer
    token that opens nothing is refused (401)."""
    if _STATE in request.scope.setdefault("state", {}):
        found: Actor | None = request.scope["state"][_STATE]
        return found
    uow = request.app.state.context.unit_of_work
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    actor: Actor | None
    if scheme.lower() == "bearer" and token.strip():
        actor = accounts.token_actor(uow(), token.strip(), now)
        if actor is None:
            raise ProblemError(
                SIGN_IN_REQUIRED,
                "this API token opens nothing: it is unknown, revoked or expired, or its "
                "account is disabled",
                field="Authorization",
            )
    elif scheme:
        raise ProblemError(
            SIGN_IN_REQUIRED,
            "send the token as 'Authorization: Bearer <token>'",
            field="Authorization",
        )
    else:
        session = session_secret(request)
        actor = None if session is None else accounts.session_actor(uow(), session, now)
    request.scope["state"][_STATE] = actor
    return actor


def known_actor(request: Request) -> Actor | None:
    """Who the request comes from, when it has been read already (never reads the
    store): what a page's header shows."""
    found: Actor | None = request.scope.get("state", {}).get(_STATE)
    return found


def set_session_cookie(request: Request, response: Response, session: str) -> None:
    """Give the browser its new session's cookie."""
    response.set_cookie(
        SESSION_COOKIE,
        _cookies(request).dumps(session),
        max_age=_MAX_AGE,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def end_session_cookie(request: Request, response: Response) -> None:
    """Tell the browser to forget its session's cookie."""
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax",
        secure=request.url.scheme == "https",
    )  # fmt: skip
