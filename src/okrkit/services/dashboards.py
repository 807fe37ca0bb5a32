"""Read models of the web pages: the home page, a team's dashboard, a KPI's page.

Each is built in one transaction with a fixed number of queries however many KPIs it
shows (no query per KPI): the definitions in one, the newest values in one, the
windows of values in one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from okrkit.domain.cadence import Cadence, CadenceKind, is_stale
from okrkit.domain.health import Status, status
from okrkit.domain.model import Series, StoredKpi, StoredTeam
from okrkit.domain.quality import Quality, check_quality
from okrkit.services.derived import LatestFactors, formula_inputs, latest_factors
from okrkit.services.kpis import KpiCheck, judge_window, window
from okrkit.services.ports import UnitOfWork

__all__ = [
    "PAGE_SIZE",
    "Home",
    "KpiEditor",
    "KpiPage",
    "SegmentRow",
    "TeamDashboard",
    "TeamSummary",
    "Tile",
    "home",
    "kpi_editor",
    "kpi_page",
    "team_dashboard",
]

PAGE_SIZE = 50
# Upper bounds of one period in seconds, to fetch a window generously before trimming it
# to whole periods in Python.
_PERIOD_SECONDS = {
    CadenceKind.DAILY: 86_400,
    CadenceKind.WEEKLY: 7 * 86_400,
    CadenceKind.MONTHLY: 31 * 86_400,
}


def _moment(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)


def _period_seconds(cadence: Cadence, series_hint: float | None = None) -> float:
    if cadence.kind in _PERIOD_SECONDS:
        return _PERIOD_SECONDS[cadence.kind]
    if cadence.spacing_seconds:
        return cadence.spacing_seconds
    # A cron cadence: the longest gap between two of its fires is at most a year.
    return series_hint or 366 * 86_400


def _window_span(stored: StoredKpi) -> int:
    """Seconds before its newest value that surely hold a KPI's window (trimmed to whole
    periods afterwards)."""
    return int(_period_seconds(stored.kpi.cadence) * (stored.window_periods + 1))


@dataclass(frozen=True)
class Tile:
    """One KPI on a dashboard: its definition, its health, the values of its window."""

    stored: StoredKpi
    check: KpiCheck | None
    values: Series

    @property
    def status(self) -> Status:
        return Status.UNKNOWN if self.check is None else self.check.status


@dataclass(frozen=True)
class TeamDashboard:
    """A team's KPI tiles, North Star first."""

    team: StoredTeam
    tiles: tuple[Tile, ...]
    as_of: datetime


@dataclass(frozen=True)
class TeamSummary:
    """A team's KPI health at a glance: how many green, yellow, red, unknown, stale."""

    team: StoredTeam
    counts: dict[str, int]
    kpis: int


@dataclass(frozen=True)
class Home:
    """Every team's KPI health, and the North Star KPI on top."""

    north_star: Tile | None
    teams: tuple[TeamSummary, ...]
    as_of: datetime


@dataclass(frozen=True)
class SegmentRow:
    """A segment's newest value and its change against the one before."""

    segment: str
    latest: float
    latest_time: datetime
    previous: float | None


@dataclass(frozen=True)
class KpiPage:
    """Everything the KPI page shows; `factors`, for a derived KPI only, says which input
    moved it in the latest period (or why that cannot be computed)."""

    tile: Tile
    quality: Quality | None
    segments: tuple[SegmentRow, ...]
    values: tuple[tuple[datetime, float], ...]
    total_values: int
    page: int
    pages: int
    team: StoredTeam | None = None
    factors: LatestFactors | None = None


@dataclass(frozen=True)
class KpiEditor:
    """What the KPI form needs: the teams a KPI can belong to and, to edit, the KPI."""

    teams: tuple[StoredTeam, ...]
    stored: StoredKpi | None


def _seconds(moment: datetime) -> int:
    return int(moment.replace(tzinfo=UTC).timestamp())


def _tiles(uow: UnitOfWork, listed: list[tuple[int, StoredKpi]], as_of: datetime) -> list[Tile]:
    """The tiles of listed KPIs in one query (two when a KPI has a locked baseline): the
    windows, the locked baselines' values."""
    windows = uow.values.windows({kpi_id: _window_span(stored) for kpi_id, stored in listed})
    locked = uow.values.totals_between(
        {
            kpi_id: (_seconds(stored.baseline[0]), _seconds(stored.baseline[1]))
            for kpi_id, stored in listed
            if stored.baseline is not None
        }
    )
    tiles = []
    for kpi_id, stored in listed:
        series = windows.get(kpi_id)
        if series is None or not len(series):
            tiles.append(Tile(stored, None, Series.from_points([])))
            continue
        cut = window(series, stored.kpi.cadence, stored.window_periods)
        check = judge_window(stored.kpi, cut, as_of, locked.get(kpi_id))
        tiles.append(Tile(stored, check, cut))
    return tiles


