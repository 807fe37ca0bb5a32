"""KPI values in the store: the bulk upsert and the reads a dashboard needs.

Writes go through each database's fast path — executemany of one prepared INSERT … ON
CONFLICT on SQLite, COPY on PostgreSQL — never one ORM object per row. Re-importing the
same rows updates them in place, so every import is idempotent.

On PostgreSQL a batch is first copied straight into the table, inside a savepoint: when
none of its rows exists yet (a first import, new days appended), that is the fastest
write there is. The first batch that hits a stored row is rolled back to the savepoint
and merged instead — COPY into a temporary table, then one INSERT … SELECT … ON
CONFLICT — and so is every later batch of the same unit of work, since a file that
overlaps the store once usually overlaps it throughout.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, overload

import numpy as np
import numpy.typing as npt
from sqlalchemy import (
    Connection,
    CursorResult,
    TextClause,
    bindparam,
    func,
    select,
    text,
    union_all,
)

from okrkit.adapters.store.kpis import KpiIds
from okrkit.adapters.store.moments import moment, seconds, seconds_of
from okrkit.adapters.store.tables import kpi_values, kpis
from okrkit.domain.errors import NotFound
from okrkit.domain.values import Series
from okrkit.services.ports import SegmentLatest, ValueBatch

__all__ = ["ValueRepository"]

# A value that is already stored is replaced only when it differs, so re-importing a
# file changes nothing (and keeps the write that set each value); a replaced value is
# kept in `value_history` by the table's trigger (migration 0006).
_SQLITE_UPSERT = (
    "INSERT INTO kpi_values (kpi_id, segment, ts, value, import_id) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (kpi_id, segment, ts) DO UPDATE SET value = excluded.value, "
    "import_id = excluded.import_id WHERE kpi_values.value IS NOT excluded.value"
)
_PG_STAGE = (
    "CREATE TEMPORARY TABLE IF NOT EXISTS kpi_values_load "
    "(kpi_id integer, segment text, ts bigint, value double precision, import_id integer) "
    "ON COMMIT DROP"
)
_PG_MERGE = (
    "INSERT INTO kpi_values (kpi_id, segment, ts, value, import_id) "
    "SELECT kpi_id, segment, ts, value, import_id FROM kpi_values_load "
    "ON CONFLICT (kpi_id, segment, ts) DO UPDATE SET value = EXCLUDED.value, "
    "import_id = EXCLUDED.import_id WHERE kpi_values.value IS DISTINCT FROM EXCLUDED.value"
)

Row = tuple[int, str, int, float, int | None]


class ValueRepository:
    """Reads and writes KPI values on one connection; KPIs are named by key and their
    ids come from the unit of work's `KpiIds`."""

    def __init__(self, connection: Connection, ids: KpiIds) -> None:
        self._c = connection
        self._ids = ids
        self._copy_straight = True  # until a batch meets a stored row (PostgreSQL)

    def upsert(self, batch: ValueBatch, written_by: int | None = None) -> int:
        """Insert or update a batch of rows, each set by the write `written_by` (a
        `value_imports` id); returns how many were written (a row equal to the stored
        value is left as it is and not counted)."""
        if not len(batch):
            return 0
        ids = self._ids.of(batch.kpis)
        if len(ids) < len(batch.kpis):
            raise NotFound(f"no KPI {sorted(set(batch.kpis) - ids.keys())[0]!r}")
        rows = _Rows(
            np.array([ids[key] for key in batch.kpis], dtype=np.int64)[batch.kpi].tolist(),
            batch.segment,
            seconds_of(batch.timestamps).tolist(),
            np.asarray(batch.value, dtype=np.float64).tolist(),
            written_by,
        )
        raw: Any = self._c.connection.dbapi_connection
        if self._c.dialect.name == "postgresql":
            from psycopg.errors import UniqueViolation

            with raw.cursor() as cursor:
                if self._copy_straight:
                    cursor.execute("SAVEPOINT kpi_values_copy")
                    try:
                        _pg_copy(cursor, "kpi_values", rows)
                    except UniqueViolation:
                        cursor.execute("ROLLBACK TO SAVEPOINT kpi_values_copy")
                        self._copy_straight = False
                    else:
                        cursor.execute("RELEASE SAVEPOINT kpi_values_copy")
                        return len(rows)
                cursor.execute(_PG_STAGE)
                cursor.execute("TRUNCATE kpi_values_load")
                _pg_copy(cursor, "kpi_values_load", rows)
                cursor.execute(_PG_MERGE)
                return int(cursor.rowcount)
        cursor = raw.cursor()
        cursor.executemany(_SQLITE_UPSERT, rows)
        written = int(cursor.rowcount)
        cursor.close()
        return written

    def stored(self, batch: ValueBatch) -> npt.NDArray[np.float64]:
        """The values stored at the batch's rows (same KPI, segment and second), NaN
        where there is none: one range query per KPI and segment of the batch."""
        out = np.full(len(batch), np.nan)
        ids = self._ids.of(batch.kpis)
        seconds_in = seconds_of(batch.timestamps)
        groups: dict[tuple[int, str], list[int]] = {}
        for row, (position, segment) in enumerate(
            zip(batch.kpi.tolist(), batch.segment, strict=True)
        ):
            groups.setdefault((position, segment), []).append(row)
        for (position, segment), rows in groups.items():
            kpi_id = ids.get(batch.kpis[position])
            if kpi_id is None:
                continue
            at = seconds_in[rows]
            found = self._c.execute(
                select(kpi_values.c.ts, kpi_values.c.value).where(
                    kpi_values.c.kpi_id == kpi_id,
                    kpi_values.c.segment == segment,
                    kpi_values.c.ts.between(int(at.min()), int(at.max())),
                )
            ).all()
            if not found:
                continue
            stamps = np.array([r[0] for r in found], dtype=np.int64)
            values = np.array([r[1] for r in found], dtype=np.float64)
            order = np.argsort(stamps)
            stamps, values = stamps[order], values[order]
            place = np.clip(np.searchsorted(stamps, at), 0, len(stamps) - 1)
            hit = stamps[place] == at
            out[np.asarray(rows)[hit]] = values[place[hit]]
        return out

    def series(self, kpi: str, segment: str = "", since: datetime | None = None) -> Series:
        """One KPI's values for one segment (the total by default), oldest first."""
        kpi_id = self._ids.one(kpi)
        if kpi_id is None:
            return _series([])
        query = select(kpi_values.c.ts, kpi_values.c.value).where(
            kpi_values.c.kpi_id == kpi_id, kpi_values.c.segment == segment
        )
        if since is not None:
            query = query.where(kpi_values.c.ts >= seconds(since))
        return _series(_tuples(self._c.execute(query.order_by(kpi_values.c.ts))))

    def windows(self, spans: Mapping[str, timedelta]) -> dict[str, Series]:
        """The total series of many KPIs, each over the last `span` before (and
        including) its own newest value; a KPI without values gets an empty series.

        One statement for up to `_PARTS` KPIs and no round trip for the newest times:
        per KPI a range seek in the primary key from a subquery's newest time (a seek to
        the end of the KPI's total). Plain SQL text, the same on both databases, built
        once per number of KPIs.
        """
        ids = self._ids.of(spans)
        rows: list[tuple[Any, ...]] = []
        items = sorted((ids[key], span) for key, span in spans.items() if key in ids)
        for first in range(0, len(items), _PARTS):
            chunk = items[first : first + _PARTS]
            params: dict[str, int] = {}
            for i, (kpi_id, span) in enumerate(chunk):
                params[f"k{i}"], params[f"s{i}"] = kpi_id, int(span.total_seconds())
            rows.extend(_tuples(self._c.execute(_windows_sql(len(chunk)), params)))
        return _by_kpi(rows, spans, ids)

    def totals_between(
        self, ranges: Mapping[str, tuple[datetime, datetime | None]]
    ) -> dict[str, Series]:
        """The total series of many KPIs, each between its own start and end moments
        (both included; no end: up to the newest value).

        One query for up to `_PARTS` KPIs: a UNION ALL of one range seek per KPI in the
        primary key (kpi_id, segment, ts), which both databases answer without reading
        a value outside the ranges.
        """
        ids = self._ids.of(ranges)
        chunks: list[tuple[Any, ...]] = []
        items = sorted((ids[key], span) for key, span in ranges.items() if key in ids)
        for first in range(0, len(items), _PARTS):
            parts = []
            for kpi_id, (start, end) in items[first : first + _PARTS]:
                part = select(kpi_values.c.kpi_id, kpi_values.c.ts, kpi_values.c.value).where(
                    kpi_values.c.kpi_id == kpi_id,
                    kpi_values.c.segment == "",
                    kpi_values.c.ts >= seconds(start),
                )
                if end is not None:
                    part = part.where(kpi_values.c.ts <= seconds(end))
                parts.append(part)
            chunks.extend(_tuples(self._c.execute(union_all(*parts))))
        return _by_kpi(chunks, ranges, ids)

    def latest(self, kpis: Iterable[str]) -> dict[str, tuple[datetime, float]]:
        """The newest (moment, value) of each KPI's total, in one query; per KPI a
        subquery that reads the last entry of the primary key (kpi_id, segment, ts)
        instead of aggregating every value."""
        ids = self._ids.of(kpis)
        if not ids:
            return {}
        keys = {kpi_id: key for key, kpi_id in ids.items()}
        rows = self._c.execute(_LATEST, {"ids": list(keys)})
        return {
            keys[int(kpi_id)]: (moment(int(ts)), float(value))
            for kpi_id, ts, value in rows
            if ts is not None
        }

    def segments(self, kpi: str) -> list[str]:
        """The named segments a KPI has values for."""
        kpi_id = self._ids.one(kpi)
        if kpi_id is None:
            return []
        rows = self._c.execute(
            select(kpi_values.c.segment)
            .where(kpi_values.c.kpi_id == kpi_id, kpi_values.c.segment != "")
            .distinct()
            .order_by(kpi_values.c.segment)
        )
        return [row[0] for row in rows]

    def segments_newest(self, kpis: Iterable[str]) -> dict[str, dict[str, datetime]]:
        """Each KPI's named segments' newest moments, by KPI and segment. One query per
        `_PARTS` KPIs: a range seek past the total (segment > '') in the primary key
        (kpi_id, segment, ts) of each, so a KPI without segments costs one seek."""
        ids = self._ids.of(kpis)
        keys = {kpi_id: key for key, kpi_id in ids.items()}
        found: dict[str, dict[str, datetime]] = {}
        listed = sorted(keys)
        for first in range(0, len(listed), _PARTS):
            rows = self._c.execute(_SEGMENTS_NEWEST, {"ids": listed[first : first + _PARTS]})
            for kpi_id, segment, ts in rows:
                found.setdefault(keys[int(kpi_id)], {})[segment] = moment(int(ts))
        return found

    def page(
        self, kpi: str, segment: str, offset: int, limit: int
    ) -> tuple[list[tuple[datetime, float]], int]:
        """A page of one series, newest first, and the series' total count."""
        kpi_id = self._ids.one(kpi)
        if kpi_id is None:
            return [], 0
        series = {"kpi_id": kpi_id, "segment": segment}
        total = self._c.execute(_COUNT, series).scalar_one()
        rows = self._c.execute(_PAGE, {**series, "offset": offset, "limit": limit}).all()
        return [(moment(int(ts)), float(v)) for ts, v in rows], int(total)

    def segments_latest(self, kpi: str) -> list[SegmentLatest]:
        """Each named segment's newest value and the value before it (None for a segment
        with a single value), by segment; the total is left out.

        One query however many segments: each segment's values are numbered newest
        first (ROW_NUMBER over the segment) and only the first two are read, instead of
        one query per segment.
        """
        kpi_id = self._ids.one(kpi)
        if kpi_id is None:
            return []
        rows = self._c.execute(_SEGMENTS_LATEST, {"kpi_id": kpi_id})
        heads: dict[str, SegmentLatest] = {}
        for segment, ts, value in rows:
            if segment in heads:
                heads[segment] = replace(heads[segment], previous=float(value))
            else:
                heads[segment] = SegmentLatest(segment, float(value), moment(int(ts)), None)
        return list(heads.values())


