"""Objectives through the services, on SQLite and PostgreSQL: creating one with its key
results, aligning, editing, activating, scoring and closing, carrying over."""

from __future__ import annotations

from dataclasses import replace

import pytest

from okrkit.domain.cycles import CycleState
from okrkit.domain.errors import Conflict, InvalidInput
from okrkit.domain.grading import ObjectiveType
from okrkit.domain.objectives import Alignment, Objective, ObjectiveStatus
from okrkit.domain.pace import Pace
from okrkit.services.cycles import CreateCycle, create_cycle
from okrkit.services.objectives import (
    CarryOver,
    CreateObjective,
    EditObjective,
    ScoreObjective,
    activate_objective,
    carry_over,
    create_objective,
    edit_objective,
    get_objective,
    objective_page,
    score_objective,
)
from okrkit.services.ports import ObjectiveQuery
from tests.support import okrs
from tests.support.actors import ADMIN, as_actor

ACTOR = okrs.ACTOR
NOW = okrs.NOW
PRICING = Objective(
    key="pricing", title="Find the price our best customers value", cycle="2026-Q3", team="growth"
)


def stored_keys(uow) -> set[str]:
    with uow:
        listed, _ = uow.objectives.list(ObjectiveQuery())
    return {o.objective.key for o in listed}


def test_an_objective_is_created_with_its_key_results_in_order(uow):
    ids = okrs.build(uow, check_ins=False)
    state = get_objective(uow, ids.onboarding, NOW, viewer=ADMIN)
    assert [s.key_result.definition.title for s in state.key_results] == [
        okrs.WIZARD.title,
        okrs.FIRST_ACTION.title,
        okrs.CONVERSION.title,
        okrs.TICKETS.title,
    ]
    wizard = state.key_results[0].key_result
    assert wizard.definition.deadline == okrs.CYCLE_START.replace(month=9, day=30)
    assert state.stored.status == ObjectiveStatus.ACTIVE
    assert state.stored.objective.parent == Alignment(ids.company)
    with uow:
        created = uow.audit.history("objective", ids.onboarding)
        kr_created = uow.audit.history("key_result", str(wizard.id))
    assert created[0]["action"] == "create"
    assert kr_created[0]["after"]["title"] == okrs.WIZARD.title


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (replace(okrs.WIZARD, target=40), "key_results[1].target"),
        (replace(okrs.WIZARD, weight=0), "key_results[1].weight"),
        (
            replace(okrs.WIZARD, deadline=okrs.CYCLE_START.replace(month=10)),
            "key_results[1].deadline",
        ),
        (replace(okrs.WIZARD, kpi="nope"), "key_results[1].kpi"),
    ],
)
def test_a_bad_key_result_names_its_place_and_nothing_is_written(uow, bad, field):
    okrs.build(uow, check_ins=False)
    with pytest.raises(InvalidInput) as error:
        create_objective(uow, CreateObjective(PRICING, (okrs.WIZARD, bad)), as_actor(ACTOR), NOW)
    assert error.value.field == field
    assert "pricing" not in stored_keys(uow)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"team": "nope"}, "team", "no team 'nope'"),
        ({"cycle": "2027-Q1"}, "cycle", "no cycle '2027-Q1'"),
        ({"north_star": "nope"}, "north_star", "no KPI 'nope'"),
        ({"parent": Alignment("pricing")}, "parent", "itself"),
        ({"parent": Alignment("nope")}, "parent", "no objective 'nope'"),
        ({"parent": Alignment("grow-paying-customers", 999)}, "parent", "not one of"),
    ],
)
def test_a_bad_objective_is_refused_at_its_field(uow, change, field, words):
    okrs.build(uow, check_ins=False)
    with pytest.raises(InvalidInput, match=words) as error:
        create_objective(uow, CreateObjective(replace(PRICING, **change)), as_actor(ACTOR), NOW)
    assert error.value.field == field
    assert "pricing" not in stored_keys(uow)


def test_a_key_is_unique_and_a_closed_cycle_takes_no_new_objective(uow):
    okrs.build(uow, check_ins=False)
    with pytest.raises(Conflict, match="already exists"):
        create_objective(
            uow,
            CreateObjective(replace(PRICING, key="streamline-onboarding")),
            as_actor(ACTOR),
            NOW,
        )
    create_cycle(uow, CreateCycle("2026-Q2", state=CycleState.CLOSED), as_actor(ACTOR), NOW)
    with pytest.raises(InvalidInput, match="closed") as error:
        create_objective(
            uow, CreateObjective(replace(PRICING, cycle="2026-Q2")), as_actor(ACTOR), NOW
        )
    assert error.value.field == "cycle"


