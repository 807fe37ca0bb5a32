"""`okrkit okr checkin` against a real database: SQLite files and the session's
PostgreSQL, on the OKR workspace of `tests.support.okrs` (2026-Q3 active, six weekly
check-ins). A check-in is written at the clock's moment; the key result comes back
judged again."""

from __future__ import annotations

import pytest

from okrkit.adapters.store.engine import make_engine
from okrkit.adapters.store.migrate import upgrade
from okrkit.adapters.store.uow import SqlUnitOfWork
from tests.cli.helpers import assert_one_line_error, okrkit_in, okrkit_json
from tests.support import okrs


@pytest.fixture
def workspace(database):
    """The database the command runs on, holding the OKR workspace, and its ids."""
    engine = make_engine(database["OKRKIT_DATABASE_URL"])
    try:
        upgrade(engine)
        made = okrs.build(SqlUnitOfWork(engine))
    finally:
        engine.dispose()
    return database, made


def _key_result(database, made, id):
    shown = okrkit_json(database, "okr", "show", made.onboarding)
    return next(kr for kr in shown["key_results"] if kr["id"] == id)


def test_a_check_in_comes_back_judged_again(workspace):
    database, made = workspace
    judged = okrkit_json(
        database, "okr", "checkin", str(made.wizard), "61%", "--confidence", "7.5",
        "--note", "The new tooltip halved drop-off on step 3",
    )  # fmt: skip
    assert (judged["id"], judged["current"], judged["check_ins"]) == (made.wizard, 61.0, 7)
    assert judged["progress"] == pytest.approx(0.7)
    assert (judged["confidence"], judged["confidence_trend"]) == (7.5, "up")
    last = judged["last_check_in"]
    assert (last["value"], last["confidence"], last["note"]) == (
        61.0, 7.5, "The new tooltip halved drop-off on step 3",
    )  # fmt: skip
    assert judged["forecast"]["n"] == 7
    assert judged["forecast"]["forecast"] is not None
    assert judged["pace"] in ("on_track", "at_risk", "off_track")
    assert judged["check_in_due"] is False
    assert _key_result(database, made, made.wizard)["check_ins"] == 7

    table = okrkit_in(
        database, "okr", "checkin", str(made.first_action), "4.5", "--confidence", "6"
    )
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[:2] == [
        f"Checked in on key result {made.first_action}; it stands now:",
        f"#{made.first_action} Cut time to first key action from 8 to 3 minutes",
    ]
    assert "4.5 min: 70% of the way" in table.stdout
    assert "95% interval" in table.stdout
    assert "confidence 6/10 ↑ up" in table.stdout


def test_a_key_result_fed_by_a_kpi_takes_a_note_not_a_value(workspace):
    database, made = workspace
    judged = okrkit_json(
        database, "okr", "checkin", str(made.conversion), "--confidence", "4",
        "--note", "Pricing page test starts next week",
    )  # fmt: skip
    assert (judged["current"], judged["kpi"]) == (pytest.approx(13.4), "trial_to_paid")
    assert judged["last_check_in"]["note"] == "Pricing page test starts next week"
    overridden = okrkit_in(database, "okr", "checkin", str(made.conversion), "15")
    assert_one_line_error(
        overridden, "value: this key result follows KPI 'trial_to_paid'", "leave the value out"
    )
    assert _key_result(database, made, made.conversion)["check_ins"] == 1


def test_a_guardrail_that_got_worse_is_breached_on_the_list(workspace):
    database, made = workspace
    breached = okrkit_json(
        database, "okr", "checkin", str(made.tickets), "6.2", "--note", "Billing bug week"
    )
    assert (breached["guardrail_breached"], breached["pace"]) == (True, None)
    listed = okrkit_json(database, "okr", "list", "--team", "growth")
    (onboarding,) = listed["objectives"]
    assert onboarding["guardrail_breached"] is True
    assert onboarding["breached"] == ["Keep support tickets per 100 trials at or under 5"]
    table = okrkit_in(database, "okr", "list", "--team", "growth")
    assert "✕ guardrail breached" in table.stdout


def test_done_or_not_and_steps_done(workspace):
    database, _ = workspace
    okrkit_in(
        database, "okr", "add", "billing", "--title", "Let customers pay on their own",
        "--cycle", "2026-Q3", "--team", "growth",
        "--kr", "Self-serve billing live: done",
        "--kr", "Invoices by e-mail: steps Design; Build; Roll out",
    )  # fmt: skip
    shown = okrkit_json(database, "okr", "show", "billing")
    done, steps = (kr["id"] for kr in shown["key_results"])
    assert okrkit_json(database, "okr", "checkin", str(done), "done")["progress"] == 1.0
    assert okrkit_json(database, "okr", "checkin", str(done), "not-done")["progress"] == 0.0
    assert okrkit_json(database, "okr", "checkin", str(steps), "2")["progress"] == pytest.approx(
        2 / 3
    )
    too_many = okrkit_in(database, "okr", "checkin", str(steps), "4")
    assert_one_line_error(too_many, "value: 4 is not a number of steps done from 0 to 3")
    maybe = okrkit_in(database, "okr", "checkin", str(done), "maybe")
    assert_one_line_error(maybe, "value: 'maybe' is not a number")


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("abc",), ["value: 'abc' is not a number"]),
        (("61", "--confidence", "11"), ["--confidence: confidence 11 is not from 0", "to 10"]),
        (("61", "--confidence", "-1"), ["--confidence: confidence -1 is not from 0"]),
        (("61", "--confidence", "sure"), ["--confidence: 'sure' is not a number from 0 to 10"]),
        ((), ["value: a check-in needs a value"]),
        (("61", "--note", "x" * 5001), ["--note: the note is longer than 5,000 characters"]),
    ],
)
def test_a_bad_check_in_is_one_line_and_writes_nothing(workspace, args, fragments):
    database, made = workspace
    result = okrkit_in(database, "okr", "checkin", str(made.wizard), *args)
    assert_one_line_error(result, *fragments)
    wizard = _key_result(database, made, made.wizard)
    assert (wizard["check_ins"], wizard["current"]) == (6, 58.0)


def test_no_check_in_on_a_closed_cycle_or_a_key_result_that_is_not_there(workspace):
    database, made = workspace
    assert_one_line_error(okrkit_in(database, "okr", "checkin", "999", "3"), "no key result 999")
    okrkit_in(database, "cycle", "close", "2026-Q3", "--version", "1")
    closed = okrkit_in(database, "okr", "checkin", str(made.wizard), "61")
    assert_one_line_error(closed, "cycle 2026-Q3 is closed: its check-ins are on record")
