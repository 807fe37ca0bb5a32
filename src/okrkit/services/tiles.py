"""The KPI health read model: what a dashboard tile shows, judged once per change.

A tile needs a KPI's latest value, its trend against the prior period, the verdict and
the one-sentence headline of its XmR chart, and one point per period for the
sparkline. Judging that means reading the KPI's window (up to 60 periods of values)
and running the rules; a dashboard of ten KPIs would do it ten times per request. So
it is done once and kept (`kpi_health`, one JSON document per KPI):

- a document records the versions it was judged on: the definition's (`version`,
  bumped by every edit) and the values' (`values_version`, bumped by every import in
  its own transaction). A reader takes a document only when both still match the KPI
  it has just read, so a tile judged before a change is never shown after it — even
  when a refresh racing an import writes it late (the versions are read before the
  values are, so a document never claims newer versions than its values);
- `refresh_health` judges the KPIs without a current document and stores them, in
  transactions of their own: after an import, after loading a workspace; an edit
  judges its KPI again in its own transaction;
- a tile without a current document is judged live, exactly as before.

What depends on the clock — staleness, and so the status, since stale is never
green — is not kept: it is worked out on every read from the newest value's time.
`FORMAT` changes whenever a document's content does; documents of another format read
as missing and are judged anew.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson

from okrkit.domain.cadence import Cadence, CadenceKind, epoch_seconds, is_stale
from okrkit.domain.health import Status, status
from okrkit.domain.kpis import StoredKpi
from okrkit.domain.trend import Trend, period_means
from okrkit.domain.values import Series
from okrkit.services.health import KpiCheck, judge_window, window
from okrkit.services.ports import UnitOfWork

__all__ = [
    "FORMAT",
    "TileHealth",
    "current",
    "decode",
    "encode",
    "judge_tiles",
    "keep_health",
    "period_seconds",
    "refresh_health",
    "span_seconds",
    "tile_health",
]

FORMAT = 1
# KPIs judged per round of `refresh_health`: bounds the values held in memory at once.
_CHUNK = 400
# Upper bounds of one period in seconds, to fetch a window generously before trimming it
# to whole periods in Python.
_PERIOD_SECONDS = {
    CadenceKind.DAILY: 86_400,
    CadenceKind.WEEKLY: 7 * 86_400,
    CadenceKind.MONTHLY: 31 * 86_400,
}


@dataclass(frozen=True)
class TileHealth:
    """A KPI's health as a tile shows it, as of a moment."""

    status: Status
    stale: bool
    latest_time: datetime
    latest_value: float
    trend: Trend
    verdict: str
    headline: str
    cadence: Cadence
    spark: tuple[float, ...]


def period_seconds(cadence: Cadence) -> float:
    """The longest one period of a cadence can last, in seconds."""
    if cadence.kind in _PERIOD_SECONDS:
        return _PERIOD_SECONDS[cadence.kind]
    if cadence.spacing_seconds:
        return cadence.spacing_seconds
    # A cron cadence: the longest gap between two of its fires is at most a year.
    return 366 * 86_400


def span_seconds(stored: StoredKpi) -> int:
    """Seconds before its newest value that surely hold a KPI's window (trimmed to whole
    periods afterwards): (`window_periods` + 1) × the longest period of its cadence."""
    return int(period_seconds(stored.kpi.cadence) * (stored.window_periods + 1))


def _spark(cadence: Cadence, values: Series) -> tuple[float, ...]:
    _, means = period_means(cadence.period_index(values.timestamps), values.values.reshape(1, -1))
    return tuple(float(m) for m in means[0])


def tile_health(stored: StoredKpi, check: KpiCheck, windowed: Series) -> TileHealth:
    """The tile of a KPI judged live on its window."""
    return TileHealth(
        status=check.status,
        stale=check.stale,
        latest_time=check.latest_time,
        latest_value=check.latest_value,
        trend=check.trend,
        verdict=check.verdict,
        headline=check.headline,
        cadence=stored.kpi.cadence,
        spark=_spark(stored.kpi.cadence, windowed),
    )


