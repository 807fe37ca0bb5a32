"""KPI values: importing them (from a file or an API body) and reading them back.

A team's numbers usually arrive in bulk — an export from the warehouse, a spreadsheet
— and a half-imported file is worse than none: the dashboard would judge a KPI on a
series with a hole in it. So the whole file is checked first (every bad row is
reported at once, nothing is written), then every row is written in one transaction.
Importing the same file again changes nothing but the values that changed: a value is
keyed by its KPI, segment and time. Reading gives one page of one segment's series
between two moments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import overload

import numpy as np

from okrkit.domain.cadence import epoch_seconds
from okrkit.domain.errors import InvalidInput
from okrkit.domain.keys import is_key
from okrkit.services.ports import KpiSpan, UnitOfWork, ValueBatch, ValueSource
from okrkit.services.tiles import refresh_health

__all__ = [
    "AUDIT_KPIS",
    "MAX_PAGE",
    "SEVERAL_KPIS",
    "ImportReport",
    "KpiImport",
    "ValuePage",
    "import_values",
    "refresh_imported",
    "value_page",
]

# Keys per store lookup: SQLite allows only so many parameters in one statement.
_KEYS_PER_QUERY = 500
# The audit entry of an import names its KPI, or this when it touched several.
SEVERAL_KPIS = "*"
# Up to this many KPIs, the audit entry lists each one's rows and time range.
AUDIT_KPIS = 100

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class KpiImport:
    """What an import wrote for one KPI: rows, and its first and last time (naive UTC)."""

    key: str
    rows: int
    first: datetime
    last: datetime


@dataclass(frozen=True)
class ImportReport:
    """The outcome of an import: rows read and written, and each KPI it touched."""

    source: str
    rows_read: int
    rows_written: int
    kpis: tuple[KpiImport, ...]

    @property
    def kpis_touched(self) -> int:
        return len(self.kpis)

    @property
    def first(self) -> datetime | None:
        """The earliest time imported, over every KPI."""
        return min((k.first for k in self.kpis), default=None)

    @property
    def last(self) -> datetime | None:
        """The latest time imported, over every KPI."""
        return max((k.last for k in self.kpis), default=None)


def _moment(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _kpi_ids(uow: UnitOfWork, keys: Iterable[str]) -> dict[str, int]:
    """Row ids of the keys that name a KPI (a string that is no key names none)."""
    wanted = sorted({key for key in keys if is_key(key)})
    ids: dict[str, int] = {}
    for chunk in _chunks(wanted, _KEYS_PER_QUERY):
        ids.update(uow.kpis.ids(chunk))
    return ids


def import_values(
    uow: UnitOfWork,
    source: ValueSource,
    actor: str,
    now: datetime,
    *,
    default_kpi: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a file of KPI values: check every row, then write them all, or nothing.

    Every row must name a KPI of the workspace (or the file is for `default_kpi`), a
    time and a finite number, and no two rows may give the same KPI, segment and time:
    otherwise `BadRows` lists every bad row and nothing is written. A value already
    stored for the same KPI, segment and time is replaced, so re-importing a file is
    harmless. The import is one audit entry (action "import", entity "kpi", keyed by
    its KPI, or "*" when it touched several) with the counts and the time range.
    `progress(rows_done, rows_total)` is called before the first batch and after each.
    """
    with uow:
        ids = _kpi_ids(uow, source.kpi_keys(default_kpi))
        checked = source.validate(ids, default_kpi)
        total = checked.rows
        if progress is not None:
            progress(0, total)
        written = 0
        for batch in checked.batches():
            written += uow.values.upsert(_Rows(batch))
            if progress is not None:
                progress(written, total)
        # Their kept tiles are out of date now (`refresh_imported` judges them anew).
        uow.kpis.touch_values(ids[span.key] for span in checked.spans)
        report = ImportReport(
            source.name, total, written, tuple(_kpi_import(span) for span in checked.spans)
        )
        only = report.kpis[0].key if report.kpis_touched == 1 else SEVERAL_KPIS
        uow.audit.append(
            actor=actor, action="import", entity="kpi", key=only, before=None,
            after=_audit_record(report), at=now,
        )  # fmt: skip
        uow.commit()
    return report


