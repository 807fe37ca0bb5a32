"""Which factor or segment moved a KPI between two periods.

Rules (docs/rules.md, "Derived KPIs"):

- **factors**: when a derived KPI changes between two periods, each input's
  contribution in the KPI's units, summing exactly to the change. A product or ratio
  (ARPU = AOV × frequency × paying share) splits by log-change shares (LMDI); any
  other formula by Shapley values (the average effect of switching that input from
  before to after, over every order of switching them);
- **segments**: an additive KPI's change as the sum of its segments' changes; a ratio
  KPI across segments (conversion = paid / trials) as each segment's rate effect plus
  its mix effect.

An analyst comes back with "paying share explains 78 % of the fall", not "ARPU is down".
Which KPI moves *before* another is `leading.py`; putting series on one axis of
periods is `periods.py`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from okrkit.domain.errors import InvalidInput
from okrkit.domain.formula import Formula

__all__ = [
    "MAX_SHAPLEY_INPUTS",
    "FactorContribution",
    "FactorDecomposition",
    "Method",
    "RateMixDecomposition",
    "SegmentContribution",
    "SegmentDecomposition",
    "SegmentRateMix",
    "decompose_factors",
    "decompose_rate_mix",
    "decompose_segments",
]

# Shapley values need the formula at every mix of before and after inputs: 2ⁿ of them.
MAX_SHAPLEY_INPUTS = 16
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
