"""The app on the OKR workspace of `tests.support.okrs`, for the tests of the web edge
(security, dependencies), on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.interfaces.web.app import create_app
from tests.support import okrs
from tests.support.browsers import BrowserClient


@pytest.fixture
def okr_client(engine: Engine, uow: SqlUnitOfWork) -> Iterator[BrowserClient]:
    """A browser on the OKR workspace (2026-Q3, active), judged at `okrs.NOW`."""
    okrs.build(uow)
    app = create_app(lambda: SqlUnitOfWork(engine), clock=lambda: okrs.NOW)
    with BrowserClient(app, follow_redirects=False) as client:
        yield client
