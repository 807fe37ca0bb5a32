"""A workspace as a team writes it down: teams, KPIs, objectives, key results.

These are the definitions the linter judges and (later) `apply` makes so. Every entry
keeps where it was written (`Location`: file, line, path) so a finding or an error can
point at it the way a code linter does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from okrkit.domain.errors import InvalidInput
from okrkit.domain.grading import ObjectiveType
from okrkit.domain.health import Direction
from okrkit.domain.kpis import Kpi
from okrkit.domain.progress import KeyResultType
from okrkit.domain.teams import Team

__all__ = [
    "CheckIn",
    "Cycle",
    "Goals",
    "Initiative",
    "InitiativeStatus",
    "KeyResultSpec",
    "KpiSpec",
    "Location",
    "ObjectiveSpec",
    "ObjectiveStatus",
    "TeamSpec",
]

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Location:
    """Where an entry was written: file, 1-based line, and its path in the document."""

    file: str
    line: int
    path: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


NOWHERE = Location("<memory>", 0, "")


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
        quarter = _QUARTER.match(name.strip())
        if quarter and start is None and end is None:
            year, q = int(quarter[1]), int(quarter[2])
            first = date(year, 3 * q - 2, 1)
            after = date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
            return cls(name.strip(), first, after - timedelta(days=1))
        if start is None or end is None:
            raise InvalidInput(
                f"cycle {name!r} is not a quarter like 2026-Q3: give its start and end dates",
                field=field,
            )
        if end < start:
            raise InvalidInput(
                f"cycle {name!r} ends ({end}) before it starts ({start})", field=field
            )
        return cls(name.strip(), start, end)


@dataclass(frozen=True)
class TeamSpec:
    """A team and the team it belongs to (for the cascade company → team)."""

    team: Team
    parent: str | None = None
    location: Location = NOWHERE


@dataclass(frozen=True)
class KpiSpec:
    """A KPI's definition as written in a goals file."""

    kpi: Kpi
    location: Location = NOWHERE


@dataclass(frozen=True)
class CheckIn:
    """A weekly check-in: a value, a confidence, a note. Never edited: corrections are new
    check-ins."""

    at: datetime
    value: float
    confidence: float | None = None
    note: str = ""
    author: str | None = None


class InitiativeStatus(StrEnum):
    """Where a piece of work stands."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


@dataclass(frozen=True)
class Initiative:
    """Work attached to a key result (a project, an experiment): outputs live here."""

    title: str
    status: InitiativeStatus = InitiativeStatus.PLANNED
    url: str | None = None
    location: Location = NOWHERE


@dataclass(frozen=True)
class KeyResultSpec:
    """A key result as written: what it measures, from where to where, by when, who owns it."""

    title: str
    type: KeyResultType = KeyResultType.NUMERIC
    start: float | None = None
    target: float | None = None
    unit: str = ""
    owner: str | None = None
    deadline: date | None = None
    kpi: str | None = None
    guardrail: bool = False
    weight: float = 1.0
    direction: Direction | None = None
    milestones: int | None = None
    check_ins: tuple[CheckIn, ...] = ()
    initiatives: tuple[Initiative, ...] = ()
    location: Location = NOWHERE


class ObjectiveStatus(StrEnum):
    """An objective's life: drafted, worked on, scored at the cycle's end, closed."""

    DRAFT = "draft"
    ACTIVE = "active"
    SCORED = "scored"
    CLOSED = "closed"


@dataclass(frozen=True)
class ObjectiveSpec:
    """An objective with its key results, in one team and one cycle."""

    key: str
    title: str
    cycle: Cycle
    team: str
    type: ObjectiveType = ObjectiveType.ASPIRATIONAL
    description: str = ""
    owner: str | None = None
    parent: str | None = None
    north_star: str | None = None
    status: ObjectiveStatus = ObjectiveStatus.ACTIVE
    private: bool = False
    key_results: tuple[KeyResultSpec, ...] = ()
    location: Location = NOWHERE


@dataclass(frozen=True)
class Goals:
    """Everything in a set of goals files, references already checked."""

    teams: tuple[TeamSpec, ...] = ()
    kpis: tuple[KpiSpec, ...] = ()
    objectives: tuple[ObjectiveSpec, ...] = field(default=())
