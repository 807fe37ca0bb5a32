"""Webhook receivers for tests: real HTTP servers on a free loopback port, each
answering its script of answers (the last one repeated) and keeping every request it
took. Stopped by the test that started them."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["Answer", "Receiver", "Request", "receiver"]


@dataclass(frozen=True)
class Answer:
    """What the receiver answers to one request: a status, headers, after `delay`
    seconds."""

    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0


@dataclass(frozen=True)
class Request:
    """One request the receiver took."""

    path: str
    headers: dict[str, str]
    body: bytes
    at: float


@dataclass
class Receiver:
    """A running receiver: its address, and the requests it took so far."""

    url: str
    requests: list[Request] = field(default_factory=list)

    def wait_for(self, count: int, timeout: float = 30) -> list[Request]:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count:
            assert time.monotonic() < deadline, f"{len(self.requests)} of {count} requests"
            time.sleep(0.02)
        return list(self.requests)


@contextmanager
def receiver(answers: Sequence[Answer] = (Answer(),)) -> Iterator[Receiver]:
    """A webhook receiver on 127.0.0.1 answering `answers` in turn (the last one to
    every later request)."""
    script = list(answers)
    lock = threading.Lock()
    taken: list[Request] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length)
            with lock:
                answer = script[min(len(taken), len(script) - 1)]
                taken.append(
                    Request(self.path, {k.lower(): v for k, v in self.headers.items()}, body,
                            time.monotonic())
                )  # fmt: skip
            time.sleep(answer.delay)
            self.send_response(answer.status)
            for name, value in answer.headers:
                self.send_header(name, value)
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Receiver(f"http://127.0.0.1:{server.server_address[1]}/hook", taken)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
