"""What each reader sees of objectives and what is under them, through the read use
cases themselves, on SQLite and PostgreSQL: a private objective (its key results,
check-ins, initiatives) is there for its team's members and admins, and for everyone
else it is not there — not listed, not counted, not offered, and asked for by key, not
found in the words of a key that names nothing. A private KPI feeding a key result of a
public objective, or a private objective a public one aligns to, is named nowhere."""

from __future__ import annotations

import pytest

from okrkit.domain.errors import InvalidInput, NotFound
from okrkit.domain.objectives import Alignment
from okrkit.services import check_ins, cycles, initiatives, key_results, objectives
from okrkit.services.alignment import Node, alignment_tree
from okrkit.services.objectives import EditObjective
from okrkit.services.ports import ObjectiveQuery
from tests.support import okrs
from tests.support.actors import ADMIN
from tests.support.private_okrs import (
    ALIGNED,
    MEMBER,
    OUTSIDER,
    PRIVATE,
    PRIVATE_KPI,
    PRIVATE_KPI_NAME,
    PRIVATE_TITLE,
    Private,
    build,
)

NOW = okrs.NOW
SEE_ALL = (MEMBER, ADMIN)


@pytest.fixture
def private(uow) -> Private:
    return build(uow)


def _said(thing: object) -> str:
    """Everything a read model holds, as text: what could leak does so here."""
    return repr(thing)


def test_a_private_objective_is_read_by_members_and_admins_only(uow, private):
    for who in SEE_ALL:
        assert objectives.get_objective(uow, PRIVATE, NOW, viewer=who).stored.objective.private
        page = objectives.objective_page(uow, PRIVATE, NOW, viewer=who)
        assert page.state.stored.objective.title == PRIVATE_TITLE
        assert [a.objective.key for a in page.aligned] == [ALIGNED]
        editor = objectives.objective_editor(uow, NOW.date(), PRIVATE, viewer=who)
        assert editor.stored is not None
    for read in (
        lambda: objectives.get_objective(uow, PRIVATE, NOW, viewer=OUTSIDER),
        lambda: objectives.objective_page(uow, PRIVATE, NOW, viewer=OUTSIDER),
        lambda: objectives.objective_editor(uow, NOW.date(), PRIVATE, viewer=OUTSIDER),
        lambda: key_results.key_result_editor(uow, objective=PRIVATE, viewer=OUTSIDER),
    ):
        with pytest.raises(NotFound, match=f"^no objective '{PRIVATE}'$"):
            read()
    with uow, pytest.raises(NotFound, match=f"^no objective '{PRIVATE}'$"):
        objectives.objective_state(uow, PRIVATE, NOW, viewer=OUTSIDER)


def test_listings_and_counts_leave_a_private_objective_out_for_an_outsider(uow, private):
    everything = [ALIGNED, "grow-paying-customers", PRIVATE]
    for who in SEE_ALL:
        listed, total = objectives.list_objectives(uow, ObjectiveQuery(), NOW, viewer=who)
        assert (sorted(s.key for s in listed), total) == (everything, 3)
        overview = cycles.cycle_overview(uow, "2026-Q3", NOW, viewer=who)
        assert (overview.total, overview.owners) == (3, ("ceo@example.com", okrs.ACTOR))
    listed, total = objectives.list_objectives(uow, ObjectiveQuery(), NOW, viewer=OUTSIDER)
    assert (sorted(s.key for s in listed), total) == ([ALIGNED, "grow-paying-customers"], 2)
    growth, total = objectives.list_objectives(
        uow, ObjectiveQuery(team="growth"), NOW, viewer=OUTSIDER
    )
    assert (growth, total) == ([], 0)
    for overview in (
        cycles.cycle_overview(uow, "2026-Q3", NOW, viewer=OUTSIDER),
        cycles.cycle_summary(uow, "2026-Q3", NOW, viewer=OUTSIDER),
    ):
        assert overview.total == 2
        assert sorted(s.key for s in overview.objectives) == [ALIGNED, "grow-paying-customers"]
        # Maya owns only the private objective: she is not offered as a filter.
        assert overview.owners == ("ceo@example.com",)
        assert PRIVATE not in _said(overview.objectives)
    editor = objectives.objective_editor(uow, NOW.date(), viewer=OUTSIDER)
    assert [p.objective.key for p in editor.parents] == ["grow-paying-customers", ALIGNED]
    assert PRIVATE_KPI not in {k.kpi.key for k in editor.kpis}


