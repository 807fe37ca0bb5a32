"""`/api/v1/subscriptions` on SQLite and PostgreSQL: added (a webhook's secret answered
once, a Slack address never shown whole), listed, read, switched off and on with their
version, deleted; bad input named by field; and a delivery log made by the real service
sending to a real receiver on loopback."""

from __future__ import annotations

import pytest
from standardwebhooks.webhooks import Webhook

from okrkit.adapters.notify import NotifySettings
from okrkit.bootstrap import NotifySender
from okrkit.services.deliveries import deliver, due
from tests.support.outbox import NOW, enqueue_alert, workspace
from tests.support.receivers import Answer, receiver
from tests.web.api.helpers import assert_problem

SLACK = "https://hooks.slack.com/services/T0001/B0001/s3cr3tT0ken"
API = "/api/v1/subscriptions"


@pytest.fixture
def teams(uow):
    """Teams growth and sales, each with a KPI `<team>_conversion`."""
    workspace(uow, ("growth", "sales"))


@pytest.fixture
def sender():
    return NotifySender(NotifySettings(timeout=5.0))


def add(client, **body):
    response = client.post(API, json=body)
    assert response.status_code == 201, response.text
    return response


def test_a_webhook_is_added_with_its_secret_shown_once(client, teams):
    response = add(client, channel="webhook", target="https://hooks.example.com/okrkit/abc123",
                   team="growth")  # fmt: skip
    made = response.json()
    assert response.headers["location"] == f"{API}/{made['id']}"
    assert response.headers["etag"] == '"1"'
    assert response.headers["cache-control"] == "no-store"
    assert made["secret"].startswith("whsec_")
    assert (made["channel"], made["team"], made["kpi"], made["signed"], made["enabled"]) == (
        "webhook", "growth", None, True, True,
    )  # fmt: skip
    assert made["target"] == "https://hooks.example.com/okrkit/…"
    # Never again: not in the read, not in the listing.
    read = client.get(f"{API}/{made['id']}")
    assert read.status_code == 200
    assert read.headers["etag"] == '"1"'
    assert "secret" not in read.json()
    assert made["secret"] not in read.text
    assert made["secret"] not in client.get(API).text


def test_slack_and_e_mail_carry_no_secret_and_slacks_address_is_never_shown(client, teams):
    slack = add(client, channel="slack", target=SLACK, kpi="sales_conversion").json()
    mail = add(client, channel="email", target="growth-team@example.com").json()
    assert (slack["secret"], slack["signed"], slack["kpi"]) == (None, False, "sales_conversion")
    assert slack["target"] == "https://hooks.slack.com/…"
    assert (mail["target"], mail["team"], mail["kpi"]) == ("growth-team@example.com", None, None)
    listed = client.get(API)
    assert [s["id"] for s in listed.json()] == [slack["id"], mail["id"]]
    assert "s3cr3tT0ken" not in listed.text
    assert listed.json()[0]["last_state"] is None


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ({"channel": "webhook", "target": "not a url"}, "target", "is not a web address"),
        ({"channel": "slack", "target": "ftp://hooks.slack.com/x"}, "target", "is not a web"),
        ({"channel": "email", "target": "nobody"}, "target", "is not an e-mail address"),
        ({"channel": "pager", "target": "https://x.example.com"}, "channel", ""),
        ({"channel": "email", "target": "a@example.com", "team": "growth",
          "kpi": "growth_conversion"}, "kpi", "not both"),
        ({"channel": "email", "target": "a@example.com", "team": "Not A Key"}, "team",
         "is not a key"),
        ({"channel": "email", "target": "a@example.com", "secret": "whsec_x"}, "secret", ""),
        ({"channel": "email"}, "target", ""),
    ],
)  # fmt: skip
def test_bad_input_is_a_422_naming_its_field_and_writes_nothing(client, teams, body, field, says):
    problem = assert_problem(client.post(API, json=body), 422, "invalid-input")
    assert problem["field"] == field
    assert says in problem["detail"] or says in str(problem.get("errors"))
    assert client.get(API).json() == []


def test_a_team_or_kpi_that_does_not_exist_is_a_404(client, teams):
    for body, says in [({"team": "ops"}, "no team 'ops'"), ({"kpi": "churn"}, "no KPI 'churn'")]:
        response = client.post(API, json={"channel": "email", "target": "a@example.com", **body})
        assert says in assert_problem(response, 404, "not-found")["detail"]
    assert client.get(API).json() == []


@pytest.mark.parametrize("path", ["/7", "/7/deliveries", "/7/off", "/7/on"])
def test_an_unknown_subscription_is_a_404(client, teams, path):
    method = client.post if path.endswith(("off", "on")) else client.get
    response = method(API + path, headers={"If-Match": '"1"'})
    assert "no subscription 7" in assert_problem(response, 404, "not-found")["detail"]
    missing = client.delete(f"{API}/7", headers={"If-Match": '"1"'})
    assert_problem(missing, 404, "not-found")