class _Rows(Sequence[Row]):
    """A batch as the tables' rows, (kpi_id, segment, ts, value, import_id), made as they
    are read: the store walks them once (executemany, COPY), so zipping the columns on
    the way spares a list of 100,000 tuples per batch."""

    def __init__(
        self,
        kpi_id: list[int],
        segment: Sequence[str],
        ts: list[int],
        value: list[float],
        written_by: int | None,
    ) -> None:
        self._columns = (kpi_id, segment, ts, value)
        self._by = written_by

    def __len__(self) -> int:
        return len(self._columns[2])

    @overload
    def __getitem__(self, index: int) -> Row: ...
    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...
    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        if isinstance(index, slice):
            return list(self)[index]
        kpi_id, segment, ts, value = self._columns
        return (kpi_id[index], segment[index], ts[index], value[index], self._by)

    def __iter__(self) -> Iterator[Row]:
        return zip(*self._columns, itertools.repeat(self._by), strict=False)


# The statements of the pages' reads, built once: building a statement costs SQLAlchemy
# more than SQLite takes to answer it (0.6 ms against 0.07 for the segments query).


def _latest() -> Any:
    last = kpi_values.alias("last")

    def newest(column: Any) -> Any:
        # A seek to the end of the KPI's total in the primary key (kpi_id, segment, ts).
        return (
            select(column)
            .where(last.c.kpi_id == kpis.c.id, last.c.segment == "")
            .order_by(last.c.ts.desc())
            .limit(1)
            .correlate(kpis)
            .scalar_subquery()
        )

    return select(kpis.c.id, newest(last.c.ts), newest(last.c.value)).where(
        kpis.c.id.in_(bindparam("ids", expanding=True))
    )


