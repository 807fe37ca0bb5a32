"""Accounts: adding people, their teams and passwords, signing in and out, API tokens,
and who a session or a token acts as.

A session, a token and a one-time link are 256 random bits handed out once; the store
keeps only their SHA-256, so a copy of the database opens nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from okrkit.domain.access import Actor
from okrkit.domain.accounts import (
    Account,
    Owner,
    Role,
    Scope,
    StoredAccount,
    TokenInfo,
    checked_display_name,
    checked_email,
    checked_password,
    checked_token_name,
    owner_email,
)
from okrkit.domain.errors import Busy, Forbidden, InvalidInput, NotFound, RuleViolated
from okrkit.services.ports import Passwords, UnitOfWork

__all__ = [
    "FIRST_ADMIN",
    "LAST_USE_STEP",
    "LINK_LIFETIME",
    "SESSION_LIFETIME",
    "TOKEN_PREFIX",
    "AddAccount",
    "EditAccount",
    "NewToken",
    "SignedIn",
    "actor_of",
    "add_account",
    "admin_can_sign_in",
    "create_token",
    "edit_account",
    "first_run_link",
    "account_overview",
    "AccountOverview",
    "list_accounts",
    "list_owners",
    "list_tokens",
    "reset_password",
    "revoke_token",
    "session_actor",
    "sign_in",
    "sign_in_by_link",
    "sign_out",
    "token_actor",
]

# How long a browser stays signed in; signing in again starts a new session.
SESSION_LIFETIME = timedelta(days=14)
# How long the sign-in link `okrkit serve` prints may wait to be clicked.
LINK_LIFETIME = timedelta(hours=24)
# How finely a token's last use is kept: a script calling every second writes it once
# a minute, not once a call.
LAST_USE_STEP = timedelta(minutes=1)
# Marks okrkit's API tokens, so a secret scanner (and a person) can tell one on sight.
TOKEN_PREFIX = "okrkit_"
# The admin `okrkit serve` makes on a workspace nobody can sign in to as an admin.
FIRST_ADMIN = Account("admin@localhost", "Admin", admin=True)


def _secret() -> tuple[str, str]:
    """A new secret and the hash the store keeps of it."""
    raw = secrets.token_urlsafe(32)
    return raw, _hashed(raw)


def _hashed(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def actor_of(stored: StoredAccount, scope: Scope = Scope.WRITE) -> Actor:
    """Who an account acts as: its e-mail as the audit log's name, its admin flag and
    teams; with a read-only token, nothing written."""
    account = stored.account
    return Actor(
        account.email,
        admin=account.admin,
        member_of=frozenset(account.teams),
        edits=frozenset(k for k, role in account.teams.items() if role is Role.EDITOR),
        writes=scope is Scope.WRITE,
    )


def _audited(stored: StoredAccount) -> dict[str, Any]:
    a = stored.account
    return {
        "email": a.email, "name": a.name, "admin": a.admin, "disabled": a.disabled,
        "teams": {k: str(r) for k, r in sorted(a.teams.items())},
        "password": "set" if stored.has_password else "none",
    }  # fmt: skip


@dataclass(frozen=True)
class AddAccount:
    """A new account: e-mail, name (the e-mail's first part when blank), an optional
    password (without one the person cannot sign in until it is reset), admin, and
    the teams with the role in each."""

    email: str
    name: str = ""
    password: str | None = None
    admin: bool = False
    teams: Mapping[str, Role] = field(default_factory=dict)


def add_account(
    uow: UnitOfWork, passwords: Passwords, command: AddAccount, actor: Actor, now: datetime
) -> StoredAccount:
    """Add an account (admins only). The password is kept as an argon2 hash only."""
    email = checked_email(command.email)
    account = Account(
        email, checked_display_name(command.name, email), command.admin, False, dict(command.teams)
    )
    password = None if command.password is None else checked_password(command.password)
    with uow:
        actor.require_admin("add an account")
        hashed = None if password is None else passwords.hash(password)
        stored = uow.accounts.add(account, hashed, actor.name, now)
        uow.audit.append(
            actor=actor.name, action="create", entity="account", key=str(stored.id),
            before=None, after=_audited(stored), at=now,
        )  # fmt: skip
        uow.commit()
    return stored


def list_owners(uow: UnitOfWork, actor: Actor) -> list[Owner]:
    """Every owner of a KPI, an objective or a key result, each linked to the account
    whose e-mail it is written with, or kept as a name no account claims (admins only:
    owners of private things are among them). Unlinked names first, then by name."""
    with uow:
        actor.require_admin("list the owners")
        owned = uow.accounts.owned()
        by_email = {stored.account.email: stored.account for stored in uow.accounts.every()}
    found = []
    for name, (kpis, objectives, key_results) in owned.items():
        email = owner_email(name)
        account = by_email.get(email) if email is not None else None
        found.append(
            Owner(
                name, kpis, objectives, key_results,
                account=None if account is None else account.email,
                account_name=None if account is None else account.name,
            )
        )  # fmt: skip
    return sorted(found, key=lambda o: (o.linked, o.name.casefold(), o.name))


@dataclass(frozen=True)
class AccountOverview:
    """One's own account page: the account, its API tokens, and what it owns (the KPIs,
    objectives and key results whose owner is written with its e-mail)."""

    stored: StoredAccount
    tokens: list[TokenInfo]
    owns: Owner


def account_overview(uow: UnitOfWork, who: Actor) -> AccountOverview:
    """The signed-in person's own account, tokens and what they own."""
    with uow:
        stored = uow.accounts.get(who.name)
        tokens = uow.accounts.tokens(who.name)
        owned = [c for name, c in uow.accounts.owned().items() if owner_email(name) == who.name]
    owns = Owner(
        who.name,
        sum(c[0] for c in owned),
        sum(c[1] for c in owned),
        sum(c[2] for c in owned),
        account=who.name,
        account_name=stored.account.name,
    )
    return AccountOverview(stored, tokens, owns)


