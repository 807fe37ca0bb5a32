"""OKR cycles: the quarter (or custom span) a team commits to, and its life.

A cycle is a calendar quarter named like `2026-Q3`, or a custom span with its own
name and dates. It is planned, then active, then closed; closing scores what is left
and retires its objectives (the KPIs they moved stay on the dashboard). Several cycles
may be listed at once; the one "current" is the one today falls in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from okrkit.domain.errors import Conflict, InvalidInput
from okrkit.domain.values import LAST_YEAR, YEARS_RULE, check_day, check_year
from okrkit.domain.versions import Revision

__all__ = [
    "CYCLE_NAME_RULE",
    "Cycle",
    "CycleState",
    "StoredCycle",
    "check_cycle_name",
    "current_cycle",
    "next_cycle",
]

_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
# A cycle's name is part of its address (/cycles/2026-Q3): letters, digits, '.', '-'
# and '_', starting with a letter or digit.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
# Addresses under /cycles/ that are pages, not cycles.
_RESERVED = frozenset({"new"})
CYCLE_NAME_RULE = (
    "a quarter like 2026-Q3, or a name of letters, digits, '.', '-' and '_' "
    "(at most 64 characters), e.g. 2027-H1"
)


def check_cycle_name(name: str, *, field: str = "cycle") -> str:
    """The cycle's name as given, or `InvalidInput` saying what a cycle name is."""
    if not isinstance(name, str) or _NAME.fullmatch(name) is None:
        raise InvalidInput(f"{name!r} is not a cycle name: {CYCLE_NAME_RULE}", field=field)
    if name.lower() in _RESERVED:
        raise InvalidInput(
            f"{name!r} names a page of its own (/cycles/{name}): choose another name", field=field
        )
    return name


@dataclass(frozen=True)
class Cycle:
    """An OKR cycle: a calendar quarter (`2026-Q3`) or a named span with its dates."""

    name: str
    start: date
    end: date

    @classmethod
    def parse(
        cls, name: str, start: date | None = None, end: date | None = None, *, field: str = "cycle"
    ) -> Cycle:
        """`2026-Q3` spans its calendar quarter; any other name needs both dates."""
        name = name.strip()
        quarter = _QUARTER.fullmatch(name)
        if quarter:
            year, q = int(quarter[1]), int(quarter[2])
            check_year(year, name, field)
            first = date(year, 3 * q - 2, 1)
            last = date(year, 12, 31) if q == 4 else date(year, 3 * q + 1, 1) - timedelta(days=1)
            if (start is not None and start != first) or (end is not None and end != last):
                raise InvalidInput(
                    f"{name} is the calendar quarter {first} to {last}: give a cycle with "
                    "other dates another name",
                    field=field,
                )
            return cls(name, first, last)
        check_cycle_name(name, field=field)
        if start is not None:
            check_day(start, "start")
        if end is not None:
            check_day(end, "end")
        if start is None or end is None:
            raise InvalidInput(
                f"cycle {name!r} is not a quarter like 2026-Q3: give its start and end dates",
                field=field,
            )
        if end < start:
            raise InvalidInput(
                f"cycle {name!r} ends ({end}) before it starts ({start})", field="end"
            )
        if end == start:
            raise InvalidInput(
                f"cycle {name!r} starts and ends on {start}: give it some time", field="end"
            )
        return cls(name, start, end)

    def contains(self, day: date) -> bool:
        """Whether `day` falls in the cycle (its first and last days included)."""
        return self.start <= day <= self.end


class CycleState(StrEnum):
    """A cycle's life: planned, worked on, closed (scored and retired)."""

    PLANNING = "planning"
    ACTIVE = "active"
    CLOSED = "closed"


_NEXT = {CycleState.PLANNING: CycleState.ACTIVE, CycleState.ACTIVE: CycleState.CLOSED}


@dataclass(frozen=True)
class StoredCycle:
    """A cycle as the workspace keeps it: its span, its state and its revision."""

    cycle: Cycle
    state: CycleState
    revision: Revision

    def moved_to(self, state: CycleState) -> CycleState:
        """The state after a move to `state`: planning → active → closed, one step or
        two at a time (a planned cycle may be closed); a closed cycle stays closed."""
        if self.state == CycleState.CLOSED:
            raise Conflict(f"cycle {self.cycle.name} is already closed")
        if state == self.state:
            raise Conflict(f"cycle {self.cycle.name} is already {state}")
        if state == CycleState.PLANNING or (
            state == CycleState.ACTIVE and _NEXT[self.state] != CycleState.ACTIVE
        ):
            raise InvalidInput(
                f"cycle {self.cycle.name} cannot go from {self.state} back to {state}",
                field="state",
            )
        return state


def current_cycle(cycles: Sequence[StoredCycle], today: date) -> StoredCycle | None:
    """The cycle today falls in — an active one before a planned or closed one, then the
    shortest (a quarter inside a year-long cycle is the more specific) — else the next
    to start, else the last to end; None without cycles."""
    if not cycles:
        return None
    rank = {CycleState.ACTIVE: 0, CycleState.PLANNING: 1, CycleState.CLOSED: 2}
    holding = [c for c in cycles if c.cycle.contains(today)]
    if holding:
        return min(
            holding, key=lambda c: (rank[c.state], c.cycle.end - c.cycle.start, c.cycle.name)
        )
    upcoming = [c for c in cycles if c.cycle.start > today]
    if upcoming:
        return min(upcoming, key=lambda c: (c.cycle.start, c.cycle.name))
    return max(cycles, key=lambda c: (c.cycle.end, c.cycle.name))


def next_cycle(cycle: Cycle) -> Cycle:
    """The cycle after a quarter is the next quarter; after a custom span, a span of the
    same length starting the day after it ends (named after its first day)."""
    if (cycle.end + (cycle.end - cycle.start) + timedelta(days=1)).year > LAST_YEAR:
        raise InvalidInput(
            f"cycle {cycle.name} has no cycle after it ({YEARS_RULE})", field="cycle"
        )
    quarter = _QUARTER.fullmatch(cycle.name)
    if quarter:
        year, q = int(quarter[1]), int(quarter[2])
        return Cycle.parse(f"{year + 1}-Q1" if q == 4 else f"{year}-Q{q + 1}")
    start = cycle.end + timedelta(days=1)
    return Cycle(f"from-{start.isoformat()}", start, start + (cycle.end - cycle.start))
