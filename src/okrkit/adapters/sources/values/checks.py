"""The checks of a staged KPI values file, in SQL over the whole file: the `rows` view
that parses every cell, the per-KPI summary, the join with the workspace's KPIs, and
the duplicates.

They run in DuckDB because every row is checked before a single value is written and a
file can hold millions of rows: a few scans, and no row held in Python (the rules are in
`files`). What they leave in DuckDB — the `rows` view and the `summary`, `known` and
`dup_groups` tables — is read by `report` (which rows failed, and why) and by `files`
(the valid rows, in batches).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from okrkit.adapters.sources.values.limits import MAX_SEGMENT
from okrkit.adapters.sources.values.sql import ident, literal
from okrkit.adapters.sources.values.staging import StagedFile
from okrkit.domain.errors import InvalidInput
from okrkit.domain.values import FIRST_YEAR, LAST_YEAR

__all__ = [
    "KEPT",
    "count_duplicates",
    "define_rows",
    "per_kpi",
    "rejected_count",
    "summarise",
    "summary_keys",
]

# ISO 8601 as people write it: a date, or a date and time (seconds and fraction
# optional) with an optional Z or ±hh[:mm] offset. DuckDB's own cast is more lenient
# ("epoch", "2026-1-5", zone names), so the shape is checked first, the calendar by
# the cast.
_ISO = (
    r"\d{4}-\d{2}-\d{2}"
    r"([T ]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?([Zz]|[+-]\d{2}(:?\d{2})?)?)?"
)
_NUMERIC = re.compile(
    r"^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT"
    r"|FLOAT|DOUBLE|REAL|DECIMAL.*)$"
)
_MOMENT = re.compile(r"^(DATE|TIMESTAMP.*)$")
# The seconds (UTC) of the years okrkit keeps (`domain.values.check_moment`): a row
# outside them is a bad timestamp, reported at its line.
KEPT = (
    f"sec BETWEEN epoch(TIMESTAMPTZ '{FIRST_YEAR}-01-01 00:00:00+00') "
    f"AND epoch(TIMESTAMPTZ '{LAST_YEAR}-12-31 23:59:59+00')"
)


def define_rows(staged: StagedFile, kpi_literal: str | None) -> None:
    """The `rows` view: one row per file row, each cell normalised and parsed.

    n is the 0-based row of the (staged) Parquet file, so a range of n reads only
    the row groups that hold it. `sec` is NULL when the timestamp does not parse,
    `value` when the value is not a number. `kpi_literal` is the KPI of a file
    without `kpi`.
    """
    name = staged.file.name
    types, columns = staged.types, staged.columns
    ts_type = types[columns["timestamp"]]
    value_type = types[columns["value"]]
    ts_in, value_in = ident(columns["timestamp"]), ident(columns["value"])
    if ts_type == "VARCHAR":
        ts_raw = ts_in
        moment = (
            f"CASE WHEN regexp_full_match(trim({ts_in}), {literal(_ISO)}) "
            f"THEN TRY_CAST(trim({ts_in}) AS TIMESTAMPTZ) END"
        )
    elif _MOMENT.match(ts_type):
        ts_raw, moment = f"CAST({ts_in} AS VARCHAR)", f"CAST({ts_in} AS TIMESTAMPTZ)"
    else:
        raise InvalidInput(
            f"has type {ts_type}: expected ISO 8601 dates or datetimes as text, or a DATE "
            "or TIMESTAMP column",
            source=name,
            field="timestamp",
        )
    if value_type == "VARCHAR":
        value_raw, value = value_in, f"TRY_CAST(trim({value_in}) AS DOUBLE)"
    elif _NUMERIC.match(value_type):
        value_raw, value = f"CAST({value_in} AS VARCHAR)", f"CAST({value_in} AS DOUBLE)"
    else:
        raise InvalidInput(f"has type {value_type}: expected numbers", source=name, field="value")
    # Emptiness from the cells as stored: turning 5 million numbers into text only to
    # see whether they are empty would cost more than every other check.
    cells = [(ts_in, ts_type), (value_in, value_type)]
    if "kpi" in columns:
        kpi_in = ident(columns["kpi"])
        kpi_raw = f"CAST({kpi_in} AS VARCHAR)"
        kpi = f"coalesce(trim({kpi_raw}), '')"
        cells.append((kpi_in, types[columns["kpi"]]))
    else:
        kpi_raw = "NULL::VARCHAR"
        kpi = literal(kpi_literal or "")
    segment_raw = "NULL::VARCHAR"
    if "segment" in columns:
        segment_in = ident(columns["segment"])
        segment_raw = f"CAST({segment_in} AS VARCHAR)"
        cells.append((segment_in, types[columns["segment"]]))
    ts_empty, value_empty = _empty(ts_in, ts_type), _empty(value_in, value_type)
    blank = " AND ".join(_empty(cell, kind) for cell, kind in cells)
    staged.file.con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW rows AS
        SELECT file_row_number AS n,
               {kpi_raw} AS kpi_raw,
               {kpi} AS kpi,
               {ts_raw} AS ts_raw,
               {ts_empty} AS ts_empty,
               CAST(floor(epoch({moment})) AS BIGINT) AS sec,
               {value_raw} AS value_raw,
               {value_empty} AS value_empty,
               {value} AS value,
               coalesce(trim({segment_raw}), '') AS segment,
               {blank} AS blank
        FROM {staged.scan}
        """
    )


