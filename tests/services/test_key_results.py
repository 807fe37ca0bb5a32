"""Key results through the services, on SQLite and PostgreSQL: judged in batches (progress,
forecast, pace, guardrails, a KPI feeding one), added, edited and recalibrated."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from okrkit.domain.errors import Conflict, InvalidInput
from okrkit.domain.forecast import forecast
from okrkit.domain.pace import Pace
from okrkit.services.check_ins import RecordCheckIn, record_check_in
from okrkit.services.cycles import close_cycle, get_cycle
from okrkit.services.key_results import (
    AddKeyResult,
    EditKeyResult,
    add_key_result,
    edit_key_result,
    key_result_view,
)
from okrkit.services.objectives import get_objective
from tests.support import okrs
from tests.support.actors import ADMIN, as_actor

NOW = okrs.NOW


def test_a_key_result_is_judged_on_its_check_ins(uow):
    ids = okrs.build(uow)
    view = key_result_view(uow, ids.wizard, NOW, viewer=ADMIN)
    state = view.state
    times = [c.at for c in view.check_ins]
    values = [c.value for c in view.check_ins]
    assert values == [43, 46, 49, 52, 55, 58]
    expected = forecast(times, values, deadline=date(2026, 9, 30), start=40, target=70)
    assert state.forecast == expected
    assert (state.current, state.progress) == (58.0, pytest.approx(0.6))
    # 42 of 91 days gone (2026-07-01 to 2026-08-12, deadline 2026-09-30).
    assert state.expected_progress == pytest.approx(42 / 91)
    assert state.forecast_progress == 1.0  # the line passes 70 % before the deadline
    assert state.pace == Pace.ON_TRACK
    assert (state.confidence, state.confidence_trend) == (6.0, "steady")
    assert (state.check_in_count, state.last_check_in) == (6, view.check_ins[-1])
    assert not state.check_in_due


def test_a_key_result_fed_by_a_kpi_reads_the_kpis_values(uow):
    ids = okrs.build(uow)
    state = key_result_view(uow, ids.conversion, NOW, viewer=ADMIN).state
    with uow:
        newest = uow.values.latest(["trial_to_paid"])["trial_to_paid"]
    assert state.current == newest[1]
    # The KPI's weekly values since the cycle's start feed its line.
    assert [t.date() for t, _ in state.points][0] >= date(2026, 7, 1)
    # Sundays 2026-07-05 to 2026-08-09 (the values before the cycle do not count).
    assert [t.date() for t, _ in state.points] == [
        date(2026, 7, 5 + 7 * w) if w < 4 else date(2026, 8, 2 + 7 * (w - 4)) for w in range(6)
    ]
    assert state.forecast.n == 6
    assert state.check_in_due  # nobody checked in on it yet


def test_a_guardrail_has_no_pace_and_is_breached_when_it_gets_worse(uow):
    ids = okrs.build(uow)
    holding = key_result_view(uow, ids.tickets, NOW, viewer=ADMIN).state
    assert (holding.pace, holding.breached, holding.progress) == (None, False, 1.0)
    assert holding.forecast.reason == "a guardrail is held, not forecast"
    record_check_in(
        uow, RecordCheckIn(ids.tickets, 6.2, 4, "support backlog"), as_actor(okrs.ACTOR), NOW
    )
    breached = key_result_view(uow, ids.tickets, NOW, viewer=ADMIN).state
    assert breached.breached
    objective = get_objective(uow, ids.onboarding, NOW, viewer=ADMIN)
    assert objective.breached == (okrs.TICKETS.title,)


def test_pace_is_not_started_before_any_check_in(uow):
    ids = okrs.build(uow, check_ins=False)
    state = key_result_view(uow, ids.wizard, NOW, viewer=ADMIN).state
    assert (state.pace, state.forecast.forecast) == (Pace.NOT_STARTED, None)
    assert "needs at least 3 check-ins; there are 0" in str(state.forecast.reason)


def test_a_key_result_is_added_last_and_checked_against_its_cycle(uow):
    ids = okrs.build(uow, check_ins=False)
    added = add_key_result(
        uow,
        AddKeyResult(ids.company, replace(okrs.WIZARD, title="Win 20 logos", start=0, target=20)),
        as_actor(okrs.ACTOR),
        NOW,
    )
    assert (added.position, added.definition.deadline) == (2, date(2026, 9, 30))
    with pytest.raises(InvalidInput) as error:
        add_key_result(
            uow, AddKeyResult(ids.company, replace(okrs.WIZARD, deadline=date(2026, 12, 1))),
            as_actor(okrs.ACTOR), NOW,
        )  # fmt: skip
    assert error.value.field == "deadline"
    assert len(get_objective(uow, ids.company, NOW, viewer=ADMIN).key_results) == 2


def test_a_target_changed_mid_cycle_needs_a_reason_and_keeps_the_original(uow):
    ids = okrs.build(uow, check_ins=False)
    version = key_result_view(uow, ids.wizard, NOW, viewer=ADMIN).state.key_result.revision.version
    with pytest.raises(InvalidInput, match="recalibration") as error:
        edit_key_result(
            uow, EditKeyResult(ids.wizard, version, {"target": 65}), as_actor(okrs.ACTOR), NOW
        )
    assert error.value.field == "reason"
    moved = edit_key_result(
        uow,
        EditKeyResult(ids.wizard, version, {"target": 65}, "the new wizard ships a month late"),
        as_actor(okrs.ACTOR),
        NOW,
    )
    assert (moved.definition.target, moved.original_target) == (65, 70)
    again = edit_key_result(
        uow,
        EditKeyResult(ids.wizard, moved.revision.version, {"target": 60}, "cut scope"),
        as_actor(okrs.ACTOR),
        NOW,
    )
    assert (again.original_target, again.recalibration) == (70, "cut scope")
    with pytest.raises(Conflict, match="yours 1"):
        edit_key_result(
            uow, EditKeyResult(ids.wizard, 1, {"owner": "x"}), as_actor(okrs.ACTOR), NOW
        )
    with uow:
        actions = [e["action"] for e in uow.audit.history("key_result", str(ids.wizard))]
    assert actions == ["create", "recalibrate", "recalibrate"]


def test_a_bad_edit_writes_nothing(uow):
    ids = okrs.build(uow, check_ins=False)
    version = key_result_view(uow, ids.wizard, NOW, viewer=ADMIN).state.key_result.revision.version
    for changes, field in [({"weight": -1.0}, "weight"), ({"target": 40.0}, "target")]:
        with pytest.raises(InvalidInput) as error:
            edit_key_result(
                uow, EditKeyResult(ids.wizard, version, changes, "why"), as_actor(okrs.ACTOR), NOW
            )
        assert error.value.field == field
    assert (
        key_result_view(uow, ids.wizard, NOW, viewer=ADMIN).state.key_result.revision.version
        == version
    )


def test_a_closed_cycles_key_results_are_on_record(uow):
    ids = okrs.build(uow)
    close_cycle(
        uow, "2026-Q3", get_cycle(uow, "2026-Q3").revision.version, as_actor(okrs.ACTOR), NOW
    )
    kr = key_result_view(uow, ids.wizard, datetime(2026, 10, 5), viewer=ADMIN).state
    assert kr.current == 58.0  # its final value
    with pytest.raises(Conflict, match="closed"):
        edit_key_result(
            uow,
            EditKeyResult(ids.wizard, kr.key_result.revision.version, {"owner": "x"}),
            as_actor(okrs.ACTOR),
            NOW,
        )
