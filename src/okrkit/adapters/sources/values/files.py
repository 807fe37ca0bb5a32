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

The work is split by topic: `staging` opens the file (refusing one that cannot be
read) and stages it; `checks` parses and checks every row in SQL; `report` turns the
failures into `BadRows`; this module composes them into the port (`kpi_keys`,
`validate`, `batches`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from okrkit.adapters.sources.values import checks
from okrkit.adapters.sources.values.limits import BATCH_ROWS, MAX_REPORTED, MAX_SEGMENT
from okrkit.adapters.sources.values.report import bad_rows_error, lines_of
from okrkit.adapters.sources.values.staging import (
    FORMATS,
    StagedFile,
    file_format,
    missing_column,
    open_file,
    read_head,
    stage,
)
from okrkit.domain.errors import InvalidInput, NotFound
from okrkit.services.ports import KpiSpan, ValueBatch

__all__ = [
    "BATCH_ROWS",
    "FORMATS",
    "MAX_REPORTED",
    "MAX_SEGMENT",
    "CheckedFile",
    "ValueFile",
]


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
            raise bad_rows_error(staged, has_kpi, duplicates > 0, self.max_reported)
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

    def lines(self, rows: Sequence[int]) -> tuple[list[int], str]:
        """The lines (CSV) or 1-based rows of the rows at these places."""
        return lines_of(self._open(), rows)

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
        columns = ["r.n", "r.sec", "r.value"] + ["k.id"] * has_kpi + ["r.segment"] * has_segment
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
                    rows=read["n"].astype(np.int64),
                )


def _moment(seconds: int) -> datetime:
    return datetime.fromtimestamp(int(seconds), UTC).replace(tzinfo=None)
