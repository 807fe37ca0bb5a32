"""`/api/v1/key-results/{id}/check-ins`: the history oldest first, a check-in answered
with its key result judged again, a key result fed by a KPI annotated but never
overridden, racing check-ins all kept in order, and bad check-ins named at their field
with nothing written."""

from __future__ import annotations

import threading
import warnings

import pytest

from tests.support.browsers import bearer
from tests.web.api.helpers import assert_problem

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

ONBOARDING = "/api/v1/objectives/streamline-onboarding"


def _paths(client) -> list[str]:
    """The check-ins of wizard, first action, conversion (fed by a KPI), tickets."""
    krs = client.get(ONBOARDING).json()["key_results"]
    return [f"/api/v1/key-results/{kr['id']}/check-ins" for kr in krs]


def test_the_history_is_every_check_in_oldest_first(okr_client):
    wizard = _paths(okr_client)[0]
    history = okr_client.get(wizard)
    assert history.status_code == 200
    items = history.json()
    assert [(c["at"], c["value"], c["note"]) for c in items] == [
        (f"2026-{day}T00:00:00Z", 40.0 + 3 * n, f"week {n}")
        for n, day in enumerate(["07-05", "07-12", "07-19", "07-26", "08-02", "08-09"], start=1)
    ]
    assert {(c["confidence"], c["author"]) for c in items} == {(6.0, "noah@example.com")}


def test_a_check_in_answers_with_the_key_result_judged_again(okr_client):
    client = okr_client
    wizard = _paths(client)[0]
    before = client.get(wizard.removesuffix("/check-ins")).json()
    posted = client.post(
        wizard,
        json={"value": 64, "confidence": 8, "note": "The new step 2 shipped; no blockers."},
        headers=bearer(client.app, "noah@example.com"),
    )
    assert posted.status_code == 201, posted.text
    assert posted.headers["etag"] == f'"{before["version"]}"'  # appended, not a change
    body = posted.json()
    assert (body["id"], body["current"]) == (before["id"], 64.0)
    assert body["progress"] == pytest.approx(0.8)
    assert (body["confidence"], body["confidence_trend"]) == (8.0, "up")
    assert body["last_check_in"] == {
        "at": "2026-08-12T09:00:00Z",
        "value": 64.0,
        "confidence": 8.0,
        "note": "The new step 2 shipped; no blockers.",
        "author": "noah@example.com",
    }
    assert body["forecast"]["n"] == before["forecast"]["n"] + 1
    assert body["forecast"]["forecast"] != before["forecast"]["forecast"]
    assert body["pace"] in {"on_track", "at_risk", "off_track"}
    history = client.get(wizard).json()
    assert len(history) == 7
    assert history[-1] == body["last_check_in"]
    # The objective sees it too.
    objective = client.get(ONBOARDING).json()
    assert objective["key_results"][0]["current"] == 64.0


def test_a_correction_is_a_new_check_in(okr_client):
    wizard = _paths(okr_client)[0]
    assert okr_client.post(wizard, json={"value": 60}).status_code == 201
    assert okr_client.post(wizard, json={"value": 59, "note": "correction: 59"}).status_code == 201
    history = okr_client.get(wizard).json()
    assert [c["value"] for c in history[-3:]] == [58.0, 60.0, 59.0]


