"""The JSON API through httpx (FastAPI's TestClient) against `create_app`, on SQLite and
on PostgreSQL: a client of an empty workspace at a fixed moment, a second one acting as
someone else, a team and a KPI made through the API, and the demo workspace."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine

from okrkit import demo
from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.interfaces.web.app import create_app
from okrkit.services.workspace import load_workspace
from tests.support import okrs
from tests.support.actors import as_actor
from tests.support.browsers import bearer
from tests.web.api.helpers import GROWTH, NOW, TODAY, TRIAL_TO_PAID

with warnings.catch_warnings():
    # Starlette asks for httpx2, which this project does not install; httpx works.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    app = create_app(lambda: SqlUnitOfWork(engine), clock=lambda: NOW)
    with TestClient(app, headers=bearer(app)) as client:
        yield client


@pytest.fixture
def other(client: TestClient) -> Iterator[TestClient]:
    """A second client of the same app, acting as someone else."""
    with TestClient(client.app, headers=bearer(client.app, "omar@example.com")) as other:
        yield other


@pytest.fixture
def growth(client: TestClient) -> dict[str, Any]:
    response = client.post("/api/v1/teams", json=GROWTH)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def kpi(client: TestClient, growth: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/v1/kpis", json=TRIAL_TO_PAID)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def demo_workspace(uow: SqlUnitOfWork) -> demo.Workspace:
    workspace = demo.build(TODAY)
    load_workspace(uow, workspace.teams, workspace.kpis, workspace.values, as_actor("demo"), NOW)
    return workspace


@pytest.fixture
def okr_client(engine: Engine, uow: SqlUnitOfWork) -> Iterator[TestClient]:
    """A client of the OKR workspace of `tests.support.okrs` (2026-Q3, active, six weeks
    of check-ins), at its fixed moment `okrs.NOW`."""
    okrs.build(uow)
    app = create_app(lambda: SqlUnitOfWork(engine), clock=lambda: okrs.NOW)
    with TestClient(app, headers=bearer(app)) as client:
        yield client
