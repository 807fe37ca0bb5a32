"""The HTML pages through httpx (FastAPI's TestClient) against `create_app`, on SQLite
and on PostgreSQL, with the demo workspace loaded."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from okrkit import demo
from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.interfaces.web.app import create_app
from okrkit.services.workspace import load_workspace
from tests.support import okrs
from tests.support.actors import as_actor
from tests.support.browsers import BrowserClient
from tests.web.pages.helpers import NOW, TODAY

with warnings.catch_warnings():
    # Starlette asks for httpx2, which this project does not install; httpx works.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient


@pytest.fixture
def client(engine: Engine, uow: SqlUnitOfWork) -> Iterator[TestClient]:
    """The app on a database holding the demo workspace, judged at a fixed moment."""
    workspace = demo.build(TODAY)
    load_workspace(uow, workspace.teams, workspace.kpis, workspace.values, as_actor("demo"), NOW)
    app = create_app(lambda: SqlUnitOfWork(engine), clock=lambda: NOW)
    with BrowserClient(app, follow_redirects=False) as client:
        yield client


@pytest.fixture
def okr_client(engine: Engine, uow: SqlUnitOfWork) -> Iterator[TestClient]:
    """The app on a database holding the OKR workspace of `tests.support.okrs` (2026-Q3,
    active, six weeks of check-ins), judged at its fixed moment `okrs.NOW`."""
    okrs.build(uow)
    app = create_app(lambda: SqlUnitOfWork(engine), clock=lambda: okrs.NOW)
    with BrowserClient(app, follow_redirects=False) as client:
        yield client
