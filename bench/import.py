"""Benchmark of the KPI value import at organisation scale: 5,000,000 values.

The file: 10,000 KPIs × 500 daily points in one Parquet file (generated once with
DuckDB, cached in bench/.data/). The same 10,000 KPIs are created in two SQLite files
per round (a temporary folder: one for the raw path, one for the import, so that each
first write meets an empty, never-written table) and in two databases of a throw-away
PostgreSQL server (tests/support/postgres.py; emptied with TRUNCATE between rounds).
Every phase starts after a checkpoint and a sync (the previous phase's writes reach the
disk before the clock starts). The cases:

  raw first     the floor of a first import, on the empty table. SQLite: executemany
                of the same INSERT … ON CONFLICT okrkit runs, in batches of 100,000
                rows. PostgreSQL: binary COPY of the same rows straight into the empty
                kpi_values table (no staging table, no merge: the fastest write there
                is). The rows are read and turned into tuples beforehand; only the
                database calls and the commit are timed.
  raw again     the same rows once more, every one a conflict. SQLite: the same
                executemany. PostgreSQL: binary COPY into a temporary table and the same
                INSERT … SELECT … ON CONFLICT DO UPDATE merge okrkit runs when a batch
                meets stored rows.
  import first  okrkit's `import_values` from the file, end to end: read and check the
                whole file, write every row, the audit entry, the commit.
  import again  the same file again: every row a conflict.

Every case runs --runs times (by default 3 on SQLite, 2 on PostgreSQL, whose runs take
a minute each: about 13 minutes in all on 2 CPUs), raw and import interleaved (raw
first, import first, raw again, import again) so that both meet the same machine;
times are medians. Each run is a process of its own, so its peak RSS
(VmHWM) is its own. The ratio is import throughput / raw throughput of the same case.
Goals: ratio ≥ 0.7 and peak RSS < 1 GB for every import.

With --subscribed it measures instead what notifications cost an import (SQLite): the
first import into a workspace where nobody is told, against the same import where every
KPI is subscribed to a webhook nobody answers (loopback's discard port) while an
`okrkit worker` process consumes the queue and keeps trying it. The import raises an
alert on the KPIs the file turns unhealthy and writes their notices to the outbox in
the same transaction; a dead endpoint must not slow it. Goal: within 10 %.

    .venv/bin/python bench/import.py [--runs N] [--kpis 10000] [--points 500]
                                     [--only sqlite|postgresql] [--subscribed]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # for tests.support.postgres

import duckdb  # noqa: E402
import numpy as np  # noqa: E402
from sqlalchemy import Engine, text  # noqa: E402

from okrkit import bootstrap  # noqa: E402
from okrkit.adapters.sources.values.files import ValueFile  # noqa: E402
from okrkit.adapters.store.engine import make_engine  # noqa: E402
from okrkit.adapters.store.kpis import kpi_columns  # noqa: E402
from okrkit.adapters.store.migrate import upgrade  # noqa: E402
from okrkit.adapters.store.tables import kpis, subscriptions, teams  # noqa: E402
from okrkit.adapters.store.uow import SqlUnitOfWork  # noqa: E402
from okrkit.domain.access import operator  # noqa: E402
from okrkit.domain.cadence import Cadence  # noqa: E402
from okrkit.domain.health import Direction  # noqa: E402
from okrkit.domain.kpis import Kpi  # noqa: E402
from okrkit.services.tiles import refresh_health  # noqa: E402
from okrkit.services.values import import_values  # noqa: E402

DATA = ROOT / "bench" / ".data"
BATCH = 100_000
NOW = datetime(2026, 11, 23, 9, 0)
# A webhook nobody answers: loopback's discard port.
DEAD_HOOK = "http://127.0.0.1:9/okrkit-bench"
HOOK_SECRET = "whsec_" + "QmVuY2ggd2ViaG9vayBzZWNyZXQgb2Ygb2tya2l0"
SQLITE_UPSERT = (
    "INSERT INTO kpi_values (kpi_id, segment, ts, value) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (kpi_id, segment, ts) DO UPDATE SET value = excluded.value"
)
PG_STAGE = (
    "CREATE TEMPORARY TABLE IF NOT EXISTS raw_load "
    "(kpi_id integer, segment text, ts bigint, value double precision) ON COMMIT DROP"
)
PG_MERGE = (
    "INSERT INTO kpi_values (kpi_id, segment, ts, value) "
    "SELECT kpi_id, segment, ts, value FROM raw_load "
    "ON CONFLICT (kpi_id, segment, ts) DO UPDATE SET value = EXCLUDED.value"
)
PG_TYPES = ["int4", "text", "int8", "float8"]


# --- the file and the KPIs -------------------------------------------------------------


def data_file(kpis_count: int, points: int) -> Path:
    """The Parquet file of values, generated once (ordered by KPI, then time)."""
    path = DATA / f"values-{kpis_count}x{points}.parquet"
    if path.exists():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    con = duckdb.connect()
    con.execute("SELECT setseed(0.4)")
    con.execute(
        f"""
        COPY (
            SELECT 'kpi_' || lpad(k::VARCHAR, 5, '0') AS kpi,
                   TIMESTAMP '2025-01-01' + to_days(p::INTEGER) AS timestamp,
                   round(100 + (k % 97) + 10 * sin(p / 7.0) + 5 * random(), 3) AS value
            FROM range({kpis_count}) AS a(k), range({points}) AS b(p)
            ORDER BY k, p
        ) TO '{partial}' (FORMAT parquet)
        """
    )
    con.close()
    partial.rename(path)
    return path


def kpi_keys(kpis_count: int) -> list[str]:
    return [f"kpi_{k:05d}" for k in range(kpis_count)]


def setup(url: str, kpis_count: int, *, subscribed: bool = False) -> None:
    """Migrate the database and create a team and the KPIs (in bulk: not measured);
    `subscribed`: each KPI with a subscription to the dead webhook."""
    engine = make_engine(url)
    upgrade(engine)
    cadence = Cadence.parse("daily")
    with engine.begin() as c:
        team_id = c.execute(
            teams.insert()
            .values(
                key="bench",
                name="Bench",
                archived=False,
                version=1,
                created_at=NOW,
                updated_at=NOW,
                updated_by="bench",
            )  # fmt: skip
            .returning(teams.c.id)
        ).scalar_one()
        rows = []
        for key in kpi_keys(kpis_count):
            kpi = Kpi(key, key, Direction.HIGHER, cadence, "bench", unit="count")
            rows.append(
                {
                    **kpi_columns(kpi),
                    "team_id": team_id,
                    "archived": False,
                    "version": 1,
                    "created_at": NOW,
                    "updated_at": NOW,
                    "updated_by": "bench",
                }  # fmt: skip
            )
        c.execute(kpis.insert(), rows)
        if subscribed:
            ids = c.execute(kpis.select().with_only_columns(kpis.c.id)).scalars().all()
            c.execute(
                subscriptions.insert(),
                [
                    {
                        "kpi_id": kpi_id,
                        "channel": "webhook",
                        "target": DEAD_HOOK,
                        "secret": HOOK_SECRET,
                        "enabled": True,
                        "disabled_reason": "",
                        "version": 1,
                        "created_at": NOW,
                        "updated_at": NOW,
                        "updated_by": "bench",
                    }  # fmt: skip
                    for kpi_id in ids
                ],
            )
    engine.dispose()


def tune_postgres(url: str) -> None:
    """Let the throw-away server take a bulk load as a production one is set up to: WAL
    may grow to 16 GB between checkpoints (the default 1 GB checkpoints every few
    hundred thousand rows). Applies to the raw path and the import alike."""
    engine = make_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("ALTER SYSTEM SET max_wal_size = '16GB'"))
        c.execute(text("ALTER SYSTEM SET checkpoint_timeout = '1h'"))
        c.execute(text("SELECT pg_reload_conf()"))
    engine.dispose()


def settle(url: str, *, empty: bool = False) -> None:
    """Start a phase from a quiet database: written pages flushed (and the table empty)."""
    engine = make_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        if engine.dialect.name == "postgresql":
            if empty:
                c.execute(text("TRUNCATE kpi_values"))
            c.execute(text("CHECKPOINT"))
        else:
            c.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()
    # The previous phase's pages go to disk now, not in the background of this one.
    os.sync()


# --- the phases (each in its own process) ----------------------------------------------


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def raw_batches(engine: Engine, path: Path) -> Iterator[list[tuple[int, str, int, float]]]:
    """The file's rows as (kpi_id, segment, ts, value) tuples, 100,000 at a time."""
    with engine.connect() as c:
        ids = dict(c.execute(text("SELECT key, id FROM kpis")).all())
    con = duckdb.connect()
    columns = con.execute(
        f"SELECT kpi, CAST(epoch(timestamp) AS BIGINT) AS ts, value FROM read_parquet('{path}')"
    ).fetchnumpy()
    con.close()
    kpi_ids = np.array([ids[k] for k in columns["kpi"].tolist()], dtype=np.int64)
    ts, value = columns["ts"], columns["value"]
    for start in range(0, len(ts), BATCH):
        end = start + BATCH
        ids_part = kpi_ids[start:end].tolist()
        yield list(
            zip(
                ids_part,
                [""] * len(ids_part),
                ts[start:end].tolist(),
                value[start:end].tolist(),
                strict=True,
            )  # fmt: skip
        )


