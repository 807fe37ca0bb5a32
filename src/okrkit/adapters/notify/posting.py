"""One POST to a receiver and what its answer means — shared by the webhook and Slack
channels, which differ only in the body they send.

Whatever the receiver does — refuse the connection, not exist in DNS, fail the TLS
handshake, hang, redirect, answer 500 or a megabyte of HTML — comes back as an
`Outcome` that says so in words and names the host. Never the whole address: a Slack
incoming webhook's path is its secret, and an outcome is kept in the delivery log.
"""

from __future__ import annotations

import re
import socket
import ssl
import time
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from importlib import metadata
from urllib.parse import urlsplit

import httpx

from okrkit.domain.notifications import Outcome

__all__ = [
    "EXCERPT_CHARS",
    "USER_AGENT",
    "describe_failure",
    "excerpt",
    "host_of",
    "post",
    "retry_after",
    "timed",
]

# The most of a receiver's answer an outcome quotes (in characters), and the most of it
# that is read at all (in bytes): a receiver can't fill the delivery log or the memory.
EXCERPT_CHARS = 200
_READ_BYTES = 4096
# A Retry-After beyond this is read as this (the retry rule caps far lower anyway); it
# keeps an absurd number from overflowing a timedelta.
_RETRY_AFTER_MAX = timedelta(days=365)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _version() -> str:
    try:
        return metadata.version("okrkit")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "0"


# Who is calling, so a receiver's logs can tell okrkit's requests from others.
USER_AGENT = f"okrkit/{_version()} (notifications)"


def host_of(url: str) -> str:
    """The host (and a port that is not the scheme's default) an address names — what an
    outcome calls the receiver; never the path, the query or a user's password."""
    try:
        parts = urlsplit(url)
    except ValueError:  # an IPv6 host without its closing bracket
        return "the receiver"
    netloc = parts.netloc.rpartition("@")[2]
    try:
        port = parts.port
    except ValueError:  # a port that is no number or beyond 65535: say it as written
        return netloc or "the receiver"
    host = parts.hostname
    if not host:
        return "the receiver"
    if ":" in host:
        host = f"[{host}]"
    return f"{host}:{port}" if port is not None else host


def excerpt(body: bytes) -> str:
    """The start of an answer's body as one line of at most `EXCERPT_CHARS` characters
    (control characters and runs of spaces made one space; '…' when cut)."""
    text = " ".join(_CONTROL.sub(" ", body.decode("utf-8", errors="replace")).split())
    if len(text) <= EXCERPT_CHARS:
        return text
    return text[: EXCERPT_CHARS - 1] + "…"


