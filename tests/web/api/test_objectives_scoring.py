"""`/api/v1/objectives/{objective}/score` and `…/carry`: scoring with the proposed
scores or a person's with a reason, closing with the retrospective a committed
objective under 1.0 needs, and carrying an unfinished objective into the next cycle —
each bad request named at its field with nothing written."""

from __future__ import annotations

import pytest

from tests.support.browsers import bearer
from tests.web.api.helpers import assert_problem

ONBOARDING = "/api/v1/objectives/streamline-onboarding"
COMPANY = "/api/v1/objectives/grow-paying-customers"


def _ids(client, path: str = ONBOARDING) -> list[int]:
    return [kr["id"] for kr in client.get(path).json()["key_results"]]


def test_scoring_proposes_each_key_results_progress_and_takes_a_persons_with_a_reason(
    okr_client,
):
    client = okr_client
    wizard, first, conversion, tickets = _ids(client)
    response = client.post(
        f"{ONBOARDING}/score",
        json={
            "scores": {str(first): {"score": 0.8, "reason": "the last step shipped on Friday"}},
            "retrospective": "The wizard helped; conversion lags.",
        },
        headers={"If-Match": '"1"', **bearer(client.app, "maya@example.com")},
    )
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == '"2"'
    body = response.json()
    assert (body["status"], body["changed_by"]) == ("scored", "maya@example.com")
    scores = {kr["id"]: (kr["score"], kr["score_reason"]) for kr in body["key_results"]}
    assert scores[wizard] == (0.6, "")
    assert scores[first] == (0.8, "the last step shipped on Friday")
    assert scores[conversion] == (0.35, "")
    # Weighted, the guardrail apart: (0.6 + 2 × 0.8 + 0.35) / 4.
    assert body["score"] == pytest.approx(0.6375)
    assert body["grade"] == {
        "score": pytest.approx(0.6375),
        "display": "0.6",
        "colour": "yellow",
        "success": False,
        "needs_explanation": False,
    }
    assert body["retrospective"] == "The wizard helped; conversion lags."
    read = client.get(ONBOARDING).json()
    assert (read["status"], read["version"]) == ("scored", 2)
    assert read["key_results"][1]["score"] == 0.8


def test_a_committed_objective_under_one_closes_only_with_its_explanation(okr_client):
    client = okr_client
    refused = client.post(f"{COMPANY}/score", json={"close": True, "version": 1})
    body = assert_problem(refused, 422, "invalid-input")
    assert body["field"] == "retrospective"
    assert "needs a written explanation" in body["detail"]
    read = client.get(COMPANY).json()
    assert (read["status"], read["version"], read["score"]) == ("active", 1, None)
    assert read["key_results"][0]["score"] is None

    closed = client.post(
        f"{COMPANY}/score",
        json={"close": True, "retrospective": "No check-ins: we lost sight of it.", "version": 1},
    )
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed"
    assert closed.json()["grade"]["needs_explanation"] is False
    again = client.post(f"{COMPANY}/score", json={"version": 2})
    assert "already closed" in assert_problem(again, 409, "conflict")["detail"]


@pytest.mark.parametrize(
    ("scores", "field", "says"),
    [
        ({"WIZARD": {"score": 0.9}}, "scores.WIZARD", "differs from the 0.6"),
        ({"WIZARD": {"score": 1.5, "reason": "r"}}, "scores.WIZARD", "not between 0.0 and 1.0"),
        ({"WIZARD": {"score": "high"}}, "scores.WIZARD.score", "valid number"),
        ({"WIZARD": {"score": 0.9, "mood": "good"}}, "scores.WIZARD.mood", "Extra inputs"),
        ({"999": {"score": 0.5, "reason": "r"}}, "scores", "key result 999 is not one"),
    ],
)
def test_a_bad_score_is_named_at_its_field_and_nothing_is_written(okr_client, scores, field, says):
    wizard = _ids(okr_client)[0]
    named = {key.replace("WIZARD", str(wizard)): value for key, value in scores.items()}
    response = okr_client.post(f"{ONBOARDING}/score", json={"scores": named, "version": 1})
    body = assert_problem(response, 422, "invalid-input")
    assert body["field"] == field.replace("WIZARD", str(wizard))
    assert says in body["detail"]
    read = okr_client.get(ONBOARDING).json()
    assert (read["status"], read["version"]) == ("active", 1)
    assert all(kr["score"] is None and kr["version"] == 1 for kr in read["key_results"])


