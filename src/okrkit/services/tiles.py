"""The KPI health read model: what a dashboard tile shows, judged once per change.

A tile needs a KPI's latest value, its trend against the prior period, the verdict and
the one-sentence headline of its XmR chart, and one point per period for the
sparkline. Judging that means reading the KPI's window (up to 60 periods of values)
and running the rules; a dashboard of ten KPIs would do it ten times per request. So
it is done once and kept (`ports.KeptTile`, one per KPI):

- a kept tile records the versions it was judged on: the definition's (`version`,
  bumped by every edit) and the values' (`values_version`, bumped by every import in
  its own transaction). A reader takes a kept tile only when both still match the KPI
  it has just read, so a tile judged before a change is never shown after it — even
  when a refresh racing an import writes it late (the versions are read before the
  values are, so a tile never claims newer versions than its values);
- `refresh_health` judges the KPIs without a current tile and keeps them, in
  transactions of their own: after an import, after loading a workspace; an edit
  judges its KPI again in its own transaction;
- a tile without a current kept one is judged live, exactly as before.

What depends on the clock — staleness, and so the status, since stale is never
green — is not kept: it is worked out on every read from the newest value's time. The
data quality of the window (`window_quality`: gaps, nulls, duplicates, a segment that
stopped) depends on the values only, so it is kept with the tile: the workspace's lint
(KPI006) reads it instead of every KPI's window.

A KPI whose definition cannot be judged (a cadence written before it was checked, a
schedule with too many periods over its values, thresholds in the wrong order) gets a
tile that says why (`Tile.cant_judge`) and nothing kept; every other tile is judged as
usual. Dashboards list tiles worst first (`worst_first`, `domain.health.WORST_FIRST`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol, TypeVar

from okrkit.domain.cadence import Cadence, is_stale, longest_period
from okrkit.domain.errors import Busy, Conflict, InvalidInput
from okrkit.domain.health import WORST_FIRST, Standing, Status, standing, status, toward_red
from okrkit.domain.kpis import Kpi, StoredKpi
from okrkit.domain.quality import Quality, check_quality
from okrkit.domain.trend import Trend, period_means
from okrkit.domain.values import Series
from okrkit.services.health import KpiCheck, judge_window, window
from okrkit.services.ports import KeptTile, UnitOfWork

__all__ = [
    "Judged",
    "Ranked",
    "Tile",
    "TileHealth",
    "judge_tiles",
    "judging_problem",
    "keep_health",
    "kept_health",
    "kept_tile",
    "refresh_health",
    "tile_health",
    "tiles",
    "watch_health",
    "window_quality",
    "window_span",
    "worst_first",
]

# KPIs judged per round of `refresh_health`: bounds the values held in memory at once.
_CHUNK = 400


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
    quality: Quality


@dataclass(frozen=True)
class Tile:
    """One KPI on a dashboard: its definition and its health (None without values).

    A tile judged live also carries the full judgement (`check`: XmR limits and every
    signal) and its window's `values`, which the KPI page draws; a kept tile has
    neither.
    """

    stored: StoredKpi
    health: TileHealth | None
    check: KpiCheck | None = None
    values: Series = field(default_factory=lambda: Series.from_points([]))
    cant_judge: str | None = None

    @property
    def status(self) -> Status:
        return Status.UNKNOWN if self.health is None else self.health.status

    @property
    def standing(self) -> Standing:
        """Where it stands on a dashboard: red, can't judge, yellow, stale or no data,
        no thresholds, green."""
        stale = self.health is None or self.health.stale
        return standing(self.status, stale, judged=self.cant_judge is None)

    @property
    def value(self) -> float | None:
        """Its newest value (None without one)."""
        return None if self.health is None else self.health.latest_value


class Ranked(Protocol):
    """Anything listed on a dashboard: a KPI, where it stands and its newest value."""

    @property
    def stored(self) -> StoredKpi: ...

    @property
    def standing(self) -> Standing: ...

    @property
    def value(self) -> float | None: ...


R = TypeVar("R", bound=Ranked)


def worst_first(items: Iterable[R]) -> list[R]:
    """Dashboard order, the one rule every page and the API list by: by standing (red,
    can't judge, yellow, stale or no data, no thresholds, green), then the nearest to red
    (or the furthest beyond it) first, then the North Star, then by name."""
    return sorted(
        items,
        key=lambda item: (
            WORST_FIRST.index(item.standing),
            -toward_red(item.value, item.stored.kpi.thresholds, item.stored.kpi.direction),
            not item.stored.kpi.north_star,
            item.stored.kpi.name.casefold(),
            item.stored.kpi.key,
        ),
    )


def judging_problem(kpi: Kpi) -> str | None:
    """Why a stored definition cannot be judged, or None: a cadence that is no schedule
    a KPI can have, or thresholds a direction forbids (both refused when written, but a
    definition may predate the rule). Cheap: read per KPI by every dashboard."""
    problem = kpi.cadence.problem
    if problem is None and kpi.thresholds is not None:
        try:
            kpi.thresholds.check(kpi.direction)
        except InvalidInput as error:
            problem = error.message
    return problem


def window_span(stored: StoredKpi) -> timedelta:
    """How long before its newest value surely holds a KPI's window (trimmed to whole
    periods afterwards): (`window_periods` + 1) × the longest period of its cadence."""
    return longest_period(stored.kpi.cadence) * (stored.window_periods + 1)


def _spark(cadence: Cadence, values: Series) -> tuple[float, ...]:
    _, means = period_means(cadence.period_index(values.timestamps), values.values.reshape(1, -1))
    return tuple(float(m) for m in means[0])


def window_quality(
    stored: StoredKpi, windowed: Series, segments_newest: Mapping[str, datetime]
) -> Quality:
    """The data quality of a KPI's window of values (the ones its tile is judged on),
    its named segments judged by their newest moments; a definition that cannot be
    judged (a cadence no schedule can have) is not checked."""
    cadence = stored.kpi.cadence
    if not len(windowed) or cadence.problem is not None:
        return Quality(())
    return check_quality(
        windowed.timestamps, windowed.values, cadence, segments_newest=segments_newest
    )


def tile_health(
    stored: StoredKpi,
    check: KpiCheck,
    windowed: Series,
    segments_newest: Mapping[str, datetime] | None = None,
) -> TileHealth:
    """The tile of a KPI judged live on its window, its data quality with it (its
    named segments judged by their newest moments, none given: no segments)."""
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
        quality=window_quality(stored, windowed, segments_newest or {}),
    )


def kept_tile(stored: StoredKpi, health: TileHealth) -> KeptTile:
    """What is kept of a tile: everything but what depends on the clock, and the
    versions of the KPI it was judged on."""
    return KeptTile(
        version=stored.revision.version,
        values_version=stored.values_version,
        latest_time=health.latest_time,
        latest_value=health.latest_value,
        trend=health.trend,
        verdict=health.verdict,
        headline=health.headline,
        spark=health.spark,
        quality=health.quality,
    )


def kept_health(stored: StoredKpi, kept: KeptTile, as_of: datetime) -> TileHealth | None:
    """A kept tile as of a moment (staleness and status worked out anew), or None when
    it was judged on another version of the KPI's definition or values."""
    if (kept.version, kept.values_version) != (stored.revision.version, stored.values_version):
        return None
    kpi = stored.kpi
    if judging_problem(kpi) is not None:
        return None
    stale = is_stale(kept.latest_time, kpi.cadence, as_of)
    return TileHealth(
        status=status(kept.latest_value, kpi.thresholds, kpi.direction, stale=stale),
        stale=stale,
        latest_time=kept.latest_time,
        latest_value=kept.latest_value,
        trend=kept.trend,
        verdict=kept.verdict,
        headline=kept.headline,
        cadence=kpi.cadence,
        spark=kept.spark,
        quality=kept.quality,
    )


