"""Benchmark of notification deliveries through the job queue, and the kill test.

N alerts (default 10,000; plain rows in `alerts`, since this measures the deliveries,
not the alerts' rules) each fan out to two subscriptions — a signed webhook to a
receiver on loopback and an e-mail to an SMTP server on loopback (aiosmtpd) — so the
outbox holds 2 N deliveries, written in one transaction as the alerts' use cases write
them (`DeliveryRepository.enqueue`). The consumer is `okrkit worker`, a real process, as
`okrkit serve` starts it beside its web workers.

  steady  the worker runs; the outbox is written (its commit wakes the queue); the
          clock runs until every delivery is delivered: deliveries per second.
  kills   the same with a fresh outbox, while the worker is SIGKILLed at random
          (`--kills`, 10, each after 0.5–4 s of work) and started again; then it runs
          until every delivery is delivered (a claim left by a killed worker times out
          after OKRKIT_CLAIM_TIMEOUT_SECONDS, 10 s here; the periodic dispatch runs
          every minute). Counted: deliveries lost (never received, or not marked
          delivered: must be 0), repeats received (a message sent again because the
          worker died between sending and recording it), and whether every repeat
          carried the same `webhook-id` / `Message-ID` as the first time (must be).

Figures are printed, never asserted by a timed unit test.

    .venv/bin/python bench/notify.py [--alerts 10000] [--kills 10] [--threads 4]
                                     [--database sqlite|postgresql] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # for tests.support.postgres

from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import Engine, text  # noqa: E402
from tests.support.servers import free_port  # noqa: E402

from okrkit import bootstrap  # noqa: E402
from okrkit.adapters.notify import new_secret  # noqa: E402
from okrkit.adapters.store.engine import make_engine  # noqa: E402
from okrkit.adapters.store.migrate import upgrade  # noqa: E402
from okrkit.domain.access import operator  # noqa: E402
from okrkit.domain.cadence import Cadence  # noqa: E402
from okrkit.domain.health import Direction, Thresholds  # noqa: E402
from okrkit.domain.kpis import Kpi  # noqa: E402
from okrkit.domain.notifications import Event, Notice  # noqa: E402
from okrkit.services.kpis import create_kpi  # noqa: E402
from okrkit.services.subscriptions import CreateSubscription, create_subscription  # noqa: E402
from okrkit.services.teams import CreateTeam, create_team  # noqa: E402

OKRKIT = Path(sys.executable).with_name("okrkit")
NOW = datetime(2026, 11, 23, 9, 0)
CLAIM_TIMEOUT_SECONDS = 10
_ALERT = re.compile(rb"/alerts/(\d+)")


# --- the receivers -------------------------------------------------------------------


@dataclass
class Received:
    """What the receivers took: (alert id, message id) per message, by channel."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    webhook: list[tuple[int, str]] = field(default_factory=list)
    email: list[tuple[int, str]] = field(default_factory=list)

    def count(self) -> int:
        with self.lock:
            return len(self.webhook) + len(self.email)


def webhook_receiver(received: Received) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: a worker thread reuses its connection

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            alert = int(json.loads(body)["data"]["alert_id"])
            with received.lock:
                received.webhook.append((alert, self.headers["webhook-id"]))
            self.send_response(204)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: Any, client_address: Any) -> None:
            pass  # a killed worker's kept-alive connection, reset: expected here

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class MailHandler:
    def __init__(self, received: Received) -> None:
        self.received = received

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content: bytes = envelope.original_content or envelope.content
        message = message_from_bytes(content)
        found = _ALERT.search(content.replace(b"=\r\n", b""))
        alert = int(found.group(1)) if found else -1
        with self.received.lock:
            self.received.email.append((alert, str(message["Message-ID"])))
        return "250 OK"


# --- the workspace ---------------------------------------------------------------------


