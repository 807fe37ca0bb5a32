"""HEAD answers wherever GET does, with GET's status and headers and no body: every GET
route of the app (listed from its routes, not by hand) and every static file, on the
demo workspace with its OKRs and a subscription."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from fastapi.routing import iter_route_contexts
from sqlalchemy import Engine

from okrkit import demo
from okrkit.adapters.store.engine import make_engine
from okrkit.adapters.store.migrate import upgrade
from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.interfaces.web.app import STATIC, create_app
from okrkit.interfaces.web.problems import NOT_FOUND
from okrkit.services.cycles import CreateCycle, create_cycle, list_cycles
from okrkit.services.imports import KEEP_UPLOAD
from okrkit.services.ports import PendingImport
from okrkit.services.subscriptions import CreateSubscription, create_subscription
from okrkit.services.workspace import load_workspace
from tests.support.actors import as_actor
from tests.support.browsers import BrowserClient

with warnings.catch_warnings():
    # Starlette asks for httpx2, which this project does not install; httpx works.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 30)

# A value of the demo workspace for each path parameter a GET route may have.
PATH_VALUES = {
    "team": "growth",
    "kpi": "trial_to_paid",
    "slug": NOT_FOUND.slug,
    "cycle": "2026-Q4",
    "objective": "streamline-onboarding",
    # The demo's first key result and first initiative; the fixture's subscription.
    "id": "1",
    # The preview of a file uploaded on the KPI's page (kept by the fixture).
    "token": "demo-preview",
    # A one-time sign-in link that was never made.
    "link": "not-a-link",
}
# GET routes that answer 404 with the values above.
NOT_FOUND_PATHS = {"/sign-in/link/not-a-link"}
# GET routes that send the browser on (to the current cycle's pages; a key result's
# address to its place on its objective's page).
REDIRECTS = {"/cycles", "/tree", "/key-results/1"}
PARAMETER = r"{(\w+)(?::\w+)?}"


def _app():
    return create_app(lambda: SqlUnitOfWork(make_engine("sqlite://")))


def _get_paths() -> list[str]:
    """The path of every GET route of the app, its parameters filled from the demo."""
    paths = []
    # Every route, those of included routers too (app.routes holds the routers).
    for route in iter_route_contexts(_app().routes):
        if route.path is not None and "GET" in (route.methods or ()):
            names = re.findall(PARAMETER, route.path)
            missing = [name for name in names if name not in PATH_VALUES]
            assert not missing, f"{route.path}: give PATH_VALUES a demo value for {missing}"
            paths.append(re.sub(PARAMETER, lambda m: PATH_VALUES[m[1]], route.path))
    return sorted(set(paths))


STATIC_PATHS = sorted(
    f"/static/{p.relative_to(STATIC).as_posix()}" for p in STATIC.rglob("*") if p.is_file()
)


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app on a SQLite file holding the demo workspace (its OKRs too), judged at a
    fixed moment."""
    engine: Engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('head') / 'okrkit.db'}")
    upgrade(engine)
    workspace = demo.build(TODAY)
    load_workspace(
        SqlUnitOfWork(engine),
        workspace.teams,
        workspace.kpis,
        workspace.values,
        as_actor("demo"),
        NOW,
        okrs=workspace.okrs,
    )
    if "2026-Q4" not in {c.cycle.name for c in list_cycles(SqlUnitOfWork(engine), TODAY).cycles}:
        create_cycle(SqlUnitOfWork(engine), CreateCycle("2026-Q4"), as_actor("demo"), NOW)
    # A subscription (id 1) for the subscription pages and API.
    subscribe = CreateSubscription("email", "growth-team@example.com", team="growth")
    create_subscription(SqlUnitOfWork(engine), subscribe, as_actor("demo"), NOW)
    uow = SqlUnitOfWork(engine)
    with uow:
        pending = PendingImport("demo-preview", NOW, "demo", "trial_to_paid", "week.csv")
        uow.imports.stash(pending, b"timestamp,value\n2026-11-23,12.4\n", KEEP_UPLOAD)
        uow.commit()
    app = create_app(lambda: SqlUnitOfWork(engine), clock=lambda: NOW)
    with BrowserClient(app, follow_redirects=False) as client:
        client.get("/cycles/new")  # a browser that has been here: it holds its cookie
        yield client
    engine.dispose()


def test_the_routes_are_found():
    paths = _get_paths()
    assert {"/", "/teams/growth", "/kpis/trial_to_paid", "/api/v1/kpis"} <= set(paths)
    assert "/static/style.css" in STATIC_PATHS


@pytest.mark.parametrize("path", _get_paths() + STATIC_PATHS)
def test_head_answers_as_get_without_a_body(client, path):
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code, (path, head.status_code, head.text)
    assert head.headers == got.headers
    assert head.content == b""
    expected = 303 if path in REDIRECTS else 404 if path in NOT_FOUND_PATHS else 200
    assert got.status_code == expected, got.text


def test_head_where_get_is_not_allowed_is_the_same_405(client):
    got = client.get("/kpis/trial_to_paid/import")
    head = client.head("/kpis/trial_to_paid/import")
    assert got.status_code == head.status_code == 405
    assert head.headers == got.headers
    assert head.content == b""
