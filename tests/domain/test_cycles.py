"""OKR cycles: quarters and custom spans, their states, which one is current."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from okrkit.domain.cycles import (
    Cycle,
    CycleState,
    StoredCycle,
    check_cycle_name,
    current_cycle,
    next_cycle,
)
from okrkit.domain.errors import Conflict, InvalidInput
from okrkit.domain.versions import Revision

REVISION = Revision(1, datetime(2026, 6, 30), "maya@example.com")


def stored(name: str, state: CycleState = CycleState.ACTIVE, **dates: date) -> StoredCycle:
    return StoredCycle(Cycle.parse(name, dates.get("start"), dates.get("end")), state, REVISION)


@pytest.mark.parametrize(
    ("name", "start", "end"),
    [
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2028-Q1", date(2028, 1, 1), date(2028, 3, 31)),
    ],
)
def test_a_quarter_spans_its_calendar_quarter(name, start, end):
    assert Cycle.parse(name) == Cycle(name, start, end)


def test_a_quarter_given_its_own_dates_is_accepted_and_other_dates_are_refused():
    assert Cycle.parse("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)).end == date(2026, 9, 30)
    with pytest.raises(InvalidInput, match="calendar quarter 2026-07-01 to 2026-09-30"):
        Cycle.parse("2026-Q3", date(2026, 7, 6), date(2026, 10, 4))


def test_a_custom_cycle_needs_both_dates_and_time_between_them():
    assert Cycle.parse("2027-H1", date(2027, 1, 1), date(2027, 6, 30)).name == "2027-H1"
    with pytest.raises(InvalidInput, match="give its start and end dates"):
        Cycle.parse("2027-H1")
    with pytest.raises(InvalidInput, match=r"ends \(2027-01-01\) before it starts") as error:
        Cycle.parse("2027-H1", date(2027, 6, 30), date(2027, 1, 1))
    assert error.value.field == "end"
    with pytest.raises(InvalidInput, match="starts and ends on"):
        Cycle.parse("2027-H1", date(2027, 1, 1), date(2027, 1, 1))


@pytest.mark.parametrize("name", ["", " ", "a b", "-x", "x/y", "é", "x" * 65, "2026-Q3\n"])
def test_a_cycle_name_is_part_of_an_address(name):
    with pytest.raises(InvalidInput, match="is not a cycle name"):
        check_cycle_name(name)


@pytest.mark.parametrize(
    "last",
    [Cycle.parse("2999-Q4"), Cycle.parse("h2", date(2999, 7, 1), date(2999, 12, 31))],
    ids=str,
)
def test_the_last_cycle_of_the_kept_years_has_no_next_cycle(last):
    assert last.end == date(2999, 12, 31)
    with pytest.raises(InvalidInput, match="no cycle after it .okrkit keeps the years"):
        next_cycle(last)


@pytest.mark.parametrize(
    ("name", "start", "end"),
    [
        ("0001-Q1", None, None),
        ("1899-Q4", None, None),
        ("3000-Q1", None, None),
        ("far", date(1, 1, 1), date(2026, 1, 1)),
        ("far", date(2026, 1, 1), date(9999, 12, 31)),
    ],
)
def test_a_cycle_outside_the_kept_years_is_refused(name, start, end):
    with pytest.raises(InvalidInput, match="is out of range: okrkit keeps the years 1900 to 2999"):
        Cycle.parse(name, start, end)


def test_a_cycle_name_may_not_be_the_address_of_a_page():
    with pytest.raises(InvalidInput, match="names a page of its own"):
        Cycle.parse("new", date(2027, 1, 1), date(2027, 6, 30))


def test_states_go_forward_only_and_a_closed_cycle_stays_closed():
    planning = stored("2026-Q3", CycleState.PLANNING)
    assert planning.moved_to(CycleState.ACTIVE) == CycleState.ACTIVE
    assert planning.moved_to(CycleState.CLOSED) == CycleState.CLOSED
    active = stored("2026-Q3", CycleState.ACTIVE)
    assert active.moved_to(CycleState.CLOSED) == CycleState.CLOSED
    with pytest.raises(InvalidInput, match="back to planning"):
        active.moved_to(CycleState.PLANNING)
    with pytest.raises(Conflict, match="already active"):
        active.moved_to(CycleState.ACTIVE)
    with pytest.raises(Conflict, match="already closed"):
        stored("2026-Q3", CycleState.CLOSED).moved_to(CycleState.CLOSED)


def test_the_current_cycle_is_the_one_today_falls_in():
    q2 = stored("2026-Q2", CycleState.CLOSED)
    q3 = stored("2026-Q3")
    year = stored("2026", start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert current_cycle([q2, q3, year], date(2026, 8, 12)) == q3  # the shorter one
    assert current_cycle([q2, year], date(2026, 5, 1)) == year  # active before closed
    assert current_cycle([q2, q3], date(2026, 3, 1)) == q2  # the next to start
    assert current_cycle([q2, q3], date(2027, 1, 5)) == q3  # else the last to end
    assert current_cycle([], date(2026, 8, 12)) is None


def test_the_next_cycle_of_a_quarter_is_the_next_quarter():
    assert next_cycle(Cycle.parse("2026-Q3")).name == "2026-Q4"
    assert next_cycle(Cycle.parse("2026-Q4")) == Cycle.parse("2027-Q1")
    custom = next_cycle(Cycle.parse("sprint", date(2026, 7, 6), date(2026, 10, 4)))
    # The same 91 days, from the day after.
    assert (custom.start, custom.end) == (date(2026, 10, 5), date(2027, 1, 3))
