"""The one place that picks concrete adapters and hands them to the services."""

from __future__ import annotations

import os
import random
import threading
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from okrkit.adapters.accounts import Argon2Passwords
from okrkit.adapters.store.engine import database_url, make_engine
from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.domain.errors import InvalidInput
from okrkit.domain.notifications import Channel, Notice, Outcome
from okrkit.services import deliveries, tiles

if TYPE_CHECKING:  # imported where used: most commands never touch the queue
    from okrkit.adapters import jobs, notify

__all__ = [
    "CLAIM_TIMEOUT_VARIABLE",
    "NotifySender",
    "claim_timeout",
    "engine",
    "job_queue",
    "notify_sender",
    "passwords",
    "unit_of_work",
]

# How long a consumer's claim on a delivery holds, in seconds (default
# `services.deliveries.CLAIM_TIMEOUT`): after it, a delivery whose consumer died
# mid-send is sent again.
CLAIM_TIMEOUT_VARIABLE = "OKRKIT_CLAIM_TIMEOUT_SECONDS"


@lru_cache(maxsize=4)
def engine(url: str | None = None) -> Engine:
    """The engine for a URL (default: OKRKIT_DATABASE_URL or the embedded SQLite file)."""
    return make_engine(url or database_url())


def unit_of_work(url: str | None = None) -> SqlUnitOfWork:
    """A fresh unit of work on the workspace's database; a commit that wrote
    deliveries to the outbox wakes the workspace's job queue."""
    return SqlUnitOfWork(engine(url), after_commit=lambda: job_queue(url).wake())


@lru_cache(maxsize=1)
def passwords() -> Argon2Passwords:
    """How passwords are hashed and checked: argon2id with its recommended parameters."""
    return Argon2Passwords()


def claim_timeout() -> timedelta:
    """`OKRKIT_CLAIM_TIMEOUT_SECONDS` (1 s to a day), or the services' default."""
    text = os.environ.get(CLAIM_TIMEOUT_VARIABLE, "").strip()
    if not text:
        return deliveries.CLAIM_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not 1 <= seconds <= 86400:
        raise InvalidInput(
            f"{text!r} is not a number of seconds from 1 to 86400", field=CLAIM_TIMEOUT_VARIABLE
        )
    return timedelta(seconds=seconds)


class NotifySender:
    """The services' `Sender` port on the notify adapters: their settings, and one HTTP
    connection pool per thread (a consumer's threads each reuse theirs)."""

    def __init__(self, settings: notify.NotifySettings) -> None:
        self.settings = settings
        self._local = threading.local()

    def __call__(
        self, notice: Notice, channel: Channel, target: str, secret: str | None
    ) -> Outcome:
        import httpx

        from okrkit.adapters import notify

        client = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = httpx.Client(timeout=self.settings.timeout)
        return notify.send(notice, channel, target, secret, self.settings, client=client)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@lru_cache(maxsize=1)
def notify_sender() -> NotifySender:
    """The notify adapters as the services' `Sender`, with their settings from the
    environment (read once; a bad one is said when a worker starts). Imported only by
    the processes that send: an import that merely wakes the queue never loads them."""
    from okrkit.adapters import notify

    return NotifySender(notify.NotifySettings.from_env(os.environ))


@lru_cache(maxsize=4)
def job_queue(url: str | None = None) -> jobs.JobQueue:
    """The workspace's job queue with okrkit's tasks: due deliveries found and sent
    through the notify adapters (`notify_sender`, loaded by the first delivery)."""
    from okrkit.adapters import jobs

    url = url or database_url()
    timeout = claim_timeout()
    # The store is the workspace's own: a fresh unit of work per task, no wake-up (the
    # tasks write no deliveries).
    store = engine(url)

    def due(limit: int) -> list[int]:
        return deliveries.due(SqlUnitOfWork(store), _now(), limit, timeout)

    def deliver(delivery_id: int) -> object:
        return deliveries.deliver(
            SqlUnitOfWork(store), delivery_id, notify_sender(), _now(), random.random(),
            claim_timeout=timeout,
        )  # fmt: skip

    def watch() -> object:
        # Alerts it raises write deliveries: the queue wakes after the commit.
        woken = SqlUnitOfWork(store, after_commit=lambda: job_queue(url).wake())
        return tiles.watch_health(woken, _now())

    return jobs.JobQueue(jobs.huey_for(url), jobs.Work(due=due, deliver=deliver, watch=watch))
