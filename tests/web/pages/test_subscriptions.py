"""The subscription pages on SQLite and PostgreSQL: the list and its form (errors at
their input, nothing written), a webhook's secret shown on its answer alone, a Slack
address by its host alone, a delivery log the real service wrote by sending to a real
receiver on loopback, paged; switched off and on with the version (a stale one in
words), deleted after a confirmation."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from okrkit.adapters.notify import NotifySettings
from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.bootstrap import NotifySender
from okrkit.interfaces.web.app import create_app
from okrkit.services.deliveries import deliver, due
from okrkit.services.subscriptions import get_subscription, list_subscriptions
from tests.support.actors import ADMIN
from tests.support.browsers import BrowserClient, form_tokens
from tests.support.outbox import NOW, enqueue_alert, workspace
from tests.support.receivers import Answer, receiver
from tests.web.pages.helpers import element, get, text_of

SLACK = "https://hooks.slack.com/services/T0001/B0001/s3cr3tT0ken"


@pytest.fixture
def client(engine: Engine, uow: SqlUnitOfWork) -> Iterator[BrowserClient]:
    """A browser on a workspace of teams growth and sales, each with one KPI."""
    workspace(uow, ("growth", "sales"))
    app = create_app(lambda: SqlUnitOfWork(engine), clock=lambda: NOW)
    with BrowserClient(app, follow_redirects=False) as client:
        yield client


@pytest.fixture
def sender():
    return NotifySender(NotifySettings(timeout=5.0))


def field(markup: str, name: str) -> str:
    """An input's field — its label, hint, error and input — where its error must stand."""
    at = markup.index(f'name="{name}"')
    start = max(markup.rfind('<div class="field', 0, at), markup.rfind("<fieldset", 0, at))
    assert start >= 0
    return html.unescape(markup[start : markup.index("</div>", at)])


def test_an_empty_list_says_so_and_offers_the_form(client):
    markup = get(client, "/subscriptions")
    assert '<a href="/subscriptions" aria-current="page">Subscriptions</a>' in markup
    assert "No subscriptions yet" in text_of(markup)
    form = element(markup, "form", 'action="/subscriptions"')
    assert len(form_tokens(form)) == 1
    assert '<option value="growth">Growth</option>' in form
    prefilled = get(client, "/subscriptions?team=sales&kpi=sales_conversion")
    assert '<option value="sales" selected>' in prefilled
    assert 'value="sales_conversion"' in field(prefilled, "kpi")


def test_a_webhooks_secret_is_shown_on_its_answer_and_never_again(client, uow):
    target = "https://hooks.example.com/okrkit/abc"
    response = client.post(
        "/subscriptions", data={"channel": "webhook", "target": target, "team": "growth"}
    )
    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "no-store"
    (stored,) = list_subscriptions(uow, viewer=ADMIN)
    assert stored.secret is not None
    words = text_of(response.text)
    assert stored.secret in response.text
    assert "only time it is shown" in words
    for header in ("webhook-id", "webhook-timestamp", "webhook-signature"):
        assert header in words
    assert f'href="/subscriptions/{stored.id}"' in response.text
    for later in ("/subscriptions", f"/subscriptions/{stored.id}"):
        markup = get(client, later)
        assert stored.secret not in markup
        assert "https://hooks.example.com/okrkit/…" in html.unescape(markup)
    listed = text_of(get(client, "/subscriptions"))
    assert "Webhook (signed) to https://hooks.example.com/okrkit/…" in listed
    assert "Team Growth: its KPIs' alerts" in listed
    assert "No deliveries yet" in listed


def test_slack_goes_to_its_page_showing_only_the_host(client, uow):
    response = client.post(
        "/subscriptions", data={"channel": "slack", "target": SLACK, "kpi": "sales_conversion"}
    )
    assert response.status_code == 303
    (stored,) = list_subscriptions(uow, viewer=ADMIN)
    assert response.headers["location"] == f"/subscriptions/{stored.id}"
    assert stored.target == SLACK
    for path in ("/subscriptions", f"/subscriptions/{stored.id}"):
        markup = get(client, path)
        assert "s3cr3tT0ken" not in markup
        assert "/services/" not in markup
        assert "Slack to https://hooks.slack.com/…" in text_of(markup)
    assert 'href="/kpis/sales_conversion"' in get(client, f"/subscriptions/{stored.id}")


