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

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from okrkit.domain.cadence import as_utc
from okrkit.domain.errors import InvalidInput
from okrkit.services.ports import KpiSpan, UnitOfWork, ValueSource
from okrkit.services.tiles import refresh_health

__all__ = [
    "AUDIT_KPIS",
    "MAX_PAGE",
    "SEVERAL_KPIS",
    "ImportReport",
    "KpiImport",
    "ValuePage",
    "import_values",
    "value_page",
]

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


def import_values(
    uow: UnitOfWork,
    source: ValueSource,
    actor: str,
    now: datetime,
    *,
    default_kpi: str | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import KPI values: check every row, then write them all, or nothing; then judge
    the tiles of the KPIs it touched.

    Every row must name a KPI of the workspace (or the source is for `default_kpi`), a
    time and a finite number, and no two rows may give the same KPI, segment and time:
    otherwise `BadRows` lists every bad row and nothing is written. A value already
    stored for the same KPI, segment and time is replaced, so re-importing a file is
    harmless. The import is one transaction with one audit entry (action "import",
    entity "kpi", keyed by its KPI, or "*" when it touched several) holding the counts
    and the time range. Once it is committed, the touched KPIs' dashboard tiles are
    judged anew (`tiles.refresh_health`, in transactions of their own, so the import's
    write lock is held no longer than the write; until then a tile is judged live).
    `progress(rows_done, rows_total)` is called before the first batch and after each.
    """
    with uow:
        known = uow.kpis.existing(source.kpi_keys(default_kpi))
        checked = source.validate(known, default_kpi)
        total = checked.rows
        if progress is not None:
            progress(0, total)
        written = 0
        for batch in checked.batches():
            written += uow.values.upsert(batch)
            if progress is not None:
                progress(written, total)
        # Their kept tiles are out of date now: judged anew below, once committed.
        uow.kpis.touch_values(span.key for span in checked.spans)
        report = ImportReport(
            source.name, total, written, tuple(_kpi_import(span) for span in checked.spans)
        )
        only = report.kpis[0].key if report.kpis_touched == 1 else SEVERAL_KPIS
        uow.audit.append(
            actor=actor, action="import", entity="kpi", key=only, before=None,
            after=_audit_record(report), at=now,
        )  # fmt: skip
        uow.commit()
    refresh_health(uow, now, [k.key for k in report.kpis])
    return report


def _kpi_import(span: KpiSpan) -> KpiImport:
    return KpiImport(span.key, span.rows, span.first, span.last)


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
        series = uow.values.series(key, segment, start)
    stamps = series.timestamps.astype("datetime64[s]")
    stop = (
        len(series)
        if end is None
        else int(np.searchsorted(stamps, np.datetime64(as_utc(end), "s"), "right"))
    )
    chosen = slice(min(offset, stop), min(offset + limit, stop))
    points = tuple(zip(stamps[chosen].tolist(), series.values[chosen].tolist(), strict=True))
    return ValuePage(key, segment, start, end, points, stop, offset, limit)
