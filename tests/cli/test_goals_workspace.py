"""`okrkit lint` without a PATH lints the workspace, and `okrkit lint PATH` reads the
`okrkit.toml` beside the files; `okrkit settings show|set`. On both databases."""

from __future__ import annotations

import json
from datetime import date, datetime

from okrkit import demo
from okrkit.adapters.store.engine import make_engine
from okrkit.adapters.store.migrate import upgrade
from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.domain.lint import Finding
from okrkit.interfaces.cli.goals import DATA_RULES_NOTE
from okrkit.services.workspace import load_workspace
from tests.cli.helpers import assert_one_line_error, okrkit_in, run_okrkit
from tests.cli.test_goals import BAD, LINT_KEYS
from tests.support.actors import as_actor

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 30)


def load_demo(database: dict[str, str]) -> None:
    engine = make_engine(database["OKRKIT_DATABASE_URL"])
    upgrade(engine)
    ws = demo.build(TODAY)
    load_workspace(
        SqlUnitOfWork(engine), ws.teams, ws.kpis, ws.values, as_actor("demo"), NOW, okrs=ws.okrs
    )
    engine.dispose()


def _findings(database: dict[str, str], *args: str) -> list[dict[str, object]]:
    result = okrkit_in(database, "lint", "--today", "2026-11-23", "--format", "json", *args)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def test_the_workspace_lints_at_page_addresses(database) -> None:
    load_demo(database)
    result = okrkit_in(database, "lint", "--today", "2026-11-23")
    assert result.returncode == 0, result.stderr  # warnings only
    lines = result.stdout.splitlines()
    assert lines[0].startswith("/objectives/")
    assert ": OKR004 objective '" in lines[0]
    assert lines[1].strip().startswith("hint: ")
    assert lines[-1].endswith("warnings in the workspace")
    findings = _findings(database)
    assert findings
    for f in findings:
        assert set(f) == LINT_KEYS
        assert f["file"] is None
        assert f["line"] is None
        assert str(f["path"]).startswith("/objectives/")


def test_errors_exit_1_and_settings_and_the_run_switch_rules_off(database, tmp_path) -> None:
    load_demo(database)
    # An unscored objective of the demo's closed cycle: an error.
    engine = make_engine(database["OKRKIT_DATABASE_URL"])
    uow = SqlUnitOfWork(engine)
    with uow:
        closed = next(c for c in uow.cycles.list() if c.state.value == "closed")
        from okrkit.domain.objectives import Objective, ObjectiveStatus

        uow.objectives.add(
            Objective(key="forgotten", title="Make renewals painless",
                      cycle=closed.cycle.name, team="growth", owner="maya@example.com"),
            ObjectiveStatus.ACTIVE, None, "test", NOW,
        )  # fmt: skip
        uow.commit()
    engine.dispose()
    result = okrkit_in(database, "lint", "--today", "2026-11-23")
    assert result.returncode == 1
    assert "/objectives/forgotten: OKR011 objective 'Make renewals painless'" in result.stdout
    assert "1 error, " in result.stdout
    settings = tmp_path / "settings.toml"
    settings.write_text('[lint]\ndisable = ["OKR011", "OKR004"]\n')
    stored = okrkit_in(database, "settings", "set", str(settings))
    assert stored.returncode == 0, stored.stderr
    assert "version 1; lint rules switched off: OKR004, OKR011" in stored.stdout
    result = okrkit_in(database, "lint", "--today", "2026-11-23")
    assert result.returncode == 0
    assert "OKR011" not in result.stdout.split("switched off")[0]
    assert "OKR004" not in result.stdout.split("switched off")[0]
    assert result.stdout.splitlines()[-2] == (
        "switched off by the workspace's settings: OKR004, OKR011"
    )
    codes = {f["code"] for f in _findings(database, "--disable", "OKR009,okr008")}
    assert not codes & {"OKR004", "OKR008", "OKR009", "OKR011"}


def test_an_unknown_rule_for_the_workspace(database) -> None:
    result = okrkit_in(database, "lint", "--disable", "OKR999")
    assert_one_line_error(result, "--disable", "unknown rule OKR999")


def test_settings_show_and_set_round_trip(database, tmp_path) -> None:
    shown = okrkit_in(database, "settings", "show")
    assert shown.returncode == 0
    assert "[lint]\ndisable = []" in shown.stdout
    assert json.loads(okrkit_in(database, "settings", "show", "--format", "json").stdout) == {
        "document": shown.stdout, "lint": {"disable": []}, "version": 0,
        "changed_by": None, "changed_at": None,
    }  # fmt: skip
    path = tmp_path / "okrkit.toml"
    path.write_text('[lint]\n# noisy for us\ndisable = ["okr009"]\n')
    stored = okrkit_in(database, "settings", "set", str(path), "--version", "0", "--format", "json")
    assert json.loads(stored.stdout)["lint"] == {"disable": ["OKR009"]}
    assert okrkit_in(database, "settings", "show").stdout == path.read_text()
    again = okrkit_in(database, "settings", "set", str(path), "--version", "0")
    assert again.returncode == 2
    assert "(now version 1, yours 0)" in again.stderr