@pytest.mark.parametrize(
    ("data", "name", "says"),
    [
        ({"channel": "webhook", "target": "not a url"}, "target", "is not a web address"),
        ({"channel": "email", "target": "nobody"}, "target", "is not an e-mail address"),
        ({"channel": "pager", "target": "a@example.com"}, "channel", "is not a channel"),
        ({"channel": "email", "target": "a@example.com", "team": "ops"}, "team", "no team 'ops'"),
        ({"channel": "email", "target": "a@example.com", "kpi": "churn"}, "kpi", "no KPI 'churn'"),
        ({"channel": "email", "target": "a@example.com", "team": "growth",
          "kpi": "sales_conversion"}, "kpi", "not both"),
    ],
)  # fmt: skip
def test_bad_input_stands_at_its_field_as_typed_and_nothing_is_written(client, uow, data, name,
                                                                        says):  # fmt: skip
    response = client.post("/subscriptions", data=data)
    assert response.status_code == 422, response.text
    at = field(response.text, name)
    assert "field-invalid" in at
    assert says in at
    assert "Nothing was saved" in text_of(response.text)
    assert html.escape(data["target"]) in response.text  # what was typed is kept
    assert list_subscriptions(uow, viewer=ADMIN) == []


def test_the_delivery_log_shows_each_notice_the_real_service_sent(client, uow, engine, sender):
    with receiver([Answer(500), Answer(200)]) as hook:
        client.post("/subscriptions", data={"channel": "webhook", "target": hook.url})
        (made,) = list_subscriptions(uow, viewer=ADMIN)
        enqueue_alert(uow, engine, "growth")
        (first,) = due(uow, NOW)
        deliver(uow, first, sender, NOW, 0.5)  # a 500: waiting to be tried again
        enqueue_alert(uow, engine, "sales")
        (second,) = [d for d in due(uow, NOW) if d != first]
        deliver(uow, second, sender, NOW, 0.5)  # a 200: delivered
    markup = get(client, f"/subscriptions/{made.id}")
    log = text_of(element(markup, "section", 'id="log"'))
    assert "Delivery log · 2 notices" in log
    assert log.index("Sales conversion rate") < log.index("Growth conversion rate")  # newest first
    assert "Alert opened: Sales conversion rate" in log
    assert "✓ Delivered" in log
    assert "HTTP 200" in log
    assert "◷ Waiting to be tried again" in log
    assert "HTTP 500: 127.0.0.1" in log
    assert "Next try 23 Nov 2026, 09:00 UTC" in log
    assert "Written 23 Nov 2026, 09:00 UTC" in log
    assert "Attempts 1" in log
    assert 'href="/kpis/growth_conversion"' in markup
    alerts = re.findall(r'href="/alerts/(\d+)"', markup)
    assert len(alerts) == 2
    listed = text_of(get(client, "/subscriptions"))
    assert "Last delivery: ✓ Delivered 23 Nov 2026, 09:00 UTC" in listed


def test_the_log_is_paged_twenty_at_a_time(client, uow, engine):
    client.post("/subscriptions", data={"channel": "email", "target": "a@example.com"})
    (made,) = list_subscriptions(uow, viewer=ADMIN)
    for _ in range(21):
        enqueue_alert(uow, engine, "growth")
    first = get(client, f"/subscriptions/{made.id}")
    assert first.count('class="dl-row ') == 20
    assert "Page 1 of 2" in text_of(first)
    assert f'href="/subscriptions/{made.id}?page=2#log"' in first
    second = get(client, f"/subscriptions/{made.id}?page=2")
    assert second.count('class="dl-row ') == 1
    assert "◷ Waiting to be sent" in text_of(second)
    assert "past the last one" in text_of(get(client, f"/subscriptions/{made.id}?page=9"))
    assert "is not a page" in text_of(get(client, f"/subscriptions/{made.id}?page=x", 422))


