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

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

NOW = datetime(2026, 11, 23, 9, 30)


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    app = create_app(lambda: SqlUnitOfWork(engine), clock=lambda: NOW)
    with TestClient(app, follow_redirects=False) as client:
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
