"""The job queue on a real huey of each workspace kind (SqliteHuey beside the SQLite
file, huey's SQL storage in its own schema of PostgreSQL): a commit that writes
deliveries wakes it, `dispatch` turns what is due into `deliver` tasks batch by batch,
and the tasks, run as huey's consumer runs them, send each delivery once."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect

from okrkit import bootstrap
from okrkit.adapters.jobs import DISPATCH_BATCH, JobQueue, Work, huey_for, queue_place
from okrkit.adapters.sources.values.rows import ValueRow, ValueRows
from okrkit.services.subscriptions import CreateSubscription, create_subscription
from okrkit.services.values import import_values
from tests.support.actors import as_actor
from tests.support.outbox import NOW, delivery_rows, enqueue_alert, forget_workspace, workspace
from tests.support.receivers import receiver


@pytest.fixture
def url(engine):
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture
def queue(url):
    """The workspace's queue as bootstrap wires it, emptied."""
    bootstrap.job_queue.cache_clear()
    made = bootstrap.job_queue(url)
    made.huey.flush()
    yield made
    made.huey.flush()
    forget_workspace(url)


def run_all(queue: JobQueue) -> list[str]:
    """Run every queued task as a consumer's worker does, in order; their names."""
    names = []
    while (task := queue.huey.dequeue()) is not None:
        names.append(task.name)
        queue.huey.execute(task)
    return names


def test_the_queue_lives_beside_the_workspace(tmp_path):
    sqlite = f"sqlite:///{tmp_path / 'okrkit.db'}"
    assert queue_place(sqlite) == str(tmp_path / "okrkit.jobs.db")
    huey = huey_for(sqlite)
    assert huey.storage.filename == str(tmp_path / "okrkit.jobs.db")
    huey.storage.close()
    place = queue_place("postgresql+psycopg://okrkit:secret@db.example.com/okrkit")
    assert place == "schema okrkit_jobs of postgresql+psycopg://okrkit:***@db.example.com/okrkit"


def test_a_commit_that_wrote_deliveries_wakes_the_queue_and_the_tasks_send_them(url, engine, queue):
    uow = bootstrap.unit_of_work(url)
    workspace(uow)
    with receiver() as hook:
        create_subscription(uow, CreateSubscription("email", "a@example.com", team="growth"),
                            as_actor("maya"), NOW)  # fmt: skip
        assert queue.pending() == 0  # a change without deliveries wakes nothing
        secret = "whsec_" + "A" * 32
        create_subscription(
            uow,
            CreateSubscription("webhook", hook.url, team="growth", secret=secret),
            as_actor("maya"),
            NOW,
        )
        assert enqueue_alert(uow, engine) == 2
        assert queue.pending() == 1  # the wake-up: one dispatch
        names = run_all(queue)
        assert names == ["dispatch", "deliver", "deliver"]
        assert len(hook.requests) == 1
    states = sorted(r["state"] for r in delivery_rows(engine))
    # E-mail is not configured here: its delivery waits for a retry, said in words.
    assert states == ["delivered", "pending"]
    assert run_all(queue) == []


def test_a_large_outbox_is_dispatched_batch_by_batch_never_twice_over(engine, url):
    due_ids = list(range(1, DISPATCH_BATCH + 7))
    sent: list[int] = []
    taken: set[int] = set()

    def due(limit: int) -> list[int]:
        return [i for i in due_ids if i not in taken][:limit]

    def deliver(delivery_id: int) -> None:
        taken.add(delivery_id)
        sent.append(delivery_id)

    huey = huey_for(url, name="okrkit-batches")
    huey.flush()
    try:
        queue = JobQueue(huey, Work(due=due, deliver=deliver))
        queue.wake()
        queue.wake()  # a second wake-up while the first is queued
        names = run_all(queue)
    finally:
        huey.flush()
        huey.storage.close()
    # The first dispatch queued a full batch and itself behind it; the second wake-up
    # found the queue full and did nothing; the dispatch behind the batch took the rest.
    assert names.count("dispatch") == 3
    assert names.count("deliver") == len(due_ids)
    assert sorted(sent) == due_ids


def test_huey_keeps_its_tables_out_of_okrkits_schema(engine, url, queue):
    queue.wake()
    tables = set(inspect(engine).get_table_names())
    assert not tables & {"task", "kv", "schedule"}
    if engine.dialect.name == "sqlite":
        assert Path(queue_place(url)).exists()
    else:
        assert {"task", "kv", "schedule"} <= set(
            inspect(engine).get_table_names(schema="okrkit_jobs")
        )


def test_the_hourly_watch_opens_a_stale_kpis_data_alert_and_its_notice_is_sent(url, queue):
    """Nobody writes: the KPI goes stale; the watch judges it anew, its data alert opens,
    and the notice reaches the team's webhook through the queue."""
    uow = bootstrap.unit_of_work(url)
    workspace(uow)
    rows = ValueRows([ValueRow(NOW - timedelta(weeks=5 - n), 16.0 + n % 2) for n in range(5)])
    import_values(uow, rows, as_actor("maya"), NOW, default_kpi="growth_conversion")
    with receiver() as hook:
        create_subscription(
            uow, CreateSubscription("webhook", hook.url, team="growth",
                                    secret="whsec_" + "A" * 32), as_actor("maya"), NOW,
        )  # fmt: skip
        queue.huey.flush()
        # the watch judges at the real clock: long after NOW, the values are stale
        queue.watch_now()
        assert queue.pending() == 1  # the watch's commit woke the queue
        run_all(queue)
        [request] = hook.requests
    body = json.loads(request.body)
    assert body["type"] == "alert.opened"
    assert body["data"]["kind"] == "data"
    assert body["data"]["problem"] == "stale"
