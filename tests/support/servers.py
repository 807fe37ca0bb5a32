"""Servers as a user starts them: a real process on a free loopback port, its output read
line by line as it comes, stopped by its PID (or its process group, as a terminal's
Ctrl+C does), and what it left running looked for in /proc."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from fastapi import FastAPI

__all__ = ["Server", "children", "free_port", "running", "session_members", "slow_app"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name, or None when it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def running(pid: int) -> bool:
    """The process exists and is not a zombie (an exited child nobody reaped yet)."""
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def session_members(session: int) -> list[int]:
    """The running processes of a session (a process started in a new session leads it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields is not None and fields[0] != "Z" and int(fields[3]) == session:
                found.append(int(entry.name))
    return found


class Server:
    """A command that serves: started in a session of its own (so a signal to its
    process group reaches it and its workers, not the tests), its stdout and stderr
    read as they come."""

    def __init__(self, args: Sequence[str], env: dict[str, str], cwd: Path | None = None):
        self.process = subprocess.Popen(
            list(args),
            env={**env, "NO_COLOR": "1", "COLUMNS": "160"},
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        with self.process.stdout:
            for line in self.process.stdout:
                with self._changed:
                    self.lines.append(line.rstrip("\n"))
                    self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    @property
    def output(self) -> str:
        with self._changed:
            return "\n".join(self.lines)

    def wait_for(self, fragment: str, timeout: float = 90) -> str:
        """The first line holding `fragment`, as soon as it is printed."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in self.lines:
                    if fragment in line:
                        return line
                left = deadline - time.monotonic()
                assert self._reader.is_alive(), f"exited before {fragment!r}:\n{self.output}"
                assert left > 0, f"no {fragment!r} within {timeout} s:\n{self.output}"
                self._changed.wait(min(left, 0.5))

    def stop(self, sig: int = signal.SIGINT, group: bool = False, timeout: float = 30) -> int:
        """Send `sig` to the process (or its whole process group) and wait for it; its
        exit status."""
        if group:
            os.killpg(self.process.pid, sig)
        else:
            self.process.send_signal(sig)
        status = self.process.wait(timeout=timeout)
        self._reader.join(timeout=10)
        return status

    def left_running(self, pids: Sequence[int] = (), timeout: float = 10) -> list[int]:
        """Of `pids` and the members of its session, those still running after a few
        seconds (an orphan exits a moment after its parent)."""
        deadline = time.monotonic() + timeout
        while True:
            left = sorted({p for p in pids if running(p)} | set(session_members(self.process.pid)))
            if not left or time.monotonic() > deadline:
                return left
            time.sleep(0.1)

    def kill(self) -> None:
        """Whatever happened, nothing of it stays (the session's processes killed)."""
        for pid in session_members(self.process.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        self._reader.join(timeout=10)


def slow_app() -> FastAPI:
    """An app factory that takes OKRKIT_TEST_APP_DELAY seconds to build (a slow worker)."""
    time.sleep(float(os.environ.get("OKRKIT_TEST_APP_DELAY", "0")))
    app = FastAPI()

    @app.get("/")
    def home() -> dict[str, str]:
        return {"served": "yes"}

    return app
