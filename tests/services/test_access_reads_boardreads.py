"""What each reader sees of the dashboards, the workspace's lint and the goals export,
on SQLite and PostgreSQL: another team's private KPI or objective is not there for an
outsider — no tile, no name among what needs attention, not counted in its team's
numbers, no finding about it (nor about a key result under it) and not counted by a
rule about its team, not exported and not named by what is exported — while its
team's members and admins see everything."""

from __future__ import annotations

from dataclasses import replace

import pytest

from okrkit.adapters.goals.writer import dump_goals
from okrkit.domain.access import Actor
from okrkit.domain.key_results import KeyResultDefinition
from okrkit.domain.objectives import Alignment, Objective
from okrkit.services import dashboards, kpis, objectives
from okrkit.services.goals import export_goals, lint_workspace
from okrkit.services.objectives import CreateObjective, EditObjective
from tests.support import okrs
from tests.support.actors import ADMIN, as_actor

NOW = okrs.NOW
MEMBER = Actor("bo@example.com", member_of=frozenset({"growth"}))
OUTSIDER = Actor("cy@example.com", member_of=frozenset({"company"}), edits=frozenset({"company"}))
# The private objective's title, with a number in it (the linter finds OKR001 on it).
SECRET_TITLE = "Streamline onboarding to lift conversion by 20 percent"


def _private(uow, kpi: bool = True, objective: bool = True) -> None:  # type: ignore[no-untyped-def]
    if kpi:
        kpis.edit_kpi(uow, kpis.EditKpi("trial_to_paid", 1, {"private": True}), ADMIN, NOW)
    if objective:
        change = {"private": True, "title": SECRET_TITLE}
        edit = EditObjective("streamline-onboarding", 1, change)
        objectives.edit_objective(uow, edit, as_actor("t"), NOW)


@pytest.fixture
def workspace(uow):
    built = okrs.build(uow)
    _private(uow)
    return built


def _public_growth_objectives(uow, count: int) -> None:  # type: ignore[no-untyped-def]
    """`count` public objectives of growth in 2026-Q3, each aligned and with two key
    results, so the linter finds nothing on any one of them."""
    for n in range(count):
        objective = Objective(
            key=f"growth-bet-{n}",
            title=f"Make the growth team's bet {'abc'[n]} land well",
            cycle="2026-Q3",
            team="growth",
            owner=okrs.ACTOR,
            parent=Alignment("grow-paying-customers"),
        )
        results = tuple(
            KeyResultDefinition(
                f"Raise signups of bet {m} from 10 to 20", start=10, target=20, owner=okrs.ACTOR
            )
            for m in range(2)
        )
        objectives.create_objective(
            uow, CreateObjective(objective, results), as_actor(okrs.ACTOR), NOW
        )


# --- The home page and a team's dashboard ------------------------------------------------


def test_the_home_page_counts_and_names_a_private_kpi_for_members_and_admins_only(uow, workspace):
    for who in (MEMBER, ADMIN):
        home = dashboards.home(uow, NOW, viewer=who)
        growth = next(t for t in home.teams if t.team.team.key == "growth")
        assert growth.kpis == 1
        assert growth.counts["yellow"] == 1
        assert "trial_to_paid" in [a.stored.kpi.key for a in home.attention]
    home = dashboards.home(uow, NOW, viewer=OUTSIDER)
    growth = next(t for t in home.teams if t.team.team.key == "growth")
    assert growth.kpis == 0
    assert set(growth.counts.values()) == {0}
    assert "trial_to_paid" not in [a.stored.kpi.key for a in home.attention]
    assert home.north_star is not None  # dau, the company's, is not private
    assert home.north_star.stored.kpi.key == "dau"


def test_a_private_north_star_is_on_top_of_its_teams_home_page_only(uow, workspace):
    kpis.edit_kpi(uow, kpis.EditKpi("dau", 1, {"private": True}), ADMIN, NOW)
    assert dashboards.home(uow, NOW, viewer=MEMBER).north_star is None
    for who in (OUTSIDER, ADMIN):
        shown = dashboards.home(uow, NOW, viewer=who).north_star
        assert shown is not None
        assert shown.stored.kpi.key == "dau"


def test_a_teams_dashboard_shows_a_private_kpis_tile_to_members_and_admins_only(uow, workspace):
    for who in (MEMBER, ADMIN):
        board = dashboards.team_dashboard(uow, "growth", NOW, viewer=who)
        assert [t.stored.kpi.key for t in board.tiles] == ["trial_to_paid"]
    board = dashboards.team_dashboard(uow, "growth", NOW, viewer=OUTSIDER)
    assert board.team.team.key == "growth"  # the team itself is no secret
    assert board.tiles == ()


# --- The workspace's lint ------------------------------------------------------------------


