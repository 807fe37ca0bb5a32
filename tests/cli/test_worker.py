"""`okrkit worker` and the worker `okrkit serve` starts, as real processes: huey's
consumer takes the wake-up of a commit that wrote the outbox and delivers to a real
webhook receiver on loopback, on SQLite and on PostgreSQL; Ctrl+C or SIGTERM stops it,
leaving nothing running."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from okrkit import bootstrap
from okrkit.adapters.store.engine import make_engine
from okrkit.adapters.store.migrate import upgrade
from okrkit.services.subscriptions import CreateSubscription, create_subscription
from tests.cli.helpers import OKRKIT
from tests.support.actors import as_actor
from tests.support.outbox import NOW, delivery_rows, enqueue_alert, forget_workspace, workspace
from tests.support.receivers import receiver
from tests.support.servers import Server, children, free_port

SECRET = "whsec_" + "B" * 32


def _env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "OKRKIT_DATABASE_URL"}
    return {**env, "OKRKIT_DATABASE_URL": url}


@pytest.fixture
def workspace_url(database: dict[str, str]) -> Iterator[str]:
    url = database["OKRKIT_DATABASE_URL"]
    bootstrap.job_queue.cache_clear()
    bootstrap.job_queue(url).huey.flush()  # the PostgreSQL queue outlives emptied tables
    yield url
    forget_workspace(url)


def _deliver_one(url: str, hook_url: str) -> Engine:
    """A webhook subscription and an alert's notice in the outbox, written through the
    unit of work bootstrap wires (its commit wakes the queue)."""
    store = make_engine(url)
    upgrade(store)
    uow = bootstrap.unit_of_work(url)
    workspace(uow)
    create_subscription(
        uow,
        CreateSubscription("webhook", hook_url, team="growth", secret=SECRET),
        as_actor("maya"),
        NOW,
    )
    assert enqueue_alert(uow, store) == 1
    return store


@pytest.mark.parametrize(("sig", "said"), [(signal.SIGINT, True), (signal.SIGTERM, True)])
def test_the_worker_delivers_an_outbox_row_end_to_end_and_stops(workspace_url, sig, said):
    worker = Server([str(OKRKIT), "worker", "--threads", "2"], _env(workspace_url))
    try:
        worker.wait_for("okrkit worker: sending notifications with 2 threads")
        with receiver() as hook:
            store = _deliver_one(workspace_url, hook.url)
            # Woken by the commit: well before the periodic dispatch's minute.
            (request,) = hook.wait_for(1, timeout=20)
        started = children(worker.process.pid)
        assert worker.stop(sig) == 0, worker.output
        assert worker.left_running(started) == []
    finally:
        worker.kill()
    (row,) = delivery_rows(store)
    store.dispose()
    assert row["state"] == "delivered"
    assert request.headers["webhook-id"] == row["message_id"]
    assert worker.lines[-1] == "okrkit worker stopped"
    assert "Traceback" not in worker.output


def test_serve_runs_a_worker_beside_its_web_workers_and_stops_it(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'workspace.db'}"
    port = free_port()
    server = Server([str(OKRKIT), "serve", "--port", str(port), "--workers", "2"], _env(url))
    try:
        server.wait_for("okrkit is serving on ")
        with receiver() as hook:
            store = _deliver_one(url, hook.url)
            hook.wait_for(1, timeout=30)
        started = children(server.process.pid)
        assert server.stop(signal.SIGINT, group=True) == 0, server.output
        assert server.left_running(started) == []
    finally:
        server.kill()
    assert [r["state"] for r in delivery_rows(store)] == ["delivered"]
    store.dispose()
    forget_workspace(url)
    assert server.lines[-1] == "okrkit stopped"
    assert "okrkit worker" not in server.output  # the server speaks for it
    assert "Traceback" not in server.output


def test_serve_no_worker_starts_none(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'workspace.db'}"
    port = free_port()
    server = Server(
        [str(OKRKIT), "serve", "--port", str(port), "--workers", "1", "--no-worker"], _env(url)
    )
    try:
        server.wait_for("okrkit is serving on ")
        assert children(server.process.pid) == []
        assert server.stop(signal.SIGTERM) == 0, server.output
    finally:
        server.kill()
    assert server.lines[-1] == "okrkit stopped"