def test_settings_set_refuses_with_the_file_and_line(database, tmp_path) -> None:
    path = tmp_path / "okrkit.toml"
    path.write_text('[lint]\ndisable = [\n  "OKR009",\n  "OKR099",\n]\n')
    result = okrkit_in(database, "settings", "set", str(path))
    assert_one_line_error(result, f"{path}:4:", "unknown rule 'OKR099'")
    assert (
        json.loads(okrkit_in(database, "settings", "show", "--format", "json").stdout)["version"]
        == 0
    )


def test_settings_set_reads_standard_input(database, monkeypatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO('[lint]\ndisable = ["KPI005"]\n'))
    result = okrkit_in(database, "settings", "set", "-")
    assert result.returncode == 0, result.stderr
    assert "switched off: KPI005" in result.stdout
    monkeypatch.setattr("sys.stdin", io.StringIO("[lint]\nskip = []\n"))
    assert_one_line_error(okrkit_in(database, "settings", "set", "-"), "<stdin>:2:", "'skip'")


# --- files: okrkit.toml beside them ---------------------------------------------------------


def test_the_nearest_okrkit_toml_above_the_files_switches_rules_off(tmp_path) -> None:
    goals = tmp_path / "team" / "goals"
    goals.mkdir(parents=True)
    (goals / "bad.yaml").write_text(BAD.read_text())
    every = [
        f["code"] for f in json.loads(run_okrkit("lint", str(goals), "--format", "json").stdout)
    ]
    assert {"OKR001", "OKR002", "OKR006"} <= set(every)
    (tmp_path / "okrkit.toml").write_text('[lint]\ndisable = ["OKR001"]\n')
    found = json.loads(run_okrkit("lint", str(goals), "--format", "json").stdout)
    assert [f["code"] for f in found] == [c for c in every if c != "OKR001"]
    (tmp_path / "team" / "okrkit.toml").write_text('[lint]\ndisable = ["OKR006"]\n')
    found = json.loads(run_okrkit("lint", str(goals), "--format", "json").stdout)
    assert [f["code"] for f in found] == [c for c in every if c != "OKR006"]
    both = run_okrkit("lint", str(goals), "--disable", "OKR001,OKR002", "--format", "json")
    assert json.loads(both.stdout) == []
    assert both.returncode == 0


def test_a_bad_okrkit_toml_is_one_line_with_its_line(tmp_path) -> None:
    (tmp_path / "okrkit.yaml").write_text("teams:\n  - key: growth\n    name: Growth\n")
    (tmp_path / "okrkit.toml").write_text("[lint]\nignore = ['OKR001']\n")
    result = run_okrkit("lint", str(tmp_path / "okrkit.yaml"))
    assert_one_line_error(result, "okrkit.toml:2:", "unknown key 'ignore' in [lint]")


def test_files_say_once_that_data_rules_need_the_workspace(tmp_path) -> None:
    path = tmp_path / "kpis.yaml"
    path.write_text(
        "teams:\n  - key: growth\n    name: Growth\nkpis:\n  - key: churn\n    name: Churn\n"
        "    direction: lower\n    cadence: monthly\n    team: growth\n"
    )
    table = run_okrkit("lint", str(path))
    assert table.stdout.count(DATA_RULES_NOTE) == 1
    assert table.stdout.splitlines()[-2] == DATA_RULES_NOTE
    as_json = run_okrkit("lint", str(path), "--format", "json")
    json.loads(as_json.stdout)
    assert as_json.stderr.strip() == DATA_RULES_NOTE
    quiet = run_okrkit("lint", str(path), "--disable", "KPI004,KPI005,KPI006")
    assert DATA_RULES_NOTE not in quiet.stdout
    teams = tmp_path / "teams.yaml"
    teams.write_text("teams:\n  - key: growth\n    name: Growth\n")
    assert DATA_RULES_NOTE not in run_okrkit("lint", str(teams)).stdout


def test_a_file_finding_keeps_its_file_and_line() -> None:
    from okrkit.domain.goals import Location
    from okrkit.domain.lint import Severity
    from okrkit.interfaces.cli.goals import finding_document

    at_file = Finding(Location("a.yaml", 3, "objectives[0]"), "OKR001", Severity.ERROR, "m", "h")
    assert (finding_document(at_file)["file"], finding_document(at_file)["line"]) == ("a.yaml", 3)
