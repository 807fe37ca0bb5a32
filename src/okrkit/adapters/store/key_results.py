"""Key results in the store: rows to domain objects and back.

A key result is named by its id; its objective and KPI are row ids in its row and keys
in the domain.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, or_, select

from okrkit.adapters.store.tables import (
    KEY_RESULT_SKIPPED,
    cycles,
    declared_reader,
    declared_values,
    key_results,
    kpis,
    objectives,
    teams,
)
from okrkit.adapters.store.versions import created, update_versioned
from okrkit.domain.errors import NotFound
from okrkit.domain.key_results import KeyResultDefinition, StoredKeyResult
from okrkit.domain.versions import Revision

__all__ = ["KeyResultRepository", "key_result_from_row"]

_READ = declared_reader(KeyResultDefinition)
_WITH_KEYS = (
    select(key_results, objectives.c.key.label("objective_key"), kpis.c.key.label("kpi_key"))
    .join(objectives, objectives.c.id == key_results.c.objective_id)
    .outerjoin(kpis, kpis.c.id == key_results.c.kpi_id)
)


def key_result_from_row(row: Row[Any]) -> StoredKeyResult:
    """A `key_results` row joined with its objective's and KPI's keys, as a domain object."""
    return StoredKeyResult(
        id=row.id,
        objective=row.objective_key,
        definition=_READ(row, {"kpi": row.kpi_key}),
        revision=Revision(row.version, row.updated_at, row.updated_by),
        position=row.position,
        original_target=row.original_target,
        recalibration=row.recalibration,
        score=row.score,
        score_reason=row.score_reason,
        final_value=row.final_value,
    )


class KeyResultRepository:
    """Reads and writes key results on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def get(self, id: int) -> StoredKeyResult:
        row = self._c.execute(_WITH_KEYS.where(key_results.c.id == id)).one_or_none()
        if row is None:
            raise NotFound(f"no key result {id}")
        return key_result_from_row(row)

    def of(self, objectives_: Collection[str]) -> dict[str, list[StoredKeyResult]]:
        found: dict[str, list[StoredKeyResult]] = {key: [] for key in objectives_}
        if not found:
            return found
        query = _WITH_KEYS.where(objectives.c.key.in_(list(found))).order_by(
            key_results.c.objective_id, key_results.c.position, key_results.c.id
        )
        for row in self._c.execute(query).all():
            found[row.objective_key].append(key_result_from_row(row))
        return found

    def _in_cycles(self, cycles_: Collection[str]) -> Any:
        return objectives.c.cycle_id.in_(
            select(cycles.c.id).where(cycles.c.key.in_(list(cycles_)))
        ) & objectives.c.archived.is_(False)

    def owners(self, cycles_: Collection[str], seen_by: Collection[str] | None = None) -> list[str]:
        query = (
            select(key_results.c.owner)
            .distinct()
            .join(objectives, objectives.c.id == key_results.c.objective_id)
            .where(self._in_cycles(cycles_), key_results.c.owner.is_not(None))
            .order_by(key_results.c.owner)
        )
        if seen_by is not None:
            mine = select(teams.c.id).where(teams.c.key.in_(sorted(seen_by)))
            query = query.where(
                or_(objectives.c.private.is_(False), objectives.c.team_id.in_(mine))
            )
        return list(self._c.execute(query).scalars())

    def owned_by(self, owner: str, cycles_: Collection[str]) -> list[StoredKeyResult]:
        query = _WITH_KEYS.where(key_results.c.owner == owner, self._in_cycles(cycles_)).order_by(
            objectives.c.key, key_results.c.position, key_results.c.id
        )
        return [key_result_from_row(row) for row in self._c.execute(query).all()]

    def feeding(self, kpi: str) -> list[StoredKeyResult]:
        query = _WITH_KEYS.where(kpis.c.key == kpi).order_by(key_results.c.id.desc())
        return [key_result_from_row(row) for row in self._c.execute(query).all()]

    def _kpi_id(self, definition: KeyResultDefinition) -> int | None:
        if definition.kpi is None:
            return None
        found = self._c.execute(select(kpis.c.id).where(kpis.c.key == definition.kpi)).first()
        if found is None:
            raise NotFound(f"no KPI {definition.kpi!r}")
        return int(found.id)

    def add(
        self, objective: str, definition: KeyResultDefinition, actor: str, now: datetime
    ) -> StoredKeyResult:
        owner = self._c.execute(
            select(objectives.c.id).where(objectives.c.key == objective)
        ).first()
        if owner is None:
            raise NotFound(f"no objective {objective!r}")
        position = self._c.execute(
            select(func.coalesce(func.max(key_results.c.position), 0)).where(
                key_results.c.objective_id == owner.id
            )
        ).scalar_one()
        inserted = self._c.execute(
            key_results.insert()
            .values(
                objective_id=owner.id,
                position=int(position) + 1,
                **declared_values(definition, skip=KEY_RESULT_SKIPPED),
                kpi_id=self._kpi_id(definition),
                recalibration="",
                score_reason="",
                **created(actor, now),
            )
            .returning(key_results.c.id)
        ).scalar_one()
        return self.get(int(inserted))

    def update(
        self, id: int, expected_version: int, new: StoredKeyResult, actor: str, now: datetime
    ) -> StoredKeyResult:
        changes = {
            **declared_values(new.definition, skip=KEY_RESULT_SKIPPED),
            "kpi_id": self._kpi_id(new.definition),
            "original_target": new.original_target,
            "recalibration": new.recalibration,
            "score": new.score,
            "score_reason": new.score_reason,
            "final_value": new.final_value,
        }
        if not update_versioned(self._c, key_results, id, expected_version, changes, actor, now):
            raise self.get(id).revision.conflict(f"key result {id}", expected_version)
        return self.get(id)
