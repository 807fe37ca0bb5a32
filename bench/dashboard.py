"""Benchmark of the web pages at organisation scale: the team dashboard and the KPI page.

The organisation is bench/large_org.py's: 1,000 teams, 10 KPIs each (10,000 KPIs),
10,000,000 values. The real app is served as `okrkit serve --workers N` runs it
(`workspace_app`: uvicorn, N worker processes, by default as many as `okrkit serve`
starts here — one per CPU core, at most 4 — under a small supervisor; the
database from OKRKIT_DATABASE_URL) but with the clock fixed at the
organisation's `NOW` (bench/dashboard_server.py), so the statuses do not drift as the
cached database ages. --clients concurrent clients (httpx, one thread and one keep-alive
connection each) drive it over 127.0.0.1 for --duration seconds per target, after a
warm-up of a tenth of that (at most 5 s) that is not counted:

  static     GET /static/style.css from the same server: the floor of the ratio (what
             uvicorn, Starlette and the client cost with no okrkit work at all);
  dashboard  GET /teams/{team} of a random team (10 tiles: status, trend, XmR, sparkline);
  KPI page   GET /kpis/{kpi} of a random KPI (tile, XmR chart, quality, values table).

For each target: requests, requests per second, p50 and p99 latency, p50 / static p50
(measured in the same run), and the server's CPU time per request (from /proc/<pid>/stat
of the supervisor and its workers; with clients and server on a small machine, this
says whether the server or the clients were the limit). The server's resident set —
the sum over the supervisor and its workers — is sampled every 100 ms (VmRSS), and the
sum of their peaks (VmHWM) read at the end. Any answer that is not 200 is counted and
shown.

SQLite is the cached file of bench/large_org.py (built once, about a minute); PostgreSQL
is a throw-away server (tests/support/postgres.py) loaded afresh, stopped at the end.
Goals (issue 6): dashboard p99 < 100 ms, KPI page p99 < 150 ms, server peak RSS < 300 MB
(MB = 10^6 bytes).

    .venv/bin/python bench/dashboard.py [--duration 30] [--clients 8]
                                        [--workers N] [--database sqlite|postgres|both]
                                        [--postgres]
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
import numpy as np
from sqlalchemy import text

from okrkit.adapters.store.engine import make_engine
from okrkit.adapters.store.migrate import upgrade
from okrkit.interfaces.web.charts.xmr import prepare_templates
from okrkit.interfaces.web.serving import default_workers

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))  # tests.support.postgres, large_org

import large_org  # noqa: E402

HOST = "127.0.0.1"
STATIC = "/static/style.css"
GOALS = {"dashboard": 100.0, "KPI page": 150.0}  # p99, ms
RSS_GOAL_MB = 300.0
# A bound on every client loop besides the clock: far more than 30 s can serve.
MAX_REQUESTS_PER_CLIENT = 1_000_000
CLK_TCK = os.sysconf("SC_CLK_TCK")


# --- the server (a process of its own) -----------------------------------------------

# The server process: what `okrkit serve --workers N` runs once the database is ready
# (okrkit.interfaces.web.serving: uvicorn, a small supervisor and N workers, or the app
# in this process for one), with the clock fixed (bench/dashboard_server.py). A program
# of its own (not this file with a flag) so that nothing the bench imports inflates its
# RSS. The bench upgrades the database and prepares the chart templates before it
# starts the server, as `okrkit serve` does.
SERVER = """
import sys

from okrkit.interfaces.web import serving

