"""The one rule of who may see and change what (`domain.access`), and the account
fields' checks (`domain.accounts`)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrkit.domain.access import SYSTEM, Actor, operator
from okrkit.domain.accounts import (
    MAX_EMAIL,
    checked_display_name,
    checked_email,
    checked_password,
    checked_token_name,
)
from okrkit.domain.errors import Forbidden, InvalidInput, NotFound

EDITOR = Actor("ana@example.com", member_of=frozenset({"growth"}), edits=frozenset({"growth"}))
VIEWER = Actor("bo@example.com", member_of=frozenset({"growth"}))
OUTSIDER = Actor("cy@example.com", member_of=frozenset({"sales"}), edits=frozenset({"sales"}))
ADMIN = Actor("root@example.com", admin=True)
READ_TOKEN = Actor("ana@example.com", admin=True, writes=False)


@pytest.mark.parametrize(
    ("who", "sees_private", "edits"),
    [
        (ADMIN, True, True),
        (EDITOR, True, True),
        (VIEWER, True, False),
        (OUTSIDER, False, False),
        (READ_TOKEN, True, False),
        (SYSTEM, True, True),
        (operator("alice"), True, True),
    ],
)
def test_who_sees_and_changes_growths_things(who, sees_private, edits):
    assert who.sees("growth", private=False)  # public: everyone signed in
    assert who.sees("growth", private=True) is sees_private
    assert who.may_edit("growth") is edits


def test_a_refusal_says_who_and_what_it_takes():
    with pytest.raises(
        Forbidden, match="bo@example.com cannot edit the KPI x: that takes an editor"
    ):
        VIEWER.require_edit("growth", "edit the KPI x")
    with pytest.raises(Forbidden, match="a read-only token cannot edit"):
        READ_TOKEN.require_edit("growth", "edit the KPI x")
    with pytest.raises(Forbidden, match="that takes an admin"):
        EDITOR.require_admin("add a team")
    with pytest.raises(Forbidden, match="read-only token"):
        READ_TOKEN.require_admin("add a team")
    ADMIN.require_admin("add a team")
    EDITOR.require_edit("growth", "edit the KPI x")


def test_a_private_thing_is_not_there_for_an_outsider_even_to_refuse():
    with pytest.raises(NotFound, match="^no KPI 'pricing'$"):
        OUTSIDER.require_edit("growth", "edit", private=True, missing="no KPI 'pricing'")
    with pytest.raises(Forbidden):  # a member who may see it is told why not
        VIEWER.require_edit("growth", "edit", private=True, missing="no KPI 'pricing'")
    with pytest.raises(Forbidden):  # a public one: seen, and refused as such
        OUTSIDER.require_edit("growth", "edit", private=False, missing="no KPI 'pricing'")


@given(
    teams=st.frozensets(st.sampled_from(["growth", "sales", "ops"])),
    team=st.sampled_from(["growth", "sales", "ops"]),
    private=st.booleans(),
)
def test_editing_needs_seeing(teams, team, private):
    who = Actor("x@example.com", member_of=teams, edits=teams)
    if who.may_edit(team):
        assert who.sees(team, private)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [(" Ana@Example.COM ", "ana@example.com"), ("admin@localhost", "admin@localhost")],
)
def test_an_email_is_kept_trimmed_in_lower_case(typed, kept):
    assert checked_email(typed) == kept


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "needs an e-mail address"),
        ("ana", "is not an e-mail address"),
        ("ana@@example.com", "is not an e-mail address"),
        ("ana @example.com", "is not an e-mail address"),
        ("ana@.com", "is not an e-mail address"),
        ("a\tb@example.com", "control character"),
        ("a" * MAX_EMAIL + "@x.org", "at most 254 characters"),
    ],
)
def test_a_bad_email_is_named(typed, says):
    with pytest.raises(InvalidInput, match=says) as refused:
        checked_email(typed)
    assert refused.value.field == "email"


def test_names_passwords_and_token_names():
    assert checked_display_name("  ", "ana@example.com") == "ana"
    assert checked_display_name(" Ana Lopez ", "ana@example.com") == "Ana Lopez"
    with pytest.raises(InvalidInput, match="at most 200"):
        checked_display_name("x" * 201, "a@b.c")
    assert checked_password(" ten chars ") == " ten chars "  # spaces count
    for bad, says in (
        ("x" * 9, "at least 10"),
        ("x" * 1025, "at most 1024"),
        ("x" * 10 + "\x00", "NUL"),
    ):
        with pytest.raises(InvalidInput, match=says):
            checked_password(bad)
    assert checked_token_name(" CI ") == "CI"
    for bad, says in (
        ("", "say what the token is for"),
        ("x" * 101, "at most 100"),
        ("a\nb", "control"),
    ):
        with pytest.raises(InvalidInput, match=says):
            checked_token_name(bad)