def _empty(cell: str, kind: str) -> str:
    """SQL: whether a cell is empty (text: blank; any other type: NULL)."""
    if kind == "VARCHAR":
        return f"coalesce(trim({cell}), '') = ''"
    return f"{cell} IS NULL"


def summarise(staged: StagedFile) -> None:
    """The `summary` table: the file summarised per KPI key ("" too) in one scan.

    Per key: rows, first and last time, rows with a bad timestamp, value or segment,
    and whether two rows may share a segment and time — a distinct count of 64-bit
    hashes is cheap, and only when it falls short are the rows grouped exactly
    (`count_duplicates`).
    """
    staged.file.con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE summary AS
        SELECT kpi, count(*) AS rows, min(sec) AS first, max(sec) AS last,
               count(*) FILTER (WHERE sec IS NULL OR NOT ({KEPT}) OR value IS NULL
                                OR NOT isfinite(value)
                                OR length(segment) > {MAX_SEGMENT}) AS errors,
               count(sec) - count(DISTINCT hash(segment, sec))
                   FILTER (WHERE sec IS NOT NULL) AS repeats
        FROM rows WHERE NOT blank GROUP BY kpi
        """
    )


def summary_keys(staged: StagedFile) -> list[str]:
    """The KPI keys of the `summary` table, in order ("" too)."""
    con = staged.file.con
    return [str(row[0]) for row in con.execute("SELECT kpi FROM summary ORDER BY kpi").fetchall()]


def per_kpi(staged: StagedFile, keys: Sequence[str]) -> list[tuple[Any, ...]]:
    """Join the summary with the workspace's KPIs (`keys`, sorted): per KPI key, its
    rows, first and last time, bad rows and repeats, in key order.

    The `known` table it makes holds each key with its position in `keys`, which the
    batches carry per row.
    """
    con = staged.file.con
    con.execute(
        "CREATE OR REPLACE TEMP TABLE known AS "
        "SELECT unnest(?::VARCHAR[]) AS key, unnest(?::BIGINT[]) AS id",
        [list(keys), list(range(len(keys)))],
    )
    # Every row of a KPI is bad when its key is empty or names no KPI; the summary
    # counted the other errors.
    return con.execute(
        """
        SELECT s.kpi, s.rows, s.first, s.last,
               CASE WHEN s.kpi = '' OR k.key IS NULL THEN s.rows ELSE s.errors END,
               s.repeats
        FROM summary s LEFT JOIN known k ON s.kpi = k.key ORDER BY s.kpi
        """
    ).fetchall()


def count_duplicates(staged: StagedFile) -> int:
    """The `dup_groups` table (each KPI, segment and second of more than one row, with
    its first row); return how many there are."""
    staged.file.con.execute(
        """
        CREATE OR REPLACE TEMP TABLE dup_groups AS
        SELECT kpi, segment, sec, min(n) AS first
        FROM rows WHERE NOT blank AND kpi <> '' AND sec IS NOT NULL
        GROUP BY kpi, segment, sec HAVING count(*) > 1
        """
    )
    return int(staged.file.scalar("SELECT count(*) FROM dup_groups"))


def rejected_count(staged: StagedFile) -> int:
    """How many lines of a CSV file DuckDB could not split into the header's fields."""
    if staged.file.format != "csv":
        return 0
    return int(staged.file.scalar("SELECT count(DISTINCT line) FROM csv_rejects"))