@dataclass(frozen=True)
class Judged:
    """The live judgement of KPIs by key: `checks` those judged (the check, the window
    it was judged on, the tile), `cant_judge` why each of the others with values could
    not be."""

    checks: dict[str, tuple[KpiCheck, Series, TileHealth]]
    cant_judge: dict[str, str]


def judge_tiles(uow: UnitOfWork, listed: Sequence[StoredKpi], as_of: datetime) -> Judged:
    """The live judgement of listed KPIs on their windows (those with values), by key,
    in two queries (the windows, the segments' newest moments; three when a KPI has a
    locked baseline). A KPI whose definition cannot
    be judged is not: its reason is said instead, and the others are judged."""
    problems = {stored.kpi.key: judging_problem(stored.kpi) for stored in listed}
    cant_judge = {key: problem for key, problem in problems.items() if problem is not None}
    judgeable = [stored for stored in listed if stored.kpi.key not in cant_judge]
    windows = uow.values.windows({stored.kpi.key: window_span(stored) for stored in judgeable})
    locked = uow.values.totals_between(
        {stored.kpi.key: stored.baseline for stored in judgeable if stored.baseline is not None}
    )
    segments = uow.values.segments_newest(windows) if windows else {}
    checks = {}
    for stored in judgeable:
        key = stored.kpi.key
        series = windows.get(key)
        if series is None or not len(series):
            continue
        try:
            cut = window(series, stored.kpi.cadence, stored.window_periods)
            check = judge_window(stored.kpi, cut, as_of, locked.get(key))
            checks[key] = (check, cut, tile_health(stored, check, cut, segments.get(key)))
        except InvalidInput as error:  # a rule refusing this KPI's values as defined
            cant_judge[key] = error.message
    return Judged(checks, cant_judge)