def _segments_latest() -> Any:
    recency = (
        func.row_number()
        .over(partition_by=kpi_values.c.segment, order_by=kpi_values.c.ts.desc())
        .label("recency")
    )
    newest = (
        select(kpi_values.c.segment, kpi_values.c.ts, kpi_values.c.value, recency)
        # `> ''` rather than `!= ''`: a range of the primary key after the KPI's total,
        # which the databases seek to instead of reading the total's values.
        .where(kpi_values.c.kpi_id == bindparam("kpi_id"), kpi_values.c.segment > "")
        .subquery("newest")
    )
    return (
        select(newest.c.segment, newest.c.ts, newest.c.value)
        .where(newest.c.recency <= 2)
        .order_by(newest.c.segment, newest.c.recency)
    )


_LATEST = _latest()
_SEGMENTS_LATEST = _segments_latest()
_SEGMENTS_NEWEST = (
    select(kpi_values.c.kpi_id, kpi_values.c.segment, func.max(kpi_values.c.ts))
    .where(kpi_values.c.kpi_id.in_(bindparam("ids", expanding=True)), kpi_values.c.segment > "")
    .group_by(kpi_values.c.kpi_id, kpi_values.c.segment)
)
_ONE_SERIES = (
    kpi_values.c.kpi_id == bindparam("kpi_id"),
    kpi_values.c.segment == bindparam("segment"),
)
_COUNT = select(func.count()).select_from(kpi_values).where(*_ONE_SERIES)
_PAGE = (
    select(kpi_values.c.ts, kpi_values.c.value)
    .where(*_ONE_SERIES)
    .order_by(kpi_values.c.ts.desc())
    .offset(bindparam("offset"))
    .limit(bindparam("limit"))
)

