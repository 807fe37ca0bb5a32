"""`okrkit team add|list` against a real database: SQLite files and the session's PostgreSQL."""

from __future__ import annotations

import json

from tests.cli.helpers import assert_one_line_error, okrkit_in, okrkit_json


def test_teams_round_trip(database):
    assert okrkit_in(database, "team", "add", "growth", "--name", "Growth").returncode == 0
    teams = json.loads(okrkit_in(database, "team", "list", "--format", "json").stdout)
    assert teams == [{"key": "growth", "name": "Growth", "parent": None, "version": 1}]


def test_a_bad_team_key_is_one_line(database):
    result = okrkit_in(database, "team", "add", "Growth Team", "--name", "G")
    assert_one_line_error(result, "key", "is not a key")


def test_team_add_prints_exact_json_when_asked(database):
    assert okrkit_json(database, "team", "add", "growth", "--name", "Growth") == {
        "key": "growth",
        "name": "Growth",
        "parent": None,
        "version": 1,
    }