def test_switched_off_and_on_with_its_version_a_stale_one_said_in_words(client, uow):
    client.post("/subscriptions", data={"channel": "email", "target": "a@example.com"})
    (made,) = list_subscriptions(uow, viewer=ADMIN)
    page = get(client, f"/subscriptions/{made.id}")
    form = element(page, "form", f'action="/subscriptions/{made.id}/off"')
    assert 'name="version" value="1"' in form
    off = client.post(f"/subscriptions/{made.id}/off", data={"version": "1"})
    assert off.status_code == 303
    assert off.headers["location"] == f"/subscriptions/{made.id}"
    words = text_of(get(client, f"/subscriptions/{made.id}"))
    assert "○ Off Switched off by maya@example.com on 23 Nov 2026." in words
    assert "Switch on" in words
    stale = client.post(f"/subscriptions/{made.id}/on", data={"version": "1"})
    assert stale.status_code == 409
    assert "Someone changed this subscription meanwhile" in text_of(stale.text)
    assert "changed by maya@example.com" in text_of(stale.text)
    assert not get_subscription(uow, made.id, viewer=ADMIN).enabled
    on = client.post(f"/subscriptions/{made.id}/on", data={"version": "2"})
    assert on.status_code == 303
    assert get_subscription(uow, made.id, viewer=ADMIN).enabled


def test_an_endpoint_that_answered_410_is_off_and_says_so(client, uow, engine, sender):
    with receiver([Answer(410)]) as hook:
        client.post("/subscriptions", data={"channel": "webhook", "target": hook.url})
        enqueue_alert(uow, engine, "growth")
        (delivery,) = due(uow, NOW)
        deliver(uow, delivery, sender, NOW, 0.5)
    listed = text_of(get(client, "/subscriptions"))
    assert "○ Off Switched off: the endpoint answered 410 Gone on 23 Nov 2026" in listed
    log = text_of(get(client, "/subscriptions/1"))
    assert "✕ Given up" in log
    assert "HTTP 410" in log


def test_deleted_after_a_confirmation(client, uow, engine):
    client.post("/subscriptions", data={"channel": "email", "target": "a@example.com"})
    (made,) = list_subscriptions(uow, viewer=ADMIN)
    enqueue_alert(uow, engine, "growth")
    confirm = get(client, f"/subscriptions/{made.id}/delete")
    assert "Its delivery log (1 notice) is deleted with it" in text_of(confirm)
    form = element(confirm, "form", f'action="/subscriptions/{made.id}/delete"')
    assert len(form_tokens(form)) == 1
    stale = client.post(f"/subscriptions/{made.id}/delete", data={"version": "2"})
    assert stale.status_code == 409
    assert list_subscriptions(uow, viewer=ADMIN) != []
    gone = client.post(f"/subscriptions/{made.id}/delete", data={"version": "1"})
    assert gone.status_code == 303
    assert gone.headers["location"] == f"/subscriptions?deleted={made.id}"
    assert f"Subscription {made.id} deleted" in text_of(get(client, gone.headers["location"]))
    assert list_subscriptions(uow, viewer=ADMIN) == []


@pytest.mark.parametrize(
    ("path", "status", "says"),
    [
        ("/subscriptions/7", 404, "No subscription 7"),
        ("/subscriptions/7/delete", 404, "No subscription 7"),
        ("/subscriptions/abc", 422, "id"),
        ("/subscriptions/0", 422, "id"),
    ],
)
def test_an_unknown_or_malformed_id_is_an_error_page(client, path, status, says):
    assert says in text_of(get(client, path, status))


def test_a_form_without_its_token_is_refused(client, uow):
    response = client.post(
        "/subscriptions",
        data={"channel": "email", "target": "a@example.com", "csrf_token": "forged"},
    )
    assert response.status_code == 403
    assert list_subscriptions(uow, viewer=ADMIN) == []
