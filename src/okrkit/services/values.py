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

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from okrkit.domain.access import Actor
from okrkit.domain.cadence import as_utc
from okrkit.domain.errors import BadRows, InvalidInput, NotFound, RowError
from okrkit.domain.kpis import StoredKpi
from okrkit.domain.plausible import BoundsTable, Severity, bounds_of, questioned
from okrkit.domain.values import Series
from okrkit.services.access import require_kpi_edit, require_kpi_edits, require_kpi_sight, sight
from okrkit.services.health import KpiCheck, judge_kpi
from okrkit.services.ports import (
    CheckedValues,
    ImportRecord,
    KpiSpan,
    UnitOfWork,
    ValueBatch,
    ValueSource,
)
from okrkit.services.tiles import judge_tiles, refresh_health, window_span

__all__ = [
    "AUDIT_KPIS",
    "MAX_PAGE",
    "SEVERAL_KPIS",
    "ImportPreview",
    "ImportReport",
    "KpiImport",
    "KpiPreview",
    "ValuePage",
    "delete_value",
    "import_values",
    "preview_import",
    "set_value",
    "value_page",
]

# The audit entry of an import names its KPI, or this when it touched several.
SEVERAL_KPIS = "*"
# Up to this many KPIs, the audit entry lists each one's rows and time range; an import
# is checked against each KPI's usual range, and its preview judges each KPI before and
# after. A nightly load of thousands of KPIs is checked against units and the clock.
AUDIT_KPIS = 100
# How many questioned rows of each kind an answer lists (the counts are all of them).
SHOWN = 100
# What kind of write a `value_imports` row is.
IMPORT, TYPED, DELETED = "import", "typed", "deleted"

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
    """The outcome of an import: rows read and written, each KPI it touched, the
    warnings it went ahead with (`warnings` lists up to `SHOWN` of `warning_count`), and
    its record (what undoes it)."""

    source: str
    rows_read: int
    rows_written: int
    kpis: tuple[KpiImport, ...]
    record: ImportRecord | None = None
    warnings: tuple[RowError, ...] = ()
    warning_count: int = 0

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


@dataclass(frozen=True)
class KpiPreview:
    """What an import would do to one KPI: its rows, how many are new, replace a value
    or change nothing, and its status and verdict before and after (None: not judged —
    no values, or more KPIs than `AUDIT_KPIS`)."""

    key: str
    name: str
    unit: str
    rows: int
    new: int
    replaced: int
    unchanged: int
    first: datetime
    last: datetime
    before: KpiCheck | None
    after: KpiCheck | None


@dataclass(frozen=True)
class ImportPreview:
    """An import before it is written: its rows, what it would do to each KPI, and the
    rows it questions — errors (it cannot be written until they are fixed) and warnings
    (shown, then confirmed), each list up to `SHOWN` with the full counts."""

    source: str
    rows: int
    kpis: tuple[KpiPreview, ...]
    errors: tuple[RowError, ...]
    error_count: int
    warnings: tuple[RowError, ...]
    warning_count: int

    @property
    def new(self) -> int:
        return sum(k.new for k in self.kpis)

    @property
    def replaced(self) -> int:
        return sum(k.replaced for k in self.kpis)

    @property
    def unchanged(self) -> int:
        return sum(k.unchanged for k in self.kpis)

    @property
    def can_import(self) -> bool:
        """No errors: the import can be confirmed (warnings and all)."""
        return self.error_count == 0


