"""A real PostgreSQL server for the test session: initdb in a temporary folder, a free
loopback port, stopped at the end. Debian's `postgresql` package provides the binaries
(`scripts/install-system-deps` installs it); as root, the server runs as the `postgres`
user, since PostgreSQL refuses to run as root."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PostgresServer", "find_bindir", "start"]


class PostgresUnavailable(RuntimeError):
    """PostgreSQL cannot be started here; the message says why and how to fix it."""


def find_bindir() -> Path:
    """The folder holding initdb and pg_ctl."""
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "initdb").exists():
            return Path(candidate)
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise PostgresUnavailable(
        "PostgreSQL's initdb was not found: install Debian's postgresql package "
        "(scripts/install-system-deps does, as root)"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PostgresServer:
    """A running server and the URL of its test database."""

    folder: Path
    bindir: Path
    port: int
    user: str | None

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/okrkit_test"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = list(args)
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)

    def stop(self) -> None:
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "stop"
        )
        shutil.rmtree(self.folder, ignore_errors=True)


def start() -> PostgresServer:
    """Start a throw-away server with a database `okrkit_test`; raise with the reason."""
    bindir = find_bindir()
    user = None
    if os.geteuid() == 0:
        user = "postgres"
        if subprocess.run(["id", user], capture_output=True, check=False).returncode != 0:
            raise PostgresUnavailable(
                "running as root and there is no 'postgres' user to run the server"
            )
    folder = Path(tempfile.mkdtemp(prefix="okrkit-pg-"))
    os.chmod(folder, 0o755)
    if user:
        shutil.chown(folder, user)
    server = PostgresServer(folder, bindir, _free_port(), user)
    init = server._run(
        str(bindir / "initdb"), "-D", str(folder / "data"), "-U", "postgres", "--auth=trust",
        "--no-sync", "-E", "UTF8", "--locale=C",
    )  # fmt: skip
    if init.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise PostgresUnavailable(f"initdb failed: {init.stderr.strip() or init.stdout.strip()}")
    options = (
        f"-p {server.port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off"
    )
    data, log = str(folder / "data"), str(folder / "log")
    started = server._run(
        str(bindir / "pg_ctl"), "-D", data, "-o", options, "-l", log, "-w", "-t", "60", "start"
    )
    if started.returncode != 0:
        log = (folder / "log").read_text() if (folder / "log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        raise PostgresUnavailable(
            f"the server did not start: {started.stderr.strip()} {log[-500:]}"
        )
    created = server._run(
        str(bindir / "createdb"),
        "-h",
        "127.0.0.1",
        "-p",
        str(server.port),
        "-U",
        "postgres",
        "okrkit_test",
    )
    if created.returncode != 0:
        server.stop()
        raise PostgresUnavailable(f"createdb failed: {created.stderr.strip()}")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", server.port)) == 0:
                return server
        time.sleep(0.1)
    server.stop()
    raise PostgresUnavailable("the server did not accept connections within 30 s")