@pytest.mark.parametrize("id", ["abc", "0", "1.5", "99999999999"])
def test_an_id_that_is_not_one_is_a_422(client, id):
    assert assert_problem(client.get(f"{API}/{id}"), 422, "invalid-input")["field"] == "id"


def test_switched_off_and_on_with_its_version_a_stale_one_is_a_409(client, other, teams):
    made = add(client, channel="email", target="a@example.com").json()
    at = f"{API}/{made['id']}"
    assert_problem(client.post(f"{at}/off"), 428, "version-required")
    off = other.post(f"{at}/off", headers={"If-Match": '"1"'})
    assert off.status_code == 200, off.text
    assert off.headers["etag"] == '"2"'
    body = off.json()
    assert (body["enabled"], body["version"], body["changed_by"]) == (False, 2, "omar@example.com")
    assert body["disabled_reason"] == "switched off by omar@example.com on 23 Nov 2026"
    stale = client.post(f"{at}/on", json={"version": 1})
    assert "changed by omar@example.com" in assert_problem(stale, 409, "conflict")["detail"]
    on = client.post(f"{at}/on", json={"version": 2})
    assert on.status_code == 200, on.text
    assert (on.json()["enabled"], on.json()["disabled_reason"], on.json()["version"]) == (
        True, "", 3,
    )  # fmt: skip


def test_deleted_with_its_version(client, teams):
    made = add(client, channel="email", target="a@example.com").json()
    at = f"{API}/{made['id']}"
    assert_problem(client.delete(at), 428, "version-required")
    assert_problem(client.delete(at, headers={"If-Match": '"2"'}), 409, "conflict")
    gone = client.delete(at, headers={"If-Match": '"1"'})
    assert gone.status_code == 204
    assert gone.content == b""
    assert_problem(client.get(at), 404, "not-found")
    assert client.get(API).json() == []


def test_the_delivery_log_shows_what_the_real_service_did_newest_first(
    client, uow, engine, teams, sender
):
    with receiver([Answer(500), Answer(200)]) as hook:
        made = add(client, channel="webhook", target=hook.url, team="growth").json()
        enqueue_alert(uow, engine, "growth")
        (first,) = due(uow, NOW)
        assert deliver(uow, first, sender, NOW, 0.5).state.value == "pending"
        enqueue_alert(uow, engine, "growth")
        delivered = [deliver(uow, i, sender, NOW, 0.5) for i in due(uow, NOW)]
        (request,) = hook.requests[1:]
    assert [d.state.value for d in delivered] == ["delivered"]
    # The receiver checks the signature with the secret the create answered.
    Webhook(made["secret"]).verify(request.body, request.headers)
    log = client.get(f"{API}/{made['id']}/deliveries", params={"limit": 1})
    assert log.status_code == 200, log.text
    page = log.json()
    assert (page["total"], page["offset"], page["limit"], page["next_offset"]) == (2, 0, 1, 1)
    (newest,) = page["items"]
    assert (newest["event"], newest["kpi"], newest["state"], newest["attempts"]) == (
        "alert.opened", "growth_conversion", "delivered", 1,
    )  # fmt: skip
    assert (newest["last_status"], newest["last_error"]) == (200, "")
    assert newest["delivered_at"].startswith("2026-11-23T09:00")
    older = client.get(f"{API}/{made['id']}/deliveries", params={"offset": 1}).json()
    assert older["next_offset"] is None
    (waiting,) = older["items"]
    assert (waiting["state"], waiting["last_status"], waiting["delivered_at"]) == (
        "pending", 500, None,
    )  # fmt: skip
    assert "answered 500" in waiting["last_error"]
    assert waiting["next_attempt_at"] > waiting["created_at"]
    assert client.get(API).json()[0]["last_state"] == "delivered"


def test_an_endpoint_that_answered_410_switched_its_subscription_off(
    client, uow, engine, teams, sender
):
    with receiver([Answer(410)]) as hook:
        made = add(client, channel="webhook", target=hook.url).json()
        enqueue_alert(uow, engine, "growth")
        (delivery,) = due(uow, NOW)
        deliver(uow, delivery, sender, NOW, 0.5)
    shown = client.get(f"{API}/{made['id']}").json()
    assert (shown["enabled"], shown["changed_by"], shown["last_state"]) == (False, "okrkit", None)
    assert shown["disabled_reason"] == (
        "switched off: the endpoint answered 410 Gone on 23 Nov 2026; switch it back on once "
        "it takes messages again"
    )
    (entry,) = client.get(f"{API}/{made['id']}/deliveries").json()["items"]
    assert (entry["state"], entry["last_status"]) == ("failed", 410)
