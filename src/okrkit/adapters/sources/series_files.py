"""Reading series from CSV files: one KPI (`timestamp,value[,segment]`) or several in
long format (`timestamp,kpi,value[,segment]`), with a header.

Everything a person can get wrong in such a file is reported as one `InvalidInput`
naming the file, the line and the column — never a traceback. The whole file is
validated before anything is returned, and the first error stops the read (so the
message points at the first thing to fix).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from okrkit.domain.cadence import as_utc
from okrkit.domain.errors import InvalidInput, SourceUnavailable
from okrkit.domain.keys import is_key
from okrkit.domain.values import Series, check_day, check_moment

__all__ = [
    "MultiSeriesFile",
    "SeriesFile",
    "parse_moment",
    "parse_number",
    "read_multi_series_csv",
    "read_series_csv",
    "read_text",
]

REQUIRED_COLUMNS = ("timestamp", "value")
OPTIONAL_COLUMNS = ("segment",)
# A NUL byte in the first block is the cheapest reliable sign of a binary file.
_SNIFF_BYTES = 8192

_T = TypeVar("_T")


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


def read_text(path: Path) -> str:
    """A text file's content; a missing, binary or non-UTF-8 file is a one-line error."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SourceUnavailable(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SourceUnavailable(f"{path}: is a directory, not a CSV file") from None
    except OSError as exc:
        raise SourceUnavailable(f"{path}: cannot be read: {exc.strerror}") from None
    if b"\x00" in raw[:_SNIFF_BYTES]:
        raise InvalidInput("binary content, not a text file", source=str(path))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InvalidInput(
            "not UTF-8 text: save the file as UTF-8", source=str(path), line=line
        ) from None


def parse_moment(text: str, *, source: str, line: int, field: str = "timestamp") -> datetime:
    """An ISO 8601 date or datetime in the years okrkit keeps, as naive UTC; offsets
    are converted to UTC."""
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
    try:
        check_moment(moment) if isinstance(moment, datetime) else check_day(moment)
    except InvalidInput as error:
        raise InvalidInput(error.message, source=source, line=line, field=field) from None
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
    return _read_csv(path, REQUIRED_COLUMNS, _parse_rows)


