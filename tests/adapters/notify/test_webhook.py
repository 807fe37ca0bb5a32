"""The generic webhook through `send`, against a real HTTP server on loopback: signed as
Standard Webhooks says (checked by the `standardwebhooks` verifier), the same id on
every attempt, and every answer or failure an outcome in words."""

from __future__ import annotations

import base64
import json
import time
from datetime import timedelta

import httpx
import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from okrkit.adapters.notify import NotifySettings, new_secret, send
from okrkit.domain.notifications import Channel
from tests.adapters.notify.conftest import Receiver
from tests.support.notices import notice

SECRET = new_secret()


def test_a_webhook_is_signed_as_standard_webhooks_says(receiver: Receiver, settings):
    sent = notice()
    outcome = send(sent, Channel.WEBHOOK, receiver.url("/ok/signed"), SECRET, settings)

    assert outcome.delivered, outcome.error
    assert outcome.status == 200
    assert outcome.error == ""
    assert outcome.duration_ms >= 0
    (request,) = receiver.bodies("/ok/signed")
    headers = {k.lower(): v for k, v in request.headers.items()}
    assert headers["webhook-id"] == sent.message_id
    assert headers["content-type"] == "application/json"
    assert abs(int(headers["webhook-timestamp"]) - time.time()) < 60
    assert headers["webhook-signature"].startswith("v1,")
    document = Webhook(SECRET).verify(request.body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(request.body, headers)
    assert document["type"] == "alert.opened"
    assert document["timestamp"] == "2026-08-12T09:00:00Z"


def test_the_payload_holds_the_notice_with_whole_links_and_no_chart(receiver, settings):
    sent = notice()
    send(sent, Channel.WEBHOOK, receiver.url("/ok/payload"), SECRET, settings)

    data = json.loads(receiver.bodies("/ok/payload")[0].body)["data"]
    assert data["link"] == "https://okrkit.example.com/alerts/12"
    assert data["kpi_link"] == "https://okrkit.example.com/kpis/trial_to_paid"
    assert data["draft_objective"] == "https://okrkit.example.com/objectives/41"
    assert "chart" not in data
    assert data["message_id"] == sent.message_id
    assert data["event"] == "alert.opened"
    assert data["value"] == 8.2
    assert data["value_at"] == "2026-08-11T09:00:00Z"
    assert data["summary"] == sent.summary
    assert data["kpi_key"] == "trial_to_paid"


def test_a_number_json_cannot_carry_is_null(receiver, settings):
    send(notice(value=float("nan")), Channel.WEBHOOK, receiver.url("/ok/nan"), SECRET, settings)

    assert json.loads(receiver.bodies("/ok/nan")[0].body)["data"]["value"] is None


def test_a_retry_carries_the_same_webhook_id(receiver, settings):
    sent = notice()
    first = send(sent, Channel.WEBHOOK, receiver.url("/flaky/retry"), SECRET, settings)
    second = send(sent, Channel.WEBHOOK, receiver.url("/flaky/retry"), SECRET, settings)

    assert not first.delivered
    assert first.status == 500
    assert first.error == (
        "127.0.0.1:{} answered 500 Internal Server Error: "
        "<h1>Internal Server Error</h1> <p>try again</p>"
    ).format(receiver.base.rsplit(":", 1)[1])
    assert second.delivered
    ids = [r.headers["webhook-id"] for r in receiver.bodies("/flaky/retry")]
    assert ids == [sent.message_id, sent.message_id]
    for request in receiver.bodies("/flaky/retry"):
        Webhook(SECRET).verify(request.body, request.headers)


def test_a_410_says_the_endpoint_is_gone(receiver, settings):
    outcome = send(notice(), Channel.WEBHOOK, receiver.url("/gone"), SECRET, settings)

    assert not outcome.delivered
    assert outcome.gone
    assert outcome.status == 410
    assert "410 Gone" in outcome.error
    assert "127.0.0.1" in outcome.error


def test_a_429_carries_its_retry_after(receiver, settings):
    outcome = send(notice(), Channel.WEBHOOK, receiver.url("/busy"), SECRET, settings)

    assert not outcome.delivered
    assert not outcome.gone
    assert outcome.status == 429
    assert outcome.retry_after == timedelta(seconds=120)
    assert "429 Too Many Requests: rate_limited" in outcome.error


def test_a_redirect_is_not_followed(receiver, settings):
    outcome = send(notice(), Channel.WEBHOOK, receiver.url("/moved"), SECRET, settings)

    assert not outcome.delivered
    assert outcome.status == 301
    assert "redirects are not followed" in outcome.error
    assert "https://hooks.example.com/new" in outcome.error
    assert len(receiver.bodies("/moved")) == 1


def test_a_long_answer_is_quoted_in_at_most_200_characters(receiver, settings):
    outcome = send(notice(), Channel.WEBHOOK, receiver.url("/chatty"), SECRET, settings)

    assert outcome.status == 500
    quoted = outcome.error.split(": ", 1)[1]
    assert len(quoted) <= 200
    assert quoted.endswith("…")


def test_a_slow_endpoint_gives_up_at_the_timeout(receiver, settings):
    started = time.monotonic()
    outcome = send(notice(), Channel.WEBHOOK, receiver.url("/slow"), SECRET, settings)
    elapsed = time.monotonic() - started

    assert elapsed < settings.timeout + 1.0
    assert not outcome.delivered
    assert outcome.status is None
    assert outcome.error == f"{receiver.base.removeprefix('http://')} did not answer within 1 s"
    assert 900 <= outcome.duration_ms < 2000


def test_an_endpoint_that_is_down_is_named(down_url, settings):
    outcome = send(notice(), Channel.WEBHOOK, down_url, SECRET, settings)

    host = down_url.removeprefix("http://").removesuffix("/hook")
    assert not outcome.delivered
    assert outcome.status is None
    assert outcome.error == f"{host} refused the connection (nothing listens there)"


def test_a_webhook_without_a_secret_is_not_sent(receiver, settings):
    outcome = send(notice(), Channel.WEBHOOK, receiver.url("/ok/unsigned"), None, settings)

    assert not outcome.delivered
    assert "no signing secret" in outcome.error
    assert receiver.bodies("/ok/unsigned") == []


def test_a_secret_that_is_not_base64_is_said_and_never_quoted(receiver, settings):
    outcome = send(notice(), Channel.WEBHOOK, receiver.url("/ok/bad"), "whsec_a", settings)

    assert not outcome.delivered
    assert "not a valid Standard Webhooks secret" in outcome.error
    assert "whsec_a" not in outcome.error


def test_a_target_that_is_no_web_address_is_an_outcome(settings):
    outcome = send(notice(), Channel.WEBHOOK, "ftp://example.com/hook", SECRET, settings)

    assert not outcome.delivered
    assert "not a web address" in outcome.error


def test_a_client_given_is_used_and_left_open(receiver, settings):
    with httpx.Client() as client:
        for _ in range(2):
            outcome = send(
                notice(),
                Channel.WEBHOOK,
                receiver.url("/ok/pooled"),
                SECRET,
                settings,
                client=client,
            )
            assert outcome.delivered
        assert not client.is_closed


def test_the_settings_timeout_holds_for_a_client_given(receiver):
    settings = NotifySettings(timeout=0.5)
    with httpx.Client(timeout=30) as client:
        started = time.monotonic()
        outcome = send(
            notice(), Channel.WEBHOOK, receiver.url("/slow"), SECRET, settings, client=client
        )
    assert time.monotonic() - started < 1.5
    assert "did not answer within 0.5 s" in outcome.error


def test_a_new_secret_is_24_random_bytes_in_the_standard_form():
    first, second = new_secret(), new_secret()

    assert first.startswith("whsec_")
    assert len(base64.b64decode(first.removeprefix("whsec_"), validate=True)) == 24
    assert first != second
    Webhook(first)  # the verifier takes it
