"""`/api/v1/objectives/{objective}/key-results` and `/api/v1/key-results/{id}`: a key
result added, read judged as of now (its forecast is `domain.forecast.forecast` on its
check-ins, as `okrkit kr forecast` computes it), changed and recalibrated with a reason;
versions; and bad key results named at their field with nothing written."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from okrkit.domain.forecast import forecast
from tests.support.browsers import bearer
from tests.web.api.helpers import assert_problem

ONBOARDING = "/api/v1/objectives/streamline-onboarding"
ACTIVE_USERS = {
    "title": "Grow weekly active teams from 120 to 180",
    "start": 120,
    "target": 180,
    "unit": "count",
    "owner": "noah@example.com",
    "deadline": "2026-09-15",
}


def _key_results(client) -> list[dict]:
    return client.get(ONBOARDING).json()["key_results"]


def _path(client, index: int = 0) -> str:
    return f"/api/v1/key-results/{_key_results(client)[index]['id']}"


def test_a_key_result_is_added_last_and_read_judged(okr_client):
    client = okr_client
    added = client.post(
        f"{ONBOARDING}/key-results",
        json=ACTIVE_USERS,
        headers=bearer(client.app, "noah@example.com"),
    )
    assert added.status_code == 201, added.text
    body = added.json()
    assert added.headers["location"] == f"/api/v1/key-results/{body['id']}"
    assert added.headers["etag"] == '"1"'
    assert {k: body[k] for k in ACTIVE_USERS} == {**ACTIVE_USERS, "start": 120.0, "target": 180.0}
    assert (body["objective"], body["weight"], body["guardrail"], body["changed_by"]) == (
        "streamline-onboarding",
        1.0,
        False,
        "noah@example.com",
    )
    assert [kr["id"] for kr in _key_results(client)][-1] == body["id"]

    read = client.get(added.headers["location"])
    assert read.status_code == 200
    assert read.headers["etag"] == '"1"'
    detail = read.json()
    assert (detail["cycle"], detail["initiatives"]) == ("2026-Q3", [])
    assert (detail["current"], detail["progress"], detail["pace"]) == (None, 0.0, "not_started")
    assert detail["check_in_due"] is True
    assert detail["last_check_in"] is None
    assert detail["forecast"] == {
        "n": 0,
        "slope_per_day": None,
        "forecast": None,
        "lower": None,
        "upper": None,
        "probability": None,
        "reason": "a forecast needs at least 3 check-ins; there are 0",
    }


def test_the_forecast_is_kr_forecasts_on_the_same_check_ins(okr_client):
    """After a check-in off the line, the interval has a width; the numbers are those of
    `domain.forecast.forecast` (what `okrkit kr forecast` runs) on the history."""
    client = okr_client
    path = _path(client)
    assert client.post(f"{path}/check-ins", json={"value": 55.5, "confidence": 5}).is_success
    history = client.get(f"{path}/check-ins").json()
    times = [datetime.fromisoformat(c["at"]).astimezone(UTC) for c in history]
    values = [c["value"] for c in history]
    expected = forecast(times, values, deadline=date(2026, 9, 30), start=40, target=70)

    got = client.get(path).json()["forecast"]
    assert got["n"] == expected.n == 7
    for key in ("slope_per_day", "forecast", "lower", "upper", "probability"):
        assert got[key] == pytest.approx(getattr(expected, key), rel=1e-9), key
    assert got["lower"] < got["forecast"] < got["upper"]
    assert "reason" not in got


def test_a_key_result_is_changed_and_its_target_recalibrated_with_a_reason(okr_client):
    client = okr_client
    path = _path(client)
    renamed = client.patch(
        path, json={"title": "Lift wizard completion to 70%"}, headers={"If-Match": '"1"'}
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.headers["etag"] == '"2"'
    assert renamed.json()["title"] == "Lift wizard completion to 70%"
    assert renamed.json()["target"] == 70.0

    no_reason = client.patch(path, json={"target": 80, "version": 2})
    body = assert_problem(no_reason, 422, "invalid-input")
    assert body["field"] == "reason"
    assert "recalibration" in body["detail"]
    assert client.get(path).json()["target"] == 70.0

    recalibrated = client.patch(
        path, json={"target": 80, "reason": "the new wizard beat the pilot", "version": 2}
    )
    assert recalibrated.status_code == 200, recalibrated.text
    after = recalibrated.json()
    assert (after["target"], after["original_target"], after["recalibration"]) == (
        80.0,
        70.0,
        "the new wizard beat the pilot",
    )
    assert client.get(path).json()["progress"] == pytest.approx(18 / 40)


def test_a_stale_change_to_a_key_result_is_refused(okr_client):
    client = okr_client
    path = _path(client)
    saved = client.patch(
        path,
        json={"owner": "omar@example.com", "version": 1},
        headers=bearer(client.app, "omar@example.com"),
    )
    assert saved.status_code == 200
    stale = client.patch(path, json={"weight": 3}, headers={"If-Match": '"1"'})
    assert (
        "changed by omar@example.com at 2026-08-12 09:00 UTC"
        in assert_problem(stale, 409, "conflict")["detail"]
    )
    read = client.get(path).json()
    assert (read["weight"], read["owner"], read["version"]) == (1.0, "omar@example.com", 2)


def test_a_change_to_a_key_result_without_a_version_needs_one(okr_client):
    path = _path(okr_client)
    assert_problem(okr_client.patch(path, json={"weight": 3}), 428, "version-required")
    assert okr_client.get(path).json()["weight"] == 1.0


BAD_DEFINITIONS = [
    ({"deadline": "2026-10-15"}, "deadline", "not in cycle 2026-Q3"),
    ({"deadline": "2026-07-01"}, "deadline", "after its first day"),
    ({"target": 120}, "target", "the target equals the start"),
    ({"weight": 0}, "weight", "must be a positive number"),
    ({"weight": -2}, "weight", "must be a positive number"),
    ({"kpi": "nope"}, "kpi", "no KPI 'nope'"),
    ({"type": "gauge"}, "type", "Input should be"),
    ({"title": "x" * 201}, "title", "at most 200 characters"),
    ({"unit": "u" * 33}, "unit", "at most 32 characters"),
    ({"colour": "red"}, "colour", "Extra inputs are not permitted"),
]


@pytest.mark.parametrize(("change", "field", "says"), BAD_DEFINITIONS)
def test_a_bad_new_key_result_is_named_at_its_field_and_nothing_is_written(
    okr_client, change, field, says
):
    response = okr_client.post(f"{ONBOARDING}/key-results", json={**ACTIVE_USERS, **change})
    body = assert_problem(response, 422, "invalid-input")
    assert body["field"] == field
    assert says in body["detail"]
    assert len(_key_results(okr_client)) == 4


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        *[(c, f, s) for c, f, s in BAD_DEFINITIONS if f not in ("target", "unit")],
        ({"target": 40}, "target", "the target equals the start"),
        ({"title": None}, "title", "cannot be empty"),
        ({"start": "forty"}, "start", "valid number"),
        ({"target": 75, "reason": "r" * 5_001}, "reason", "at most 5000 characters"),
    ],
)
def test_a_bad_change_to_a_key_result_is_named_at_its_field_and_nothing_is_written(
    okr_client, change, field, says
):
    path = _path(okr_client)
    before = okr_client.get(path).json()
    response = okr_client.patch(path, json={**change, "version": 1})
    body = assert_problem(response, 422, "invalid-input")
    assert body["field"] == field
    assert says in body["detail"]
    assert okr_client.get(path).json() == before


def test_a_scored_objective_takes_no_new_key_result(okr_client):
    client = okr_client
    assert client.post(f"{ONBOARDING}/score", json={"version": 1}).is_success
    refused = client.post(f"{ONBOARDING}/key-results", json=ACTIVE_USERS)
    assert "on record" in assert_problem(refused, 409, "conflict")["detail"]
    assert len(_key_results(client)) == 4


@pytest.mark.parametrize(
    ("method", "path", "status", "slug"),
    [
        ("GET", "/api/v1/key-results/999", 404, "not-found"),
        ("PATCH", "/api/v1/key-results/999", 404, "not-found"),
        ("POST", "/api/v1/objectives/nope/key-results", 404, "not-found"),
        ("GET", "/api/v1/key-results/0", 422, "invalid-input"),
        ("GET", "/api/v1/key-results/99999999999", 422, "invalid-input"),
        ("GET", "/api/v1/key-results/wizard", 422, "invalid-input"),
    ],
)
def test_an_unknown_key_result_is_not_found_and_a_bad_id_is_named(
    okr_client, method, path, status, slug
):
    response = okr_client.request(method, path, json=ACTIVE_USERS, headers={"If-Match": '"1"'})
    body = assert_problem(response, status, slug)
    if status == 422:
        assert (body["errors"][0]["location"], body["field"]) == ("path", "id")
