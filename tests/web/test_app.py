"""The app's process-wide settings, as a server applies them."""

from __future__ import annotations

import warnings

import anyio.to_thread
from fastapi import FastAPI
from sqlalchemy import Engine

from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.interfaces.web.app import REQUEST_THREADS, create_app

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
