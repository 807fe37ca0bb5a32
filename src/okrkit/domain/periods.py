"""Periods: several KPIs' series on one axis of a cadence's periods.

Rule (docs/rules.md, "Trend" and "Derived KPIs"): a period is one step of a KPI's cadence
and a period holding several points is worth their mean. A derived KPI is computed
period by period from its inputs, and a comparison or correlation of KPIs pairs their
values period by period, so every series is put on the same run of consecutive
periods; a period where a series has no point is unknown there (NaN), never skipped
(skipping would pair values of different periods). `align_periods` also says which
period holds each day a person asked about.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt

from okrkit.domain.cadence import Cadence, CadenceKind
from okrkit.domain.errors import InvalidInput
from okrkit.domain.values import Series

__all__ = ["MAX_PERIODS", "PeriodTable", "align_periods"]

FloatArray = npt.NDArray[np.float64]
K = TypeVar("K", bound=Hashable)

# An axis longer than this comes from a cadence far finer than the data (say periods
# of one second over a year): refused rather than allocated.
MAX_PERIODS = 100_000


@dataclass(frozen=True)
class PeriodTable(Generic[K]):
    """Several series on one axis of consecutive periods of a cadence.

    Each period is worth the mean of a series' points in it (NaN where it has none);
    `periods` are the period numbers of `Cadence.period_index`, every period from the
    first to the last, so a gap is a NaN. `located` gives the period of each moment
    asked for, or None for a moment after the newest value on a cadence counted back
    from it (a median spacing).
    """

    cadence: Cadence
    periods: npt.NDArray[np.int64]
    values: Mapping[K, FloatArray]
    located: tuple[int | None, ...] = ()

    def at(self, period: int) -> dict[K, float]:
        """Each series' value in one period (NaN when it has none there)."""
        index = int(period - self.periods[0]) if self.periods.size else -1
        if not 0 <= index < self.periods.size:
            return dict.fromkeys(self.values, math.nan)
        return {key: float(column[index]) for key, column in self.values.items()}


def align_periods(
    series: Mapping[K, Series], cadence: Cadence, moments: Sequence[datetime] = ()
) -> PeriodTable[K]:
    """Put several KPIs' series on one axis of the cadence's periods, each period worth
    the mean of its points (the trend rule), so formulas and correlations compare
    like with like; and find the period of each of `moments` on that axis."""
    stamps = [s.timestamps.astype("datetime64[s]") for s in series.values()]
    data = np.concatenate(stamps) if stamps else np.array([], dtype="datetime64[s]")
    if data.size == 0:
        raise InvalidInput("no values to put on periods", field="series")
    asked = np.array(moments, dtype="datetime64[s]")
    counted_back = cadence.kind is CadenceKind.SPACING
    inside = asked <= data.max() if counted_back else np.ones(asked.size, dtype=bool)
    index = cadence.period_index(np.concatenate([data, asked[inside]]))
    first, last = int(index[: data.size].min()), int(index[: data.size].max())
    if last - first + 1 > MAX_PERIODS:
        raise InvalidInput(
            f"the values span {last - first + 1:,} {cadence.period_name}s of a "
            f"{cadence} cadence; choose a coarser cadence",
            field="cadence",
        )
    located_iter = iter(index[data.size :].tolist())
    located = tuple(next(located_iter) if ok else None for ok in inside.tolist())
    size = last - first + 1
    values: dict[K, FloatArray] = {}
    start = 0
    for key, one in series.items():
        slot = index[start : start + len(one)] - first
        start += len(one)
        sums = np.bincount(slot, weights=one.values, minlength=size)
        counts = np.bincount(slot, minlength=size)
        means = np.full(size, np.nan)
        np.divide(sums, counts, out=means, where=counts > 0)
        values[key] = means
    return PeriodTable(cadence, np.arange(first, last + 1, dtype=np.int64), values, located)