def list_accounts(uow: UnitOfWork, actor: Actor) -> list[StoredAccount]:
    """Every account, by e-mail (admins only)."""
    with uow:
        actor.require_admin("list the accounts")
        return uow.accounts.every()


@dataclass(frozen=True)
class EditAccount:
    """Changes to an account; None leaves a field as it is."""

    email: str
    name: str | None = None
    admin: bool | None = None
    disabled: bool | None = None
    teams: Mapping[str, Role] | None = None


def edit_account(
    uow: UnitOfWork, command: EditAccount, actor: Actor, now: datetime
) -> StoredAccount:
    """Change an account (admins only). Disabling it ends its sessions at once and its
    tokens stop working; the last enabled admin can be neither disabled nor demoted."""
    email = checked_email(command.email)
    with uow:
        actor.require_admin("change an account")
        stored = uow.accounts.get(email)
        before = stored.account
        after = replace(
            before,
            name=before.name if command.name is None else checked_display_name(command.name, email),
            admin=before.admin if command.admin is None else command.admin,
            disabled=before.disabled if command.disabled is None else command.disabled,
            teams=before.teams if command.teams is None else dict(command.teams),
        )
        demoted = before.admin and not before.disabled and (not after.admin or after.disabled)
        if demoted and uow.accounts.count(admins=True) <= 1:
            raise RuleViolated(f"{email} is the only admin: make someone else an admin first")
        changed = uow.accounts.update(stored, after, actor.name, now)
        if after.disabled and not before.disabled:
            uow.accounts.end_sessions(stored.id, now)
        uow.audit.append(
            actor=actor.name, action="edit", entity="account", key=str(stored.id),
            before=_audited(stored), after=_audited(changed), at=now,
        )  # fmt: skip
        uow.commit()
    return changed


