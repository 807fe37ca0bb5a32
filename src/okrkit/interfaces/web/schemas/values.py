"""A KPI's values in the API: the items of an import and its report, and a page of
values read back."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from okrkit.adapters.sources.values.rows import ValueRow
from okrkit.interfaces import formatting as fmt
from okrkit.interfaces.documents import import_document, preview_document
from okrkit.interfaces.web.schemas.common import Moment, StrictIn, aware
from okrkit.services.ports import ImportRecord, UndoneImport
from okrkit.services.values import SHOWN, ImportPreview, ImportReport, ValuePage

__all__ = [
    "ImportOut",
    "ImportRecordOut",
    "JudgedOut",
    "KpiImportOut",
    "KpiPreviewOut",
    "OneValueIn",
    "PreviewOut",
    "RowProblemOut",
    "UndoneOut",
    "ValueIn",
    "ValueOut",
    "ValuesPageOut",
]


class ValueIn(StrictIn):
    """One value to import; the KPI is the one of the path."""

    timestamp: Moment = Field(
        description="ISO 8601 date (its midnight) or datetime; UTC unless it has an offset."
    )
    value: float = Field(description="A finite number (15 for 15 %).")
    segment: str | None = Field(
        default=None, description="A segment such as plan=pro; omitted or null: the total."
    )

    def to_row(self) -> ValueRow:
        return ValueRow(self.timestamp, self.value, self.segment or "")


class KpiImportOut(BaseModel):
    """What an import wrote for one KPI."""

    key: str
    rows: int
    first: datetime
    last: datetime


class RowProblemOut(BaseModel):
    """A row an import questions: where (0-based item of the body, or the file's line),
    the field, and why."""

    item: int = Field(description="The row: its 0-based index in the body, or its line.")
    field: str | None
    detail: str


class ImportOut(BaseModel):
    """The outcome of an import: rows read and written (inserted or changed), each KPI it
    touched, the warnings it went ahead with, and the import's id (what undoes it)."""

    id: int | None = Field(description="The import's id: POST /imports/{id}/undo undoes it.")
    source: str
    rows_read: int
    rows_written: int = Field(description="Rows inserted or changed (equal values are not).")
    new: int = Field(description="Values added where there was none.")
    replaced: int = Field(description="Values that replaced a different one.")
    kpis: list[KpiImportOut]
    warning_count: int
    warnings: list[RowProblemOut] = Field(description=f"Up to {SHOWN} of them.")

    @classmethod
    def from_report(cls, report: ImportReport) -> ImportOut:
        return cls.model_validate(import_document(report))


class JudgedOut(BaseModel):
    """A KPI's status and verdict at one moment."""

    status: str
    verdict: str
    latest_value: float


class KpiPreviewOut(BaseModel):
    """What an import would do to one KPI."""

    key: str
    rows: int
    new: int
    replaced: int
    unchanged: int
    first: datetime
    last: datetime
    before: JudgedOut | None = Field(description="null: no values yet, or not judged.")
    after: JudgedOut | None


class PreviewOut(BaseModel):
    """An import not written (`dry_run`): what it would do, and every row it questions —
    errors (it would be refused) and warnings (it would go ahead with them)."""

    source: str
    rows: int
    can_import: bool
    new: int
    replaced: int
    unchanged: int
    kpis: list[KpiPreviewOut]
    error_count: int
    errors: list[RowProblemOut] = Field(description=f"Up to {SHOWN} of them.")
    warning_count: int
    warnings: list[RowProblemOut] = Field(description=f"Up to {SHOWN} of them.")

    @classmethod
    def from_preview(cls, preview: ImportPreview) -> PreviewOut:
        return cls.model_validate(preview_document(preview))


class OneValueIn(StrictIn):
    """One value typed in at the path's time; it replaces the one stored there."""

    value: float = Field(description="A finite number (15 for 15 %).")
    segment: str | None = Field(
        default=None, description="A segment such as plan=pro; omitted or null: the total."
    )


class ImportRecordOut(BaseModel):
    """One write of a KPI's values: an import, a value typed in or deleted."""

    id: int
    at: datetime
    actor: str
    kind: str = Field(description="import, typed or deleted.")
    source: str
    rows: int
    new: int
    replaced: int
    first: datetime | None
    last: datetime | None
    kpis: list[str]
    undone_at: datetime | None
    undone_by: str | None

    @classmethod
    def of(cls, record: ImportRecord) -> ImportRecordOut:
        return cls(
            id=record.id,
            at=aware(record.at),
            actor=record.actor,
            kind=record.kind,
            source=record.source,
            rows=record.rows,
            new=record.added,
            replaced=record.replaced,
            first=None if record.first is None else aware(record.first),
            last=None if record.last is None else aware(record.last),
            kpis=list(record.kpis),
            undone_at=None if record.undone_at is None else aware(record.undone_at),
            undone_by=record.undone_by,
        )


class UndoneOut(BaseModel):
    """An import undone: its record, the values removed and those put back."""

    record: ImportRecordOut
    removed: int
    restored: int

    @classmethod
    def of(cls, undone: UndoneImport) -> UndoneOut:
        return cls(
            record=ImportRecordOut.of(undone.record),
            removed=undone.removed,
            restored=undone.restored,
        )


class ValueOut(BaseModel):
    timestamp: str
    value: float


class ValuesPageOut(BaseModel):
    """One page of a KPI segment's values, oldest first."""

    kpi: str
    segment: str | None = Field(description="null for the KPI's total.")
    start: str | None = Field(alias="from", description="Start of the range (inclusive).")
    end: str | None = Field(alias="to", description="End of the range (inclusive).")
    total: int = Field(description="How many values the whole range holds.")
    offset: int
    limit: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last.")
    items: list[ValueOut]

    model_config = ConfigDict(populate_by_name=True)

    @classmethod
    def from_page(cls, page: ValuePage) -> ValuesPageOut:
        return cls.model_validate(
            {
                "kpi": page.kpi,
                "segment": page.segment or None,
                "from": None if page.start is None else fmt.moment(page.start),
                "to": None if page.end is None else fmt.moment(page.end),
                "total": page.total,
                "offset": page.offset,
                "limit": page.limit,
                "next_offset": page.next_offset,
                "items": [ValueOut(timestamp=fmt.moment(t), value=v) for t, v in page.points],
            }
        )
