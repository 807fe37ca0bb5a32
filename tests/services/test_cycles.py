"""Cycles through the services, on SQLite and PostgreSQL: adding, starting, closing (which
scores what is left and puts final values on record), and the cycle overview."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import text

from okrkit.adapters.sources.values.rows import ValueRow, ValueRows
from okrkit.domain.check_ins import CheckIn
from okrkit.domain.cycles import CycleState
from okrkit.domain.errors import Conflict, InvalidInput, NotFound
from okrkit.domain.grading import ObjectiveType
from okrkit.domain.objectives import Objective, ObjectiveStatus
from okrkit.domain.pace import Pace
from okrkit.services.cycles import (
    CreateCycle,
    OverviewFilter,
    close_cycle,
    create_cycle,
    cycle_overview,
    cycle_summary,
    get_cycle,
    list_cycles,
    start_cycle,
)
from okrkit.services.key_results import (
    AddKeyResult,
    EditKeyResult,
    edit_key_result,
    key_result_view,
)
from okrkit.services.key_results import add_key_result as add_key_result_
from okrkit.services.objectives import (
    CreateObjective,
    EditObjective,
    create_objective,
    get_objective,
    keep_summaries,
)
from okrkit.services.objectives import edit_objective as edit_objective_
from okrkit.services.teams import CreateTeam, create_team
from okrkit.services.values import import_values
from tests.support import okrs
from tests.support.actors import ADMIN, as_actor
from tests.support.statements import statements

ACTOR = "maya@example.com"


def test_a_quarter_and_a_custom_cycle_are_added_and_listed(uow):
    q3 = create_cycle(uow, CreateCycle("2026-Q3"), as_actor(ACTOR), okrs.NOW)
    assert (q3.cycle.start, q3.cycle.end, q3.state) == (
        date(2026, 7, 1),
        date(2026, 9, 30),
        CycleState.PLANNING,
    )
    create_cycle(
        uow, CreateCycle("2026-H2", date(2026, 7, 1), date(2026, 12, 31)), as_actor(ACTOR), okrs.NOW
    )
    listed = list_cycles(uow, date(2026, 8, 12))
    assert [c.cycle.name for c in listed.cycles] == ["2026-H2", "2026-Q3"]
    assert listed.current is not None
    assert listed.current.cycle.name == "2026-Q3"
    with uow:
        assert uow.audit.history("cycle", "2026-Q3")[0]["after"]["end"] == "2026-09-30"


def test_bad_cycles_are_refused_and_nothing_is_written(uow):
    create_cycle(uow, CreateCycle("2026-Q3"), as_actor(ACTOR), okrs.NOW)
    with pytest.raises(Conflict, match="already exists"):
        create_cycle(uow, CreateCycle("2026-Q3"), as_actor(ACTOR), okrs.NOW)
    with pytest.raises(InvalidInput, match="before it starts") as error:
        create_cycle(
            uow, CreateCycle("h2", date(2026, 12, 31), date(2026, 7, 1)), as_actor(ACTOR), okrs.NOW
        )
    assert error.value.field == "end"
    with pytest.raises(InvalidInput, match="not a cycle name"):
        create_cycle(
            uow, CreateCycle("h 2", date(2026, 7, 1), date(2026, 12, 31)), as_actor(ACTOR), okrs.NOW
        )
    assert [c.cycle.name for c in list_cycles(uow, date(2026, 8, 1)).cycles] == ["2026-Q3"]


def test_a_cycle_is_started_and_a_stale_start_is_refused(uow):
    planned = create_cycle(uow, CreateCycle("2026-Q3"), as_actor(ACTOR), okrs.NOW)
    started = start_cycle(uow, "2026-Q3", planned.revision.version, as_actor(ACTOR), okrs.NOW)
    assert (started.state, started.revision.version) == (CycleState.ACTIVE, 2)
    with pytest.raises(Conflict, match="already active"):
        start_cycle(uow, "2026-Q3", started.revision.version, as_actor(ACTOR), okrs.NOW)
    with pytest.raises(NotFound, match="no cycle '2027-Q1'"):
        start_cycle(uow, "2027-Q1", 1, as_actor(ACTOR), okrs.NOW)


def test_closing_a_cycle_scores_what_is_left_and_keeps_final_values(uow):
    ids = okrs.build(uow)
    cycle = get_cycle(uow, "2026-Q3")
    with pytest.raises(Conflict, match="now version 1, yours 7"):
        close_cycle(uow, "2026-Q3", 7, as_actor(ACTOR), okrs.NOW)
    closed = close_cycle(uow, "2026-Q3", cycle.revision.version, as_actor(ACTOR), okrs.NOW)
    assert closed.cycle.state == CycleState.CLOSED
    assert {o.objective.key: o.status for o in closed.scored} == {
        ids.company: ObjectiveStatus.SCORED,
        ids.onboarding: ObjectiveStatus.SCORED,
    }
    with uow:
        krs = {kr.id: kr for kr in uow.key_results.of([ids.onboarding])[ids.onboarding]}
        newest_kpi_value = uow.values.latest(["trial_to_paid"])["trial_to_paid"][1]
    # Wizard 40 → 70 ended at 58: 0.6 of the way; the KPI-fed one ends at the KPI's newest.
    assert (krs[ids.wizard].score, krs[ids.wizard].final_value) == (0.6, 58.0)
    assert krs[ids.conversion].final_value == newest_kpi_value
    assert krs[ids.conversion].score == round((newest_kpi_value - 12) / 4, 2)
    # Weighted: wizard 0.6 (1), first action 0.6 (2), conversion 0.35 (1); guardrail apart.
    onboarding = next(o for o in closed.scored if o.objective.key == ids.onboarding)
    assert onboarding.score == pytest.approx((0.6 + 2 * 0.6 + 0.35) / 4)
    with pytest.raises(Conflict, match="already closed"):
        close_cycle(uow, "2026-Q3", closed.cycle.revision.version, as_actor(ACTOR), okrs.NOW)


def test_a_failed_close_writes_nothing(uow):
    okrs.build(uow)
    with pytest.raises(Conflict):
        close_cycle(uow, "2026-Q3", 99, as_actor(ACTOR), okrs.NOW)
    with uow:
        listed, _ = uow.objectives.list(okrs_query())
        assert {o.status for o in listed} == {ObjectiveStatus.ACTIVE}


def okrs_query():
    from okrkit.services.ports import ObjectiveQuery

    return ObjectiveQuery(cycle="2026-Q3")


def test_the_overview_judges_a_page_of_objectives_by_team(uow):
    okrs.build(uow)
    overview = cycle_overview(uow, "2026-Q3", okrs.NOW, viewer=ADMIN)
    assert [(o.team_name, o.key) for o in overview.objectives] == [
        ("Company", "grow-paying-customers"),
        ("Growth", "streamline-onboarding"),
    ]
    onboarding = overview.objectives[1]
    assert onboarding.pace == Pace.ON_TRACK
    assert onboarding.progress == pytest.approx((0.6 + 2 * 0.6 + 0.35) / 4)
    assert onboarding.check_in_due  # the KPI-fed key result has no check-in yet
    assert not onboarding.guardrail_breached
    company = overview.objectives[0]
    assert (company.pace, company.progress) == (Pace.NOT_STARTED, 0.0)
    assert overview.owners == ("ceo@example.com", ACTOR)


def test_the_overview_filters_by_team_owner_and_type_and_pages(uow):
    okrs.build(uow)
    for n in range(5):
        create_objective(
            uow,
            CreateObjective(
                Objective(
                    key=f"growth-{n}",
                    title=f"Growth bet {n}",
                    cycle="2026-Q3",
                    team="growth",
                    type=ObjectiveType.COMMITTED,
                    owner="noah@example.com",
                )
            ),
            as_actor(ACTOR),
            okrs.NOW,
        )
    growth = cycle_overview(
        uow, "2026-Q3", okrs.NOW, OverviewFilter(team="growth"), limit=4, viewer=ADMIN
    )
    assert (growth.total, len(growth.objectives)) == (6, 4)
    rest = cycle_overview(
        uow, "2026-Q3", okrs.NOW, OverviewFilter(team="growth"), offset=4, limit=4, viewer=ADMIN
    )
    assert [o.key for o in rest.objectives] == ["growth-4", "streamline-onboarding"]
    mine = cycle_overview(
        uow, "2026-Q3", okrs.NOW, OverviewFilter(owner="noah@example.com"), viewer=ADMIN
    )
    assert mine.total == 5
    committed = cycle_overview(
        uow, "2026-Q3", okrs.NOW, OverviewFilter(type=ObjectiveType.COMMITTED), viewer=ADMIN
    )
    assert {o.key for o in committed.objectives} == {
        "grow-paying-customers",
        *(f"growth-{n}" for n in range(5)),
    }
    with pytest.raises(InvalidInput, match="1 to 200"):
        cycle_overview(uow, "2026-Q3", okrs.NOW, limit=0, viewer=ADMIN)
    with pytest.raises(NotFound):
        cycle_overview(uow, "2027-Q1", okrs.NOW, viewer=ADMIN)


def test_every_page_of_a_cycle_is_its_slice_of_the_whole_list(uow):
    """A page is found from each team's count, then only the teams it spans: every
    window over teams of one to four objectives gives the same objectives, in the same
    order, as cutting the whole ordered list."""
    okrs.build(uow)
    for t, name in enumerate(["Ads", "Zeta", "Billing", "Mobile"]):
        create_team(uow, CreateTeam(f"team-{t}", name), as_actor(ACTOR), okrs.NOW)
        for n in range(t + 1):
            create_objective(
                uow,
                CreateObjective(
                    Objective(key=f"bet-{t}-{n}", title=f"Bet {3 - n}", cycle="2026-Q3",
                              team=f"team-{t}")
                ),
                as_actor(ACTOR),
                okrs.NOW,
            )  # fmt: skip
    with uow:
        whole, total = uow.objectives.list(okrs_query())
        assert total == len(whole) == 12
        assert [o.objective.team for o in whole][:3] == ["team-0", "team-2", "team-2"]
        for limit in (1, 3, 5, 12):
            for offset in range(0, 14):
                page, counted = uow.objectives.list(okrs_query(), offset=offset, limit=limit)
                assert counted == 12
                assert page == whole[offset : offset + limit], (offset, limit)
        rest, _ = uow.objectives.list(okrs_query(), offset=7)
        assert rest == whole[7:]


def test_the_overview_costs_the_same_queries_for_two_objectives_or_many(uow, engine):
    okrs.build(uow)
    with statements(engine) as two:
        cycle_overview(uow, "2026-Q3", okrs.NOW, viewer=ADMIN)
    for n in range(6):
        create_objective(
            uow,
            CreateObjective(
                Objective(key=f"bet-{n}", title=f"Bet {n}", cycle="2026-Q3", team="growth"),
                (okrs.WIZARD, okrs.CONVERSION, okrs.TICKETS),
            ),
            as_actor(ACTOR),
            okrs.NOW,
        )
    with statements(engine) as eight:
        overview = cycle_overview(uow, "2026-Q3", okrs.NOW, viewer=ADMIN)
    assert len(overview.objectives) == 8
    assert len(eight) == len(two)


def test_a_check_in_due_needs_an_active_cycle_today_falls_in(uow):
    okrs.build(uow)
    later = datetime(2026, 10, 20)  # after the cycle's end
    overview = cycle_overview(uow, "2026-Q3", later, viewer=ADMIN)
    assert not any(o.check_in_due for o in overview.objectives)


def _shown(uow, now):
    """What the overview page shows of each objective (`cycle_summary`)."""
    return {
        s.key: (s.progress, s.expected, s.pace, s.check_in_due, s.breached, s.key_result_count)
        for s in cycle_summary(uow, "2026-Q3", now, viewer=ADMIN).objectives
    }


def _afresh(uow, now):
    """The same, every key result judged afresh (`cycle_overview`)."""
    shown = {}
    for s in cycle_overview(uow, "2026-Q3", now, viewer=ADMIN).objectives:
        counted = [
            k.expected_progress for k in s.key_results if not k.key_result.definition.guardrail
        ]
        expected = min(counted) if counted else None
        shown[s.key] = (
            s.progress,
            expected,
            s.pace,
            s.check_in_due,
            s.breached,
            len(s.key_results),
        )
    return shown


def _current(uow):
    """The objectives whose kept summary was judged on what they rest on now."""
    with uow:
        listed, _ = uow.objectives.list(okrs_query())
        keys = [o.objective.key for o in listed]
        stamps, kept = uow.objectives.stamps(keys), uow.objectives.summaries(keys)
    return {key for key, summary in kept.items() if summary.stamp == stamps[key]}


MOMENTS = [okrs.NOW, datetime(2026, 8, 15, 9), datetime(2026, 8, 25, 9), datetime(2026, 10, 2)]


def test_the_overview_page_reads_kept_summaries_that_say_what_judging_afresh_says(uow):
    """Check-ins keep their objective's summary; read at any later moment (check-ins
    falling due, the cycle over) it says what judging every key result afresh says."""
    okrs.build(uow)
    assert _current(uow) == {"streamline-onboarding"}  # its check-ins kept it
    keep_summaries(uow, None, okrs.NOW)
    assert _current(uow) == {"grow-paying-customers", "streamline-onboarding"}
    for now in MOMENTS:
        assert _shown(uow, now) == _afresh(uow, now), now
    onboarding = _shown(uow, okrs.NOW)["streamline-onboarding"]
    assert onboarding[2:] == (Pace.ON_TRACK, True, (), 4)


def test_a_summary_is_never_read_once_what_it_was_judged_on_changed(uow, engine):
    """Each change an objective's judgement rests on — a key result edited, one added, a
    check-in however written, the feeding KPI's values, the objective edited, its cycle
    closed — leaves its kept summary unread; the page says what judging afresh says."""
    ids = okrs.build(uow)
    keep_summaries(uow, None, okrs.NOW)
    onboarding = "streamline-onboarding"

    def changed(change) -> None:
        assert onboarding in _current(uow)
        change()
        assert onboarding not in _current(uow), change
        for now in MOMENTS:
            assert _shown(uow, now) == _afresh(uow, now), (change, now)
        keep_summaries(uow, [onboarding], okrs.NOW)
        assert onboarding in _current(uow)

    def edit_key_result_target() -> None:
        version = key_result_view(
            uow, ids.wizard, okrs.NOW, viewer=ADMIN
        ).state.key_result.revision.version
        edit_key_result(
            uow, EditKeyResult(ids.wizard, version, {"target": 90.0}, "a bigger launch"),
            as_actor(ACTOR), okrs.NOW,
        )  # fmt: skip

    def add_key_result() -> None:
        add_key_result_(uow, AddKeyResult(onboarding, okrs.WIZARD), as_actor(ACTOR), okrs.NOW)

    def check_in_written_elsewhere() -> None:  # not through the service that keeps it
        with uow:
            uow.check_ins.append(ids.first_action, CheckIn(okrs.NOW, 9.5, 2, "", "noah"))
            uow.commit()

    def kpi_values() -> None:
        import_values(
            uow, ValueRows([ValueRow(timestamp=datetime(2026, 8, 11), value=9.0)]), as_actor(ACTOR),
            okrs.NOW, default_kpi="trial_to_paid",
        )  # fmt: skip

    def edit_objective() -> None:
        stored = get_objective(uow, onboarding, okrs.NOW, viewer=ADMIN).stored
        edit_objective_(
            uow, EditObjective(onboarding, stored.revision.version, {"type": "aspirational"}),
            as_actor(ACTOR), okrs.NOW,
        )  # fmt: skip

    def close_the_cycle() -> None:
        close_cycle(uow, "2026-Q3", get_cycle(uow, "2026-Q3").revision.version, as_actor(ACTOR),
                    datetime(2026, 10, 1))  # fmt: skip

    for change in (edit_key_result_target, add_key_result, check_in_written_elsewhere,
                   kpi_values, edit_objective, close_the_cycle):  # fmt: skip
        changed(change)


def test_a_summary_kept_in_another_layout_reads_as_missing(uow, engine):
    okrs.build(uow)
    keep_summaries(uow, None, okrs.NOW)
    with engine.begin() as connection:
        connection.execute(text("UPDATE objective_summaries SET payload = '{\"layout\": 0}'"))
    assert _current(uow) == set()
    assert _shown(uow, okrs.NOW) == _afresh(uow, okrs.NOW)
