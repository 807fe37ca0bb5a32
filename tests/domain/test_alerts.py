"""The trigger's rules on plain readings: what a judgement of a KPI opens, escalates and
resolves, and the draft objective an alert proposes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pytest

from okrkit.domain.alerts import (
    Alert,
    AlertKind,
    AlertLevel,
    AlertState,
    Escalate,
    Problem,
    Raise,
    Reading,
    Resolve,
    StoredAlert,
    draft_cycle,
    draft_key,
    draft_objective,
    green_for_a_period,
    key_result_target,
    trigger,
)
from okrkit.domain.cadence import Cadence
from okrkit.domain.cycles import Cycle, CycleState, StoredCycle
from okrkit.domain.grading import ObjectiveType
from okrkit.domain.health import Direction, Status, Thresholds
from okrkit.domain.kpis import Kpi
from okrkit.domain.versions import Revision

AT = datetime(2026, 11, 30)
KPI = Kpi(
    "trial_to_paid", "Trial-to-paid conversion", Direction.HIGHER, Cadence.parse("weekly"),
    "growth", unit="percent", target=16.0, thresholds=Thresholds(green=15.0, red=12.0),
    owner="maya@example.com",
)  # fmt: skip


def reading(status: Status, **given) -> Reading:
    return Reading(kpi="trial_to_paid", status=status, value=13.1, value_at=AT, **given)


def stored(kind: AlertKind, level: AlertLevel, id: int = 7) -> StoredAlert:
    alert = Alert("trial_to_paid", kind, level, Problem.THRESHOLD, "", Status.YELLOW, 13.1, AT)
    return StoredAlert(id, alert, AlertState.OPEN, AT, Revision(1, AT, None), "draft")


def test_worsening_into_yellow_opens_one_status_alert_saying_the_kind_of_problem():
    [action] = trigger(reading(Status.YELLOW), {})
    assert isinstance(action, Raise)
    alert = action.alert
    assert (alert.kind, alert.level, alert.problem) == (
        AlertKind.STATUS, AlertLevel.YELLOW, Problem.THRESHOLD,
    )  # fmt: skip
    assert "routine variation took it yellow" in alert.reason


def test_red_routine_variation_of_an_incapable_process_says_the_process_must_change():
    [action] = trigger(
        reading(Status.RED, incapable=True, capability="its usual range reaches below 12%."),
        {},
    )
    assert isinstance(action, Raise)
    assert (action.alert.level, action.alert.problem) == (AlertLevel.RED, Problem.INCAPABLE)
    assert "the process itself must change" in action.alert.reason


def test_a_signal_in_the_bad_direction_opens_an_alert_even_while_green():
    [action] = trigger(reading(Status.GREEN, signal="since 2 Nov 2026, 4 weeks below …"), {})
    assert isinstance(action, Raise)
    assert (action.alert.level, action.alert.problem) == (AlertLevel.YELLOW, Problem.SIGNAL)
    assert action.alert.reason.startswith("Signal: since 2 Nov 2026")
    assert "find what" in action.alert.reason


def test_staying_red_or_improving_raises_nothing_new():
    open_red = {AlertKind.STATUS: stored(AlertKind.STATUS, AlertLevel.RED)}
    assert trigger(reading(Status.RED), open_red) == []
    assert trigger(reading(Status.YELLOW), open_red) == []
    # green, but not yet for a full period: the alert stays open
    assert trigger(reading(Status.GREEN), open_red) == []


def test_yellow_to_red_escalates_the_open_alert():
    [action] = trigger(
        reading(Status.RED), {AlertKind.STATUS: stored(AlertKind.STATUS, AlertLevel.YELLOW)}
    )
    assert isinstance(action, Escalate)
    assert action.id == 7
    assert action.alert.level is AlertLevel.RED


def test_green_for_a_full_period_resolves_it():
    [action] = trigger(
        reading(Status.GREEN, green_for_a_period=True),
        {AlertKind.STATUS: stored(AlertKind.STATUS, AlertLevel.RED)},
    )
    assert isinstance(action, Resolve)
    assert action.id == 7


def test_green_with_nothing_open_raises_nothing():
    assert trigger(reading(Status.GREEN, green_for_a_period=True), {}) == []
    assert trigger(reading(Status.UNKNOWN), {}) == []


def test_stale_data_raises_one_data_alert_and_never_a_status_alert():
    stale = reading(
        Status.RED, data_problem="its newest value is from 2 Nov 2026", data_kind=Problem.STALE
    )
    [action] = trigger(stale, {})
    assert isinstance(action, Raise)
    assert (action.alert.kind, action.alert.level) == (AlertKind.DATA, AlertLevel.DATA)
    # one data alert: a second stale judgement raises nothing
    assert trigger(stale, {AlertKind.DATA: stored(AlertKind.DATA, AlertLevel.DATA, 9)}) == []


def test_sound_data_again_resolves_the_data_alert_then_judges_the_status():
    actions = trigger(
        reading(Status.RED), {AlertKind.DATA: stored(AlertKind.DATA, AlertLevel.DATA, 9)}
    )
    assert isinstance(actions[0], Resolve)
    assert actions[0].id == 9
    assert isinstance(actions[1], Raise)
    assert actions[1].alert.level is AlertLevel.RED


DAY = np.timedelta64(1, "D")


def days(*offsets: int) -> np.ndarray:
    return np.datetime64("2026-11-02") + np.array(offsets) * DAY


@pytest.mark.parametrize(
    ("offsets", "values", "expected"),
    [
        ((0, 7, 14), (11.0, 16.0, 16.5), True),  # green on 9 and 16 Nov: a full week
        ((0, 7, 14), (11.0, 11.5, 16.5), False),  # one green week only
        ((0, 7, 14), (16.0, 16.0, 14.0), False),  # the newest is not green
        ((0, 7), (16.0, 16.0), True),  # green all along
        ((0, 7, 14), (16.0, 15.0, 16.0), False),  # 15% is on the bound: yellow
    ],
)
def test_green_for_a_period(offsets, values, expected):
    found = green_for_a_period(
        days(*offsets), np.array(values), KPI.thresholds, Direction.HIGHER, timedelta(days=7)
    )
    assert found is expected


def test_green_for_a_period_when_lower_is_better():
    found = green_for_a_period(
        days(0, 7, 14), np.array([9.0, 2.0, 1.0]), Thresholds(green=3.0, red=6.0),
        Direction.LOWER, timedelta(days=7),
    )  # fmt: skip
    assert found is True


def test_the_key_result_aims_at_the_target_then_the_green_bound_then_the_average():
    assert key_result_target(KPI, 13.1, 15.5) == 16.0
    assert key_result_target(KPI, 16.2, 17.0) == 17.0  # beyond target and green: the average
    assert key_result_target(KPI, 18.0, 17.0) is None
    churn = Kpi("churn", "Churn", Direction.LOWER, Cadence.parse("monthly"), "growth",
                unit="percent", thresholds=Thresholds(green=3.0, red=5.0))  # fmt: skip
    assert key_result_target(churn, 5.5, None) == 3.0


def alert(level: AlertLevel, problem: Problem = Problem.SIGNAL) -> Alert:
    status = Status.RED if level is AlertLevel.RED else Status.YELLOW
    return Alert("trial_to_paid", AlertKind.STATUS, level, problem, "Signal: …", status, 13.1, AT)


def test_a_yellow_draft_asks_for_the_hypothesis_and_lifts_the_kpi():
    draft = draft_objective(
        KPI, alert(AlertLevel.YELLOW), "trial_to_paid-2026-12-01", "2026-Q4", target=16.0
    )
    objective, kr = draft.objective, draft.key_result
    assert not draft.urgent
    assert objective.team == "growth"
    assert objective.owner == "maya@example.com"
    assert objective.type is ObjectiveType.ASPIRATIONAL
    assert "Hypothesis needed" in objective.description
    assert "a signal: something changed — find what" in objective.description
    assert kr is not None
    assert kr.title == "Lift Trial-to-paid conversion from 13.1% to 16.0%"
    assert (kr.start, kr.target, kr.kpi, kr.unit) == (13.1, 16.0, "trial_to_paid", "percent")
    assert not any(ch.isdigit() for ch in objective.title)  # numbers go into key results


def test_a_red_draft_is_urgent_and_a_lower_is_better_kpi_is_cut():
    churn = Kpi("churn", "Monthly churn", Direction.LOWER, Cadence.parse("monthly"), "growth",
                unit="percent", thresholds=Thresholds(green=3.0, red=5.0))  # fmt: skip
    red = Alert(
        "churn", AlertKind.STATUS, AlertLevel.RED, Problem.INCAPABLE, "…", Status.RED, 5.5, AT
    )
    draft = draft_objective(churn, red, "churn-2026-12-01", "2026-Q4", target=3.0)
    assert draft.urgent
    assert draft.objective.type is ObjectiveType.COMMITTED
    assert "Urgent" in draft.objective.description
    assert draft.key_result is not None
    assert draft.key_result.title == "Cut Monthly churn from 5.5% to 3.0%"


def test_draft_keys_are_free_and_valid():
    assert draft_key("trial_to_paid", date(2026, 12, 1)) == "trial_to_paid-2026-12-01"
    taken = ["trial_to_paid-2026-12-01", "trial_to_paid-2026-12-01-2"]
    assert draft_key("trial_to_paid", date(2026, 12, 1), taken) == "trial_to_paid-2026-12-01-3"
    assert len(draft_key("k" * 64, date(2026, 12, 1))) <= 64


def cycle(
    name: str, state: CycleState, start: date | None = None, end: date | None = None
) -> StoredCycle:
    return StoredCycle(Cycle.parse(name, start, end), state, Revision(1, AT, None))


def test_the_draft_goes_into_the_open_cycle_of_today_or_a_new_quarter():
    today = date(2026, 12, 1)
    assert draft_cycle([cycle("2026-Q4", CycleState.ACTIVE)], today) == (
        Cycle.parse("2026-Q4"),
        False,
    )
    assert draft_cycle([cycle("2026-Q3", CycleState.ACTIVE)], today) == (
        Cycle.parse("2026-Q4"),
        True,
    )
    # a closed quarter gives way to the next one
    assert draft_cycle([cycle("2026-Q4", CycleState.CLOSED)], today) == (
        Cycle.parse("2027-Q1"),
        True,
    )
    year = cycle("fy2026", CycleState.ACTIVE, date(2026, 1, 1), date(2026, 12, 31))
    assert draft_cycle([year, cycle("2026-Q4", CycleState.PLANNING)], today)[0].name == "fy2026"
