"""The dashboards: the home page (every team's KPI health at a glance, the North Star
on top, and each KPI that needs attention by name, worst first) and a team's dashboard
(a tile per KPI, worst first: `tiles.worst_first`).

Each is built in one transaction with a fixed number of queries however many KPIs it
shows (no query per KPI): the definitions in one, the kept tiles or the newest values
in one, the windows of values in one.

Each shows what its reader may see: a private KPI of a team they are not in is left
out before anything of it is read — no tile, no name among those that need attention,
and not counted in its team's numbers (a red count would tell of it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from okrkit.domain.access import Actor
from okrkit.domain.cadence import is_stale
from okrkit.domain.health import NEEDS_ATTENTION, Standing, Status, standing, status
from okrkit.domain.kpis import StoredKpi
from okrkit.domain.teams import StoredTeam
from okrkit.services.ports import UnitOfWork
from okrkit.services.tiles import Tile, judging_problem, tiles, worst_first

__all__ = ["Attention", "Home", "TeamDashboard", "TeamSummary", "home", "team_dashboard"]

# What a team's counts count, in the order the home page shows them.
COUNTED = ("green", "yellow", "red", "cant_judge", "unknown", "stale")


@dataclass(frozen=True)
class TeamDashboard:
    """A team's KPI tiles, worst first."""

    team: StoredTeam
    tiles: tuple[Tile, ...]
    as_of: datetime


@dataclass(frozen=True)
class TeamSummary:
    """A team's KPI health at a glance: how many green, yellow, red, can't judge,
    unknown, stale."""

    team: StoredTeam
    counts: dict[str, int]
    kpis: int


@dataclass(frozen=True)
class Attention:
    """A KPI that needs attention, from its newest value: red, can't be judged (and
    why), yellow, or stale or without values."""

    stored: StoredKpi
    standing: Standing
    status: Status
    stale: bool
    newest: datetime | None = None
    value: float | None = None
    cant_judge: str | None = None


@dataclass(frozen=True)
class Home:
    """Every team's KPI health, the North Star KPI on top, and every KPI that needs
    attention, worst first."""

    north_star: Tile | None
    teams: tuple[TeamSummary, ...]
    as_of: datetime
    attention: tuple[Attention, ...] = ()


def _seen(listed: list[StoredKpi], viewer: Actor) -> list[StoredKpi]:
    return [stored for stored in listed if viewer.sees(stored.kpi.team, stored.kpi.private)]


def team_dashboard(uow: UnitOfWork, team: str, as_of: datetime, *, viewer: Actor) -> TeamDashboard:
    """A team's dashboard as of a moment: the tile of every KPI `viewer` may see, in
    three queries when the health read model holds them all (else one more, two with a
    locked baseline)."""
    with uow:
        stored_team = uow.teams.get(team)
        listed = _seen(uow.kpis.list(team=team), viewer)
        return TeamDashboard(stored_team, tuple(worst_first(tiles(uow, listed, as_of))), as_of)


def home(uow: UnitOfWork, as_of: datetime, *, viewer: Actor) -> Home:
    """Every team's counts of green / yellow / red / can't judge / unknown / stale KPIs,
    from each KPI's newest value; each KPI that needs attention (red, can't judge,
    yellow, stale or no value), worst first; and the North Star KPI's full tile — of
    the KPIs `viewer` may see."""
    with uow:
        teams = uow.teams.list()
        listed = _seen(uow.kpis.list(), viewer)
        latest = uow.values.latest(stored.kpi.key for stored in listed)
        counts: dict[str, Counter[str]] = {t.team.key: Counter() for t in teams}
        sizes: Counter[str] = Counter()
        attention: list[Attention] = []
        for stored in listed:
            kpi = stored.kpi
            sizes[kpi.team] += 1
            bucket = counts.setdefault(kpi.team, Counter())
            problem = judging_problem(kpi)
            if problem is not None:
                bucket["cant_judge"] += 1
                attention.append(
                    Attention(
                        stored, Standing.CANT_JUDGE, Status.UNKNOWN, False, cant_judge=problem
                    )
                )
                continue
            newest, value = latest.get(kpi.key, (None, None))
            stale = is_stale(newest, kpi.cadence, as_of)
            light = status(value, kpi.thresholds, kpi.direction, stale=stale)
            bucket[light.value] += 1
            if stale and newest is not None:
                bucket["stale"] += 1
            where = standing(light, stale)
            if where in NEEDS_ATTENTION:
                attention.append(Attention(stored, where, light, stale, newest, value))
        north = [stored for stored in listed if stored.kpi.north_star]
        north_tile = tiles(uow, north[:1], as_of)[0] if north else None
    summaries = tuple(
        TeamSummary(t, {k: counts[t.team.key][k] for k in COUNTED}, sizes[t.team.key])
        for t in teams
    )
    return Home(north_tile, summaries, as_of, tuple(worst_first(attention)))
