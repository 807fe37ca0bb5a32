"""The KPI health read model: kept tiles equal live ones, and no write leaves one stale.

Every test runs on SQLite and on PostgreSQL (the `uow` fixture).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from okrkit import demo
from okrkit.adapters.sources.values.rows import ValueRow, ValueRows
from okrkit.domain.health import Status, Thresholds
from okrkit.services import dashboards, tiles
from okrkit.services.kpis import EditKpi, edit_kpi
from okrkit.services.values import import_values, refresh_imported
from okrkit.services.workspace import load_workspace
from tests.support.statements import statements

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 30)


@pytest.fixture
def workspace(uow) -> demo.Workspace:
    built = demo.build(TODAY)
    load_workspace(uow, built.teams, built.kpis, built.values, "demo", NOW)
    return built


def _kept(uow) -> dict[str, str]:
    """The current kept tiles, by KPI key."""
    with uow:
        listed = uow.kpis.list()
        kept = uow.tiles.get((kpi_id for kpi_id, _ in listed), tiles.FORMAT)
    return {
        stored.kpi.key: kept[kpi_id]
        for kpi_id, stored in listed
        if kpi_id in kept and tiles.current(stored, kept[kpi_id])
    }


def _live(uow, team: str) -> list[tiles.TileHealth | None]:
    with uow:
        listed = uow.kpis.list(team=team)
        return [t.health for t in dashboards._tiles(uow, listed, NOW, live=True)]


def test_loading_a_workspace_keeps_every_tile_and_they_equal_the_live_ones(uow, workspace):
    assert set(_kept(uow)) == {k.key for k in workspace.kpis}
    for team in workspace.teams:
        kept = [t.health for t in dashboards.team_dashboard(uow, team.key, NOW).tiles]
        assert kept == _live(uow, team.key), team.key
    growth = dashboards.team_dashboard(uow, "growth", NOW)
    trial = next(t for t in growth.tiles if t.stored.kpi.key == "trial_to_paid")
    assert trial.check is None  # read from the model, not judged
    assert trial.status is Status.YELLOW
    assert trial.health is not None
    assert trial.health.verdict == "signal"


def test_a_dashboard_of_kept_tiles_reads_no_value(uow, engine, workspace):
    with statements(engine) as seen:
        dashboards.team_dashboard(uow, "growth", NOW)
    assert not any("kpi_values" in s for s in seen), seen
    with uow:
        uow.tiles.forget(uow.kpis.ids(["churn"]).values())
        uow.commit()
    with statements(engine) as seen:
        board = dashboards.team_dashboard(uow, "growth", NOW)
    assert sum("kpi_values" in s for s in seen) == 1  # the one window missing, judged live
    assert [t.health for t in board.tiles] == _live(uow, "growth")


def test_an_import_drops_the_tiles_it_changes_and_the_refresh_judges_them_anew(uow, workspace):
    before = _kept(uow)
    rows = ValueRows([ValueRow(timestamp=datetime(2026, 11, 23), value=9.0)])
    report = import_values(uow, rows, "test", NOW, default_kpi="trial_to_paid")
    after_import = _kept(uow)
    assert "trial_to_paid" not in after_import
    assert {k: v for k, v in before.items() if k != "trial_to_paid"} == after_import
    live = dashboards.team_dashboard(uow, "growth", NOW)
    assert refresh_imported(uow, report, NOW) == 1
    kept = dashboards.team_dashboard(uow, "growth", NOW)
    assert [t.health for t in kept.tiles] == [t.health for t in live.tiles]
    trial = next(t for t in kept.tiles if t.stored.kpi.key == "trial_to_paid")
    assert trial.health is not None
    assert trial.health.latest_value == 9.0
    assert trial.status is Status.RED


def test_an_edit_judges_the_kpi_again_in_its_own_transaction(uow, workspace):
    edit_kpi(uow, EditKpi("trial_to_paid", 1, {"thresholds": Thresholds(11.0, 10.0)}), "t", NOW)
    kept = _kept(uow)
    assert "trial_to_paid" in kept
    board = dashboards.team_dashboard(uow, "growth", NOW)
    trial = next(t for t in board.tiles if t.stored.kpi.key == "trial_to_paid")
    assert trial.check is None
    assert trial.status is Status.GREEN  # 12.0 against green 11 / red 10
    assert [t.health for t in board.tiles] == _live(uow, "growth")


def test_staleness_is_worked_out_on_every_read(uow, workspace):
    later = NOW + timedelta(days=60)
    board = dashboards.team_dashboard(uow, "growth", later)
    assert all(t.health is not None and t.health.stale for t in board.tiles)
    assert all(t.status is not Status.GREEN for t in board.tiles)
    with uow:
        listed = uow.kpis.list(team="growth")
        live = [t.health for t in dashboards._tiles(uow, listed, later, live=True)]
    assert [t.health for t in board.tiles] == live


def test_a_tile_kept_in_another_format_is_judged_live(uow, workspace):
    with uow:
        ids = uow.kpis.ids(["churn"])
        uow.tiles.put({ids["churn"]: '{"old": true}'}, tiles.FORMAT - 1)
        uow.commit()
    assert "churn" not in _kept(uow)
    board = dashboards.team_dashboard(uow, "growth", NOW)
    churn = next(t for t in board.tiles if t.stored.kpi.key == "churn")
    assert churn.check is not None  # judged live
    assert [t.health for t in board.tiles] == _live(uow, "growth")


def test_an_encoded_tile_decodes_to_itself(workspace, uow):
    with uow:
        listed = uow.kpis.list()
        for tile in dashboards._tiles(uow, listed, NOW, live=True):
            if tile.health is None:
                continue
            again = tiles.decode(tile.stored, tiles.encode(tile.health, tile.stored), NOW)
            assert again == replace(tile.health), tile.stored.kpi.key


def test_a_tile_judged_before_an_import_is_never_shown_after_it(uow, workspace):
    """A refresh that read the values before an import and writes its tile after the
    import committed (a race) leaves a tile on the old values version: ignored."""
    with uow:
        ids = uow.kpis.ids(["trial_to_paid"])
        old = uow.tiles.get(ids.values(), tiles.FORMAT)
    rows = ValueRows([ValueRow(timestamp=datetime(2026, 11, 23), value=9.0)])
    import_values(uow, rows, "test", NOW, default_kpi="trial_to_paid")
    with uow:
        uow.tiles.put(old, tiles.FORMAT)  # the late write of the racing refresh
        uow.commit()
    assert "trial_to_paid" not in _kept(uow)
    board = dashboards.team_dashboard(uow, "growth", NOW)
    trial = next(t for t in board.tiles if t.stored.kpi.key == "trial_to_paid")
    assert trial.check is not None  # judged live on the new values
    assert trial.health is not None
    assert trial.health.latest_value == 9.0
