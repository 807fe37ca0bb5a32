"""Signing in and out, and a person's own account: their teams, password and API tokens.

    /sign-in                  the sign-in form (?next= where to go after); POST signs in
    /sign-in/link/{link}      a one-time link `okrkit serve` printed: signs in, once
    /sign-out                 POST: signs out (the session ends on the server)
    /account                  who you are, your teams and roles, your password, your
                              API tokens; POST …/password, …/tokens, …/tokens/{id}/revoke

The sign-in pages are the only pages open to someone not signed in (`public`); every
other page needs a session (`deps.signed_in`). A new session id is made at every
sign-in, and a token made here is shown on the answer to its POST alone, never cached.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from okrkit.domain.accounts import MAX_EMAIL, MAX_PASSWORD, Scope
from okrkit.domain.errors import Forbidden, InvalidInput, NotFound
from okrkit.interfaces.web.deps import Now, Uow, Who
from okrkit.interfaces.web.forms.accounts import PasswordForm, SignInForm, TokenForm
from okrkit.interfaces.web.forms.check_ins import MAX_ID
from okrkit.interfaces.web.pages.rendering import page
from okrkit.interfaces.web.sessions import (
    end_session_cookie,
    session_secret,
    set_session_cookie,
)
from okrkit.interfaces.web.throttle import SignInThrottle
from okrkit.services import accounts
from okrkit.services.ports import Passwords

__all__ = [
    "account_page",
    "change_password",
    "create_token",
    "public",
    "revoke_token",
    "router",
    "safe_next",
    "sign_in",
    "sign_in_by_link",
    "sign_in_page",
    "sign_out",
]

public = APIRouter()
router = APIRouter()

NextQuery = Annotated[str, Query(alias="next", max_length=2000)]


def safe_next(target: str) -> str:
    """Where to go after signing in: a path of this site only (never another site, so
    a link cannot send a person on to a look-alike page after they signed in)."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ord(c) < 32 for c in target):
        return "/"
    return target


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


def _sign_in_form(
    request: Request,
    form: SignInForm,
    status_code: int = 200,
    error: str | None = None,
    wait: int = 0,
) -> Response:
    answer = page(
        request, "accounts/sign_in.html", status_code, form=form, error=error, wait=wait,
        max_email=MAX_EMAIL, max_password=MAX_PASSWORD,
    )  # fmt: skip
    if wait:
        answer.headers["Retry-After"] = str(wait)
    return _no_store(answer)


@public.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request, next_: NextQuery = "/") -> Response:
    """The sign-in form."""
    return _sign_in_form(request, SignInForm(next=safe_next(next_)))


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@public.post("/sign-in", response_class=HTMLResponse)
def sign_in(request: Request, form: Annotated[SignInForm, Form()], uow: Uow, now: Now) -> Response:
    """Sign in with an e-mail and a password: a new session, and on to `next`. Too
    many failures for the account or from the address wait (429) before any check."""
    throttle: SignInThrottle = request.app.state.throttle
    passwords: Passwords = request.app.state.passwords
    address = _client_address(request)
    wait = throttle.wait(form.email, address)
    if wait:
        error = f"Too many failed sign-ins: wait {wait} seconds, then try again."
        return _sign_in_form(request, form.cleared(), 429, error, wait)
    try:
        signed = accounts.sign_in(
            uow, passwords, form.email, form.password, now, replacing=session_secret(request)
        )
    except InvalidInput as refused:
        throttle.failed(form.email, address)
        return _sign_in_form(request, form.cleared(), 401, refused.message.capitalize() + ".")
    answer = RedirectResponse(safe_next(form.next), status_code=303)
    set_session_cookie(request, answer, signed.session)
    return answer


@public.get("/sign-in/link/{link}")
def sign_in_by_link(
    request: Request, link: Annotated[str, Path(max_length=100)], uow: Uow, now: Now
) -> Response:
    """A one-time sign-in link: a new session for its account, then its account page."""
    signed = accounts.sign_in_by_link(uow, link, now)
    answer = RedirectResponse("/account?welcome=1", status_code=303)
    set_session_cookie(request, answer, signed.session)
    return _no_store(answer)


@router.post("/sign-out")
def sign_out(request: Request, uow: Uow) -> Response:
    """Sign out: the session ends on the server, and the browser forgets its cookie."""
    session = session_secret(request)
    if session is not None:
        accounts.sign_out(uow, session)
    answer = RedirectResponse("/sign-in?signed_out=1", status_code=303)
    end_session_cookie(request, answer)
    return _no_store(answer)


def _account_page(
    request: Request,
    uow: Uow,
    who: Who,
    now: datetime,
    status_code: int = 200,
    *,
    notice: str | None = None,
    errors: dict[str, str] | None = None,
    token_form: TokenForm | None = None,
    new_token: accounts.NewToken | None = None,
) -> Response:
    overview = accounts.account_overview(uow, who)
    return _no_store(
        page(
            request, "accounts/account.html", status_code, nav="account",
            account=overview.stored, tokens=overview.tokens, owns=overview.owns, now=now,
            notice=notice, errors=errors or {},
            token_form=token_form or TokenForm(), new_token=new_token,
            scopes=[s.value for s in Scope], welcome=request.query_params.get("welcome") == "1",
        )
    )  # fmt: skip


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, uow: Uow, who: Who, now: Now) -> Response:
    """Your account: who you are, your teams, your password and your API tokens."""
    return _account_page(request, uow, who, now)


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request, form: Annotated[PasswordForm, Form()], uow: Uow, who: Who, now: Now
) -> Response:
    """Set your password (with your current one, if you have one). Every other browser
    signed in to your account is signed out; this one signs in again at once."""
    passwords: Passwords = request.app.state.passwords
    if form.password != form.again:
        errors = {"again": "the two passwords differ"}
        return _account_page(request, uow, who, now, 422, errors=errors)
    try:
        accounts.reset_password(
            uow, passwords, who.name, form.password, who, now, current=form.current or None
        )
        signed = accounts.sign_in(uow, passwords, who.name, form.password, now)
    except (InvalidInput, Forbidden) as refused:
        where = refused.field if isinstance(refused, InvalidInput) and refused.field else "password"
        message = refused.message if isinstance(refused, InvalidInput) else str(refused)
        return _account_page(request, uow, who, now, 422, errors={where: message})
    answer = RedirectResponse("/account?password=1", status_code=303)
    set_session_cookie(request, answer, signed.session)
    return answer


@router.post("/account/tokens", response_class=HTMLResponse)
def create_token(
    request: Request, form: Annotated[TokenForm, Form()], uow: Uow, who: Who, now: Now
) -> Response:
    """Make an API token for yourself: shown on this answer only."""
    try:
        made = accounts.create_token(
            uow, who.name, form.name, form.scope_value(), form.expiry(now), who, now
        )
    except InvalidInput as refused:
        errors = {refused.field or "name": refused.message}
        return _account_page(request, uow, who, now, 422, errors=errors, token_form=form)
    return _account_page(request, uow, who, now, 201, new_token=made)


@router.post("/account/tokens/{token_id}/revoke", response_class=HTMLResponse)
def revoke_token(
    request: Request,
    token_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    uow: Uow,
    who: Who,
    now: Now,
) -> Response:
    """Revoke one of your API tokens."""
    try:
        accounts.revoke_token(uow, token_id, who, now)
    except Forbidden:
        raise NotFound(f"no API token {token_id} of yours") from None
    return RedirectResponse("/account?revoked=1#tokens", status_code=303)
