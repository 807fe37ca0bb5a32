"""A workspace's job queue (huey) and okrkit's tasks on it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huey import Huey, SqliteHuey, crontab
from huey.contrib.sql_huey import SqlStorage
from peewee import PostgresqlDatabase
from sqlalchemy.engine import make_url

__all__ = ["DISPATCH_BATCH", "JobQueue", "JobTables", "Work", "huey_for", "queue_place"]

_log = logging.getLogger(__name__)

# How many deliveries one dispatch turns into tasks. A dispatch that finds the queue
# holding this many tasks already does nothing (the consumers are busy with them; a
# later dispatch takes what is still due), and one that finds a full batch due queues
# itself again behind it: a large outbox goes out batch by batch without a delivery
# being queued twice over.
DISPATCH_BATCH = 500
# The schema of huey's tables in a PostgreSQL workspace: beside okrkit's, never among
# them (Alembic's comparison of okrkit's tables never sees them).
JOBS_SCHEMA = "okrkit_jobs"
QUEUE_NAME = "okrkit"


class JobTables(SqlStorage):  # type: ignore[misc]
    """huey's SQL storage with its three tables in the schema `okrkit_jobs` (its
    connections' search path), created first when missing."""

    def create_tables(self) -> None:
        with self.database:
            self.database.execute_sql(f"CREATE SCHEMA IF NOT EXISTS {JOBS_SCHEMA}")
            self.database.create_tables([self.KV, self.Schedule, self.Task])


def queue_place(url: str) -> str:
    """Where a workspace's queue is kept, for people: the SQLite file beside its
    database, or the PostgreSQL schema."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return str(_jobs_file(parsed.database or ""))
    return f"schema {JOBS_SCHEMA} of {parsed.render_as_string(hide_password=True)}"


def _jobs_file(database: str) -> Path:
    path = Path(database).absolute()
    return path.with_name(f"{path.stem}.jobs{path.suffix or '.db'}")


def huey_for(url: str, name: str = QUEUE_NAME) -> Huey:
    """The huey instance of the workspace at `url` (a SQLAlchemy URL): SqliteHuey in
    `<database>.jobs.db` beside a SQLite file; huey's SQL storage on peewee (psycopg 3)
    in the schema `okrkit_jobs` of a PostgreSQL database. No results are kept: a task's
    effect is in the workspace's own tables."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return SqliteHuey(name, filename=str(_jobs_file(parsed.database or "")), results=False)
    extra: dict[str, Any] = dict(parsed.query)
    database = PostgresqlDatabase(
        parsed.database,
        host=parsed.host or None,
        port=parsed.port or None,
        user=parsed.username or None,
        password=parsed.password or None,
        prefer_psycopg3=True,
        options=f"-c timezone=UTC -c search_path={JOBS_SCHEMA}",
        **extra,
    )
    return Huey(name, results=False, storage_class=JobTables, database=database)


@dataclass(frozen=True)
class Work:
    """What the tasks do, wired by `bootstrap`: which deliveries are due (up to a
    number) and sending one."""

    due: Callable[[int], list[int]]
    deliver: Callable[[int], object]
    # Judge anew the KPIs gone stale since they were last judged (their data alerts).
    watch: Callable[[], object] | None = None


class JobQueue:
    """okrkit's tasks on one huey instance: the same registrations in the processes
    that enqueue (the web app, the CLI) and in those that consume."""

    def __init__(self, huey: Huey, work: Work) -> None:
        self.huey = huey
        self._work = work
        self._deliver = huey.task(name="deliver")(self._run_deliver)
        self._dispatch = huey.task(name="dispatch")(self._run_dispatch)
        huey.periodic_task(crontab(minute="*"), name="dispatch_every_minute")(self._run_dispatch)
        # Every hour: a KPI goes stale with nobody writing, so its data alert opens here.
        huey.periodic_task(crontab(minute="7"), name="watch_health")(self._run_watch)

    def _run_deliver(self, delivery_id: int) -> None:
        self._work.deliver(delivery_id)

    def _run_watch(self) -> None:
        if self._work.watch is not None:
            self._work.watch()

    def watch_now(self) -> None:
        """Run the hourly watch in this process (what the task does)."""
        self._run_watch()

    def _run_dispatch(self) -> int:
        if self.huey.pending_count() >= DISPATCH_BATCH:
            return 0
        due = self._work.due(DISPATCH_BATCH)
        for delivery_id in due:
            self._deliver(delivery_id)
        if len(due) == DISPATCH_BATCH:
            self._dispatch()
        return len(due)

    def wake(self) -> None:
        """Queue a dispatch now (after a commit that wrote deliveries)."""
        self._dispatch()

    def dispatch_now(self) -> int:
        """Run a dispatch in this process (what the task does); how many deliveries it
        queued."""
        return self._run_dispatch()

    def pending(self) -> int:
        """How many tasks wait in the queue."""
        return int(self.huey.pending_count())

    def close(self) -> None:
        """Close this process's connections to the queue's storage."""
        storage: Any = self.huey.storage
        closer = getattr(storage, "close", None)
        if closer is not None:
            closer()
