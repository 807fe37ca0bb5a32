"""The kept tiles of the health read model (`services.tiles`), one JSON document per KPI
in `kpi_health`.

How a tile is written down is the store's business: a document of layout `FORMAT`
holds the tile's numbers and the versions it was judged on. A document of another
layout reads as missing (it is judged anew), so a release that changes the layout
never shows a tile kept by the previous one.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, delete, select, text

from okrkit.adapters.store.kpis import KpiIds
from okrkit.adapters.store.moments import moment, seconds
from okrkit.adapters.store.tables import kpi_health
from okrkit.domain.quality import Issue, IssueKind, Quality
from okrkit.domain.trend import Trend
from okrkit.services.ports import KeptTile

__all__ = ["FORMAT", "TileRepository", "decode", "encode"]

# The layout of a kept document; change it whenever what a document holds changes —
# its numbers or the words it keeps (2: the headline says a signal by its dates; 3: the
# window's data quality).
FORMAT = 3
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


def _number(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else value


def encode(tile: KeptTile) -> str:
    """A tile as its JSON document (NaN and infinities as null)."""
    trend = tile.trend
    return json.dumps(
        {
            "basis": [tile.version, tile.values_version],
            "latest_time": seconds(tile.latest_time),
            "latest_value": tile.latest_value,
            "trend": [
                _number(trend.latest),
                _number(trend.previous),
                _number(trend.change),
                _number(trend.relative_change),
                _number(trend.slope_per_period),
            ],
            "verdict": tile.verdict,
            "headline": tile.headline,
            "spark": [_number(v) for v in tile.spark],
            "quality": [
                [issue.kind.value, issue.message, list(issue.indices), issue.segment]
                for issue in tile.quality.issues
            ],
        },
        allow_nan=False,
        separators=(",", ":"),
    )


def decode(document: str | bytes) -> KeptTile:
    """A kept document as its tile (a sparkline's null is a period without values)."""
    data: dict[str, Any] = orjson.loads(document)
    version, values_version = data["basis"]
    return KeptTile(
        version=int(version),
        values_version=int(values_version),
        latest_time=moment(int(data["latest_time"])),
        latest_value=float(data["latest_value"]),
        trend=Trend(*data["trend"]),
        verdict=str(data["verdict"]),
        headline=str(data["headline"]),
        spark=tuple(math.nan if v is None else float(v) for v in data["spark"]),
        quality=Quality(
            tuple(
                Issue(IssueKind(kind), str(message), tuple(int(i) for i in indices), segment)
                for kind, message, indices, segment in data["quality"]
            )
        ),
    )


class TileRepository:
    """Reads and writes `kpi_health` inside the unit of work's transaction."""

    def __init__(self, connection: Connection, ids: KpiIds) -> None:
        self._c = connection
        self._ids = ids

    def get(self, kpis: Iterable[str]) -> dict[str, KeptTile]:
        """The tiles of those KPIs that have one of this layout, in one query."""
        ids = self._ids.of(kpis)
        keys = {kpi_id: key for key, kpi_id in ids.items()}
        wanted = list(keys)
        found: dict[str, KeptTile] = {}
        for first in range(0, len(wanted), _CHUNK):
            rows = self._c.execute(_GET, {"ids": wanted[first : first + _CHUNK], "format": FORMAT})
            found.update((keys[int(kpi_id)], decode(payload)) for kpi_id, payload in rows)
        return found

    def put(self, tiles: Mapping[str, KeptTile]) -> None:
        """Keep (or replace) those KPIs' tiles: an upsert, so two writers of the same
        KPI's tile never collide (the readers check what it was judged on)."""
        ids = self._ids.of(tiles)
        if ids:
            self._c.execute(
                _UPSERT,
                [
                    {"kpi_id": ids[key], "format": FORMAT, "payload": encode(tile)}
                    for key, tile in tiles.items()
                    if key in ids
                ],
            )

    def forget(self, kpis: Iterable[str]) -> None:
        """Drop the tiles of those KPIs (their values or definition changed)."""
        ids = sorted(self._ids.of(kpis).values())
        for first in range(0, len(ids), _CHUNK):
            self._c.execute(
                delete(kpi_health).where(kpi_health.c.kpi_id.in_(ids[first : first + _CHUNK]))
            )
