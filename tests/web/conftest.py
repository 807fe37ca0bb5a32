"""The app on the OKR workspace of `tests.support.okrs`, for the tests of the web edge
(security, dependencies), on SQLite and on PostgreSQL; and the authorisation matrix's
summary at the end of a run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from _pytest.terminal import TerminalReporter
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


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    """The authorisation matrix in figures — cells checked, cells failing, leaks found —
    gathered from every worker's reports (tests/web/test_app_authorization_matrix.py)."""
    cells, failing, leaks = 0, 0, 0
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "call":
                continue
            for name, found in getattr(report, "user_properties", ()):
                if name == "authorization matrix":
                    cells += found["cells"]
                    failing += len(found["failing"])
                    leaks += len(found["leaks"])
    if cells:
        terminalreporter.write_sep("-", "authorisation matrix")
        terminalreporter.write_line(
            f"{cells} cells checked, {failing} failing, {leaks} leaks found"
        )
