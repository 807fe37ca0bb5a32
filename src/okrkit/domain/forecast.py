"""Where a key result lands by its deadline: a least-squares forecast.

The rule (docs/rules.md, "Forecast"): fit a least-squares line through the check-ins (time
in days → value). At the deadline t₀ it gives the point forecast ŷ₀ and the 95 %
prediction interval

    ŷ₀ ± t(0.975, n−2) · s · √(1 + 1/n + (t₀ − t̄)² / Sₓₓ),   s² = SSE / (n−2),

and the probability of reaching the target from the same t distribution. Fewer than
three check-ins give no forecast, and say so.

The formula lives once, in `forecast_batch`, which fits thousands of key results at
a time (one NumPy pass, one call each of the t distribution's ppf and cdf);
`forecast` runs it for one key result. Hand-written rather than statsmodels because
statsmodels fits one regression per call, too slow for a dashboard of 50,000 key
results, and is not a runtime dependency; the tests check the numbers against it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
import numpy.typing as npt

from okrkit.domain.errors import InvalidInput

__all__ = [
    "MIN_CHECKINS",
    "Forecast",
    "ForecastBatch",
    "days",
    "days_of",
    "forecast",
    "forecast_batch",
]

MIN_CHECKINS = 3
CONFIDENCE = 0.95
_EPOCH_DATE = date(1970, 1, 1)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NAIVE_EPOCH = datetime(1970, 1, 1)
_ONE_DAY = timedelta(days=1)
# A residual spread within this fraction of the largest value is float rounding, not
# noise: the line is perfect (s = 0). Likewise a forecast within it of the target has
# reached the target. Far above rounding error (~1e-15), far below any real difference.
_RELATIVE_TOLERANCE = 1e-10

Float64Array = npt.NDArray[np.float64]


def days(t: date | datetime) -> float:
    """A moment on the forecast's time axis: days since 1970-01-01 UTC.

    A date counts as its midnight UTC; a check-in's datetime keeps its fraction of a
    day (noon is .5). A datetime without a time zone is taken as UTC; one with a time
    zone is converted to UTC first.
    """
    if isinstance(t, datetime):
        if t.tzinfo is None:  # the common case, every stored moment: no conversion
            return (t - _NAIVE_EPOCH) / _ONE_DAY
        moment = t if t.utcoffset() is not None else t.replace(tzinfo=UTC)
        return (moment - _EPOCH) / _ONE_DAY
    return float((t - _EPOCH_DATE).days)


def days_of(timestamps: npt.NDArray[np.datetime64]) -> Float64Array:
    """Moments of a series (UTC `datetime64`) on the forecast's time axis, as `days`."""
    seconds = timestamps.astype("datetime64[s]").astype(np.int64)
    return seconds / float(_ONE_DAY.total_seconds())


@dataclass(frozen=True)
class Forecast:
    """A key result's forecast at its deadline.

    `forecast` is the point forecast ŷ₀ and `lower`/`upper` its 95 % prediction
    interval; `probability` is the chance of reaching the target by the deadline.
    Without a forecast those four are None and `reason` says why. `slope_per_day`, the
    line's change per day, is given from two check-ins at different moments on.
    """

    n: int
    slope_per_day: float | None
    forecast: float | None
    lower: float | None
    upper: float | None
    probability: float | None
    reason: str | None


@dataclass(frozen=True, eq=False)
class ForecastBatch:
    """Forecasts of many key results, one entry per key result (row).

    Same meaning as `Forecast`'s fields; NaN where there is no forecast (fewer than
    three check-ins, all at one moment) and, for `probability`, where the target
    equals the start (there is no direction to reach it in).
    """

    n: npt.NDArray[np.int64]
    slope_per_day: Float64Array
    forecast: Float64Array
    lower: Float64Array
    upper: Float64Array
    probability: Float64Array


