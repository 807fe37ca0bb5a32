"""`okrkit worker`: the job queue's consumer in the foreground — it sends the
notifications the outbox holds — until Ctrl+C (the sends under way finish) or SIGTERM.

`okrkit serve` runs one too, as a process of its own beside its web workers, unless it
is given `--no-worker` (for deployments that run `okrkit worker` apart, on one machine
or several sharing a PostgreSQL workspace). Started by `serve`, it says nothing and
stops when the server does (`serving.WORKER_PARENT_VARIABLE` names the server's process).
"""

from __future__ import annotations

import os
import signal
from typing import Annotated

import typer

from okrkit import bootstrap
from okrkit.adapters.store.engine import database_url
from okrkit.interfaces.cli import context
from okrkit.interfaces.cli.output import console
from okrkit.interfaces.web.serving import WORKER_PARENT_VARIABLE

__all__ = ["DEFAULT_THREADS", "worker"]

DEFAULT_THREADS = 4
# Sending notifications is background work: the worker yields the processor to the
# pages and imports it shares a machine with (a dead endpoint's retries never slow them).
NICENESS = 10


def worker(
    threads: Annotated[
        int, typer.Option(min=1, max=64, help="Deliveries sent at once (worker threads).")
    ] = DEFAULT_THREADS,
) -> None:
    """Send notifications from the job queue until Ctrl+C or SIGTERM."""
    # Imported here, not at the top: every other command starts without huey.
    from okrkit.adapters.jobs import queue_place, run_consumer

    parent_text = os.environ.get(WORKER_PARENT_VARIABLE, "").strip()
    parent = int(parent_text) if parent_text.isdigit() else None
    say = parent is None  # started by `serve`: the server speaks
    # Until the consumer takes the signals, a stop ends the preparation quietly.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
        context.ready()
        if hasattr(os, "nice"):
            os.nice(NICENESS)
        bootstrap.notify_sender()  # a bad OKRKIT_SMTP_URL … is said now, not per delivery
        queue = bootstrap.job_queue()

        def started() -> None:
            if say:
                console.print(
                    f"okrkit worker: sending notifications with {threads} threads; queue: "
                    f"{queue_place(database_url())}  (Ctrl+C stops it)",
                    soft_wrap=True,
                    markup=False,
                )

        # Stop signals held back while the consumer starts: one that comes meanwhile is
        # taken by the consumer's own handlers once they are in place.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        run_consumer(queue, threads, parent=parent, started=started)
    except KeyboardInterrupt:
        pass
    if say:
        console.print("okrkit worker stopped")