def team_dashboard(uow: UnitOfWork, team: str, as_of: datetime) -> TeamDashboard:
    """A team's dashboard as of a moment: every KPI's tile, in three queries (four when a
    KPI has a locked baseline)."""
    with uow:
        stored_team = uow.teams.get(team)
        listed = uow.kpis.list(team=team)
        return TeamDashboard(stored_team, tuple(_tiles(uow, listed, as_of)), as_of)


def home(uow: UnitOfWork, as_of: datetime) -> Home:
    """Every team's counts of green / yellow / red / unknown / stale KPIs, from each KPI's
    newest value, and the North Star KPI's full tile."""
    with uow:
        teams = uow.teams.list()
        listed = uow.kpis.list()
        latest = uow.values.latest(kpi_id for kpi_id, _ in listed)
        counts: dict[str, Counter[str]] = {t.team.key: Counter() for t in teams}
        sizes: Counter[str] = Counter()
        for kpi_id, stored in listed:
            kpi = stored.kpi
            sizes[kpi.team] += 1
            if kpi_id not in latest:
                counts.setdefault(kpi.team, Counter())["unknown"] += 1
                continue
            ts, value = latest[kpi_id]
            stale = is_stale(_moment(ts), kpi.cadence, as_of)
            light = status(value, kpi.thresholds, kpi.direction, stale=stale)
            bucket = counts.setdefault(kpi.team, Counter())
            bucket[light.value] += 1
            if stale:
                bucket["stale"] += 1
        north = [(kpi_id, s) for kpi_id, s in listed if s.kpi.north_star]
        north_tile = _tiles(uow, north[:1], as_of)[0] if north else None
    summaries = tuple(
        TeamSummary(
            t,
            {k: counts[t.team.key][k] for k in ("green", "yellow", "red", "unknown", "stale")},
            sizes[t.team.key],
        )
        for t in teams
    )
    return Home(north_tile, summaries, as_of)


def kpi_page(uow: UnitOfWork, key: str, as_of: datetime, page: int = 1) -> KpiPage:
    """A KPI's page: its tile, data quality, segments, one page of its values (a page
    beyond the last shows the last) and, for a derived KPI, which input moved it in the
    latest period; a fixed number of queries however many segments or inputs."""
    with uow:
        stored = uow.kpis.get(key)
        team = uow.teams.get(stored.kpi.team)
        kpi_id = uow.kpis.ids([key])[key]
        tile = _tiles(uow, [(kpi_id, stored)], as_of)[0]
        quality = None
        if len(tile.values):
            quality = check_quality(tile.values.timestamps, tile.values.values, stored.kpi.cadence)
        rows = tuple(
            SegmentRow(segment, latest, _moment(ts), previous)
            for segment, ts, latest, previous in uow.values.segments_latest(kpi_id)
        )
        factors = None
        if stored.kpi.formula:
            # The inputs' last two periods: their ids, the newest time among them, then
            # every input's totals since two periods before it — three queries.
            inputs = uow.kpis.ids(formula_inputs(stored.kpi))
            newest = uow.values.newest(inputs.values())
            since = int(max(newest.values(), default=0) - 2 * _period_seconds(stored.kpi.cadence))
            totals = uow.values.totals_since(dict.fromkeys(newest, since))
            factors = latest_factors(
                stored.kpi,
                {name: totals.get(i, Series.from_points([])) for name, i in inputs.items()},
            )
        values, total = uow.values.page(kpi_id, "", (max(page, 1) - 1) * PAGE_SIZE, PAGE_SIZE)
        pages = max(1, int(np.ceil(total / PAGE_SIZE)))
        if page > pages:
            # Beyond the last page (a stale link, values deleted): show the last one.
            values, total = uow.values.page(kpi_id, "", (pages - 1) * PAGE_SIZE, PAGE_SIZE)
            pages = max(1, int(np.ceil(total / PAGE_SIZE)))
    return KpiPage(
        tile,
        quality,
        rows,
        tuple((_moment(ts), v) for ts, v in values),
        total,
        min(max(page, 1), pages),
        pages,
        team,
        factors,
    )


def kpi_editor(uow: UnitOfWork, key: str | None = None, team: str | None = None) -> KpiEditor:
    """The teams to choose from and, to edit, the KPI as stored (with its version); a
    KPI or team that does not exist is NotFound."""
    with uow:
        teams = tuple(uow.teams.list())
        stored = None if key is None else uow.kpis.get(key)
        if team is not None and team not in {t.team.key for t in teams}:
            uow.teams.get(team)
    return KpiEditor(teams, stored)
