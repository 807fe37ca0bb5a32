"""KPI values already in memory — the items of a JSON request body — as a `ValueSource`.

The API parses a body of `{timestamp, value, segment?}` items with Pydantic (JSON types
and ISO 8601 times); these rows then go through the same use case as a file,
`services.values.import_values`, so an API import is all or nothing, idempotent and
audited exactly like `okrkit kpi import`. What the types cannot say is checked here, over
all rows at once, and reported like a file's bad rows (`BadRows`), each row by its
0-based index in the body (unit "item"): a KPI the workspace lacks, a value that is not
finite, a segment longer than the store keeps, two rows for the same KPI, segment and
time, a time outside the years okrkit keeps. As in a file, fractions of a second are
dropped (the store keeps whole seconds).

It lives with the other sources because it is one: the only code that turns outside
data into `ValueBatch`es, usable by any interface (the API now, a script later).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from okrkit.adapters.sources.values.limits import BATCH_ROWS, MAX_REPORTED, MAX_SEGMENT
from okrkit.domain.errors import BadRows, InvalidInput, NotFound, RowError
from okrkit.domain.values import check_moment
from okrkit.services.ports import KpiSpan, ValueBatch

__all__ = ["CheckedRows", "ValueRow", "ValueRows"]

UNIT = "item"


@dataclass(frozen=True)
class ValueRow:
    """One value: its time (naive is UTC), number, segment ("" the total) and KPI
    (None: the import's default KPI)."""

    timestamp: datetime
    value: float
    segment: str = ""
    kpi: str | None = None


def _seconds(moment: datetime) -> int:
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return math.floor(aware.timestamp())


def _moment(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)


def _when(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S")


def _out_of_range(items: Sequence[ValueRow]) -> Iterator[tuple[int, InvalidInput]]:
    """Each row whose time is outside the years okrkit keeps, with the domain's error."""
    for index, row in enumerate(items):
        try:
            check_moment(row.timestamp)
        except InvalidInput as error:
            yield index, error


@dataclass(frozen=True)
class CheckedRows:
    """Rows that all passed the checks, with what each KPI got, in batches."""

    kpis: tuple[str, ...]
    kpi: npt.NDArray[np.int64]
    seconds: npt.NDArray[np.int64]
    source: ValueRows
    rows: int
    spans: Sequence[KpiSpan]

    def batches(self) -> Iterator[ValueBatch]:
        """The rows in body order, `batch_rows` at a time."""
        items, size = self.source.items, self.source.batch_rows
        for start in range(0, len(items), size):
            chunk = items[start : start + size]
            yield ValueBatch(
                kpis=self.kpis,
                kpi=self.kpi[start : start + size],
                segment=[row.segment for row in chunk],
                timestamps=self.seconds[start : start + size].astype("datetime64[s]"),
                value=np.array([row.value for row in chunk], dtype=np.float64),
                rows=np.arange(start, start + len(chunk), dtype=np.int64),
            )


class ValueRows:
    """In-memory rows of KPI values (implements `okrkit.services.ports.ValueSource`)."""

    def __init__(
        self,
        items: Sequence[ValueRow],
        *,
        name: str = "request body",
        batch_rows: int = BATCH_ROWS,
        max_reported: int = MAX_REPORTED,
    ) -> None:
        self.items = tuple(items)
        self.batch_rows = batch_rows
        self.max_reported = max_reported
        self._name = name

    @property
    def name(self) -> str:
        """The rows as messages and the audit log name them."""
        return self._name

    def lines(self, rows: Sequence[int]) -> tuple[list[int], str]:
        """Rows are named by their 0-based index in the body."""
        return [int(n) for n in rows], UNIT

    def _key(self, row: ValueRow, default_kpi: str | None) -> str:
        key = row.kpi if row.kpi is not None else default_kpi
        if key is None:
            raise InvalidInput("the rows name no KPI", source=self.name, field="kpi")
        return key

    def kpi_keys(self, default_kpi: str | None) -> list[str]:
        """The distinct KPI keys the rows name (the default for rows without one)."""
        return sorted({self._key(row, default_kpi) for row in self.items})

    def validate(self, known: Collection[str], default_kpi: str | None) -> CheckedRows:
        """Check every row against the workspace's KPIs (`known`: the keys that name
        one); return the counts, or raise `BadRows` naming every bad row."""
        if not self.items:
            raise InvalidInput("has no values", source=self.name)
        if all(row.kpi is None for row in self.items) and default_kpi not in known:
            raise NotFound(f"no KPI {default_kpi!r}")
        keys = tuple(self._key(row, default_kpi) for row in self.items)
        errors = [
            RowError(index, "timestamp", error.message, UNIT)
            for index, error in _out_of_range(self.items)
        ]
        if errors:  # their seconds may not even exist
            raise BadRows(errors[: self.max_reported], source=self.name, count=len(errors))
        seconds = tuple(_seconds(row.timestamp) for row in self.items)
        first: dict[tuple[str, str, int], int] = {}
        for index, (row, key, ts) in enumerate(zip(self.items, keys, seconds, strict=True)):
            if key not in known:
                errors.append(RowError(index, "kpi", f"no KPI {key!r}", UNIT))
            seen = first.setdefault((key, row.segment, ts), index)
            if seen != index:
                errors.append(
                    RowError(
                        index,
                        "timestamp",
                        f"duplicate: {UNIT} {seen} has the same KPI, segment and timestamp "
                        f"({_when(ts)} UTC)",
                        UNIT,
                    )
                )
            if not math.isfinite(row.value):
                errors.append(RowError(index, "value", f"{row.value} is not a finite number", UNIT))
            if len(row.segment) > MAX_SEGMENT:
                errors.append(
                    RowError(index, "segment", f"is longer than {MAX_SEGMENT} characters", UNIT)
                )
        if errors:
            raise BadRows(errors[: self.max_reported], source=self.name, count=len(errors))
        spans: dict[str, list[int]] = {}
        for key, ts in zip(keys, seconds, strict=True):
            span = spans.setdefault(key, [0, ts, ts])
            span[0] += 1
            span[1], span[2] = min(span[1], ts), max(span[2], ts)
        named = tuple(sorted(spans))
        position = {key: n for n, key in enumerate(named)}
        return CheckedRows(
            named,
            np.array([position[key] for key in keys], dtype=np.int64),
            np.array(seconds, dtype=np.int64),
            self,
            len(self.items),
            tuple(
                KpiSpan(key, spans[key][0], _moment(spans[key][1]), _moment(spans[key][2]))
                for key in named
            ),
        )
