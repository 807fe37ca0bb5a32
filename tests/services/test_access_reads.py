"""What each reader sees, through the read use cases themselves, on SQLite and
PostgreSQL: a private KPI or objective is there for its team's members and admins, and
for everyone else it is not there at all — not listed, not counted under its name, and
asked for by key, not found in the words of a key that names nothing."""

from __future__ import annotations

from dataclasses import replace

import pytest

from okrkit.domain.access import Actor
from okrkit.domain.errors import NotFound
from okrkit.services import kpis, objectives
from okrkit.services.access import sight
from okrkit.services.objectives import EditObjective
from tests.support import okrs
from tests.support.actors import ADMIN, as_actor

NOW = okrs.NOW
MEMBER = Actor("bo@example.com", member_of=frozenset({"growth"}))
OUTSIDER = Actor("cy@example.com", member_of=frozenset({"company"}), edits=frozenset({"company"}))


@pytest.fixture
def workspace(uow):
    built = okrs.build(uow)
    kpis.edit_kpi(uow, kpis.EditKpi("trial_to_paid", 1, {"private": True}), ADMIN, NOW)
    objectives.edit_objective(
        uow, EditObjective("streamline-onboarding", 1, {"private": True}), as_actor("t"), NOW
    )
    return built


def test_the_sight_of_an_outsider_names_what_is_hidden_and_an_admins_nothing(uow, workspace):
    with uow:
        hidden = sight(uow, OUTSIDER)
        member = sight(uow, MEMBER)
        admin = sight(uow, ADMIN)
    assert hidden.hidden_kpis == {"trial_to_paid"}
    assert hidden.hidden_objectives == {"streamline-onboarding"}
    assert not hidden.kpi("trial_to_paid")
    assert hidden.kpi("dau")
    assert hidden.kpi(None)
    assert member.hidden_kpis == member.hidden_objectives == frozenset()
    assert admin.hidden_kpis == admin.hidden_objectives == frozenset()


def test_a_private_kpi_is_read_by_members_and_admins_only(uow, workspace):
    for who in (MEMBER, ADMIN):
        assert [k.kpi.key for k in kpis.list_kpis(uow, viewer=who)] == ["dau", "trial_to_paid"]
        assert kpis.get_kpi(uow, "trial_to_paid", viewer=who).kpi.private
        assert kpis.kpi_page(uow, "trial_to_paid", NOW, viewer=who).tile.stored.kpi.private
    assert [k.kpi.key for k in kpis.list_kpis(uow, viewer=OUTSIDER)] == ["dau"]
    assert kpis.list_kpis(uow, "growth", viewer=OUTSIDER) == []
    for read in (
        lambda: kpis.get_kpi(uow, "trial_to_paid", viewer=OUTSIDER),
        lambda: kpis.kpi_page(uow, "trial_to_paid", NOW, viewer=OUTSIDER),
        lambda: kpis.kpi_editor(uow, "trial_to_paid", viewer=OUTSIDER),
    ):
        with pytest.raises(NotFound, match="^no KPI 'trial_to_paid'$"):
            read()


def test_a_public_formula_names_no_private_kpi_to_an_outsider(uow, workspace):
    ratio = replace(okrs.DAU, key="ratio", name="Users per conversion point", north_star=False)
    kpis.create_kpi(uow, replace(ratio, formula="dau / trial_to_paid"), ADMIN, NOW)
    for who in (MEMBER, ADMIN):
        assert kpis.get_kpi(uow, "ratio", viewer=who).kpi.formula == "dau / trial_to_paid"
    seen = [kpis.get_kpi(uow, "ratio", viewer=OUTSIDER)]
    seen += [k for k in kpis.list_kpis(uow, viewer=OUTSIDER) if k.kpi.key == "ratio"]
    page = kpis.kpi_page(uow, "ratio", NOW, viewer=OUTSIDER)
    seen += [page.tile.stored]
    editor = kpis.kpi_editor(uow, "ratio", viewer=OUTSIDER).stored
    assert editor is not None
    seen += [editor]
    assert {k.kpi.formula for k in seen} == {"dau / private_kpi"}
    assert page.factors is None  # which input moved it would name it
    # Their form sends the formula back as it showed it: the stored one stays.
    kpis.edit_kpi(
        uow, kpis.EditKpi("ratio", 1, {"formula": "dau / private_kpi", "target": 3.0}),
        OUTSIDER, NOW,
    )  # fmt: skip
    stored = kpis.get_kpi(uow, "ratio", viewer=ADMIN)
    assert (stored.kpi.formula, stored.kpi.target) == ("dau / trial_to_paid", 3.0)


def test_an_edit_is_answered_as_its_author_may_see_it(uow, workspace):
    """An editor of growth changes their objective, aligned to a company objective made
    private: the answer does not name it, and the alignment stays as stored."""
    growth = Actor("ana@example.com", member_of=frozenset({"growth"}), edits=frozenset({"growth"}))
    with uow:
        version = uow.objectives.get("grow-paying-customers").revision.version
    objectives.edit_objective(
        uow, EditObjective("grow-paying-customers", version, {"private": True}), ADMIN, NOW
    )
    with uow:
        version = uow.objectives.get("streamline-onboarding").revision.version
    edit = EditObjective("streamline-onboarding", version, {"title": "Onboard faster"})
    answer = objectives.edit_objective(uow, edit, growth, NOW)
    assert answer.objective.title == "Onboard faster"
    assert answer.objective.parent is None
    with uow:
        stored = uow.objectives.get("streamline-onboarding").objective
    assert stored.parent is not None
    assert stored.parent.objective == "grow-paying-customers"
