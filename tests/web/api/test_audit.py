"""`/api/v1/audit` on SQLite and PostgreSQL: changes made through the API come back
newest first with their fields before → after, team and private flag; filtered by team,
thing and person, paged; bad input is a problem document naming the parameter; no method
writes to the log (405)."""

from __future__ import annotations

import pytest

from tests.support.browsers import bearer
from tests.web.api.helpers import assert_problem

SLACK = "https://hooks.slack.com/services/T0001/B0001/s3cr3tT0ken"
PEOPLE = ("account", "api_token")


def test_an_edit_through_the_api_reads_back_with_what_it_changed(client, kpi):
    patched = client.patch(
        "/api/v1/kpis/trial_to_paid",
        json={"target": 18},
        headers={"If-Match": f'"{kpi["version"]}"', **bearer(client.app, "ana@example.com")},
    )
    assert patched.status_code == 200, patched.text
    response = client.get("/api/v1/audit")
    assert response.status_code == 200, response.text
    page = response.json()
    assert (page["limit"], page["newer"], page["older"]) == (50, None, None)
    # Besides the clients' own accounts and tokens (the fixtures made them):
    edited, created, team = [e for e in page["items"] if e["entity"] not in PEOPLE]
    assert (edited["actor"], edited["action"], edited["action_words"]) == (
        "ana@example.com", "edit", "edited"
    )  # fmt: skip
    assert (edited["entity"], edited["entity_words"], edited["key"]) == (
        "kpi", "KPI", "trial_to_paid"
    )  # fmt: skip
    assert (edited["title"], edited["link"], edited["team"], edited["private"]) == (
        "Trial-to-paid conversion rate", "/kpis/trial_to_paid", "growth", False
    )  # fmt: skip
    assert edited["changes"] == [{"field": "target", "before": 16.0, "after": 18.0}]
    assert edited["at"] == "2026-11-23T09:30:00Z"
    assert created["action"] == "create"
    assert team["entity"] == "team"
    assert {"field": "unit", "before": None, "after": "percent"} in created["changes"]


def test_filters_and_pages(client, other, kpi):
    other.post("/api/v1/teams", json={"key": "sales", "name": "Sales"})
    growth = client.get("/api/v1/audit", params={"team": "growth"}).json()["items"]
    assert [(e["entity"], e["key"]) for e in growth] == [("kpi", "trial_to_paid"),
                                                         ("team", "growth")]  # fmt: skip
    omar = client.get("/api/v1/audit", params={"person": "omar@example.com"}).json()["items"]
    assert [(e["entity"], e["key"]) for e in omar] == [("team", "sales")]
    teams = client.get("/api/v1/audit", params={"object": "team"}).json()["items"]
    assert [e["key"] for e in teams] == ["sales", "growth"]
    one = client.get("/api/v1/audit", params={"object": "team:growth"}).json()["items"]
    assert [e["key"] for e in one] == ["growth"]
    growth_only = {"team": "growth", "limit": 1}
    first = client.get("/api/v1/audit", params=growth_only).json()
    assert [e["key"] for e in first["items"]] == ["trial_to_paid"]
    assert first["older"] == first["items"][-1]["id"]
    rest = client.get("/api/v1/audit", params={**growth_only, "before": first["older"]}).json()
    assert [e["key"] for e in rest["items"]] == ["growth"]
    assert rest["older"] is None
    back = client.get("/api/v1/audit", params={**growth_only, "after": rest["newer"]}).json()
    assert back["items"] == first["items"]


def test_a_subscriptions_secret_address_is_never_shown(client, growth):
    added = client.post(
        "/api/v1/subscriptions", json={"channel": "slack", "target": SLACK, "team": "growth"}
    )
    assert added.status_code == 201, added.text
    response = client.get("/api/v1/audit", params={"object": "subscription"})
    assert "s3cr3tT0ken" not in response.text
    [entry] = response.json()["items"]
    assert {"field": "target", "before": None, "after": "https://hooks.slack.com/…"} in entry[
        "changes"
    ]
    assert entry["team"] == "growth"


@pytest.mark.parametrize(
    ("params", "status", "slug", "field"),
    [
        ({"team": "nope"}, 404, "not-found", None),
        ({"object": "planet:earth"}, 422, "invalid-input", "object"),
        ({"limit": 0}, 422, "invalid-input", "limit"),
        ({"limit": 201}, 422, "invalid-input", "limit"),
        ({"limit": "x"}, 422, "invalid-input", "limit"),
        ({"before": 0}, 422, "invalid-input", "before"),
        ({"before": 5, "after": 2}, 422, "invalid-input", "after"),
    ],
)
def test_bad_input_is_a_problem_naming_it(client, growth, params, status, slug, field):
    body = assert_problem(client.get("/api/v1/audit", params=params), status, slug)
    if field is None:
        assert "nope" in body["detail"]
    else:
        named = [body.get("field")] + [e["field"] for e in body.get("errors", [])]
        assert field in named, body


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("path", ["/audit", "/api/v1/audit"])
def test_nothing_writes_to_the_log(client, growth, method, path):
    before = client.get("/api/v1/audit").json()
    response = client.request(method, path, json={})
    assert response.status_code == 405, response.text
    assert "GET" in response.headers["allow"]
    assert client.get("/api/v1/audit").json() == before