def test_what_is_under_a_private_objective_is_not_found_in_neutral_words(uow, private):
    wizard, initiative = private.ids.wizard, private.initiative
    for who in SEE_ALL:
        assert key_results.key_result_view(uow, wizard, NOW, viewer=who).state.check_in_count == 6
        assert key_results.key_result_editor(uow, id=wizard, viewer=who).stored is not None
        assert initiatives.get_initiative(uow, initiative, viewer=who).key_result == wizard
        assert initiatives.initiative_editor(uow, initiative=initiative, viewer=who).initiative
    for read in (
        lambda: key_results.key_result_view(uow, wizard, NOW, viewer=OUTSIDER),
        lambda: key_results.key_result_editor(uow, id=wizard, viewer=OUTSIDER),
        lambda: initiatives.initiative_editor(uow, key_result=wizard, viewer=OUTSIDER),
    ):
        with pytest.raises(NotFound, match=f"^no key result {wizard}$"):
            read()
    for read in (
        lambda: initiatives.get_initiative(uow, initiative, viewer=OUTSIDER),
        lambda: initiatives.initiative_editor(uow, initiative=initiative, viewer=OUTSIDER),
    ):
        with pytest.raises(NotFound, match=f"^no initiative {initiative}$"):
            read()


def test_my_week_shows_an_outsider_no_key_result_of_a_private_objective(uow, private):
    for who in SEE_ALL:
        week = check_ins.my_week(uow, "noah@example.com", NOW, viewer=who)
        assert len(week.rows) == 2
        assert "noah@example.com" in week.owners
    week = check_ins.my_week(uow, "noah@example.com", NOW, viewer=OUTSIDER)
    assert week.rows == ()
    assert "noah@example.com" not in week.owners  # he owns key results of it only
    # Maya's key result fed by the private KPI is in the private objective: not there.
    assert check_ins.my_week(uow, okrs.ACTOR, NOW, viewer=OUTSIDER).rows == ()


def test_a_key_result_fed_by_a_private_kpi_stays_but_names_no_kpi(uow, private):
    company = "grow-paying-customers"
    seen = objectives.get_objective(uow, company, NOW, viewer=MEMBER).key_results[-1]
    assert (seen.key_result.definition.kpi, seen.private_kpi) == (PRIVATE_KPI, False)
    assert key_results.key_result_view(uow, private.fed, NOW, viewer=MEMBER).kpi_name == (
        PRIVATE_KPI_NAME
    )
    state = objectives.get_objective(uow, company, NOW, viewer=OUTSIDER)
    fed = state.key_results[-1]
    assert fed.key_result.id == private.fed
    assert (fed.key_result.definition.kpi, fed.private_kpi) == (None, True)
    assert fed.current == seen.current  # its value still comes from the KPI
    page = objectives.objective_page(uow, company, NOW, viewer=OUTSIDER)
    view = key_results.key_result_view(uow, private.fed, NOW, viewer=OUTSIDER)
    editor = key_results.key_result_editor(uow, id=private.fed, viewer=OUTSIDER)
    listed, _ = objectives.list_objectives(uow, ObjectiveQuery(), NOW, viewer=OUTSIDER)
    overview = cycles.cycle_overview(uow, "2026-Q3", NOW, viewer=OUTSIDER)
    for read in (state, page, view, editor, listed, overview):
        text = _said(read)
        assert PRIVATE_KPI not in text
        assert PRIVATE_KPI_NAME not in text
        assert PRIVATE not in text
        assert PRIVATE_TITLE not in text


def test_a_public_objective_under_a_private_one_names_no_parent_to_an_outsider(uow, private):
    assert objectives.objective_page(uow, ALIGNED, NOW, viewer=MEMBER).parent is not None
    page = objectives.objective_page(uow, ALIGNED, NOW, viewer=OUTSIDER)
    assert (page.parent, page.parent_key_result) == (None, None)
    assert page.state.private_parent
    assert page.state.stored.objective.parent is None
    company = objectives.objective_page(uow, "grow-paying-customers", NOW, viewer=OUTSIDER)
    assert company.aligned == ()
    editor = objectives.objective_editor(uow, NOW.date(), ALIGNED, viewer=OUTSIDER)
    assert editor.private_parent
    for read in (page, company, editor):
        assert PRIVATE not in _said(read)
        assert PRIVATE_TITLE not in _said(read)


