"""Check-ins in the store: appended, never updated."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Connection, select

from okrkit.adapters.store.moments import moment, seconds
from okrkit.adapters.store.tables import check_ins
from okrkit.domain.check_ins import CheckIn

__all__ = ["CheckInRepository"]


class CheckInRepository:
    """Appends and reads check-ins on one connection."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def append(self, key_result: int, check_in: CheckIn) -> None:
        self._c.execute(
            check_ins.insert().values(
                key_result_id=key_result,
                at=seconds(check_in.at),
                value=check_in.value,
                confidence=check_in.confidence,
                note=check_in.note,
                author=check_in.author,
            )
        )

    def of(self, key_results: Collection[int]) -> dict[int, list[CheckIn]]:
        found: dict[int, list[CheckIn]] = {id: [] for id in key_results}
        if not found:
            return found
        c = check_ins.c
        query = (
            select(c.key_result_id, c.at, c.value, c.confidence, c.note, c.author)
            .where(c.key_result_id.in_(list(found)))
            .order_by(c.key_result_id, c.at, c.id)
        )
        for key_result, at, value, confidence, note, author in self._c.execute(query):
            found[key_result].append(CheckIn(moment(at), value, confidence, note, author))
        return found
