"""KPI values to import, from a CSV, Parquet or JSON file, read and checked by DuckDB.

A file holds one row per value: `kpi` (the KPI's key), `timestamp` (an ISO 8601 date or
datetime; Parquet may use its DATE and TIMESTAMP types), `value` and, optionally,
`segment` (empty is the KPI's total). A file for one KPI may leave out `kpi` when the
caller names the KPI. The format follows the extension: `.csv`, `.parquet` (`.pq`),
`.json` (an array of objects or one object per line), `.ndjson` / `.jsonl`.

Why DuckDB: a file can hold millions of rows, and the whole file must be checked before
a single value is written. DuckDB reads it in SQL without ever holding it in Python;
the checks are a few scans, and the valid rows then stream out in batches of NumPy
columns, so memory stays flat whatever the file's size. CSV and JSON files are first
copied into a Parquet file in a temporary folder (every cell as text), so every format
is checked by the same SQL and every row keeps its place in the file.

Every bad row is reported, not just the first (`BadRows`, up to `MAX_REPORTED` of them
with the total count): a CSV file by its line (the header is line 1, as an editor
shows it), Parquet and JSON files by their 1-based row. A date is its midnight UTC, a
datetime without an offset is UTC, one with an offset is converted to UTC; fractions
of a second are dropped (the store keeps whole seconds), so two rows in the same second
are duplicates.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from okrkit.adapters.sources.values import checks
from okrkit.adapters.sources.values.limits import BATCH_ROWS, MAX_REPORTED, MAX_SEGMENT
from okrkit.adapters.sources.values.sql import literal
from okrkit.adapters.sources.values.staging import (
    COLUMNS,
    FORMATS,
    StagedFile,
    file_format,
    missing_column,
    open_file,
    read_head,
    stage,
)
from okrkit.domain.errors import BadRows, InvalidInput, NotFound, RowError
from okrkit.services.ports import KpiSpan, ValueBatch

__all__ = [
    "BATCH_ROWS",
    "FORMATS",
    "MAX_REPORTED",
    "MAX_SEGMENT",
    "CheckedFile",
    "ValueFile",
]


_ISO_EXAMPLE = "e.g. 2026-11-23 or 2026-11-23T09:30:00Z"
# An unlikely delimiter, so that reading a CSV "one column per line" sees whole lines.
_WHOLE_LINE = r"E'\x01\x02\x03\x04'"


@dataclass(frozen=True)
class CheckedFile:
    """A file whose every row passed the checks: its counts, and its rows in batches."""

    source: ValueFile
    rows: int
    spans: Sequence[KpiSpan]

    def batches(self) -> Iterator[ValueBatch]:
        """The rows in file order, `batch_rows` at a time, as Python lists of columns."""
        return self.source._batches()


class ValueFile:
    """A file of KPI values (implements `okrkit.services.ports.ValueSource`).

    Use it as a context manager (or call `close()`): it holds a DuckDB connection and a
    temporary folder until then. `batch_rows` is how many rows each batch holds;
    `memory_limit` caps DuckDB's memory (beyond it, DuckDB spills to the temporary
    folder).
    """

    def __init__(
        self,
        path: str | Path,
        *,
        batch_rows: int = BATCH_ROWS,
        memory_limit: str = "512MB",
        max_reported: int = MAX_REPORTED,
    ) -> None:
        self.path = Path(path)
        self.batch_rows = batch_rows
        self.memory_limit = memory_limit
        self.max_reported = max_reported
        self._staged: StagedFile | None = None  # the file open in DuckDB, staged
        self._kpi_literal: str | None = None  # the default KPI, for a file without `kpi`
        self._rows_total = 0  # rows read, blank ones included (the last ordinal)
        self._summarised = False  # the per-KPI summary table is built
        self._blank_rows = 0  # rows with every cell empty (skipped)
        self._known: tuple[str, ...] = ()  # the file's keys that name a KPI, in order

    # --- life cycle ------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The file as messages and the audit log name it."""
        return str(self.path)

    def __enter__(self) -> ValueFile:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Close DuckDB and remove the temporary folder."""
        if self._staged is not None:
            self._staged.file.close()
            self._staged = None

    # --- the port ----------------------------------------------------------------------

    def kpi_keys(self, default_kpi: str | None) -> list[str]:
        """The distinct non-empty KPI keys the file names (the default without `kpi`)."""
        staged = self._open()
        if "kpi" not in staged.columns:
            if default_kpi is None:
                raise missing_column(staged.file, "kpi", list(staged.columns))
            return [default_kpi]
        return [key for key in self._summary_keys(staged) if key]

    def validate(self, known: Collection[str], default_kpi: str | None) -> CheckedFile:
        """Check every row against the workspace's KPIs (`known`: the keys that name
        one); return the counts, or raise `BadRows` naming every bad row.

        The checks: a `kpi` that is empty or names no KPI in `known`; a `timestamp`
        that is empty or not an ISO 8601 date or datetime; a `value` that is empty, not a
        number or not finite; a `segment` longer than the store keeps; two rows for the
        same KPI, segment and timestamp (the later one is reported, naming the first);
        and in a CSV file, a line whose fields do not match the header.
        """
        staged = self._open()
        has_kpi = "kpi" in staged.columns
        if not has_kpi:
            if default_kpi is None:
                raise missing_column(staged.file, "kpi", list(staged.columns))
            if default_kpi not in known:
                raise NotFound(f"no KPI {default_kpi!r}")
            if self._kpi_literal != default_kpi:
                self._kpi_literal = default_kpi
                checks.define_rows(staged, self._kpi_literal)
                self._summarised = False
        self._summary_keys(staged)
        self._known = keys = tuple(sorted(known))
        per_kpi = checks.per_kpi(staged, keys)
        duplicates = 0
        if any(repeats for key, *_, repeats in per_kpi if key):
            duplicates = checks.count_duplicates(staged)
        row_errors = sum(int(row[4]) for row in per_kpi)
        if row_errors or duplicates or checks.rejected_count(staged):
            raise _bad_rows_error(staged, has_kpi, duplicates > 0, self.max_reported)
        rows = sum(int(row[1]) for row in per_kpi)
        if rows == 0:
            csv = staged.file.format == "csv"
            raise InvalidInput(
                "has a header but no values" if csv else "has no rows",
                source=self.name,
                line=1 if csv else None,
            )
        spans = tuple(
            KpiSpan(str(key), int(count), _moment(first), _moment(last))
            for key, count, first, last, *_ in per_kpi
        )
        self._blank_rows = self._rows_total - rows
        return CheckedFile(self, rows, spans)

    def _summary_keys(self, staged: StagedFile) -> list[str]:
        """Summarise the file per KPI key in one scan (once); return the keys, "" too."""
        if not self._summarised:
            checks.summarise(staged)
            self._summarised = True
        return checks.summary_keys(staged)

    # --- reading -----------------------------------------------------------------------

    def _open(self) -> StagedFile:
        """Check the file can be read, stage it and define the `rows` view (once)."""
        if self._staged is not None:
            return self._staged
        format = file_format(self.path)
        head = read_head(self.path, format)
        file = open_file(self.path, format, self.memory_limit)
        try:
            staged = stage(file, head)
            checks.define_rows(staged, self._kpi_literal)
            # file_row_number runs 0…count-1: the count is in the Parquet metadata.
            self._rows_total = int(file.scalar(f"SELECT count(*) FROM {staged.scan}"))
        except BaseException:
            file.close()
            raise
        self._staged = staged
        return staged

    def _batches(self) -> Iterator[ValueBatch]:
        # Read in the calling thread, between two writes: a reading thread would hold
        # the GIL that SQLite hands back and forth for every row, and slow it down.
        # A column the file lacks (the segment, or the KPI of a one-KPI file) is one
        # string repeated, not a million strings made by DuckDB.
        staged = self._staged
        if staged is None:
            raise RuntimeError("the file is closed")
        con = staged.file.con
        has_kpi, has_segment = "kpi" in staged.columns, "segment" in staged.columns
        columns = ["r.sec", "r.value"] + ["k.id"] * has_kpi + ["r.segment"] * has_segment
        join = "JOIN known k ON r.kpi = k.key" if has_kpi else ""
        blank = " AND NOT r.blank" if self._blank_rows else ""
        for start in range(0, self._rows_total, self.batch_rows):
            # Integers only in this SQL; a range of n prunes the Parquet row groups.
            # In file order (the join alone would not keep it): a file sorted by KPI and
            # time then fills the store's index from left to right, without page splits.
            read = con.execute(
                f"SELECT {', '.join(columns)} FROM rows r {join} WHERE r.n >= {int(start)} "
                f"AND r.n < {int(start + self.batch_rows)}{blank} ORDER BY r.n"
            ).fetchnumpy()
            count = len(read["sec"])
            if count:
                yield ValueBatch(
                    kpis=self._known if has_kpi else (str(self._kpi_literal),),
                    kpi=read["id"].astype(np.int64) if has_kpi else np.zeros(count, np.int64),
                    segment=read["segment"].tolist() if has_segment else [""] * count,
                    timestamps=read["sec"].astype(np.int64).astype("datetime64[s]"),
                    value=read["value"].astype(np.float64),
                )


def _moment(seconds: int) -> datetime:
    return datetime.fromtimestamp(int(seconds), UTC).replace(tzinfo=None)


def _bad_rows_error(
    staged: StagedFile, has_kpi: bool, duplicates: bool, max_reported: int
) -> BadRows:
    """Every bad row (up to `max_reported`), in file order, as one error.

    `duplicates` says whether `checks.count_duplicates` found any (its `dup_groups`
    table); without, an empty one stands in.
    """
    file = staged.file
    con = file.con
    kpi_check = (
        "CASE WHEN r.kpi = '' THEN 'empty' WHEN k.key IS NULL THEN 'unknown' END"
        if has_kpi
        else "NULL"
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW checked AS
        SELECT r.*,
            {kpi_check} AS kpi_error,
            CASE WHEN r.ts_empty THEN 'empty'
                 WHEN r.sec IS NULL THEN 'invalid' END AS ts_error,
            CASE WHEN r.value_empty THEN 'empty'
                 WHEN r.value IS NULL THEN 'invalid'
                 WHEN NOT isfinite(r.value) THEN 'infinite' END AS value_error,
            CASE WHEN length(r.segment) > {MAX_SEGMENT} THEN 'long' END AS segment_error
        FROM rows r LEFT JOIN known k ON r.kpi = k.key
        WHERE NOT r.blank
        """
    )
    if not duplicates:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE dup_groups "
            "(kpi VARCHAR, segment VARCHAR, sec BIGINT, first BIGINT)"
        )
    has = [c for c in ("kpi", "segment") if c in staged.columns]
    same = ", ".join([*has, "timestamp"])
    same = " and ".join(same.rsplit(", ", 1))
    errors = """
        SELECT n, 0 AS k, 'kpi' AS col, kpi_error AS code, kpi_raw AS raw, NULL AS other
          FROM checked WHERE kpi_error IS NOT NULL
        UNION ALL SELECT n, 1, 'timestamp', ts_error, ts_raw, NULL
          FROM checked WHERE ts_error IS NOT NULL
        UNION ALL SELECT n, 2, 'value', value_error, value_raw, NULL
          FROM checked WHERE value_error IS NOT NULL
        UNION ALL SELECT n, 3, 'segment', segment_error, segment, NULL
          FROM checked WHERE segment_error IS NOT NULL
        UNION ALL SELECT r.n, 1, 'timestamp', 'duplicate',
            strftime(make_timestamp(r.sec::BIGINT * 1000000), '%Y-%m-%d %H:%M:%S'), g.first
          FROM rows r JOIN dup_groups g USING (kpi, segment, sec)
          WHERE NOT r.blank AND r.n > g.first
    """
    count, bad_rows = con.execute(
        f"SELECT count(*), count(DISTINCT n) FROM ({errors})"
    ).fetchone() or (0, 0)
    listed = con.execute(
        f"SELECT n, col, code, raw, other FROM ({errors}) ORDER BY n, k LIMIT {int(max_reported)}"
    ).fetchall()
    rejects: list[tuple[int, str, str]] = []
    if file.format == "csv":
        rejects = [
            (int(line), str(kind), str(message))
            for line, kind, message in con.execute(
                # DuckDB reports a short line once per missing column: the first
                # one says how many fields the line has.
                "SELECT line, arg_min(error_type, column_idx), "
                "arg_min(error_message, column_idx) FROM csv_rejects "
                f"GROUP BY line ORDER BY line LIMIT {int(max_reported)}"
            ).fetchall()
        ]
        count += checks.rejected_count(staged)
        bad_rows += checks.rejected_count(staged)
    unit = "line" if file.format == "csv" else "row"
    where = _locate(
        staged,
        [int(n) for n, *_ in listed] + [int(o) for *_, o in listed if o is not None],
        [line for line, _, _ in rejects],
    )
    found = [
        (where.row(int(n)), col, _reason(col, code, raw, other, where, unit, same))
        for n, col, code, raw, other in listed
    ]
    found += [(where.reject(line), None, _reject_reason(kind, msg)) for line, kind, msg in rejects]
    found.sort(key=lambda item: (item[0], COLUMNS.index(item[1]) if item[1] else -1))
    rows = [RowError(line, col, reason, unit) for line, col, reason in found]
    return BadRows(rows[:max_reported], source=file.name, count=int(count), bad_rows=int(bad_rows))


