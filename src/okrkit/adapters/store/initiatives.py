"""Initiatives in the store: rows to domain objects and back."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, select

from okrkit.adapters.store.tables import initiatives, key_results
from okrkit.adapters.store.versions import created, update_versioned
from okrkit.domain.errors import NotFound
from okrkit.domain.initiatives import Initiative, InitiativeStatus, StoredInitiative
from okrkit.domain.versions import Revision

__all__ = ["InitiativeRepository"]


def _from_row(row: Row[Any]) -> StoredInitiative:
    return StoredInitiative(
        id=row.id,
        key_result=row.key_result_id,
        initiative=Initiative(row.title, InitiativeStatus(row.status), row.url),
        revision=Revision(row.version, row.updated_at, row.updated_by),
    )


class InitiativeRepository:
    """Reads and writes initiatives on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def get(self, id: int) -> StoredInitiative:
        row = self._c.execute(select(initiatives).where(initiatives.c.id == id)).one_or_none()
        if row is None:
            raise NotFound(f"no initiative {id}")
        return _from_row(row)

    def of(self, key_results_: Collection[int]) -> dict[int, list[StoredInitiative]]:
        found: dict[int, list[StoredInitiative]] = {id: [] for id in key_results_}
        if not found:
            return found
        query = (
            select(initiatives)
            .where(initiatives.c.key_result_id.in_(list(found)))
            .order_by(initiatives.c.key_result_id, initiatives.c.id)
        )
        for row in self._c.execute(query):
            found[row.key_result_id].append(_from_row(row))
        return found

    def add(
        self, key_result: int, initiative: Initiative, actor: str, now: datetime
    ) -> StoredInitiative:
        exists = self._c.execute(select(key_results.c.id).where(key_results.c.id == key_result))
        if exists.first() is None:
            raise NotFound(f"no key result {key_result}")
        inserted = self._c.execute(
            initiatives.insert()
            .values(
                key_result_id=key_result,
                title=initiative.title,
                status=initiative.status.value,
                url=initiative.url,
                **created(actor, now),
            )
            .returning(initiatives.c.id)
        ).scalar_one()
        return self.get(int(inserted))

    def update(
        self, id: int, expected_version: int, new: Initiative, actor: str, now: datetime
    ) -> StoredInitiative:
        changes = {"title": new.title, "status": new.status.value, "url": new.url}
        if not update_versioned(self._c, initiatives, id, expected_version, changes, actor, now):
            raise self.get(id).revision.conflict(f"initiative {id}", expected_version)
        return self.get(id)
