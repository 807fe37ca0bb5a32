"""Deliveries through the services, on SQLite and PostgreSQL, sent by the notify
adapters to real webhook receivers on loopback: delivered and signed; retried with
backoff after a refused connection or a 500, no sooner than a 429's Retry-After; a 410
switches its subscription off and gives up its other deliveries; a slow receiver never
holds a database lock; of two claims one wins; a consumer that died mid-send leaves a
claim that times out, and the message goes again under the same webhook-id."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime, timedelta

import pytest
from standardwebhooks.webhooks import Webhook

from okrkit.adapters.notify import NotifySettings, new_secret
from okrkit.adapters.sources.values.rows import ValueRow, ValueRows
from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.bootstrap import NotifySender
from okrkit.domain.errors import NotFound
from okrkit.domain.notifications import BACKOFF_BASE, MAX_ATTEMPTS, DeliveryState
from okrkit.services.deliveries import (
    CLAIM_TIMEOUT,
    deliver,
    delivery_log,
    due,
    subscription_log,
)
from okrkit.services.subscriptions import (
    CreateSubscription,
    create_subscription,
    list_subscriptions,
    switch_subscription,
)
from okrkit.services.values import import_values
from tests.support.actors import ADMIN, as_actor
from tests.support.outbox import NOW, delivery_rows, enqueue_alert, workspace
from tests.support.receivers import Answer, receiver
from tests.support.servers import free_port


@pytest.fixture
def sender():
    return NotifySender(NotifySettings(timeout=5.0))


@pytest.fixture
def growth(uow):
    workspace(uow, ("growth", "sales"))


def subscribe(uow, url, team=None):
    secret = new_secret()
    made = create_subscription(
        uow, CreateSubscription("webhook", url, team=team, secret=secret), as_actor("maya"), NOW
    )
    return made, secret


def only(engine):
    (row,) = delivery_rows(engine)
    return row


def test_delivered_once_signed_as_standard_webhooks_says(uow, engine, growth, sender):
    with receiver() as hook:
        _, secret = subscribe(uow, hook.url)
        enqueue_alert(uow, engine)
        (delivery_id,) = due(uow, NOW)
        result = deliver(uow, delivery_id, sender, NOW, 0.5)
        (request,) = hook.requests
    assert result is not None
    assert (result.state, result.attempts, result.outcome.status) == (
        DeliveryState.DELIVERED, 1, 200,
    )  # fmt: skip
    row = only(engine)
    assert row["state"] == "delivered"
    assert request.headers["webhook-id"] == row["message_id"]
    # The receiver's own check: the standardwebhooks verifier with the shared secret.
    body = Webhook(secret).verify(request.body, request.headers)
    assert body["type"] == "alert.opened"
    assert json.loads(request.body)["data"]["kpi_key"] == "growth_conversion"
    assert due(uow, NOW + timedelta(days=1)) == []
    assert deliver(uow, delivery_id, sender, NOW, 0.5) is None  # done: nothing sent again


def test_a_receiver_that_is_down_is_tried_again_with_backoff(uow, engine, growth, sender):
    subscribe(uow, f"http://127.0.0.1:{free_port()}/hook")
    enqueue_alert(uow, engine)
    (delivery_id,) = due(uow, NOW)
    result = deliver(uow, delivery_id, sender, NOW, 0.0)
    assert result is not None
    assert (result.state, result.attempts, result.outcome.status) == (
        DeliveryState.PENDING, 1, None,
    )  # fmt: skip
    waited = result.next_attempt_at - NOW
    assert BACKOFF_BASE / 2 <= waited < BACKOFF_BASE  # jitter 0: the lower half's start
    assert "127.0.0.1" in result.outcome.error
    assert due(uow, NOW + timedelta(seconds=1)) == []
    assert due(uow, result.next_attempt_at) == [delivery_id]


def test_a_500_then_a_200_is_delivered_on_the_second_attempt_with_the_same_id(
    uow, engine, growth, sender
):
    with receiver([Answer(500), Answer(200)]) as hook:
        subscribe(uow, hook.url)
        enqueue_alert(uow, engine)
        (delivery_id,) = due(uow, NOW)
        first = deliver(uow, delivery_id, sender, NOW, 0.3)
        assert first.state is DeliveryState.PENDING
        assert first.outcome.status == 500
        assert deliver(uow, delivery_id, sender, NOW + timedelta(seconds=1), 0.3) is None
        later = first.next_attempt_at + timedelta(seconds=1)
        second = deliver(uow, delivery_id, sender, later, 0.3)
        requests = hook.requests
    assert (second.state, second.attempts) == (DeliveryState.DELIVERED, 2)
    assert len({r.headers["webhook-id"] for r in requests}) == 1
    entry = delivery_log(uow, viewer=ADMIN).entries[0]
    assert (entry.state, entry.attempts, entry.last_status, entry.last_error) == (
        DeliveryState.DELIVERED, 2, 200, "",
    )  # fmt: skip
    assert entry.last_attempt_at == later
    assert entry.kpi == "growth_conversion"


def test_a_429_is_tried_again_no_sooner_than_its_retry_after(uow, engine, growth, sender):
    with receiver([Answer(429, (("Retry-After", "120"),))]) as hook:
        subscribe(uow, hook.url)
        enqueue_alert(uow, engine)
        (delivery_id,) = due(uow, NOW)
        result = deliver(uow, delivery_id, sender, NOW, 0.9)
    assert result.state is DeliveryState.PENDING
    assert result.outcome.retry_after == timedelta(seconds=120)
    assert result.next_attempt_at >= NOW + timedelta(seconds=120)
    assert due(uow, NOW + timedelta(seconds=119)) == []


def test_a_410_switches_its_subscription_off_and_gives_up_its_other_deliveries(
    uow, engine, growth, sender
):
    with receiver([Answer(410)]) as gone, receiver() as fine:
        switched, _ = subscribe(uow, gone.url, team="growth")
        other, _ = subscribe(uow, fine.url, team="growth")
        enqueue_alert(uow, engine, "growth")
        enqueue_alert(uow, engine, "growth")
        first_of_gone = next(r["id"] for r in delivery_rows(engine)
                             if r["subscription_id"] == switched.id)  # fmt: skip
        result = deliver(uow, first_of_gone, sender, NOW, 0.5)
        assert len(gone.requests) == 1
    assert result.state is DeliveryState.FAILED
    subscriptions = {s.id: s for s in list_subscriptions(uow, viewer=ADMIN)}
    off = subscriptions[switched.id]
    assert not off.enabled
    assert "answered 410 Gone" in off.disabled_reason
    assert "Switch the subscription back on" in off.disabled_reason
    assert subscriptions[other.id].enabled
    states = {(r["subscription_id"], r["state"]) for r in delivery_rows(engine)}
    assert states == {(switched.id, "failed"), (other.id, "pending")}
    with uow:
        (audited,) = uow.audit.history("subscription", str(switched.id))[1:]
    assert (audited["action"], audited["actor"]) == ("switch off", "okrkit")
    # A person switches it back on; new notices go out again.
    switch_subscription(uow, switched.id, off.revision.version, True, as_actor("maya"), NOW)
    assert get_enabled(uow, switched.id)


def get_enabled(uow, id):
    return {s.id: s.enabled for s in list_subscriptions(uow, viewer=ADMIN)}[id]


def test_a_subscription_switched_off_meanwhile_fails_its_delivery_unsent(
    uow, engine, growth, sender
):
    with receiver() as hook:
        made, _ = subscribe(uow, hook.url)
        enqueue_alert(uow, engine)
        switch_subscription(uow, made.id, 1, False, as_actor("omar"), NOW)
        (delivery_id,) = due(uow, NOW)
        result = deliver(uow, delivery_id, sender, NOW, 0.5)
        assert hook.requests == []
    assert (result.state, result.attempts, result.outcome) == (DeliveryState.FAILED, 0, None)
    assert only(engine)["last_error"] == (
        "not sent: its subscription was switched off (switched off by omar)"
    )


def test_given_up_after_the_last_attempt(uow, engine, growth, sender):
    with receiver([Answer(503)]) as hook:
        subscribe(uow, hook.url)
        enqueue_alert(uow, engine)
        (delivery_id,) = due(uow, NOW)
        at, results = NOW, []
        for _ in range(MAX_ATTEMPTS):
            results.append(deliver(uow, delivery_id, sender, at, 0.5))
            at = (results[-1].next_attempt_at or at) + timedelta(seconds=1)
        assert len(hook.requests) == MAX_ATTEMPTS
    assert [r.state for r in results] == [DeliveryState.PENDING] * (MAX_ATTEMPTS - 1) + [
        DeliveryState.FAILED
    ]
    assert only(engine)["last_error"].startswith(f"given up after {MAX_ATTEMPTS} attempts: ")
    assert due(uow, at + timedelta(days=2)) == []


def test_a_slow_receiver_holds_no_lock_an_import_completes_meanwhile(uow, engine, growth, sender):
    with receiver([Answer(200, delay=3.0)]) as hook:
        subscribe(uow, hook.url)
        enqueue_alert(uow, engine)
        (delivery_id,) = due(uow, NOW)
        sending = threading.Thread(
            target=deliver, args=(SqlUnitOfWork(engine), delivery_id, sender, NOW, 0.5)
        )
        sending.start()
        hook.wait_for(1)
        started = time.monotonic()
        report = import_values(
            SqlUnitOfWork(engine),
            ValueRows([ValueRow(datetime(2026, 11, 16), 14.0, kpi="growth_conversion")]),
            as_actor("maya"),
            NOW,
        )
        imported_in = time.monotonic() - started
        assert sending.is_alive()  # still waiting for the slow answer
        sending.join(timeout=30)
    assert report.record is not None
    assert imported_in < 2.0
    assert only(engine)["state"] == "delivered"


def test_of_two_claims_of_one_delivery_one_wins(uow, engine, growth, sender):
    with receiver([Answer(200, delay=1.0)]) as hook:
        subscribe(uow, hook.url)
        enqueue_alert(uow, engine)
        (delivery_id,) = due(uow, NOW)
        results: list[object] = []
        threads = [
            threading.Thread(
                target=lambda: results.append(
                    deliver(SqlUnitOfWork(engine), delivery_id, sender, NOW, 0.5)
                )
            )
            for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert len(hook.requests) == 1
    assert sorted(r is None for r in results) == [False, True]
    # The same on the port: the second claim of a claimed delivery gets nothing.
    enqueue_alert(uow, engine)
    (second,) = due(uow, NOW)
    with SqlUnitOfWork(engine) as one:
        assert one.deliveries.claim(second, NOW, NOW - CLAIM_TIMEOUT) is not None
        one.commit()
    with SqlUnitOfWork(engine) as two:
        assert two.deliveries.claim(second, NOW, NOW - CLAIM_TIMEOUT) is None


class Died(BaseException):
    """The consumer's process ends right after the message left (SIGKILL, power)."""


