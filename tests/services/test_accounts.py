"""Accounts through the services, on SQLite and PostgreSQL: adding people and their
teams, passwords kept as hashes, sessions and tokens that end when they should, and
the one-time link of a new workspace."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher

from okrkit.adapters.accounts import Argon2Passwords
from okrkit.domain.access import SYSTEM, Actor, operator
from okrkit.domain.accounts import Role, Scope, owner_email
from okrkit.domain.errors import Forbidden, InvalidInput, NotFound, RuleViolated
from okrkit.services import accounts
from okrkit.services.accounts import AddAccount, EditAccount
from okrkit.services.teams import CreateTeam, create_team
from tests.support import okrs
from tests.support.actors import as_actor

NOW = datetime(2026, 12, 7, 9, 30)
ADMIN = operator("root")
# The real argon2 with cheap parameters: the tests check behaviour, not key stretching.
PASSWORDS = Argon2Passwords(PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
PASSWORD = "correct horse battery"


@pytest.fixture
def teams(uow):
    for key in ("growth", "finance"):
        create_team(uow, CreateTeam(key, key.title()), as_actor("maya"), NOW)


def _add(uow, email="ana@example.com", **options):
    command = AddAccount(email, password=options.pop("password", PASSWORD), **options)
    return accounts.add_account(uow, PASSWORDS, command, ADMIN, NOW)


def test_an_account_keeps_its_email_in_lower_case_and_its_password_only_as_a_hash(uow, teams):
    stored = _add(uow, " Ana@Example.COM ", name="Ana", teams={"growth": Role.EDITOR})
    assert stored.account.email == "ana@example.com"
    assert stored.account.teams == {"growth": Role.EDITOR}
    with uow:
        user_id, hashed, disabled = uow.accounts.password_hash("ana@example.com")
    assert hashed is not None
    assert hashed.startswith("$argon2id$")
    assert PASSWORD not in hashed
    assert not disabled
    assert user_id == stored.id
    with uow:
        (entry,) = uow.audit.history("account", str(stored.id))
    assert entry["after"]["password"] == "set"
    assert PASSWORD not in str(entry)


@pytest.mark.parametrize(
    ("command", "says"),
    [
        (AddAccount("not-an-address"), "is not an e-mail address"),
        (AddAccount("  "), "needs an e-mail address"),
        (AddAccount("a@b.c", password="short"), "at least 10 characters"),
        (AddAccount("a@b.c", teams={"nope": Role.VIEWER}), "no team 'nope'"),
        (AddAccount("a\x00b@b.c"), "control character"),
    ],
)
def test_a_bad_account_is_refused_and_nothing_is_written(uow, teams, command, says):
    with pytest.raises((InvalidInput, NotFound), match=says):
        accounts.add_account(uow, PASSWORDS, command, ADMIN, NOW)
    assert accounts.list_accounts(uow, ADMIN) == []


def test_only_an_admin_adds_accounts_and_an_email_has_one_account(uow, teams):
    _add(uow)
    editor = Actor("ana@example.com", edits=frozenset({"growth"}), member_of=frozenset({"growth"}))
    with pytest.raises(Forbidden, match="that takes an admin"):
        accounts.add_account(uow, PASSWORDS, AddAccount("bo@example.com"), editor, NOW)
    with pytest.raises(RuleViolated, match="already an account"):
        _add(uow, "ANA@example.com")
    assert [s.account.email for s in accounts.list_accounts(uow, ADMIN)] == ["ana@example.com"]


def test_signing_in_opens_a_new_session_each_time_and_signing_out_ends_it(uow, teams):
    _add(uow, teams={"growth": Role.EDITOR, "finance": Role.VIEWER})
    first = accounts.sign_in(uow, PASSWORDS, "ANA@example.com", PASSWORD, NOW)
    again = accounts.sign_in(
        uow, PASSWORDS, "ana@example.com", PASSWORD, NOW, replacing=first.session
    )
    assert first.session != again.session
    # The session the browser had before is over: a planted id is worth nothing.
    assert accounts.session_actor(uow, first.session, NOW) is None
    actor = accounts.session_actor(uow, again.session, NOW)
    assert actor == Actor(
        "ana@example.com",
        member_of=frozenset({"growth", "finance"}),
        edits=frozenset({"growth"}),
    )
    assert accounts.session_actor(uow, again.session, again.expires) is None
    accounts.sign_out(uow, again.session)
    assert accounts.session_actor(uow, again.session, NOW) is None


@pytest.mark.parametrize(
    ("email", "password"),
    [("ana@example.com", "wrong password!"), ("nobody@example.com", PASSWORD), ("", PASSWORD)],
)
def test_a_wrong_email_or_password_gets_one_answer(uow, teams, email, password):
    _add(uow)
    with pytest.raises(InvalidInput, match="the e-mail or the password is not right"):
        accounts.sign_in(uow, PASSWORDS, email, password, NOW)


def test_a_disabled_account_cannot_sign_in_and_its_open_session_ends(uow, teams):
    _add(uow, admin=True)
    _add(uow, "bo@example.com")
    session = accounts.sign_in(uow, PASSWORDS, "bo@example.com", PASSWORD, NOW).session
    token = accounts.create_token(uow, "bo@example.com", "CI", Scope.READ, None, ADMIN, NOW)
    accounts.edit_account(uow, EditAccount("bo@example.com", disabled=True), ADMIN, NOW)
    assert accounts.session_actor(uow, session, NOW) is None
    assert accounts.token_actor(uow, token.token, NOW) is None
    with pytest.raises(InvalidInput, match="not right"):
        accounts.sign_in(uow, PASSWORDS, "bo@example.com", PASSWORD, NOW)


def test_the_last_admin_is_neither_disabled_nor_demoted(uow, teams):
    _add(uow, admin=True)
    for change in (
        EditAccount("ana@example.com", disabled=True),
        EditAccount("ana@example.com", admin=False),
    ):
        with pytest.raises(RuleViolated, match="the only admin"):
            accounts.edit_account(uow, change, ADMIN, NOW)
    _add(uow, "bo@example.com", admin=True)
    accounts.edit_account(uow, EditAccount("ana@example.com", admin=False), ADMIN, NOW)


def test_a_password_reset_ends_every_old_session(uow, teams):
    _add(uow)
    sessions = [
        accounts.sign_in(uow, PASSWORDS, "ana@example.com", PASSWORD, NOW).session for _ in range(2)
    ]
    ended = accounts.reset_password(
        uow, PASSWORDS, "ana@example.com", "a new long password", ADMIN, NOW
    )
    assert ended == 2
    assert all(accounts.session_actor(uow, s, NOW) is None for s in sessions)
    with pytest.raises(InvalidInput):
        accounts.sign_in(uow, PASSWORDS, "ana@example.com", PASSWORD, NOW)
    assert accounts.sign_in(uow, PASSWORDS, "ana@example.com", "a new long password", NOW)


def test_a_person_changes_their_own_password_only_with_the_current_one(uow, teams):
    _add(uow)
    ana = Actor("ana@example.com")
    with pytest.raises(InvalidInput, match="current password"):
        accounts.reset_password(
            uow, PASSWORDS, "ana@example.com", "x" * 12, ana, NOW, current="nope"
        )
    with pytest.raises(Forbidden):
        accounts.reset_password(uow, PASSWORDS, "bo@example.com", "x" * 12, ana, NOW)
    accounts.reset_password(uow, PASSWORDS, "ana@example.com", "x" * 12, ana, NOW, current=PASSWORD)


def test_a_token_acts_within_its_scope_until_it_expires_or_is_revoked(uow, teams):
    _add(uow, teams={"growth": Role.EDITOR})
    ana = Actor("ana@example.com", member_of=frozenset({"growth"}), edits=frozenset({"growth"}))
    read = accounts.create_token(uow, "ana@example.com", "dashboards", Scope.READ, None, ana, NOW)
    write = accounts.create_token(
        uow, "ana@example.com", "CI", Scope.WRITE, NOW + timedelta(days=30), ana, NOW
    )
    assert read.token.startswith("okrkit_")
    assert read.info.hint == read.token[:12]
    with uow:
        assert read.token not in str(uow.accounts.tokens())
    reader = accounts.token_actor(uow, read.token, NOW)
    assert reader is not None
    assert not reader.writes
    assert not reader.may_edit("growth")
    writer = accounts.token_actor(uow, write.token, NOW)
    assert writer is not None
    assert writer.may_edit("growth")
    assert accounts.token_actor(uow, write.token, NOW + timedelta(days=30)) is None
    assert accounts.token_actor(uow, "okrkit_" + "x" * 43, NOW) is None
    (listed, _) = accounts.list_tokens(uow, ana)
    assert listed.last_used_at == NOW
    accounts.revoke_token(uow, read.info.id, ana, NOW)
    assert accounts.token_actor(uow, read.token, NOW) is None
    with pytest.raises(Forbidden, match="read-only token cannot make tokens"):
        accounts.create_token(uow, "ana@example.com", "more", Scope.WRITE, None, reader, NOW)


def test_someone_elses_tokens_are_an_admins_business(uow, teams):
    _add(uow)
    _add(uow, "bo@example.com")
    bo = Actor("bo@example.com")
    made = accounts.create_token(uow, "ana@example.com", "CI", Scope.READ, None, ADMIN, NOW)
    with pytest.raises(Forbidden):
        accounts.create_token(uow, "ana@example.com", "CI", Scope.READ, None, bo, NOW)
    with pytest.raises(Forbidden):
        accounts.revoke_token(uow, made.info.id, bo, NOW)
    with pytest.raises(Forbidden):
        accounts.list_tokens(uow, bo, "ana@example.com")
    assert accounts.list_tokens(uow, bo) == []


def test_a_new_workspace_gets_a_one_time_link_until_an_admin_has_a_password(uow, teams):
    link = accounts.first_run_link(uow, NOW)
    assert link is not None
    signed = accounts.sign_in_by_link(uow, link, NOW)
    assert signed.account.account.email == "admin@localhost"
    assert signed.account.account.admin
    with pytest.raises(NotFound, match="has been used or has expired"):
        accounts.sign_in_by_link(uow, link, NOW)
    # Restarted before anyone set a password: a fresh link for the same admin.
    again = accounts.first_run_link(uow, NOW)
    assert again is not None
    assert again != link
    with pytest.raises(NotFound):
        accounts.sign_in_by_link(uow, again, NOW + accounts.LINK_LIFETIME)
    accounts.reset_password(uow, PASSWORDS, "admin@localhost", PASSWORD, SYSTEM, NOW)
    assert accounts.first_run_link(uow, NOW) is None
    assert [s.account.email for s in accounts.list_accounts(uow, ADMIN)] == ["admin@localhost"]


def test_owners_are_linked_to_accounts_by_email_and_bare_names_are_kept_as_names(uow):
    okrs.build(uow)  # owners: maya@ (a KPI, an objective, 2 key results), noah@, ceo@
    _add(uow, "Maya@Example.com", name="Maya Lee")
    _add(uow, "noah@example.com", name="Noah")
    owners = {o.name: o for o in accounts.list_owners(uow, ADMIN)}
    assert set(owners) == {"maya@example.com", "noah@example.com", "ceo@example.com"}
    maya = owners["maya@example.com"]
    assert (maya.account, maya.account_name) == ("maya@example.com", "Maya Lee")
    assert (maya.kpis, maya.objectives, maya.key_results) == (1, 1, 2)
    assert owners["noah@example.com"].key_results == 2
    ceo = owners["ceo@example.com"]
    assert not ceo.linked  # no account has that e-mail: kept as written, listed first
    assert [o.name for o in accounts.list_owners(uow, ADMIN)][0] == "ceo@example.com"
    overview = accounts.account_overview(uow, Actor("maya@example.com"))
    assert (overview.owns.kpis, overview.owns.objectives, overview.owns.key_results) == (1, 1, 2)
    assert accounts.account_overview(uow, Actor("noah@example.com")).owns.kpis == 0
    with pytest.raises(Forbidden, match="cannot list the owners"):
        accounts.list_owners(uow, Actor("maya@example.com"))


@pytest.mark.parametrize(
    ("owner", "email"),
    [
        ("maya@example.com", "maya@example.com"),
        ("  Maya@Example.COM ", "maya@example.com"),
        ("Maya Lee <maya@example.com>", "maya@example.com"),
        ("Maya", None),
        ("Growth team", None),
        ("<maya>", None),
        ("a@b@c", None),
    ],
)
def test_an_owner_is_an_email_only_when_written_as_one(owner, email):
    assert owner_email(owner) == email
