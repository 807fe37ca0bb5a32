"""huey's consumer in the foreground: several worker threads, a scheduler for the
periodic dispatch, stopped cleanly by Ctrl+C (finishing what it is sending) or SIGTERM
(at once: a delivery cut off mid-send is sent again after its claim times out)."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable

from huey.consumer import Consumer, ConsumerStopped

from okrkit.adapters.jobs.queue import JobQueue

__all__ = ["STOP_SIGNALS", "run_consumer"]

STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def run_consumer(
    queue: JobQueue,
    threads: int,
    *,
    parent: int | None = None,
    started: Callable[[], None] | None = None,
) -> None:
    """Consume `queue` with `threads` worker threads until SIGINT (graceful: the tasks
    under way finish) or SIGTERM (at once), or — `parent` given — until that process
    is gone (a consumer never outlives the server that started it).

    A dispatch is queued first, so what fell due while no consumer ran goes out now.
    Stop signals that were blocked by whoever started this process are taken once the
    consumer's handlers are in place (a stop that came early is not lost)."""
    consumer = Consumer(
        queue.huey,
        workers=threads,
        worker_type="thread",
        periodic=True,
        # A wake-up is taken within a second, idle threads poll once a second.
        initial_delay=0.05,
        backoff=1.5,
        max_delay=1.0,
        check_worker_health=True,
        health_check_interval=5,
    )
    queue.wake()
    consumer.start()
    # SIGHUP restarts huey's consumer by re-running argv; okrkit's stops as a terminal's
    # hang-up stops any command.
    signal.signal(signal.SIGHUP, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    if started is not None:
        started()
    while True:
        try:
            consumer.loop()
        except ConsumerStopped:
            break
        if parent is not None and os.getppid() != parent:
            consumer.stop(graceful=True)
    queue.close()
