"""Which factor or segment moved a KPI, and which leading KPI moves before it.

Rules (DESIGN.md, "Derived KPIs" and "Leading and lagging"):

- **factors**: when a derived KPI changes between two periods, each input's
  contribution in the KPI's units, summing exactly to the change. A product or ratio
  (ARPU = AOV × frequency × paying share) splits by log-change shares (LMDI); any
  other formula by Shapley values (the average effect of switching that input from
  before to after, over every order of switching them);
- **segments**: an additive KPI's change as the sum of its segments' changes; a ratio
  KPI across segments (conversion = paid / trials) as each segment's rate effect plus
  its mix effect;
- **leading and lagging**: rank leading KPIs by how well their past period changes
  predict the lagging KPI's changes (cross-correlation over lags 0…k).

An analyst comes back with "paying share explains 78 % of the fall", not "ARPU is down".
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt

from okrkit.domain.cadence import Cadence, CadenceKind
from okrkit.domain.errors import InvalidInput
from okrkit.domain.formula import Formula
from okrkit.domain.model import Series

__all__ = [
    "MAX_PERIODS",
    "MAX_SHAPLEY_INPUTS",
    "MIN_LEAD_LAG_PAIRS",
    "FactorContribution",
    "FactorDecomposition",
    "LeadLag",
    "Method",
    "PeriodTable",
    "RateMixDecomposition",
    "SegmentContribution",
    "SegmentDecomposition",
    "SegmentRateMix",
    "align_periods",
    "decompose_factors",
    "decompose_rate_mix",
    "decompose_segments",
    "lead_lag",
]

FloatArray = npt.NDArray[np.float64]
K = TypeVar("K", bound=Hashable)

# Shapley values need the formula at every mix of before and after inputs: 2ⁿ of them.
MAX_SHAPLEY_INPUTS = 16
# Fewer pairs of period changes than this make any correlation a coin toss.
MIN_LEAD_LAG_PAIRS = 8
# An axis longer than this comes from a cadence far finer than the data (say periods
# of one second over a year): refused rather than allocated.
MAX_PERIODS = 100_000
# Changes whose spread is this small relative to their size are constant plus noise.
_CONSTANT = 1e-24
# A change this small relative to the values is rounding, not a change.
_NO_CHANGE = 1e-12


def _share(part: float | None, whole: float, before: float, after: float) -> float | None:
    # A change within rounding of zero (5.0 vs 5.000000000000001) is no change: a share
    # of it would be noise blown up to any size.
    if part is None or abs(whole) <= _NO_CHANGE * max(abs(before), abs(after)):
        return None
    return part / whole


def _relative(before: float, change: float) -> float | None:
    return None if before == 0 else change / abs(before)


# --- factors -------------------------------------------------------------------------


class Method(StrEnum):
    """How a derived KPI's change was split into its inputs' contributions."""

    LOG_CHANGE = "log_change"
    SHAPLEY = "shapley"


@dataclass(frozen=True)
class FactorContribution:
    """One input of a derived KPI: its value before and after, the part of the KPI's
    change it explains (in the KPI's units) and that part's share of the change.

    The share is None when the KPI did not change, the contribution None when it cannot
    be computed (a division by zero part-way between before and after)."""

    key: str
    before: float
    after: float
    contribution: float | None
    share: float | None


@dataclass(frozen=True)
class FactorDecomposition:
    """A derived KPI's change between two periods, split into its inputs' contributions.

    `factors` follow the formula's order; `ranked` puts the biggest mover first.
    `reason` says why shares are missing or why Shapley values replaced log shares.
    """

    kpi: str | None
    before: float
    after: float
    change: float
    relative_change: float | None
    method: Method
    factors: tuple[FactorContribution, ...]
    reason: str | None = None

    @property
    def ranked(self) -> tuple[FactorContribution, ...]:
        """The factors by the size of their contribution, biggest first."""
        return tuple(
            sorted(self.factors, key=lambda f: (f.contribution is None, -abs(f.contribution or 0)))
        )


def _values(formula: Formula, values: Mapping[str, float], period: str) -> dict[str, float]:
    missing = [key for key in formula.inputs if key not in values]
    if missing:
        raise InvalidInput(
            f"no {period} value for {', '.join(repr(k) for k in missing)}", field=period
        )
    return {key: float(values[key]) for key in formula.inputs}


def decompose_factors(
    formula: Formula, before: Mapping[str, float], after: Mapping[str, float]
) -> FactorDecomposition:
    """Which input moved a derived KPI between two periods, and by how much.

    A product or ratio of inputs y = c · Π fᵢ^eᵢ splits by log-change shares (LMDI):
    shareᵢ = eᵢ · ln(fᵢ₁ / fᵢ₀) / ln(y₁ / y₀) and contributionᵢ = shareᵢ · (y₁ − y₀),
    which add up to the change exactly. Logs need every input and the KPI to stay
    non-zero and keep their sign; otherwise, and for any other formula, each input's
    contribution is its Shapley value — its average effect on the KPI when switched
    from its before to its after value, over every order of switching the inputs —
    which also adds up to the change exactly. When the KPI did not change, the inputs'
    contributions (which then offset each other) are given but their shares are not.
    """
    x0 = _values(formula, before, "before")
    x1 = _values(formula, after, "after")
    y0 = float(formula.evaluate(x0))
    y1 = float(formula.evaluate(x1))
    name = formula.target or "the KPI"
    for value, period in ((y0, "before"), (y1, "after")):
        if math.isnan(value):
            raise InvalidInput(
                f"{name} cannot be computed from the {period} values (a division by zero)",
                field=period,
            )
    change = y1 - y0
    factors = formula.factors()
    reason = None
    if factors is not None and _logs_apply(factors, x0, x1, y0, y1):
        method = Method.LOG_CHANGE
        contributions = _log_change(factors, x0, x1, y0, y1)
    else:
        method = Method.SHAPLEY
        if factors is not None:
            reason = (
                "log-change shares need every factor to stay non-zero and keep its sign; "
                "Shapley values used instead"
            )
        contributions = _shapley(formula, x0, x1)
        if any(c is None for c in contributions.values()):
            reason = "some mixes of before and after values divide by zero"
    if _share(change, change, y0, y1) is None:
        reason = f"{name} did not change: shares of no change are undefined"
    return FactorDecomposition(
        kpi=formula.target,
        before=y0,
        after=y1,
        change=change,
        relative_change=_relative(y0, change),
        method=method,
        factors=tuple(
            FactorContribution(
                key,
                x0[key],
                x1[key],
                contributions[key],
                _share(contributions[key], change, y0, y1),
            )
            for key in formula.inputs
        ),
        reason=reason,
    )


def _logs_apply(
    factors: Sequence[tuple[str, float]],
    x0: Mapping[str, float],
    x1: Mapping[str, float],
    y0: float,
    y1: float,
) -> bool:
    ratios = [x1[key] / x0[key] if x0[key] != 0 else 0.0 for key, _ in factors]
    return y0 != 0 and y1 / y0 > 0 and all(r > 0 for r in ratios)


def _log_change(
    factors: Sequence[tuple[str, float]],
    x0: Mapping[str, float],
    x1: Mapping[str, float],
    y0: float,
    y1: float,
) -> dict[str, float | None]:
    # LMDI-I: contributionᵢ = L(y₀, y₁) · eᵢ · ln(fᵢ₁ / fᵢ₀) with the logarithmic mean
    # L = (y₁ − y₀) / ln(y₁ / y₀), which is y₀ when y₁ = y₀ (no change: the factors'
    # effects are still there, they cancel out).
    log_ratio = math.log(y1 / y0)
    weight = y0 if log_ratio == 0 else (y1 - y0) / log_ratio
    return {key: weight * exponent * math.log(x1[key] / x0[key]) for key, exponent in factors}


def _shapley(
    formula: Formula, x0: Mapping[str, float], x1: Mapping[str, float]
) -> dict[str, float | None]:
    keys = formula.inputs
    n = len(keys)
    if n > MAX_SHAPLEY_INPUTS:
        raise InvalidInput(
            f"the formula has {n} inputs; a decomposition of a formula that is not a "
            f"product or ratio handles at most {MAX_SHAPLEY_INPUTS}",
            field="formula",
        )
    # Row s of the mix table switches input i to its after value when bit i of s is set.
    subsets = np.arange(1 << n, dtype=np.int64)
    switched = ((subsets[:, None] >> np.arange(n)) & 1).astype(bool)
    mixes = {k: np.where(switched[:, i], x1[k], x0[k]) for i, k in enumerate(keys)}
    y = formula.evaluate(mixes)
    size = switched.sum(axis=1)
    # Weight of a coalition of s inputs switched before i: s! (n − s − 1)! / n!.
    weights = np.array(
        [math.factorial(s) * math.factorial(n - s - 1) / math.factorial(n) for s in range(n)]
    )
    contributions: dict[str, float | None] = {}
    for i, key in enumerate(keys):
        without = subsets[~switched[:, i]]
        gains = y[without | (1 << i)] - y[without]
        value = float(weights[size[without]] @ gains)
        contributions[key] = None if math.isnan(value) else value
    return contributions


# --- segments ------------------------------------------------------------------------


@dataclass(frozen=True)
class SegmentContribution:
    """One segment of an additive KPI: its value before and after, its change, and that
    change's share of the total change (None when the total did not change)."""

    segment: str
    before: float
    after: float
    change: float
    share: float | None


@dataclass(frozen=True)
class SegmentDecomposition:
    """An additive KPI's change (total = sum of its segments) split by segment."""

    before: float
    after: float
    change: float
    relative_change: float | None
    segments: tuple[SegmentContribution, ...]

    @property
    def ranked(self) -> tuple[SegmentContribution, ...]:
        """The segments by the size of their change, biggest first."""
        return tuple(sorted(self.segments, key=lambda s: -abs(s.change)))


def decompose_segments(
    before: Mapping[str, float], after: Mapping[str, float]
) -> SegmentDecomposition:
    """Which segment's change explains an additive KPI's change (revenue by plan).

    The total is the sum of the segments, so the total change is the sum of the
    segments' changes and each segment's share is its change over the total change. A
    segment missing from one period counts 0 there: a new plan adds its whole value.
    """
    names = list(dict.fromkeys([*before, *after]))
    total0 = math.fsum(before.values())
    total1 = math.fsum(after.values())
    change = total1 - total0
    segments = []
    for name in names:
        value0, value1 = float(before.get(name, 0.0)), float(after.get(name, 0.0))
        segment_change = value1 - value0
        share = _share(segment_change, change, total0, total1)
        segments.append(SegmentContribution(name, value0, value1, segment_change, share))
    return SegmentDecomposition(total0, total1, change, _relative(total0, change), tuple(segments))


@dataclass(frozen=True)
class SegmentRateMix:
    """One segment of a ratio KPI: its rate and its weight (its share of the
    denominator) before and after, and the two effects they had on the KPI.

    A rate is None when the segment has no denominator in that period."""

    segment: str
    before_rate: float | None
    after_rate: float | None
    before_weight: float
    after_weight: float
    rate_effect: float
    mix_effect: float
    contribution: float
    share: float | None


@dataclass(frozen=True)
class RateMixDecomposition:
    """A ratio KPI's change across segments, split into rate and mix effects."""

    before: float
    after: float
    change: float
    relative_change: float | None
    rate_effect: float
    mix_effect: float
    segments: tuple[SegmentRateMix, ...]

    @property
    def ranked(self) -> tuple[SegmentRateMix, ...]:
        """The segments by the size of their contribution, biggest first."""
        return tuple(sorted(self.segments, key=lambda s: -abs(s.contribution)))


def decompose_rate_mix(
    before: Mapping[str, tuple[float, float]],
    after: Mapping[str, tuple[float, float]],
    *,
    scale: float = 1.0,
) -> RateMixDecomposition:
    """Whether a ratio KPI moved because segments' rates changed or because the mix did.

    Each segment brings a (numerator, denominator) pair per period — paid and trials
    per plan. The KPI is R = scale · Σ numerators / Σ denominators = Σₛ wₛ · rₛ, with
    segment rate rₛ = scale · numeratorₛ / denominatorₛ and weight wₛ = the segment's
    share of the denominator. With w̄ₛ, r̄ₛ the means of before and after and R̄ the mean
    of the KPI before and after:

        rate effectₛ = w̄ₛ · (rₛ₁ − rₛ₀)        (the segment converts better or worse)
        mix effectₛ  = (r̄ₛ − R̄) · (wₛ₁ − wₛ₀)   (more of the volume comes from it)

    and Σ (rate effect + mix effect) = R₁ − R₀ exactly, because the weights sum to 1 in
    both periods. Gaining weight lifts the KPI only for a segment whose rate is above
    the KPI's. A segment absent (no denominator) in one period takes its other period's
    rate there, so all of its effect is mix.
    """
    names = list(dict.fromkeys([*before, *after]))
    zero = (0.0, 0.0)
    totals = []
    for period, pairs in (("before", before), ("after", after)):
        numerator = math.fsum(pairs.get(name, zero)[0] for name in names)
        denominator = math.fsum(pairs.get(name, zero)[1] for name in names)
        if denominator == 0:
            raise InvalidInput(
                f"the denominator totals 0 {period}: the ratio is undefined", field=period
            )
        for name in names:
            n, d = pairs.get(name, zero)
            if d == 0 and n != 0:
                raise InvalidInput(
                    f"segment {name!r} has a numerator ({n:g}) but no denominator {period}",
                    field=period,
                )
        totals.append((numerator, denominator))
    (n0, d0), (n1, d1) = totals
    kpi0, kpi1 = scale * n0 / d0, scale * n1 / d1
    mean_kpi = (kpi0 + kpi1) / 2
    change = kpi1 - kpi0
    segments = []
    for name in names:
        a_num, a_den = before.get(name, zero)
        b_num, b_den = after.get(name, zero)
        w0, w1 = a_den / d0, b_den / d1
        r0 = scale * a_num / a_den if a_den != 0 else None
        r1 = scale * b_num / b_den if b_den != 0 else None
        if r0 is None and r1 is None:
            continue
        rate0 = r0 if r0 is not None else r1 if r1 is not None else 0.0
        rate1 = r1 if r1 is not None else rate0
        rate_effect = (w0 + w1) / 2 * (rate1 - rate0)
        mix_effect = ((rate0 + rate1) / 2 - mean_kpi) * (w1 - w0)
        contribution = rate_effect + mix_effect
        segments.append(
            SegmentRateMix(
                name,
                r0,
                r1,
                w0,
                w1,
                rate_effect,
                mix_effect,
                contribution,
                _share(contribution, change, kpi0, kpi1),
            )
        )
    return RateMixDecomposition(
        kpi0,
        kpi1,
        change,
        _relative(kpi0, change),
        math.fsum(s.rate_effect for s in segments),
        math.fsum(s.mix_effect for s in segments),
        tuple(segments),
    )


# --- leading and lagging -------------------------------------------------------------


@dataclass(frozen=True)
class LeadLag:
    """How well one leading KPI's changes predict the lagging KPI's changes `lag`
    periods later: the Pearson correlation `correlation` over `pairs` pairs of period
    changes. Without a correlation, `reason` says why (too little overlap, no change).
    """

    key: str
    lag: int | None
    correlation: float | None
    pairs: int
    reason: str | None = None

    @property
    def sign(self) -> str | None:
        """'positive' when both move the same way, 'negative' when opposite."""
        if self.correlation is None:
            return None
        return "positive" if self.correlation >= 0 else "negative"


def _pearson(x: FloatArray, y: FloatArray) -> float | None:
    xc, yc = x - x.mean(), y - y.mean()
    sxx, syy = float(xc @ xc), float(yc @ yc)
    if sxx <= _CONSTANT * float(x @ x) or syy <= _CONSTANT * float(y @ y):
        return None
    return max(-1.0, min(1.0, float(xc @ yc) / math.sqrt(sxx * syy)))


def lead_lag(
    lagging: FloatArray,
    leading: Mapping[str, FloatArray],
    max_lag: int,
    *,
    min_pairs: int = MIN_LEAD_LAG_PAIRS,
) -> tuple[LeadLag, ...]:
    """Rank leading KPIs by how well their past moves predict a lagging KPI's moves.

    All series are one value per period on the same axis (NaN: no value). For each
    leading KPI and each lag 0…`max_lag`, the period-over-period changes of the leading
    KPI at t − lag are correlated (Pearson) with the lagging KPI's changes at t, over
    the periods where both changes are known; the lag with the strongest correlation
    (either sign; the shorter lag on a tie) is the KPI's. A lag needs at least
    `min_pairs` pairs, else the KPI reports too little overlap. Strongest first; KPIs
    without a correlation last.
    """
    if max_lag < 0:
        raise InvalidInput(f"the lag is at most {max_lag}; give 0 or more", field="max_lag")
    y = np.diff(np.asarray(lagging, dtype=np.float64))
    results = []
    for key, series in leading.items():
        values = np.asarray(series, dtype=np.float64)
        if values.shape != np.shape(lagging):
            raise InvalidInput(
                f"{key!r} has {values.size} periods, the lagging KPI {np.size(lagging)}",
                field=key,
            )
        x = np.diff(values)
        best: tuple[int, float, int] | None = None
        most_pairs = 0
        constant = False
        for lag in range(min(max_lag, y.size - 1) + 1):
            a, b = x[: x.size - lag], y[lag:]
            known = np.isfinite(a) & np.isfinite(b)
            pairs = int(known.sum())
            most_pairs = max(most_pairs, pairs)
            if pairs < min_pairs:
                continue
            r = _pearson(a[known], b[known])
            if r is None:
                constant = True
            elif best is None or abs(r) > abs(best[1]) + 1e-12:
                best = (lag, r, pairs)
        if best is not None:
            results.append(LeadLag(key, best[0], best[1], best[2]))
        elif most_pairs < min_pairs:
            reason = (
                f"too little overlap: {most_pairs} pairs of period changes, "
                f"at least {min_pairs} needed"
            )
            results.append(LeadLag(key, None, None, most_pairs, reason))
        else:
            assert constant
            results.append(LeadLag(key, None, None, most_pairs, "no variation to correlate"))
    return tuple(
        sorted(
            results,
            key=lambda r: (r.correlation is None, -abs(r.correlation or 0.0), r.key),
        )
    )


# --- periods -------------------------------------------------------------------------


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
