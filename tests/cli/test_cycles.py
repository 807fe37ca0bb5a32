"""`okrkit cycle list|add|start|close` against a real database: SQLite files and the
session's PostgreSQL."""

from __future__ import annotations

import pytest

from tests.cli.helpers import assert_one_line_error, okrkit_in, okrkit_json


@pytest.fixture
def workspace(okr_workspace):
    return okr_workspace


def test_cycles_are_added_listed_and_started(database):
    q3 = okrkit_json(database, "cycle", "add", "2026-Q3")
    assert (q3["name"], q3["start"], q3["end"], q3["state"], q3["version"]) == (
        "2026-Q3", "2026-07-01", "2026-09-30", "planning", 1,
    )  # fmt: skip
    half = okrkit_in(
        database, "cycle", "add", "2027-H1", "--start", "2027-01-01", "--end", "2027-06-30",
        "--state", "active",
    )  # fmt: skip
    assert half.returncode == 0, half.stderr
    assert "Cycle 2027-H1 added: 2027-01-01 to 2027-06-30, active" in half.stdout

    listed = okrkit_json(database, "cycle", "list", "--today", "2026-08-12")
    assert [(c["name"], c["state"], c["current"]) for c in listed] == [
        ("2027-H1", "active", False),
        ("2026-Q3", "planning", True),
    ]
    later = okrkit_json(database, "cycle", "list", "--today", "2027-02-01")
    assert [c["name"] for c in later if c["current"]] == ["2027-H1"]
    table = okrkit_in(database, "cycle", "list", "--today", "2026-08-12")
    rows = {
        line.split()[1]: line for line in table.stdout.splitlines() if "-Q" in line or "-H" in line
    }
    assert "◀ current" in rows["2026-Q3"]
    assert "current" not in rows["2027-H1"]

    started = okrkit_json(database, "cycle", "start", "2026-Q3", "--version", "1")
    assert (started["state"], started["version"]) == ("active", 2)
    again = okrkit_in(database, "cycle", "start", "2026-Q3", "--version", "2")
    assert_one_line_error(again, "cycle 2026-Q3 is already active")


def test_closing_scores_what_is_left_and_prints_it(workspace):
    closed = okrkit_json(workspace, "cycle", "close", "2026-Q3", "--version", "1")
    assert (closed["state"], closed["version"]) == ("closed", 2)
    scores = {s["key"]: (s["status"], s["score"]) for s in closed["scored"]}
    # Onboarding: wizard 0.6, first action 0.6 (weight 2), conversion 0.35 (its KPI's
    # newest value, 13.4); the guardrail apart: (0.6 + 1.2 + 0.35) / 4.
    assert scores == {
        "grow-paying-customers": ("scored", 0.0),
        "streamline-onboarding": ("scored", pytest.approx(0.5375)),
    }
    listed = okrkit_json(workspace, "okr", "list", "--cycle", "2026-Q3")
    assert {o["key"]: o["status"] for o in listed["objectives"]} == {
        "grow-paying-customers": "scored",
        "streamline-onboarding": "scored",
    }


def test_closing_prints_a_table_of_the_scores(workspace):
    closed = okrkit_in(workspace, "cycle", "close", "2026-Q3", "--version", "1")
    assert closed.returncode == 0, closed.stderr
    assert "Cycle 2026-Q3 closed (now version 2)." in closed.stdout
    assert "Scored on closing (2)" in closed.stdout
    onboarding = next(line for line in closed.stdout.splitlines() if "Streamline" in line)
    assert "0.5 (yellow)" in onboarding


def test_closing_twice_is_refused_and_changes_nothing(workspace):
    assert okrkit_in(workspace, "cycle", "close", "2026-Q3", "--version", "1").returncode == 0
    for version in ("2", "1"):
        twice = okrkit_in(workspace, "cycle", "close", "2026-Q3", "--version", version)
        assert_one_line_error(twice, "cycle 2026-Q3 is already closed")
    (cycle,) = okrkit_json(workspace, "cycle", "list")
    assert (cycle["state"], cycle["version"]) == ("closed", 2)


def test_a_stale_version_says_who_changed_the_cycle(workspace):
    okrkit_in(workspace, "cycle", "add", "2026-Q4")
    okrkit_in(workspace, "cycle", "start", "2026-Q4", "--version", "1")
    stale = okrkit_in(workspace, "cycle", "close", "2026-Q4", "--version", "1")
    assert_one_line_error(stale, "cycle 2026-Q4 was changed by", "now version 2, yours 1")
    cycles = {c["name"]: c["state"] for c in okrkit_json(workspace, "cycle", "list")}
    assert cycles["2026-Q4"] == "active"


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (
            ("2027-H1", "--start", "2027-01-01", "--end", "2026-12-31"),
            ["--end: cycle '2027-H1' ends (2026-12-31) before it starts (2027-01-01)"],
        ),
        (("2027-H1",), ["name: cycle '2027-H1' is not a quarter", "give its start and end"]),
        (("2026-Q3", "--end", "2026-10-31"), ["2026-Q3 is the calendar quarter 2026-07-01"]),
        (("2027-H1", "--start", "2027-13-01"), ["--start: '2027-13-01' is not a date"]),
        (("next quarter",), ["name: 'next quarter' is not a cycle name"]),
        (("2026-Q3", "--state", "done"), ["Invalid value for '--state'"]),
    ],
)
def test_a_bad_cycle_is_one_line_and_writes_nothing(database, args, fragments):
    result = okrkit_in(database, "cycle", "add", *args)
    if fragments[0].startswith("Invalid value"):
        assert result.returncode == 2  # Typer's own usage error, with its help box
        assert fragments[0] in result.stderr
    else:
        assert_one_line_error(result, *fragments)
    assert okrkit_json(database, "cycle", "list") == []


def test_a_name_is_taken_once(database):
    okrkit_in(database, "cycle", "add", "2026-Q3")
    assert_one_line_error(okrkit_in(database, "cycle", "add", "2026-Q3"), "already exists")
    assert_one_line_error(
        okrkit_in(database, "cycle", "start", "2031-Q1", "--version", "1"), "no cycle '2031-Q1'"
    )


def test_an_empty_workspace_says_how_to_add_a_cycle(database):
    empty = okrkit_in(database, "cycle", "list", "--today", "2026-08-12")
    assert empty.returncode == 0
    assert "No cycles yet: add one with `okrkit cycle add 2026-Q3`." in empty.stdout
