"""`okrkit team add|list` against a real database: SQLite files and the session's PostgreSQL."""

from __future__ import annotations

import json
import sqlite3

from tests.cli.helpers import assert_one_line_error, okrkit_in, okrkit_json, run_okrkit


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


def test_a_write_that_stays_busy_is_one_line_exit_75_and_writes_nothing(tmp_path):
    """Another write holding SQLite's lock past the wait (`OKRKIT_BUSY_WAIT_SECONDS`):
    one line saying so, exit 75 (EX_TEMPFAIL: try again), no traceback, nothing written;
    a wait that is not a number of seconds is named."""
    path = tmp_path / "workspace.db"
    env = {"OKRKIT_DATABASE_URL": f"sqlite:///{path}", "OKRKIT_BUSY_WAIT_SECONDS": "0.2"}
    assert run_okrkit("team", "list", env=env).returncode == 0  # the schema, made
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        busy = run_okrkit("team", "add", "ops", "--name", "Ops", env=env)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert busy.returncode == 75, busy.stderr
    assert busy.stdout == ""
    assert busy.stderr.splitlines() == [
        "okrkit: error: the workspace is busy with another write (waited 0.2 s): nothing "
        "was written; try again in a moment"
    ]
    assert run_okrkit("team", "list", "--format", "json", env=env).stdout.strip() == "[]"
    wrong = run_okrkit("team", "list", env={**env, "OKRKIT_BUSY_WAIT_SECONDS": "soon"})
    assert_one_line_error(wrong, "OKRKIT_BUSY_WAIT_SECONDS", "'soon' is not a number of seconds")