def test_a_consumer_that_died_mid_send_leaves_a_claim_sent_again_after_it_times_out(
    uow, engine, growth, sender
):
    def send_then_die(*args):
        sender(*args)
        raise Died

    with receiver() as hook:
        _, secret = subscribe(uow, hook.url)
        enqueue_alert(uow, engine)
        (delivery_id,) = due(uow, NOW)
        with pytest.raises(Died):
            deliver(uow, delivery_id, send_then_die, NOW, 0.5)
        assert only(engine)["state"] == "sending"
        soon = NOW + CLAIM_TIMEOUT - timedelta(seconds=1)
        assert due(uow, soon) == []
        assert deliver(uow, delivery_id, sender, soon, 0.5) is None
        later = NOW + CLAIM_TIMEOUT + timedelta(seconds=1)
        assert due(uow, later) == [delivery_id]
        again = deliver(uow, delivery_id, sender, later, 0.5)
        first, second = hook.requests
    assert again.state is DeliveryState.DELIVERED
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == only(engine)["message_id"]
    for request in (first, second):
        Webhook(secret).verify(request.body, request.headers)


def test_the_log_pages_deliveries_newest_first_of_one_subscription_or_all(
    uow, engine, growth, sender
):
    with receiver() as hook:
        growth_hook, _ = subscribe(uow, hook.url, team="growth")
        subscribe(uow, hook.url, team="sales")
        enqueue_alert(uow, engine, "growth")
        enqueue_alert(uow, engine, "sales")
        enqueue_alert(uow, engine, "growth")
        deliver(uow, due(uow, NOW)[0], sender, NOW, 0.5)
    everything = delivery_log(uow, limit=2, viewer=ADMIN)
    assert everything.total == 3
    assert [e.id for e in everything.entries] == [3, 2]
    assert [e.id for e in delivery_log(uow, limit=2, offset=2, viewer=ADMIN).entries] == [1]
    growth_only = delivery_log(uow, growth_hook.id, viewer=ADMIN)
    assert growth_only.total == 2
    oldest = growth_only.entries[-1]
    assert (oldest.state, oldest.attempts, oldest.last_status, oldest.event.value) == (
        DeliveryState.DELIVERED, 1, 200, "alert.opened",
    )  # fmt: skip
    assert oldest.delivered_at is not None
    assert growth_only.entries[0].next_attempt_at == NOW
    assert growth_only.entries[0].last_attempt_at is None


def test_a_subscriptions_log_names_what_it_covers_newest_first(uow, engine, growth):
    made, _ = subscribe(uow, "https://hooks.example.com/a", team="growth")
    enqueue_alert(uow, engine, "growth")
    enqueue_alert(uow, engine, "growth")
    read = subscription_log(uow, made.id, limit=1, viewer=ADMIN)
    assert (read.subscription.id, read.covers_name, read.log.total) == (made.id, "Growth", 2)
    (newest,) = read.log.entries
    assert newest.id == max(r["id"] for r in delivery_rows(engine))
    everything, _ = subscribe(uow, "https://hooks.example.com/b")
    assert subscription_log(uow, everything.id, viewer=ADMIN).covers_name is None
    with pytest.raises(NotFound, match="no subscription 99"):
        subscription_log(uow, 99, viewer=ADMIN)
