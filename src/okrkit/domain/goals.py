"""A workspace as a team writes it down: teams, KPIs, objectives, key results.

These are the definitions the linter judges, `okrkit apply` makes so and `okrkit export`
writes back out: the whole workspace but its KPIs' values (data, not goals). Every entry
keeps where it was written (`Location`: file, line, path) so a finding or an error can
point at it the way a code linter does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from okrkit.domain.check_ins import CheckIn
from okrkit.domain.cycles import Cycle, CycleState
from okrkit.domain.grading import ObjectiveType
from okrkit.domain.health import Direction
from okrkit.domain.initiatives import Initiative, InitiativeStatus
from okrkit.domain.key_results import KeyResultDefinition
from okrkit.domain.kpis import Kpi
from okrkit.domain.objectives import Objective, ObjectiveStatus
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
    """A key result as written: what it measures, from where to where, by when, who owns
    it. A milestone key result names its `steps` (`milestones` is their number; a file may
    give the number alone). A target recalibrated mid-cycle keeps the `original_target` and the
    `recalibration` (its reason); a key result of a scored objective has its `score`
    and, where a person changed the proposed one, the `score_reason`."""

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
    steps: tuple[str, ...] | None = None
    original_target: float | None = None
    recalibration: str = ""
    score: float | None = None
    score_reason: str = ""
    check_ins: tuple[CheckIn, ...] = ()
    initiatives: tuple[InitiativeSpec, ...] = ()
    location: Location = NOWHERE
    # Where each check-in was written, in the order of `check_ins` (oldest first); empty
    # for key results that were not read from a file.
    check_in_locations: tuple[Location, ...] = ()

    @classmethod
    def of(cls, d: KeyResultDefinition, **more: Any) -> KeyResultSpec:
        """A key result's definition as goals write it; `more` gives (or overrides) the
        other fields, e.g. its check-ins."""
        fields: dict[str, Any] = {
            "title": d.title, "type": d.type, "start": d.start, "target": d.target,
            "unit": d.unit, "owner": d.owner, "deadline": d.deadline, "kpi": d.kpi,
            "guardrail": d.guardrail, "weight": d.weight, "direction": d.direction,
            "milestones": None if d.steps is None else len(d.steps),
            "steps": None if d.steps is None else d.steps.names,
        }  # fmt: skip
        return cls(**(fields | more))


@dataclass(frozen=True)
class ObjectiveSpec:
    """An objective with its key results, in one team and one cycle. It aligns to its
    `parent` objective, or to one key result of it: `parent_key_result`, that key
    result's 1-based place among the parent's. `score` is its end-of-cycle score once
    scored, `retrospective` the written review; `carried_from` the objective of an
    earlier cycle it continues."""

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
    retrospective: str = ""
    carried_from: str | None = None
    parent_key_result: int | None = None
    key_results: tuple[KeyResultSpec, ...] = ()
    location: Location = NOWHERE

    @classmethod
    def of(cls, o: Objective, cycle: Cycle, **more: Any) -> ObjectiveSpec:
        """An objective's definition, in its cycle, as goals write it; `more` gives the
        other fields, e.g. its status and key results."""
        fields: dict[str, Any] = {
            "key": o.key, "title": o.title, "cycle": cycle, "team": o.team, "type": o.type,
            "description": o.description, "owner": o.owner,
            "parent": None if o.parent is None else o.parent.objective,
            "north_star": o.north_star, "private": o.private,
        }  # fmt: skip
        return cls(**(fields | more))


@dataclass(frozen=True)
class Goals:
    """Everything in a set of goals files, references already checked. `cycles` are
    the cycles with their states (a file may leave them out: its objectives' cycles are
    then known by name and span only)."""

    teams: tuple[TeamSpec, ...] = ()
    kpis: tuple[KpiSpec, ...] = ()
    objectives: tuple[ObjectiveSpec, ...] = field(default=())
    cycles: tuple[CycleSpec, ...] = ()