def reset_password(
    uow: UnitOfWork,
    passwords: Passwords,
    email: str,
    password: str,
    actor: Actor,
    now: datetime,
    *,
    current: str | None = None,
) -> int:
    """Set an account's password: an admin for anyone, a person for themselves with
    their current password. Every open session of the account ends (a stolen cookie
    stops working); returns how many did."""
    email = checked_email(email)
    new = checked_password(password)
    with uow:
        if actor.name != email or not actor.writes:
            actor.require_admin(f"set the password of {email}")
        found = uow.accounts.password_hash(email)
        if found is None:
            raise NotFound(f"no account {email!r}")
        user_id, old_hash, _ = found
        if not actor.admin and (current is None or not passwords.verify(old_hash, current)):
            raise InvalidInput("the current password is not right", field="current")
        uow.accounts.set_password_hash(user_id, passwords.hash(new), actor.name, now)
        ended = uow.accounts.end_sessions(user_id, now)
        uow.audit.append(
            actor=actor.name, action="reset password", entity="account", key=str(user_id),
            before=None, after={"email": email, "sessions ended": ended}, at=now,
        )  # fmt: skip
        uow.commit()
    return ended


@dataclass(frozen=True)
class SignedIn:
    """A new session: the secret for the browser's cookie, the account, and when it ends."""

    session: str
    account: StoredAccount
    expires: datetime


# One message for an unknown e-mail and a wrong password: which one it was is not told.
WRONG = "the e-mail or the password is not right"


def sign_in(
    uow: UnitOfWork,
    passwords: Passwords,
    email: str,
    password: str,
    now: datetime,
    *,
    replacing: str | None = None,
) -> SignedIn:
    """Check an e-mail and password and open a new session (a new id every time, so a
    session id planted before signing in is worth nothing after; `replacing`, the
    browser's old session, ends). A wrong e-mail, a wrong password and a disabled
    account get the same answer, after the same work."""
    try:
        address = checked_email(email)
    except InvalidInput:
        address = ""
    with uow:
        found = uow.accounts.password_hash(address) if address else None
        right = passwords.verify(None if found is None else found[1], password[:4096])
        if found is None or not right or found[2]:
            raise InvalidInput(WRONG, field="password")
        if replacing:
            uow.accounts.end_session(_hashed(replacing))
        raw, hashed = _secret()
        expires = now + SESSION_LIFETIME
        uow.accounts.add_session(found[0], hashed, now, expires)
        account = uow.accounts.get(address)
        uow.commit()
    return SignedIn(raw, account, expires)


def sign_in_by_link(uow: UnitOfWork, link: str, now: datetime) -> SignedIn:
    """Spend a one-time sign-in link for a new session; a used, expired or unknown
    link signs nobody in."""
    with uow:
        account = uow.accounts.use_link(_hashed(link), now)
        if account is None:
            raise NotFound(
                "this sign-in link has been used or has expired: run `okrkit serve` again "
                "for a new one, or sign in with your password"
            )
        raw, hashed = _secret()
        expires = now + SESSION_LIFETIME
        uow.accounts.add_session(account.id, hashed, now, expires)
        uow.commit()
    return SignedIn(raw, account, expires)


def sign_out(uow: UnitOfWork, session: str) -> None:
    """End a session (its cookie opens nothing any more)."""
    with uow:
        uow.accounts.end_session(_hashed(session))
        uow.commit()


def session_actor(uow: UnitOfWork, session: str, now: datetime) -> Actor | None:
    """Who a browser's session acts as; None when it has ended, expired or its account
    is disabled."""
    with uow:
        stored = uow.accounts.session(_hashed(session), now)
    return None if stored is None else actor_of(stored)


