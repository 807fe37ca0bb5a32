"""How `okrkit serve` runs the web app: uvicorn, one process per request worker.

With several workers, the process that prepared the workspace (upgraded the database,
loaded the demo: SQLAlchemy, Alembic, the demo's data) becomes a fresh interpreter
running `main` here, which imports uvicorn alone and only watches the workers; each
worker imports and builds the app itself (`workspace_app`). The server's memory is then
the workers' and a small supervisor's, not a second copy of everything the preparation
loaded. Its process id stays the one `okrkit serve` started with.

    python -m okrkit.interfaces.web.serving --host H --port P --workers N [--app MODULE:FACTORY]
"""

from __future__ import annotations

import argparse
import os
import sys

__all__ = ["APP", "MAX_DEFAULT_WORKERS", "default_workers", "main", "run", "supervise"]

APP = "okrkit.interfaces.web.app:workspace_app"
# Workers by default: one per core the process may use, at most this many (each holds
# its own copy of the app, about 100 MB).
MAX_DEFAULT_WORKERS = 4


def default_workers() -> int:
    """One worker per CPU core this process may run on, at most `MAX_DEFAULT_WORKERS`."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_DEFAULT_WORKERS))


def run(host: str, port: int, workers: int, app: str = APP) -> None:
    """Serve `app` (an import string of a factory) until interrupted."""
    import uvicorn

    uvicorn.run(app, factory=True, host=host, port=port, workers=workers, log_level="warning")


def supervise(host: str, port: int, workers: int, app: str = APP) -> None:
    """Serve with `workers` processes; with more than one, this process first becomes a
    fresh interpreter running `main` (it never returns then)."""
    if workers <= 1:
        run(host, port, workers, app)
        return
    sys.stdout.flush()
    sys.stderr.flush()
    argv = [sys.executable, "-m", __name__, "--host", host, "--port", str(port)]
    os.execv(sys.executable, [*argv, "--workers", str(workers), "--app", app])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m okrkit.interfaces.web.serving")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--app", default=APP)
    args = parser.parse_args(argv)
    run(args.host, args.port, args.workers, args.app)


if __name__ == "__main__":
    main()