class _Rows(Sequence[tuple[int, str, int, float]]):
    """A batch as the store's rows, (kpi_id, segment, ts, value), made as they are read.

    The store walks the rows once (executemany, COPY); zipping the batch's columns on
    the way spares a list of 100,000 tuples per batch.
    """

    def __init__(self, batch: ValueBatch) -> None:
        self._batch = batch

    def __len__(self) -> int:
        return len(self._batch)

    @overload
    def __getitem__(self, index: int) -> tuple[int, str, int, float]: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple[int, str, int, float]]: ...
    def __getitem__(
        self, index: int | slice
    ) -> tuple[int, str, int, float] | list[tuple[int, str, int, float]]:
        if isinstance(index, slice):
            return list(self)[index]
        b = self._batch
        return (b.kpi_id[index], b.segment[index], b.ts[index], b.value[index])

    def __iter__(self) -> Iterator[tuple[int, str, int, float]]:
        b = self._batch
        return zip(b.kpi_id, b.segment, b.ts, b.value, strict=True)


def refresh_imported(uow: UnitOfWork, report: ImportReport, now: datetime) -> int:
    """Judge anew the tiles of the KPIs an import touched (the import dropped them), in
    transactions of their own; return how many were judged."""
    return refresh_health(uow, now, [k.key for k in report.kpis])


def _kpi_import(span: KpiSpan) -> KpiImport:
    return KpiImport(span.key, span.rows, _moment(span.first), _moment(span.last))


def _audit_record(report: ImportReport) -> dict[str, object]:
    """An import as the audit log keeps it (JSON-ready): what was written, from where.

    The KPIs are listed with their rows and time range up to `AUDIT_KPIS` of them; a
    nightly load of every KPI of a large organisation is counted, not listed.
    """
    assert report.first is not None
    assert report.last is not None
    record: dict[str, object] = {
        "source": report.source,
        "rows_read": report.rows_read,
        "rows_written": report.rows_written,
        "kpis": report.kpis_touched,
        "first": report.first.isoformat(),
        "last": report.last.isoformat(),
    }
    if report.kpis_touched <= AUDIT_KPIS:
        record["per_kpi"] = {
            k.key: {"rows": k.rows, "first": k.first.isoformat(), "last": k.last.isoformat()}
            for k in report.kpis
        }
    return record


# --- reading ---------------------------------------------------------------------

MAX_PAGE = 1000


@dataclass(frozen=True)
class ValuePage:
    """A page of one KPI segment's values, oldest first; `total` counts the whole range.

    `segment` "" is the KPI's total; `start` and `end` bound the range (both inclusive,
    None for open).
    """

    kpi: str
    segment: str
    start: datetime | None
    end: datetime | None
    points: tuple[tuple[datetime, float], ...]
    total: int
    offset: int
    limit: int

    @property
    def next_offset(self) -> int | None:
        """Where the next page starts, or None on the last page."""
        following = self.offset + len(self.points)
        return following if following < self.total else None


def value_page(
    uow: UnitOfWork,
    key: str,
    *,
    segment: str = "",
    start: datetime | None = None,
    end: datetime | None = None,
    offset: int = 0,
    limit: int = 100,
) -> ValuePage:
    """The values a KPI had between `start` and `end` (naive UTC, inclusive), one page.

    A range that ends before it starts, or a page size outside 1…`MAX_PAGE`, is refused
    naming the parameter; an unknown KPI is NotFound. An unknown segment is an empty
    page: a segment exists once it has values.
    """
    if start is not None and end is not None and start > end:
        raise InvalidInput("the range starts after it ends", field="from")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"the page size must be 1 to {MAX_PAGE}", field="limit")
    if offset < 0:
        raise InvalidInput("the offset cannot be negative", field="offset")
    with uow:
        uow.kpis.get(key)
        kpi_id = uow.kpis.ids([key])[key]
        series = uow.values.series(kpi_id, segment, None if start is None else epoch_seconds(start))
    seconds = series.timestamps.astype("datetime64[s]").astype(np.int64)
    stop = (
        len(series) if end is None else int(np.searchsorted(seconds, epoch_seconds(end), "right"))
    )
    chosen = slice(min(offset, stop), min(offset + limit, stop))
    points = tuple(
        (datetime.fromtimestamp(ts, UTC).replace(tzinfo=None), value)
        for ts, value in zip(seconds[chosen].tolist(), series.values[chosen].tolist(), strict=True)
    )
    return ValuePage(key, segment, start, end, points, stop, offset, limit)
