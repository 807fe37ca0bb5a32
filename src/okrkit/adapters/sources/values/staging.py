"""A KPI values file opened for DuckDB: refused early when it cannot be one, then staged
as a Parquet file with every cell as text, and its columns found by name (any case).

A file is refused before DuckDB reads it when its extension is unknown, when it is
missing, unreadable, empty or binary, or when a `.parquet` file lacks Parquet's magic
bytes. A Parquet file is then read where it is. A CSV file, read by the header okrkit
reads itself (DuckDB's sniffer only guesses), and a JSON file, read by its field names,
are copied into a Parquet file in a temporary folder with every row in its place:
staging is what lets the checks (`checks`) be the same SQL for every format.
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from okrkit.adapters.sources.values.sql import ident, literal
from okrkit.domain.errors import InvalidInput, SourceUnavailable

if TYPE_CHECKING:
    # DuckDB (13 MB resident) is imported by the functions that read a file, so that a
    # web worker that never imports one does not carry it.
    import duckdb

__all__ = [
    "COLUMNS",
    "EXPECTED",
    "FORMATS",
    "OpenFile",
    "StagedFile",
    "file_format",
    "missing_column",
    "open_file",
    "read_head",
    "stage",
]

FORMATS = {
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".json": "json",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
}
COLUMNS = ("kpi", "timestamp", "value", "segment")
EXPECTED = "kpi,timestamp,value[,segment]"
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class OpenFile:
    """A file open in DuckDB: the connection, and the temporary folder that holds the
    link DuckDB reads, the staged copy and DuckDB's spill files. Its errors name the
    file as the user knows it."""

    path: Path
    format: str
    folder: str
    con: duckdb.DuckDBPyConnection

    @property
    def name(self) -> str:
        """The file as messages and the audit log name it."""
        return str(self.path)

    @property
    def header_line(self) -> int | None:
        """The line of a CSV file's header (for errors about columns); None otherwise."""
        return 1 if self.format == "csv" else None

    def close(self) -> None:
        """Close DuckDB and remove the temporary folder."""
        self.con.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def link(self) -> str:
        """The path DuckDB reads: a link with a plain name in the temporary folder.

        DuckDB treats `*`, `?` and `[` in a path as a glob; a link named `input.csv`
        reads exactly this file whatever its name.
        """
        link = os.path.join(self.folder, f"input{self.path.suffix.lower()}")
        try:
            os.symlink(self.path.resolve(), link)
        except OSError:
            return str(self.path)
        return link

    def link_path(self) -> str:
        """The path DuckDB reads, once `link` made it."""
        link = os.path.join(self.folder, f"input{self.path.suffix.lower()}")
        return link if os.path.lexists(link) else str(self.path)

    def staged(self, name: str) -> str:
        """A file of that name in the temporary folder."""
        return os.path.join(self.folder, name)

    def said(self, error: Exception) -> str:
        """The first line of DuckDB's message, naming the file as the user knows it."""
        lines = str(error).strip().splitlines() or [type(error).__name__]
        return lines[0].replace(self.link_path(), self.name).replace(self.folder, "…")

    def copy(self, sql: str, what: str) -> None:
        """Run a COPY; a file DuckDB cannot read as `what` is refused."""
        import duckdb

        try:
            self.con.execute(sql)
        except duckdb.Error as exc:
            raise InvalidInput(
                f"cannot be read as {what}: {self.said(exc)}", source=self.name
            ) from None

    def describe(self, scan: str, what: str) -> dict[str, str]:
        """Column name -> DuckDB type of a scan; a file DuckDB cannot read is refused."""
        import duckdb

        try:
            described = self.con.execute(f"DESCRIBE SELECT * FROM {scan}").fetchall()
        except duckdb.Error as exc:
            raise InvalidInput(
                f"cannot be read as {what}: {self.said(exc)}", source=self.name
            ) from None
        return {str(row[0]): str(row[1]) for row in described}

    def scalar(self, sql: str) -> Any:
        """The first cell of a query's first row (None without a row)."""
        row = self.con.execute(sql).fetchone()
        return None if row is None else row[0]


@dataclass(frozen=True)
class StagedFile:
    """An open file as the checks read it: `scan`, the SQL that reads the (staged)
    Parquet file; `types`, its column name -> DuckDB type; `columns`, kpi, timestamp,
    value and segment -> its column of that name (those it has)."""

    file: OpenFile
    scan: str
    types: dict[str, str]
    columns: dict[str, str]


def file_format(path: Path) -> str:
    """The format the file's extension names; any other extension is refused."""
    format = FORMATS.get(path.suffix.lower(), "")
    if not format:
        raise InvalidInput(
            f"unsupported file type {path.suffix or '(none)'!r}: use .csv, .parquet, "
            ".json or .ndjson",
            source=str(path),
        )
    return format


