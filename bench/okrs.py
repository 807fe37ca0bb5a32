"""Benchmark of the OKR pages and the check-in API at organisation scale.

The organisation (by default): 1,000 teams with 5 objectives each in the active cycle
2026-Q4 (5,000 objectives), 4 key results per objective (20,000), 12 weekly check-ins
per key result (240,000, Fridays from 2 October to 18 December) and one initiative per
key result, 20 KPIs with a year of daily values (one the North Star) that feed about
one key result in twenty. Objectives align in a tree: the first ten teams' objectives serve the
North Star, every other team's align to an objective of the team it reports to, one in
five to one of that objective's key results. Key results are mostly numeric (a start,
a target, a trend with noise towards it), some boolean or milestones, one in ten
objectives with a guardrail; confidence wanders from 3 to 9, half the check-ins have a
note. Everything is drawn from one seed, so it is the same on every machine.

It is written fast and faithfully: teams, KPIs and their values through
`services.workspace.load_workspace` (which judges the KPIs' tiles), the OKR rows in bulk
through the store's own tables (`adapters/store/tables.py`, the declared columns filled
by `declared_values`, each key result checked by `validate_key_result`), in a few
executemany batches; each objective's summary is then kept as okrkit keeps it after
check-ins (`services.objectives.keep_summaries`), PostgreSQL vacuumed and analysed,
SQLite checkpointed. A
fresh SQLite file in a temporary folder for each run (drawn in 4 s and written in 14 s
at full size on a 2-CPU machine, 30 MB), or a throw-away PostgreSQL server
(tests/support/postgres.py).

The app is served as `okrkit serve --workers N` serves it (bench/dashboard.py's server:
`serving.run`, uvicorn, N worker processes, by default one per core up to 4) with the
clock fixed at `NOW` (bench/dashboard_server.py), in a subprocess on 127.0.0.1 stopped
by its PID. --clients concurrent clients (httpx, one thread and one keep-alive
connection each) drive it for --duration seconds per target, after an uncounted warm-up
of a tenth of that (at most 5 s):

  static      GET /static/style.css: the floor (uvicorn, Starlette and the client with
              no okrkit work), measured in the same run;
  team        GET /cycles/2026-Q4?team=T of a random team (its 5 objectives);
  cycle page  GET /cycles/2026-Q4?page=N of a random page of the whole cycle;
  objective   GET /objectives/K of a random objective (4 key results, their charts,
              check-in histories, initiatives, parent and what aligns to it);
  check-in    POST /api/v1/key-results/ID/check-ins {"value", "confidence", "note"} on a
              random numeric key result not fed by a KPI (each one appended).

A target the app does not have yet answers its first request with 404 (or 405): it is
reported as "404 — not built yet" and skipped. For each target: requests, requests per
second, p50 and p99 latency, p50 / static p50, the server's CPU time per request (from
/proc of the supervisor and its workers) and the answer's size; any answer that is not
a success is counted and shown. The server's resident set (the sum over its processes)
is sampled every 100 ms, and the sum of their peaks (VmHWM) read at the end.
Goals (issue 12): each page p99 < 150 ms, a check-in p99 < 100 ms, server peak RSS <
300 MB (MB = 10^6 bytes).

    .venv/bin/python bench/okrs.py [--objectives 5000] [--duration 30] [--clients 8]
                                   [--workers N] [--database sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import math
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from sqlalchemy import bindparam, select, text, update

from okrkit.adapters.store.engine import make_engine
from okrkit.adapters.store.migrate import upgrade
from okrkit.adapters.store.tables import (
    KEY_RESULT_SKIPPED,
    OBJECTIVE_SKIPPED,
    check_ins,
    cycles,
    declared_values,
    initiatives,
    key_results,
    kpis,
    objectives,
    teams,
)
from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.domain.cadence import Cadence, epoch_seconds
from okrkit.domain.cycles import Cycle, CycleState
from okrkit.domain.grading import ObjectiveType
from okrkit.domain.health import Direction, Thresholds
from okrkit.domain.initiatives import InitiativeStatus
from okrkit.domain.key_results import KeyResultDefinition, Steps, validate_key_result
from okrkit.domain.kpis import Kpi
from okrkit.domain.objectives import Objective, ObjectiveStatus
from okrkit.domain.progress import KeyResultType
from okrkit.domain.teams import Team
from okrkit.domain.values import Series
from okrkit.interfaces.web.charts.xmr import prepare_templates
from okrkit.interfaces.web.serving import default_workers
from okrkit.services.cycles import PAGE_SIZE
from okrkit.services.objectives import keep_summaries
from okrkit.services.workspace import load_workspace

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))  # tests.support.postgres, dashboard

from dashboard import (  # noqa: E402  (the web bench's server and /proc readers)
    HOST,
    MAX_REQUESTS_PER_CLIENT,
    SERVER,
    STATIC,
    Result,
    cpu_seconds,
    free_port,
    proc_status,
    process_tree,
    tree_status,
)
from okrkit.domain.access import operator  # noqa: E402

SEED = 12
NOW = datetime(2026, 12, 23, 9, 0)  # a Wednesday in the last weeks of 2026-Q4
CYCLE = Cycle.parse("2026-Q4")
OBJECTIVES_PER_TEAM, KEY_RESULTS_PER_OBJECTIVE, CHECK_INS = 5, 4, 12
KPIS, KPI_DAYS = 20, 365
REPORTS_TO = 10  # teams per parent team in the tree
BATCH = 50_000
ACTOR = "bench"
GOALS = {"team": 150.0, "cycle page": 150.0, "objective": 150.0, "check-in": 100.0}  # p99, ms
RSS_GOAL_MB = 300.0

DEPARTMENTS = (
    "Growth", "Payments", "Search", "Mobile", "Platform", "Support", "Sales", "Marketing",
    "Data", "Security", "Infrastructure", "Checkout", "Onboarding", "Billing", "Identity",
    "Logistics", "Partnerships", "Content", "Ads", "Trust",
)  # fmt: skip
OWNERS = (
    "maya", "li.wei", "omar", "sofia", "jonas", "amara", "kenji", "priya", "lucas", "ines",
    "noah", "fatima", "elena", "tariq", "hana", "mateo",
)  # fmt: skip
TITLES = (
    "Make onboarding obvious for a first-time team",
    "Turn trials into customers who stay",
    "Make checkout feel instant on every device",
    "Earn the trust of our largest accounts",
    "Make search find what people mean",
    "Answer customers while they still care",
    "Make data sync something nobody thinks about",
    "Help new customers succeed in their first week",
    "Make billing a non-event",
    "Give every team the numbers it needs without asking",
)
# (what moves, unit, low, high, decimals): a key result's measure and where it lies.
MEASURES = (
    ("setup completion", "percent", 20, 80, 1),
    ("weekly active teams", "count", 200, 20_000, 0),
    ("time to first key action", "min", 2, 15, 1),
    ("trial-to-paid conversion", "percent", 4, 30, 1),
    ("p95 page load", "ms", 300, 3_000, 0),
    ("tickets per 100 customers", "count", 2, 40, 1),
    ("net revenue retention", "percent", 85, 130, 1),
    ("failed payments", "percent", 0.5, 8, 2),
)
NOTES = (
    "Moved as planned.",
    "Smaller gain than hoped; the experiment needs another week.",
    "Blocked on a dependency from another team.",
    "Rollout to half of the users done.",
    "Data pipeline delayed: the value is from Tuesday.",
    "Next: test the shorter flow with new sign-ups.",
)


# --- the organisation ------------------------------------------------------------------


@dataclass(frozen=True)
class Org:
    """What `load` writes. Per objective (in team order): its definition, the index of
    the objective it aligns to (None: it serves the North Star) and whether it aligns to
    that objective's first key result; its key results' definitions and each one's
    check-in values."""

    teams: list[Team]
    kpis: list[Kpi]
    values: dict[str, Series]
    objectives: list[Objective]
    parents: list[int | None]
    to_key_result: list[bool]
    key_results: list[list[KeyResultDefinition]]
    points: list[list[np.ndarray]]

    @property
    def check_ins(self) -> int:
        return sum(len(p) for own in self.points for p in own)


def _fridays() -> list[datetime]:
    """The weekly check-in days of the cycle, at midnight."""
    first = CYCLE.start + timedelta(days=(4 - CYCLE.start.weekday()) % 7)
    return [datetime.combine(first + timedelta(weeks=w), clock_time()) for w in range(CHECK_INS)]


def _kpis(rng: np.random.Generator, team_keys: list[str]) -> tuple[list[Kpi], dict[str, Series]]:
    days = [NOW.date() - timedelta(days=KPI_DAYS - i) for i in range(KPI_DAYS)]
    defined, values = [], {}
    for i in range(KPIS):
        measure, unit, low, high, decimals = MEASURES[i % len(MEASURES)]
        level = float(np.exp(rng.uniform(np.log(low), np.log(high))))
        series = level * np.exp(np.cumsum(rng.normal(0, 0.01, KPI_DAYS)))
        if unit == "percent":
            series = np.clip(series, 0, 100)
        series = np.round(series, decimals)
        latest = float(series[-1])
        key = f"kpi_{i:02d}"
        defined.append(
            Kpi(
                key=key,
                name=f"{measure.capitalize()} ({i})",
                unit=unit,
                direction=Direction.HIGHER,
                cadence=Cadence.parse("daily"),
                team=team_keys[i % len(team_keys)],
                target=round(latest * 1.2, 2),
                thresholds=Thresholds(round(latest * 0.95, 2), round(latest * 0.8, 2)),
                owner=f"{OWNERS[i % len(OWNERS)]}@example.com",
                north_star=i == 0,
            )
        )
        values[key] = Series.from_points(zip(days, series.tolist(), strict=True))
    return defined, values


def _key_result(
    rng: np.random.Generator, kpis: list[Kpi], latest: dict[str, float], elapsed: np.ndarray,
    guardrail: bool,
) -> tuple[KeyResultDefinition, np.ndarray]:  # fmt: skip
    """One key result and its check-in values."""
    owner = f"{OWNERS[int(rng.integers(len(OWNERS)))]}@example.com"
    span = (CYCLE.end - CYCLE.start).days
    kind = rng.random()
    if guardrail:
        line = round(float(rng.uniform(1, 10)), 1)
        d = KeyResultDefinition(
            title=f"Keep support tickets per 100 customers at or under {line:g}",
            start=line,
            target=line,
            unit="count",
            owner=owner,
            guardrail=True,
            direction=Direction.LOWER,
        )
        return d, np.round(line * (1 + rng.normal(-0.05, 0.04, CHECK_INS)), 2)
    if kind < 0.05:
        d = KeyResultDefinition(
            title="Pilot customers live on the new plan", type=KeyResultType.BOOLEAN, owner=owner
        )
        return d, (elapsed > rng.uniform(20, 120)).astype(float)
    if kind < 0.10:
        d = KeyResultDefinition(
            title="Every region on the new billing system",
            type=KeyResultType.MILESTONE,
            steps=Steps.parse("Plan agreed; First region moved; All regions moved"),
            owner=owner,
        )
        return d, np.minimum(3, np.floor(elapsed / span * 3 * rng.uniform(0.6, 1.3)))
    measure, unit, low, high, decimals = MEASURES[int(rng.integers(len(MEASURES)))]
    kpi = None
    if rng.random() < 0.05:
        fed = kpis[int(rng.integers(len(kpis)))]
        kpi, unit, decimals, start = fed.key, fed.unit, 2, latest[fed.key]
    else:
        start = float(np.exp(rng.uniform(np.log(low), np.log(high))))
    target = start * (rng.uniform(0.5, 0.9) if rng.random() < 0.3 else rng.uniform(1.1, 1.6))
    if unit == "percent":
        target = min(target, 100.0)
    start, target = round(start, decimals), round(target, decimals)
    if start == target:
        target = start + 1
    d = KeyResultDefinition(
        title=f"{'Cut' if target < start else 'Raise'} {measure} from {start:g} to {target:g}",
        start=start,
        target=target,
        unit=unit,
        owner=owner,
        kpi=kpi,
        weight=float(rng.choice([1.0, 1.0, 2.0])),
    )
    trend = start + (target - start) * rng.uniform(0.3, 1.3) * elapsed / span
    return d, np.round(trend + rng.normal(0, abs(target - start) * 0.05, CHECK_INS), 4)


def generate(objective_count: int, seed: int = SEED) -> Org:
    """Draw the organisation (a few seconds for 5,000 objectives)."""
    rng = np.random.default_rng(seed)
    team_count = max(1, math.ceil(objective_count / OBJECTIVES_PER_TEAM))
    org_teams = []
    for i in range(team_count):
        department = DEPARTMENTS[i % len(DEPARTMENTS)]
        number = i // len(DEPARTMENTS) + 1
        org_teams.append(Team(f"{department.lower()}-{number:02d}", f"{department} {number:02d}"))
    keys = [t.key for t in org_teams]
    org_kpis, values = _kpis(rng, keys)
    latest = {k.key: float(values[k.key].values[-1]) for k in org_kpis}
    start = datetime.combine(CYCLE.start, clock_time())
    elapsed = np.array([(f - start).days for f in _fridays()], dtype=np.float64)
    types = (ObjectiveType.ASPIRATIONAL, ObjectiveType.COMMITTED, ObjectiveType.LEARNING)
    org = Org(org_teams, org_kpis, values, [], [], [], [], [])
    for n in range(objective_count):
        team = n // OBJECTIVES_PER_TEAM
        parent = None
        if team >= REPORTS_TO:  # a team reports to team (team // REPORTS_TO - 1)
            above = team // REPORTS_TO - 1
            parent = above * OBJECTIVES_PER_TEAM + int(rng.integers(OBJECTIVES_PER_TEAM))
        org.objectives.append(
            Objective(
                key=f"{keys[team]}-o{n % OBJECTIVES_PER_TEAM + 1}",
                title=TITLES[int(rng.integers(len(TITLES)))],
                cycle=CYCLE.name,
                team=keys[team],
                type=types[int(rng.choice(3, p=[0.6, 0.3, 0.1]))],
                owner=f"{OWNERS[int(rng.integers(len(OWNERS)))]}@example.com",
                north_star=org_kpis[0].key if parent is None else None,
            )
        )
        org.parents.append(parent)
        org.to_key_result.append(parent is not None and rng.random() < 0.2)
        guardrail = rng.random() < 0.1
        drawn = [
            _key_result(
                rng, org_kpis, latest, elapsed, guardrail and j == KEY_RESULTS_PER_OBJECTIVE - 1
            )
            for j in range(KEY_RESULTS_PER_OBJECTIVE)
        ]
        org.key_results.append([validate_key_result(d, CYCLE) for d, _ in drawn])
        org.points.append([walk for _, walk in drawn])
    return org


def load(url: str, org: Org) -> None:
    """Write the organisation into an empty database at `url` (migrated first)."""
    engine = make_engine(url)
    upgrade(engine)
    # Teams, KPIs and values as okrkit loads a workspace (the KPIs' tiles judged).
    load_workspace(SqlUnitOfWork(engine), org.teams, org.kpis, org.values, operator(ACTOR), NOW)
    rng = np.random.default_rng(SEED + 1)
    made = {"version": 1, "created_at": NOW, "updated_at": NOW, "updated_by": ACTOR}
    with engine.begin() as c:
        c.execute(
            cycles.insert().values(
                key=CYCLE.name, starts_on=CYCLE.start, ends_on=CYCLE.end,
                state=CycleState.ACTIVE.value, **made,
            )
        )  # fmt: skip
        cycle_id = c.execute(select(cycles.c.id)).scalar_one()
        team_ids = dict(c.execute(select(teams.c.key, teams.c.id)).all())
        kpi_ids = dict(c.execute(select(kpis.c.key, kpis.c.id)).all())
        rows = [
            {
                "key": o.key,
                "cycle_id": cycle_id,
                "team_id": team_ids[o.team],
                **declared_values(o, skip=OBJECTIVE_SKIPPED),
                "parent_key": None if parent is None else org.objectives[parent].key,
                "parent_key_result_id": None,
                "status": ObjectiveStatus.ACTIVE.value,
                "score": None,
                "retrospective": "",
                "carried_from": None,
                **made,
            }
            for o, parent in zip(org.objectives, org.parents, strict=True)
        ]
        c.execute(objectives.insert(), rows)
        objective_ids = dict(c.execute(select(objectives.c.key, objectives.c.id)).all())
        rows = [
            {
                "objective_id": objective_ids[o.key],
                "position": position,
                **declared_values(d, skip=KEY_RESULT_SKIPPED),
                "kpi_id": None if d.kpi is None else kpi_ids[d.kpi],
                "original_target": None,
                "recalibration": "",
                "score": None,
                "score_reason": "",
                "final_value": None,
                **made,
            }
            for o, own in zip(org.objectives, org.key_results, strict=True)
            for position, d in enumerate(own, start=1)
        ]
        for first in range(0, len(rows), BATCH):
            c.execute(key_results.insert(), rows[first : first + BATCH])
        ids = {
            (objective_id, position): kr_id
            for kr_id, objective_id, position in c.execute(
                select(key_results.c.id, key_results.c.objective_id, key_results.c.position)
            )
        }
        aligned = [
            {"k": o.key, "kr": ids[(objective_ids[org.objectives[parent].key], 1)]}
            for o, parent, to_kr in zip(org.objectives, org.parents, org.to_key_result, strict=True)
            if parent is not None and to_kr
        ]
        if aligned:
            c.execute(
                update(objectives)
                .where(objectives.c.key == bindparam("k"))
                .values(parent_key_result_id=bindparam("kr")),
                aligned,
            )
        moments = [epoch_seconds(f) for f in _fridays()]
        batch: list[dict[str, Any]] = []
        work: list[dict[str, Any]] = []
        statuses = (InitiativeStatus.DONE, InitiativeStatus.IN_PROGRESS, InitiativeStatus.PLANNED)
        for o, own, walks in zip(org.objectives, org.key_results, org.points, strict=True):
            for position, (d, walk) in enumerate(zip(own, walks, strict=True), start=1):
                kr_id = ids[(objective_ids[o.key], position)]
                hours = rng.integers(8, 18, CHECK_INS) * 3600
                confidence = np.clip(
                    rng.integers(4, 9) + np.cumsum(rng.integers(-1, 2, CHECK_INS)), 3, 9
                )
                noted = rng.random(CHECK_INS) < 0.5
                which = rng.integers(len(NOTES), size=CHECK_INS)
                batch.extend(
                    {
                        "key_result_id": kr_id,
                        "at": moments[w] + int(hours[w]),
                        "value": float(walk[w]),
                        "confidence": float(confidence[w]),
                        "note": NOTES[which[w]] if noted[w] else "",
                        "author": d.owner,
                    }
                    for w in range(CHECK_INS)
                )
                work.append(
                    {
                        "key_result_id": kr_id,
                        "title": "Experiment behind a flag for half of new sign-ups",
                        "status": statuses[kr_id % 3].value,
                        "url": f"https://tracker.example.com/browse/OKR-{kr_id}",
                        **made,
                    }
                )
                if len(batch) >= BATCH:
                    c.execute(check_ins.insert(), batch)
                    batch = []
        if batch:
            c.execute(check_ins.insert(), batch)
        for first in range(0, len(work), BATCH):
            c.execute(initiatives.insert(), work[first : first + BATCH])
    # Each objective's summary kept, as okrkit keeps it after check-ins and loads.
    keep_summaries(SqlUnitOfWork(engine), None, NOW)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        if engine.dialect.name == "postgresql":
            c.execute(text("VACUUM ANALYZE"))
        else:
            c.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()


# --- the server and the clients --------------------------------------------------------


class Server:
    """The app in a subprocess on a free loopback port, as `okrkit serve --workers N`
    runs it with the clock fixed at `NOW`; stopped by its PID."""

    def __init__(self, url: str, workers: int) -> None:
        prepare_templates()
        self.port = free_port()
        env = {
            **os.environ,
            "OKRKIT_DATABASE_URL": url,
            "OKRKIT_BENCH_NOW": NOW.isoformat(),
            "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), os.environ.get("PYTHONPATH", "")]),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(self.port), str(workers)], env=env, cwd=ROOT
        )
        self.base = f"http://{HOST}:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited with {self.process.returncode}")
            try:
                if httpx.get(self.base + STATIC, timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise SystemExit("the server did not answer within 60 s")

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


# A target's request: (method, path, JSON body or None) drawn with the client's random.
Draw = Callable[[random.Random], tuple[str, str, dict[str, Any] | None]]


def drive(base: str, draw: Draw, clients: int, seconds: float, seed: int,
          result: Result | None) -> None:  # fmt: skip
    """`clients` threads, each with its own connection, sending `draw(rng)` until the
    time is up; latencies of successes and counts of the rest go into `result` (None: a
    warm-up)."""
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()

    def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        latencies, errors, size = [], {}, 0
        with httpx.Client(base_url=base, timeout=60) as http:
            for _ in range(MAX_REQUESTS_PER_CLIENT):
                if time.perf_counter() >= deadline:
                    break
                method, path, body = draw(rng)
                began = time.perf_counter()
                try:
                    response = http.request(method, path, json=body)
                    code: int | str = response.status_code
                    size += len(response.content)
                    ok = response.is_success
                except httpx.HTTPError as error:
                    code, ok = type(error).__name__, False
                elapsed = time.perf_counter() - began
                if ok:
                    latencies.append(elapsed)
                else:
                    errors[code] = errors.get(code, 0) + 1
        if result is not None:
            with lock:
                result.latencies.extend(latencies)
                result.body_bytes += size
                for code, count in errors.items():
                    result.errors[code] = result.errors.get(code, 0) + count

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def measure(server: Server, name: str, draw: Draw, args: argparse.Namespace,
            seed: int) -> Result:  # fmt: skip
    warm_up = min(5.0, args.duration / 10)
    drive(server.base, draw, args.clients, warm_up, seed + 1, None)
    result = Result(name)
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.1):
            rss = tree_status(server.pid, "VmRSS")
            if rss == rss:  # not NaN
                result.peak_rss = max(result.peak_rss, rss)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        cpu = cpu_seconds(server.pid)
        began = time.perf_counter()
        drive(server.base, draw, args.clients, args.duration, seed, result)
        result.seconds = time.perf_counter() - began
        result.server_cpu = cpu_seconds(server.pid) - cpu
    finally:
        stop.set()
        sampler.join()
    return result


# --- the report ------------------------------------------------------------------------


@dataclass(frozen=True)
class Picks:
    """What the clients pick from: teams, objectives, numeric key results not fed by a
    KPI (with where they run from and to), how many pages the cycle has."""

    teams: list[str]
    objectives: list[str]
    key_results: list[tuple[int, float, float]]
    pages: int


def picks(url: str) -> Picks:
    engine = make_engine(url)
    with engine.connect() as c:
        team_keys = list(c.execute(select(teams.c.key).order_by(teams.c.key)).scalars())
        objective_keys = list(
            c.execute(select(objectives.c.key).order_by(objectives.c.key)).scalars()
        )
        numeric = c.execute(
            select(key_results.c.id, key_results.c.start, key_results.c.target)
            .where(
                key_results.c.kpi_id.is_(None),
                key_results.c.type == KeyResultType.NUMERIC.value,
            )
            .order_by(key_results.c.id)
        ).all()
    engine.dispose()
    return Picks(
        teams=team_keys,
        objectives=objective_keys,
        key_results=[(int(i), float(s), float(t)) for i, s, t in numeric],
        pages=max(1, math.ceil(len(objective_keys) / PAGE_SIZE)),
    )


def targets(p: Picks) -> list[tuple[str, Draw]]:
    cycle = CYCLE.name

    def check_in(rng: random.Random) -> tuple[str, str, dict[str, Any]]:
        kr, start, target = rng.choice(p.key_results)
        value = round(start + (target - start) * rng.uniform(0.2, 1.0), 4)
        body = {"value": value, "confidence": rng.randint(3, 9), "note": "bench: moved a little"}
        return "POST", f"/api/v1/key-results/{kr}/check-ins", body

    return [
        ("static", lambda rng: ("GET", STATIC, None)),
        ("team", lambda rng: ("GET", f"/cycles/{cycle}?team={rng.choice(p.teams)}", None)),
        ("cycle page", lambda rng: ("GET", f"/cycles/{cycle}?page={rng.randint(1, p.pages)}",
                                    None)),
        ("objective", lambda rng: ("GET", f"/objectives/{rng.choice(p.objectives)}", None)),
        ("check-in", check_in),
    ]  # fmt: skip


def probe(base: str, draw: Draw) -> tuple[int, str]:
    """One request of a target before it is measured: its status and what was asked."""
    method, path, body = draw(random.Random(0))
    response = httpx.request(method, base + path, json=body, timeout=60)
    return response.status_code, f"{method} {path}"


def bench_database(label: str, url: str, args: argparse.Namespace) -> list[str]:
    """Every target on one database; the report's lines."""
    p = picks(url)
    server = Server(url, args.workers)
    results: list[Result] = []
    missing: dict[str, str] = {}
    try:
        started_rss = tree_status(server.pid, "VmRSS")
        for seed, (name, draw) in enumerate(targets(p)):
            status, asked = probe(server.base, draw)
            if status in (404, 405):
                missing[name] = f"{status} — not built yet ({asked} answered {status})"
                continue
            results.append(measure(server, name, draw, args, seed))
        peak = tree_status(server.pid, "VmHWM")
        peaks = [proc_status(pid, "VmHWM") for pid in process_tree(server.pid)]
    finally:
        server.stop()
    floor = results[0].ms(50) if results and results[0].name == "static" else float("nan")
    lines = [
        label,
        f"  {'target':<10} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'p50/static':>10} {'server CPU/req':>15} {'KB/answer':>9} {'RSS max':>8}",
    ]
    measured = {r.name: r for r in results}
    for name, _ in targets(p):
        if name in missing:
            lines.append(f"  {name:<10} {missing[name]}")
            continue
        r = measured[name]
        count = len(r.latencies)
        cpu_ms, kb = r.server_cpu / max(count, 1) * 1000, r.body_bytes / max(count, 1) / 1000
        line = (
            f"  {r.name:<10} {count:>8,} {count / r.seconds:>7.1f} {r.ms(50):>8.1f} "
            f"{r.ms(99):>8.1f} {r.ms(50) / floor:>9.1f}× {cpu_ms:>12.2f} ms {kb:>9.1f} "
            f"{r.peak_rss:>5.0f} MB"
        )
        if r.name in GOALS:
            verdict = "ok" if r.ms(99) < GOALS[r.name] else "MISSED"
            line += f"  [{verdict}: p99 goal < {GOALS[r.name]:.0f} ms]"
        if r.errors:
            line += f"  not successes: {r.errors}"
        lines.append(line)
    verdict = "ok" if peak < RSS_GOAL_MB else "MISSED"
    lines.append(
        f"  server RSS: {started_rss:.0f} MB when ready, peak (VmHWM) {peak:.0f} MB  "
        f"[{verdict}: goal < {RSS_GOAL_MB:.0f} MB]"
    )
    if len(peaks) > 1:
        each = ", ".join(f"{v:.0f}" for v in peaks[1:])
        lines.append(f"  peak per process: supervisor {peaks[0]:.0f} MB; its children {each} MB")
    return lines


