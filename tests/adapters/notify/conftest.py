"""Real receivers on loopback for the notification channels: an HTTP server whose paths
answer as webhook endpoints do (fine, failing once, gone, rate limited, slow, redirecting,
chatty), a free port nothing listens on, and SMTP servers (aiosmtpd) that keep what they
are sent or refuse the recipient. Each is started by its fixture and stopped in its
finaliser."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from okrkit.adapters.notify import NotifySettings
from tests.support.servers import free_port

# How long the slow endpoint takes to answer: well beyond the tests' 1 s timeout.
SLOW_SECONDS = 5.0


@dataclass
class Received:
    """One request the HTTP server got."""

    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """The HTTP server: its address and what it got."""

    base: str
    requests: list[Received] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path

    def bodies(self, path: str) -> list[Received]:
        return [r for r in self.requests if r.path == path]


def _handler(receiver: Receiver, stop: threading.Event) -> type[BaseHTTPRequestHandler]:
    failed_once: set[str] = set()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet: the tests' output is theirs

        def _answer(self, status: int, body: bytes = b"", **headers: str) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", "0"))
            body = self.rfile.read(length)
            with lock:
                receiver.requests.append(Received(self.path, dict(self.headers.items()), body))
            kind = self.path.strip("/").split("/")[0]
            if kind == "ok":
                self._answer(200, b"ok")
            elif kind == "flaky":
                with lock:
                    first = self.path not in failed_once
                    failed_once.add(self.path)
                if first:
                    self._answer(500, b"<h1>Internal Server Error</h1>\n<p>try again</p>")
                else:
                    self._answer(200, b"ok")
            elif kind == "gone":
                self._answer(410, b"no_service")
            elif kind == "busy":
                self._answer(429, b"rate_limited", Retry_After="120")
            elif kind == "slow":
                stop.wait(SLOW_SECONDS)
                self._answer(200, b"ok")
            elif kind == "moved":
                self._answer(301, b"", Location="https://hooks.example.com/new")
            elif kind == "chatty":
                self._answer(500, b"x" * 1_000_000)
            else:
                self._answer(404, b"not found")

    return Handler


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    """A threaded HTTP server on a free loopback port, stopped after the module."""
    stop = threading.Event()
    receiver = Receiver(base="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver, stop))
    server.daemon_threads = True
    receiver.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="webhook-receiver", daemon=True)
    thread.start()
    yield receiver
    stop.set()  # releases a slow answer still waiting
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def down_url() -> str:
    """An address on a free loopback port: nothing listens there."""
    return f"http://127.0.0.1:{free_port()}/hook"


@pytest.fixture
def settings() -> NotifySettings:
    """Settings with a 1 s timeout and a public address of its own."""
    return NotifySettings(base_url="https://okrkit.example.com/", timeout=1.0)


class Mailbox:
    """An aiosmtpd handler that keeps every message it is given, or refuses every
    recipient when `refuse` is set."""

    def __init__(self, refuse: str | None = None) -> None:
        self.refuse = refuse
        self.envelopes: list[Envelope] = []

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _smtp(handler: Mailbox) -> Iterator[tuple[Mailbox, int]]:
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    """A real SMTP server on loopback that keeps the messages: (mailbox, port)."""
    yield from _smtp(Mailbox())


@pytest.fixture
def refusing_smtp_server() -> Iterator[tuple[Mailbox, int]]:
    """A real SMTP server on loopback that refuses every recipient with a 550."""
    yield from _smtp(Mailbox(refuse="550 5.1.1 No such user here"))
