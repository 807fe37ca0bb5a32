"""Loading a whole workspace: the demo's teams, KPIs, values and OKRs in one
transaction, read back through the OKR use cases; what the loader refuses leaves the
database empty.

Every test runs on SQLite and on PostgreSQL (the `uow` fixture).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from okrkit import demo
from okrkit.adapters.sources.values.rows import ValueRow, ValueRows
from okrkit.domain.alerts import AlertLevel, AlertState
from okrkit.domain.cycles import CycleState
from okrkit.domain.errors import Conflict, InvalidInput
from okrkit.domain.grading import ObjectiveType
from okrkit.domain.objectives import Alignment, ObjectiveStatus
from okrkit.domain.pace import Pace
from okrkit.services.alerts import list_alerts
from okrkit.services.alignment import alignment_tree
from okrkit.services.check_ins import RecordCheckIn, my_week, record_check_in
from okrkit.services.cycles import OverviewFilter, cycle_overview, list_cycles
from okrkit.services.objectives import get_objective, objective_page
from okrkit.services.ports import AlertQuery, ObjectiveQuery
from okrkit.services.values import import_values
from okrkit.services.workspace import ObjectiveEntry, Okrs, is_empty, load_workspace
from tests.support.actors import ADMIN, as_actor

TODAY = date(2026, 11, 23)  # a Monday: seven weeks into the current cycle
NOW = datetime(2026, 11, 23, 9, 30)
WS = demo.build(TODAY)
PREVIOUS, CURRENT = "from-2026-07-06", "from-2026-10-05"


def load(uow, okrs: Okrs | None = WS.okrs) -> int:
    return load_workspace(uow, WS.teams, WS.kpis, WS.values, as_actor("demo"), NOW, okrs=okrs)


@pytest.fixture
def loaded(uow):
    load(uow)
    return uow


def _entry(key: str) -> ObjectiveEntry:
    return next(o for o in WS.okrs.objectives if o.objective.key == key)


def _key_results(uow, key: str):
    with uow:
        return uow.key_results.of([key])[key]


def _drafts(uow) -> list[str]:
    with uow:
        listed = uow.objectives.list(ObjectiveQuery())[0]
    return [o.objective.key for o in listed if o.status is ObjectiveStatus.DRAFT]


# --- what is loaded ---------------------------------------------------------------------


def test_the_demo_tells_the_kpi_to_okr_story(loaded):
    """Trial-to-paid slid into yellow: its alert's draft was accepted as the onboarding
    objective, which check-ins follow; support's first response turned red: its urgent
    draft waits for a person."""
    uow = loaded
    found = list_alerts(uow, AlertQuery(), viewer=ADMIN).alerts
    by_kpi = {view.stored.alert.kpi: view for view in found}
    conversion = by_kpi["trial_to_paid"].stored
    assert conversion.state is AlertState.ACKNOWLEDGED
    assert conversion.objective == "streamline-onboarding"
    assert conversion.note == "Draft accepted as streamline-onboarding"
    assert conversion.acknowledged_by == "maya@example.com"
    assert conversion.opened_at < conversion.acknowledged_at < NOW
    support = by_kpi["support_first_response"]
    assert support.stored.alert.level is AlertLevel.RED
    assert support.stored.state is AlertState.OPEN
    assert support.draft is not None
    assert support.draft.status is ObjectiveStatus.DRAFT
    assert support.draft.urgent
    assert support.draft.objective.cycle == CURRENT
    assert set(_drafts(uow)) == {
        v.draft.objective.key for v in found if v.draft and v.draft.status is ObjectiveStatus.DRAFT
    }


def test_the_demo_loads_everything_in_one_go(loaded):
    uow = loaded
    cycles = list_cycles(uow, TODAY)
    assert [(c.cycle.name, c.state) for c in cycles.cycles] == [
        (CURRENT, CycleState.ACTIVE),
        (PREVIOUS, CycleState.CLOSED),
    ]
    assert cycles.current is not None
    assert cycles.current.cycle.name == CURRENT
    assert (cycles.current.cycle.start, cycles.current.cycle.end) == (
        date(2026, 10, 5),
        date(2027, 1, 3),
    )
    with uow:
        listed = uow.objectives.list(ObjectiveQuery())[0]
        # the alerts the load raised drafted objectives of their own (test below)
        objectives = {o.objective.key: o for o in listed if o.status is not ObjectiveStatus.DRAFT}
        krs = uow.key_results.of(objectives)
        ids = [kr.id for listed in krs.values() for kr in listed]
        check_ins = uow.check_ins.of(ids)
        work = uow.initiatives.of(ids)
        (entry,) = uow.audit.history("workspace", "demo")
    spec = WS.okrs.objectives
    assert set(objectives) == {o.objective.key for o in spec}
    assert len(objectives) == 8
    assert sum(map(len, krs.values())) == sum(len(o.key_results) for o in spec) == 20
    written = sum(map(len, check_ins.values()))
    assert written == sum(len(kr.check_ins) for o in spec for kr in o.key_results) == 174
    assert sum(map(len, work.values())) == 16
    assert entry["after"] == {
        "teams": 6,
        "kpis": 10,
        "values": sum(len(s) for s in WS.values.values()),
        "cycles": 2,
        "objectives": 8,
        "key_results": 20,
        "check_ins": 174,
        "initiatives": 16,
        "subscriptions": 1,
    }
    types = {o.objective.type for o in objectives.values() if o.objective.cycle == CURRENT}
    assert {ObjectiveType.COMMITTED, ObjectiveType.ASPIRATIONAL} <= types


def test_the_north_star_and_the_alignment_from_the_company_down(loaded):
    uow = loaded
    with uow:
        dau = uow.kpis.get("dau").kpi
        onboarding = uow.objectives.get("streamline-onboarding")
        product = uow.objectives.get("first-session-value")
    assert dau.north_star
    wizard = _key_results(uow, "streamline-onboarding")[0]
    assert wizard.definition.title == "Increase setup wizard completion rate from 40% to 70%"
    assert onboarding.objective.parent == Alignment("grow-customers-who-stay")
    assert onboarding.objective.type is ObjectiveType.ASPIRATIONAL
    # The product team's committed objective aligns to the wizard key result itself.
    assert product.objective.parent == Alignment("streamline-onboarding", wizard.id)
    assert product.objective.type is ObjectiveType.COMMITTED

    tree = alignment_tree(uow, CURRENT, NOW, viewer=ADMIN)
    (star,) = tree.north_stars
    assert star.tile.stored.kpi.key == "dau"
    (company,) = star.objectives
    assert company.state.key == "grow-customers-who-stay"
    assert company.state.stored.objective.team == "company"
    below = {n.state.key: n for n in company.children}
    assert set(below) == {"streamline-onboarding", "reliable-sync-continued"}
    growth = below["streamline-onboarding"]
    assert [n.state.key for n in growth.children] == ["first-week-tickets"]
    assert {k: [n.state.key for n in v] for k, v in growth.under_key_results.items()} == {
        wizard.id: ["first-session-value"]
    }
    assert tree.roots == ()
    # the drafts the load's alerts proposed align to nothing yet: a person decides
    assert {n.state.key for n in tree.unaligned} == set(_drafts(uow))
    assert tree.count == 5 + len(_drafts(uow))


def test_the_previous_cycle_is_closed_scored_and_carried_over(loaded):
    uow = loaded
    overview = cycle_overview(uow, PREVIOUS, NOW, viewer=ADMIN)
    assert overview.cycle.state is CycleState.CLOSED
    assert overview.total == 3
    for state in overview.objectives:
        assert state.stored.status is ObjectiveStatus.CLOSED
        assert state.stored.score is not None
        assert state.stored.retrospective
        for kr in state.key_results:
            assert kr.key_result.score is not None
            assert kr.last_check_in is not None
            assert kr.key_result.final_value == kr.last_check_in.value
            assert kr.check_in_count == 13

    answers = {s.key: s for s in overview.objectives}["faster-first-answers"]
    response, articles = (s.key_result for s in answers.key_results)
    # Scored below what its progress proposed (0.95), with the reason on record.
    assert (response.final_value, response.score) == (2.1, 0.8)
    assert response.score_reason.startswith("Reached 2.1 h only with two engineers")
    assert articles.score == pytest.approx(0.73)
    assert answers.stored.score == pytest.approx((0.8 + 0.73) / 2)
    assert answers.stored.objective.type is ObjectiveType.COMMITTED  # under 1.0: explained

    page = objective_page(uow, "reliable-sync", NOW, viewer=ADMIN)
    assert page.grade is not None
    assert page.grade.display == "0.8"
    assert [o.objective.key for o in page.carried_to] == ["reliable-sync-continued"]
    carried = objective_page(uow, "reliable-sync-continued", NOW, viewer=ADMIN).state
    assert carried.stored.carried_from == "reliable-sync"
    assert carried.cycle.cycle.name == CURRENT
    ended = [kr.key_result.final_value for kr in page.state.key_results]
    assert [kr.key_result.definition.start for kr in carried.key_results] == ended


def test_weeks_of_check_ins_with_notes_and_a_confidence_that_moves(loaded):
    uow = loaded
    page = objective_page(uow, "streamline-onboarding", NOW, viewer=ADMIN)
    state = page.state
    wizard, first_action, conversion, tickets = state.key_results
    for kr in (wizard, first_action, conversion, tickets):
        check_ins = page.history[kr.key_result.id]
        assert len(check_ins) == kr.check_in_count == 7
        assert kr.last_check_in == check_ins[-1]
        # Every Friday afternoon since the cycle began.
        assert [c.at for c in check_ins] == [
            datetime(2026, 10, 9, 16) + timedelta(weeks=w) for w in range(7)
        ]
        assert all(c.author == kr.key_result.definition.owner for c in check_ins)
    assert all(c.note for c in page.history[wizard.key_result.id])
    assert len({c.confidence for c in page.history[conversion.key_result.id]}) > 1
    assert wizard.pace is Pace.ON_TRACK
    assert first_action.pace is Pace.AT_RISK
    assert conversion.pace is Pace.OFF_TRACK
    assert tickets.key_result.definition.guardrail
    assert not tickets.breached  # over the line in week 4, back under since
    assert max(c.value for c in page.history[tickets.key_result.id]) > 5
    assert state.pace is Pace.AT_RISK
    statuses = {i.initiative.status.value for work in page.initiatives.values() for i in work}
    assert statuses == {"done", "in_progress", "dropped"}
    assert all(
        i.initiative.url and i.initiative.url.startswith("https://tracker.example.com/")
        for work in page.initiatives.values()
        for i in work
    )
    assert page.advice == ()  # the demo lints clean


def test_the_key_result_fed_by_a_kpi_reads_the_kpis_newest_value(loaded):
    uow = loaded
    conversion = get_objective(uow, "streamline-onboarding", NOW, viewer=ADMIN).key_results[2]
    assert conversion.key_result.definition.kpi == "trial_to_paid"
    series = WS.values["trial_to_paid"]
    assert conversion.current == series.values[-1] == 12.0
    # Each Friday's check-in annotated the KPI's value of the Sunday before (the newest,
    # of Sunday 22 November, came after the last one).
    check_ins = objective_page(uow, "streamline-onboarding", NOW, viewer=ADMIN).history[
        conversion.key_result.id
    ]
    assert [c.value for c in check_ins] == series.values[-8:-1].tolist()
    import_values(
        uow,
        ValueRows([ValueRow(timestamp=datetime(2026, 11, 23), value=12.6)]),
        as_actor("maya"),
        NOW,
        default_kpi="trial_to_paid",
    )
    later = datetime(2026, 11, 23, 10, 0)
    moved = get_objective(uow, "streamline-onboarding", later, viewer=ADMIN).key_results[2]
    assert moved.current == 12.6
    assert moved.progress == pytest.approx(0.15)
    # A check-in on it annotates the new value and cannot override it.
    state = record_check_in(
        uow, RecordCheckIn(moved.key_result.id, None, 5, "First lift."), as_actor("maya"), later
    )
    assert state.last_check_in is not None
    assert state.last_check_in.value == 12.6
    with pytest.raises(InvalidInput) as error:
        record_check_in(uow, RecordCheckIn(moved.key_result.id, 14.0), as_actor("maya"), later)
    assert error.value.field == "value"


def test_every_okr_page_has_something_real_to_show(loaded):
    uow = loaded
    overview = cycle_overview(uow, CURRENT, NOW, viewer=ADMIN)
    assert overview.total == 5 + len(_drafts(uow))
    assert {s.stored.objective.team for s in overview.objectives} >= {
        "company", "growth", "product", "support", "platform",
    }  # fmt: skip
    assert {s.pace for s in overview.objectives} >= {Pace.ON_TRACK, Pace.AT_RISK}
    product = {s.key: s for s in overview.objectives}["first-session-value"]
    assert product.breached == ("Keep crash-free sessions at or above 99.5%",)
    assert product.check_in_due  # its owner missed the last two weeks
    assert [s.key for s in overview.objectives if s.check_in_due] == ["first-session-value"]
    growth = cycle_overview(uow, CURRENT, NOW, OverviewFilter(team="growth"), viewer=ADMIN)
    assert [s.key for s in growth.objectives] == ["streamline-onboarding"]
    week = my_week(uow, "noah@example.com", NOW, viewer=ADMIN)
    assert [r.state.key_result.definition.title for r in week.rows] == [
        "Increase setup wizard completion rate from 40% to 70%",
        "Cut time to first key action from 8 to 3 minutes",
    ]
    assert all(r.state.last_check_in is not None for r in week.rows)
    assert len(week.owners) >= 8
    page = objective_page(uow, "streamline-onboarding", NOW, viewer=ADMIN)
    assert page.parent is not None
    assert page.parent.objective.key == "grow-customers-who-stay"
    assert {o.objective.key for o in page.aligned} == {"first-week-tickets", "first-session-value"}
    assert set(page.kpis) == {"trial_to_paid"}


def test_without_okrs_the_loader_loads_teams_kpis_and_values_as_before(uow):
    written = load_workspace(uow, WS.teams, WS.kpis, WS.values, as_actor("demo"), NOW)
    assert written == sum(len(s) for s in WS.values.values())
    assert list_cycles(uow, TODAY).cycles == ()
    with uow:
        (entry,) = uow.audit.history("workspace", "demo")
    assert set(entry["after"]) == {"teams", "kpis", "values"}


# --- what is refused, with nothing written ----------------------------------------------


def _with(key: str, **changes) -> Okrs:
    """The demo's OKRs with one objective entry changed."""
    objectives = tuple(
        replace(o, **changes) if o.objective.key == key else o for o in WS.okrs.objectives
    )
    return replace(WS.okrs, objectives=objectives)