def import_values(
    uow: UnitOfWork,
    source: ValueSource,
    who: Actor,
    now: datetime,
    *,
    default_kpi: str | None = None,
    progress: Progress | None = None,
    kind: str = IMPORT,
    hold_warnings: bool = False,
) -> ImportReport:
    """Import KPI values: check every row, then write them all, or nothing; then judge
    the tiles of the KPIs it touched.

    Every row must name a KPI of the workspace (or the source is for `default_kpi`), a
    time and a finite number, and no two rows may give the same KPI, segment and time;
    each value must be plausible (`domain.plausible`: within its unit's range, not in
    the future). Otherwise `BadRows` lists every bad row and nothing is written. A value
    far outside its KPI's usual range is a warning: the import goes ahead and the report
    lists it (a person sees it first in `preview_import`). A value already stored for
    the same KPI, segment and time is replaced when it differs, so re-importing a file
    changes nothing. The import is one transaction: its values, its record (what
    `imports.undo_import` undoes; every value it replaced is kept), one audit entry
    (action "import", entity "kpi", keyed by its KPI, or "*" when it touched several).
    Once it is committed, the touched KPIs' dashboard tiles are judged anew
    (`tiles.refresh_health`, in transactions of their own, so the import's write lock is
    held no longer than the write; until then a tile is judged live).
    `progress(rows_done, rows_total)` is called before the first batch and after each.
    With `hold_warnings`, an import with warnings is not written: the report lists them
    and has no `record` (a person confirms, and imports again without it).
    """
    actor = who.name
    with uow:
        checked = _checked(uow, source, default_kpi)
        require_kpi_edits(uow, who, (span.key for span in checked.spans), "write values")
        scan = _Scan(uow, checked.spans, now, judge=False)
        total = checked.rows
        if progress is not None:
            progress(0, total)
        import_id = uow.imports.start(kind, source.name, actor, now)
        written = done = 0
        for batch in checked.batches():
            scan.question(batch)
            if not scan.error_count:
                written += uow.values.upsert(batch, import_id)
            done += len(batch)
            if progress is not None:
                progress(done, total)
        if scan.error_count:
            raise scan.bad_rows(source)
        if hold_warnings and scan.warning_count:
            # Not confirmed yet: nothing is committed, the warnings go back to be seen.
            warned = scan.rows(source, Severity.WARNING)
            return ImportReport(source.name, total, 0, (), None, warned, scan.warning_count)
        # Their kept tiles are out of date now: judged anew below, once committed.
        uow.kpis.touch_values(span.key for span in checked.spans)
        record = uow.imports.finish(
            import_id,
            rows=total,
            changed=written,
            first=min(span.first for span in checked.spans),
            last=max(span.last for span in checked.spans),
            per_kpi={span.key: span.rows for span in checked.spans},
        )
        warnings = scan.rows(source, Severity.WARNING)
        report = ImportReport(
            source.name,
            total,
            written,
            tuple(_kpi_import(span) for span in checked.spans),
            record,
            warnings,
            scan.warning_count,
        )
        only = report.kpis[0].key if report.kpis_touched == 1 else SEVERAL_KPIS
        uow.audit.append(
            actor=actor, action=kind, entity="kpi", key=only, before=None,
            after=_audit_record(report), at=now,
        )  # fmt: skip
        uow.commit()
    refresh_health(uow, now, [k.key for k in report.kpis])
    return report


def preview_import(
    uow: UnitOfWork,
    source: ValueSource,
    now: datetime,
    *,
    viewer: Actor,
    default_kpi: str | None = None,
) -> ImportPreview:
    """What importing `source` would do, written nowhere: its rows per KPI (new, replacing
    a value, unchanged), each KPI's status and verdict before and after, and every row
    it questions (errors and warnings, at their lines). Rows that are not values at all
    (a bad date, an unknown KPI) are refused as by `import_values` (`BadRows`); a
    private KPI `viewer` may not see is unknown to them too."""
    with uow:
        checked = _checked(uow, source, default_kpi, sight(uow, viewer).hidden_kpis)
        scan = _Scan(uow, checked.spans, now, judge=len(checked.spans) <= AUDIT_KPIS)
        for batch in checked.batches():
            scan.question(batch)
            scan.compare(batch)
        kpis = tuple(scan.preview(span) for span in checked.spans)
        return ImportPreview(
            source.name,
            checked.rows,
            kpis,
            scan.rows(source, Severity.ERROR),
            scan.error_count,
            scan.rows(source, Severity.WARNING),
            scan.warning_count,
        )


def set_value(
    uow: UnitOfWork,
    source: ValueSource,
    who: Actor,
    now: datetime,
    *,
    kpi: str,
    confirmed: bool = True,
) -> ImportReport:
    """Type in one value of a KPI (or replace the one at the same time and segment):
    an import of one row, checked, recorded and undoable like any other. Not
    `confirmed`, a value with a warning (far outside the usual range) is not written:
    the report says why and has no `record`."""
    return import_values(
        uow, source, who, now, default_kpi=kpi, kind=TYPED, hold_warnings=not confirmed
    )


def delete_value(
    uow: UnitOfWork, kpi: str, at: datetime, who: Actor, now: datetime, *, segment: str = ""
) -> ImportRecord:
    """Delete one value of a KPI (its total, or a segment's): recorded as a write of its
    own, the value kept in the history (undoing the deletion puts it back) and audited.
    `NotFound` names a KPI or a value that does not exist."""
    actor = who.name
    when = as_utc(at)
    with uow:
        require_kpi_edit(who, uow.kpis.get(kpi), f"delete a value of the KPI {kpi!r}")
        import_id = uow.imports.start(DELETED, f"{kpi} at {when:%Y-%m-%d %H:%M:%S}", actor, now)
        value = uow.imports.record_deletion(import_id, kpi, segment, when)
        if value is None:
            shown = f" of segment {segment!r}" if segment else ""
            raise NotFound(f"no value of {kpi!r}{shown} at {when:%Y-%m-%d %H:%M:%S} UTC")
        uow.kpis.touch_values([kpi])
        record = uow.imports.finish(
            import_id, rows=1, changed=1, first=when, last=when, per_kpi={kpi: 1}
        )
        uow.audit.append(
            actor=actor, action="delete-value", entity="kpi", key=kpi,
            before={"timestamp": when.isoformat(), "segment": segment, "value": value},
            after={"import": record.id}, at=now,
        )  # fmt: skip
        uow.commit()
    refresh_health(uow, now, [kpi])
    return record


