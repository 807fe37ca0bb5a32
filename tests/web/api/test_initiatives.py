"""`/api/v1/key-results/{id}/initiatives` and `/api/v1/initiatives/{id}`: work added
under a key result, read, changed in part; versions; bad initiatives named at their
field with nothing written."""

from __future__ import annotations

import pytest

from tests.support.browsers import bearer
from tests.web.api.helpers import assert_problem

WIZARD_WORK = {
    "title": "Rebuild the setup wizard's second step",
    "status": "in_progress",
    "url": "https://tracker.example.com/ONB-42",
}


@pytest.fixture
def wizard(okr_client) -> int:
    krs = okr_client.get("/api/v1/objectives/streamline-onboarding").json()["key_results"]
    return int(krs[0]["id"])


def test_an_initiative_is_added_read_and_changed(okr_client, wizard):
    client = okr_client
    added = client.post(
        f"/api/v1/key-results/{wizard}/initiatives",
        json=WIZARD_WORK,
        headers=bearer(client.app, "noah@example.com"),
    )
    assert added.status_code == 201, added.text
    body = added.json()
    assert added.headers["location"] == f"/api/v1/initiatives/{body['id']}"
    assert added.headers["etag"] == '"1"'
    assert body == {
        "id": body["id"],
        "key_result": wizard,
        **WIZARD_WORK,
        "version": 1,
        "changed_at": "2026-08-12T09:00:00Z",
        "changed_by": "noah@example.com",
    }
    read = client.get(added.headers["location"])
    assert read.headers["etag"] == '"1"'
    assert read.json() == body
    # The key result lists its work.
    detail = client.get(f"/api/v1/key-results/{wizard}").json()
    assert detail["initiatives"] == [body]

    done = client.patch(
        added.headers["location"], json={"status": "done"}, headers={"If-Match": '"1"'}
    )
    assert done.status_code == 200, done.text
    assert done.headers["etag"] == '"2"'
    assert (done.json()["status"], done.json()["title"], done.json()["url"]) == (
        "done",
        WIZARD_WORK["title"],
        WIZARD_WORK["url"],
    )
    cleared = client.patch(added.headers["location"], json={"url": None, "version": 2})
    assert cleared.json()["url"] is None
    assert client.get(added.headers["location"]).json()["version"] == 3


def test_a_new_initiative_is_planned_without_an_address_by_default(okr_client, wizard):
    added = okr_client.post(
        f"/api/v1/key-results/{wizard}/initiatives", json={"title": "Interview five new teams"}
    )
    assert (added.json()["status"], added.json()["url"]) == ("planned", None)


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ({"title": "  "}, "title", "needs a title"),
        ({"title": "t" * 201}, "title", "at most 200 characters"),
        ({"title": "Work", "url": "ftp://tracker.example.com/1"}, "url", "not a web address"),
        ({"title": "Work", "status": "blocked"}, "status", "Input should be"),
        ({"title": "Work", "owner": "noah"}, "owner", "Extra inputs are not permitted"),
        ({"status": "planned"}, "title", "Field required"),
    ],
)
def test_a_bad_initiative_is_named_at_its_field_and_nothing_is_written(
    okr_client, wizard, body, field, says
):
    response = okr_client.post(f"/api/v1/key-results/{wizard}/initiatives", json=body)
    problem = assert_problem(response, 422, "invalid-input")
    assert problem["field"] == field
    assert says in problem["detail"]
    assert okr_client.get(f"/api/v1/key-results/{wizard}").json()["initiatives"] == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": None}, "title"),
        ({"status": None}, "status"),
        ({"title": ""}, "title"),
        ({"url": "not a url"}, "url"),
        ({"key_result": 1}, "key_result"),
    ],
)
def test_a_bad_change_is_named_at_its_field_and_nothing_is_written(
    okr_client, wizard, change, field
):
    added = okr_client.post(f"/api/v1/key-results/{wizard}/initiatives", json=WIZARD_WORK)
    path = added.headers["location"]
    response = okr_client.patch(path, json={**change, "version": 1})
    assert assert_problem(response, 422, "invalid-input")["field"] == field
    assert okr_client.get(path).json() == added.json()


def test_versions_of_an_initiative(okr_client, wizard):
    client = okr_client
    path = client.post(f"/api/v1/key-results/{wizard}/initiatives", json=WIZARD_WORK).headers[
        "location"
    ]
    assert_problem(client.patch(path, json={"status": "done"}), 428, "version-required")
    saved = client.patch(
        path,
        json={"status": "dropped", "version": 1},
        headers=bearer(client.app, "omar@example.com"),
    )
    assert saved.status_code == 200
    stale = client.patch(path, json={"status": "done"}, headers={"If-Match": '"1"'})
    assert "changed by omar" in assert_problem(stale, 409, "conflict")["detail"]
    assert client.get(path).json()["status"] == "dropped"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/key-results/999/initiatives"),
        ("GET", "/api/v1/initiatives/999"),
        ("PATCH", "/api/v1/initiatives/999"),
    ],
)
def test_an_unknown_initiative_or_key_result_is_not_found(okr_client, method, path):
    response = okr_client.request(method, path, json={"title": "Work"}, headers={"If-Match": "1"})
    assert "999" in assert_problem(response, 404, "not-found")["detail"]