def test_an_objective_cannot_be_made_its_own_ancestor(uow):
    ids = okrs.build(uow, check_ins=False)
    company = get_objective(uow, ids.company, NOW, viewer=ADMIN).stored
    with pytest.raises(InvalidInput, match="own descendants") as error:
        edit_objective(
            uow,
            EditObjective(
                ids.company, company.revision.version, {"parent": Alignment(ids.onboarding)}
            ),
            as_actor(ACTOR),
            NOW,
        )
    assert error.value.field == "parent"
    assert get_objective(uow, ids.company, NOW, viewer=ADMIN).stored.objective.parent is None


def test_a_parent_must_be_in_the_same_or_an_enclosing_cycle(uow):
    ids = okrs.build(uow, check_ins=False)
    create_cycle(uow, CreateCycle("2026-Q4"), as_actor(ACTOR), NOW)
    below = replace(PRICING, cycle="2026-Q4", parent=Alignment(ids.company))
    with pytest.raises(InvalidInput, match="does not enclose 2026-Q4"):
        create_objective(uow, CreateObjective(below), as_actor(ACTOR), NOW)
    from datetime import date

    create_cycle(
        uow, CreateCycle("2026", date(2026, 1, 1), date(2026, 12, 31)), as_actor(ACTOR), NOW
    )
    create_objective(
        uow,
        CreateObjective(Objective(key="year", title="A good year", cycle="2026", team="company")),
        as_actor(ACTOR),
        NOW,
    )
    aligned = create_objective(
        uow, CreateObjective(replace(below, parent=Alignment("year"))), as_actor(ACTOR), NOW
    )
    assert aligned.stored.objective.parent == Alignment("year")


def test_an_edit_is_versioned_and_audited(uow):
    ids = okrs.build(uow, check_ins=False)
    before = get_objective(uow, ids.onboarding, NOW, viewer=ADMIN).stored
    after = edit_objective(
        uow,
        EditObjective(ids.onboarding, before.revision.version, {"title": "Onboard faster"}),
        as_actor("omar"),
        NOW,
    )
    assert (after.objective.title, after.revision.version) == (
        "Onboard faster",
        before.revision.version + 1,
    )
    with pytest.raises(Conflict, match="changed by omar"):
        edit_objective(
            uow,
            EditObjective(ids.onboarding, before.revision.version, {"title": "Other"}),
            as_actor(ACTOR),
            NOW,
        )
    with uow:
        entry = uow.audit.history("objective", ids.onboarding)[-1]
    assert (entry["before"]["title"], entry["after"]["title"]) == (
        "Streamline onboarding to drive high-value conversions",
        "Onboard faster",
    )


def test_a_draft_is_activated_by_a_person(uow):
    okrs.build(uow, check_ins=False)
    draft = create_objective(
        uow, CreateObjective(PRICING, status=ObjectiveStatus.DRAFT), as_actor("okrkit"), NOW
    )
    active = activate_objective(uow, "pricing", draft.stored.revision.version, as_actor(ACTOR), NOW)
    assert active.status == ObjectiveStatus.ACTIVE
    with pytest.raises(InvalidInput, match="cannot become active"):
        activate_objective(uow, "pricing", active.revision.version, as_actor(ACTOR), NOW)


def test_scores_are_proposed_from_progress_and_a_change_needs_a_reason(uow):
    ids = okrs.build(uow)
    version = get_objective(uow, ids.onboarding, NOW, viewer=ADMIN).stored.revision.version
    with pytest.raises(InvalidInput, match="differs from the 0.6") as error:
        score_objective(
            uow,
            ScoreObjective(ids.onboarding, version, {ids.wizard: (0.8, "")}),
            as_actor(ACTOR),
            NOW,
        )
    assert error.value.field == f"scores.{ids.wizard}"
    scored = score_objective(
        uow,
        ScoreObjective(
            ids.onboarding, version, {ids.wizard: (0.8, "the last cohort is not in yet")}
        ),
        as_actor(ACTOR),
        NOW,
    )
    by_id = {kr.id: kr for kr in scored.key_results}
    assert (by_id[ids.wizard].score, by_id[ids.first_action].score) == (0.8, 0.6)
    assert by_id[ids.wizard].score_reason == "the last cohort is not in yet"
    assert scored.objective.status == ObjectiveStatus.SCORED
    conversion = by_id[ids.conversion].score
    assert scored.objective.score == pytest.approx((0.8 + 2 * 0.6 + conversion) / 4)
    assert scored.grade.success is not None