def workspace(url: str, webhook: str, mail_to: str) -> Engine:
    engine = make_engine(url)
    upgrade(engine)
    uow = bootstrap.unit_of_work(url)
    create_team(uow, CreateTeam("growth", "Growth"), operator("bench"), NOW)
    create_kpi(
        uow,
        Kpi(
            key="trial_to_paid", name="Trial-to-paid conversion rate", unit="percent",
            direction=Direction.HIGHER, cadence=Cadence.parse("weekly"), team="growth",
            target=16, thresholds=Thresholds(15, 12), owner="maya@example.com",
        ),
        operator("bench"),
        NOW,
    )  # fmt: skip
    create_subscription(
        uow, CreateSubscription("webhook", webhook, team="growth", secret=new_secret()),
        operator("bench"), NOW,
    )  # fmt: skip
    create_subscription(
        uow, CreateSubscription("email", mail_to, team="growth"), operator("bench"), NOW
    )
    return engine


def write_outbox(url: str, engine: Engine, alerts: int) -> int:
    """N alert rows (plain SQL), then their notices to the outbox in one transaction
    through bootstrap's unit of work (its commit wakes the queue); how many deliveries."""
    with engine.begin() as connection:
        kpi_id = connection.execute(
            text("SELECT id FROM kpis WHERE key = 'trial_to_paid'")
        ).scalar_one()
        first = connection.execute(text("SELECT COALESCE(MAX(id), 0) FROM alerts")).scalar_one()
        connection.execute(
            text(
                "INSERT INTO alerts (kpi_id, kind, level, state, problem, reason, status, value, "
                "opened_at, updated_at, version, note) VALUES (:kpi, 'status', 'red', "
                "'resolved', 'incapable', 'routine variation', 'red', 8.2, :at, :at, 1, '')"
            ),
            [{"kpi": kpi_id, "at": NOW} for _ in range(alerts)],
        )
        ids = connection.execute(
            text("SELECT id FROM alerts WHERE id > :first ORDER BY id"), {"first": first}
        ).scalars()
        notices = [(notice(int(i)), "trial_to_paid", "growth") for i in ids]
    uow = bootstrap.unit_of_work(url)
    with uow:
        written = uow.deliveries.enqueue(notices, NOW)
        uow.commit()
    return written


def notice(alert_id: int) -> Notice:
    return Notice(
        message_id="", event=Event.OPENED, at=NOW, alert_id=alert_id, kind="status",
        level="red", kpi_key="trial_to_paid", kpi_name="Trial-to-paid conversion rate",
        team_key="growth", team_name="Growth", status="red",
        status_words="Red: below the red bound", value=8.2, value_text="8.2%",
        value_at=NOW - timedelta(days=1), problem="incapable",
        reason="Routine variation of an incapable process: the process itself must change.",
        summary="Trial-to-paid conversion rate turned red: 8.2%, below the red bound of 12%",
        link=f"/alerts/{alert_id}", kpi_link="/kpis/trial_to_paid",
    )  # fmt: skip


def delivered(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                text("SELECT count(*) FROM deliveries WHERE state = 'delivered'")
            ).scalar_one()
        )


def outbox(engine: Engine) -> list[tuple[int, int, str, str, str]]:
    """Every delivery: id, alert id, channel, message id, state."""
    with engine.connect() as connection:
        return [
            (int(r[0]), int(r[1]), r[2], r[3], r[4])
            for r in connection.execute(
                text(
                    "SELECT d.id, d.alert_id, s.channel, d.message_id, d.state FROM deliveries d "
                    "JOIN subscriptions s ON s.id = d.subscription_id ORDER BY d.id"
                )
            )
        ]


# --- the worker ------------------------------------------------------------------------


def start_worker(env: dict[str, str], threads: int, log: Path) -> subprocess.Popen[bytes]:
    """`okrkit worker` as a process of its own; returned once it says it runs."""
    out = log.open("ab")
    process = subprocess.Popen(
        [str(OKRKIT), "worker", "--threads", str(threads)], env=env, stdout=subprocess.PIPE,
        stderr=out, start_new_session=True,
    )  # fmt: skip
    assert process.stdout is not None
    line = process.stdout.readline()
    if b"okrkit worker:" not in line:
        raise RuntimeError(f"the worker did not start: {line!r}; see {log}")
    rest = process.stdout
    threading.Thread(target=lambda: out.write(rest.read()), daemon=True).start()
    return process