def token_actor(uow: UnitOfWork, token: str, now: datetime) -> Actor | None:
    """Who an API token acts as, within its scope; None when it is unknown, revoked,
    expired or its account is disabled. Its last use is recorded to the
    `LAST_USE_STEP` — in a transaction of its own, and skipped while the workspace is
    busy with another write, so reading never waits on the one SQLite writer."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    with uow:
        found = uow.accounts.token(_hashed(token), now)
    if found is None:
        return None
    if found.last_used_at is None or now - found.last_used_at >= LAST_USE_STEP:
        try:
            with uow:
                uow.accounts.token_used(found.id, now)
                uow.commit()
        except Busy:
            pass  # the next use records it
    return actor_of(found.account, found.scope)


@dataclass(frozen=True)
class NewToken:
    """A token just made: the secret, shown this once, and how it is listed."""

    token: str
    info: TokenInfo


def create_token(
    uow: UnitOfWork,
    email: str,
    name: str,
    scope: Scope,
    expires: datetime | None,
    actor: Actor,
    now: datetime,
) -> NewToken:
    """A new API token for an account (one's own, or anyone's for an admin), scoped
    read or write, with an optional expiry. Only its hash is kept: the token is shown
    once."""
    email = checked_email(email)
    name = checked_token_name(name)
    if expires is not None and expires <= now:
        raise InvalidInput("a token's expiry must be in the future", field="expires")
    with uow:
        if actor.name != email:
            actor.require_admin(f"make a token for {email}")
        elif not actor.writes:
            raise Forbidden("a read-only token cannot make tokens")
        stored = uow.accounts.get(email)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        info = uow.accounts.add_token(
            stored.id, _hashed(token), name=name, scope=scope, hint=token[:12],
            now=now, expires=expires,
        )  # fmt: skip
        uow.audit.append(
            actor=actor.name, action="create", entity="api_token", key=str(info.id),
            before=None, after={"account": email, "name": name, "scope": str(scope),
                                "expires": None if expires is None else expires.isoformat()},
            at=now,
        )  # fmt: skip
        uow.commit()
    return NewToken(token, info)


def list_tokens(uow: UnitOfWork, actor: Actor, email: str | None = None) -> list[TokenInfo]:
    """API tokens: one's own, or (for an admin) anyone's or everybody's."""
    with uow:
        if email is None and not actor.admin:
            email = actor.name
        if email is not None and email != actor.name:
            actor.require_admin(f"list the tokens of {email}")
        return uow.accounts.tokens(email)


def revoke_token(uow: UnitOfWork, token_id: int, actor: Actor, now: datetime) -> TokenInfo:
    """Revoke an API token (its own account's, or any for an admin): it opens nothing
    from now on."""
    with uow:
        info = uow.accounts.token_info(token_id)
        if info.email != actor.name:
            actor.require_admin("revoke someone else's token")
        elif not actor.writes:
            raise Forbidden("a read-only token cannot revoke tokens")
        revoked = uow.accounts.revoke_token(token_id, now)
        if info.revoked_at is None:
            uow.audit.append(
                actor=actor.name, action="revoke", entity="api_token", key=str(token_id),
                before=None, after={"account": info.email, "name": info.name}, at=now,
            )  # fmt: skip
        uow.commit()
    return revoked


def admin_can_sign_in(uow: UnitOfWork) -> bool:
    """Whether some enabled admin has a password to sign in with."""
    with uow:
        return any(
            s.account.admin and not s.account.disabled and s.has_password
            for s in uow.accounts.every()
        )


def first_run_link(uow: UnitOfWork, now: datetime) -> str | None:
    """On a workspace where no enabled admin can sign in with a password (a new one, or
    one whose first admin never set theirs), a one-time sign-in link secret for the
    passwordless admin (`FIRST_ADMIN`, made if missing); None where an admin can sign
    in, so no link is ever printed for an established workspace."""
    with uow:
        admins = [s for s in uow.accounts.every() if s.account.admin and not s.account.disabled]
        if any(s.has_password for s in admins):
            return None
        stored = admins[0] if admins else uow.accounts.find(FIRST_ADMIN.email)
        if stored is None:
            stored = uow.accounts.add(FIRST_ADMIN, None, "okrkit", now)
            uow.audit.append(
                actor="okrkit", action="create", entity="account", key=str(stored.id),
                before=None, after=_audited(stored), at=now,
            )  # fmt: skip
        elif not stored.account.admin or stored.account.disabled:
            return None
        raw, hashed = _secret()
        uow.accounts.add_link(stored.id, hashed, now, now + LINK_LIFETIME)
        uow.commit()
    return raw
