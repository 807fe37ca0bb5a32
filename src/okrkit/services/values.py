"""Reading a KPI's values: one page of one segment's series between two moments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from okrkit.domain.cadence import epoch_seconds
from okrkit.domain.errors import InvalidInput
from okrkit.services.ports import UnitOfWork

__all__ = ["MAX_PAGE", "ValuePage", "value_page"]

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
