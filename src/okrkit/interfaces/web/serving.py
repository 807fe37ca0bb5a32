"""How `okrkit serve` runs the web app: uvicorn, one process per request worker.

With several workers, the process that prepared the workspace (upgraded the database,
loaded the demo: SQLAlchemy, Alembic, the demo's data) becomes a fresh interpreter
running `main` here, which imports uvicorn alone and only watches the workers; each
worker imports and builds the app itself (`workspace_app`). The server's memory is then
the workers' and a small supervisor's, not a second copy of everything the preparation
loaded. Its process id stays the one `okrkit serve` started with.

Beside the web workers, the process that serves starts the job queue's consumer (unless
told `--jobs 0`): `okrkit worker` as a process of its own, in a process group of its own
— a process, not a thread, so sending notifications never competes with answering pages
for an interpreter, and a crash of one never takes the other down. The server owns its
lifetime: it is started before the web workers, told to stop (Ctrl+C, then SIGKILL if
it lingers) when the server stops, and it stops by itself if the server vanishes.

Whichever process serves says `okrkit is serving on http://HOST:PORT` once, when the
server answers a request (a thread asks `HEAD /` until it does: an answer, not merely
an accepted connection, whenever the server starts listening), and `okrkit stopped`
when Ctrl+C (SIGINT, to the process or its whole process group) or SIGTERM has stopped
it; the exit status is then 0. Both signals stay blocked across `os.execv`, so one that
arrives while the new interpreter starts is not lost.

    python -m okrkit.interfaces.web.serving --host H --port P --workers N [--jobs T]
                                            [--app MODULE:FACTORY]
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import signal
import socket
import subprocess
import sys
import threading
import time

__all__ = [
    "ALLOWED_HOSTS_VARIABLE",
    "APP",
    "MAX_DEFAULT_WORKERS",
    "STOP_SIGNALS",
    "WORKER_PARENT_VARIABLE",
    "beyond_loopback",
    "default_workers",
    "main",
    "no_admin",
    "run",
    "serving_url",
    "supervise",
]

APP = "okrkit.interfaces.web.app:workspace_app"
# Workers by default: one per core the process may use, at most this many (each holds
# its own copy of the app, about 100 MB).
MAX_DEFAULT_WORKERS = 4
# The variable `okrkit serve` names the hosts its workers accept in (see `app.allowed_hosts`).
ALLOWED_HOSTS_VARIABLE = "OKRKIT_ALLOWED_HOSTS"
# What stops the server: Ctrl+C and the polite kill.
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}
# The variable that tells the `okrkit worker` a server starts which process it serves
# beside (it stays quiet, and stops when that process is gone).
WORKER_PARENT_VARIABLE = "OKRKIT_WORKER_PARENT"
# How long a stopping server waits for its worker to finish the sends under way.
WORKER_STOP_SECONDS = 10


def default_workers() -> int:
    """One worker per CPU core this process may run on, at most `MAX_DEFAULT_WORKERS`."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_DEFAULT_WORKERS))


def beyond_loopback(host: str) -> bool:
    """Whether serving on `host` lets other machines in: any address but loopback's
    (127.0.0.0/8, ::1, a name for them such as localhost) — 0.0.0.0 and :: are every
    address the machine has."""
    try:
        return not ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a name: beyond unless every address it names is loopback's
        pass
    try:
        found = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
    except OSError:
        return True  # not resolved here: serving will say so; assume the worst
    return not found or not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in found)


def no_admin(host: str) -> str:
    """Why `okrkit serve` will not listen beyond this machine yet."""
    return (
        f"okrkit serve will not listen on {host}, beyond this machine, while no admin can "
        "sign in: add one first with `okrkit user add EMAIL --admin` (it asks for a "
        "password), or serve on 127.0.0.1 to sign in once with the link it prints"
    )


