"""What a receiver's answer or failure means, shared by the webhook and Slack channels:
`Retry-After` in both its forms, a quoted body bounded, the host named, and the failures
no loopback server can stage (an unknown host) told from the error chain they raise."""

from __future__ import annotations

import socket
import ssl
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from okrkit.adapters.notify import send
from okrkit.adapters.notify.posting import (
    EXCERPT_CHARS,
    describe_failure,
    excerpt,
    host_of,
    retry_after,
)
from okrkit.adapters.notify.webhook import new_secret
from okrkit.domain.notifications import Channel
from tests.support.notices import notice

NOW = datetime(2026, 10, 21, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "wait"),
    [
        ("120", timedelta(seconds=120)),
        (" 0 ", timedelta(0)),
        ("Wed, 21 Oct 2026 07:28:00 GMT", timedelta(minutes=28)),
        ("Wed, 21 Oct 2026 06:00:00 GMT", timedelta(0)),
        ("99999999999999999999", timedelta(days=365)),
        ("-5", None),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_reads_seconds_and_http_dates(header, wait):
    assert retry_after(header, NOW) == wait


def test_an_excerpt_is_one_line_of_at_most_200_characters():
    assert excerpt(b"  bad\r\n\tthing \x00 here ") == "bad thing here"
    long = excerpt("é".encode() * 10_000)
    assert len(long) == EXCERPT_CHARS
    assert long.endswith("…")
    assert excerpt(b"\xff\xfe broken") == "\ufffd\ufffd broken"


def test_the_host_is_named_never_the_whole_address():
    assert host_of("https://hooks.slack.com/services/T0/B0/SECRET") == "hooks.slack.com"
    assert host_of("http://127.0.0.1:8123/hook?token=x") == "127.0.0.1:8123"
    assert host_of("http://user:pw@[::1]:8080/x") == "[::1]:8080"
    assert host_of("http://hooks.example.com:99999/x") == "hooks.example.com:99999"
    assert host_of("http://[::1") == "the receiver"


@pytest.mark.parametrize("target", ["http://[::1", "http://127.0.0.1:1/\x7f"])
def test_an_address_httpx_cannot_read_is_an_outcome(target, settings):
    outcome = send(notice(), Channel.WEBHOOK, target, new_secret(), settings)

    assert not outcome.delivered
    assert "not a web address okrkit can post to" in outcome.error


def _raised(error: BaseException, cause: BaseException) -> BaseException:
    try:
        raise error from cause
    except BaseException as raised:  # the chain as httpx leaves it
        return raised


def test_an_unknown_host_is_said_to_be_unknown():
    error = _raised(
        httpx.ConnectError("[Errno -2] Name or service not known"),
        socket.gaierror(socket.EAI_NONAME, "Name or service not known"),
    )
    assert describe_failure(error, "hooks.example.invalid", 10) == (
        "hooks.example.invalid could not be found (DNS: Name or service not known)"
    )


def test_a_certificate_not_trusted_is_said_so():
    bad = ssl.SSLCertVerificationError(1, "certificate verify failed")
    bad.verify_message = "self-signed certificate"
    error = _raised(httpx.ConnectError("certificate verify failed"), bad)
    assert describe_failure(error, "hooks.example.com", 10) == (
        "the TLS certificate of hooks.example.com was not accepted: self-signed certificate"
    )


def test_a_tls_handshake_with_a_plain_http_server_fails_in_words(receiver, settings):
    address = receiver.url("/ok/tls").replace("http://", "https://")
    outcome = send(notice(), Channel.WEBHOOK, address, new_secret(), settings)

    assert not outcome.delivered
    host = receiver.base.removeprefix("http://")
    assert outcome.error.startswith(f"the TLS handshake with {host} failed: ")
