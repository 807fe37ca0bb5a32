"""`okrkit serve` as a user starts it: a real process on loopback, stopped by its PID."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from okrkit.interfaces.web.serving import MAX_DEFAULT_WORKERS, default_workers
from tests.cli.helpers import OKRKIT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.fixture(params=[1, 2], ids=["one-process", "two-workers"])
def served(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`okrkit serve --demo --workers N` on a free port of an empty SQLite workspace."""
    port = _free_port()
    env = {
        **os.environ,
        "OKRKIT_DATABASE_URL": f"sqlite:///{tmp_path / 'workspace.db'}",
        "NO_COLOR": "1",
        "COLUMNS": "160",
    }
    process = subprocess.Popen(
        [str(OKRKIT), "serve", "--demo", "--port", str(port), "--workers", str(request.param)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"okrkit serve exited with {process.returncode}")
            try:
                if httpx.get(base + "/", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("okrkit serve did not answer within 60 s")
            time.sleep(0.2)
        yield process, base
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                for child in _children(process.pid):
                    os.kill(child, signal.SIGKILL)
                process.kill()
                process.wait(timeout=10)


def test_serve_loads_the_demo_answers_and_stops_cleanly(served):
    process, base = served
    growth = httpx.get(base + "/teams/growth", timeout=30)
    assert growth.status_code == 200
    assert "Trial-to-paid conversion" in growth.text
    health = httpx.get(base + "/api/v1/kpis/trial_to_paid", timeout=30).json()["health"]
    assert health["status"] == "yellow"
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "loaded the demo workspace" in output
    assert f"okrkit is serving on {base}" in output
    assert "Traceback" not in output
    assert "leaked" not in output  # an extension's objects, kept out of the GC at exit


def test_serve_runs_the_workers_it_is_asked_for(tmp_path):
    port = _free_port()
    env = {**os.environ, "OKRKIT_DATABASE_URL": f"sqlite:///{tmp_path / 'workspace.db'}"}
    process = subprocess.Popen(
        [str(OKRKIT), "serve", "--port", str(port), "--workers", "3"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while len(_children(process.pid)) < 3:
            assert process.poll() is None, process.returncode
            assert time.monotonic() < deadline, "fewer than 3 workers after 60 s"
            time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


def test_several_workers_answer_under_a_small_supervisor(tmp_path):
    """With workers, the process `okrkit serve` started (same PID) has become a fresh
    interpreter that only watches them: none of what preparing the database loaded."""
    port = _free_port()
    env = {**os.environ, "OKRKIT_DATABASE_URL": f"sqlite:///{tmp_path / 'workspace.db'}"}
    process = subprocess.Popen(
        [str(OKRKIT), "serve", "--demo", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.returncode
            try:
                if httpx.get(f"http://127.0.0.1:{port}/kpis/trial_to_paid", timeout=5).is_success:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "no answer within 60 s"
            time.sleep(0.2)
        command = Path(f"/proc/{process.pid}/cmdline").read_bytes().split(b"\0")
        assert b"okrkit.interfaces.web.serving" in command
        workers = [
            child
            for child in _children(process.pid)
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes()
        ]  # besides multiprocessing's resource tracker
        assert len(workers) == 2
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    assert process.returncode == 0


def test_the_default_is_a_worker_per_core_up_to_four():
    cores = len(os.sched_getaffinity(0))
    assert default_workers() == max(1, min(cores, MAX_DEFAULT_WORKERS))
    assert MAX_DEFAULT_WORKERS == 4
