"""Benchmark of `okrkit lint` on a large workspace: bench/large_org.py's organisation.

1,000 teams, 10 KPIs each (10,000 KPIs), 10,000,000 values, no objectives: the
workspace's lint finds every team over 8 KPIs, the stale KPIs, the KPIs nobody is told
about (there is no subscription) and those without thresholds, and judges each KPI's
data (KPI006) on the data quality kept with its tile (`services.tiles`), reading the
window only of a KPI without a current tile. Before the runs, the tiles are kept anew as
the hourly watch does after an upgrade (none when they are current). Runs the installed
`okrkit lint --today 2026-11-23` as a user would, --runs times in a process of its own
(start-up included), and prints the wall time of each run, the findings by rule, and
the median time of the use case alone (`services.goals.lint_workspace`, in this
process) with KPI006 off — the baseline, which reads no window — and on, and their ratio.

SQLite is the cached file of bench/large_org.py (built once, about a minute) or --url;
PostgreSQL is a throw-away server (tests/support/postgres.py) loaded afresh.

Measured on the 2-core machine (shared with other work), medians of 3: SQLite `okrkit
lint` 3.9 s (start-up about 2.5 s), the use case 1.49 s, 1.32x its baseline (1.13 s);
PostgreSQL 4.8 s, the use case 1.76 s, 1.01x its baseline (1.75 s). Before KPI006 read
the kept data quality, each KPI's window was read: SQLite 9.5 s, PostgreSQL 48 s (3.6
million values through the driver at about 12 µs each).

    .venv/bin/python bench/lint.py [--database sqlite|postgres|both] [--url URL] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from okrkit.adapters.store.engine import make_engine
from okrkit.adapters.store.migrate import upgrade
from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.domain.access import SYSTEM
from okrkit.services.goals import lint_workspace
from okrkit.services.tiles import refresh_health

ROOT = Path(__file__).resolve().parent.parent
for folder in (ROOT, ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))  # tests.support.postgres, large_org

import large_org  # noqa: E402

OKRKIT = Path(sys.executable).with_name("okrkit")
TODAY = "2026-11-23"


def bench_database(name: str, url: str, runs: int) -> list[str]:
    engine = make_engine(url)
    upgrade(engine)
    lines = []
    # As the hourly watch does after an upgrade: tiles of an older layout kept anew.
    began = time.perf_counter()
    judged = refresh_health(SqlUnitOfWork(engine), large_org.NOW)
    lines.append(f"{name}: tiles kept anew before the runs: {judged:,} in "
                 f"{time.perf_counter() - began:.1f} s")  # fmt: skip
    env = {**os.environ, "OKRKIT_DATABASE_URL": url}
    walls = []
    findings: list[dict[str, object]] = []
    for _ in range(runs):
        began = time.perf_counter()
        done = subprocess.run(
            [str(OKRKIT), "lint", "--today", TODAY, "--format", "json"],
            capture_output=True, text=True, env=env, check=False, timeout=600,
        )  # fmt: skip
        walls.append(time.perf_counter() - began)
        if done.returncode not in (0, 1):
            raise SystemExit(f"okrkit lint failed: {done.stderr}")
        findings = json.loads(done.stdout)
    by_rule = Counter(str(f["code"]) for f in findings)
    lines.append(
        f"{name}: okrkit lint {', '.join(f'{w:.1f}' for w in walls)} s "
        f"(median {statistics.median(walls):.1f} s), {len(findings):,} findings: "
        + ", ".join(f"{code} {n:,}" for code, n in sorted(by_rule.items()))
    )
    now = large_org.NOW
    took: dict[str, float] = {}
    for label, disabled in (("KPI006 off", {"KPI006"}), ("every rule", set())):
        times = []
        for _ in range(runs):
            began = time.perf_counter()
            lint_workspace(SqlUnitOfWork(engine), now, disabled, viewer=SYSTEM)
            times.append(time.perf_counter() - began)
        took[label] = statistics.median(times)
        lines.append(f"{name}: lint_workspace, {label}: median {took[label]:.2f} s")
    lines.append(
        f"{name}: every rule / KPI006 off (the baseline, no window read): "
        f"{took['every rule'] / took['KPI006 off']:.2f}x"
    )
    engine.dispose()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--url", help="an SQLite or PostgreSQL URL holding the organisation")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.url:
        print("\n".join(bench_database("given", args.url, args.runs)))
        return
    if args.database in ("sqlite", "both"):
        path, built = large_org.sqlite_database()
        print(f"SQLite {path.relative_to(ROOT)} ({'built' if built else 'cached'})", flush=True)
        print("\n".join(bench_database("SQLite", f"sqlite:///{path}", args.runs)), flush=True)
    if args.database in ("postgres", "both"):
        from tests.support import postgres

        server = postgres.start()
        try:
            loading = time.perf_counter()
            large_org.load(server.url, large_org.generate())
            print(f"PostgreSQL loaded in {time.perf_counter() - loading:.0f} s", flush=True)
            print("\n".join(bench_database("PostgreSQL", server.url, args.runs)))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
