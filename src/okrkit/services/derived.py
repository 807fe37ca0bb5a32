"""A derived KPI in the workspace: which of its inputs moved it in the latest period.

Rule (docs/rules.md, "Derived KPIs"): a derived KPI (`arpa = mrr / paying_customers`) is
computed period by period from other KPIs, and its change splits into each input's
share of it. The KPI page answers that for the latest period of the KPI's cadence
against the one before, from the inputs' stored totals, through
`explain.explain_factors` — the use case behind `okrkit kpi explain --formula` — so
the page and the command give the same shares from the same values.

What stops the answer is said in a sentence a product manager can act on, never
raised: an input that is no KPI of the workspace, an input without a value in one of
the two periods, a period where the formula divides by zero.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

from okrkit.domain.errors import InvalidInput
from okrkit.domain.formula import Formula
from okrkit.domain.kpis import Kpi
from okrkit.domain.periods import align_periods
from okrkit.domain.values import Series
from okrkit.services.explain import FactorExplanation, explain_factors

__all__ = ["LatestFactors", "StoredTotals", "formula_inputs", "latest_factors"]

_DAY = timedelta(days=1)


class StoredTotals:
    """The input KPIs' totals read from the store, as the `explain.KpiSeriesSource` the
    explain use cases read: one series per KPI key, no segments."""

    def __init__(self, totals: Mapping[str, Series]) -> None:
        self._totals = dict(totals)

    @property
    def path(self) -> str:
        return "the workspace"

    @property
    def kpis(self) -> Collection[str]:
        return tuple(self._totals)

    def has_total(self, key: str) -> bool:
        return len(self._totals.get(key, ())) > 0

    def total(self, key: str, *, field: str) -> Series:
        if not self.has_total(key):
            raise InvalidInput(f"{key} has no values yet", field=field)
        return self._totals[key]

    def segments(self, key: str, *, field: str) -> Mapping[str, Series]:
        raise InvalidInput(f"segments of {key} are not read here", field=field)


@dataclass(frozen=True)
class LatestFactors:
    """Which input moved a derived KPI between the latest period of its cadence and the
    one before: `explanation` (the two periods, each input's value in both and its share
    of the change), or `reason`, a sentence saying why that cannot be computed."""

    formula: str
    explanation: FactorExplanation | None = None
    reason: str | None = None


def formula_inputs(kpi: Kpi) -> tuple[str, ...]:
    """The KPI keys a derived KPI's formula reads, in order of appearance; none for a
    KPI without a formula, or with one that does not parse (`latest_factors` says so)."""
    if not kpi.formula:
        return ()
    try:
        return Formula.parse(kpi.formula).inputs
    except InvalidInput:
        return ()


def latest_factors(kpi: Kpi, totals: Mapping[str, Series]) -> LatestFactors | None:
    """Which input moved a derived KPI in the latest period of its cadence (the period
    of its inputs' newest value) against the period before; None for a KPI without a
    formula.

    `totals` holds each input that is a KPI of the workspace with its total series,
    covering at least those two periods (possibly empty); an input missing from it is no
    KPI. Each input is worth its mean in a period, as `okrkit kpi explain --formula`
    takes it.
    """
    if not kpi.formula:
        return None
    text = kpi.formula
    try:
        formula = Formula.parse(text)
    except InvalidInput as error:
        return LatestFactors(text, reason=f"The formula cannot be read: {error.message}.")
    unknown = [key for key in formula.inputs if key not in totals]
    if unknown:
        return LatestFactors(
            text,
            reason=f"The formula reads {_keys(unknown)}, which {_is(unknown)} no KPI of this "
            "workspace: add the KPI or correct the formula.",
        )
    series = {key: totals[key] for key in formula.inputs}
    if not any(len(one) for one in series.values()):
        return LatestFactors(text, reason=f"No values yet for {_keys(formula.inputs)}.")
    try:
        days = _latest_two(formula, kpi, series)
        if isinstance(days, str):
            return LatestFactors(text, reason=days)
        explanation = explain_factors(StoredTotals(series), formula, kpi.cadence, *days)
    except InvalidInput as error:  # what the decomposition itself refuses
        message = error.message
        return LatestFactors(text, reason=f"{message[:1].upper()}{message[1:]}.")
    return LatestFactors(text, explanation=explanation)


def _latest_two(
    formula: Formula, kpi: Kpi, series: Mapping[str, Series]
) -> tuple[date, date] | str:
    """A day in the period before the latest and one in the latest (the days
    `explain_factors` compares), or why those two periods cannot be compared.

    Periods of a daily, weekly or monthly cadence start at midnight; a cron period may
    start at any hour, so the days tried are both sides of every value's date, and a
    period holding no midnight (shorter than a day) has no day to name it.
    """
    cadence = kpi.cadence
    period = cadence.period_name if cadence.period_name != "point" else "period"
    stamps = np.concatenate([one.timestamps for one in series.values()])
    first: date = stamps.min().astype("datetime64[D]").item()
    last: date = stamps.max().astype("datetime64[D]").item()
    days = [first + (n - 1) * _DAY for n in range((last - first).days + 3)]
    table = align_periods(series, cadence, [datetime(d.year, d.month, d.day) for d in days])
    latest = int(table.periods[-1])
    for at, which in ((latest, f"the latest {period}"), (latest - 1, f"the {period} before")):
        values = table.at(at)
        missing = [key for key, value in values.items() if math.isnan(value)]
        if missing:
            return (
                f"No value of {_keys(missing)} in {which}, so the move of {kpi.key} cannot "
                "be split between its inputs."
            )
        if math.isnan(float(formula.evaluate(values))):
            return f"{kpi.key} cannot be computed in {which}: its formula divides by zero there."
    located = {at: day for day, at in zip(days, table.located, strict=True) if at is not None}
    if latest not in located or latest - 1 not in located:
        return f"The cadence {cadence} has periods shorter than a day, too short to compare here."
    return located[latest - 1], located[latest]


def _keys(keys: Sequence[str]) -> str:
    if len(keys) == 1:
        return keys[0]
    return ", ".join(keys[:-1]) + " and " + keys[-1]


def _is(keys: Sequence[str]) -> str:
    return "is" if len(keys) == 1 else "are"