def _about(finding, workspace) -> bool:  # type: ignore[no-untyped-def]
    """Whether a finding is at, or speaks of, the private KPI or objective."""
    ids = (workspace.wizard, workspace.first_action, workspace.conversion, workspace.tickets)
    under = {f"/key-results/{i}" for i in ids}
    where = finding.location.path
    return (
        where in {"/kpis/trial_to_paid", "/objectives/streamline-onboarding"} | under
        or "trial_to_paid" in finding.message
        or SECRET_TITLE in finding.message
    )


def test_the_lint_finds_and_counts_a_private_thing_for_members_and_admins_only(uow, workspace):
    for who in (MEMBER, ADMIN):
        result = lint_workspace(uow, NOW, viewer=who)
        about = {f.code for f in result.findings if _about(f, workspace)}
        assert {"KPI005", "OKR001"} <= about
        assert (result.objectives, result.kpis) == (2, 2)
    result = lint_workspace(uow, NOW, viewer=OUTSIDER)
    assert result.findings
    assert [f for f in result.findings if _about(f, workspace)] == []
    assert (result.objectives, result.kpis, result.teams) == (1, 1, 2)


def test_a_rule_about_a_team_counts_only_what_the_reader_sees(uow, workspace):
    _public_growth_objectives(uow, 3)
    for who in (MEMBER, ADMIN):
        sprawl = [f for f in lint_workspace(uow, NOW, viewer=who).findings if f.code == "OKR005"]
        assert [f.message.split(":")[0] for f in sprawl] == [
            "team 'growth' has 4 objectives in 2026-Q3"
        ]
    codes = {f.code for f in lint_workspace(uow, NOW, viewer=OUTSIDER).findings}
    assert "OKR005" not in codes


# --- The goals export ----------------------------------------------------------------------


def test_an_export_leaves_out_what_the_reader_may_not_see(uow, workspace):
    admin = export_goals(uow, viewer=ADMIN)
    assert export_goals(uow, viewer=MEMBER) == admin
    assert "streamline-onboarding" in {o.key for o in admin.objectives}
    goals = export_goals(uow, viewer=OUTSIDER)
    assert [s.kpi.key for s in goals.kpis] == ["dau"]
    assert [o.key for o in goals.objectives] == ["grow-paying-customers"]
    text = dump_goals(goals)
    for secret in ("trial_to_paid", "streamline-onboarding", SECRET_TITLE, okrs.WIZARD.title):
        assert secret not in text
    assert "grow-paying-customers" in text


def test_an_export_names_no_private_kpi_through_a_link_or_a_formula(uow):
    okrs.build(uow)
    _private(uow, objective=False)
    derived = replace(
        okrs.DAU, key="paid_share", name="Paid share", north_star=False, formula="trial_to_paid / 2"
    )
    kpis.create_kpi(uow, derived, ADMIN, NOW)
    twice = replace(derived, key="paid_share_2", name="Paid share twice", formula="paid_share * 2")
    kpis.create_kpi(uow, twice, ADMIN, NOW)
    admin = export_goals(uow, viewer=ADMIN)
    onboarding = next(o for o in admin.objectives if o.key == "streamline-onboarding")
    assert "trial_to_paid" in [kr.kpi for kr in onboarding.key_results]
    assert {"paid_share", "paid_share_2"} <= {s.kpi.key for s in admin.kpis}
    goals = export_goals(uow, viewer=OUTSIDER)
    # The public objective is there, its key result without its link to the private KPI;
    # the KPIs derived from it, however far down, are left out.
    onboarding = next(o for o in goals.objectives if o.key == "streamline-onboarding")
    assert [kr.kpi for kr in onboarding.key_results] == [None] * 4
    assert [s.kpi.key for s in goals.kpis] == ["dau"]
    assert "trial_to_paid" not in dump_goals(goals)


def test_an_objectives_north_star_that_is_private_is_not_exported_to_an_outsider(uow):
    okrs.build(uow)
    kpis.edit_kpi(uow, kpis.EditKpi("dau", 1, {"private": True}), ADMIN, okrs.NOW)
    company = next(
        o for o in export_goals(uow, viewer=MEMBER).objectives if o.key == "grow-paying-customers"
    )
    assert company.north_star is None
    assert "dau" not in {s.kpi.key for s in export_goals(uow, viewer=MEMBER).kpis}
    company = next(
        o for o in export_goals(uow, viewer=OUTSIDER).objectives if o.key == "grow-paying-customers"
    )
    assert company.north_star == "dau"


def test_an_export_does_not_align_to_a_private_parent_the_reader_may_not_see(uow):
    okrs.build(uow)
    edit = EditObjective("grow-paying-customers", 1, {"private": True})
    objectives.edit_objective(uow, edit, ADMIN, NOW)
    onboarding = next(
        o for o in export_goals(uow, viewer=OUTSIDER).objectives if o.key == "streamline-onboarding"
    )
    assert onboarding.parent == "grow-paying-customers"
    goals = export_goals(uow, viewer=MEMBER)
    assert [o.key for o in goals.objectives] == ["streamline-onboarding"]
    assert goals.objectives[0].parent is None
    text = dump_goals(goals)
    assert "grow-paying-customers" not in text
    assert "Grow paying customers profitably" not in text
