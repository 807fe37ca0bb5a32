"""`python -m okrkit.interfaces.web.serving` (what `okrkit serve` runs): it says it is
serving only once a request is answered, however long the workers take to start, and
never when another server holds the port."""

from __future__ import annotations

import os
import socket
import sys

import httpx
import pytest

from okrkit.interfaces.web.serving import beyond_loopback
from tests.support.servers import Server, free_port

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVING = "okrkit is serving on "
# Long enough that an early "serving" line would meet a request left unanswered.
DELAY_SECONDS = 4


def _serving(port: int, workers: int, delay: float) -> Server:
    """The serving module on an app that takes `delay` seconds to build."""
    return Server(
        [sys.executable, "-m", "okrkit.interfaces.web.serving", "--port", str(port),
         "--workers", str(workers), "--app", "tests.support.servers:slow_app"],
        {**os.environ, "OKRKIT_TEST_APP_DELAY": str(delay)},
        cwd=ROOT,
    )  # fmt: skip


@pytest.mark.parametrize("workers", [1, 2], ids=["one-process", "two-workers"])
def test_it_says_it_is_serving_once_a_request_is_answered(workers):
    port = free_port()
    server = _serving(port, workers, DELAY_SECONDS)
    try:
        line = server.wait_for(SERVING)
        assert line == f"{SERVING}http://127.0.0.1:{port}  (Ctrl+C stops it)"
        # At once: an answer within a second, where an early line would leave the
        # request waiting for the slow app.
        assert httpx.get(f"http://127.0.0.1:{port}/", timeout=1).json() == {"served": "yes"}
        assert server.stop() == 0, server.output
    finally:
        server.kill()
    assert [line for line in server.lines if SERVING in line] == [line]
    assert server.lines[-1] == "okrkit stopped"


def test_it_never_says_so_when_another_server_holds_the_port():
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        server = _serving(port, 1, 0)
        try:
            status = server.process.wait(timeout=60)
            server.wait_for("address already in use")
        finally:
            server.kill()
    assert status != 0
    assert SERVING not in server.output


@pytest.mark.parametrize(
    ("host", "beyond"),
    [
        ("127.0.0.1", False),
        ("127.0.1.1", False),
        ("::1", False),
        ("[::1]", False),
        ("localhost", False),
        ("0.0.0.0", True),
        ("::", True),
        ("192.168.1.5", True),
        ("10.0.0.7", True),
        ("fe80::1", True),
        ("okrkit.invalid", True),  # a name not found is not known to be loopback
    ],
)
def test_beyond_loopback_is_every_address_but_this_machines_own(host, beyond):
    assert beyond_loopback(host) is beyond