def tiles(
    uow: UnitOfWork, listed: Sequence[StoredKpi], as_of: datetime, *, live: bool = False
) -> list[Tile]:
    """The tiles of listed KPIs, in their order: the kept ones in one query, and the
    KPIs without a current one (every one when `live`) judged on their windows in one
    more (two when one has a locked baseline)."""
    kept_tiles = {} if live else uow.tiles.get(stored.kpi.key for stored in listed)
    kept = {
        stored.kpi.key: health
        for stored in listed
        if stored.kpi.key in kept_tiles
        and (health := kept_health(stored, kept_tiles[stored.kpi.key], as_of)) is not None
    }
    missing = [stored for stored in listed if stored.kpi.key not in kept]
    judged = judge_tiles(uow, missing, as_of) if missing else Judged({}, {})
    out = []
    for stored in listed:
        key = stored.kpi.key
        if key in kept:
            out.append(Tile(stored, kept[key]))
        elif key in judged.checks:
            check, cut, health = judged.checks[key]
            out.append(Tile(stored, health, check, cut))
        else:
            out.append(Tile(stored, None, cant_judge=judged.cant_judge.get(key)))
    return out


def keep_health(uow: UnitOfWork, listed: Sequence[StoredKpi], as_of: datetime) -> int:
    """Judge listed KPIs and keep their tiles, and open, escalate or resolve their alerts
    (`alerts.raise_alerts`), inside the caller's transaction; return how many had values
    to judge. `listed` must have been read before the values are
    (in this transaction or an earlier one), so the versions a tile records are never
    newer than the values it was judged on."""
    from okrkit.services.alerts import raise_alerts

    judgement = judge_tiles(uow, listed, as_of)
    judged = judgement.checks
    by_key = {stored.kpi.key: stored for stored in listed}
    uow.tiles.put({key: kept_tile(by_key[key], health) for key, (_, _, health) in judged.items()})
    checks = {key: (check, cut) for key, (check, cut, _) in judged.items()}
    raise_alerts(uow, listed, checks, judgement.cant_judge, as_of)
    return len(judged)


def refresh_health(uow: UnitOfWork, now: datetime, keys: Iterable[str] | None = None) -> int:
    """Judge the KPIs without a current kept tile (of `keys`, or every KPI) and keep
    their tiles; return how many were judged. One transaction per `_CHUNK` KPIs, so a
    long refresh never holds a write lock for long."""
    with uow:
        listed = uow.kpis.list(keys=None if keys is None else list(keys))
        kept = uow.tiles.get(stored.kpi.key for stored in listed)
    todo = [
        stored
        for stored in listed
        if stored.kpi.key not in kept or kept_health(stored, kept[stored.kpi.key], now) is None
    ]
    judged = 0
    for first in range(0, len(todo), _CHUNK):
        judged += _keep_chunk(uow, todo[first : first + _CHUNK], now)
    return judged


def _keep_chunk(uow: UnitOfWork, chunk: Sequence[StoredKpi], now: datetime) -> int:
    """`keep_health` of one chunk in a transaction of its own. It runs after the write
    that caused it was committed, so losing a race never fails that write: when another
    judgement of these KPIs committed first (an alert of theirs, a lock), they are judged
    once more on what it left; a second loss leaves them judged live until the next."""
    try:
        with uow:
            judged = keep_health(uow, chunk, now)
            uow.commit()
        return judged
    except (Conflict, Busy):
        pass
    try:
        with uow:
            fresh = uow.kpis.list(keys=[stored.kpi.key for stored in chunk])
            judged = keep_health(uow, fresh, now)
            uow.commit()
        return judged
    except (Conflict, Busy):
        return 0


def watch_health(uow: UnitOfWork, now: datetime) -> int:
    """Judge anew the KPIs whose data went stale since they were last judged and that
    have no unresolved data alert, so their data alert opens without a write of values,
    and the KPIs without a current kept tile (one kept in an older release's layout, or
    one a lost race left to be judged live), so no dashboard judges them on every read
    (the job queue runs this every hour); return how many were judged. One transaction
    per `_CHUNK` KPIs."""
    from okrkit.domain.alerts import AlertKind

    with uow:
        listed = uow.kpis.list(keys=None)
        keys = [stored.kpi.key for stored in listed]
        kept = uow.tiles.get(keys)
        unresolved = uow.alerts.unresolved(keys)
    todo = []
    for stored in listed:
        key = stored.kpi.key
        health = kept_health(stored, kept[key], now) if key in kept else None
        if health is None or (health.stale and AlertKind.DATA not in unresolved.get(key, {})):
            todo.append(stored)
    judged = 0
    for first in range(0, len(todo), _CHUNK):
        with uow:
            judged += keep_health(uow, todo[first : first + _CHUNK], now)
            uow.commit()
    return judged
