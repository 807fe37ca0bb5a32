"""Check-ins in the store: appended, never updated."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
from sqlalchemy import Connection, select

from okrkit.adapters.store.moments import moment, seconds
from okrkit.adapters.store.tables import check_ins
from okrkit.domain.check_ins import NO_CHECK_IN, CheckIn, CheckInTrail
from okrkit.domain.values import Series

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
        for key_result, at, value, confidence, note, author in self._c.execute(query).all():
            found[key_result].append(CheckIn(moment(at), value, confidence, note, author))
        return found

    def trails(self, key_results: Collection[int]) -> dict[int, CheckInTrail]:
        found: dict[int, CheckInTrail] = dict.fromkeys(key_results, NO_CHECK_IN)
        if not found:
            return found
        c = check_ins.c
        rows = self._c.execute(
            select(c.key_result_id, c.at, c.value, c.confidence, c.id)
            .where(c.key_result_id.in_(list(found)))
            .order_by(c.key_result_id, c.at, c.id)
        ).all()
        if not rows:
            return found
        owners, moments, values, confidences, ids = zip(*rows, strict=True)
        at = np.array(moments, dtype=np.int64).astype("datetime64[s]")
        value = np.array(values, dtype=np.float64)
        ends = [i + 1 for i in range(len(owners) - 1) if owners[i] != owners[i + 1]]
        spans = list(zip([0, *ends], [*ends, len(owners)], strict=True))
        newest = self._by_id([ids[end - 1] for _, end in spans])
        for start, end in spans:
            given = tuple(x for x in confidences[start:end] if x is not None)
            series = Series(at[start:end], value[start:end])
            found[owners[start]] = CheckInTrail(series, given, newest[ids[end - 1]])
        return found

    def _by_id(self, ids: Collection[int]) -> dict[int, CheckIn]:
        c = check_ins.c
        query = select(c.id, c.at, c.value, c.confidence, c.note, c.author).where(
            c.id.in_(list(ids))
        )
        return {
            id: CheckIn(moment(at), value, confidence, note, author)
            for id, at, value, confidence, note, author in self._c.execute(query).all()
        }
