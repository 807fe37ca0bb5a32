"""A large organisation for the web benchmarks: 1,000 teams, 10,000 KPIs, 10,000,000 values.

Every team watches 10 KPIs drawn from a catalogue of common ones (signups, trial to paid,
churn, revenue, p95 latency, time to resolve, NPS…), each with its unit and which way
is better; half are reviewed daily, three in ten weekly and two in ten monthly. Every
KPI is measured daily, as most business numbers are whatever their review cadence:
1,000 daily values (about 2.7 years) ending the day before `NOW`, or up to two months
earlier for the one KPI in twenty whose pipeline broke (stale). A value is a level
(log-uniform over the metric's range) with a drift, a weekly pattern, AR(1) noise and,
for a third of the KPIs, a step change somewhere in the last year, rounded as the unit
is. Thresholds are set around each KPI's newest value and recent spread so that the
statuses vary: the home page counts 53 % green, 24 % yellow, 15 % red and 8 % unknown
(no thresholds), 4 % stale.

Everything is drawn from one seed (NumPy's PCG64), so the organisation is the same on
every machine. `load` writes it into an empty database through okrkit's own paths:
`services.workspace.load_workspace` for the teams and KPIs, then the store's
`ValueRepository.upsert` in batches of 100,000 rows (executemany on SQLite, binary COPY
on PostgreSQL) in one unit of work, then `services.health.refresh_health` judges every
KPI's tile once for the health read model, as after any import. PostgreSQL is then
vacuumed and analysed, as autovacuum would have done on a server in use; SQLite is left
as okrkit leaves it (no ANALYZE). The SQLite database is cached in bench/.data/
(gitignored) and built once, in about a minute; a throw-away PostgreSQL server is loaded
afresh by each run.

    .venv/bin/python bench/large_org.py            build (or find) the cached SQLite file
    .venv/bin/python bench/large_org.py --url URL  load into another empty database
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
from sqlalchemy import text

from okrkit.adapters.store.engine import make_engine
from okrkit.adapters.store.migrate import upgrade
from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.domain.access import operator  # noqa: E402
from okrkit.domain.cadence import Cadence
from okrkit.domain.health import Direction, Thresholds
from okrkit.domain.kpis import Kpi, KpiKind
from okrkit.domain.teams import Team
from okrkit.services import dashboards
from okrkit.services.ports import ValueBatch
from okrkit.services.tiles import refresh_health
from okrkit.services.workspace import load_workspace

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
# Bump when the organisation or its tables change, so a stale cached database is never
# reused (2: values clustered by key on SQLite, migration 0002; 4: the health read
# model, migration 0003).
VERSION = 4
SEED = 6
NOW = datetime(2026, 11, 23, 9, 0)
TEAMS, KPIS_PER_TEAM, POINTS = 1_000, 10, 1_000
BATCH = 100_000
ACTOR = "bench"

DEPARTMENTS = (
    "Growth", "Payments", "Search", "Mobile", "Platform", "Support", "Sales", "Marketing",
    "Data", "Security", "Infrastructure", "Checkout", "Onboarding", "Billing", "Identity",
    "Logistics", "Partnerships", "Content", "Ads", "Trust",
)  # fmt: skip
OWNERS = (
    "maya", "li.wei", "omar", "sofia", "jonas", "amara", "kenji", "priya", "lucas", "ines",
    "noah", "fatima", "elena", "tariq", "hana", "mateo",
)  # fmt: skip


@dataclass(frozen=True)
class Metric:
    """A kind of KPI: its name, unit, which way is better, where its level lies."""

    slug: str
    name: str
    unit: str
    direction: Direction
    low: float
    high: float
    noise: float  # relative day-to-day noise
    decimals: int
    description: str


H, L = Direction.HIGHER, Direction.LOWER
CATALOGUE = (
    Metric("signups", "Signups", "count", H, 50, 20_000, 0.08, 0, "New accounts a day"),
    Metric("active_users", "Daily active users", "count", H, 500, 500_000, 0.03, 0,
           "Distinct users with a session that day"),
    Metric("orders", "Orders", "count", H, 100, 80_000, 0.06, 0, "Orders placed"),
    Metric("trial_to_paid", "Trial to paid", "percent", H, 4, 30, 0.07, 2,
           "Share of trials that convert within 14 days"),
    Metric("activation", "Activation rate", "percent", H, 20, 70, 0.04, 2,
           "Share of signups reaching the first key action in a week"),
    Metric("churn", "Churn", "percent", L, 0.5, 8, 0.09, 2, "Share of paying accounts lost"),
    Metric("error_rate", "Error rate", "percent", L, 0.05, 3, 0.15, 3, "Failed requests"),
    Metric("revenue", "Revenue", "currency", H, 2_000, 2_000_000, 0.07, 2, "Net revenue"),
    Metric("arpu", "ARPU", "currency", H, 5, 120, 0.03, 2, "Revenue per paying account"),
    Metric("p95_latency", "p95 latency", "ms", L, 80, 1_500, 0.1, 1,
           "95th percentile of request time"),
    Metric("page_load", "Page load time", "ms", L, 400, 4_000, 0.06, 0, "Median page load"),
    Metric("time_to_resolve", "Time to resolve", "hours", L, 2, 96, 0.12, 1,
           "Median hours from ticket to fix"),
    Metric("lead_time", "Lead time for changes", "hours", L, 4, 200, 0.1, 1,
           "Hours from commit to production"),
    Metric("ltv_cac", "LTV / CAC", "ratio", H, 0.8, 6, 0.05, 2, "Lifetime value over cost"),
    Metric("nps", "NPS", "score", H, 5, 70, 0.06, 1, "Net promoter score"),
    Metric("csat", "CSAT", "score", H, 60, 95, 0.02, 1, "Customer satisfaction, 0–100"),
)  # fmt: skip
CADENCES = ("daily",) * 5 + ("weekly",) * 3 + ("monthly",) * 2


@dataclass(frozen=True)
class Org:
    """The organisation: teams, KPIs (10 per team, in team order) and their values.

    `values[i]` are KPI i's daily values, the first at `first_day[i]` (seconds since
    1970-01-01 UTC), one a day.
    """

    teams: list[Team]
    kpis: list[Kpi]
    first_day: np.ndarray
    values: np.ndarray

    @property
    def size(self) -> int:
        return int(self.values.size)


def _nice(x: float) -> float:
    """A threshold as a person writes it: three significant digits."""
    return float(f"{x:.3g}")


def generate(seed: int = SEED) -> Org:
    """Draw the organisation (about 5 s): definitions and 10,000,000 values."""
    from scipy.signal import lfilter  # only here: the bench's server never needs it

    rng = np.random.default_rng(seed)
    kpis_count = TEAMS * KPIS_PER_TEAM
    teams = []
    for i in range(TEAMS):
        department = DEPARTMENTS[i % len(DEPARTMENTS)]
        number = i // len(DEPARTMENTS) + 1
        teams.append(Team(f"{department.lower()}-{number:02d}", f"{department} {number:02d}"))

    metric_of = np.concatenate(
        [rng.choice(len(CATALOGUE), KPIS_PER_TEAM, replace=False) for _ in range(TEAMS)]
    )
    metrics = [CATALOGUE[m] for m in metric_of]
    low = np.array([m.low for m in metrics])
    high = np.array([m.high for m in metrics])
    level = np.exp(rng.uniform(np.log(low), np.log(high)))
    noise = np.array([m.noise for m in metrics]) * rng.uniform(0.6, 1.4, kpis_count)
    higher = np.array([m.direction is H for m in metrics])

    # Shape of every series, relative to its level: drift over the whole span, a weekly
    # pattern (weekends lower for most), AR(1) noise, and for a third a step change.
    t = np.arange(POINTS)
    lag = np.where(rng.random(kpis_count) < 0.05, rng.integers(3, 60, kpis_count), 1)
    last_day = (NOW - datetime(1970, 1, 1)).days - lag
    first_day_index = last_day - (POINTS - 1)
    weekday = (first_day_index[:, None] + t + 3) % 7  # 0 = Monday
    drift = rng.normal(0, 0.25, (kpis_count, 1)) * t / POINTS
    weekly = rng.uniform(0, 0.12, (kpis_count, 1)) * np.where(weekday >= 5, -1.0, 0.4)
    shocks = rng.normal(0, 1, (kpis_count, POINTS)) * noise[:, None]
    wander = lfilter([1.0], [1.0, -0.5], shocks, axis=1)
    steps = np.where(rng.random(kpis_count) < 0.33, rng.normal(0, 0.15, kpis_count), 0.0)
    change_at = rng.integers(POINTS - 365, POINTS - 5, kpis_count)
    step = steps[:, None] * (t >= change_at[:, None])
    relative = np.exp(drift + weekly + wander + step)
    values = level[:, None] * relative
    bounded = np.array([m.unit in ("percent", "score") for m in metrics])
    values[bounded] = np.clip(values[bounded], 0, 100)
    scale = 10.0 ** np.array([m.decimals for m in metrics])
    values = np.round(values * scale[:, None]) / scale[:, None]

    # Thresholds around the newest value and the spread of the last 60 values, so the
    # statuses vary; the green/red gap follows the spread, the target lies beyond green.
    latest = values[:, -1]
    spread = np.maximum(values[:, -60:].std(axis=1), np.abs(latest) * 0.01)
    intended = rng.choice(4, kpis_count, p=[0.55, 0.22, 0.15, 0.08])
    near, gap = rng.uniform(0.3, 2.0, kpis_count), rng.uniform(1.0, 3.0, kpis_count)
    sign = np.where(higher, 1.0, -1.0)  # towards better
    green = np.select(
        [intended == 0, intended == 1, intended == 2],
        [latest - sign * near * spread, latest + sign * near * spread,
         latest + sign * (near + gap) * spread],
    )  # fmt: skip
    red = np.select(
        [intended == 0, intended == 1, intended == 2],
        [green - sign * gap * spread, latest - sign * gap * spread, latest + sign * near * spread],
    )  # fmt: skip
    kinds = rng.random(kpis_count) < 0.4
    guardrails = rng.random(kpis_count) < 0.1
    owners = rng.integers(0, len(OWNERS), kpis_count)

    kpis = []
    for i, metric in enumerate(metrics):
        team = teams[i // KPIS_PER_TEAM]
        thresholds = target = None
        if intended[i] != 3:
            g, r = _nice(green[i]), _nice(red[i])
            if (g < r) if higher[i] else (g > r):
                g = r  # rounding crossed them: a single-value yellow is allowed
            thresholds = Thresholds(g, r)
            target = _nice(g + sign[i] * abs(g - r))
        kpis.append(
            Kpi(
                key=f"{team.key.replace('-', '_')}_{metric.slug}",
                name=metric.name,
                unit=metric.unit,
                direction=metric.direction,
                cadence=Cadence.parse(CADENCES[i % KPIS_PER_TEAM]),
                team=team.key,
                description=metric.description,
                target=target,
                thresholds=thresholds,
                owner=OWNERS[owners[i]],
                kind=KpiKind.LEADING if kinds[i] else KpiKind.LAGGING,
                north_star=i == 7,  # one North Star for the whole organisation
                guardrail=bool(guardrails[i]),
            )
        )
    return Org(teams, kpis, first_day_index.astype(np.int64) * 86_400, values)


def load(url: str, org: Org) -> None:
    """Write the organisation into an empty database at `url` (migrated first)."""
    engine = make_engine(url)
    upgrade(engine)
    load_workspace(SqlUnitOfWork(engine), org.teams, org.kpis, {}, operator(ACTOR), NOW)
    day = np.arange(POINTS, dtype=np.int64) * 86_400
    per_batch = max(1, BATCH // POINTS)
    with SqlUnitOfWork(engine) as uow:
        for start in range(0, len(org.kpis), per_batch):
            chunk = range(start, min(start + per_batch, len(org.kpis)))
            ts = (org.first_day[chunk.start : chunk.stop, None] + day).ravel()
            uow.values.upsert(
                ValueBatch(
                    kpis=tuple(org.kpis[i].key for i in chunk),
                    kpi=np.repeat(np.arange(len(chunk), dtype=np.int64), POINTS),
                    segment=[""] * len(ts),
                    timestamps=ts.astype("datetime64[s]"),
                    value=org.values[chunk.start : chunk.stop].ravel(),
                )
            )
        uow.commit()
    # As after any import: every KPI's tile judged once for the health read model.
    refresh_health(SqlUnitOfWork(engine), NOW)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        if engine.dialect.name == "postgresql":
            c.execute(text("VACUUM ANALYZE"))
        else:
            c.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()


def sqlite_database() -> tuple[Path, float]:
    """The cached SQLite database of the organisation, built when missing; returns its
    path and the seconds spent building it (0 when it was cached)."""
    path = DATA / f"large_org-v{VERSION}.sqlite"
    if path.exists():
        return path, 0.0
    DATA.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    partial = path.with_suffix(".partial")
    for leftover in DATA.glob(partial.name + "*"):
        leftover.unlink()
    load(f"sqlite:///{partial}", generate())
    partial.rename(path)
    return path, time.perf_counter() - began


def status_mix(url: str) -> Counter[str]:
    """How many KPIs of the whole organisation are green, yellow, red, unknown, stale
    at `NOW`, as the home page counts them."""
    engine = make_engine(url)
    view = dashboards.home(SqlUnitOfWork(engine), NOW, viewer=operator(ACTOR))
    engine.dispose()
    total: Counter[str] = Counter()
    for summary in view.teams:
        total.update(summary.counts)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="load into this empty database instead of the cache")
    args = parser.parse_args()
    began = time.perf_counter()
    if args.url:
        org = generate()
        drawn = time.perf_counter() - began
        load(args.url, org)
        url = args.url
        where = args.url.split("@")[-1]
        loaded = time.perf_counter() - began - drawn
        print(f"drew the organisation in {drawn:.1f} s, loaded {org.size:,} values into {where} "
              f"in {loaded:.1f} s")  # fmt: skip
    else:
        path, built = sqlite_database()
        url = f"sqlite:///{path}"
        size = path.stat().st_size / 1e6
        done = f"built in {built:.0f} s" if built else "cached"
        print(f"{path.relative_to(ROOT)}: {size:,.0f} MB, {done}")
    began = time.perf_counter()
    mix = status_mix(url)
    print(f"status mix at {NOW:%Y-%m-%d %H:%M}: "
          + ", ".join(f"{k} {mix[k]:,}" for k in ("green", "yellow", "red", "unknown", "stale"))
          + f" (home page read model in {time.perf_counter() - began:.1f} s)")  # fmt: skip


if __name__ == "__main__":
    main()
