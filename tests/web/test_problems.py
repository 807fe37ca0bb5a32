"""Problem details: every error class has a status, the document's shape is pinned, the
API answers problem+json and the pages get the same problem through their hook; the
OpenAPI document (built here, errors filed as problems) describes the whole API."""

from __future__ import annotations

import inspect
import re
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Query, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy import Engine

from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.domain import errors
from okrkit.domain.errors import BadRows, InvalidInput, NotFound, OkrkitError, RowError
from okrkit.interfaces.web import problems
from okrkit.interfaces.web.app import create_app
from okrkit.interfaces.web.schemas.problems import Problem
from tests.support.browsers import BrowserClient, bearer

with warnings.catch_warnings():
    # Starlette asks for httpx2, which this project does not install; httpx works.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

ARCHITECTURE = (Path(__file__).resolve().parents[2] / "docs" / "architecture.md").read_text()
REQUIRED = {"type", "title", "status", "detail", "instance"}
OPTIONAL = {"field", "errors"}
EXPECTED_STATUS = {
    errors.OkrkitError: 400,
    errors.InvalidInput: 422,
    errors.BadRows: 422,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.RuleViolated: 422,
    errors.SourceUnavailable: 503,
    errors.Busy: 503,
    errors.Forbidden: 403,
}


def _error_classes() -> list[type[OkrkitError]]:
    found = [c for c in vars(errors).values() if inspect.isclass(c) and issubclass(c, OkrkitError)]
    pending = list(found)
    while pending:  # subclasses defined anywhere else count too
        for sub in pending.pop().__subclasses__():
            if sub.__module__.startswith("okrkit") and sub not in found:
                found.append(sub)
                pending.append(sub)
    return found


def _raise(cls: type[OkrkitError]) -> OkrkitError:
    if cls is InvalidInput:
        return InvalidInput("is not a number", field="value")
    if cls is BadRows:
        return BadRows([RowError(3, "value", "'x' is not a number", "row")], source="v.json")
    return cls(f"{cls.__name__} happened")


def bare_app(html: problems.HtmlRenderer | None = None) -> FastAPI:
    """An app with only the problem handlers and routes that fail on purpose."""
    app = FastAPI()
    problems.install(app, html=html)

    @app.get("/api/raise/{name}")
    def raise_api(name: str) -> None:
        raise _raise(getattr(errors, name))

    @app.get("/page/raise/{name}")
    def raise_page(name: str) -> None:
        raise _raise(getattr(errors, name))

    @app.get("/api/crash")
    def crash() -> None:
        raise RuntimeError("password=hunter2")

    @app.get("/api/query")
    def query(count: int = Query(ge=0), day: str = Query(pattern=r"^\d{4}$")) -> None:
        return None

    return app


