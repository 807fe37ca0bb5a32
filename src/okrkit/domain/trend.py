"""Trend: where a KPI is heading, period by period.

Rule (docs/rules.md, "Trend"): compare the latest period with the one right before it
(absolute and relative change) — a period is one step of the KPI's cadence and a
period holding several points is worth their mean — and fit the least-squares slope per
period over the last 8 periods. When the period before the latest one holds no value,
there is nothing to compare with: the change is unknown rather than measured against an
older period the reader would not expect.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["SLOPE_PERIODS", "Trend", "TrendBatch", "period_means", "trend", "trend_batch"]

SLOPE_PERIODS = 8

FloatArray = npt.NDArray[np.float64]


def _optional(x: float) -> float | None:
    return None if math.isnan(x) else float(x)


@dataclass(frozen=True)
class Trend:
    """The latest period's value against the previous period, and the recent slope."""

    latest: float | None
    previous: float | None
    change: float | None
    relative_change: float | None
    slope_per_period: float | None

    @property
    def direction(self) -> str:
        """'up', 'down' or 'flat' for the latest change; 'unknown' without one."""
        if self.change is None:
            return "unknown"
        return "up" if self.change > 0 else "down" if self.change < 0 else "flat"


@dataclass(frozen=True)
class TrendBatch:
    """`Trend` for many series sharing one time axis; one entry per series."""

    latest: FloatArray
    previous: FloatArray
    change: FloatArray
    relative_change: FloatArray
    slope_per_period: FloatArray

    def result(self, row: int) -> Trend:
        """The trend of one series of the batch."""
        return Trend(
            latest=_optional(self.latest[row]),
            previous=_optional(self.previous[row]),
            change=_optional(self.change[row]),
            relative_change=_optional(self.relative_change[row]),
            slope_per_period=_optional(self.slope_per_period[row]),
        )


def period_means(
    period_index: npt.NDArray[np.int64], values: FloatArray
) -> tuple[npt.NDArray[np.int64], FloatArray]:
    """The distinct periods (ascending) and each series' mean value in each of them.

    `period_index` is non-decreasing (the series is sorted by time) and shared by all
    rows of `values` (shape series × points).
    """
    if period_index.size == 0:
        return period_index, np.empty((values.shape[0], 0))
    starts = np.flatnonzero(np.r_[True, np.diff(period_index) != 0])
    counts = np.diff(np.r_[starts, period_index.size])
    sums = np.add.reduceat(values, starts, axis=1)
    return period_index[starts], sums / counts


def trend_batch(period_index: npt.NDArray[np.int64], values: FloatArray) -> TrendBatch:
    """The trend of many series that share one sorted time axis, in one vectorised pass.

    Only the last `SLOPE_PERIODS` periods matter to a trend, so only their points are
    averaged: a year of daily history costs no more than its last week.
    """
    rows = values.shape[0]
    nan = np.full(rows, np.nan)
    if period_index.size == 0:
        return TrendBatch(nan, nan, nan, nan, nan)
    first_recent = int(np.searchsorted(period_index, period_index[-1] - (SLOPE_PERIODS - 1)))
    # Values near the float limit overflow to inf rather than warn mid-dashboard.
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        periods, means = period_means(period_index[first_recent:], values[:, first_recent:])
        latest = means[:, -1]
        adjacent = periods.size >= 2 and periods[-2] == periods[-1] - 1
        previous = means[:, -2] if adjacent else nan
        change = latest - previous
        relative = np.where(previous != 0, change / np.abs(previous), np.nan)
        if periods.size >= 2:
            x = periods.astype(np.float64)
            x -= x.mean()
            slope = (means - means.mean(axis=1, keepdims=True)) @ x / (x @ x)
        else:
            slope = nan
    return TrendBatch(latest, previous, change, relative, slope)


def trend(period_index: npt.NDArray[np.int64], values: FloatArray) -> Trend:
    """The trend of one series sorted by time, given the period of each point."""
    return trend_batch(period_index, values.reshape(1, -1)).result(0)
