"""An upload kept for its confirmation (SQLite and PostgreSQL): a file that is not
values for the workspace is refused before anything is kept; a good one is kept under a
token, read back until it expires, and forgotten once dropped."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from okrkit.adapters.sources.values.rows import ValueRow, ValueRows
from okrkit.domain.cadence import Cadence
from okrkit.domain.errors import BadRows, NotFound
from okrkit.domain.health import Direction
from okrkit.domain.kpis import Kpi
from okrkit.services.imports import KEEP_UPLOAD, drop_upload, keep_upload, kept_upload
from okrkit.services.kpis import create_kpi
from okrkit.services.teams import CreateTeam, create_team
from tests.support.actors import ADMIN, as_actor

NOW = datetime(2026, 12, 1, 9, 0)
ACTOR = "maya@example.com"


@pytest.fixture
def workspace(uow):
    create_team(uow, CreateTeam("growth", "Growth"), as_actor(ACTOR), NOW)
    kpi = Kpi("signups", "Signups", Direction.HIGHER, Cadence.parse("weekly"), "growth")
    create_kpi(uow, kpi, as_actor(ACTOR), NOW)
    return uow


def test_a_good_upload_is_kept_until_it_expires_or_is_dropped(workspace):
    source = ValueRows([ValueRow(datetime(2026, 11, 30), 120.0)], name="week.csv")
    token = keep_upload(
        workspace, source, b"timestamp,value\n", as_actor(ACTOR), NOW, kpi="signups"
    )
    kept = kept_upload(workspace, token, NOW + timedelta(minutes=5), viewer=ADMIN)
    assert (kept.pending.name, kept.pending.kpi, kept.content) == (
        "week.csv",
        "signups",
        b"timestamp,value\n",
    )
    with pytest.raises(NotFound, match="expired"):
        kept_upload(workspace, token, NOW + KEEP_UPLOAD + timedelta(seconds=1), viewer=ADMIN)
    drop_upload(workspace, token, ADMIN)
    with pytest.raises(NotFound, match="upload the file again"):
        kept_upload(workspace, token, NOW, viewer=ADMIN)


def test_an_upload_of_rows_for_no_kpi_is_refused_and_nothing_is_kept(workspace):
    source = ValueRows([ValueRow(datetime(2026, 11, 30), 1.0, kpi="nope")], name="bad.csv")
    with pytest.raises(BadRows, match="no KPI 'nope'"):
        keep_upload(workspace, source, b"x", as_actor(ACTOR), NOW, kpi="signups")
    with workspace:  # the store's own table, read as SQL
        kept = workspace.imports._c.execute(text("SELECT count(*) FROM pending_imports"))
        assert kept.scalar_one() == 0