def test_a_key_result_fed_by_a_kpi_takes_a_note_but_not_a_value(okr_client):
    client = okr_client
    conversion = _paths(client)[2]
    refused = client.post(conversion, json={"value": 15, "confidence": 7})
    body = assert_problem(refused, 422, "invalid-input")
    assert body["field"] == "value"
    assert "follows KPI 'trial_to_paid'" in body["detail"]
    assert "add a note" in body["detail"]
    assert client.get(conversion).json() == []

    noted = client.post(conversion, json={"confidence": 7, "note": "Pricing test starts Monday"})
    assert noted.status_code == 201, noted.text
    assert noted.json()["current"] == pytest.approx(13.4)  # still the KPI's newest value
    [check_in] = client.get(conversion).json()
    assert (check_in["value"], check_in["confidence"], check_in["note"]) == (
        pytest.approx(13.4),
        7.0,
        "Pricing test starts Monday",
    )


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ({"value": "sixty"}, "value", "valid number"),
        ({"value": "60"}, "value", "valid number"),  # a number is not a string of digits
        ({"value": True}, "value", "valid number"),
        ({"confidence": 5}, "value", "a check-in needs a value"),
        ({"value": 60, "confidence": 11}, "confidence", "is not from 0"),
        ({"value": 60, "confidence": -1}, "confidence", "is not from 0"),
        ({"value": 60, "confidence": "high"}, "confidence", "valid number"),
        ({"value": 60, "note": "n" * 5_001}, "note", "at most 5000 characters"),
        ({"value": 60, "note": "a\u0000b"}, "note", "NUL"),
        ({"value": 60, "mood": "fine"}, "mood", "Extra inputs are not permitted"),
    ],
)
def test_a_bad_check_in_is_named_at_its_field_and_nothing_is_written(okr_client, body, field, says):
    wizard = _paths(okr_client)[0]
    problem = assert_problem(okr_client.post(wizard, json=body), 422, "invalid-input")
    assert problem["field"] == field
    assert says in problem["detail"]
    assert len(okr_client.get(wizard).json()) == 6


def test_a_milestone_takes_a_whole_number_of_steps(okr_client):
    client = okr_client
    added = client.post(
        f"{ONBOARDING}/key-results",
        json={"title": "Run the experiments", "type": "milestone", "steps": "Design; Pilot"},
    )
    path = f"/api/v1/key-results/{added.json()['id']}/check-ins"
    refused = client.post(path, json={"value": 1.5})
    assert (
        "number of steps done from 0 to 2"
        in assert_problem(refused, 422, "invalid-input")["detail"]
    )
    done = client.post(path, json={"value": 1})
    assert done.json()["progress"] == 0.5
    assert [c["value"] for c in client.get(path).json()] == [1.0]


def test_check_ins_on_a_scored_objective_are_refused(okr_client):
    client = okr_client
    wizard = _paths(client)[0]
    assert client.post(f"{ONBOARDING}/score", json={"version": 1}).is_success
    refused = client.post(wizard, json={"value": 60})
    assert "scored" in assert_problem(refused, 409, "conflict")["detail"]
    assert len(client.get(wizard).json()) == 6


def test_racing_check_ins_are_all_kept_each_clients_in_the_order_it_sent_them(okr_client):
    """Two people check in on one key result at once, five times each: every check-in
    is kept, and each person's appear in the order they were sent."""
    wizard = _paths(okr_client)[0]
    start = threading.Barrier(2)
    answers: dict[str, list[int]] = {"noah": [], "omar": []}
    tokens = {p: bearer(okr_client.app, f"{p}@example.com") for p in answers}

    def check_in(person: str, base: float) -> None:
        with TestClient(okr_client.app, headers=tokens[person]) as client:
            start.wait()
            for i in range(5):
                response = client.post(wizard, json={"value": base + i, "note": f"{person} {i}"})
                answers[person].append(response.status_code)

    threads = [
        threading.Thread(target=check_in, args=("noah", 60.0)),
        threading.Thread(target=check_in, args=("omar", 50.0)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert answers == {"noah": [201] * 5, "omar": [201] * 5}

    history = okr_client.get(wizard).json()
    assert len(history) == 6 + 10
    new = history[6:]
    for person in ("noah", "omar"):
        own = [c["note"] for c in new if c["author"] == f"{person}@example.com"]
        assert own == [f"{person} {i}" for i in range(5)]
    assert [c["at"] for c in history] == sorted(c["at"] for c in history)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/key-results/999/check-ins", 404),
        ("POST", "/api/v1/key-results/999/check-ins", 404),
        ("POST", "/api/v1/key-results/-1/check-ins", 422),
    ],
)
def test_check_ins_of_an_unknown_key_result(okr_client, method, path, status):
    response = okr_client.request(method, path, json={"value": 1})
    assert_problem(response, status, "not-found" if status == 404 else "invalid-input")
