"""Workspace commands against a real database: SQLite files and the session's PostgreSQL."""

from __future__ import annotations

import json

import pytest

from tests.cli.helpers import assert_one_line_error, run_okrkit


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """OKRKIT_DATABASE_URL of an empty database of each kind."""
    if request.param == "sqlite":
        return {"OKRKIT_DATABASE_URL": f"sqlite:///{tmp_path / 'workspace.db'}"}
    return {"OKRKIT_DATABASE_URL": request.getfixturevalue("postgres_url")}


def okrkit_in(database, *args):
    return run_okrkit(*args, env=database)


ADD_KPI = (
    "kpi", "add", "trial_to_paid", "--name", "Trial-to-paid conversion rate", "--team", "growth",
    "--direction", "higher", "--cadence", "weekly", "--unit", "percent", "--target", "16",
    "--green", "15", "--red", "12", "--owner", "maya@example.com",
)  # fmt: skip


def test_db_upgrade_is_safe_to_rerun(tmp_path):
    env = {"OKRKIT_DATABASE_URL": f"sqlite:///{tmp_path / 'new.db'}"}
    first = run_okrkit("db", "upgrade", env=env)
    second = run_okrkit("db", "upgrade", env=env)
    assert first.returncode == second.returncode == 0, first.stderr
    assert "at revision 0003" in second.stdout


def test_teams_and_kpis_round_trip(database):
    assert okrkit_in(database, "team", "add", "growth", "--name", "Growth").returncode == 0
    teams = json.loads(okrkit_in(database, "team", "list", "--format", "json").stdout)
    assert teams == [{"key": "growth", "name": "Growth", "parent": None, "version": 1}]
    added = okrkit_in(database, *ADD_KPI)
    assert added.returncode == 0, added.stderr
    shown = json.loads(
        okrkit_in(database, "kpi", "show", "trial_to_paid", "--format", "json").stdout
    )
    assert shown["thresholds"] == {"green": 15.0, "red": 12.0}
    assert shown["version"] == 1
    edited = okrkit_in(database, "kpi", "edit", "trial_to_paid", "--version", "1", "--target", "17")
    assert edited.returncode == 0, edited.stderr
    assert "now version 2" in edited.stdout
    listed = json.loads(
        okrkit_in(database, "kpi", "list", "--team", "growth", "--format", "json").stdout
    )
    assert [(k["key"], k["target"], k["version"]) for k in listed] == [("trial_to_paid", 17.0, 2)]
    archived = okrkit_in(database, "kpi", "archive", "trial_to_paid", "--version", "2")
    assert archived.returncode == 0
    assert json.loads(okrkit_in(database, "kpi", "list", "--format", "json").stdout) == []


def test_a_stale_edit_says_who_changed_it_and_when(database):
    okrkit_in(database, "team", "add", "growth", "--name", "Growth")
    okrkit_in(database, *ADD_KPI)
    okrkit_in(database, "kpi", "edit", "trial_to_paid", "--version", "1", "--target", "17")
    stale = okrkit_in(database, "kpi", "edit", "trial_to_paid", "--version", "1", "--target", "18")
    assert_one_line_error(stale, "KPI 'trial_to_paid' was changed by", "reload")


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("kpi", "show", "nope"), ["no KPI 'nope'"]),
        (("team", "add", "Growth Team", "--name", "G"), ["key", "is not a key"]),
        (ADD_KPI[:6] + ("nowhere",) + ADD_KPI[7:], ["no team 'nowhere'"]),
        (("kpi", "edit", "trial_to_paid", "--version", "1"), ["nothing to change"]),
    ],
)
def test_bad_input_is_one_line(database, args, fragments):
    okrkit_in(database, "team", "add", "growth", "--name", "Growth")
    okrkit_in(database, *ADD_KPI)
    assert_one_line_error(okrkit_in(database, *args), *fragments)


def test_thresholds_in_the_wrong_order_write_nothing(database):
    okrkit_in(database, "team", "add", "growth", "--name", "Growth")
    wrong = list(ADD_KPI)
    wrong[wrong.index("--green") + 1], wrong[wrong.index("--red") + 1] = "12", "15"
    assert_one_line_error(okrkit_in(database, *wrong), "thresholds", "below red")
    assert json.loads(okrkit_in(database, "kpi", "list", "--format", "json").stdout) == []


def test_kpi_import_writes_all_rows_or_names_every_bad_one(database, tmp_path):
    okrkit_in(database, "team", "add", "growth", "--name", "Growth")
    okrkit_in(database, *ADD_KPI)
    bad = tmp_path / "bad.csv"
    bad.write_text("timestamp,value\n2026-11-01,15\n2026-11-08,n/a\n2026-13-01,14\n")
    result = okrkit_in(database, "kpi", "import", str(bad), "--kpi", "trial_to_paid")
    assert_one_line_error(result, str(bad), "2 bad rows", "line 3: value", "line 4: timestamp")
    good = tmp_path / "good.csv"
    good.write_text("timestamp,value\n2026-11-01,15\n2026-11-08,14.5\n")
    first = okrkit_in(database, "kpi", "import", str(good), "--kpi", "trial_to_paid")
    again = okrkit_in(database, "kpi", "import", str(good), "--kpi", "trial_to_paid")
    assert first.returncode == again.returncode == 0, first.stderr
    assert "imported 2 values into 1 KPI" in again.stdout


def test_every_workspace_command_prints_exact_json_when_asked(database, tmp_path):
    def as_json(*args):
        result = okrkit_in(database, *args, "--format", "json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    upgraded = as_json("db", "upgrade")
    assert upgraded["revision"] == "0003"
    assert as_json("team", "add", "growth", "--name", "Growth") == {
        "key": "growth",
        "name": "Growth",
        "parent": None,
        "version": 1,
    }
    added = as_json(*ADD_KPI)
    assert (added["key"], added["version"], added["target"]) == ("trial_to_paid", 1, 16.0)
    edited = as_json("kpi", "edit", "trial_to_paid", "--version", "1", "--target", "17")
    assert (edited["version"], edited["target"]) == (2, 17.0)
    values = tmp_path / "values.csv"
    values.write_text("timestamp,value\n2026-11-01,15\n2026-11-08,14.5\n")
    imported = as_json("kpi", "import", str(values), "--kpi", "trial_to_paid")
    assert imported == {
        "source": str(values),
        "rows_read": 2,
        "rows_written": 2,
        "kpis": [
            {
                "key": "trial_to_paid",
                "rows": 2,
                "first": "2026-11-01T00:00:00",
                "last": "2026-11-08T00:00:00",
            }
        ],
    }
    archived = as_json("kpi", "archive", "trial_to_paid", "--version", "2")
    assert (archived["archived"], archived["version"]) == (True, 3)
