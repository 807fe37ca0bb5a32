"""`okrkit user add|list|edit|disable|enable|reset-password` and `okrkit token
create|list|revoke`: accounts and API tokens, run by the operator on the server's own
machine (who holds the database, so acts as an admin; the audit log names their login).

A password is never an argument (it would sit in the shell's history and in `ps`): it is
asked for at a terminal, twice, or read from standard input with `--password-stdin`.
"""

from __future__ import annotations

import re
import sys
from datetime import datetime, timedelta
from typing import Annotated, Any

import typer
from rich.table import Table

from okrkit import bootstrap
from okrkit.domain.accounts import Owner, Role, Scope, StoredAccount, TokenInfo
from okrkit.domain.errors import InvalidInput
from okrkit.interfaces.cli import context
from okrkit.interfaces.cli.output import (
    FormatOption,
    OutputFormat,
    console,
    parse_date,
    print_json,
)
from okrkit.services import accounts

__all__ = [
    "account_document",
    "token_create",
    "token_document",
    "token_list",
    "token_revoke",
    "user_add",
    "user_disable",
    "user_edit",
    "user_enable",
    "user_list",
    "user_owners",
    "user_reset_password",
]

Email = Annotated[str, typer.Argument(help="The account's e-mail address.", show_default=False)]
PasswordStdin = Annotated[
    bool,
    typer.Option(
        "--password-stdin", help="Read the password from standard input (its first line)."
    ),
]
Editor = Annotated[
    list[str] | None,
    typer.Option("--editor", help="A team they edit (repeat for more).", show_default=False),
]
Viewer = Annotated[
    list[str] | None,
    typer.Option("--viewer", help="A team they are a viewer of (repeat).", show_default=False),
]


def _password(from_stdin: bool, *, required: bool) -> str | None:
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise InvalidInput("standard input held no password", field="--password-stdin")
        return line
    if sys.stdin.isatty():
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    if required:
        raise InvalidInput(
            "no terminal to ask for the password: pass it on standard input with --password-stdin",
            field="--password-stdin",
        )
    return None


def _teams(editor: list[str] | None, viewer: list[str] | None) -> dict[str, Role]:
    teams = dict.fromkeys(viewer or [], Role.VIEWER)
    teams.update(dict.fromkeys(editor or [], Role.EDITOR))
    return teams


def account_document(stored: StoredAccount) -> dict[str, Any]:
    """An account as `user list --format json` prints it (never its password's hash)."""
    a = stored.account
    return {
        "email": a.email,
        "name": a.name,
        "admin": a.admin,
        "disabled": a.disabled,
        "teams": {key: str(role) for key, role in sorted(a.teams.items())},
        "password": stored.has_password,
        "created_at": stored.created_at.isoformat(),
    }


def _said(stored: StoredAccount, output: OutputFormat, done: str) -> None:
    if output is OutputFormat.JSON:
        print_json(account_document(stored))
        return
    console.print(f"account {stored.account.email} ({stored.account.name}) {done}")