def forecast_batch(
    t_days: Float64Array,
    values: Float64Array,
    deadline_days: Float64Array,
    start: Float64Array,
    target: Float64Array,
) -> ForecastBatch:
    """Forecast many key results at their deadlines in one vectorised pass.

    Row i holds key result i's check-ins: times in days (see `days`) and values, shape
    (k, n). Key results with fewer check-ins pad their rows with NaN; a check-in
    counts when both its time and value are finite. `deadline_days`, `start` and
    `target` have one entry per key result. The line, interval and probability follow
    the module's formula; the probability is P(Y₀ ≥ target) for an increasing target
    (target > start) and P(Y₀ ≤ target) for a decreasing one. A perfect line (s = 0)
    has a zero-width interval and a probability of exactly 1 when ŷ₀ reaches the
    target (reaching it exactly counts) and 0 otherwise.
    """
    # Student's t from scipy.special (stdtr is its cdf, stdtrit its quantile): the same
    # numbers as scipy.stats.t, without importing scipy.stats, which costs every server
    # worker about 60 MB and most of a second. Imported here: only forecasts need it.
    from scipy.special import stdtr, stdtrit

    t = np.asarray(t_days, dtype=np.float64)
    y = np.asarray(values, dtype=np.float64)
    t0 = np.asarray(deadline_days, dtype=np.float64)
    start_ = np.asarray(start, dtype=np.float64)
    target_ = np.asarray(target, dtype=np.float64)
    if t.ndim != 2 or y.shape != t.shape:
        raise ValueError(f"t_days {t.shape} and values {y.shape} must be the same (k, n) shape")
    k = t.shape[0]
    for name, array in (("deadline_days", t0), ("start", start_), ("target", target_)):
        if array.shape != (k,):
            raise ValueError(f"{name} has shape {array.shape}, expected ({k},)")

    # Values far beyond any business figure could overflow when squared; such rows
    # come out as inf/NaN instead of raising a warning mid-dashboard.
    with np.errstate(all="ignore"):
        present = np.isfinite(t) & np.isfinite(y)
        n = present.sum(axis=1)
        n_safe = np.maximum(n, 1)
        t_in = np.where(present, t, 0.0)
        y_in = np.where(present, y, 0.0)
        t_mean = t_in.sum(axis=1) / n_safe
        y_mean = y_in.sum(axis=1) / n_safe
        dt = np.where(present, t_in - t_mean[:, None], 0.0)
        dy = np.where(present, y_in - y_mean[:, None], 0.0)
        sxx = np.einsum("ij,ij->i", dt, dt)
        sxy = np.einsum("ij,ij->i", dt, dy)
        # Compared exactly: the mean of equal times can differ from them by rounding.
        t_max = np.max(t_in, axis=1, where=present, initial=-np.inf)
        t_min = np.min(t_in, axis=1, where=present, initial=np.inf)
        has_slope = (n >= 2) & (t_max > t_min) & (sxx > 0)
        sxx_safe = np.where(has_slope, sxx, 1.0)
        slope = np.where(has_slope, sxy / sxx_safe, 0.0)
        can_forecast = has_slope & (n >= MIN_CHECKINS)

        lead = t0 - t_mean
        y0 = y_mean + slope * lead
        residuals = dy - slope[:, None] * dt
        sse = np.einsum("ij,ij->i", residuals, residuals)
        df = np.where(can_forecast, n - 2, 1).astype(np.float64)
        s = np.sqrt(sse / df)
        scale = np.maximum(np.max(np.abs(y_in), axis=1, initial=0.0), np.abs(target_))
        tolerance = _RELATIVE_TOLERANCE * scale
        s = np.where(s <= tolerance, 0.0, s)
        se = s * np.sqrt(1.0 + 1.0 / n_safe + lead * lead / sxx_safe)

        # Rows share a few check-in counts; the quantile is the slowest step, so it is
        # computed once per distinct degrees of freedom and spread back over the rows.
        distinct_df, row_df = np.unique(df, return_inverse=True)
        quantiles = np.asarray(stdtrit(distinct_df, 0.5 + CONFIDENCE / 2), dtype=np.float64)
        quantile = quantiles[row_df.reshape(df.shape)]
        half_width = quantile * se
        # Distance past the target in the good direction: ≥ 0 means ŷ₀ reaches it.
        sign = np.sign(target_ - start_)
        reach = sign * (y0 - target_)
        spread = se > 0
        chance = np.asarray(stdtr(df, reach / np.where(spread, se, 1.0)), dtype=np.float64)
        certain = np.where(reach >= -tolerance, 1.0, 0.0)
        probability = np.where(spread, chance, certain)

    nan = np.float64(np.nan)
    return ForecastBatch(
        n=n.astype(np.int64),
        slope_per_day=np.where(has_slope, slope, nan),
        forecast=np.where(can_forecast, y0, nan),
        lower=np.where(can_forecast, y0 - half_width, nan),
        upper=np.where(can_forecast, y0 + half_width, nan),
        probability=np.where(can_forecast & (sign != 0), probability, nan),
    )


def forecast(
    times: Sequence[date | datetime],
    values: Sequence[float],
    *,
    deadline: date,
    start: float,
    target: float,
) -> Forecast:
    """Forecast one key result at its deadline from its check-ins.

    The line runs through the check-ins (time in days, see `days`; any order) and is
    read at the deadline's midnight UTC. Fewer than three check-ins, or all at the same
    moment, give no forecast and a `reason` that says so; the slope is still given
    from two check-ins on. The start and target say which way is success; a target
    equal to the start is rejected (there is nothing to reach).
    """
    if len(times) != len(values):
        raise ValueError(f"{len(times)} times but {len(values)} values")
    for name, bound in (("start", start), ("target", target)):
        if not math.isfinite(bound):
            raise InvalidInput(f"{bound} is not a finite number", field=name)
    if target == start:
        raise InvalidInput("target equals the start: nothing to change", field="target")
    for value in values:
        if not math.isfinite(value):
            raise InvalidInput(f"check-in value {value} is not a finite number", field="value")
    if isinstance(deadline, datetime):
        deadline = (deadline if deadline.utcoffset() is None else deadline.astimezone(UTC)).date()

    batch = forecast_batch(
        np.array([[days(t) for t in times]], dtype=np.float64).reshape(1, len(times)),
        np.array([values], dtype=np.float64).reshape(1, len(values)),
        np.array([days(deadline)]),
        np.array([start], dtype=np.float64),
        np.array([target], dtype=np.float64),
    )
    n = len(times)
    slope = _optional(batch.slope_per_day[0])
    if n < MIN_CHECKINS:
        are = "is" if n == 1 else "are"
        reason = f"a forecast needs at least {MIN_CHECKINS} check-ins; there {are} {n}"
    elif slope is None:
        reason = "all check-ins are at the same moment: there is no trend to extend"
    else:
        reason = None
    return Forecast(
        n=n,
        slope_per_day=slope,
        forecast=_optional(batch.forecast[0]),
        lower=_optional(batch.lower[0]),
        upper=_optional(batch.upper[0]),
        probability=_optional(batch.probability[0]),
        reason=reason,
    )


def _optional(value: np.float64) -> float | None:
    return None if math.isnan(value) else float(value)