def test_an_edit_through_a_form_that_never_showed_a_private_thing_keeps_it(uow, private):
    """The edit forms send every field; what an outsider was not shown comes back empty
    and stays as it was. Naming a private thing they may not see is as naming nothing."""
    version = objectives.get_objective(uow, ALIGNED, NOW, viewer=ADMIN).stored.revision.version
    changes = {"title": "Make the first week's e-mails count", "parent": None}
    edited = objectives.edit_objective(uow, EditObjective(ALIGNED, version, changes), OUTSIDER, NOW)
    assert edited.objective.title == changes["title"]
    assert edited.objective.parent is None  # answered as they may see it …
    kept = objectives.get_objective(uow, ALIGNED, NOW, viewer=ADMIN).stored.objective
    assert kept.parent == Alignment(PRIVATE, private.ids.wizard)  # … and kept as it was
    fed = key_results.key_result_view(uow, private.fed, NOW, viewer=ADMIN).state.key_result
    change = key_results.EditKeyResult(
        private.fed, fed.revision.version, {"kpi": None, "weight": 2}
    )
    after = key_results.edit_key_result(uow, change, OUTSIDER, NOW)
    assert (after.definition.kpi, after.definition.weight) == (None, 2)
    stored = key_results.key_result_view(uow, private.fed, NOW, viewer=ADMIN).state.key_result
    assert (stored.definition.kpi, stored.definition.weight) == (PRIVATE_KPI, 2)
    with pytest.raises(InvalidInput) as refused:
        objectives.edit_objective(
            uow,
            EditObjective(ALIGNED, edited.revision.version, {"parent": Alignment(PRIVATE)}),
            OUTSIDER,
            NOW,
        )
    assert (refused.value.field, refused.value.message) == (
        "parent",
        f"no objective '{PRIVATE}' to align to",
    )
    company = "grow-paying-customers"
    with pytest.raises(InvalidInput) as refused:
        key_results.add_key_result(
            uow, key_results.AddKeyResult(company, stored.definition), OUTSIDER, NOW
        )
    assert (refused.value.field, refused.value.message) == ("kpi", f"no KPI '{PRIVATE_KPI}'")


def _tree_text(nodes: tuple[Node, ...] | list[Node]) -> list[object]:
    """A tree as keys and placeholders ("2 private"), nested."""
    out: list[object] = []
    for node in nodes:
        label = node.state.key if node.state is not None else f"{node.hidden} private"
        below = node.children + [n for ns in node.under_key_results.values() for n in ns]
        out.append((label, _tree_text(below)) if below else label)
    return out


def test_the_alignment_tree_shows_an_outsider_a_placeholder_for_a_private_objective(uow, private):
    for who in SEE_ALL:
        tree = alignment_tree(uow, "2026-Q3", NOW, viewer=who)
        (star,) = tree.north_stars
        assert _tree_text(star.objectives) == [("grow-paying-customers", [(PRIVATE, [ALIGNED])])]
        assert tree.count == 3
    tree = alignment_tree(uow, "2026-Q3", NOW, viewer=OUTSIDER)
    (star,) = tree.north_stars
    assert _tree_text(star.objectives) == [("grow-paying-customers", [("1 private", [ALIGNED])])]
    assert (tree.count, tree.roots, tree.unaligned) == (2, (), ())
    (company,) = star.objectives
    assert company.size == 3
    text = _said(tree)
    for secret in (PRIVATE, PRIVATE_TITLE, PRIVATE_KPI, PRIVATE_KPI_NAME):
        assert secret not in text


def test_private_siblings_under_one_parent_are_one_placeholder(uow, private):
    objectives.create_objective(
        uow,
        objectives.CreateObjective(
            objectives.Objective(
                key="hire-growth-lead",
                title="Hire a growth lead",
                cycle="2026-Q3",
                team="growth",
                parent=Alignment("grow-paying-customers"),
                private=True,
            )
        ),
        ADMIN,
        NOW,
    )
    tree = alignment_tree(uow, "2026-Q3", NOW, viewer=OUTSIDER)
    (star,) = tree.north_stars
    assert _tree_text(star.objectives) == [("grow-paying-customers", [("2 private", [ALIGNED])])]
    assert "hire-growth-lead" not in _said(tree)


def test_an_outsider_pays_a_few_queries_more_than_an_admin_however_many_objectives(
    uow, engine, private
):
    """What an outsider may not see is read in two small queries (`sight`) and a few
    lookups, never a query per objective or key result."""
    from tests.support.statements import statements

    def cost(who):
        with statements(engine) as seen:
            alignment_tree(uow, "2026-Q3", NOW, viewer=who)
            cycles.cycle_overview(uow, "2026-Q3", NOW, viewer=who)
            objectives.objective_page(uow, "grow-paying-customers", NOW, viewer=who)
        return len(seen)

    admin, outsider = cost(ADMIN), cost(OUTSIDER)
    for n in range(5):
        objectives.create_objective(
            uow,
            objectives.CreateObjective(
                objectives.Objective(
                    key=f"secret-{n}",
                    title=f"A secret bet {n}",
                    cycle="2026-Q3",
                    team="growth",
                    parent=Alignment("grow-paying-customers"),
                    private=True,
                )
            ),
            ADMIN,
            NOW,
        )
    assert (cost(ADMIN), cost(OUTSIDER)) == (admin, outsider)
    assert outsider - admin <= 8
