"""Who may change what, through the use cases themselves, on SQLite and PostgreSQL: an
editor changes their team's things, a viewer and an editor of another team are refused
(forbidden, nothing written), a private objective or KPI is not there for an outsider
(not found, in the words of a key that names nothing), and the workspace itself is an
admin's."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from okrkit.adapters.sources.values.rows import ValueRow, ValueRows
from okrkit.domain.access import Actor
from okrkit.domain.errors import Forbidden, NotFound
from okrkit.domain.kpis import Kpi
from okrkit.services import (
    check_ins,
    cycles,
    imports,
    kpis,
    objectives,
    settings,
    subscriptions,
    teams,
    values,
)
from okrkit.services.check_ins import RecordCheckIn
from okrkit.services.objectives import EditObjective
from tests.support import okrs
from tests.support.actors import as_actor

NOW = okrs.NOW
GROWTH_EDITOR = Actor(
    "ana@example.com", member_of=frozenset({"growth"}), edits=frozenset({"growth"})
)
GROWTH_VIEWER = Actor("bo@example.com", member_of=frozenset({"growth"}))
COMPANY_EDITOR = Actor(
    "cy@example.com", member_of=frozenset({"company"}), edits=frozenset({"company"})
)
READ_ONLY = Actor("root@example.com", admin=True, writes=False)


@pytest.fixture
def workspace(uow):
    return okrs.build(uow)


def _private(uow, key: str) -> None:
    objectives.edit_objective(
        uow, EditObjective(key, 1, {"private": True}), as_actor(okrs.ACTOR), NOW
    )


def _versions(uow) -> dict[str, int]:
    with uow:
        return {
            "onboarding": uow.objectives.get("streamline-onboarding").revision.version,
            "kpi": uow.kpis.get("trial_to_paid").revision.version,
            "check_ins": sum(len(v) for v in uow.check_ins.of([1, 2, 3, 4, 5]).values()),
        }


def test_an_editor_changes_their_teams_things_and_nothing_else(uow, workspace):
    before = _versions(uow)
    check_ins.record_check_in(uow, RecordCheckIn(workspace.wizard, 60.0), GROWTH_EDITOR, NOW)
    kpis.edit_kpi(uow, kpis.EditKpi("trial_to_paid", 1, {"target": 17.0}), GROWTH_EDITOR, NOW)
    with pytest.raises(Forbidden, match="ana@example.com cannot change the objective"):
        objectives.edit_objective(
            uow, EditObjective("grow-paying-customers", 1, {"title": "Mine"}), GROWTH_EDITOR, NOW
        )
    with pytest.raises(Forbidden, match="cannot add a KPI to the team 'company'"):
        kpis.create_kpi(uow, replace(okrs.DAU, key="wau", team="company"), GROWTH_EDITOR, NOW)
    with pytest.raises(Forbidden):  # moving a KPI away takes an editor of both teams
        kpis.edit_kpi(
            uow, kpis.EditKpi("trial_to_paid", 2, {"team": "company"}), GROWTH_EDITOR, NOW
        )
    after = _versions(uow)
    assert after["check_ins"] == before["check_ins"] + 1
    assert after["kpi"] == before["kpi"] + 1
    with uow:
        assert uow.objectives.get("grow-paying-customers").objective.title != "Mine"
        assert uow.kpis.get("trial_to_paid").kpi.team == "growth"


@pytest.mark.parametrize("who", [GROWTH_VIEWER, COMPANY_EDITOR, READ_ONLY], ids=str)
def test_a_viewer_an_editor_of_another_team_and_a_read_token_change_nothing(uow, workspace, who):
    before = _versions(uow)
    with pytest.raises(Forbidden):
        check_ins.record_check_in(uow, RecordCheckIn(workspace.wizard, 60.0), who, NOW)
    with pytest.raises(Forbidden):
        kpis.edit_kpi(uow, kpis.EditKpi("trial_to_paid", 1, {"target": 17.0}), who, NOW)
    with pytest.raises(Forbidden):
        objectives.activate_objective(uow, "streamline-onboarding", 1, who, NOW)
    assert _versions(uow) == before


def test_a_private_objective_is_not_there_for_an_outsider(uow, workspace):
    _private(uow, "streamline-onboarding")
    with pytest.raises(NotFound, match="^no objective 'streamline-onboarding'$"):
        objectives.edit_objective(
            uow, EditObjective("streamline-onboarding", 2, {"title": "x"}), COMPANY_EDITOR, NOW
        )
    with pytest.raises(NotFound, match=f"^no key result {workspace.wizard}$"):
        check_ins.record_check_in(uow, RecordCheckIn(workspace.wizard, 60.0), COMPANY_EDITOR, NOW)
    # The same words as a key that names nothing at all:
    with pytest.raises(NotFound, match="^no objective 'nothing-here'$"):
        objectives.edit_objective(uow, EditObjective("nothing-here", 1, {}), COMPANY_EDITOR, NOW)
    # A member sees it: a viewer is told why not, an editor changes it.
    with pytest.raises(Forbidden):
        check_ins.record_check_in(uow, RecordCheckIn(workspace.wizard, 60.0), GROWTH_VIEWER, NOW)
    check_ins.record_check_in(uow, RecordCheckIn(workspace.wizard, 60.0), GROWTH_EDITOR, NOW)


def test_a_private_kpi_is_not_there_for_an_outsider(uow, workspace):
    kpis.edit_kpi(uow, kpis.EditKpi("trial_to_paid", 1, {"private": True}), GROWTH_EDITOR, NOW)
    with pytest.raises(NotFound, match="^no KPI 'trial_to_paid'$"):
        kpis.archive_kpi(uow, "trial_to_paid", 2, COMPANY_EDITOR, NOW)


def test_the_workspace_itself_is_an_admins(uow, workspace):
    for change in (
        lambda who: teams.create_team(uow, teams.CreateTeam("ops", "Ops"), who, NOW),
        lambda who: cycles.create_cycle(uow, cycles.CreateCycle("2026-Q4"), who, NOW),
        lambda who: settings.set_settings(uow, "[lint]\nOKR001 = false\n", 1, who, NOW),
        lambda who: subscriptions.create_subscription(
            uow, subscriptions.CreateSubscription("email", "all@example.com"), who, NOW
        ),
    ):
        with pytest.raises(Forbidden, match="that takes an admin"):
            change(GROWTH_EDITOR)
    # A team's own subscription is its editors' business.
    subscriptions.create_subscription(
        uow,
        subscriptions.CreateSubscription("email", "growth@example.com", team="growth"),
        GROWTH_EDITOR,
        NOW,
    )
    teams.create_team(uow, teams.CreateTeam("ops", "Ops"), as_actor("root"), NOW)


def test_a_kpi_created_for_a_team_is_its_editors(uow, workspace):
    wau = Kpi(**{**okrs.DAU.__dict__, "key": "wau", "team": "growth", "north_star": False})
    stored = kpis.create_kpi(uow, wau, GROWTH_EDITOR, NOW)
    assert stored.revision.changed_by == "ana@example.com"


def test_values_are_written_and_undone_by_the_kpis_editors_only(uow, workspace):
    rows = ValueRows([ValueRow(timestamp=datetime(2026, 8, 10), value=12.9)])
    with pytest.raises(Forbidden, match="cannot write values of the KPI 'trial_to_paid'"):
        values.import_values(uow, rows, COMPANY_EDITOR, NOW, default_kpi="trial_to_paid")
    report = values.import_values(uow, rows, GROWTH_EDITOR, NOW, default_kpi="trial_to_paid")
    assert report.record is not None
    with pytest.raises(Forbidden):
        imports.undo_import(uow, report.record.id, GROWTH_VIEWER, NOW)
    imports.undo_import(uow, report.record.id, GROWTH_EDITOR, NOW)


def test_a_kept_upload_is_cancelled_by_the_kpis_editors_and_unseen_by_outsiders(uow, workspace):
    kpis.edit_kpi(uow, kpis.EditKpi("trial_to_paid", 1, {"private": True}), GROWTH_EDITOR, NOW)
    rows = ValueRows([ValueRow(timestamp=datetime(2026, 8, 10), value=12.9)], name="w.csv")
    token = imports.keep_upload(uow, rows, b"x", GROWTH_EDITOR, NOW, kpi="trial_to_paid")
    gone = "^this preview has expired or was imported already"
    with pytest.raises(NotFound, match=gone):
        imports.kept_upload(uow, token, NOW, viewer=COMPANY_EDITOR)
    with pytest.raises(NotFound, match=gone):
        imports.drop_upload(uow, token, COMPANY_EDITOR)
    with pytest.raises(Forbidden, match="cannot cancel an import into the KPI 'trial_to_paid'"):
        imports.drop_upload(uow, token, GROWTH_VIEWER)
    assert imports.kept_upload(uow, token, NOW, viewer=GROWTH_VIEWER).pending.kpi == "trial_to_paid"
    imports.drop_upload(uow, token, GROWTH_EDITOR)
    with pytest.raises(NotFound, match=gone):
        imports.kept_upload(uow, token, NOW, viewer=GROWTH_EDITOR)
