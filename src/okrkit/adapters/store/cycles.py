"""OKR cycles in the store: rows to domain objects and back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, select

from okrkit.adapters.store.tables import cycles
from okrkit.adapters.store.versions import created, update_versioned
from okrkit.domain.cycles import Cycle, CycleState, StoredCycle
from okrkit.domain.errors import NotFound
from okrkit.domain.versions import Revision

__all__ = ["CycleRepository", "cycle_from_row"]


def cycle_from_row(row: Row[Any]) -> StoredCycle:
    """A `cycles` row as a domain object."""
    return StoredCycle(
        cycle=Cycle(row.key, row.starts_on, row.ends_on),
        state=CycleState(row.state),
        revision=Revision(row.version, row.updated_at, row.updated_by),
    )


class CycleRepository:
    """Reads and writes cycles on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def get(self, name: str) -> StoredCycle:
        row = self._c.execute(select(cycles).where(cycles.c.key == name)).one_or_none()
        if row is None:
            raise NotFound(f"no cycle {name!r}")
        return cycle_from_row(row)

    def list(self) -> list[StoredCycle]:
        query = select(cycles).order_by(cycles.c.starts_on.desc(), cycles.c.key)
        return [cycle_from_row(row) for row in self._c.execute(query).all()]

    def add(self, cycle: Cycle, state: CycleState, actor: str, now: datetime) -> StoredCycle:
        self._c.execute(
            cycles.insert().values(
                key=cycle.name,
                starts_on=cycle.start,
                ends_on=cycle.end,
                state=state.value,
                **created(actor, now),
            )
        )
        return self.get(cycle.name)

    def update(
        self, name: str, expected_version: int, new: StoredCycle, actor: str, now: datetime
    ) -> StoredCycle:
        changes = {"starts_on": new.cycle.start, "ends_on": new.cycle.end, "state": new.state.value}
        if not update_versioned(self._c, cycles, name, expected_version, changes, actor, now):
            raise self.get(name).revision.conflict(f"cycle {name}", expected_version)
        return self.get(name)
