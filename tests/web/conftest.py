"""The app on the OKR workspace of `tests.support.okrs`, for the tests of the web edge
(security, dependencies), on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine

from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.interfaces.web.app import create_app
from tests.support import okrs
from tests.support.browsers import BrowserClient


@pytest.fixture
def okr_app(engine: Engine, uow: SqlUnitOfWork) -> Callable[..., FastAPI]:
    """Makes the app on the OKR workspace (2026-Q3, active), judged at `okrs.NOW`, with
    the options of `create_app` given."""
    okrs.build(uow)

    def make(**options: Any) -> FastAPI:
        return create_app(lambda: SqlUnitOfWork(engine), clock=lambda: okrs.NOW, **options)

    return make


@pytest.fixture
def okr_client(okr_app: Callable[..., FastAPI]) -> Iterator[BrowserClient]:
    """A browser on the OKR workspace."""
    with BrowserClient(okr_app(), follow_redirects=False) as client:
        yield client