@pytest.fixture
def bare() -> Iterator[TestClient]:
    with TestClient(bare_app(), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    app = create_app(lambda: SqlUnitOfWork(engine))
    with TestClient(app, headers=bearer(app)) as client:
        yield client


def test_every_error_class_has_a_status():
    classes = _error_classes()
    assert set(EXPECTED_STATUS) <= set(classes)
    for cls in classes:
        assert cls in problems.ERROR_TYPES, f"{cls.__name__} has no HTTP status"
        assert problems.ERROR_TYPES[cls].status == EXPECTED_STATUS[cls]


def test_every_error_class_is_documented_with_its_http_status():
    for cls in _error_classes():
        status = problems.ERROR_TYPES[cls].status
        row = re.search(rf"^\| `{cls.__name__}` \|.*$", ARCHITECTURE, re.MULTILINE)
        assert row is not None, f"{cls.__name__} is not in the Errors table"
        assert f"| {status} |" in row.group(0), f"{cls.__name__}: HTTP {status} not documented"


def test_a_subclass_takes_its_nearest_mapped_ancestors_status():
    class Archived(NotFound):
        pass

    assert problems.problem_type(Archived("gone")) is problems.NOT_FOUND


@pytest.mark.parametrize("cls", _error_classes(), ids=lambda c: c.__name__)
def test_every_error_class_is_rendered_as_a_pinned_problem_document(bare, cls):
    response = bare.get(f"/api/raise/{cls.__name__}")
    assert response.status_code == EXPECTED_STATUS[cls]
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert REQUIRED <= set(body) <= REQUIRED | OPTIONAL
    assert isinstance(body["type"], str)
    assert body["type"].startswith("/api/v1/problems/")
    assert isinstance(body["title"], str)
    assert body["status"] == response.status_code
    assert isinstance(body["detail"], str)
    assert body["instance"] == f"/api/raise/{cls.__name__}"
    Problem.model_validate(body)


def test_an_invalid_input_names_its_field():
    body = problems.problem_for(InvalidInput("'x' is not a number", field="[2].value"))
    assert body.model_dump(exclude_none=True) == {
        "type": "/api/v1/problems/invalid-input",
        "title": "Invalid input",
        "status": 422,
        "detail": "'x' is not a number",
        "field": "[2].value",
        "errors": [{"location": "body", "field": "[2].value", "detail": "'x' is not a number"}],
    }


def test_bad_rows_of_a_body_are_named_by_index_and_field():
    error = BadRows(
        [
            RowError(1, "value", "inf is not a finite number", "item"),
            RowError(4, "timestamp", "duplicate: item 2 has the same KPI", "item"),
        ],
        source="request body",
    )
    problem = problems.problem_for(error)
    assert problem.status == 422
    assert problem.field == "[1].value"
    assert [(e.field, e.pointer, e.detail) for e in problem.errors or []] == [
        ("[1].value", "/1/value", "inf is not a finite number"),
        ("[4].timestamp", "/4/timestamp", "duplicate: item 2 has the same KPI"),
    ]
    assert problem.detail.startswith("request body: 2 bad rows: item 1: value: ")


def test_bad_rows_of_a_file_keep_their_line():
    error = BadRows([RowError(7, "timestamp", "is empty")], source="values.csv")
    (only,) = problems.problem_for(error).errors or []
    assert (only.location, only.field, only.detail) == (
        "values.csv",
        "timestamp",
        "line 7: timestamp: is empty",
    )


def test_an_error_with_a_source_keeps_it_in_the_detail():
    error = InvalidInput("is empty", source="values.csv", line=3, field="value")
    assert problems.problem_for(error).detail == "values.csv: is empty"


def test_a_not_found_document_is_pinned(client):
    response = client.get("/api/v1/teams/nope")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "/api/v1/problems/not-found",
        "title": "Not found",
        "status": 404,
        "detail": "no team 'nope'",
        "instance": "/api/v1/teams/nope",
    }


def test_a_validation_problem_names_every_field_and_where_it_is(bare):
    response = bare.get("/api/query", params={"count": "-1", "day": "1st"})
    assert response.status_code == 422
    body = response.json()
    assert body["type"] == "/api/v1/problems/invalid-input"
    assert body["field"] == "count"
    assert [(e["location"], e["field"]) for e in body["errors"]] == [
        ("query", "count"),
        ("query", "day"),
    ]
    assert "pointer" not in body["errors"][0]  # pointers are for body fields
    assert body["detail"].startswith("2 invalid fields: count: ")


