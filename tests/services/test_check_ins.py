"""Check-ins through the services, on SQLite and PostgreSQL: append-only history, a KPI's
value that a check-in cannot override, a week's check-ins all or none, My week."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine

from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.domain.check_ins import CheckInTrail
from okrkit.domain.errors import Conflict, InvalidInput
from okrkit.domain.pace import Pace
from okrkit.services.check_ins import RecordCheckIn, my_week, record_check_in, record_week
from okrkit.services.cycles import close_cycle, get_cycle
from okrkit.services.key_results import key_result_view
from tests.support import okrs
from tests.support.actors import ADMIN, as_actor

NOW = okrs.NOW
NOAH = "noah@example.com"


def history(uow, kr: int) -> list[tuple[float, str]]:
    with uow:
        return [(c.value, c.note) for c in uow.check_ins.of([kr])[kr]]


def test_a_check_in_is_appended_and_the_key_result_judged_again(uow):
    ids = okrs.build(uow)
    before = key_result_view(uow, ids.wizard, NOW, viewer=ADMIN).state
    after = record_check_in(
        uow,
        RecordCheckIn(ids.wizard, 49, 3, "  the new wizard broke on mobile "),
        as_actor(NOAH),
        NOW,
    )
    assert after.current == 49.0
    assert after.last_check_in is not None
    assert after.last_check_in.note == "the new wizard broke on mobile"
    assert after.last_check_in.author == NOAH
    assert (after.confidence, after.confidence_trend) == (3.0, "down")
    assert after.forecast.forecast is not None
    assert before.forecast.forecast is not None
    assert after.forecast.forecast < before.forecast.forecast
    assert after.check_in_count == before.check_in_count + 1
    # A correction is a new check-in: the history keeps both.
    record_check_in(uow, RecordCheckIn(ids.wizard, 59, 6, "typo: 59, not 49"), as_actor(NOAH), NOW)
    assert history(uow, ids.wizard)[-2:] == [
        (49.0, "the new wizard broke on mobile"),
        (59.0, "typo: 59, not 49"),
    ]


@pytest.mark.parametrize(
    ("command", "field"),
    [
        (RecordCheckIn(0, None), "value"),
        (RecordCheckIn(0, float("nan")), "value"),
        (RecordCheckIn(0, "52"), "value"),  # type: ignore[arg-type]
        (RecordCheckIn(0, 52, 11), "confidence"),
        (RecordCheckIn(0, 52, -1), "confidence"),
        (RecordCheckIn(0, 52, 5, "x" * 5001), "note"),
    ],
)
def test_a_bad_check_in_is_refused_at_its_field_and_nothing_is_written(uow, command, field):
    ids = okrs.build(uow)
    before = history(uow, ids.wizard)
    with pytest.raises(InvalidInput) as error:
        record_check_in(
            uow,
            RecordCheckIn(ids.wizard, command.value, command.confidence, command.note),
            as_actor(NOAH),
            NOW,
        )
    assert error.value.field == field
    assert history(uow, ids.wizard) == before


def test_a_key_result_fed_by_a_kpi_is_annotated_not_overridden(uow):
    ids = okrs.build(uow)
    with pytest.raises(InvalidInput, match="comes from the KPI") as error:
        record_check_in(uow, RecordCheckIn(ids.conversion, 15.0, 7), as_actor(okrs.ACTOR), NOW)
    assert error.value.field == "value"
    state = record_check_in(
        uow, RecordCheckIn(ids.conversion, None, 7, "pricing test live"), as_actor(okrs.ACTOR), NOW
    )
    with uow:
        newest = uow.values.latest(["trial_to_paid"])["trial_to_paid"][1]
    assert state.current == newest
    assert history(uow, ids.conversion) == [(newest, "pricing test live")]


def test_two_check_ins_at_one_moment_are_both_kept_in_order(uow):
    ids = okrs.build(uow)
    at = NOW + timedelta(minutes=1)
    record_check_in(uow, RecordCheckIn(ids.wizard, 60, 6, "first"), as_actor(NOAH), at)
    record_check_in(uow, RecordCheckIn(ids.wizard, 61, 6, "second"), as_actor(NOAH), at)
    assert history(uow, ids.wizard)[-2:] == [(60.0, "first"), (61.0, "second")]


def test_racing_check_ins_on_one_key_result_are_all_kept(engine: Engine, uow):
    ids = okrs.build(uow)
    errors: list[BaseException] = []

    def check_in(n: int) -> None:
        try:
            record_check_in(
                SqlUnitOfWork(engine),
                RecordCheckIn(ids.wizard, 60 + n, 5, f"racer {n}"),
                as_actor(NOAH),
                NOW,
            )
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    racers = [threading.Thread(target=check_in, args=(n,)) for n in range(6)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert errors == []
    notes = [note for _, note in history(uow, ids.wizard) if note.startswith("racer")]
    assert sorted(notes) == [f"racer {n}" for n in range(6)]


def test_a_closed_cycle_takes_no_check_in(uow):
    ids = okrs.build(uow)
    close_cycle(
        uow, "2026-Q3", get_cycle(uow, "2026-Q3").revision.version, as_actor(okrs.ACTOR), NOW
    )
    with pytest.raises(Conflict, match="closed"):
        record_check_in(uow, RecordCheckIn(ids.wizard, 60, 5), as_actor(NOAH), NOW)


def test_a_week_is_recorded_all_or_none(uow):
    ids = okrs.build(uow)
    before = history(uow, ids.wizard)
    with pytest.raises(InvalidInput) as error:
        record_week(
            uow,
            [RecordCheckIn(ids.wizard, 61, 7, "shipped"), RecordCheckIn(ids.first_action, 4.5, 11)],
            as_actor(NOAH),
            NOW,
        )
    assert error.value.field == f"key_results.{ids.first_action}.confidence"
    assert history(uow, ids.wizard) == before
    assert (
        record_week(
            uow,
            [RecordCheckIn(ids.wizard, 61, 7, "shipped"), RecordCheckIn(ids.first_action, 4.5, 6)],
            as_actor(NOAH),
            NOW,
        )
        == 2
    )
    assert history(uow, ids.wizard)[-1] == (61.0, "shipped")
    with pytest.raises(InvalidInput, match="twice"):
        record_week(
            uow, [RecordCheckIn(ids.wizard, 1), RecordCheckIn(ids.wizard, 2)], as_actor(NOAH), NOW
        )


def test_my_week_lists_what_a_person_owns_with_the_last_check_in(uow):
    ids = okrs.build(uow)
    week = my_week(uow, NOAH, NOW, viewer=ADMIN)
    assert week.owners == ("ceo@example.com", okrs.ACTOR, NOAH)
    assert [r.state.key_result.id for r in week.rows] == [ids.wizard, ids.first_action]
    last = week.rows[0].state.last_check_in
    assert last is not None
    assert (last.value, last.at) == (58.0, datetime(2026, 8, 9))
    assert week.rows[0].state.pace == Pace.ON_TRACK
    assert my_week(uow, None, NOW, viewer=ADMIN).rows == ()
    assert my_week(uow, "nobody@example.com", NOW, viewer=ADMIN).rows == ()


def test_a_trail_is_the_history_as_judging_reads_it(uow):
    """`trails` (two queries, no notes but the newest) says what the whole history says:
    its moments and values in order, the confidences given, the newest check-in — also
    for two check-ins at one moment, one without a confidence, and none at all."""
    ids = okrs.build(uow)
    record_check_in(
        uow, RecordCheckIn(ids.wizard, 60, None, "same moment, first"), as_actor(NOAH), NOW
    )
    record_check_in(
        uow, RecordCheckIn(ids.wizard, 59, 4, "same moment, second"), as_actor(NOAH), NOW
    )
    nothing = 9_999  # no key result, so no check-in
    everyone = [nothing, ids.wizard, ids.first_action, ids.conversion, ids.tickets]
    with uow:
        histories = uow.check_ins.of(everyone)
        trails = uow.check_ins.trails(everyone)
    assert len(histories[ids.wizard]) == 8
    assert histories[nothing] == []
    for kr in everyone:
        expected, trail = CheckInTrail.of(histories[kr]), trails[kr]
        assert trail.count == len(histories[kr])
        assert trail.series.timestamps.tolist() == expected.series.timestamps.tolist()
        assert trail.series.values.tolist() == expected.series.values.tolist()
        assert (trail.confidences, trail.last) == (expected.confidences, expected.last)
    wizard = trails[ids.wizard]
    assert wizard.series.values.tolist()[-2:] == [60.0, 59.0]
    assert wizard.last is not None
    assert (wizard.last.note, wizard.last.confidence) == ("same moment, second", 4.0)
    assert wizard.confidences[-2:] == (6.0, 4.0)  # the one without a confidence is skipped