def _read_csv(path: str | Path, required: tuple[str, ...], parse: Callable[[Any, str], _T]) -> _T:
    file = Path(path)
    source = str(path)
    text = read_text(file)
    if not text.strip():
        raise InvalidInput(
            f"the file is empty: expected a header '{','.join(required)}' and one row per value",
            source=source,
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return parse(reader, source)
    except csv.Error as exc:
        raise InvalidInput(
            f"not a readable CSV: {exc}", source=source, line=reader.line_num
        ) from None


def _header(reader: Any, source: str, required: tuple[str, ...]) -> tuple[list[str], int]:
    """The header's lowercased column names and its line; every required one is there."""
    header: list[str] | None = None
    for header in reader:
        if any(cell.strip() for cell in header):
            break
    assert header is not None
    header_line = reader.line_num
    columns = [cell.strip().lower() for cell in header]
    for column in required:
        if column not in columns:
            raise InvalidInput(
                f"missing column {column!r}: the header has {', '.join(columns) or 'nothing'}"
                f"; expected {','.join(required)}[,segment]",
                source=source,
                line=header_line,
                field=column,
            )
    return columns, header_line


def _rows(reader: Any, source: str, width: int) -> Iterator[tuple[int, list[str]]]:
    """The non-blank rows with their line, each with as many fields as the header."""
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != width:
            raise InvalidInput(
                f"has {len(row)} fields, the header has {width}", source=source, line=line
            )
        yield line, row


def _parse_rows(reader: Any, source: str) -> SeriesFile:
    columns, header_line = _header(reader, source, REQUIRED_COLUMNS)
    t_col, v_col = columns.index("timestamp"), columns.index("value")
    s_col = columns.index("segment") if "segment" in columns else None

    moments: list[datetime] = []
    values: list[float] = []
    segments: list[str | None] = []
    lines: list[int] = []
    first_line: dict[tuple[str | None, datetime], int] = {}
    for line, row in _rows(reader, source, len(columns)):
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
    return _series_file(source, moments, values, segments if s_col is not None else None, lines)


def _series_file(
    source: str,
    moments: list[datetime],
    values: list[float],
    segments: list[str | None] | None,
    lines: list[int],
) -> SeriesFile:
    """The points sorted by time (stable: equal times keep the file's order)."""
    timestamps = np.array(moments, dtype="datetime64[s]")
    order = np.argsort(timestamps, kind="stable")
    series = Series(
        timestamps[order],
        np.array(values, dtype=np.float64)[order],
        tuple(segments[i] for i in order) if segments is not None else None,
    )
    return SeriesFile(source, series, tuple(lines[i] for i in order))


# --- several KPIs in one file --------------------------------------------------------

MULTI_REQUIRED_COLUMNS = ("timestamp", "kpi", "value")


@dataclass(frozen=True)
class MultiSeriesFile:
    """Several KPIs' series from one long-format file (`timestamp,kpi,value[,segment]`).

    `kpis` holds each KPI's points as a `SeriesFile` (with its segments when the file
    has a segment column), in the order the KPIs first appear in the file.
    """

    path: str
    kpis: Mapping[str, SeriesFile]
    has_segments: bool

    def get(self, key: str, *, field: str = "kpi") -> SeriesFile:
        """One KPI's points; an unknown key is an error that lists the file's KPIs."""
        if key not in self.kpis:
            raise InvalidInput(
                f"no KPI {key!r} in {self.path}; it has: {', '.join(self.kpis)}", field=field
            )
        return self.kpis[key]

    def has_total(self, key: str) -> bool:
        """Whether a KPI has rows without a segment (its total)."""
        segments = self.get(key).series.segments
        return segments is None or None in segments

    def total(self, key: str, *, field: str = "kpi") -> Series:
        """A KPI's total: its rows without a segment."""
        series = self.get(key, field=field).series
        if series.segments is None:
            return series
        mask = np.array([s is None for s in series.segments], dtype=bool)
        if not mask.any():
            names = sorted({s for s in series.segments if s})
            raise InvalidInput(
                f"{key!r} has only segment rows ({', '.join(names)}) in {self.path}, no total",
                field=field,
            )
        return Series(series.timestamps[mask], series.values[mask])

    def segments(self, key: str, *, field: str = "kpi") -> dict[str, Series]:
        """A KPI's series per segment (rows without a segment, the total, left out)."""
        series = self.get(key, field=field).series
        names = sorted({s for s in series.segments or () if s})
        if not names:
            raise InvalidInput(f"{key!r} has no segment rows in {self.path}", field=field)
        assert series.segments is not None
        by_segment = np.array([s or "" for s in series.segments], dtype=object)
        result = {}
        for name in names:
            mask = by_segment == name
            result[name] = Series(series.timestamps[mask], series.values[mask])
        return result


def read_multi_series_csv(path: str | Path) -> MultiSeriesFile:
    """Read and validate a long-format `timestamp,kpi,value[,segment]` CSV of several KPIs.

    A KPI key is a slug (`paying_share`). Rows may come in any order; two rows for the
    same KPI, segment and timestamp are an error that names both lines. Extra columns
    are ignored. Errors name the file, line and column, as `read_series_csv` does.
    """
    return _read_csv(path, MULTI_REQUIRED_COLUMNS, _parse_multi_rows)


def _parse_multi_rows(reader: Any, source: str) -> MultiSeriesFile:
    columns, header_line = _header(reader, source, MULTI_REQUIRED_COLUMNS)
    t_col, k_col, v_col = (columns.index(c) for c in MULTI_REQUIRED_COLUMNS)
    s_col = columns.index("segment") if "segment" in columns else None

    points: dict[str, tuple[list[datetime], list[float], list[str | None], list[int]]] = {}
    first_line: dict[tuple[str, str | None, datetime], int] = {}
    for line, row in _rows(reader, source, len(columns)):
        moment = parse_moment(row[t_col], source=source, line=line)
        kpi = _parse_key(row[k_col], source=source, line=line)
        value = parse_number(row[v_col], source=source, line=line)
        segment = row[s_col].strip() or None if s_col is not None else None
        key = (kpi, segment, moment)
        if key in first_line:
            where = f" segment {segment!r}" if segment else ""
            raise InvalidInput(
                f"duplicate timestamp {moment.isoformat(sep=' ')} for KPI {kpi!r}{where}: "
                f"line {first_line[key]} has the same one",
                source=source,
                line=line,
                field="timestamp",
            )
        first_line[key] = line
        moments, values, segments, lines = points.setdefault(kpi, ([], [], [], []))
        moments.append(moment)
        values.append(value)
        segments.append(segment)
        lines.append(line)
    if not points:
        raise InvalidInput(
            "has a header but no values", source=source, line=header_line, field="value"
        )
    kpis = {
        kpi: _series_file(source, moments, values, segments if s_col is not None else None, lines)
        for kpi, (moments, values, segments, lines) in points.items()
    }
    return MultiSeriesFile(source, kpis, s_col is not None)


def _parse_key(text: str, *, source: str, line: int, field: str = "kpi") -> str:
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("is empty", source=source, line=line, field=field)
    if not is_key(cleaned):
        raise InvalidInput(
            f"{cleaned!r} is not a KPI key: use lowercase letters, digits and '_', starting "
            "with a letter (e.g. paying_share)",
            source=source,
            line=line,
            field=field,
        )
    return cleaned