def test_a_malformed_json_body_is_invalid_input(client):
    response = client.post(
        "/api/v1/teams", content=b'{"key": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["location"] == "body"


def test_an_unknown_api_route_is_a_not_found_problem(client):
    response = client.get("/api/v1/no-such-thing/nope")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "no resource at GET /api/v1/no-such-thing/nope"


def test_a_wrong_method_is_a_problem_that_keeps_the_allow_header(client):
    response = client.put("/api/v1/teams")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert "GET" in response.headers["allow"]
    body = response.json()
    assert body["type"] == "about:blank"
    assert body["title"] == "Method Not Allowed"


def test_a_crash_is_a_500_problem_that_hides_internals(bare):
    response = bare.get("/api/crash")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/api/v1/problems/internal-error"
    assert "hunter2" not in response.text


def test_outside_the_api_errors_go_to_the_html_renderer():
    seen: list[Problem] = []

    def page(request: Request, problem: Problem) -> Response:
        seen.append(problem)
        return HTMLResponse(f"<h1>{problem.title}</h1>", status_code=problem.status)

    bare = TestClient(bare_app(page), raise_server_exceptions=False)
    response = bare.get("/page/raise/NotFound")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert response.text == "<h1>Not found</h1>"
    assert seen[0].detail == "NotFound happened"
    assert seen[0].instance == "/page/raise/NotFound"
    # The API keeps answering JSON whatever the pages register.
    api = bare.get("/api/raise/NotFound")
    assert api.headers["content-type"] == "application/problem+json"
    unknown = bare.get("/no/such/page")
    assert unknown.status_code == 404
    assert unknown.text == "<h1>Not found</h1>"


def test_an_async_html_renderer_is_awaited():
    async def page(request: Request, problem: Problem) -> Response:
        return HTMLResponse("async", status_code=problem.status)

    bare = TestClient(bare_app(page), raise_server_exceptions=False)
    assert bare.get("/page/raise/Conflict").text == "async"


def test_without_an_html_renderer_pages_get_plain_text(bare):
    response = bare.get("/page/raise/Conflict")
    assert response.status_code == 409
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text == "409 Conflict: Conflict happened"


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_the_openapi_document_describes_the_api(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] == "okrkit"
    assert set(document["paths"]) >= {
        "/api/v1/teams",
        "/api/v1/teams/{team}",
        "/api/v1/kpis",
        "/api/v1/kpis/{kpi}",
        "/api/v1/kpis/{kpi}/health",
        "/api/v1/kpis/{kpi}/values",
        "/api/v1/problems/{slug}",
    }
    assert not any(path.startswith(("/teams", "/kpis/")) for path in document["paths"])
    schemas = document["components"]["schemas"]
    for ref in set(_refs(document)):
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[1] in schemas, f"{ref} does not resolve"
    assert "HTTPValidationError" not in schemas

    team = document["paths"]["/api/v1/teams/{team}"]
    assert team["get"]["tags"] == ["teams"]
    ok = team["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/TeamOut"}
    for status in ("404", "409", "422", "428"):
        content = team["patch"]["responses"][status]["content"]
        assert content == {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        }
    assert set(schemas["Problem"]["required"]) == {"type", "title", "status", "detail"}
    assert set(schemas["Health"]["properties"]) >= {"status", "xmr", "freshness", "quality"}
    headers = {p["name"] for p in team["patch"]["parameters"] if p["in"] == "header"}
    assert headers == {"If-Match"}
    assert team["patch"]["security"] == [{"token": []}]
    assert document["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    assert "401" in team["get"]["responses"]
    values = document["paths"]["/api/v1/kpis/{kpi}/values"]
    assert values["post"]["requestBody"]["content"]["application/json"]["schema"]["type"] == "array"
    assert {p["name"] for p in values["get"]["parameters"]} >= {"from", "to", "segment", "limit"}


def test_a_write_that_stays_busy_is_a_503_to_retry_after_and_writes_nothing(tmp_path):
    """Another write holding SQLite's lock past a write's wait: the API answers 503 with
    `Retry-After` and the busy problem, a page says busy in words — nothing written."""
    import sqlite3

    from okrkit.adapters.store.engine import make_engine
    from okrkit.adapters.store.migrate import upgrade

    path = tmp_path / "busy.db"
    engine = make_engine(f"sqlite:///{path}", busy_wait=0.2)
    upgrade(engine)
    app = create_app(lambda: SqlUnitOfWork(engine))
    client = BrowserClient(app, follow_redirects=False)  # signed in before the lock
    client.form_token()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        answer = client.post("/api/v1/teams", json={"key": "ops", "name": "Ops"})
        page = client.post("/cycles", data={"name": "2026-Q4"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert answer.status_code == 503
    assert answer.headers["retry-after"] == str(problems.RETRY_AFTER_BUSY)
    problem = answer.json()
    assert problem["type"] == "/api/v1/problems/busy"
    assert "busy with another write" in problem["detail"]
    assert "nothing was written" in problem["detail"]
    assert page.status_code == 503
    assert page.headers["content-type"].startswith("text/html")
    assert "busy with another write" in page.text
    assert '<h1 id="error-title">Busy, try again</h1>' in page.text
    assert "try again in a moment" in page.text
    assert "Source unavailable" not in page.text
    with client:
        assert client.get("/api/v1/teams/ops").status_code == 404
        assert client.get("/api/v1/cycles/2026-Q4").status_code == 404
    engine.dispose()
