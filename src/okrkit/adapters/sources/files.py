"""Reading a series from a CSV file: `timestamp,value[,segment]` with a header.

Everything a person can get wrong in such a file is reported as one `InvalidInput`
naming the file, the line and the column — never a traceback. The whole file is
validated before anything is returned, and the first error stops the read (so the
message points at the first thing to fix).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np

from okrkit.domain.cadence import as_utc
from okrkit.domain.errors import InvalidInput, SourceUnavailable
from okrkit.domain.model import Series

__all__ = ["SeriesFile", "parse_moment", "parse_number", "read_series_csv"]

REQUIRED_COLUMNS = ("timestamp", "value")
OPTIONAL_COLUMNS = ("segment",)
# A NUL byte in the first block is the cheapest reliable sign of a binary file.
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class SeriesFile:
    """A series read from a file, with the line each point came from and its segments."""

    path: str
    series: Series
    lines: tuple[int, ...]

    def segment_names(self) -> list[str]:
        """The distinct non-empty segments in the file, sorted."""
        segments = self.series.segments or ()
        return sorted({s for s in segments if s})

    def select_segment(self, segment: str | None) -> Series:
        """The points of one segment (None: the total, i.e. rows without a segment).

        A file whose rows all carry one segment is that segment's series; a file with
        several segments and no total rows needs a choice, and the error lists them.
        """
        segments = self.series.segments
        if segments is None:
            if segment:
                raise InvalidInput(
                    f"segment {segment!r} asked for, but the file has no segment column",
                    source=self.path,
                    field="segment",
                )
            return self.series
        names = self.segment_names()
        wanted: str | None = segment or None
        if wanted is None and all(segments) and len(names) == 1:
            wanted = names[0]
        if wanted is None and all(segments):
            raise InvalidInput(
                f"the file holds {len(names)} segments ({', '.join(names)}) and no total "
                "rows: choose one with --segment",
                source=self.path,
                field="segment",
            )
        mask = np.array([(s or None) == wanted for s in segments], dtype=bool)
        if not mask.any():
            raise InvalidInput(
                f"no rows for segment {wanted!r}; the file has: {', '.join(names)}",
                source=self.path,
                field="segment",
            )
        return Series(self.series.timestamps[mask], self.series.values[mask])


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceUnavailable(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SourceUnavailable(f"{path}: is a directory, not a CSV file") from None
    except OSError as exc:
        raise SourceUnavailable(f"{path}: cannot be read: {exc.strerror}") from None
    if b"\x00" in raw[:_SNIFF_BYTES]:
        raise InvalidInput("binary content, not a CSV text file", source=str(path))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InvalidInput(
            "not UTF-8 text: save the file as UTF-8 CSV", source=str(path), line=line
        ) from None


def parse_moment(text: str, *, source: str, line: int, field: str = "timestamp") -> datetime:
    """An ISO 8601 date or datetime as naive UTC; offsets are converted to UTC."""
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("is empty", source=source, line=line, field=field)
    try:
        moment: date | datetime = (
            date.fromisoformat(cleaned) if len(cleaned) == 10 else datetime.fromisoformat(cleaned)
        )
    except ValueError:
        raise InvalidInput(
            f"{cleaned!r} is not an ISO 8601 date or datetime (e.g. 2026-11-23 or "
            "2026-11-23T09:30:00Z)",
            source=source,
            line=line,
            field=field,
        ) from None
    return as_utc(moment)


def parse_number(text: str, *, source: str, line: int, field: str = "value") -> float:
    """A finite decimal number; anything else names the line and the column."""
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("is empty", source=source, line=line, field=field)
    try:
        number = float(cleaned)
    except ValueError:
        hint = " (write percentages as plain numbers: 15 for 15 %)" if "%" in cleaned else ""
        raise InvalidInput(
            f"{cleaned!r} is not a number{hint}", source=source, line=line, field=field
        ) from None
    if not math.isfinite(number):
        raise InvalidInput(
            f"{cleaned!r} is not a finite number", source=source, line=line, field=field
        )
    return number


def read_series_csv(path: str | Path) -> SeriesFile:
    """Read and validate a `timestamp,value[,segment]` CSV file into a sorted series.

    Rows may come in any order; two rows for the same segment and timestamp are an
    error that names both lines. Extra columns are ignored.
    """
    file = Path(path)
    source = str(path)
    text = _read_text(file)
    if not text.strip():
        raise InvalidInput(
            "the file is empty: expected a header 'timestamp,value' and one row per value",
            source=source,
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _parse_rows(reader, source)
    except csv.Error as exc:
        raise InvalidInput(
            f"not a readable CSV: {exc}", source=source, line=reader.line_num
        ) from None


def _parse_rows(reader: Any, source: str) -> SeriesFile:
    header: list[str] | None = None
    for header in reader:
        if any(cell.strip() for cell in header):
            break
    assert header is not None
    header_line = reader.line_num
    columns = [cell.strip().lower() for cell in header]
    for required in REQUIRED_COLUMNS:
        if required not in columns:
            raise InvalidInput(
                f"missing column {required!r}: the header has {', '.join(columns) or 'nothing'}"
                f"; expected {','.join(REQUIRED_COLUMNS)}[,segment]",
                source=source,
                line=header_line,
                field=required,
            )
    t_col, v_col = columns.index("timestamp"), columns.index("value")
    s_col = columns.index("segment") if "segment" in columns else None

    moments: list[datetime] = []
    values: list[float] = []
    segments: list[str | None] = []
    lines: list[int] = []
    first_line: dict[tuple[str | None, datetime], int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            raise InvalidInput(
                f"has {len(row)} fields, the header has {len(columns)}",
                source=source,
                line=line,
            )
        moment = parse_moment(row[t_col], source=source, line=line)
        value = parse_number(row[v_col], source=source, line=line)
        segment = row[s_col].strip() or None if s_col is not None else None
        key = (segment, moment)
        if key in first_line:
            where = f" for segment {segment!r}" if segment else ""
            raise InvalidInput(
                f"duplicate timestamp {moment.isoformat(sep=' ')}{where}: "
                f"line {first_line[key]} has the same one",
                source=source,
                line=line,
                field="timestamp",
            )
        first_line[key] = line
        moments.append(moment)
        values.append(value)
        segments.append(segment)
        lines.append(line)
    if not values:
        raise InvalidInput(
            "has a header but no values", source=source, line=header_line, field="value"
        )

    timestamps = np.array(moments, dtype="datetime64[s]")
    order = np.argsort(timestamps, kind="stable")
    series = Series(
        timestamps[order],
        np.array(values, dtype=np.float64)[order],
        tuple(segments[i] for i in order) if s_col is not None else None,
    )
    return SeriesFile(source, series, tuple(lines[i] for i in order))
