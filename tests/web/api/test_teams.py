"""`/api/v1/teams`: round trips, versions (a stale one, one missing, `If-Match` and the
body's), and a team that does not exist."""

from __future__ import annotations

import pytest

from tests.support.browsers import bearer
from tests.web.api.helpers import GROWTH, assert_problem


def test_a_team_round_trips_create_read_rename_move_and_archive(client):
    created = client.post(
        "/api/v1/teams", json=GROWTH, headers=bearer(client.app, "maya@example.com")
    )
    assert created.status_code == 201
    assert created.headers["location"] == "/api/v1/teams/growth"
    assert created.headers["etag"] == '"1"'
    assert created.json() == {
        "key": "growth",
        "name": "Growth",
        "parent": None,
        "archived": False,
        "version": 1,
        "changed_at": "2026-11-23T09:30:00Z",
        "changed_by": "maya@example.com",
    }
    assert client.post("/api/v1/teams", json={"key": "company", "name": "Acme"}).status_code == 201

    read = client.get("/api/v1/teams/growth")
    assert read.status_code == 200
    assert read.headers["etag"] == '"1"'
    assert read.json() == created.json()

    renamed = client.patch(
        "/api/v1/teams/growth", json={"name": "Growth team"}, headers={"If-Match": '"1"'}
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.headers["etag"] == '"2"'
    assert renamed.json()["name"] == "Growth team"
    assert renamed.json()["changed_by"] == "maya@example.com"  # the client's own token

    moved = client.patch("/api/v1/teams/growth", json={"parent": "company", "version": 2})
    assert moved.json()["parent"] == "company"
    assert moved.json()["name"] == "Growth team"  # an omitted field stays
    detached = client.patch("/api/v1/teams/growth", json={"parent": None, "version": 3})
    assert detached.json()["parent"] is None

    listed = client.get("/api/v1/teams").json()
    assert [t["key"] for t in listed] == ["company", "growth"]  # by name: Acme, Growth team

    archived = client.delete("/api/v1/teams/growth", headers={"If-Match": '"4"'})
    assert archived.status_code == 200
    assert archived.json()["archived"] is True
    assert archived.headers["etag"] == '"5"'
    assert [t["key"] for t in client.get("/api/v1/teams").json()] == ["company"]
    everything = client.get("/api/v1/teams", params={"archived": "true"}).json()
    assert {t["key"] for t in everything} == {"company", "growth"}
    assert client.get("/api/v1/teams/growth").json()["archived"] is True


def test_a_taken_team_key_is_a_conflict(client, growth):
    body = assert_problem(client.post("/api/v1/teams", json=GROWTH), 409, "conflict")
    assert "already exists" in body["detail"]


def test_a_stale_version_is_refused_naming_who_changed_it_and_when(client, other, growth):
    # Both read version 1; Omar saves first, then Maya's change based on 1 is refused.
    assert client.get("/api/v1/teams/growth").headers["etag"] == '"1"'
    assert other.get("/api/v1/teams/growth").headers["etag"] == '"1"'
    saved = other.patch(
        "/api/v1/teams/growth", json={"name": "Growth"}, headers={"If-Match": '"1"'}
    )
    assert saved.status_code == 200

    stale = client.patch(
        "/api/v1/teams/growth", json={"name": "Growth squad"}, headers={"If-Match": '"1"'}
    )
    body = assert_problem(stale, 409, "conflict")
    assert "changed by omar@example.com at 2026-11-23 09:30 UTC" in body["detail"]
    assert "reload" in body["detail"]
    assert client.get("/api/v1/teams/growth").json()["name"] == "Growth"  # nothing overwritten


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", "/api/v1/teams/growth", {"name": "Growth"}),
        ("DELETE", "/api/v1/teams/growth", None),
    ],
)
def test_a_change_without_a_version_needs_one(client, growth, method, path, body):
    response = client.request(method, path, json=body)
    problem = assert_problem(response, 428, "version-required")
    assert "If-Match" in problem["detail"]
    assert client.get(path).json()["version"] == 1


def test_if_match_and_body_version_must_agree(client, growth):
    response = client.patch(
        "/api/v1/teams/growth", json={"name": "G", "version": 2}, headers={"If-Match": '"1"'}
    )
    body = assert_problem(response, 422, "invalid-input")
    assert body["field"] == "version"


@pytest.mark.parametrize("value", ['W/"1"', '"one"', "*", '"1", "2"'])
def test_a_malformed_if_match_is_invalid_input_in_the_header(client, growth, value):
    response = client.patch("/api/v1/teams/growth", json={"name": "G"}, headers={"If-Match": value})
    body = assert_problem(response, 422, "invalid-input")
    assert body["errors"][0]["location"] == "header"


def test_an_unknown_team_is_a_not_found_problem(client):
    body = assert_problem(client.get("/api/v1/teams/nope"), 404, "not-found")
    assert "'nope'" in body["detail"]


def test_archiving_an_unknown_team_is_not_found(client):
    assert_problem(client.delete("/api/v1/teams/nope", headers={"If-Match": "1"}), 404, "not-found")
