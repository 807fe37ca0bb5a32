"""Explain a KPI's move: which factor or segment moved it between two periods, and which
KPIs move before it.

The use cases behind `okrkit kpi explain` (docs/rules.md, "Derived KPIs" and "Leading and
lagging"), one per question an analyst asks after "the KPI is down":

- `explain_factors`: which input of a derived KPI (`arpu = aov * frequency *
  paying_share`) moved it;
- `explain_segments`: which segment moved an additive KPI (revenue by plan);
- `explain_rate_mix`: whether a ratio KPI across segments (conversion = paid / trials)
  moved because segments converted better or worse or because the mix of volume moved;
- `explain_lead_lag`: which KPIs lead a lagging one, and by how many periods.

Each receives the KPIs' values through a `KpiSeriesSource` (a long-format file, read by
an adapter the caller picked) and the parsed options, and returns a read model: the two
periods compared (or, for lead-lag, the whole axis) and the domain's result. A mistake a
person can fix — a KPI the source lacks, a period without a value, a window the wrong
way round, a division by zero — is an `InvalidInput` naming the option to change,
raised before any arithmetic is reported.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol, TypeVar

import numpy as np

from okrkit.domain.cadence import Cadence, CadenceKind, median_spacing
from okrkit.domain.decompose import (
    FactorDecomposition,
    RateMixDecomposition,
    SegmentDecomposition,
    decompose_factors,
    decompose_rate_mix,
    decompose_segments,
)
from okrkit.domain.errors import InvalidInput
from okrkit.domain.formula import Formula
from okrkit.domain.leading import MIN_LEAD_LAG_PAIRS, LeadLag, lead_lag
from okrkit.domain.periods import align_periods
from okrkit.domain.values import Series

__all__ = [
    "DEFAULT_MAX_LAG",
    "ExplainWindow",
    "FactorExplanation",
    "KpiSeriesSource",
    "LeadLagExplanation",
    "RateMixExplanation",
    "SegmentExplanation",
    "explain_factors",
    "explain_lead_lag",
    "explain_rate_mix",
    "explain_segments",
]

K = TypeVar("K", bound=Hashable)

# Lead-lag tries lags up to a quarter of weekly periods unless told otherwise.
DEFAULT_MAX_LAG = 4
_EPOCH = date(1970, 1, 1)
# The option that names each side of the window, for errors about that side.
_OPTIONS = ("--from", "--to")


class KpiSeriesSource(Protocol):
    """Several KPIs' values read from one source (a long-format file): the port the use
    cases read through, so that they never depend on how the values were read.

    `path` names the source in messages and `kpis` holds its KPI keys in the order they
    first appear. A KPI's `total` is its rows without a segment, its `segments` its
    series per segment; both raise `InvalidInput` for `field` when the source lacks the
    KPI or the KPI has no rows of that kind.
    """

    @property
    def path(self) -> str: ...

    @property
    def kpis(self) -> Collection[str]: ...

    def has_total(self, key: str) -> bool: ...

    def total(self, key: str, *, field: str) -> Series: ...

    def segments(self, key: str, *, field: str) -> Mapping[str, Series]: ...


@dataclass(frozen=True)
class ExplainWindow:
    """The two periods an explanation compares, on `cadence` (the one given, else the one
    the values' median spacing implies): the day asked for on each side (`days`), the
    period holding it (`periods`, numbers of `Cadence.period_index`) and that period's
    name for a person (`labels`: "week of 2026-09-07", "2026-09", …)."""

    cadence: Cadence
    periods: tuple[int, int]
    labels: tuple[str, str]
    days: tuple[date, date]


@dataclass(frozen=True)
class FactorExplanation:
    """Which input of a derived KPI moved it between the window's two periods."""

    formula: Formula
    window: ExplainWindow
    result: FactorDecomposition


@dataclass(frozen=True)
class SegmentExplanation:
    """Which segment moved an additive KPI between the window's two periods."""

    kpi: str
    window: ExplainWindow
    result: SegmentDecomposition


@dataclass(frozen=True)
class RateMixExplanation:
    """A ratio KPI's move across segments between the window's two periods, split into
    rate and mix effects; `numerator` and `denominator` are the formula's two KPIs."""

    formula: Formula
    numerator: str
    denominator: str
    window: ExplainWindow
    result: RateMixDecomposition


@dataclass(frozen=True)
class LeadLagExplanation:
    """The KPIs that lead `kpi`, strongest first, over its `periods` periods of
    `cadence`; lags 0…`max_lag` were tried, and a correlation needed `min_pairs` pairs.
    KPIs that could not be ranked come last, each with its reason."""

    kpi: str
    cadence: Cadence
    periods: int
    max_lag: int
    min_pairs: int
    leading: tuple[LeadLag, ...]


def explain_factors(
    source: KpiSeriesSource, formula: Formula, cadence: Cadence | None, start: date, end: date
) -> FactorExplanation:
    """Which input moved a derived KPI between the periods holding `start` and `end`.

    Every input of the formula is a KPI of the source, taken as its total (rows without
    a segment) and worth its mean in a period. Both periods need a value of every input
    and a computable KPI (no division by zero). A product or ratio splits by log-change
    shares, any other formula by Shapley values (`decompose.decompose_factors`).
    """
    for key, at in zip(formula.inputs, formula.columns, strict=True):
        if key not in source.kpis:
            raise InvalidInput(
                f"column {at}: no KPI {key!r} in {source.path}; it has: {', '.join(source.kpis)}",
                field="--formula",
            )
    series = {key: source.total(key, field="--formula") for key in formula.inputs}
    window, sides = _compare(series, cadence, start, end)
    name = formula.target or "the KPI"
    for which, values in enumerate(sides):
        _require(values, window, which)
        if math.isnan(float(formula.evaluate(values))):
            raise InvalidInput(
                f"{name} cannot be computed in the {window.labels[which]}: it divides by zero "
                "or overflows (a result beyond ±1.8 × 10³⁰⁸)",
                field=_OPTIONS[which],
            )
    return FactorExplanation(formula, window, decompose_factors(formula, *sides))


def explain_segments(
    source: KpiSeriesSource, kpi: str, cadence: Cadence | None, start: date, end: date
) -> SegmentExplanation:
    """Which segment moved an additive KPI (the total is the sum of its segments) between
    the periods holding `start` and `end`.

    A segment without a value in one period is absent there and counts 0: a new plan
    adds its whole value. Each period needs a value of at least one segment.
    """
    series = source.segments(kpi, field="--segments")
    window, sides = _compare(series, cadence, start, end)
    before, after = ({s: v for s, v in values.items() if not math.isnan(v)} for values in sides)
    for which, values in enumerate((before, after)):
        if not values:
            raise InvalidInput(
                f"no value for {kpi!r} in the {window.labels[which]}", field=_OPTIONS[which]
            )
    return SegmentExplanation(kpi, window, decompose_segments(before, after))


def explain_rate_mix(
    source: KpiSeriesSource, formula: Formula, cadence: Cadence | None, start: date, end: date
) -> RateMixExplanation:
    """Whether a ratio KPI across segments moved between the periods holding `start` and
    `end` because segments' rates changed or because the mix of volume did.

    The formula is a ratio of two KPIs, possibly scaled (`conversion = paid / trials *
    100`), each with rows per segment. In each period a segment needs both its
    numerator and its denominator, or neither (then it is absent there); each period
    needs at least one segment.
    """
    factors = formula.factors() or ()
    if sorted(f.exponent for f in factors) != [-1.0, 1.0]:
        raise InvalidInput(
            f"{formula.target!r} by segments needs a ratio of two KPIs "
            "(conversion = paid / trials); for an additive KPI use --segments KPI alone",
            field="--formula",
        )
    numerator = next(f.key for f in factors if f.exponent > 0)
    denominator = next(f.key for f in factors if f.exponent < 0)
    scale = float(formula.evaluate({numerator: 1.0, denominator: 1.0}))
    series = {
        (role, segment): one
        for role in (numerator, denominator)
        for segment, one in source.segments(role, field="--formula").items()
    }
    window, sides = _compare(series, cadence, start, end)
    before, after = (
        _pairs(values, numerator, denominator, window, which) for which, values in enumerate(sides)
    )
    result = decompose_rate_mix(before, after, scale=scale)
    return RateMixExplanation(formula, numerator, denominator, window, result)


def explain_lead_lag(
    source: KpiSeriesSource, kpi: str, cadence: Cadence | None, max_lag: int = DEFAULT_MAX_LAG
) -> LeadLagExplanation:
    """Rank the source's other KPIs as leading indicators of `kpi` over every period.

    Each KPI is taken as its total, worth its mean in each period of the cadence; a KPI
    with only segment rows cannot be ranked and is listed last, saying so. Lags run
    from 0 to `max_lag` periods (`leading.lead_lag`).
    """
    if max_lag < 0:
        raise InvalidInput(f"{max_lag} is not a lag; give 0 or more", field="--max-lag")
    series = {kpi: source.total(kpi, field="--lead-lag")}
    others = [key for key in source.kpis if key != kpi]
    if not others:
        raise InvalidInput(f"{source.path} holds no KPI but {kpi!r} to rank", field="--lead-lag")
    with_total = [key for key in others if source.has_total(key)]
    series.update({key: source.total(key, field="--lead-lag") for key in with_total})
    cadence = cadence if cadence is not None else _implied_cadence(series)
    values = align_periods(series, cadence).values
    ranked = lead_lag(values[kpi], {key: values[key] for key in with_total}, max_lag)
    skipped = tuple(
        LeadLag(key, None, None, 0, "only segment rows, no total")
        for key in others
        if key not in with_total
    )
    return LeadLagExplanation(
        kpi=kpi,
        cadence=cadence,
        periods=int(values[kpi].size),
        max_lag=max_lag,
        min_pairs=MIN_LEAD_LAG_PAIRS,
        leading=(*ranked, *skipped),
    )


def _compare(
    series: Mapping[K, Series], cadence: Cadence | None, start: date, end: date
) -> tuple[ExplainWindow, tuple[dict[K, float], dict[K, float]]]:
    """The window of the periods holding `start` and `end`, and each series' value (its
    mean, NaN without points) in both periods."""
    if start >= end:
        raise InvalidInput(f"--from {start} is not before --to {end}", field="--from")
    cadence = cadence if cadence is not None else _implied_cadence(series)
    moments = [datetime(day.year, day.month, day.day) for day in (start, end)]
    table = align_periods(series, cadence, moments)
    p0, p1 = table.located
    if p0 is None or p1 is None:
        option, day = ("--from", start) if p0 is None else ("--to", end)
        raise InvalidInput(f"{day} is after the newest value in the file", field=option)
    labels = (_period_label(cadence, p0, start), _period_label(cadence, p1, end))
    if p0 == p1:
        raise InvalidInput(
            f"--from and --to fall in the same period ({labels[0]}): nothing to compare",
            field="--to",
        )
    window = ExplainWindow(cadence, (p0, p1), labels, (start, end))
    return window, (table.at(p0), table.at(p1))


def _implied_cadence(series: Mapping[K, Series]) -> Cadence:
    spacing = median_spacing(np.concatenate([s.timestamps for s in series.values()]))
    if spacing is None:
        raise InvalidInput("the values have a single timestamp: give --cadence", field="--cadence")
    return Cadence.from_spacing(spacing)


def _period_label(cadence: Cadence, period: int, day: date) -> str:
    if cadence.kind is CadenceKind.DAILY:
        return (_EPOCH + timedelta(days=period)).isoformat()
    if cadence.kind is CadenceKind.WEEKLY:
        # Period numbers of a week count Mondays from 1969-12-29 (Cadence.period_index).
        return f"week of {(_EPOCH + timedelta(days=period * 7 - 3)).isoformat()}"
    if cadence.kind is CadenceKind.MONTHLY:
        return f"{1970 + period // 12}-{period % 12 + 1:02d}"
    return f"period holding {day.isoformat()}"


def _require(values: Mapping[K, float], window: ExplainWindow, which: int) -> None:
    """A missing period is bad input: name the KPI (and segment) and the period."""
    for key, value in values.items():
        if math.isnan(value):
            raise InvalidInput(
                f"no value for {_describe(key)} in the {window.labels[which]}",
                field=_OPTIONS[which],
            )


def _describe(key: Hashable) -> str:
    if isinstance(key, tuple):
        kpi, segment = key
        return f"{kpi!r} segment {segment!r}"
    return repr(key)


def _pairs(
    values: Mapping[tuple[str, str], float],
    numerator: str,
    denominator: str,
    window: ExplainWindow,
    which: int,
) -> dict[str, tuple[float, float]]:
    """Each segment's (numerator, denominator) in one period of the window."""
    pairs = {}
    for segment in dict.fromkeys(s for _, s in values):
        n = values.get((numerator, segment), math.nan)
        d = values.get((denominator, segment), math.nan)
        if math.isnan(n) and math.isnan(d):
            continue
        _require({(numerator, segment): n, (denominator, segment): d}, window, which)
        pairs[segment] = (n, d)
    if not pairs:
        raise InvalidInput(
            f"no value for {numerator!r} and {denominator!r} in the {window.labels[which]}",
            field=_OPTIONS[which],
        )
    return pairs
