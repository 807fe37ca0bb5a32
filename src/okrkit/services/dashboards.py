"""Read models of the web pages: the home page, a team's dashboard, a KPI's page.

Each is built in one transaction with a fixed number of queries however many KPIs it
shows (no query per KPI): the definitions in one, the newest values in one, the
windows of values in one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from okrkit.domain.cadence import is_stale
from okrkit.domain.health import Status, status
from okrkit.domain.kpis import StoredKpi
from okrkit.domain.quality import Quality, check_quality
from okrkit.domain.teams import StoredTeam
from okrkit.domain.values import Series
from okrkit.services.derived import LatestFactors, formula_inputs, latest_factors
from okrkit.services.health import KpiCheck
from okrkit.services.ports import UnitOfWork
from okrkit.services.tiles import (
    FORMAT,
    TileHealth,
    decode,
    judge_tiles,
    period_seconds,
    tile_health,
)

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


def _moment(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Tile:
    """One KPI on a dashboard: its definition and its health (None without values).

    A tile judged live also carries the full judgement (`check`: XmR limits and every
    signal) and its window's `values`, which the KPI page draws; a tile read from the
    health read model has neither.
    """

    stored: StoredKpi
    health: TileHealth | None
    check: KpiCheck | None = None
    values: Series = field(default_factory=lambda: Series.from_points([]))

    @property
    def status(self) -> Status:
        return Status.UNKNOWN if self.health is None else self.health.status


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


def _tiles(
    uow: UnitOfWork, listed: list[tuple[int, StoredKpi]], as_of: datetime, *, live: bool = False
) -> list[Tile]:
    """The tiles of listed KPIs: from the health read model in one query, and the KPIs
    it lacks (every one when `live`) judged on their windows in one more (two when one
    has a locked baseline)."""
    documents = {} if live else uow.tiles.get((kpi_id for kpi_id, _ in listed), FORMAT)
    kept = {
        kpi_id: health
        for kpi_id, stored in listed
        if kpi_id in documents and (health := decode(stored, documents[kpi_id], as_of)) is not None
    }
    missing = [(kpi_id, stored) for kpi_id, stored in listed if kpi_id not in kept]
    judged = judge_tiles(uow, missing, as_of) if missing else {}
    tiles = []
    for kpi_id, stored in listed:
        if kpi_id in kept:
            tiles.append(Tile(stored, kept[kpi_id]))
        elif kpi_id in judged:
            check, cut = judged[kpi_id]
            tiles.append(Tile(stored, tile_health(stored, check, cut), check, cut))
        else:
            tiles.append(Tile(stored, None))
    return tiles


def team_dashboard(uow: UnitOfWork, team: str, as_of: datetime) -> TeamDashboard:
    """A team's dashboard as of a moment: every KPI's tile, in three queries when the
    health read model holds them all (else one more, two with a locked baseline)."""
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
        tile = _tiles(uow, [(kpi_id, stored)], as_of, live=True)[0]
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
            since = int(max(newest.values(), default=0) - 2 * period_seconds(stored.kpi.cadence))
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