def read_head(path: Path, format: str) -> bytes:
    """The first bytes of the file; a missing, unreadable or binary file is refused."""
    try:
        with path.open("rb") as file:
            head = file.read(_SNIFF_BYTES)
    except FileNotFoundError:
        raise SourceUnavailable(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SourceUnavailable(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise SourceUnavailable(f"{path}: cannot be read: {exc.strerror}") from None
    if not head:
        raise InvalidInput(
            f"the file is empty: expected {'a header ' if format == 'csv' else ''}"
            f"{EXPECTED} and one row per value",
            source=str(path),
        )
    if format != "parquet" and b"\x00" in head:
        raise InvalidInput("binary content, not a text file", source=str(path))
    return head


def open_file(path: Path, format: str, memory_limit: str) -> OpenFile:
    """Connect DuckDB with its temporary folder; the caller closes the file."""
    import duckdb

    folder = tempfile.mkdtemp(prefix="okrkit-import-")
    try:
        con = duckdb.connect(
            config={
                "memory_limit": memory_limit,
                "temp_directory": os.path.join(folder, "spill"),
                "autoinstall_known_extensions": False,
            }
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return OpenFile(path, format, folder, con)


def stage(file: OpenFile, head: bytes) -> StagedFile:
    """Stage the file (a Parquet file is read where it is) and find its columns."""
    # Naive datetimes are UTC, whatever the machine's zone.
    file.con.execute("SET TimeZone = 'UTC'")
    file.con.execute("SET enable_progress_bar = false")
    source = file.link()
    if file.format == "parquet":
        if head[:4] != b"PAR1":
            raise InvalidInput("not a Parquet file", source=file.name)
        scan = f"read_parquet({literal(source)}, file_row_number = true)"
        types = file.describe(scan, "Parquet")
    elif file.format == "csv":
        scan, types = _stage_csv(file, source, head)
    else:
        scan, types = _stage_json(file, source)
    return StagedFile(file, scan, types, _map_columns(file, list(types)))


def _stage_csv(file: OpenFile, source: str, head: bytes) -> tuple[str, dict[str, str]]:
    """Copy a CSV file's rows (every cell as text) into Parquet, keeping their order.

    The header is read here and the columns are given to DuckDB: its sniffer guesses
    (delimiter, quotes, rows to skip), and a guess must not decide what a row is.
    Lines whose fields do not match the header are kept aside by DuckDB (the rejects
    table) and reported with the other bad rows.
    """
    header = _csv_header(file, head)
    found = _map_columns(file, header)
    staged = file.staged("rows.parquet")
    columns = ", ".join(f"{literal(f'c{i}')}: 'VARCHAR'" for i in range(len(header)))
    selected = ", ".join(
        f"c{header.index(original)} AS {ident(name)}" for name, original in found.items()
    )
    file.copy(
        f"""COPY (SELECT {selected} FROM read_csv({literal(source)}, header = true,
              columns = {{{columns}}}, auto_detect = false, delim = ',', quote = '"',
              escape = '"', ignore_errors = true, store_rejects = true,
              rejects_table = 'csv_rejects', rejects_scan = 'csv_scans'))
            TO {literal(staged)} (FORMAT parquet)""",
        "CSV",
    )
    scan = f"read_parquet({literal(staged)}, file_row_number = true)"
    return scan, dict.fromkeys(found, "VARCHAR")


def _csv_header(file: OpenFile, head: bytes) -> list[str]:
    """The column names on the first line."""
    first = head.split(b"\n", 1)[0]
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            "not UTF-8 text: save the file as UTF-8", source=file.name, line=1
        ) from None
    cells = next(csv.reader([text.rstrip("\r")]), [])
    if not any(cell.strip() for cell in cells):
        raise InvalidInput(
            f"the first line is not a header: expected {EXPECTED}", source=file.name, line=1
        )
    return cells


def _stage_json(file: OpenFile, source: str) -> tuple[str, dict[str, str]]:
    """Copy a JSON file's records (every field as text) into Parquet, in order."""
    layout = "newline_delimited" if file.format == "ndjson" else "auto"
    names = file.describe(f"read_json({literal(source)}, format = {literal(layout)})", "JSON")
    found = _map_columns(file, list(names))
    staged = file.staged("rows.parquet")
    columns = ", ".join(f"{literal(original)}: 'VARCHAR'" for original in found.values())
    selected = ", ".join(f"{ident(original)} AS {ident(name)}" for name, original in found.items())
    file.copy(
        f"""COPY (SELECT {selected} FROM read_json({literal(source)},
              format = {literal(layout)}, columns = {{{columns}}}))
            TO {literal(staged)} (FORMAT parquet)""",
        "JSON",
    )
    scan = f"read_parquet({literal(staged)}, file_row_number = true)"
    return scan, dict.fromkeys(found, "VARCHAR")


def _map_columns(file: OpenFile, names: list[str]) -> dict[str, str]:
    """Find kpi, timestamp, value and segment among the file's columns (any case)."""
    found: dict[str, str] = {}
    for original in names:
        name = original.strip().lower()
        if name not in COLUMNS:
            continue
        if name in found:
            raise InvalidInput(
                f"two columns are named {name!r}",
                source=file.name,
                line=file.header_line,
                field=name,
            )
        found[name] = original
    for column in ("timestamp", "value"):
        if column not in found:
            raise missing_column(file, column, names)
    return found


def missing_column(file: OpenFile, column: str, names: list[str]) -> InvalidInput:
    """The error for a file without `column`, naming the columns it has."""
    has = ", ".join(names) or "no columns"
    hint = " (or name the KPI the file is for)" if column == "kpi" else ""
    return InvalidInput(
        f"missing column {column!r}: the file has {has}; expected {EXPECTED}{hint}",
        source=file.name,
        line=file.header_line,
        field=column,
    )
