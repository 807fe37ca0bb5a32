"""Request dependencies: the pages and the API read who acts by one rule — the signed-in
account of a session or an API token — and refuse a request from nobody."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import Engine

from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.interfaces.web.app import create_app
from tests.support.browsers import BrowserClient, bearer

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

NOW = datetime(2026, 11, 23, 9, 30)


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    app = create_app(lambda: SqlUnitOfWork(engine), clock=lambda: NOW)
    with BrowserClient(app, follow_redirects=False) as client:
        yield client


KPI_FORM = {"key": "dau", "name": "Daily active users", "unit": "count", "team": "growth",
            "direction": "higher", "cadence": "daily"}  # fmt: skip


def test_a_change_is_recorded_under_the_signed_in_account_on_both_interfaces(client):
    omar = bearer(client.app, "omar@example.com")
    team = client.post("/api/v1/teams", json={"key": "growth", "name": "Growth"}, headers=omar)
    assert team.json()["changed_by"] == "omar@example.com"
    assert client.post("/kpis", data=KPI_FORM).status_code == 303  # the browser: maya's
    assert client.get("/api/v1/kpis/dau").json()["changed_by"] == "maya@example.com"


def test_the_actor_header_signs_nothing(client):
    """What an anonymous PATCH with `X-Okrkit-Actor: ceo@example.com` once did: renamed a
    team under the CEO's name. Now it is refused, and a signed-in person's header is
    ignored: the change is theirs."""
    client.post("/api/v1/teams", json={"key": "growth", "name": "Growth"})
    ceo = {"X-Okrkit-Actor": "ceo@example.com", "If-Match": '"1"'}
    with TestClient(client.app) as anonymous:
        refused = anonymous.patch("/api/v1/teams/growth", json={"name": "Mine"}, headers=ceo)
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert client.get("/api/v1/teams/growth").json()["name"] == "Growth"
    renamed = client.patch("/api/v1/teams/growth", json={"name": "Growth team"}, headers=ceo)
    assert renamed.json()["changed_by"] == "maya@example.com"


def test_someone_not_signed_in_is_sent_to_sign_in_and_back(client):
    with TestClient(client.app, follow_redirects=False) as anonymous:
        page = anonymous.get("/teams/growth?x=1")
        assert page.status_code == 303
        assert page.headers["location"] == "/sign-in?next=%2Fteams%2Fgrowth%3Fx%3D1"
        api = anonymous.get("/api/v1/teams")
        assert api.status_code == 401
        assert api.json()["type"] == "/api/v1/problems/sign-in-required"
        assert "Authorization: Bearer" in api.json()["detail"]
        assert anonymous.get("/sign-in").status_code == 200
        assert anonymous.get("/api/v1/problems/sign-in-required").status_code == 200


@pytest.mark.parametrize(
    ("header", "says"),
    [
        ("Bearer okrkit_nope", "opens nothing"),
        ("Bearer ", "send the token as"),
        ("Basic bWF5YTpwdw==", "send the token as"),
        ("Token abc", "send the token as"),
    ],
)
def test_a_token_that_opens_nothing_is_refused_not_read_as_anonymous(client, header, says):
    with TestClient(client.app) as script:
        answer = script.get("/api/v1/teams", headers={"Authorization": header})
    assert answer.status_code == 401
    assert says in answer.json()["detail"]
    assert answer.json()["field"] == "Authorization"


@pytest.mark.parametrize(
    ("address", "field", "location"),
    [
        ("/api/v1/teams/gro%00wth", "path", "path"),
        ("/api/v1/kpis/dau/values?segment=pro%00", "segment", "query"),
        ("/api/v1/objectives?team=a%00b", "team", "query"),
        ("/teams/gro%00wth", "path", "path"),
        ("/cycles/2026-Q3?owner=%00", "owner", "query"),
        ("/objectives/a%00b", "path", "path"),
    ],
)
def test_a_nul_byte_in_an_address_is_named_before_any_database_sees_it(
    client: TestClient, address: str, field: str, location: str
) -> None:
    """No key, name or segment holds a NUL byte, and PostgreSQL's text cannot: an
    address or query that holds one is a 422 naming where — on both databases, for the
    API (a problem document) and the pages (a page in words)."""
    answer = client.get(address)
    assert answer.status_code == 422, answer.text
    if address.startswith("/api/"):
        problem = answer.json()
        assert problem["errors"] == [
            {"location": location, "field": field, "detail": problem["detail"]}
        ]
        assert "NUL byte (%00)" in problem["detail"]
    else:
        assert answer.headers["content-type"].startswith("text/html")
        assert "NUL byte (%00)" in answer.text


def test_a_nul_byte_in_a_body_is_refused_and_nothing_is_written(client: TestClient) -> None:
    refused = client.post("/api/v1/teams", json={"key": "ops", "name": "O\u0000ps"})
    assert refused.status_code == 422
    assert refused.json()["field"] == "name"
    assert "NUL byte" in refused.json()["detail"]
    assert client.get("/api/v1/teams/ops").status_code == 404
