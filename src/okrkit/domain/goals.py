"""A workspace as a team writes it down: teams, KPIs, objectives, key results.

These are the definitions the linter judges and (later) `apply` makes so. Every entry
keeps where it was written (`Location`: file, line, path) so a finding or an error can
point at it the way a code linter does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from okrkit.domain.check_ins import CheckIn
from okrkit.domain.cycles import Cycle, CycleState
from okrkit.domain.grading import ObjectiveType
from okrkit.domain.health import Direction
from okrkit.domain.initiatives import Initiative, InitiativeStatus
from okrkit.domain.kpis import Kpi
from okrkit.domain.objectives import ObjectiveStatus
from okrkit.domain.progress import KeyResultType
from okrkit.domain.teams import Team

__all__ = [
    "CheckIn",
    "Cycle",
    "CycleSpec",
    "CycleState",
    "Goals",
    "Initiative",
    "InitiativeSpec",
    "InitiativeStatus",
    "KeyResultSpec",
    "KpiSpec",
    "Location",
    "ObjectiveSpec",
    "ObjectiveStatus",
    "TeamSpec",
]


@dataclass(frozen=True, order=True)
class Location:
    """Where an entry was written: file, 1-based line, and its path in the document.

    An entry of the workspace database has no file (`file` is "" and `line` 0): its
    `path` is its page's address, such as `/objectives/streamline-onboarding` or
    `/key-results/12`, where a person sees and fixes it.
    """

    file: str
    line: int
    path: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.file else self.path

    @classmethod
    def page(cls, address: str) -> Location:
        """Where an entry of the workspace database is: its page's address."""
        return cls("", 0, address)


NOWHERE = Location("<memory>", 0, "")


@dataclass(frozen=True)
class TeamSpec:
    """A team and the team it belongs to (for the cascade company → team)."""

    team: Team
    parent: str | None = None
    location: Location = NOWHERE


@dataclass(frozen=True)
class CycleSpec:
    """A cycle and the state it is in: planning, active, or closed (its objectives
    scored)."""

    cycle: Cycle
    state: CycleState = CycleState.ACTIVE
    location: Location = NOWHERE


@dataclass(frozen=True)
class KpiSpec:
    """A KPI's definition as written in a goals file."""

    kpi: Kpi
    location: Location = NOWHERE


@dataclass(frozen=True)
class InitiativeSpec:
    """An initiative as written in a goals file."""

    initiative: Initiative
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
    initiatives: tuple[InitiativeSpec, ...] = ()
    location: Location = NOWHERE


@dataclass(frozen=True)
class ObjectiveSpec:
    """An objective with its key results, in one team and one cycle; `score` is its
    end-of-cycle score once scored."""

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
    score: float | None = None
    key_results: tuple[KeyResultSpec, ...] = ()
    location: Location = NOWHERE


@dataclass(frozen=True)
class Goals:
    """Everything in a set of goals files, references already checked. `cycles` are
    the cycles with their states (a file may leave them out: its objectives' cycles are
    then known by name and span only)."""

    teams: tuple[TeamSpec, ...] = ()
    kpis: tuple[KpiSpec, ...] = ()
    objectives: tuple[ObjectiveSpec, ...] = field(default=())
    cycles: tuple[CycleSpec, ...] = ()