# KPIs per UNION ALL of range seeks: SQLite allows at most 500 terms in one compound
# SELECT; a team's dashboard stays within one query.
_PARTS = 400


@functools.cache
def _windows_sql(parts: int) -> TextClause:
    """`windows`' statement for `parts` KPIs: parameters k0, s0, k1, s1, …"""
    return text(
        " UNION ALL ".join(
            f"SELECT kpi_id, ts, value FROM kpi_values WHERE kpi_id = :k{i} AND segment = '' "
            f"AND ts >= (SELECT max(ts) FROM kpi_values WHERE kpi_id = :k{i} AND segment = '')"
            f" - :s{i}"
            for i in range(parts)
        )
    )


def _by_kpi(
    rows: Sequence[tuple[Any, ...]], keys: Iterable[str], ids: Mapping[str, int]
) -> dict[str, Series]:
    """(kpi_id, ts, value) rows in any order as one series per KPI key, oldest first;
    the KPIs of `keys` without a row get an empty series."""
    out = {key: _series([]) for key in keys}
    key_of = {kpi_id: key for key, kpi_id in ids.items()}
    if rows:
        kpi_ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        ts = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
        values = np.fromiter((r[2] for r in rows), dtype=np.float64, count=len(rows))
        # UNION ALL promises no order: sort by KPI, then time.
        order = np.lexsort((ts, kpi_ids))
        kpi_ids, ts, values = kpi_ids[order], ts[order], values[order]
        starts = np.concatenate(([0], np.flatnonzero(np.diff(kpi_ids)) + 1, [kpi_ids.size]))
        for a, b in zip(starts[:-1].tolist(), starts[1:].tolist(), strict=True):
            out[key_of[int(kpi_ids[a])]] = Series(ts[a:b].astype("datetime64[s]"), values[a:b])
    return out


def _pg_copy(cursor: Any, table: str, rows: Sequence[Row]) -> None:
    """Binary COPY of (kpi_id, segment, ts, value, import_id) rows into a table."""
    with cursor.copy(
        f"COPY {table} (kpi_id, segment, ts, value, import_id) FROM STDIN (FORMAT BINARY)"
    ) as copy:
        copy.set_types(["int4", "text", "int8", "float8", "int4"])
        for row in rows:
            copy.write_row(row)


def _tuples(result: CursorResult[Any]) -> list[tuple[Any, ...]]:
    """Every row of a result as the driver's plain tuples: a window of thousands of
    values needs no Row objects on its way into NumPy arrays."""
    with result:
        return list(result.cursor.fetchall())


def _series(rows: Sequence[Any]) -> Series:
    ts = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    values = np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))
    return Series(ts.astype("datetime64[s]"), values)
