"""Request dependencies: the pages and the API read who acts by one rule."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.interfaces.web.app import create_app
from tests.support.browsers import BrowserClient

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

NOW = datetime(2026, 11, 23, 9, 30)


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    app = create_app(lambda: SqlUnitOfWork(engine), clock=lambda: NOW)
    with BrowserClient(app, follow_redirects=False) as client:
        yield client


def _team(client: TestClient, key: str, actor: str | None) -> Any:
    headers = {} if actor is None else {"X-Okrkit-Actor": actor}
    return client.post("/api/v1/teams", json={"key": key, "name": key}, headers=headers)


KPI_FORM = {"key": "dau", "name": "Daily active users", "unit": "count", "team": "growth",
            "direction": "higher", "cadence": "daily"}  # fmt: skip


def test_the_api_and_the_pages_record_the_same_actor(client: TestClient) -> None:
    assert _team(client, "growth", "maya@example.com").json()["changed_by"] == "maya@example.com"
    created = client.post("/kpis", data=KPI_FORM, headers={"X-Okrkit-Actor": " omar "})
    assert created.status_code == 303
    assert client.get("/api/v1/kpis/dau").json()["changed_by"] == "omar"


def test_without_a_header_each_interface_names_itself(client: TestClient) -> None:
    assert _team(client, "growth", None).json()["changed_by"] == "api"
    assert client.post("/kpis", data=KPI_FORM).status_code == 303
    assert client.get("/api/v1/kpis/dau").json()["changed_by"] == "web"


def test_a_too_long_actor_is_refused_by_both_never_cut(client: TestClient) -> None:
    long = "x" * 201
    refused = _team(client, "growth", long)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "X-Okrkit-Actor"
    assert _team(client, "growth", "x" * 200).status_code == 201
    page = client.post("/kpis", data=KPI_FORM, headers={"X-Okrkit-Actor": long})
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert "X-Okrkit-Actor" in page.text
    assert client.get("/api/v1/kpis/dau").status_code == 404  # nothing written


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
