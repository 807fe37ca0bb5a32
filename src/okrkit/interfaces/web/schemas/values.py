"""A KPI's values in the API: the items of an import and its report, and a page of
values read back."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from okrkit.adapters.sources.values.rows import ValueRow
from okrkit.interfaces import formatting as fmt
from okrkit.interfaces.web.schemas.common import Moment, StrictIn, aware
from okrkit.services.values import ImportReport, ValuePage

__all__ = ["ImportOut", "KpiImportOut", "ValueIn", "ValueOut", "ValuesPageOut"]


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


class ImportOut(BaseModel):
    """The outcome of an import: rows read and written, and each KPI it touched."""

    source: str
    rows_read: int
    rows_written: int
    kpis: list[KpiImportOut]

    @classmethod
    def from_report(cls, report: ImportReport) -> ImportOut:
        return cls(
            source=report.source,
            rows_read=report.rows_read,
            rows_written=report.rows_written,
            kpis=[
                KpiImportOut(key=k.key, rows=k.rows, first=aware(k.first), last=aware(k.last))
                for k in report.kpis
            ],
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