def _checked(
    uow: UnitOfWork,
    source: ValueSource,
    default_kpi: str | None,
    hidden: Collection[str] = frozenset(),
) -> CheckedValues:
    known = uow.kpis.existing(source.kpi_keys(default_kpi)) - set(hidden)
    return source.validate(known, default_kpi)


class _Scan:
    """The plausibility of an import's rows, batch by batch (`domain.plausible`), and
    for a preview what each row would do to the store and to its KPI's health."""

    def __init__(
        self, uow: UnitOfWork, spans: Sequence[KpiSpan], now: datetime, *, judge: bool
    ) -> None:
        self._uow = uow
        self._now = now
        listed = uow.kpis.list(keys=[span.key for span in spans])
        self._stored = {stored.kpi.key: stored for stored in listed}
        # The usual range (and a preview's judgement) of up to AUDIT_KPIS KPIs.
        self._judged: dict[str, KpiCheck] = {}
        if len(listed) <= AUDIT_KPIS:
            judged = judge_tiles(uow, listed, now).checks
            self._judged = {key: check for key, (check, *_) in judged.items()}
        self._bounds = {
            key: bounds_of(
                stored.kpi,
                now,
                self._judged[key].xmr.limits if key in self._judged else None,
            )
            for key, stored in self._stored.items()
        }
        self._judge = judge
        self._firsts = {span.key: span.first for span in spans}
        self._windows: dict[str, Series] = {}
        self._tables: dict[tuple[str, ...], BoundsTable] = {}
        self.error_count = self.warning_count = 0
        self._flagged: dict[Severity, list[tuple[int, str, str, datetime, float]]] = {
            Severity.ERROR: [],
            Severity.WARNING: [],
        }
        self._counts: dict[str, list[int]] = {}  # key -> [new, replaced, unchanged]
        self._new_totals: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}

    def question(self, batch: ValueBatch) -> None:
        """Check a batch's rows; remember the first `SHOWN` questioned of each kind."""
        table = self._tables.get(batch.kpis)
        if table is None:  # a source's batches share their KPIs: built once
            table = self._tables[batch.kpis] = BoundsTable.of(
                [self._bounds[key] for key in batch.kpis]
            )
        total = None
        if any(batch.segment):
            total = np.array([segment == "" for segment in batch.segment], dtype=bool)
        errors, warnings = questioned(table, batch.kpi, batch.timestamps, batch.value, total)
        for severity, mask in ((Severity.ERROR, errors), (Severity.WARNING, warnings)):
            hits = np.flatnonzero(mask)
            if severity is Severity.ERROR:
                self.error_count += len(hits)
            else:
                self.warning_count += len(hits)
            kept = self._flagged[severity]
            for i in hits[: max(SHOWN - len(kept), 0)].tolist():
                kept.append(
                    (
                        int(batch.rows[i]) if batch.rows is not None else i,
                        batch.kpis[int(batch.kpi[i])],
                        batch.segment[i],
                        batch.timestamps[i].astype("datetime64[s]").item(),
                        float(batch.value[i]),
                    )
                )

    def compare(self, batch: ValueBatch) -> None:
        """Count what a batch's rows would do (new, replace, unchanged) and keep the
        KPIs' new totals to judge them after."""
        stored = self._uow.values.stored(batch)
        new = np.isnan(stored)
        same = ~new & (stored == batch.value)
        for position, key in enumerate(batch.kpis):
            mine = batch.kpi == position
            if not mine.any():
                continue
            counts = self._counts.setdefault(key, [0, 0, 0])
            counts[0] += int((mine & new).sum())
            counts[1] += int((mine & ~new & ~same).sum())
            counts[2] += int((mine & same).sum())
            if self._judge:
                total = mine & np.array([s == "" for s in batch.segment], dtype=bool)
                self._new_totals.setdefault(key, []).append(
                    (batch.timestamps[total].astype("datetime64[s]"), batch.value[total])
                )

    def preview(self, span: KpiSpan) -> KpiPreview:
        """One KPI's part of the preview."""
        stored = self._stored[span.key]
        new, replaced, unchanged = self._counts.get(span.key, [0, 0, 0])
        before = self._judged.get(span.key)
        after = None
        parts = self._new_totals.get(span.key)
        if self._judge and parts:
            after = self._after(stored, parts) or before
        return KpiPreview(
            span.key, stored.kpi.name, stored.kpi.unit, span.rows, new, replaced, unchanged,
            span.first, span.last, before, after,
        )  # fmt: skip

    def _stored_window(self, stored: StoredKpi) -> Series:
        """A KPI's stored total from a window before the import's first row of it on,
        read once per KPI (a preview judges it once with every row, and once per
        questioned row alone); older points than a judgement needs are cut by its
        window."""
        key = stored.kpi.key
        if key not in self._windows:
            since = self._firsts[key] - window_span(stored)
            self._windows[key] = self._uow.values.series(key, "", since)
        return self._windows[key]

    def _after(
        self, stored: StoredKpi, parts: list[tuple[np.ndarray, np.ndarray]]
    ) -> KpiCheck | None:
        stamps = np.concatenate([p[0] for p in parts])
        values = np.concatenate([p[1] for p in parts])
        if not len(stamps):
            return None
        old = self._stored_window(stored)
        keep = ~np.isin(old.timestamps.astype("datetime64[s]"), stamps)
        all_stamps = np.concatenate([old.timestamps.astype("datetime64[s]")[keep], stamps])
        all_values = np.concatenate([old.values[keep], values])
        order = np.argsort(all_stamps, kind="stable")
        merged = Series(all_stamps[order], all_values[order])
        locked = None
        if stored.baseline is not None:
            locked = self._uow.values.totals_between({stored.kpi.key: stored.baseline}).get(
                stored.kpi.key
            )
        try:
            return judge_kpi(stored.kpi, merged, self._now, stored.window_periods, locked)
        except InvalidInput:  # a KPI that can't be judged, as its tile says
            return None

    def rows(self, source: ValueSource, severity: Severity) -> tuple[RowError, ...]:
        """The questioned rows of one kind, at their lines, with the reason."""
        kept = self._flagged[severity]
        if not kept:
            return ()
        lines, unit = source.lines([ordinal for ordinal, *_ in kept])
        out = []
        for line, (_, key, segment, when, value) in zip(lines, kept, strict=True):
            bounds = self._bounds[key]
            unit_name = self._stored[key].kpi.unit
            column = "timestamp" if when > bounds.latest else "value"
            reason = bounds.reason(when, value, segment == "", unit_name)
            if self._judge and segment == "":
                reason += self._effect(key, when, value)
            out.append(RowError(line, column, f"{key}: {reason}", unit))
        return tuple(out)

    def _effect(self, key: str, when: datetime, value: float) -> str:
        """What one questioned row would do to its KPI's status on its own (a preview)."""
        before = self._judged.get(key)
        if before is None:
            return ""
        row = (np.array([when], dtype="datetime64[s]"), np.array([value], dtype=np.float64))
        after = self._after(self._stored[key], [row])
        if after is None:
            return ""
        if after.status is before.status:
            return f"; on its own it would leave the status {before.status.value}"
        return (
            f"; on its own it would turn the status from {before.status.value} "
            f"to {after.status.value}"
        )

    def bad_rows(self, source: ValueSource) -> BadRows:
        """The errors as `BadRows`: nothing can be written until they are fixed."""
        return BadRows(
            self.rows(source, Severity.ERROR), source=source.name, count=self.error_count
        )


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
    """A page of one KPI segment's values, oldest first (or newest first when asked);
    `total` counts the whole range.

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
    newest_first: bool = False,
    viewer: Actor,
) -> ValuePage:
    """The values a KPI had between `start` and `end` (naive UTC, inclusive), one page.

    A range that ends before it starts, or a page size outside 1…`MAX_PAGE`, is refused
    naming the parameter; an unknown KPI is NotFound, and so is a private KPI `viewer`
    may not see. An unknown segment is an empty
    page: a segment exists once it has values. `newest_first` counts the offset from the
    newest value back (a page of a table that shows the latest first).
    """
    if start is not None and end is not None and start > end:
        raise InvalidInput("the range starts after it ends", field="from")
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"the page size must be 1 to {MAX_PAGE}", field="limit")
    if offset < 0:
        raise InvalidInput("the offset cannot be negative", field="offset")
    with uow:
        require_kpi_sight(viewer, uow.kpis.get(key))
        series = uow.values.series(key, segment, start)
    stamps = series.timestamps.astype("datetime64[s]")
    stop = (
        len(series)
        if end is None
        else int(np.searchsorted(stamps, np.datetime64(as_utc(end), "s"), "right"))
    )
    chosen = slice(min(offset, stop), min(offset + limit, stop))
    if newest_first:
        chosen = slice(max(stop - offset - limit, 0), max(stop - offset, 0))
    points = tuple(zip(stamps[chosen].tolist(), series.values[chosen].tolist(), strict=True))
    if newest_first:
        points = points[::-1]
    return ValuePage(key, segment, start, end, points, stop, offset, limit)
