"""The KPI health read model: each KPI's tile as last judged, as an opaque document.

The services decide what a document holds and its `format`; this only keeps one per
KPI. A document of another format reads as missing, so a new release never shows a tile
judged by the old one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Connection, bindparam, delete, select, text

from okrkit.adapters.store.tables import kpi_health

__all__ = ["TileRepository"]

# Ids per statement: well under both databases' limits on bound parameters.
_CHUNK = 5_000
# The same text on SQLite (3.24+) and PostgreSQL.
_UPSERT = text(
    "INSERT INTO kpi_health (kpi_id, format, payload) VALUES (:kpi_id, :format, :payload) "
    "ON CONFLICT (kpi_id) DO UPDATE SET format = excluded.format, payload = excluded.payload"
)

# Built once: every dashboard reads it.
_GET = select(kpi_health.c.kpi_id, kpi_health.c.payload).where(
    kpi_health.c.kpi_id.in_(bindparam("ids", expanding=True)),
    kpi_health.c.format == bindparam("format"),
)


class TileRepository:
    """Reads and writes `kpi_health` inside the unit of work's transaction."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def get(self, kpi_ids: Iterable[int], format: int) -> dict[int, str]:
        """The documents of those KPIs that have one of `format`, in one query."""
        ids = list(kpi_ids)
        found: dict[int, str] = {}
        for first in range(0, len(ids), _CHUNK):
            rows = self._c.execute(_GET, {"ids": ids[first : first + _CHUNK], "format": format})
            found.update((int(kpi_id), str(payload)) for kpi_id, payload in rows)
        return found

    def put(self, documents: Mapping[int, str], format: int) -> None:
        """Store (or replace) the documents of those KPIs: an upsert, so two writers of
        the same KPI's document never collide (the readers check what it was judged on)."""
        if documents:
            self._c.execute(
                _UPSERT,
                [
                    {"kpi_id": kpi_id, "format": format, "payload": payload}
                    for kpi_id, payload in documents.items()
                ],
            )

    def forget(self, kpi_ids: Iterable[int]) -> None:
        """Drop the documents of those KPIs (their values or definition changed)."""
        ids = list(kpi_ids)
        for first in range(0, len(ids), _CHUNK):
            self._c.execute(
                delete(kpi_health).where(kpi_health.c.kpi_id.in_(ids[first : first + _CHUNK]))
            )