def serving_url(host: str, port: int) -> str:
    """The address people open: `http://HOST:PORT` (an IPv6 host in brackets)."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def run(host: str, port: int, workers: int, app: str = APP, jobs: int = 0) -> None:
    """Serve `app` (an import string of a factory) until interrupted, with a job
    consumer of `jobs` threads beside it (none for 0); say where once it answers, and
    say that it stopped."""
    lines = _Lines()
    consumer: list[subprocess.Popen[bytes]] = []
    try:
        # SIGTERM stops the server as Ctrl+C does: Uvicorn shuts down gracefully on
        # either, then raises it again, which is then a KeyboardInterrupt it catches.
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        # Blocked by `supervise` across os.execv: one that arrived since is taken here.
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
        if not _accepts(host, port):  # else another server has the port; Uvicorn says so
            threading.Thread(
                target=_announce_when_answering, args=(host, port, lines), daemon=True
            ).start()
        if jobs > 0:
            _start_worker(jobs, consumer)
        if workers > 1:
            _ctrl_c_to_the_supervisor_alone()
        import uvicorn

        uvicorn.run(app, factory=True, host=host, port=port, workers=workers, log_level="warning")
    except KeyboardInterrupt:
        pass  # stopped before Uvicorn took over the signals: stopped all the same
    finally:
        for process in consumer:
            _stop_worker(process)
    lines.say_last("okrkit stopped")


def _start_worker(threads: int, started: list[subprocess.Popen[bytes]]) -> None:
    """Start `okrkit worker` in a process group of its own (a terminal's Ctrl+C reaches
    the server alone, which stops it in turn), with the stop signals blocked until its
    consumer's handlers are in place, so a stop during its start-up is never a
    traceback. Kept in `started` before the signals are unblocked here."""
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        started.append(
            subprocess.Popen(
                [sys.executable, "-m", "okrkit", "worker", "--threads", str(threads)],
                env={**os.environ, WORKER_PARENT_VARIABLE: str(os.getpid())},
                stdin=subprocess.DEVNULL,
                process_group=0,
            )
        )
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def _stop_worker(process: subprocess.Popen[bytes]) -> None:
    """Ctrl+C to the worker (it finishes the sends under way), then SIGKILL if it
    lingers: a send it cut off goes again once its claim times out."""
    # Blocked meanwhile: a second Ctrl+C must not leave the worker behind.
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=WORKER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


class _Lines:
    """Lines to stdout, none after the last (a late answer never follows "stopped")."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done = False

    def say(self, text: str) -> None:
        with self._lock:
            if not self._done:
                sys.stdout.write(text + "\n")
                sys.stdout.flush()

    def say_last(self, text: str) -> None:
        self.say(text)
        with self._lock:
            self._done = True


def _ctrl_c_to_the_supervisor_alone() -> None:
    """Start the workers with SIGINT blocked, so that a Ctrl+C, which a terminal sends to
    the whole process group, never interrupts one while it imports (a traceback each);
    the supervisor stops them (SIGTERM, gracefully) as it stops.

    A process inherits the signal mask of the thread that starts it: here the main
    thread, which starts every worker. Multiprocessing's resource tracker is started
    first, as the first worker would start it: starting it unblocks SIGINT in the
    starting thread. The supervisor still takes SIGINT, in a thread of its own that
    leaves it unblocked (the handler then runs in the main thread, as every Python
    signal handler does)."""
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})

    def take_sigint() -> None:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        threading.Event().wait()

    threading.Thread(target=take_sigint, name="okrkit-sigint", daemon=True).start()


def _probe_address(host: str, port: int) -> tuple[str, int]:
    return {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host), port


def _accepts(host: str, port: int) -> bool:
    try:
        with socket.create_connection(_probe_address(host, port), timeout=1):
            return True
    except OSError:
        return False


def _announce_when_answering(host: str, port: int, lines: _Lines) -> None:
    """Ask `HEAD /` until the server answers, then say where it serves."""
    netloc = serving_url(host, port).removeprefix("http://")
    request = f"HEAD / HTTP/1.1\r\nHost: {netloc}\r\nConnection: close\r\n\r\n"
    while True:
        try:
            with socket.create_connection(_probe_address(host, port), timeout=1) as connection:
                # Connected: wait for the answer as long as a worker may take to start.
                connection.settimeout(60)
                connection.sendall(request.encode())
                if connection.recv(5) == b"HTTP/":
                    break
        except OSError:
            pass
        time.sleep(0.05)
    lines.say(f"okrkit is serving on {serving_url(host, port)}  (Ctrl+C stops it)")


def supervise(host: str, port: int, workers: int, app: str = APP, jobs: int = 0) -> None:
    """Serve with `workers` processes (and a job consumer of `jobs` threads); with more
    than one, this process first becomes a fresh interpreter running `main` (it never
    returns then)."""
    if workers <= 1:
        run(host, port, workers, app, jobs)
        return
    sys.stdout.flush()
    sys.stderr.flush()
    argv = [sys.executable, "-m", __name__, "--host", host, "--port", str(port)]
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        os.execv(
            sys.executable, [*argv, "--workers", str(workers), "--app", app, "--jobs", str(jobs)]
        )
    finally:  # only when execv failed
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m okrkit.interfaces.web.serving")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--app", default=APP)
    parser.add_argument("--jobs", type=int, default=0)
    args = parser.parse_args(argv)
    run(args.host, args.port, args.workers, args.app, args.jobs)


if __name__ == "__main__":
    main()
