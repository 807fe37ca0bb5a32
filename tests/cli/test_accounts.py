"""`okrkit user …` and `okrkit token …` against a real database: SQLite files and the
session's PostgreSQL."""

from __future__ import annotations

import io
import json
from datetime import datetime

import pytest

from okrkit.adapters.accounts import Argon2Passwords
from okrkit.adapters.store.engine import make_engine
from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.services import accounts
from tests.cli.helpers import assert_one_line_error, okrkit_in, okrkit_json

PASSWORDS = Argon2Passwords()


@pytest.fixture
def stdin(monkeypatch):
    """Standard input as a pipe would give it (no terminal)."""

    def feed(text: str) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO(text))

    feed("")
    return feed


def test_an_account_with_its_teams_round_trips_and_never_shows_its_hash(database, stdin):
    assert okrkit_in(database, "team", "add", "growth", "--name", "Growth").returncode == 0
    stdin("a long enough password\n")
    added = okrkit_json(
        database, "user", "add", "Ana@Example.com", "--name", "Ana", "--editor", "growth",
        "--password-stdin",
    )  # fmt: skip
    assert added["email"] == "ana@example.com"
    assert added["teams"] == {"growth": "editor"}
    assert added["password"] is True
    listed = okrkit_in(database, "user", "list", "--format", "json")
    assert "argon2" not in listed.stdout
    assert [a["email"] for a in json.loads(listed.stdout)] == ["ana@example.com"]
    # Without a terminal or --password-stdin, no password yet, said so.
    bo = okrkit_in(database, "user", "add", "bo@example.com")
    assert "added, with no password yet" in bo.stdout


def test_a_password_is_read_from_stdin_and_a_short_one_is_named(database, stdin):
    stdin("short\n")
    result = okrkit_in(database, "user", "add", "ana@example.com", "--password-stdin")
    assert_one_line_error(result, "password", "at least 10 characters")
    assert okrkit_json(database, "user", "list") == []
    stdin("")
    result = okrkit_in(database, "user", "reset-password", "ana@example.com")
    assert_one_line_error(result, "--password-stdin", "no terminal")


def test_disable_and_reset_password_end_what_was_open(database, stdin):
    stdin("a long enough password\n")
    okrkit_in(database, "user", "add", "ana@example.com", "--admin", "--password-stdin")
    stdin("a long enough password\n")
    okrkit_in(database, "user", "add", "bo@example.com", "--password-stdin")
    engine = make_engine(database["OKRKIT_DATABASE_URL"])
    uow = SqlUnitOfWork(engine)
    now = datetime.now()
    signed = accounts.sign_in(uow, PASSWORDS, "bo@example.com", "a long enough password", now)
    stdin("another long password\n")
    reset = okrkit_json(database, "user", "reset-password", "bo@example.com", "--password-stdin")
    assert reset == {"email": "bo@example.com", "sessions_ended": 1}
    assert accounts.session_actor(uow, signed.session, now) is None
    assert okrkit_json(database, "user", "disable", "bo@example.com")["disabled"] is True
    result = okrkit_in(database, "user", "disable", "ana@example.com")
    assert_one_line_error(result, "ana@example.com is the only admin")
    engine.dispose()


def test_a_token_is_printed_once_listed_by_its_start_and_revoked(database, stdin):
    okrkit_in(database, "user", "add", "ana@example.com")
    made = okrkit_in(database, "token", "create", "--user", "ana@example.com", "--name", "CI")
    assert made.returncode == 0, made.stderr
    token = made.stdout.splitlines()[0]
    assert token.startswith("okrkit_")
    assert "shown this once" in made.stdout
    (listed,) = okrkit_json(database, "token", "list")
    assert token not in json.dumps(listed)
    assert listed["starts"] == token[:12]
    assert listed["scope"] == "read"
    assert listed["live"] is True
    revoked = okrkit_json(database, "token", "revoke", str(listed["id"]))
    assert revoked["live"] is False
    assert revoked["revoked_at"] is not None
    past = okrkit_in(
        database, "token", "create", "--user", "ana@example.com", "--name", "x",
        "--expires", "2000-01-01",
    )  # fmt: skip
    assert_one_line_error(past, "expires", "in the future")
    nobody = okrkit_in(database, "token", "create", "--user", "bo@example.com", "--name", "x")
    assert_one_line_error(nobody, "no account 'bo@example.com'")


def test_owners_are_listed_linked_by_email_or_as_names(okr_workspace, stdin):
    okrkit_in(okr_workspace, "user", "add", "noah@example.com", "--name", "Noah")
    listed = {o["owner"]: o for o in okrkit_json(okr_workspace, "user", "owners")}
    assert listed["noah@example.com"]["account"] == "noah@example.com"
    assert listed["noah@example.com"]["key_results"] == 2
    assert listed["ceo@example.com"]["account"] is None
    table = okrkit_in(okr_workspace, "user", "owners")
    assert table.returncode == 0
    assert "no account: kept as a name" in table.stdout
    assert "2 owner(s) are names no account claims" in table.stdout
