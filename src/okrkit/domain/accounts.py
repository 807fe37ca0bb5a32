"""Accounts: the people who sign in to okrkit, and what each may do.

A person signs in with their e-mail and a password (kept only as an argon2 hash, by the
adapter that hashes). An admin may do everything; anyone else is a member of some teams,
as an `editor` (who changes the team's KPIs, objectives, check-ins, alerts and
subscriptions) or a `viewer` (who reads them), and reads what is not private everywhere.
Whoever reaches the API with a token acts as the token's account, within its scope.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from okrkit.domain.errors import InvalidInput

__all__ = [
    "MAX_DISPLAY_NAME",
    "MAX_EMAIL",
    "MAX_PASSWORD",
    "MAX_TOKEN_NAME",
    "MIN_PASSWORD",
    "Account",
    "Owner",
    "Role",
    "Scope",
    "StoredAccount",
    "TokenInfo",
    "TokenUse",
    "checked_display_name",
    "checked_email",
    "checked_password",
    "checked_token_name",
    "owner_email",
]

# RFC 5321's limit on a path, which every mail system keeps.
MAX_EMAIL = 254
MAX_DISPLAY_NAME = 200
# NIST SP 800-63B: at least 8 characters, no composition rules; okrkit asks a little
# more. The upper bound keeps a hash from being asked to chew a megabyte.
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
MAX_TOKEN_NAME = 100

# A mailbox as people type it: something, one @, a domain with a dot or a single label
# (`admin@localhost`). Whether it receives mail is for the mail server to say.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.][^@\s]*$")


class Role(StrEnum):
    """What a member of a team may do with the team's things."""

    EDITOR = "editor"
    VIEWER = "viewer"


class Scope(StrEnum):
    """What an API token may do: read, or read and write."""

    READ = "read"
    WRITE = "write"


def _no_control(text: str, what: str, where: str) -> None:
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise InvalidInput(f"{what} cannot hold a control character (a tab, a NUL, …)", field=where)


def checked_email(text: str, where: str = "email") -> str:
    """An e-mail address as kept: trimmed, lower-case (one person, one account, however
    they type it), at most `MAX_EMAIL` characters, shaped `someone@somewhere`."""
    email = text.strip().lower()
    if not email:
        raise InvalidInput("an account needs an e-mail address", field=where)
    _no_control(email, "an e-mail address", where)
    if len(email) > MAX_EMAIL:
        raise InvalidInput(
            f"an e-mail address is at most {MAX_EMAIL} characters; this one has {len(email):,}",
            field=where,
        )
    if not _EMAIL.match(email):
        raise InvalidInput(f"{email!r} is not an e-mail address (someone@example.com)", field=where)
    return email


def checked_display_name(text: str, email: str, where: str = "name") -> str:
    """The name shown for a person: trimmed, at most `MAX_DISPLAY_NAME` characters; the
    part of the e-mail before the @ when none is given."""
    name = text.strip()
    _no_control(name, "a name", where)
    if len(name) > MAX_DISPLAY_NAME:
        raise InvalidInput(
            f"a name is at most {MAX_DISPLAY_NAME} characters; this one has {len(name):,}",
            field=where,
        )
    return name or email.split("@", 1)[0]


def checked_password(password: str, where: str = "password") -> str:
    """A new password: `MIN_PASSWORD` to `MAX_PASSWORD` characters, any characters but a
    NUL (kept as typed: spaces count)."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            f"a password needs at least {MIN_PASSWORD} characters; this one has {len(password)}",
            field=where,
        )
    if len(password) > MAX_PASSWORD:
        raise InvalidInput(f"a password is at most {MAX_PASSWORD} characters", field=where)
    if "\x00" in password:
        raise InvalidInput("a password cannot hold a NUL byte", field=where)
    return password


def checked_token_name(text: str, where: str = "name") -> str:
    """What a token is for, as its owner names it ("CI", "laptop"): a line of at most
    `MAX_TOKEN_NAME` characters."""
    name = text.strip()
    if not name:
        raise InvalidInput("say what the token is for (a name such as 'CI')", field=where)
    _no_control(name, "a token's name", where)
    if len(name) > MAX_TOKEN_NAME:
        raise InvalidInput(
            f"a token's name is at most {MAX_TOKEN_NAME} characters; this one has {len(name):,}",
            field=where,
        )
    return name


@dataclass(frozen=True)
class Account:
    """A person who signs in: their e-mail (how they are known in the audit log and as
    an owner), the name shown, whether they are an admin and whether the account is
    disabled, and their teams with the role in each."""

    email: str
    name: str
    admin: bool = False
    disabled: bool = False
    teams: dict[str, Role] = field(default_factory=dict)


@dataclass(frozen=True)
class StoredAccount:
    """An account as the workspace keeps it: its row id, whether a password is set, when
    it was made and its version."""

    id: int
    account: Account
    has_password: bool
    created_at: datetime
    version: int


@dataclass(frozen=True)
class TokenInfo:
    """An API token as listed (never the token itself: only its first characters)."""

    id: int
    email: str
    name: str
    scope: Scope
    hint: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None

    def live(self, now: datetime) -> bool:
        """Whether the token still opens the API: not revoked, not expired."""
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)


@dataclass(frozen=True)
class TokenUse:
    """A live token presented with a request: whose it is, its scope, its id and when it
    was last used."""

    account: StoredAccount
    scope: Scope
    id: int
    last_used_at: datetime | None


# An owner written as a mailbox with a name: "Maya Lee <maya@example.com>".
_NAMED_MAILBOX = re.compile(r"^[^<>]*<([^<>\s]+)>\s*$")


def owner_email(owner: str) -> str | None:
    """The e-mail an owner is written with ("maya@example.com", or "Maya Lee
    <maya@example.com>"), lower-cased as accounts keep it; None for a bare name
    ("Maya", "Growth team"), which no account can claim."""
    text = owner.strip()
    named = _NAMED_MAILBOX.match(text)
    if named:
        text = named.group(1)
    return text.lower() if _EMAIL.match(text) else None


@dataclass(frozen=True)
class Owner:
    """An owner as KPIs, objectives and key results name them, and how many of each
    they own; `account` is the e-mail of the account they are (matched by e-mail), None
    for a name no account is linked to — kept as written."""

    name: str
    kpis: int
    objectives: int
    key_results: int
    account: str | None = None
    account_name: str | None = None

    @property
    def linked(self) -> bool:
        return self.account is not None
