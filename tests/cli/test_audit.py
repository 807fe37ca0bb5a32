"""`okrkit audit` against a real database (SQLite files and the session's PostgreSQL),
on the OKR workspace of `tests.support.okrs` with changes made through the commands and
the services: newest first in words, filtered by team, thing and person, paged with
`--before`, the API's document with `--format json`, refusals as one line."""

from __future__ import annotations

import pytest

from tests.cli.helpers import assert_one_line_error, okrkit_in, okrkit_json


@pytest.fixture
def workspace(okr_workspace):
    return okr_workspace


def test_a_change_made_on_the_command_line_is_the_newest_entry(workspace):
    added = okrkit_in(workspace, "team", "add", "sales", "--name", "Sales")
    assert added.returncode == 0, added.stderr
    shown = okrkit_in(workspace, "audit", "--limit", "3")
    assert shown.returncode == 0, shown.stderr
    out = shown.stdout
    for words in ("Audit log, newest first", "created", "team sales", "Sales", "name: Sales",
                  "checked in", "noah@example.com",
                  "Older entries: okrkit audit --before"):  # fmt: skip
        assert words in out, (words, out)
    assert out.index("team sales") < out.index("checked in")


def test_filters_and_the_json_document(workspace):
    page = okrkit_json(workspace, "audit", "--team", "company", "--limit", "200")
    assert page["items"]
    assert {e["team"] for e in page["items"]} == {"company"}
    assert page["older"] is None
    assert page["newer"] is None
    objective = okrkit_json(workspace, "audit", "--object", "objective:streamline-onboarding")
    [created] = objective["items"]
    assert (created["action_words"], created["entity_words"], created["link"]) == (
        "created", "objective", "/objectives/streamline-onboarding"
    )  # fmt: skip
    assert {"field": "team", "before": None, "after": "growth"} in created["changes"]
    noah = okrkit_json(workspace, "audit", "--person", "noah@example.com", "--limit", "5")
    assert len(noah["items"]) == 5
    assert {e["actor"] for e in noah["items"]} == {"noah@example.com"}
    older = okrkit_json(workspace, "audit", "--person", "noah@example.com", "--limit", "5",
                        "--before", str(noah["older"]))  # fmt: skip
    assert max(e["id"] for e in older["items"]) < min(e["id"] for e in noah["items"])
    nothing = okrkit_in(workspace, "audit", "--person", "nobody")
    assert nothing.returncode == 0
    assert "No audit entries match these filters." in nothing.stdout


def test_refusals_are_one_line(workspace):
    assert_one_line_error(okrkit_in(workspace, "audit", "--team", "nope"), "no team 'nope'")
    assert_one_line_error(
        okrkit_in(workspace, "audit", "--object", "planet:earth"), "--object", "'planet'"
    )
    limit = okrkit_in(workspace, "audit", "--limit", "0")
    assert limit.returncode == 2
    assert "--limit" in limit.stderr
