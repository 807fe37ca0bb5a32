"""The KPI health read model: kept tiles equal live ones, and no write leaves one stale.

Every test runs on SQLite and on PostgreSQL (the `uow` fixture).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from okrkit import demo
from okrkit.adapters.sources.values.rows import ValueRow, ValueRows
from okrkit.domain.health import Status, Thresholds, toward_red
from okrkit.services import dashboards, tiles
from okrkit.services.kpis import EditKpi, edit_kpi
from okrkit.services.kpis import kpi_page as kpis_page
from okrkit.services.ports import KeptTile
from okrkit.services.values import import_values
from okrkit.services.workspace import load_workspace
from tests.support.actors import ADMIN, as_actor
from tests.support.statements import statements

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 30)


@pytest.fixture
def workspace(uow) -> demo.Workspace:
    built = demo.build(TODAY)
    load_workspace(uow, built.teams, built.kpis, built.values, as_actor("demo"), NOW)
    return built


def _kept(uow) -> dict[str, KeptTile]:
    """The current kept tiles, by KPI key."""
    with uow:
        listed = uow.kpis.list()
        kept = uow.tiles.get(stored.kpi.key for stored in listed)
    return {
        stored.kpi.key: kept[stored.kpi.key]
        for stored in listed
        if stored.kpi.key in kept and tiles.kept_health(stored, kept[stored.kpi.key], NOW)
    }


def _live(uow, team: str) -> list[tiles.TileHealth | None]:
    """A team's tiles judged live, in dashboard order (worst first)."""
    with uow:
        listed = uow.kpis.list(team=team)
        return [t.health for t in tiles.worst_first(tiles.tiles(uow, listed, NOW, live=True))]


def test_loading_a_workspace_keeps_every_tile_and_they_equal_the_live_ones(uow, workspace):
    assert set(_kept(uow)) == {k.key for k in workspace.kpis}
    for team in workspace.teams:
        kept = [t.health for t in dashboards.team_dashboard(uow, team.key, NOW, viewer=ADMIN).tiles]
        assert kept == _live(uow, team.key), team.key
    growth = dashboards.team_dashboard(uow, "growth", NOW, viewer=ADMIN)
    trial = next(t for t in growth.tiles if t.stored.kpi.key == "trial_to_paid")
    assert trial.check is None  # read from the model, not judged
    assert trial.status is Status.YELLOW
    assert trial.health is not None
    assert trial.health.verdict == "signal"


def test_a_dashboard_of_kept_tiles_reads_no_value(uow, engine, workspace):
    with statements(engine) as seen:
        dashboards.team_dashboard(uow, "growth", NOW, viewer=ADMIN)
    assert not any("kpi_values" in s for s in seen), seen
    with uow:
        uow.tiles.forget(["churn"])
        uow.commit()
    with statements(engine) as seen:
        board = dashboards.team_dashboard(uow, "growth", NOW, viewer=ADMIN)
    # The one window missing, judged live: its values and its segments' newest moments.
    assert sum("kpi_values" in s for s in seen) == 2
    assert [t.health for t in board.tiles] == _live(uow, "growth")


def test_the_hourly_watch_keeps_a_tile_that_is_missing(uow, workspace):
    with uow:
        uow.tiles.forget(["churn"])  # as an older release's layout reads
        uow.commit()
    assert tiles.watch_health(uow, NOW) == 1
    assert "churn" in _kept(uow)
    assert tiles.watch_health(uow, NOW) == 0


def test_an_import_judges_anew_the_tiles_it_changes_and_only_those(uow, workspace):
    before = _kept(uow)
    rows = ValueRows([ValueRow(timestamp=datetime(2026, 11, 23), value=9.0)])
    import_values(uow, rows, as_actor("test"), NOW, default_kpi="trial_to_paid")
    after_import = _kept(uow)
    assert (
        after_import["trial_to_paid"].values_version == before["trial_to_paid"].values_version + 1
    )
    assert after_import["trial_to_paid"].latest_value == 9.0
    assert {k: v for k, v in before.items() if k != "trial_to_paid"} == {
        k: v for k, v in after_import.items() if k != "trial_to_paid"
    }
    kept = dashboards.team_dashboard(uow, "growth", NOW, viewer=ADMIN)
    assert all(t.check is None for t in kept.tiles)  # every tile read from the model
    assert [t.health for t in kept.tiles] == _live(uow, "growth")
    trial = next(t for t in kept.tiles if t.stored.kpi.key == "trial_to_paid")
    assert trial.health is not None
    assert trial.health.latest_value == 9.0
    assert trial.status is Status.RED


def test_an_edit_judges_the_kpi_again_in_its_own_transaction(uow, workspace):
    edit_kpi(
        uow, EditKpi("trial_to_paid", 1, {"thresholds": Thresholds(11.0, 10.0)}), as_actor("t"), NOW
    )
    kept = _kept(uow)
    assert "trial_to_paid" in kept
    board = dashboards.team_dashboard(uow, "growth", NOW, viewer=ADMIN)
    trial = next(t for t in board.tiles if t.stored.kpi.key == "trial_to_paid")
    assert trial.check is None
    assert trial.status is Status.GREEN  # 12.0 against green 11 / red 10
    assert [t.health for t in board.tiles] == _live(uow, "growth")


def test_staleness_is_worked_out_on_every_read(uow, workspace):
    later = NOW + timedelta(days=60)
    board = dashboards.team_dashboard(uow, "growth", later, viewer=ADMIN)
    assert all(t.health is not None and t.health.stale for t in board.tiles)
    assert all(t.status is not Status.GREEN for t in board.tiles)
    with uow:
        listed = uow.kpis.list(team="growth")
        live = [t.health for t in tiles.worst_first(tiles.tiles(uow, listed, later, live=True))]
    assert [t.health for t in board.tiles] == live