def phase_raw(url: str, path: Path, again: bool) -> dict[str, Any]:
    engine = make_engine(url)
    batches = list(raw_batches(engine, path))  # prepared before the clock starts
    rows = sum(len(b) for b in batches)
    raw: Any = engine.raw_connection()
    seconds = 0.0
    if engine.dialect.name == "sqlite":
        cursor = raw.cursor()
        began = time.perf_counter()
        for batch in batches:
            cursor.executemany(SQLITE_UPSERT, batch)
        raw.commit()
        seconds = time.perf_counter() - began
    else:
        with raw.cursor() as cursor:
            began = time.perf_counter()
            for batch in batches:
                if again:
                    cursor.execute(PG_STAGE)
                    cursor.execute("TRUNCATE raw_load")
                    target = "raw_load"
                else:
                    target = "kpi_values"
                copy_sql = f"COPY {target} (kpi_id, segment, ts, value) FROM STDIN (FORMAT BINARY)"
                with cursor.copy(copy_sql) as copy:
                    copy.set_types(PG_TYPES)
                    for row in batch:
                        copy.write_row(row)
                if again:
                    cursor.execute(PG_MERGE)
            raw.commit()
            seconds = time.perf_counter() - began
    raw.close()
    engine.dispose()
    return {"rows": rows, "seconds": seconds, "peak_mb": peak_rss_mb()}


