"""Cycles in the API: a new cycle (a quarter by its name, or a name with its dates), a
cycle with its state and version, the list with the current one, and what closing a
cycle scored. The rules (what a cycle's name is, a quarter's dates, an end after the
start, planning → active → closed) are the domain's, which name the field they refuse.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from okrkit.domain.cycles import CYCLE_NAME_RULE, CycleState, StoredCycle
from okrkit.interfaces.web.schemas.check_ins import TextIn
from okrkit.interfaces.web.schemas.common import revision_fields
from okrkit.interfaces.web.schemas.objectives import ObjectiveOut
from okrkit.services.cycles import Closed, CreateCycle, CycleList

__all__ = ["ClosedOut", "CycleCreate", "CycleListOut", "CycleOut"]


class CycleCreate(TextIn):
    """A new cycle: a calendar quarter by its name alone, or any name with its dates."""

    name: str = Field(description=f"Its name and address: {CYCLE_NAME_RULE}.")
    start: date | None = Field(
        default=None, description="Its first day (YYYY-MM-DD); a quarter's is implied."
    )
    end: date | None = Field(
        default=None, description="Its last day (YYYY-MM-DD); a quarter's is implied."
    )
    state: CycleState = Field(
        default=CycleState.PLANNING,
        description="planning (the default), active, or closed to record a past cycle.",
    )

    def to_command(self) -> CreateCycle:
        return CreateCycle(self.name, self.start, self.end, self.state)


class CycleOut(BaseModel):
    """A cycle: its span, its state, its version."""

    name: str
    start: date
    end: date
    state: CycleState = Field(description="planning → active → closed.")
    version: int = Field(description="Bumped by every change; send it back with a change.")
    changed_at: datetime
    changed_by: str

    @classmethod
    def from_stored(cls, stored: StoredCycle) -> CycleOut:
        return cls(
            name=stored.cycle.name,
            start=stored.cycle.start,
            end=stored.cycle.end,
            state=stored.state,
            **revision_fields(stored.revision),
        )


class CycleListOut(BaseModel):
    """Every cycle, the latest to start first, and which one is current."""

    current: str | None = Field(
        description="The cycle today falls in (an active one first), else the next to "
        "start, else the last to end; null without cycles."
    )
    items: list[CycleOut]

    @classmethod
    def from_list(cls, listed: CycleList) -> CycleListOut:
        return cls(
            current=None if listed.current is None else listed.current.cycle.name,
            items=[CycleOut.from_stored(c) for c in listed.cycles],
        )


class ClosedOut(CycleOut):
    """A closed cycle and the objectives its closing scored (each active one, with the
    scores its key results' progress proposes); drafts stay drafts."""

    scored: list[ObjectiveOut]

    @classmethod
    def from_closed(cls, closed: Closed) -> ClosedOut:
        return cls(
            **CycleOut.from_stored(closed.cycle).model_dump(),
            scored=[ObjectiveOut.from_stored(o) for o in closed.scored],
        )