@dataclass(frozen=True)
class _Lines:
    """Row ordinals (0-based) and DuckDB's reject lines -> the numbers to report."""

    rows: dict[int, int]
    rejects: dict[int, int]
    offset: int

    def row(self, n: int) -> int:
        return int(self.rows.get(n, n + self.offset))

    def reject(self, line: int) -> int:
        return int(self.rejects.get(line, line))


def _locate(staged: StagedFile, ordinals: list[int], rejects: list[int]) -> _Lines:
    """Where rows are in the file: 1-based rows, or for CSV, the lines they start on.

    DuckDB numbers CSV rows, not lines: blank lines, lines it rejected and values
    spanning lines (in quotes) shift one from the other. So for the few rows to
    report, the file is read once more as plain lines, and each row is matched to
    the line its record starts on (a line starts a record when the quotes before it
    are balanced).
    """
    file = staged.file
    if file.format != "csv":
        return _Lines({}, {}, offset=1)
    con = file.con
    lines = file.staged("lines.parquet")
    file.copy(
        f"""COPY (SELECT t FROM read_csv({literal(file.link_path())}, header = false,
              columns = {{'t': 'VARCHAR'}}, delim = {_WHOLE_LINE}, quote = '',
              escape = '', strict_mode = false, auto_detect = false))
            TO {literal(lines)} (FORMAT parquet)""",
        "CSV",
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE records AS
        WITH l AS (
            SELECT file_row_number + 1 AS line, t,
                   (length(coalesce(t, '')) - length(replace(coalesce(t, ''), '"', ''))) % 2
                       AS odd
            FROM read_parquet({literal(lines)}, file_row_number = true)),
        q AS (
            SELECT line, t, coalesce(sum(odd) OVER (ORDER BY line
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) % 2 = 1 AS inside
            FROM l)
        SELECT line, t IS NULL AS blank, row_number() OVER (ORDER BY line) AS duck_line
        FROM q WHERE NOT inside
        """
    )
    header = file.scalar("SELECT min(duck_line) FROM records WHERE NOT blank") or 1
    by_duck = dict(
        con.execute(
            "SELECT duck_line, line FROM records WHERE duck_line IN (SELECT unnest(?))",
            [rejects],
        ).fetchall()
    )
    by_row = dict(
        con.execute(
            f"""
            SELECT k, line FROM (
                SELECT line, row_number() OVER (ORDER BY line) - 1 AS k FROM records
                WHERE NOT blank AND duck_line > {int(header)}
                  AND duck_line NOT IN (SELECT line FROM csv_rejects))
            WHERE k IN (SELECT unnest(?))
            """,
            [sorted(set(ordinals))],
        ).fetchall()
    )
    return _Lines(by_row, by_duck, offset=2)


def _shown(raw: str | None, limit: int = 40) -> str:
    """A cell as an error message quotes it, cut when long."""
    text = (raw or "").strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


def _reason(
    column: str,
    code: str,
    raw: str | None,
    other: int | None,
    where: _Lines,
    unit: str,
    same: str,
) -> str:
    """What is wrong with one cell, in words."""
    if code == "empty":
        return "is empty"
    if column == "kpi":
        return f"no KPI {_shown(raw)}"
    if code == "duplicate":
        assert other is not None
        return f"duplicate: {unit} {where.row(int(other))} has the same {same} ({raw} UTC)"
    if column == "timestamp":
        return f"{_shown(raw)} is not an ISO 8601 date or datetime ({_ISO_EXAMPLE})"
    if column == "segment":
        return f"is longer than {MAX_SEGMENT} characters"
    if code == "infinite":
        return f"{_shown(raw)} is not a finite number"
    hint = " (write percentages as plain numbers: 15 for 15 %)" if "%" in (raw or "") else ""
    return f"{_shown(raw)} is not a number{hint}"


_FIELDS = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")


def _reject_reason(kind: str, message: str) -> str:
    """Why DuckDB could not split a CSV line into the header's fields."""
    fields = _FIELDS.search(message)
    if fields:
        return f"has {fields.group(2)} fields, the header has {fields.group(1)}"
    if "UNICODE" in kind or "ENCODING" in kind:
        return "not UTF-8 text: save the file as UTF-8"
    if "QUOTE" in kind:
        return "a quoted value is not closed, or a quote stands inside an unquoted value"
    return (message.strip().splitlines() or [kind])[0]