def phase_import(url: str, path: Path, *, woken: bool = False) -> dict[str, Any]:
    engine = make_engine(url)
    # `woken`: as the app runs it, a commit that wrote notices wakes the job queue.
    uow = bootstrap.unit_of_work(url) if woken else SqlUnitOfWork(engine)
    marks: list[float] = []

    def progress(done: int, total: int) -> None:
        if done == 0 or done == total:
            marks.append(time.perf_counter())

    began = time.perf_counter()
    with ValueFile(path) as source:
        report = import_values(uow, source, operator("bench"), NOW, progress=progress)
    ended = time.perf_counter()
    # The import ends by judging the touched KPIs' dashboard tiles: time that part alone
    # once more (the tiles forgotten, judged again), to tell the write from the judging.
    keys = [k.key for k in report.kpis]
    with SqlUnitOfWork(engine) as uow:
        uow.tiles.forget(keys)
        uow.commit()
    judging = time.perf_counter()
    refresh_health(SqlUnitOfWork(engine), NOW, keys)
    judged = time.perf_counter() - judging
    with engine.connect() as c:
        outbox = c.execute(text("SELECT count(*) FROM deliveries")).scalar_one()
        raised = c.execute(text("SELECT count(*) FROM alerts")).scalar_one()
    engine.dispose()
    return {
        "outbox": outbox,
        "alerts": raised,
        "rows": report.rows_read,
        "seconds": ended - began,
        "judge_seconds": judged,
        "peak_mb": peak_rss_mb(),
        "kpis": report.kpis_touched,
        # Read and check the file / write the rows / audit, commit and judge the tiles.
        "split": [marks[0] - began, marks[1] - marks[0], ended - marks[1]],
    }