def _built(url: str, org: Org) -> float:
    began = time.perf_counter()
    load(url, org)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--objectives",
        type=int,
        default=5_000,
        help="the organisation's size: 4 key results and 48 check-ins each",
    )
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per target")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help="server processes, as okrkit serve --workers (default: "
        "okrkit serve's, one per core up to 4)",
    )
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="sqlite")
    args = parser.parse_args()  # fmt: skip
    if args.objectives < 1:
        parser.error("--objectives: at least 1")

    began = time.perf_counter()
    org = generate(args.objectives)
    drawn = time.perf_counter() - began
    print(
        f"okrkit OKR bench — {len(org.teams):,} teams, {len(org.objectives):,} objectives, "
        f"{sum(map(len, org.key_results)):,} key results, {org.check_ins:,} check-ins "
        f"(drawn in {drawn:.1f} s), {len(org.kpis)} KPIs; {args.clients} clients (httpx, a "
        f"thread each) over loopback, {args.duration:g} s per target after a "
        f"{min(5.0, args.duration / 10):g} s warm-up; okrkit serve --workers {args.workers}; "
        f"{os.cpu_count()} CPUs; clock fixed at {NOW:%Y-%m-%d %H:%M}; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        flush=True,
    )
    if args.database in ("sqlite", "both"):
        with tempfile.TemporaryDirectory(prefix="okrkit-bench-") as folder:
            path = Path(folder) / "okrs.sqlite"
            url = f"sqlite:///{path}"
            seconds = _built(url, org)
            print(f"SQLite  a fresh file, written in {seconds:.1f} s "
                  f"({path.stat().st_size / 1e6:,.0f} MB)", flush=True)  # fmt: skip
            print("\n".join(bench_database("SQLite", url, args)), flush=True)
    if args.database in ("postgres", "both"):
        from tests.support import postgres

        pg = postgres.start()
        try:
            seconds = _built(pg.url, org)
            print(f"PostgreSQL  a throw-away server, written in {seconds:.1f} s", flush=True)
            lines = bench_database("PostgreSQL", pg.url, args)
        finally:
            pg.stop()
        print("\n".join(lines), flush=True)
    print(f"total {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