def _number(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else value


def _basis(stored: StoredKpi) -> list[int]:
    return [stored.revision.version, stored.values_version]


def current(stored: StoredKpi, document: str) -> bool:
    """Was the document judged on this definition and these values of the KPI?"""
    return bool(orjson.loads(document).get("basis") == _basis(stored))


def encode(health: TileHealth, stored: StoredKpi) -> str:
    """The document kept for a tile: everything but what depends on the clock, and the
    versions of the KPI it was judged on."""
    trend = health.trend
    return json.dumps(
        {
            "basis": _basis(stored),
            "latest_time": int(health.latest_time.replace(tzinfo=UTC).timestamp()),
            "latest_value": health.latest_value,
            "trend": [
                _number(trend.latest),
                _number(trend.previous),
                _number(trend.change),
                _number(trend.relative_change),
                _number(trend.slope_per_period),
            ],
            "verdict": health.verdict,
            "headline": health.headline,
            "spark": [_number(v) for v in health.spark],
        },
        allow_nan=False,
        separators=(",", ":"),
    )


def decode(stored: StoredKpi, document: str, as_of: datetime) -> TileHealth | None:
    """A kept tile as of a moment (staleness and status worked out anew), or None when
    it was judged on another version of the KPI's definition or values."""
    data = orjson.loads(document)
    if data.get("basis") != _basis(stored):
        return None
    kpi = stored.kpi
    latest_time = datetime.fromtimestamp(data["latest_time"], UTC).replace(tzinfo=None)
    latest_value = float(data["latest_value"])
    stale = is_stale(latest_time, kpi.cadence, as_of)
    latest, previous, change, relative, slope = data["trend"]
    return TileHealth(
        status=status(latest_value, kpi.thresholds, kpi.direction, stale=stale),
        stale=stale,
        latest_time=latest_time,
        latest_value=latest_value,
        trend=Trend(latest, previous, change, relative, slope),
        verdict=str(data["verdict"]),
        headline=str(data["headline"]),
        cadence=kpi.cadence,
        spark=tuple(math.nan if v is None else float(v) for v in data["spark"]),
    )


def judge_tiles(
    uow: UnitOfWork, listed: Sequence[tuple[int, StoredKpi]], as_of: datetime
) -> dict[int, tuple[KpiCheck, Series]]:
    """The live judgement of listed KPIs on their windows (those with values), in one
    query (two when a KPI has a locked baseline)."""
    windows = uow.values.windows({kpi_id: span_seconds(stored) for kpi_id, stored in listed})
    locked = uow.values.totals_between(
        {
            kpi_id: (epoch_seconds(stored.baseline[0]), epoch_seconds(stored.baseline[1]))
            for kpi_id, stored in listed
            if stored.baseline is not None
        }
    )
    judged = {}
    for kpi_id, stored in listed:
        series = windows.get(kpi_id)
        if series is None or not len(series):
            continue
        cut = window(series, stored.kpi.cadence, stored.window_periods)
        judged[kpi_id] = (judge_window(stored.kpi, cut, as_of, locked.get(kpi_id)), cut)
    return judged


def keep_health(uow: UnitOfWork, listed: Sequence[tuple[int, StoredKpi]], as_of: datetime) -> int:
    """Judge listed KPIs and keep their tiles, inside the caller's transaction; return
    how many had values to judge. `listed` must have been read before the values are
    (in this transaction or an earlier one), so the versions a tile records are never
    newer than the values it was judged on."""
    judged = judge_tiles(uow, listed, as_of)
    stored_by_id = dict(listed)
    uow.tiles.put(
        {
            kpi_id: encode(tile_health(stored_by_id[kpi_id], check, cut), stored_by_id[kpi_id])
            for kpi_id, (check, cut) in judged.items()
        },
        FORMAT,
    )
    return len(judged)


def refresh_health(uow: UnitOfWork, now: datetime, keys: Iterable[str] | None = None) -> int:
    """Judge the KPIs without a kept tile (of `keys`, or every KPI) and keep their tiles;
    return how many were judged. One transaction per `_CHUNK` KPIs, so a long refresh
    never holds a write lock for long."""
    with uow:
        listed = uow.kpis.list(keys=None if keys is None else list(keys))
        kept = uow.tiles.get((kpi_id for kpi_id, _ in listed), FORMAT)
    todo = [
        (kpi_id, stored)
        for kpi_id, stored in listed
        if kpi_id not in kept or not current(stored, kept[kpi_id])
    ]
    judged = 0
    for first in range(0, len(todo), _CHUNK):
        with uow:
            judged += keep_health(uow, todo[first : first + _CHUNK], now)
            uow.commit()
    return judged
