"""The app's process-wide settings, as a server applies them."""

from __future__ import annotations

import warnings

import anyio.to_thread
from fastapi import FastAPI
from sqlalchemy import Engine

from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.interfaces.web.app import REQUEST_THREADS, allowed_hosts, create_app
from tests.support.browsers import bearer

with warnings.catch_warnings():
    # Starlette asks for httpx2, which this project does not install; httpx works.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient


def test_requests_run_on_a_few_threads_at_once(engine: Engine) -> None:
    app = create_app(lambda: SqlUnitOfWork(engine))
    seen: list[float] = []

    @app.get("/threads")
    async def threads() -> dict[str, float]:
        seen.append(anyio.to_thread.current_default_thread_limiter().total_tokens)
        return {}

    with TestClient(app) as client:
        assert client.get("/threads").status_code == 200
    assert seen == [REQUEST_THREADS]
    assert isinstance(app, FastAPI)


def test_with_hosts_a_request_naming_another_is_refused(engine: Engine, monkeypatch) -> None:
    monkeypatch.setenv("OKRKIT_ALLOWED_HOSTS", " OKRKIT.internal , ,10.0.0.5")
    hosts = allowed_hosts()
    assert hosts == ["127.0.0.1", "localhost", "okrkit.internal", "10.0.0.5"]
    app = create_app(lambda: SqlUnitOfWork(engine), hosts=hosts)
    with TestClient(app, base_url="http://127.0.0.1:8000", headers=bearer(app)) as client:
        assert client.get("/api/v1/teams").status_code == 200
        assert client.get("/api/v1/teams", headers={"Host": "okrkit.internal"}).status_code == 200
        refused = client.get("/api/v1/teams", headers={"Host": "rebind.example"})
        assert refused.status_code == 400
        assert (
            client.post(
                "/api/v1/teams",
                json={"key": "ops", "name": "Ops"},
                headers={"Host": "evil.example"},
            ).status_code
            == 400
        )
        assert client.get("/api/v1/teams").json() == []  # nothing written
