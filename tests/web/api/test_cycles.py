"""`/api/v1/cycles`: the list with the current cycle, a quarter and a custom span added,
read, started and closed (closing answers what it scored, and only once), versions,
and bad cycles named at their field with nothing written."""

from __future__ import annotations

import pytest

from tests.support.browsers import bearer
from tests.web.api.helpers import assert_problem


def test_a_quarter_is_added_read_started_and_listed_as_current(client):
    assert client.get("/api/v1/cycles").json() == {"current": None, "items": []}

    created = client.post(
        "/api/v1/cycles", json={"name": "2026-Q4"}, headers=bearer(client.app, "maya@example.com")
    )
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/api/v1/cycles/2026-Q4"
    assert created.headers["etag"] == '"1"'
    assert created.json() == {
        "name": "2026-Q4",
        "start": "2026-10-01",
        "end": "2026-12-31",
        "state": "planning",
        "version": 1,
        "changed_at": "2026-11-23T09:30:00Z",
        "changed_by": "maya@example.com",
    }
    read = client.get("/api/v1/cycles/2026-Q4")
    assert read.headers["etag"] == '"1"'
    assert read.json() == created.json()

    started = client.post("/api/v1/cycles/2026-Q4/start", headers={"If-Match": '"1"'})
    assert started.status_code == 200, started.text
    assert started.headers["etag"] == '"2"'
    assert started.json()["state"] == "active"

    past = client.post(
        "/api/v1/cycles",
        json={"name": "2026-H1", "start": "2026-01-01", "end": "2026-06-30", "state": "closed"},
    )
    assert past.status_code == 201, past.text
    listed = client.get("/api/v1/cycles").json()
    # Today (2026-11-23) falls in 2026-Q4; the latest to start comes first.
    assert listed["current"] == "2026-Q4"
    assert [(c["name"], c["state"]) for c in listed["items"]] == [
        ("2026-Q4", "active"),
        ("2026-H1", "closed"),
    ]


def test_closing_a_cycle_scores_what_is_left_and_answers_with_it(okr_client):
    client = okr_client
    closed = client.post("/api/v1/cycles/2026-Q3/close", json={"version": 1})
    assert closed.status_code == 200, closed.text
    assert closed.headers["etag"] == '"2"'
    body = closed.json()
    assert body["state"] == "closed"
    scored = {o["key"]: o for o in body["scored"]}
    assert set(scored) == {"grow-paying-customers", "streamline-onboarding"}
    onboarding = scored["streamline-onboarding"]
    assert onboarding["status"] == "scored"
    # The scores its key results' progress proposes: wizard 0.6, first action 0.6
    # (weight 2), conversion 0.35 — (0.6 + 2 × 0.6 + 0.35) / 4.
    assert onboarding["score"] == pytest.approx((0.6 + 2 * 0.6 + 0.35) / 4)
    assert onboarding["grade"]["colour"] == "yellow"
    # Read back: the objective is on record with its score.
    read = client.get("/api/v1/objectives/streamline-onboarding").json()
    assert read["status"] == "scored"
    assert read["score"] == pytest.approx(onboarding["score"])
    assert client.get("/api/v1/cycles/2026-Q3").json()["state"] == "closed"


def test_closing_a_cycle_twice_is_a_conflict_and_changes_nothing(okr_client):
    client = okr_client
    assert client.post("/api/v1/cycles/2026-Q3/close", headers={"If-Match": '"1"'}).is_success
    again = client.post("/api/v1/cycles/2026-Q3/close", headers={"If-Match": '"2"'})
    body = assert_problem(again, 409, "conflict")
    assert body["detail"] == "cycle 2026-Q3 is already closed"
    read = client.get("/api/v1/cycles/2026-Q3")
    assert read.json()["version"] == 2
    assert read.json()["state"] == "closed"


def test_a_stale_close_names_who_changed_the_cycle_and_writes_nothing(client, other):
    assert client.post("/api/v1/cycles", json={"name": "2026-Q4"}).status_code == 201
    assert other.post("/api/v1/cycles/2026-Q4/start", json={"version": 1}).is_success
    stale = client.post("/api/v1/cycles/2026-Q4/close", json={"version": 1})
    body = assert_problem(stale, 409, "conflict")
    assert "changed by omar@example.com at 2026-11-23 09:30 UTC" in body["detail"]
    assert client.get("/api/v1/cycles/2026-Q4").json()["state"] == "active"


@pytest.mark.parametrize("action", ["start", "close"])
def test_a_move_without_a_version_needs_one(client, action):
    assert client.post("/api/v1/cycles", json={"name": "2026-Q4"}).status_code == 201
    problem = assert_problem(
        client.post(f"/api/v1/cycles/2026-Q4/{action}"), 428, "version-required"
    )
    assert "If-Match" in problem["detail"]
    read = client.get("/api/v1/cycles/2026-Q4").json()
    assert (read["state"], read["version"]) == ("planning", 1)


def test_starting_an_active_cycle_is_a_conflict(okr_client):
    body = assert_problem(
        okr_client.post("/api/v1/cycles/2026-Q3/start", json={"version": 1}), 409, "conflict"
    )
    assert "already active" in body["detail"]


def test_a_taken_cycle_name_is_a_conflict(client):
    assert client.post("/api/v1/cycles", json={"name": "2026-Q4"}).status_code == 201
    body = assert_problem(client.post("/api/v1/cycles", json={"name": "2026-Q4"}), 409, "conflict")
    assert "already exists" in body["detail"]


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        (
            {"name": "2027-H1", "start": "2027-06-30", "end": "2027-01-01"},
            "end",
            "ends (2027-01-01) before it starts (2027-06-30)",
        ),
        ({"name": "2027-H1"}, "name", "give its start and end dates"),
        ({"name": "2027-Q1", "start": "2027-01-05"}, "name", "the calendar quarter"),
        ({"name": "Q1 2027!", "start": "2027-01-01", "end": "2027-03-31"}, "name", "not a cycle"),
        ({"name": "2027-Q1", "state": "done"}, "state", "Input should be"),
        ({"name": "2027-Q1", "start": "next monday"}, "start", "date"),
        ({"name": "2027-Q1", "colour": "blue"}, "colour", "Extra inputs are not permitted"),
        ({"name": "x" * 5_001}, "name", "at most 5000 characters"),
    ],
)
def test_a_bad_cycle_is_named_at_its_field_and_nothing_is_written(client, body, field, says):
    problem = assert_problem(client.post("/api/v1/cycles", json=body), 422, "invalid-input")
    assert problem["field"] == field
    assert says in problem["detail"]
    assert client.get("/api/v1/cycles").json()["items"] == []


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/cycles/2031-Q1"),
        ("POST", "/api/v1/cycles/2031-Q1/start"),
        ("POST", "/api/v1/cycles/2031-Q1/close"),
    ],
)
def test_an_unknown_cycle_is_not_found(client, method, path):
    body = assert_problem(
        client.request(method, path, headers={"If-Match": '"1"'}), 404, "not-found"
    )
    assert "2031-Q1" in body["detail"]
