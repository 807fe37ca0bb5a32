"""Every answer tells the browser where it may be used: the pages, the API, static
files, errors and HEAD answers all carry the security headers."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.interfaces.web.app import create_app
from okrkit.interfaces.web.security import SECURITY_HEADERS
from tests.support import okrs

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient


@pytest.fixture
def okr_client(engine: Engine, uow: SqlUnitOfWork) -> Iterator[TestClient]:
    okrs.build(uow)
    app = create_app(lambda: SqlUnitOfWork(engine), clock=lambda: okrs.NOW)
    with TestClient(app, follow_redirects=False) as client:
        yield client


@pytest.mark.parametrize(
    ("method", "address", "status"),
    [
        ("get", "/", 200),
        ("get", "/cycles/2026-Q3", 200),
        ("get", "/api/v1/objectives", 200),
        ("get", "/static/style.css", 200),
        ("get", "/objectives/nothing-here", 404),
        ("get", "/api/v1/nothing-here", 404),
        ("head", "/cycles/2026-Q3", 200),
        ("post", "/api/v1/teams", 422),
    ],
)
def test_every_answer_carries_the_security_headers(okr_client, method, address, status):
    answer = getattr(okr_client, method)(address)
    assert answer.status_code == status
    for name, value in SECURITY_HEADERS.items():
        assert answer.headers[name] == value, name
    policy = answer.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self' 'unsafe-eval'" in policy  # no inline script, no other site