def test_a_stale_score_is_refused(okr_client):
    client = okr_client
    assert client.patch(ONBOARDING, json={"owner": "noah@example.com", "version": 1}).is_success
    stale = client.post(f"{ONBOARDING}/score", json={"version": 1})
    assert_problem(stale, 409, "conflict")
    read = client.get(ONBOARDING).json()
    assert (read["status"], read["version"]) == ("active", 2)
    assert all(kr["score"] is None for kr in read["key_results"])


def test_an_unfinished_objective_is_carried_into_the_next_cycle(okr_client):
    client = okr_client
    wizard, first, _, _ = _ids(client)
    assert client.post("/api/v1/cycles", json={"name": "2026-Q4"}).status_code == 201
    carried = client.post(
        f"{ONBOARDING}/carry",
        json={"key_results": [wizard, first], "new_key": "onboarding-q4"},
        headers=bearer(client.app, "maya@example.com"),
    )
    assert carried.status_code == 201, carried.text
    assert carried.headers["location"] == "/api/v1/objectives/onboarding-q4"
    body = carried.json()
    assert (body["key"], body["cycle"], body["carried_from"]) == (
        "onboarding-q4",
        "2026-Q4",
        "streamline-onboarding",
    )
    read = client.get("/api/v1/objectives/onboarding-q4").json()
    # Each starts where it ended, due at the new cycle's end.
    assert [(kr["start"], kr["target"], kr["deadline"]) for kr in read["key_results"]] == [
        (58.0, 70.0, "2026-12-31"),
        (5.0, 3.0, "2026-12-31"),
    ]
    # The original is untouched.
    assert client.get(ONBOARDING).json()["version"] == 1


def test_carrying_by_default_goes_to_the_next_quarter_under_a_derived_key(okr_client):
    client = okr_client
    assert client.post("/api/v1/cycles", json={"name": "2026-Q4"}).status_code == 201
    carried = client.post(f"{ONBOARDING}/carry")
    assert carried.status_code == 201, carried.text
    assert carried.json()["key"] == "streamline-onboarding-2026-q4"
    titles = [kr["title"] for kr in client.get(carried.headers["location"]).json()["key_results"]]
    assert len(titles) == 4


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ({}, "cycle", "no cycle '2026-Q4': add it first"),
        ({"cycle": "2026-Q3"}, "cycle", "another cycle"),
        ({"cycle": "2026-Q4", "key_results": [999]}, "key_results", "999 is not one"),
        ({"cycle": "2026-Q4", "new_key": "Onboarding Q4"}, "new_key", "is not a key"),
        ({"cycle": "2026-Q4", "key_results": ["wizard"]}, "key_results[0]", "valid integer"),
        ({"cycle": "2026-Q4", "copy": True}, "copy", "Extra inputs"),
    ],
)
def test_a_bad_carry_is_named_at_its_field_and_nothing_is_written(okr_client, body, field, says):
    client = okr_client
    if body.get("cycle") == "2026-Q4":
        assert client.post("/api/v1/cycles", json={"name": "2026-Q4"}).status_code == 201
    problem = assert_problem(client.post(f"{ONBOARDING}/carry", json=body), 422, "invalid-input")
    assert problem["field"] == field
    assert says in problem["detail"]
    assert client.get("/api/v1/objectives").json()["total"] == 2


def test_carrying_onto_a_taken_key_is_a_conflict(okr_client):
    client = okr_client
    assert client.post("/api/v1/cycles", json={"name": "2026-Q4"}).status_code == 201
    taken = client.post(f"{ONBOARDING}/carry", json={"new_key": "grow-paying-customers"})
    assert "already exists" in assert_problem(taken, 409, "conflict")["detail"]
    assert client.get("/api/v1/objectives", params={"cycle": "2026-Q4"}).json()["total"] == 0