def test_a_kept_tile_reads_back_as_the_live_one(workspace, uow):
    with uow:
        listed = uow.kpis.list()
        for tile in tiles.tiles(uow, listed, NOW, live=True):
            if tile.health is None:
                continue
            kept = tiles.kept_tile(tile.stored, tile.health)
            uow.tiles.put({tile.stored.kpi.key: kept})
            again = uow.tiles.get([tile.stored.kpi.key])[tile.stored.kpi.key]
            assert tiles.kept_health(tile.stored, again, NOW) == replace(tile.health)


def test_a_tile_judged_before_an_import_is_never_shown_after_it(uow, workspace):
    """A refresh that read the values before an import and writes its tile after the
    import committed (a race) leaves a tile on the old values version: ignored."""
    with uow:
        old = uow.tiles.get(["trial_to_paid"])
    rows = ValueRows([ValueRow(timestamp=datetime(2026, 11, 23), value=9.0)])
    import_values(uow, rows, as_actor("test"), NOW, default_kpi="trial_to_paid")
    with uow:
        uow.tiles.put(old)  # the late write of the racing refresh
        uow.commit()
    assert "trial_to_paid" not in _kept(uow)
    board = dashboards.team_dashboard(uow, "growth", NOW, viewer=ADMIN)
    trial = next(t for t in board.tiles if t.stored.kpi.key == "trial_to_paid")
    assert trial.check is not None  # judged live on the new values
    assert trial.health is not None
    assert trial.health.latest_value == 9.0


# --- a KPI that can't be judged, and worst first ---------------------------------------


def _stored_before_the_rules(uow, key: str, cadence: str, **fields) -> None:  # type: ignore[no-untyped-def]
    """A definition written straight to the store, as one from before the rules was."""
    from okrkit.domain.cadence import Cadence
    from okrkit.domain.health import Direction
    from okrkit.domain.kpis import Kpi

    given = {"thresholds": Thresholds(15, 12), **fields}
    kpi = Kpi(
        key=key, name=key.replace("_", " ").capitalize(), direction=Direction.HIGHER,
        cadence=Cadence.read(cadence), team="growth", **given,
    )  # fmt: skip
    with uow:
        uow.kpis.add(kpi, "before", NOW)
        uow.commit()


def test_a_stored_kpi_that_cant_be_judged_says_why_and_every_other_tile_renders(uow, workspace):
    _stored_before_the_rules(uow, "never", "0 0 30 2 *")
    _stored_before_the_rules(uow, "every_second", "* * * * * *")
    _stored_before_the_rules(uow, "upside_down", "weekly", thresholds=Thresholds(10, 20))
    rows = ValueRows(
        [
            ValueRow(kpi=k, timestamp=datetime(2026, 11, d), value=9.0)
            for k in ("never", "every_second", "upside_down")
            for d in (20, 21, 22)
        ]
    )
    report = import_values(
        uow, rows, as_actor("maya"), NOW
    )  # stored, and said so: no error after the commit
    assert report.rows_written == 9
    board = dashboards.team_dashboard(uow, "growth", NOW, viewer=ADMIN)
    reasons = {t.stored.kpi.key: t.cant_judge for t in board.tiles}
    assert reasons["never"] == "the cadence `0 0 30 2 *` never fires (30 February)"
    assert reasons["every_second"] == (
        "the cadence `* * * * * *` fires every second; the most often a KPI can be judged is hourly"
    )
    assert reasons["upside_down"] is not None
    assert "green 10 is below red 20" in reasons["upside_down"]
    judged = [t for t in board.tiles if t.cant_judge is None]
    assert len(judged) == 3
    assert all(t.health is not None for t in judged)
    page = kpis_page(uow, "every_second", NOW, viewer=ADMIN)
    assert page.tile.cant_judge == reasons["every_second"]
    assert page.total_values == 3  # its values are still listed
    home = dashboards.home(uow, NOW, viewer=ADMIN)
    growth = next(s for s in home.teams if s.team.team.key == "growth")
    assert growth.counts["cant_judge"] == 3
    assert [a.cant_judge for a in home.attention if a.cant_judge] == [
        reasons[k] for k in ("every_second", "never", "upside_down")
    ]


def test_dashboards_list_tiles_worst_first(uow, workspace):
    later = NOW + timedelta(days=3)  # daily KPIs turn stale, weekly ones do not
    _stored_before_the_rules(uow, "never", "0 0 30 2 *")
    board = dashboards.team_dashboard(uow, "growth", later, viewer=ADMIN)
    order = [t.standing.value for t in board.tiles]
    assert order == sorted(
        order, key=["red", "cant_judge", "yellow", "stale", "unknown", "green"].index
    )
    assert order[0] in {"red", "cant_judge"}
    home = dashboards.home(uow, later, viewer=ADMIN)
    ranks = [a.standing.value for a in home.attention]
    assert ranks == sorted(ranks, key=["red", "cant_judge", "yellow", "stale"].index)
    assert "green" not in ranks
    assert "unknown" not in ranks
    names = {a.stored.kpi.key for a in home.attention}
    assert "trial_to_paid" in names
    assert "never" in names
    # Within one standing, the nearest to red first.
    for first, second in zip(home.attention, home.attention[1:], strict=False):
        if first.standing is second.standing and first.stored.kpi.thresholds is not None:
            kpi_a, kpi_b = first.stored.kpi, second.stored.kpi
            assert toward_red(first.value, kpi_a.thresholds, kpi_a.direction) >= toward_red(
                second.value, kpi_b.thresholds, kpi_b.direction
            )