def stop_worker(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_all(engine: Engine, total: int, timeout: float) -> float:
    """Seconds until `total` deliveries are delivered (polled every 0.2 s)."""
    started = time.monotonic()
    while delivered(engine) < total:
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"{delivered(engine)} of {total} delivered after {timeout:.0f} s")
        time.sleep(0.2)
    return time.monotonic() - started


# --- the run ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--alerts", type=int, default=10_000)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    received = Received()
    http = webhook_receiver(received)
    smtp_port = free_port()
    smtp = Controller(MailHandler(received), hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    folder = Path(tempfile.mkdtemp(prefix="okrkit-bench-notify-"))
    server = None
    try:
        if args.database == "postgresql":
            from tests.support import postgres

            server = postgres.start()
            url = server.url
        else:
            url = f"sqlite:///{folder / 'workspace.db'}"
        env = {
            **os.environ,
            "OKRKIT_DATABASE_URL": url,
            "OKRKIT_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
            "OKRKIT_CLAIM_TIMEOUT_SECONDS": str(CLAIM_TIMEOUT_SECONDS),
        }
        os.environ.update(env)  # this process's wake-ups reach the same queue
        engine = workspace(
            url, f"http://127.0.0.1:{http.server_address[1]}/hook", "team@example.com"
        )
        log = folder / "worker.log"
        print(f"notify bench: {args.alerts:,} alerts x 2 subscriptions (webhook + e-mail), "
              f"{args.database}, worker threads {args.threads}, {os.cpu_count()} CPUs")  # fmt: skip

        # Steady: one worker, the whole outbox.
        worker = start_worker(env, args.threads, log)
        written = write_outbox(url, engine, args.alerts)
        seconds = wait_all(engine, written, timeout=3600)
        stop_worker(worker)
        print(f"  steady: {written:,} deliveries in {seconds:.1f} s = "
              f"{written / seconds:,.0f} deliveries/s")  # fmt: skip

        # Kills: a fresh outbox while the worker is SIGKILLed at random and restarted.
        before = received.count()
        first_kill = delivered(engine)
        written = write_outbox(url, engine, args.alerts)
        started = time.monotonic()
        worker = start_worker(env, args.threads, log)
        for _ in range(args.kills):
            time.sleep(rng.uniform(0.5, 4.0))
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait()
            worker = start_worker(env, args.threads, log)
        killed_at = time.monotonic()
        left = first_kill + written - delivered(engine)
        seconds = wait_all(engine, first_kill + written, timeout=3600)
        stop_worker(worker)
        total = time.monotonic() - started
        time.sleep(1)  # answers in flight reach the receivers' lists

        rows = outbox(engine)
        lost_rows = [r for r in rows if r[4] != "delivered"]
        ids_by_message: dict[tuple[str, int], set[str]] = defaultdict(set)
        with received.lock:
            taken = [("webhook", *m) for m in received.webhook] + [
                ("email", *m) for m in received.email
            ]
        for channel, alert, message in taken:
            ids_by_message[(channel, alert)].add(message)
        times = Counter((channel, alert) for channel, alert, _ in taken)
        never = [r for r in rows if (r[2], r[1]) not in times]
        repeats = sum(n - 1 for n in times.values())
        changed = [k for k, v in ids_by_message.items() if len(v) != 1]
        wrong = [
            r for r in rows
            if ids_by_message.get((r[2], r[1])) and not any(
                r[3] in m for m in ids_by_message[(r[2], r[1])]
            )
        ]  # fmt: skip
        print(f"  kills: {args.kills} SIGKILLs over {killed_at - started:.1f} s "
              f"({left:,} of {written:,} still to deliver at the last restart); all "
              f"delivered {total:.1f} s after the start ({seconds:.1f} s after the last "
              f"restart); {written / total:,.0f} deliveries/s overall")  # fmt: skip
        print(f"  lost: {len(lost_rows)} not delivered, {len(never)} never received "
              f"(of {len(rows):,}); received {received.count() - before:,} messages in this "
              f"phase, {repeats} repeats; a repeat under another id: {len(changed)}; an id "
              "not the outbox's: "
              f"{len(wrong)}")  # fmt: skip
        print(f"  worker log: {log}")
    finally:
        smtp.stop()
        http.shutdown()
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