def _with_key_result(key: str, n: int, **changes) -> Okrs:
    entry = _entry(key)
    krs = list(entry.key_results)
    krs[n] = replace(krs[n], **changes)
    return _with(key, key_results=tuple(krs))


def _definition(key: str, n: int, **changes):
    return replace(_entry(key).key_results[n].definition, **changes)


@pytest.mark.parametrize(
    ("okrs", "field", "words"),
    [
        (
            _with_key_result(
                "streamline-onboarding", 0, definition=_definition(
                    "streamline-onboarding", 0, deadline=date(2027, 2, 1)
                )
            ),
            "objectives[4].key_results[0].deadline",
            "is not in cycle",
        ),
        (
            _with_key_result("streamline-onboarding", 1, definition=_definition(
                "streamline-onboarding", 1, target=8
            )),
            "objectives[4].key_results[1].target",
            "nothing to change",
        ),
        (
            _with(
                "grow-customers-who-stay",
                objective=replace(
                    _entry("grow-customers-who-stay").objective,
                    parent=Alignment("streamline-onboarding"),
                ),
            ),
            "objectives[3].parent",
            "no objective 'streamline-onboarding' to align to",
        ),
        (
            _with("first-session-value", parent_key_result=9),
            "objectives[5].parent_key_result",
            "no key result number 10",
        ),
        (
            _with_key_result(
                "streamline-onboarding", 0,
                check_ins=(replace(_entry("streamline-onboarding").key_results[0].check_ins[0],
                                   confidence=11),),
            ),
            "objectives[4].key_results[0].check_ins[0].confidence",
            "not from 0",
        ),
        (
            _with_key_result(
                "streamline-onboarding", 2,
                check_ins=(replace(_entry("streamline-onboarding").key_results[2].check_ins[0],
                                   value=16.0),),
            ),
            "objectives[4].key_results[2].check_ins[0].value",
            "follows KPI 'trial_to_paid'",
        ),
        (
            _with_key_result("faster-first-answers", 0, score_reason=""),
            "objectives[0].key_results[0].score_reason",
            "say why",
        ),
        (
            _with("faster-first-answers", retrospective=""),
            "objectives[0].retrospective",
            "committed objective that scored under 1.0",
        ),
        (
            _with("clarify-pricing", status=ObjectiveStatus.ACTIVE),
            "objectives[1].status",
            "is closed",
        ),
        (
            _with("reliable-sync-continued", carried_from="first-session-value"),
            "objectives[7].carried_from",
            "another cycle",
        ),
    ],
    ids=[
        "deadline outside the cycle",
        "target equal to the start",
        "aligned to one loaded later",
        "aligned to a key result it lacks",
        "confidence of 11",
        "a check-in overriding its KPI",
        "a changed score without a reason",
        "committed under 1.0 closed without explanation",
        "an open objective in a closed cycle",
        "carried over within its cycle",
    ],
)  # fmt: skip
def test_bad_okrs_name_the_field_and_write_nothing(uow, okrs, field, words):
    with pytest.raises(InvalidInput) as error:
        load(uow, okrs)
    assert error.value.field == field
    assert words in error.value.message
    assert is_empty(uow)
    with uow:
        assert uow.cycles.list() == []


def test_a_check_in_after_now_is_refused(uow):
    entry = _entry("streamline-onboarding")
    late = replace(entry.key_results[0].check_ins[-1], at=datetime(2026, 11, 23, 10, 0))
    okrs = _with_key_result(
        "streamline-onboarding", 0, check_ins=(*entry.key_results[0].check_ins, late)
    )
    with pytest.raises(InvalidInput) as error:
        load(uow, okrs)
    assert error.value.field == "objectives[4].key_results[0].check_ins[7].at"
    assert is_empty(uow)


def test_a_second_load_is_refused(loaded):
    with pytest.raises(Conflict, match="not empty"):
        load(loaded)
