"""Kept tiles in the store: a document reads back as the tile it was, and a document of
another layout (an older release's) reads as missing, so the tile is judged live."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime

import pytest
from sqlalchemy import text

from okrkit import demo
from okrkit.adapters.store.tiles import FORMAT, decode, encode
from okrkit.domain.quality import Issue, IssueKind, Quality
from okrkit.domain.trend import Trend
from okrkit.services import dashboards
from okrkit.services.ports import KeptTile
from okrkit.services.workspace import load_workspace
from tests.support.actors import ADMIN, as_actor

NOW = datetime(2026, 11, 23, 9, 30)
TILE = KeptTile(
    version=3,
    values_version=7,
    latest_time=datetime(2026, 11, 22, 23, 59, 59),
    latest_value=12.0,
    trend=Trend(12.0, 13.5, -1.5, -0.111, None),
    verdict="signal",
    headline="Signal: 6 of the last 8 weeks below the lower limit",
    spark=(14.0, math.nan, 12.0),
    quality=Quality(
        (
            Issue(IssueKind.GAP, "2 gaps: 3 Oct 2026, 4 Oct 2026", (3, 4)),
            Issue(IssueKind.SEGMENT_STOPPED, "Segment 'de' stopped after 1 Oct 2026", (), "de"),
        )
    ),
)


def test_a_document_reads_back_as_its_tile():
    again = decode(encode(TILE))
    assert math.isnan(again.spark[1])
    assert replace(again, spark=()) == replace(TILE, spark=())
    assert again.spark[::2] == TILE.spark[::2]


def test_a_document_has_no_nan_or_infinity():
    odd = replace(TILE, trend=Trend(math.inf, None, math.nan, None, -math.inf))
    assert "NaN" not in encode(odd)
    assert "Infinity" not in encode(odd)
    assert decode(encode(odd)).trend == Trend(None, None, None, None, None)


@pytest.fixture
def workspace(uow) -> demo.Workspace:
    built = demo.build(date(2026, 11, 23))
    load_workspace(uow, built.teams, built.kpis, built.values, as_actor("demo"), NOW)
    return built


def test_a_tile_kept_in_another_layout_reads_as_missing_and_is_judged_live(uow, engine, workspace):
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE kpi_health SET format = :old, payload = '{\"old\": true}' "
                "WHERE kpi_id = (SELECT id FROM kpis WHERE key = 'churn')"
            ),
            {"old": FORMAT - 1},
        )
    with uow:
        assert "churn" not in uow.tiles.get(["churn", "trial_to_paid"])
        assert "trial_to_paid" in uow.tiles.get(["churn", "trial_to_paid"])
    board = dashboards.team_dashboard(uow, "growth", NOW, viewer=ADMIN)
    churn = next(t for t in board.tiles if t.stored.kpi.key == "churn")
    assert churn.check is not None  # judged live
