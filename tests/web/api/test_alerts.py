"""`/api/v1/alerts` on SQLite and PostgreSQL, on a workspace where one KPI went yellow
and one red (`tests.support.alerts`): the listing (red first among open ones, filters,
pages, counts), one alert with its ETag, and the actions — acknowledge, resolve, accept
the draft (a yellow one with its hypothesis), dismiss it with a reason — each with the
alert's version; every bad request a problem document naming what is wrong."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.interfaces.web.app import create_app
from tests.support import alerts
from tests.support.alerts import RED, RED_DRAFT, YELLOW, YELLOW_DRAFT
from tests.support.browsers import bearer
from tests.web.api.conftest import TestClient
from tests.web.api.helpers import assert_problem


@pytest.fixture
def api(engine: Engine, uow: SqlUnitOfWork) -> Iterator[TestClient]:
    alerts.build(uow)
    app = create_app(lambda: SqlUnitOfWork(engine), clock=lambda: alerts.NOW)
    with TestClient(app, headers=bearer(app, "lena@example.com")) as client:
        yield client


def _ids(api, **params) -> list[int]:
    response = api.get("/api/v1/alerts", params=params)
    assert response.status_code == 200, response.text
    return [a["id"] for a in response.json()["items"]]


def test_open_alerts_are_listed_red_first_with_their_kpi_and_draft(api):
    response = api.get("/api/v1/alerts", params={"state": "open"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [a["id"] for a in body["items"]] == [RED, YELLOW]
    assert (body["total"], body["next_offset"]) == (2, None)
    assert body["counts"] == {"open": 2, "acknowledged": 0, "resolved": 0}
    red = body["items"][0]
    assert (red["kpi"], red["kpi_name"], red["team"]) == ("activation", "Activation rate", "growth")
    assert (red["level"], red["status"], red["state"], red["version"]) == ("red", "red", "open", 1)
    assert (red["value"], red["value_text"], red["value_at"]) == (8.0, "8.0%", "2026-11-16")
    assert red["problem_words"].startswith("a signal")
    assert red["draft"] == {
        "key": RED_DRAFT,
        "title": "Urgently bring Activation rate back to health",
        "status": "draft",
        "urgent": True,
    }
    assert red["changed_by"] == "okrkit"  # the trigger opened it


def test_the_listing_filters_by_team_kpi_level_and_state_a_page_at_a_time(api):
    assert _ids(api) == [RED, YELLOW]  # all states: newest first
    assert _ids(api, kpi="trial_to_paid") == [YELLOW]
    assert _ids(api, level="red", team="growth") == [RED]
    assert _ids(api, state="resolved") == []
    page = api.get("/api/v1/alerts", params={"state": "open", "limit": 1}).json()
    assert ([a["id"] for a in page["items"]], page["next_offset"]) == ([RED], 1)
    assert _ids(api, state="open", limit=1, offset=1) == [YELLOW]


@pytest.mark.parametrize(
    ("params", "status", "slug", "field"),
    [
        ({"kpi": "nope"}, 404, "not-found", None),
        ({"team": "nope"}, 422, "invalid-input", "team"),
        ({"level": "purple"}, 422, "invalid-input", "level"),
        ({"state": "closed"}, 422, "invalid-input", "state[0]"),  # the first state given
        ({"limit": 0}, 422, "invalid-input", "limit"),
    ],
)
def test_a_bad_filter_is_a_problem_naming_it(api, params, status, slug, field):
    body = assert_problem(api.get("/api/v1/alerts", params=params), status, slug)
    assert body.get("field") == field


def test_one_alert_carries_its_version_as_etag(api):
    response = api.get(f"/api/v1/alerts/{YELLOW}")
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"1"'
    assert response.json()["draft"]["urgent"] is False


@pytest.mark.parametrize(
    ("path", "status", "slug"),
    [("/99", 404, "not-found"), ("/x", 422, "invalid-input"), ("/0", 422, "invalid-input")],
)
def test_an_unknown_or_malformed_id_is_a_problem(api, path, status, slug):
    assert_problem(api.get("/api/v1/alerts" + path), status, slug)
    assert_problem(api.post(f"/api/v1/alerts{path}/acknowledge", json={"version": 1}), status, slug)


def test_acknowledging_and_resolving_take_the_version_and_bump_it(api):
    acked = api.post(f"/api/v1/alerts/{YELLOW}/acknowledge", headers={"If-Match": '"1"'})
    assert acked.status_code == 200, acked.text
    body = acked.json()
    assert (body["state"], body["acknowledged_by"], body["version"]) == (
        "acknowledged", "lena@example.com", 2,
    )  # fmt: skip
    assert acked.headers["etag"] == '"2"'
    resolved = api.post(f"/api/v1/alerts/{YELLOW}/resolve", json={"version": 2, "note": "fixed"})
    assert resolved.status_code == 200, resolved.text
    assert (resolved.json()["state"], resolved.json()["note"]) == ("resolved", "fixed")
    again = api.post(f"/api/v1/alerts/{YELLOW}/resolve", json={"version": 3})
    assert "resolved already" in assert_problem(again, 409, "conflict")["detail"]
    assert _ids(api, state="resolved") == [YELLOW]


def test_a_stale_version_is_a_conflict_and_none_is_required(api):
    assert api.post(f"/api/v1/alerts/{RED}/acknowledge", json={"version": 1}).status_code == 200
    stale = api.post(f"/api/v1/alerts/{RED}/resolve", json={"version": 1})
    detail = assert_problem(stale, 409, "conflict")["detail"]
    assert "changed by lena@example.com" in detail
    assert "now version 2, yours 1" in detail
    assert_problem(api.post(f"/api/v1/alerts/{RED}/resolve"), 428, "version-required")
    both = api.post(
        f"/api/v1/alerts/{RED}/resolve", json={"version": 2}, headers={"If-Match": '"3"'}
    )
    assert assert_problem(both, 422, "invalid-input")["field"] == "version"


def test_a_yellow_draft_is_accepted_only_with_its_hypothesis(api):
    missing = api.post(f"/api/v1/alerts/{YELLOW}/accept", json={"version": 1})
    assert assert_problem(missing, 422, "invalid-input")["field"] == "hypothesis"
    assert api.get(f"/api/v1/objectives/{YELLOW_DRAFT}").json()["status"] == "draft"
    accepted = api.post(
        f"/api/v1/alerts/{YELLOW}/accept",
        json={
            "version": 1,
            "title": "Win back trial conversions",
            "owner": "lena@example.com",
            "hypothesis": "A reminder on day 10 lifts conversion",
        },
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.headers["location"] == f"/api/v1/objectives/{YELLOW_DRAFT}"
    body = accepted.json()
    assert (body["status"], body["title"], body["owner"]) == (
        "active", "Win back trial conversions", "lena@example.com",
    )  # fmt: skip
    assert body["description"].startswith("Hypothesis: A reminder on day 10")
    assert api.get(f"/api/v1/alerts/{YELLOW}").json()["state"] == "acknowledged"
    twice = api.post(f"/api/v1/alerts/{YELLOW}/accept", json={"version": 2, "hypothesis": "x"})
    assert "no longer a draft" in assert_problem(twice, 409, "conflict")["detail"]


def test_a_red_draft_is_accepted_without_a_body_but_its_version(api):
    accepted = api.post(f"/api/v1/alerts/{RED}/accept", headers={"If-Match": '"1"'})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "active"
    assert_problem(api.post(f"/api/v1/alerts/{YELLOW}/accept"), 428, "version-required")


def test_dismissing_a_draft_needs_a_reason_and_removes_it(api):
    missing = api.post(f"/api/v1/alerts/{RED}/dismiss", json={"version": 1})
    assert assert_problem(missing, 422, "invalid-input")["field"] == "reason"
    blank = api.post(f"/api/v1/alerts/{RED}/dismiss", json={"version": 1, "reason": "  "})
    assert assert_problem(blank, 422, "invalid-input")["field"] == "reason"
    unknown = api.post(f"/api/v1/alerts/{RED}/dismiss", json={"version": 1, "why": "x"})
    assert_problem(unknown, 422, "invalid-input")
    dismissed = api.post(
        f"/api/v1/alerts/{RED}/dismiss", json={"version": 1, "reason": "A tracking outage"}
    )
    assert dismissed.status_code == 200, dismissed.text
    body = dismissed.json()
    assert (body["state"], body["draft"]) == ("acknowledged", None)
    assert body["note"] == "Draft dismissed: A tracking outage"
    assert_problem(api.get(f"/api/v1/objectives/{RED_DRAFT}"), 404, "not-found")


def test_the_alert_routes_list_their_problems_in_openapi(api):
    paths = api.get("/api/v1/openapi.json").json()["paths"]
    for action in ("acknowledge", "resolve", "accept", "dismiss"):
        listed = set(paths[f"/api/v1/alerts/{{id}}/{action}"]["post"]["responses"])
        assert {"404", "409", "422", "428", "403", "503"} <= listed, action
    assert "404" in paths["/api/v1/alerts"]["get"]["responses"]