def user_add(
    email: Email,
    name: Annotated[
        str, typer.Option(help="The name shown (default: the e-mail's first part).")
    ] = "",
    admin: Annotated[bool, typer.Option("--admin", help="May do everything.")] = False,
    editor: Editor = None,
    viewer: Viewer = None,
    password_stdin: PasswordStdin = False,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Add an account. Without a terminal or --password-stdin it has no password yet:
    set one with `okrkit user reset-password`."""
    context.ready()
    password = _password(password_stdin, required=False)
    command = accounts.AddAccount(email, name, password, admin, _teams(editor, viewer))
    stored = accounts.add_account(
        context.unit_of_work(), bootstrap.passwords(), command, context.actor(),
        context.now(),
    )  # fmt: skip
    _said(stored, output, "added" if stored.has_password else "added, with no password yet")


def user_list(output: FormatOption = OutputFormat.TABLE) -> None:
    """List the accounts: their teams and roles, and whether they can sign in."""
    context.ready()
    listed = accounts.list_accounts(context.unit_of_work(), context.actor())
    if output is OutputFormat.JSON:
        print_json([account_document(s) for s in listed])
        return
    table = Table(
        "E-mail", "Name", "Role", "Teams", "Signs in", title="Accounts", title_justify="left"
    )
    for s in listed:
        a = s.account
        teams = ", ".join(f"{key} ({role})" for key, role in sorted(a.teams.items()))
        signs_in = "disabled" if a.disabled else ("yes" if s.has_password else "no password")
        table.add_row(a.email, a.name, "admin" if a.admin else "member", teams, signs_in)
    console.print(table)


def _owned(owner: Owner) -> str:
    """What an owner owns, in words: "2 KPIs, 3 key results"."""
    parts = [
        f"{count} {word if count == 1 else plural}"
        for count, word, plural in (
            (owner.kpis, "KPI", "KPIs"),
            (owner.objectives, "objective", "objectives"),
            (owner.key_results, "key result", "key results"),
        )
        if count
    ]
    return ", ".join(parts)


def user_owners(output: FormatOption = OutputFormat.TABLE) -> None:
    """List the owners of KPIs, objectives and key results: each linked to the account
    with their e-mail, or a name no account claims yet (kept as written)."""
    context.ready()
    listed = accounts.list_owners(context.unit_of_work(), context.actor())
    if output is OutputFormat.JSON:
        print_json(
            [
                {
                    "owner": o.name, "account": o.account, "kpis": o.kpis,
                    "objectives": o.objectives, "key_results": o.key_results,
                }
                for o in listed
            ]
        )  # fmt: skip
        return
    table = Table("Owner", "Account", "Owns", title="Owners", title_justify="left")
    for o in listed:
        table.add_row(o.name, o.account or "no account: kept as a name", _owned(o))
    console.print(table)
    unlinked = sum(not o.linked for o in listed)
    if unlinked:
        console.print(
            f"{unlinked} owner(s) are names no account claims. An owner written as an "
            "e-mail is linked once an account has it (okrkit user add EMAIL); a bare name "
            "stays as written."
        )


def _edit(command: accounts.EditAccount, output: OutputFormat, done: str) -> None:
    context.ready()
    stored = accounts.edit_account(context.unit_of_work(), command, context.actor(), context.now())
    _said(stored, output, done)


def user_edit(
    email: Email,
    name: Annotated[str | None, typer.Option(help="A new name shown.")] = None,
    admin: Annotated[
        bool | None, typer.Option("--admin/--no-admin", help="Make or unmake an admin.")
    ] = None,
    editor: Editor = None,
    viewer: Viewer = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Change an account's name, admin role or teams (--editor/--viewer replace its
    teams)."""
    teams = _teams(editor, viewer) if editor is not None or viewer is not None else None
    _edit(accounts.EditAccount(email, name=name, admin=admin, teams=teams), output, "changed")


def user_disable(email: Email, output: FormatOption = OutputFormat.TABLE) -> None:
    """Disable an account: its sessions end at once, its tokens stop working."""
    _edit(accounts.EditAccount(email, disabled=True), output, "disabled")


def user_enable(email: Email, output: FormatOption = OutputFormat.TABLE) -> None:
    """Enable a disabled account again."""
    _edit(accounts.EditAccount(email, disabled=False), output, "enabled")


def user_reset_password(
    email: Email, password_stdin: PasswordStdin = False, output: FormatOption = OutputFormat.TABLE
) -> None:
    """Set an account's password; every browser signed in to it is signed out."""
    context.ready()
    password = _password(password_stdin, required=True)
    assert password is not None
    ended = accounts.reset_password(
        context.unit_of_work(), bootstrap.passwords(), email, password,
        context.actor(), context.now(),
    )  # fmt: skip
    if output is OutputFormat.JSON:
        print_json({"email": email.strip().lower(), "sessions_ended": ended})
        return
    console.print(f"password of {email.strip().lower()} set; {ended} open session(s) ended")


_SPAN = re.compile(r"^(\d{1,4})d$")


def _expiry(text: str | None, now: datetime) -> datetime | None:
    """`90d` (days from now) or a date (its midnight UTC); None never expires."""
    if text is None:
        return None
    span = _SPAN.match(text.strip())
    if span:
        return now + timedelta(days=int(span.group(1)))
    day = parse_date(text, "--expires")
    return datetime(day.year, day.month, day.day)


def token_document(info: TokenInfo, now: datetime) -> dict[str, Any]:
    """A token as `token list --format json` prints it (never the token)."""

    def at(moment: datetime | None) -> str | None:
        return None if moment is None else moment.isoformat()

    return {
        "id": info.id, "account": info.email, "name": info.name, "scope": str(info.scope),
        "starts": info.hint, "created_at": at(info.created_at), "expires_at": at(info.expires_at),
        "revoked_at": at(info.revoked_at), "last_used_at": at(info.last_used_at),
        "live": info.live(now),
    }  # fmt: skip


def token_create(
    user: Annotated[str, typer.Option(help="The account it acts as.", show_default=False)],
    name: Annotated[str, typer.Option(help="What it is for: 'CI', 'laptop'.", show_default=False)],
    scope: Annotated[Scope, typer.Option(help="read, or write (read and write).")] = Scope.READ,
    expires: Annotated[
        str | None, typer.Option(help="When it stops working: 90d, or a date (2027-03-31).")
    ] = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Make an API token. It is printed once: okrkit keeps only its hash."""
    context.ready()
    now = context.now()
    made = accounts.create_token(
        context.unit_of_work(), user, name, scope, _expiry(expires, now),
        context.actor(), now,
    )  # fmt: skip
    if output is OutputFormat.JSON:
        print_json({**token_document(made.info, now), "token": made.token})
        return
    typer.echo(made.token)
    console.print(
        f"token {made.info.id} ({made.info.name}, {made.info.scope}) for {made.info.email}: "
        "shown this once; send it as `Authorization: Bearer <token>`",
        highlight=False,
    )


def token_list(
    user: Annotated[str | None, typer.Option(help="Only this account's tokens.")] = None,
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """List API tokens (never the tokens themselves: how each starts)."""
    context.ready()
    now = context.now()
    listed = accounts.list_tokens(
        context.unit_of_work(), context.actor(),
        None if user is None else user.strip().lower(),
    )  # fmt: skip
    if output is OutputFormat.JSON:
        print_json([token_document(t, now) for t in listed])
        return
    table = Table(
        "Id", "Account", "Name", "Scope", "Starts", "Expires", "State", title="API tokens"
    )
    for t in listed:
        state = "revoked" if t.revoked_at else ("live" if t.live(now) else "expired")
        expiry = "never" if t.expires_at is None else t.expires_at.date().isoformat()
        table.add_row(str(t.id), t.email, t.name, str(t.scope), t.hint + "…", expiry, state)
    console.print(table)


def token_revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (token list).")],
    output: FormatOption = OutputFormat.TABLE,
) -> None:
    """Revoke an API token: it opens nothing from now on."""
    context.ready()
    now = context.now()
    info = accounts.revoke_token(context.unit_of_work(), token_id, context.actor(), now)
    if output is OutputFormat.JSON:
        print_json(token_document(info, now))
        return
    console.print(f"token {info.id} ({info.name}) of {info.email} revoked")
