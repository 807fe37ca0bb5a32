"""`okrkit kpi add|list|show|edit|archive` against a real database: SQLite files and the
session's PostgreSQL."""

from __future__ import annotations

import json

import pytest

from tests.cli.helpers import ADD_KPI, assert_one_line_error, okrkit_in, okrkit_json


def test_kpis_round_trip(database):
    assert okrkit_in(database, "team", "add", "growth", "--name", "Growth").returncode == 0
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


def test_every_kpi_command_prints_exact_json_when_asked(database):
    okrkit_in(database, "team", "add", "growth", "--name", "Growth")
    added = okrkit_json(database, *ADD_KPI)
    assert (added["key"], added["version"], added["target"]) == ("trial_to_paid", 1, 16.0)
    edited = okrkit_json(
        database, "kpi", "edit", "trial_to_paid", "--version", "1", "--target", "17"
    )
    assert (edited["version"], edited["target"]) == (2, 17.0)
    archived = okrkit_json(database, "kpi", "archive", "trial_to_paid", "--version", "2")
    assert (archived["archived"], archived["version"]) == (True, 3)


def _options(command: str) -> set[str]:
    import typer.main

    from okrkit.interfaces.cli.main import app

    group = typer.main.get_command(app).commands["kpi"]  # type: ignore[attr-defined]
    return {name for p in group.commands[command].params for name in p.opts}


def test_every_declared_field_of_a_kpi_is_an_option_of_add_and_edit():
    from okrkit.domain.fields import fields_of
    from okrkit.domain.kpis import Kpi

    wanted = {
        "--" + name.replace("_", "-")
        for f in fields_of(Kpi)
        if f.name != "key"
        for name in (f.parts or (f.name,))
    }
    assert wanted <= _options("add")
    assert wanted <= _options("edit")
    assert "--north-star" in wanted
    assert "--source" in wanted


def test_flags_and_fields_of_every_kind_are_set_and_changed(database):
    okrkit_in(database, "team", "add", "growth", "--name", "Growth")
    added = okrkit_json(database, *ADD_KPI, "--north-star", "--source", "warehouse.trials")
    assert (added["north_star"], added["source"], added["kind"]) == (
        True,
        "warehouse.trials",
        "lagging",
    )
    edited = okrkit_json(
        database, "kpi", "edit", "trial_to_paid", "--version", "1", "--no-north-star",
        "--kind", "LEADING", "--cadence", "monthly",
    )  # fmt: skip
    assert (edited["north_star"], edited["kind"], edited["cadence"]) == (
        False,
        "leading",
        "monthly",
    )
    assert edited["source"] == "warehouse.trials"  # not given: unchanged
    half = okrkit_in(database, "kpi", "edit", "trial_to_paid", "--version", "2", "--green", "9")
    assert_one_line_error(half, "--red", "give both --green and --red")
    bad = okrkit_in(
        database, "kpi", "edit", "trial_to_paid", "--version", "2", "--cadence", "often"
    )
    assert_one_line_error(bad, "--cadence", "'often' is not a cadence")


def test_a_definition_that_cant_be_judged_is_one_line_and_nothing_written(database):
    okrkit_in(database, "team", "add", "growth", "--name", "Growth")
    at = ADD_KPI.index("--cadence") + 1
    for cadence, message in (
        ("0 0 30 2 *", "--cadence: the cadence `0 0 30 2 *` never fires (30 February)"),
        ("* * * * * *", "fires every second; the most often a KPI can be judged is hourly"),
    ):
        added = okrkit_in(database, *ADD_KPI[:at], cadence, *ADD_KPI[at + 1 :])
        assert_one_line_error(added, message)
    derived = okrkit_in(database, *ADD_KPI, "--formula", "revenue * 2")
    assert_one_line_error(derived, "formula", "the formula reads revenue, which is no KPI")
    assert okrkit_json(database, "kpi", "list") == []
    assert okrkit_in(database, *ADD_KPI).returncode == 0
    edited = okrkit_in(
        database, "kpi", "edit", "trial_to_paid", "--version", "1", "--cadence", "0 0 29 2 *"
    )
    assert_one_line_error(edited, "fires less than once a year (29 February)")
    assert okrkit_json(database, "kpi", "show", "trial_to_paid")["cadence"] == "weekly"
