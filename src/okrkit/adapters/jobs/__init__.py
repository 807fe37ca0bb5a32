"""Jobs: the only code that knows the job library (huey).

A workspace has one queue (`queue.huey_for`): `SqliteHuey` in a file beside the SQLite
database on the embedded default, huey's SQL storage on peewee in a schema of its own of
the workspace's PostgreSQL database when it runs there, so that any number of machines
share it. `queue.JobQueue` registers okrkit's tasks on it — `deliver` one outbox row and
`dispatch` (every delivery that is due becomes a `deliver` task), the latter also every
minute, so nothing written to the outbox waits forever even when a wake-up was lost.
`consumer.run_consumer` runs huey's consumer in the foreground (`okrkit worker`, and
the process `okrkit serve` starts beside its web workers).

The queue is at most once (a consumer killed mid-task loses the task); the outbox is
what makes a delivery certain: the periodic dispatch finds again whatever a lost task
left due.
"""

from __future__ import annotations

from okrkit.adapters.jobs.consumer import run_consumer
from okrkit.adapters.jobs.queue import DISPATCH_BATCH, JobQueue, Work, huey_for, queue_place

__all__ = ["DISPATCH_BATCH", "JobQueue", "Work", "huey_for", "queue_place", "run_consumer"]
