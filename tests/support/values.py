"""KPI values for tests as the store's port takes them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import numpy as np

from okrkit.domain.cadence import as_utc
from okrkit.services.ports import ValueBatch

__all__ = ["Row", "batch"]

Row = tuple[str, str, date | datetime, float]  # kpi, segment, moment, value


def batch(rows: Sequence[Row]) -> ValueBatch:
    """Rows of (KPI key, segment, moment, value) as one `ValueBatch` (a date is its
    midnight UTC)."""
    kpis = tuple(sorted({kpi for kpi, *_ in rows}))
    position = {key: n for n, key in enumerate(kpis)}
    return ValueBatch(
        kpis=kpis,
        kpi=np.array([position[kpi] for kpi, *_ in rows], dtype=np.int64),
        segment=[segment for _, segment, _, _ in rows],
        timestamps=np.array([as_utc(at) for _, _, at, _ in rows], dtype="datetime64[s]"),
        value=np.array([value for *_, value in rows], dtype=np.float64),
    )
