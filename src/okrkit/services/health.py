"""KPI use cases: judge a KPI's health from its values.

`check_kpi` answers the dashboard's question for one KPI — is it healthy right now? —
with every part a product manager needs to trust the answer: the status against the
thresholds, freshness (stale data is never green), the trend against the prior period,
and whether the latest move is a signal or routine variation (XmR), with the
capability of the process against the thresholds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from okrkit.domain.cadence import Cadence, CadenceKind, Timestamps, is_stale
from okrkit.domain.errors import InvalidInput
from okrkit.domain.health import Direction, Status, Thresholds, status
from okrkit.domain.kpis import Kpi
from okrkit.domain.spc import (
    BASELINE_POINTS,
    Capability,
    Timeline,
    XmrResult,
    capability,
    capability_sentence,
    xmr,
)
from okrkit.domain.trend import Trend, trend
from okrkit.domain.values import Series

__all__ = [
    "WINDOW_PERIODS",
    "KpiCheck",
    "KpiRules",
    "check_kpi",
    "describe_capability",
    "judge_kpi",
    "judge_window",
    "window",
]

# A stored KPI is judged on its last 60 periods (docs/rules.md, "Window and baseline").
WINDOW_PERIODS = 60


@dataclass(frozen=True)
class KpiRules:
    """How one KPI is judged: direction, thresholds, target, cadence and XmR baseline.

    Without a cadence the series' median spacing implies one.
    """

    direction: Direction = Direction.HIGHER
    thresholds: Thresholds | None = None
    target: float | None = None
    cadence: Cadence | None = None
    baseline: int = BASELINE_POINTS
    unit: str = ""


@dataclass(frozen=True)
class KpiCheck:
    """The health of one KPI at one moment: the read model of a dashboard tile."""

    status: Status
    stale: bool
    latest_time: datetime
    latest_value: float
    trend: Trend
    xmr: XmrResult
    capability: Capability
    cadence: Cadence | None
    rules: KpiRules
    timestamps: Timestamps

    @property
    def verdict(self) -> str:
        """'signal' when a detection rule fired, 'routine' for routine variation."""
        return self.xmr.verdict

    @property
    def timeline(self) -> Timeline:
        """How its sentences name the judged points: by their dates in the cadence's
        periods, numbers in the KPI's unit."""
        period = self.cadence.period_name if self.cadence else "point"
        return Timeline.of(self.timestamps, period, self.rules.unit)

    @property
    def headline(self) -> str:
        """One sentence on the latest signal, or that there is none, periods by date."""
        return self.xmr.headline(self.timeline)

    @property
    def signals(self) -> str:
        """Every signal of the window in one sentence (or that there is none)."""
        return self.xmr.describe(self.timeline)

    @property
    def gap_to_target(self) -> float | None:
        """Latest value minus the target (positive is above it), when there is a target."""
        target = self.rules.target
        return None if target is None else self.latest_value - target


def check_kpi(
    series: Series, rules: KpiRules, as_of: datetime, locked: Series | None = None
) -> KpiCheck:
    """Judge a KPI's series as of a moment (the caller passes the clock).

    The status is the latest value's, downgraded from green when the data is stale; the
    trend compares the latest cadence period with the one before; the XmR limits come
    from the first `rules.baseline` points — or from the values of a `locked` baseline
    period — and the detection rules run over all points.
    """
    if not len(series):
        raise InvalidInput("the series has no values", field="value")
    if rules.thresholds is not None:
        rules.thresholds.check(rules.direction)
    cadence = rules.cadence or series.implied_cadence()
    newest = series.newest
    assert newest is not None
    stale = cadence is not None and is_stale(newest, cadence, as_of)
    latest_value = float(series.values[-1])
    if cadence is None:
        periods = series.timestamps.astype("datetime64[s]").astype("int64")
    else:
        periods = cadence.period_index(series.timestamps)
    result = xmr(series.values, rules.baseline, None if locked is None else locked.values)
    return KpiCheck(
        status=status(latest_value, rules.thresholds, rules.direction, stale=stale),
        stale=stale,
        latest_time=newest,
        latest_value=latest_value,
        trend=trend(periods, series.values),
        xmr=result,
        capability=capability(result.limits, rules.thresholds, rules.direction),
        cadence=cadence,
        rules=rules,
        timestamps=series.timestamps,
    )


def window(series: Series, cadence: Cadence, periods: int = WINDOW_PERIODS) -> Series:
    """The points of a series' last `periods` cadence periods (counted from its newest).

    A cron schedule's window is found by stepping back `periods` of its fires from the
    newest value, never by enumerating the periods of everything before it."""
    if not len(series):
        return series
    if cadence.kind is CadenceKind.CRON:
        newest = series.newest
        assert newest is not None
        start = np.datetime64(cadence.period_start(newest, back=periods - 1), "s")
        keep = series.timestamps.astype("datetime64[s]") >= start
    else:
        index = cadence.period_index(series.timestamps)
        keep = index > index[-1] - periods
    segments = (
        None
        if series.segments is None
        else tuple(s for s, k in zip(series.segments, keep.tolist(), strict=True) if k)
    )
    return Series(series.timestamps[keep], series.values[keep], segments)


def judge_kpi(
    kpi: Kpi,
    series: Series,
    as_of: datetime,
    periods: int = WINDOW_PERIODS,
    locked: Series | None = None,
) -> KpiCheck:
    """A stored KPI's health as the dashboard shows it: judged on its last `periods`
    periods (60 by default) of `series`, with limits from the first 20 points of that
    window, or from the `locked` baseline's values when its owner locked one (they then
    stay put, however the window moves)."""
    return judge_window(kpi, window(series, kpi.cadence, periods), as_of, locked)


def judge_window(
    kpi: Kpi, windowed: Series, as_of: datetime, locked: Series | None = None
) -> KpiCheck:
    """`judge_kpi` of a series already cut to its window."""
    rules = KpiRules(
        direction=kpi.direction,
        thresholds=kpi.thresholds,
        target=kpi.target,
        cadence=kpi.cadence,
        unit=kpi.unit,
    )
    return check_kpi(windowed, rules, as_of, locked)


def describe_capability(check: KpiCheck) -> str:
    """The capability verdict in words: what kind of problem a red KPI would be
    (`spc.capability_sentence`: it agrees with the numbers and the status shown).

    Capable: the process as it runs stays green. Incapable: routine variation alone
    produces red values now and then — the process itself must change, which is an
    OKR's job. Marginal: routine variation reaches into yellow.
    """
    rules = check.rules
    return capability_sentence(
        check.xmr.limits,
        rules.thresholds,
        rules.direction,
        check.latest_value,
        unit=rules.unit,
        stale=check.stale,
    )