def run_phase(name: str, url: str, path: Path) -> dict[str, Any]:
    """Run one phase in a fresh process and return what it measured."""
    result = subprocess.run(
        [sys.executable, __file__, "--phase", name, "--url", url, "--file", str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if result.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{result.stderr}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


# --- the report ------------------------------------------------------------------------


PHASES = ("raw-first", "import-first", "raw-again", "import-again")


def bench_database(
    label: str, rounds: list[tuple[str, str]], path: Path, kpis_count: int, *, fresh: bool
) -> list[str]:
    """Both cases on one kind of database, interleaved, once per round.

    Each round gives (raw database, import database). `fresh`: every round's databases
    are new (SQLite files); otherwise the same two are emptied with TRUNCATE.
    """
    began = time.perf_counter()
    results: dict[str, list[dict[str, Any]]] = {phase: [] for phase in PHASES}
    for number, urls in enumerate(rounds):
        for url in urls:
            if fresh or number == 0:
                setup(url, kpis_count)
                if label == "PostgreSQL":
                    tune_postgres(url)
            else:
                settle(url, empty=True)
        for phase in PHASES:
            url = urls[0] if phase.startswith("raw") else urls[1]
            settle(url)
            results[phase].append(run_phase(phase, url, path))
    how = {
        ("SQLite", "first"): "executemany INSERT … ON CONFLICT",
        ("SQLite", "again"): "executemany INSERT … ON CONFLICT",
        ("PostgreSQL", "first"): "binary COPY straight into the empty table",
        ("PostgreSQL", "again"): "binary COPY into a temp table + ON CONFLICT merge",
    }
    lines = [f"{label}  ({time.perf_counter() - began:.0f} s)"]
    for case in ("first", "again"):
        raw, ours = results[f"raw-{case}"], results[f"import-{case}"]
        raw_s = statistics.median(r["seconds"] for r in raw)
        our_s = statistics.median(r["seconds"] for r in ours)
        judge_s = statistics.median(r["judge_seconds"] for r in ours)
        write_s = our_s - judge_s
        rows = ours[0]["rows"]
        raw_peak, our_peak = max(r["peak_mb"] for r in raw), max(r["peak_mb"] for r in ours)
        ratio = raw_s / write_s
        verdict = "ok" if ratio >= 0.7 and our_peak < 1024 else "MISSED"
        split = [statistics.median(r["split"][i] for r in ours) for i in range(3)]
        raw_runs = ", ".join(f"{r['seconds']:.1f}" for r in raw)
        our_runs = ", ".join(f"{r['seconds']:.1f}" for r in ours)
        lines += [
            f"  {case:<5} raw     {rows:>9,} rows {raw_s:6.1f} s {rows / raw_s:>9,.0f} rows/s  "
            f"peak {raw_peak:5.0f} MiB  runs: {raw_runs} s  ({how[label, case]})",
            f"  {case:<5} import  {rows:>9,} rows {our_s:6.1f} s {rows / our_s:>9,.0f} rows/s  "
            f"peak {our_peak:5.0f} MiB  runs: {our_runs} s",
            f"{'':16}import = read and check {split[0]:.1f} s + write {split[1]:.1f} s + audit, "
            f"commit and judging the {ours[0]['kpis']:,} KPIs' tiles {split[2]:.1f} s "
            f"(judging alone: {judge_s:.1f} s)",
            f"{'':16}import without judging/raw = {ratio:.2f}×  [{verdict}: goal ≥ 0.7×, "
            f"peak < 1024 MiB]; with judging: {raw_s / our_s:.2f}×",
        ]
    return lines


def bench_subscribed(path: Path, kpis_count: int, runs: int) -> list[str]:
    """The first import with nobody told, and with every KPI subscribed to a dead webhook
    while a worker keeps trying it; alternating which goes first, `runs` times each."""
    plain: list[dict[str, Any]] = []
    told: list[dict[str, Any]] = []
    attempts = 0
    with tempfile.TemporaryDirectory(prefix="okrkit-bench-") as folder:
        for n in range(runs):
            quiet, dead = f"sqlite:///{folder}/plain-{n}.db", f"sqlite:///{folder}/told-{n}.db"
            setup(quiet, kpis_count)
            setup(dead, kpis_count, subscribed=True)
            worker = subprocess.Popen(
                [sys.executable, "-m", "okrkit", "worker", "--threads", "4"],
                env={**os.environ, "OKRKIT_DATABASE_URL": dead},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=ROOT,
            )
            try:
                time.sleep(2)  # the consumer is up before the import begins
                order = [("plain", quiet), ("told", dead)]
                for name, url in order if n % 2 == 0 else reversed(order):
                    settle(url)
                    result = run_phase(
                        "import-woken" if name == "told" else "import-first", url, path
                    )
                    (told if name == "told" else plain).append(result)
                time.sleep(3)  # the worker meets the dead endpoint
            finally:
                worker.terminate()
                worker.wait(timeout=30)
            engine = make_engine(dead)
            with engine.connect() as c:
                attempts += c.execute(text("SELECT count(*) FROM delivery_attempts")).scalar_one()
            engine.dispose()
    plain_s = statistics.median(r["seconds"] for r in plain)
    told_s = statistics.median(r["seconds"] for r in told)
    slower = told_s / plain_s - 1
    verdict = "ok" if slower <= 0.10 else "MISSED"
    rows = plain[0]["rows"]
    return [
        f"SQLite, first import of {rows:,} values, a worker consuming the queue:",
        f"  nobody told           {plain_s:6.1f} s  runs: "
        + ", ".join(f"{r['seconds']:.1f}" for r in plain)
        + " s",
        f"  every KPI subscribed  {told_s:6.1f} s  runs: "
        + ", ".join(f"{r['seconds']:.1f}" for r in told)
        + f" s  ({told[0]['alerts']:,} alerts raised, {told[0]['outbox']:,} notices written "
        f"to the outbox; {attempts:,} attempts on the dead webhook meanwhile)",
        f"  with subscriptions / without = {told_s / plain_s:.2f}×  [{verdict}: goal within 10 %]",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kpis", type=int, default=10_000)
    parser.add_argument("--points", type=int, default=500)
    parser.add_argument(
        "--runs",
        type=int,
        help="rounds of every case, for medians (default: SQLite 3, PostgreSQL 2)",
    )
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument(
        "--subscribed",
        action="store_true",
        help="compare an import with every KPI subscribed to a dead webhook to one without",
    )
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:
        path = Path(args.file)
        if args.phase.startswith("raw-"):
            result = phase_raw(args.url, path, again=args.phase == "raw-again")
        else:
            result = phase_import(args.url, path, woken=args.phase == "import-woken")
        print(json.dumps(result))
        return

    began = time.perf_counter()
    path = data_file(args.kpis, args.points)
    generated = time.perf_counter() - began
    rows = args.kpis * args.points
    print(f"okrkit import bench — {rows:,} values ({args.kpis:,} KPIs × {args.points} points), "
          f"{path.relative_to(ROOT)} ({path.stat().st_size / 2**20:.0f} MiB, "
          f"ready in {generated:.1f} s)")  # fmt: skip
    sqlite_runs, pg_runs = (args.runs, args.runs) if args.runs else (3, 2)
    if args.subscribed:
        print("\n".join(bench_subscribed(path, args.kpis, sqlite_runs)))
        print(f"total {time.perf_counter() - began:.0f} s")
        return
    print(f"every case run {sqlite_runs}× on SQLite, {pg_runs}× on PostgreSQL (raw and import "
          "interleaved), each run in its own process; times are medians, peak = the highest "
          f"VmHWM of the runs; {os.cpu_count()} CPUs; {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
          flush=True)  # fmt: skip
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory(prefix="okrkit-bench-") as folder:
            rounds = [
                (f"sqlite:///{folder}/raw-{n}.db", f"sqlite:///{folder}/import-{n}.db")
                for n in range(sqlite_runs)
            ]
            lines = bench_database("SQLite", rounds, path, args.kpis, fresh=True)
        print("\n".join(lines), flush=True)
    if args.only in (None, "postgresql"):
        from tests.support import postgres

        server = postgres.start()
        try:
            raw_url = server.url.rsplit("/", 1)[0] + "/okrkit_raw"
            engine = make_engine(server.url)
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text("CREATE DATABASE okrkit_raw"))
            engine.dispose()
            rounds = [(raw_url, server.url)] * pg_runs
            lines = bench_database("PostgreSQL", rounds, path, args.kpis, fresh=False)
        finally:
            server.stop()
        print("\n".join(lines))
    print(f"total {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