def test_a_committed_objective_under_one_needs_an_explanation_before_closing(uow):
    ids = okrs.build(uow)
    version = get_objective(uow, ids.company, NOW, viewer=ADMIN).stored.revision.version
    with pytest.raises(InvalidInput, match="written explanation") as error:
        score_objective(uow, ScoreObjective(ids.company, version, close=True), as_actor(ACTOR), NOW)
    assert error.value.field == "retrospective"
    assert (
        get_objective(uow, ids.company, NOW, viewer=ADMIN).stored.status == ObjectiveStatus.ACTIVE
    )
    closed = score_objective(
        uow,
        ScoreObjective(
            ids.company, version, retrospective="Sales hiring slipped a quarter.", close=True
        ),
        as_actor(ACTOR),
        NOW,
    )
    assert (closed.objective.status, closed.objective.score) == (ObjectiveStatus.CLOSED, 0.0)
    with pytest.raises(Conflict, match="already closed"):
        score_objective(
            uow,
            ScoreObjective(ids.company, closed.objective.revision.version),
            as_actor(ACTOR),
            NOW,
        )
    with pytest.raises(Conflict, match="on record"):
        edit_objective(
            uow,
            EditObjective(ids.company, closed.objective.revision.version, {"title": "x"}),
            as_actor(ACTOR),
            NOW,
        )


def test_a_learning_objective_closes_on_what_was_learned(uow):
    okrs.build(uow, check_ins=False)
    learning = create_objective(
        uow, CreateObjective(replace(PRICING, type=ObjectiveType.LEARNING)), as_actor(ACTOR), NOW
    )
    with pytest.raises(InvalidInput, match="what was learned"):
        score_objective(
            uow,
            ScoreObjective("pricing", learning.stored.revision.version, close=True),
            as_actor(ACTOR),
            NOW,
        )
    closed = score_objective(
        uow,
        ScoreObjective(
            "pricing",
            learning.stored.revision.version,
            retrospective="Annual plans sell.",
            close=True,
        ),
        as_actor(ACTOR),
        NOW,
    )
    assert (closed.objective.score, closed.grade.display) == (None, "—")


def test_carrying_over_copies_the_chosen_key_results_from_where_they_ended(uow):
    ids = okrs.build(uow)
    create_cycle(uow, CreateCycle("2026-Q4"), as_actor(ACTOR), NOW)
    copy = carry_over(
        uow,
        CarryOver(ids.onboarding, key_results=(ids.wizard, ids.conversion)),
        as_actor(ACTOR),
        NOW,
    )
    assert (copy.objective.key, copy.objective.cycle, copy.carried_from) == (
        "streamline-onboarding-2026-q4",
        "2026-Q4",
        ids.onboarding,
    )
    # Its parent stays in 2026-Q3, which does not enclose 2026-Q4.
    assert copy.objective.parent is None
    state = get_objective(uow, copy.objective.key, NOW, viewer=ADMIN)
    starts = [
        (s.key_result.definition.title, s.key_result.definition.start) for s in state.key_results
    ]
    with uow:
        newest = uow.values.latest(["trial_to_paid"])["trial_to_paid"][1]
    assert starts == [(okrs.WIZARD.title, 58.0), (okrs.CONVERSION.title, newest)]
    assert state.key_results[0].key_result.definition.deadline.isoformat() == "2026-12-31"
    page = objective_page(uow, ids.onboarding, NOW, viewer=ADMIN)
    assert [o.objective.key for o in page.carried_to] == [copy.objective.key]
    with pytest.raises(Conflict, match="already exists"):
        carry_over(uow, CarryOver(ids.onboarding), as_actor(ACTOR), NOW)
    with pytest.raises(InvalidInput, match="no cycle '2027-Q1'"):
        carry_over(
            uow, CarryOver(ids.onboarding, cycle="2027-Q1", new_key="x"), as_actor(ACTOR), NOW
        )


def test_an_objective_page_reads_in_a_fixed_number_of_queries(uow, engine):
    from tests.support.statements import statements

    ids = okrs.build(uow)
    with statements(engine) as seen:
        page = objective_page(uow, ids.onboarding, NOW, viewer=ADMIN)
    assert page.parent is not None
    assert page.parent.objective.key == ids.company
    assert page.state.pace == Pace.ON_TRACK
    assert set(page.kpis) == {"trial_to_paid"}
    assert page.initiatives == {s.key_result.id: () for s in page.state.key_results}
    first = len(seen)
    for _ in range(3):
        from okrkit.services.check_ins import RecordCheckIn, record_check_in

        record_check_in(uow, RecordCheckIn(ids.wizard, 60, 7), as_actor(ACTOR), NOW)
    with statements(engine) as again:
        objective_page(uow, ids.onboarding, NOW, viewer=ADMIN)
    assert len(again) == first