serving.run("127.0.0.1", int(sys.argv[1]), int(sys.argv[2]), app="dashboard_server:app")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def proc_status(pid: int, name: str) -> float:
    """A field of /proc/<pid>/status in MB (VmRSS, VmHWM), NaN when it cannot be read."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    return float("nan")


def process_tree(pid: int) -> list[int]:
    """A process and its descendants (uvicorn's supervisor and its workers)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(parents.get(current, []))
    return tree


def tree_status(pid: int, name: str) -> float:
    """`proc_status` summed over the process tree: the server's whole footprint."""
    values = [proc_status(p, name) for p in process_tree(pid)]
    return sum(v for v in values if v == v)  # NaN: a process that just ended


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its descendants so far."""
    total = 0.0
    for p in process_tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / CLK_TCK
    return total


class Server:
    """The app in a subprocess on a free loopback port; stopped by its PID."""

    def __init__(self, url: str, workers: int) -> None:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        prepare_templates()
        self.port = free_port()
        env = {
            **os.environ,
            "OKRKIT_DATABASE_URL": url,
            "OKRKIT_BENCH_NOW": large_org.NOW.isoformat(),
            "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), os.environ.get("PYTHONPATH", "")]),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(self.port), str(workers)],
            env=env,
            cwd=ROOT,
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


# --- the clients ---------------------------------------------------------------------


@dataclass
class Result:
    """What one target measured."""

    name: str
    latencies: list[float] = field(default_factory=list)
    errors: dict[int | str, int] = field(default_factory=dict)
    seconds: float = 0.0
    server_cpu: float = 0.0
    peak_rss: float = 0.0
    body_bytes: int = 0

    def ms(self, q: float) -> float:
        return float(np.percentile(self.latencies, q)) * 1000 if self.latencies else float("nan")


def drive(base: str, paths: Callable[[random.Random], str], clients: int, seconds: float,
          seed: int, result: Result | None) -> None:  # fmt: skip
    """`clients` threads, each with its own connection, asking for `paths(rng)` until the
    time is up; latencies and errors go into `result` (None: a warm-up)."""
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()

    def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        latencies, errors, size = [], {}, 0
        with httpx.Client(base_url=base, timeout=60) as http:
            for _ in range(MAX_REQUESTS_PER_CLIENT):
                if time.perf_counter() >= deadline:
                    break
                path = paths(rng)
                began = time.perf_counter()
                try:
                    response = http.get(path)
                    code: int | str = response.status_code
                    size += len(response.content)
                except httpx.HTTPError as error:
                    code = type(error).__name__
                elapsed = time.perf_counter() - began
                if code == 200:
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


def measure(server: Server, name: str, paths: Callable[[random.Random], str],
            args: argparse.Namespace, seed: int) -> Result:  # fmt: skip
    warm_up = min(5.0, args.duration / 10)
    drive(server.base, paths, args.clients, warm_up, seed + 1, None)
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
        drive(server.base, paths, args.clients, args.duration, seed, result)
        result.seconds = time.perf_counter() - began
        result.server_cpu = cpu_seconds(server.pid) - cpu
    finally:
        stop.set()
        sampler.join()
    return result


# --- the report ----------------------------------------------------------------------


def keys(url: str) -> tuple[list[str], list[str]]:
    """Every team's and every KPI's key, to pick pages from."""
    engine = make_engine(url)
    with engine.connect() as c:
        teams = list(c.execute(text("SELECT key FROM teams ORDER BY key")).scalars())
        kpis = list(c.execute(text("SELECT key FROM kpis ORDER BY key")).scalars())
    engine.dispose()
    return teams, kpis


def bench_database(label: str, url: str, args: argparse.Namespace) -> list[str]:
    """The three targets on one database; the report's lines."""
    teams, kpis = keys(url)
    server = Server(url, args.workers)
    try:
        started_rss = tree_status(server.pid, "VmRSS")
        targets = (
            ("static", lambda rng: STATIC),
            ("dashboard", lambda rng: f"/teams/{rng.choice(teams)}"),
            ("KPI page", lambda rng: f"/kpis/{rng.choice(kpis)}"),
        )
        results = [
            measure(server, name, paths, args, seed) for seed, (name, paths) in enumerate(targets)
        ]
        peak = tree_status(server.pid, "VmHWM")
        # The supervisor first, then its children (workers; multiprocessing's resource
        # tracker among them when there are several).
        peaks = [proc_status(p, "VmHWM") for p in process_tree(server.pid)]
    finally:
        server.stop()
    floor = results[0].ms(50)
    lines = [
        f"{label}",
        f"  {'target':<10} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'p50/static':>10} {'server CPU/req':>15} {'KB/page':>8} {'RSS max':>8}",
    ]
    for r in results:
        count = len(r.latencies)
        cpu_ms, kb = r.server_cpu / max(count, 1) * 1000, r.body_bytes / max(count, 1) / 1000
        line = (
            f"  {r.name:<10} {count:>8,} {count / r.seconds:>7.1f} {r.ms(50):>8.1f} "
            f"{r.ms(99):>8.1f} {r.ms(50) / floor:>9.1f}× {cpu_ms:>12.2f} ms {kb:>8.1f} "
            f"{r.peak_rss:>5.0f} MB"
        )
        if r.name in GOALS:
            verdict = "ok" if r.ms(99) < GOALS[r.name] else "MISSED"
            line += f"  [{verdict}: p99 goal < {GOALS[r.name]:.0f} ms]"
        if r.errors:
            line += f"  errors: {r.errors}"
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per target")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=default_workers(),
                        help="server processes, as okrkit serve --workers (default: "
                        "okrkit serve's, one per core up to 4)")  # fmt: skip
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--postgres", dest="database", action="store_const", const="postgres",
                        help="the same as --database postgres")  # fmt: skip
    args = parser.parse_args()

    began = time.perf_counter()
    print(
        f"okrkit dashboard bench — {large_org.TEAMS:,} teams, "
        f"{large_org.TEAMS * large_org.KPIS_PER_TEAM:,} KPIs, "
        f"{large_org.TEAMS * large_org.KPIS_PER_TEAM * large_org.POINTS:,} values (bench/"
        f"large_org.py); {args.clients} clients (httpx, a thread each) over loopback, "
        f"{args.duration:g} s per target after a {min(5.0, args.duration / 10):g} s warm-up; "
        f"okrkit serve --workers {args.workers}; {os.cpu_count()} CPUs; clock fixed at "
        f"{large_org.NOW:%Y-%m-%d %H:%M}; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        flush=True,
    )
    if args.database in ("sqlite", "both"):
        path, built = large_org.sqlite_database()
        done = f"built in {built:.0f} s" if built else "cached"
        print(f"SQLite  {path.relative_to(ROOT)} ({path.stat().st_size / 1e6:,.0f} MB, {done})")
        lines = bench_database("SQLite", f"sqlite:///{path}", args)
        print("\n".join(lines), flush=True)
    if args.database in ("postgres", "both"):
        from tests.support import postgres

        server = postgres.start()
        try:
            loading = time.perf_counter()
            large_org.load(server.url, large_org.generate())
            print(f"PostgreSQL  a throw-away server, drawn and loaded in "
                  f"{time.perf_counter() - loading:.0f} s", flush=True)  # fmt: skip
            lines = bench_database("PostgreSQL", server.url, args)
        finally:
            server.stop()
        print("\n".join(lines))
    print(f"total {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
