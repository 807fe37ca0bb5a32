"""Every status the API answers is listed for its route in the OpenAPI document: each
write route is sent a body that is not JSON, one over the limit and a cross-site write,
and answers with a listed status, as a problem — on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from okrkit.interfaces.web.body_limits import MEGABYTE, BodyLimits
from okrkit.interfaces.web.problems import PROBLEM_JSON
from tests.support.browsers import TestClient, bearer

LIMITS = BodyLimits(body=MEGABYTE, upload=2 * MEGABYTE)
WRITES = ("post", "put", "patch", "delete")
# A key or id each path names: one that exists in the OKR workspace, so the route gets
# as far as reading the body.
EXAMPLES = {"team": "growth", "kpi": "trial_to_paid", "cycle": "2026-Q3", "id": "1",
            "objective": "streamline-onboarding", "slug": "busy", "at": "2026-09-07",
            "import_id": "1"}  # fmt: skip


@pytest.fixture
def client(okr_app) -> Iterator[TestClient]:
    app = okr_app(limits=LIMITS)
    with TestClient(app, raise_server_exceptions=False, headers=bearer(app)) as client:
        yield client


def _writes(client: TestClient) -> list[tuple[str, str, dict[str, Any]]]:
    document = client.get("/api/v1/openapi.json").json()
    return [
        (method, path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if method in WRITES
    ]


def _address(path: str) -> str:
    for name, value in EXAMPLES.items():
        path = path.replace("{" + name + "}", value)
    assert "{" not in path, path
    return path


def _listed(answer, method: str, path: str, operation: dict[str, Any], why: str) -> int:
    status = answer.status_code
    listed = operation["responses"].get(str(status))
    assert listed is not None, f"{method.upper()} {path} {why}: {status} is not listed"
    kind = answer.headers["content-type"].split(";")[0]
    assert kind in listed["content"], f"{method.upper()} {path} {why}: {kind}"
    if status >= 400:
        assert kind == PROBLEM_JSON, (method, path, why, answer.text[:200])
    assert status != 500, (method, path, why, answer.text[:300])
    return status


def test_each_write_route_answers_bad_bodies_and_cross_site_writes_as_it_lists(client):
    writes = _writes(client)
    assert len(writes) >= 20
    answered: dict[str, set[int]] = {"not JSON": set(), "too large": set(), "cross-site": set()}
    for method, path, operation in writes:
        address = _address(path)
        tries = {
            "not JSON": {"content": b"key=ops&name=Ops", "headers": {"Content-Type": "text/plain"}},
            "too large": {
                "content": b"[" + b" " * (3 * MEGABYTE) + b"]",
                "headers": {"Content-Type": "application/json"},
            },
            "cross-site": {"json": {}, "headers": {"Sec-Fetch-Site": "cross-site"}},
        }
        for why, request in tries.items():
            answer = client.request(method.upper(), address, **request)
            status = _listed(answer, method, path, operation, why)
            # A route that takes no body never reads one: it answers as it would without.
            if "requestBody" in operation or why == "cross-site":
                answered[why].add(status)
    assert answered == {"not JSON": {422}, "too large": {413}, "cross-site": {403}}


def test_every_error_a_route_lists_is_a_problem_with_its_description(client):
    document = client.get("/api/v1/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"400", "500"} <= set(responses), (method, path)
            if method in WRITES:
                assert {"403", "413", "503"} <= set(responses), (method, path)
                assert "Retry-After" in responses["503"]["headers"]
            if "{" in path:
                assert "404" in responses, (method, path)
            if not path.startswith("/api/v1/problems"):
                assert "401" in responses, (method, path)
            for status, response in responses.items():
                if status[0] in "45":
                    assert response["description"], (method, path, status)
                    schema = response["content"][PROBLEM_JSON]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Problem"}


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (
            b"{abc",
            "the body is not JSON: Expecting property name enclosed in double quotes "
            "at character 2",
        ),
        (
            b'{"key": "ops",',
            "the body is not JSON: Expecting property name enclosed in double quotes "
            "at character 15",
        ),
        (b"\xff\xfe", "the body is not JSON"),
    ],
)
def test_a_body_that_is_not_json_says_so_and_where(client, body, said):
    answer = client.post(
        "/api/v1/teams", content=body, headers={"Content-Type": "application/json"}
    )
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["detail"].startswith(f"1 invalid field: body: {said}"), problem["detail"]
    assert "field" not in problem  # no field: the character's index is not an item's
