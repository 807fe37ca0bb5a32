"""Teams and KPIs through the services, on SQLite and on PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from okrkit.domain.cadence import Cadence
from okrkit.domain.errors import Conflict, InvalidInput, NotFound
from okrkit.domain.health import Direction, Thresholds
from okrkit.domain.kpis import Kpi
from okrkit.services.kpis import EditKpi, archive_kpi, create_kpi, edit_kpi, get_kpi, list_kpis
from okrkit.services.teams import CreateTeam, EditTeam, create_team, edit_team, list_teams
from tests.support.actors import ADMIN, as_actor

NOW = datetime(2026, 11, 23, 9, 0)
LATER = datetime(2026, 11, 23, 10, 30)
TRIAL_TO_PAID = Kpi(
    key="trial_to_paid",
    name="Trial-to-paid conversion rate",
    unit="percent",
    direction=Direction.HIGHER,
    cadence=Cadence.parse("weekly"),
    team="growth",
    target=16,
    thresholds=Thresholds(15, 12),
    owner="maya@example.com",
)


@pytest.fixture
def growth(uow):
    return create_team(uow, CreateTeam("growth", "Growth"), as_actor("maya@example.com"), NOW)


def test_create_and_read_a_kpi(uow, growth):
    stored = create_kpi(uow, TRIAL_TO_PAID, as_actor("maya@example.com"), NOW)
    assert stored.kpi == TRIAL_TO_PAID
    assert stored.revision.version == 1
    assert stored.revision.changed_by == "maya@example.com"
    assert get_kpi(uow, "trial_to_paid", viewer=ADMIN).kpi == TRIAL_TO_PAID
    assert [k.kpi.key for k in list_kpis(uow, "growth", viewer=ADMIN)] == ["trial_to_paid"]


def test_keys_are_unique(uow, growth):
    create_kpi(uow, TRIAL_TO_PAID, as_actor("maya@example.com"), NOW)
    with pytest.raises(Conflict, match="already exists"):
        create_kpi(uow, TRIAL_TO_PAID, as_actor("maya@example.com"), NOW)
    with pytest.raises(Conflict, match="already exists"):
        create_team(uow, CreateTeam("growth", "Growth again"), as_actor("maya@example.com"), NOW)


def test_an_unknown_team_or_kpi_is_not_found(uow):
    with pytest.raises(NotFound, match="no team 'growth'"):
        create_kpi(uow, TRIAL_TO_PAID, as_actor("maya@example.com"), NOW)
    with pytest.raises(NotFound, match="no KPI 'nope'"):
        get_kpi(uow, "nope", viewer=ADMIN)


def test_bad_definitions_name_their_field(uow, growth):
    with pytest.raises(InvalidInput) as wrong_order:
        create_kpi(uow, replace(TRIAL_TO_PAID, thresholds=Thresholds(12, 15)), as_actor("m"), NOW)
    assert wrong_order.value.field == "thresholds"
    with pytest.raises(InvalidInput) as bad_key:
        create_kpi(uow, replace(TRIAL_TO_PAID, key="Trial To Paid"), as_actor("m"), NOW)
    assert bad_key.value.field == "key"
    with pytest.raises(InvalidInput) as bad_formula:
        create_kpi(
            uow, replace(TRIAL_TO_PAID, formula="paid / __import__('os')"), as_actor("m"), NOW
        )
    assert bad_formula.value.field == "formula"
    assert list_kpis(uow, "growth", viewer=ADMIN) == []


def test_an_edit_bumps_the_version_and_is_audited(uow, growth):
    create_kpi(uow, TRIAL_TO_PAID, as_actor("maya@example.com"), NOW)
    edited = edit_kpi(
        uow,
        EditKpi("trial_to_paid", 1, {"target": 17.0}, window_periods=52),
        as_actor("omar@example.com"),
        LATER,
    )
    assert edited.kpi.target == 17.0
    assert edited.window_periods == 52
    assert edited.revision.version == 2
    assert edited.revision.changed_by == "omar@example.com"
    with uow:
        history = uow.audit.history("kpi", "trial_to_paid")
    assert [entry["action"] for entry in history] == ["create", "edit"]
    assert history[1]["before"]["target"] == 16
    assert history[1]["after"]["target"] == 17
    assert history[1]["actor"] == "omar@example.com"


def test_a_stale_edit_is_a_conflict_that_names_who_and_when(uow, growth):
    create_kpi(uow, TRIAL_TO_PAID, as_actor("maya@example.com"), NOW)
    edit_kpi(
        uow, EditKpi("trial_to_paid", 1, {"target": 17.0}), as_actor("omar@example.com"), LATER
    )
    with pytest.raises(Conflict) as stale:
        edit_kpi(
            uow, EditKpi("trial_to_paid", 1, {"target": 18.0}), as_actor("maya@example.com"), LATER
        )
    message = str(stale.value)
    assert "changed by omar@example.com at 2026-11-23 10:30" in message
    assert "reload" in message
    assert get_kpi(uow, "trial_to_paid", viewer=ADMIN).kpi.target == 17.0


def test_a_failed_edit_writes_nothing(uow, growth):
    create_kpi(uow, TRIAL_TO_PAID, as_actor("maya@example.com"), NOW)
    with pytest.raises(InvalidInput):
        edit_kpi(
            uow,
            EditKpi("trial_to_paid", 1, {"thresholds": Thresholds(10, 20)}),
            as_actor("m"),
            LATER,
        )
    stored = get_kpi(uow, "trial_to_paid", viewer=ADMIN)
    assert stored.revision.version == 1
    with uow:
        assert [e["action"] for e in uow.audit.history("kpi", "trial_to_paid")] == ["create"]


def test_archive_hides_a_kpi_from_lists(uow, growth):
    create_kpi(uow, TRIAL_TO_PAID, as_actor("maya@example.com"), NOW)
    archived = archive_kpi(uow, "trial_to_paid", 1, as_actor("maya@example.com"), LATER)
    assert archived.archived
    assert list_kpis(uow, "growth", viewer=ADMIN) == []
    assert [k.kpi.key for k in list_kpis(uow, "growth", archived=True, viewer=ADMIN)] == [
        "trial_to_paid"
    ]


def test_teams_edit_and_conflict(uow, growth):
    create_team(uow, CreateTeam("company", "Company"), as_actor("ceo@example.com"), NOW)
    moved = edit_team(
        uow, EditTeam("growth", 1, parent="company"), as_actor("ceo@example.com"), LATER
    )
    assert moved.parent == "company"
    assert moved.revision.version == 2
    with pytest.raises(Conflict, match="changed by ceo@example.com"):
        edit_team(
            uow, EditTeam("growth", 1, name="Growth team"), as_actor("maya@example.com"), LATER
        )
    assert [t.team.key for t in list_teams(uow)] == ["company", "growth"]