def retry_after(value: str | None, now: datetime) -> timedelta | None:
    """How long the receiver asked to wait: `Retry-After` as seconds (`120`) or an HTTP
    date (`Wed, 21 Oct 2026 07:28:00 GMT`, a date past being no wait); None when absent
    or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return min(timedelta(seconds=int(value[:12])), _RETRY_AFTER_MAX)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # an HTTP date is always GMT
        when = when.replace(tzinfo=UTC)
    return min(max(when - now, timedelta(0)), _RETRY_AFTER_MAX)


def _causes(error: BaseException) -> list[BaseException]:
    """The error and the errors it was raised from, outermost first (httpx wraps
    httpcore's error, which wraps the socket's or the TLS library's)."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def describe_failure(error: BaseException, host: str, timeout: float) -> str:
    """What went wrong talking to `host`, in words, from the error the attempt raised
    (an httpx error, or the socket's or TLS library's own for SMTP)."""
    chain = _causes(error)
    for cause in chain:
        if isinstance(cause, socket.gaierror):
            return f"{host} could not be found (DNS: {cause.strerror or cause})"
        if isinstance(cause, ssl.SSLCertVerificationError):
            reason = cause.verify_message or cause.reason or str(cause)
            return f"the TLS certificate of {host} was not accepted: {reason}"
        if isinstance(cause, ssl.SSLError):
            return f"the TLS handshake with {host} failed: {cause.reason or cause}"
        if isinstance(cause, ConnectionRefusedError):
            return f"{host} refused the connection (nothing listens there)"
    seconds = f"{timeout:g} s"
    if isinstance(error, httpx.ConnectTimeout):
        return f"{host} did not accept a connection within {seconds}"
    if isinstance(error, httpx.ReadTimeout):
        return f"{host} did not answer within {seconds}"
    if isinstance(error, httpx.WriteTimeout):
        return f"{host} did not take the message within {seconds}"
    if isinstance(error, httpx.TimeoutException | TimeoutError):
        return f"{host} timed out after {seconds}"
    if isinstance(error, httpx.RemoteProtocolError):
        return f"{host} closed the connection without a valid HTTP answer ({error})"
    if isinstance(error, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return f"the address of {host} is not a web address okrkit can post to ({error})"
    for cause in chain:
        if isinstance(cause, ConnectionResetError):
            return f"{host} reset the connection"
        if isinstance(cause, OSError) and cause.strerror:
            return f"could not talk to {host}: {cause.strerror}"
    return f"could not talk to {host}: {error or type(error).__name__}"


def _status_words(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _answer(response: httpx.Response, body: bytes, host: str, now: datetime) -> Outcome:
    """The outcome of an answer: 2xx delivered, 410 gone, anything else a failure that
    names the status, quotes the start of the body and carries any `Retry-After`."""
    status = response.status_code
    if 200 <= status < 300:
        return Outcome(delivered=True, status=status)
    said = f"{host} answered {_status_words(status)}"
    if 300 <= status < 400:
        location = excerpt(response.headers.get("location", "").encode())
        where = f" to {location}" if location else ""
        error = (
            f"{said}, a redirect{where}; redirects are not followed: "
            "change the subscription's address to where it points"
        )
    elif status == 410:
        error = f"{said}: the endpoint is gone and takes no more messages"
    else:
        quoted = excerpt(body)
        error = f"{said}: {quoted}" if quoted else said
    return Outcome(
        delivered=False,
        status=status,
        error=error,
        retry_after=retry_after(response.headers.get("retry-after"), now),
        gone=status == 410,
    )


def _read_some(response: httpx.Response, deadline: float) -> bytes:
    """At most `_READ_BYTES` of the answer's body, and no more once the deadline passed:
    enough to quote it, and a receiver that streams forever can't hold the worker."""
    body = b""
    for chunk in response.iter_raw():
        body += chunk
        if len(body) >= _READ_BYTES or time.monotonic() > deadline:
            break
    return body[:_READ_BYTES]


def post(
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    timeout: float,
    client: httpx.Client | None = None,
) -> Outcome:
    """POST `body` to `url` once — no redirect followed, each step bounded by `timeout`
    seconds — and say what came of it, with how long it took. Raises nothing a receiver
    can cause. With no `client`, a fresh one is used and closed."""
    started = time.monotonic()
    host = host_of(url)
    own = client is None
    http = httpx.Client() if client is None else client
    try:
        with http.stream(
            "POST",
            url,
            content=body,
            headers={"user-agent": USER_AGENT, **headers},
            timeout=timeout,
            follow_redirects=False,
        ) as response:
            answered = datetime.now(UTC)
            read = b"" if response.is_success else _read_some(response, started + 2 * timeout)
            outcome = _answer(response, read, host, answered)
    except (httpx.HTTPError, httpx.InvalidURL, OSError, ssl.SSLError) as error:
        outcome = Outcome(delivered=False, error=describe_failure(error, host, timeout))
    finally:
        if own:
            http.close()
    return timed(outcome, started)


def timed(outcome: Outcome, started: float) -> Outcome:
    """The outcome with how long the attempt took since `started` (a `time.monotonic()`
    reading), in milliseconds."""
    return replace(outcome, duration_ms=round((time.monotonic() - started) * 1000))
