"""The dashboards: the home page (every team's KPI health at a glance, the North Star
on top) and a team's dashboard (a tile per KPI).

Each is built in one transaction with a fixed number of queries however many KPIs it
shows (no query per KPI): the definitions in one, the kept tiles or the newest values
in one, the windows of values in one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from okrkit.domain.cadence import is_stale
from okrkit.domain.health import status
from okrkit.domain.teams import StoredTeam
from okrkit.services.ports import UnitOfWork
from okrkit.services.tiles import Tile, tiles

__all__ = ["Home", "TeamDashboard", "TeamSummary", "home", "team_dashboard"]


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


def team_dashboard(uow: UnitOfWork, team: str, as_of: datetime) -> TeamDashboard:
    """A team's dashboard as of a moment: every KPI's tile, in three queries when the
    health read model holds them all (else one more, two with a locked baseline)."""
    with uow:
        stored_team = uow.teams.get(team)
        listed = uow.kpis.list(team=team)
        return TeamDashboard(stored_team, tuple(tiles(uow, listed, as_of)), as_of)


def home(uow: UnitOfWork, as_of: datetime) -> Home:
    """Every team's counts of green / yellow / red / unknown / stale KPIs, from each KPI's
    newest value, and the North Star KPI's full tile."""
    with uow:
        teams = uow.teams.list()
        listed = uow.kpis.list()
        latest = uow.values.latest(stored.kpi.key for stored in listed)
        counts: dict[str, Counter[str]] = {t.team.key: Counter() for t in teams}
        sizes: Counter[str] = Counter()
        for stored in listed:
            kpi = stored.kpi
            sizes[kpi.team] += 1
            if kpi.key not in latest:
                counts.setdefault(kpi.team, Counter())["unknown"] += 1
                continue
            newest, value = latest[kpi.key]
            stale = is_stale(newest, kpi.cadence, as_of)
            light = status(value, kpi.thresholds, kpi.direction, stale=stale)
            bucket = counts.setdefault(kpi.team, Counter())
            bucket[light.value] += 1
            if stale:
                bucket["stale"] += 1
        north = [stored for stored in listed if stored.kpi.north_star]
        north_tile = tiles(uow, north[:1], as_of)[0] if north else None
    summaries = tuple(
        TeamSummary(
            t,
            {k: counts[t.team.key][k] for k in ("green", "yellow", "red", "unknown", "stale")},
            sizes[t.team.key],
        )
        for t in teams
    )
    return Home(north_tile, summaries, as_of)
