"""`/api/v1/objectives`: the listing with its filters and pages, an objective created
with its key results in one request, read judged as of now, changed in part (its
parent as a key or `key#id`), activated; versions; and bad objectives named at their
field (a key result's by its place) with nothing written. Also: every OKR route says
in the OpenAPI document which problems it answers."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.browsers import bearer
from tests.web.api.helpers import assert_problem

WIZARD = {
    "title": "Increase setup wizard completion rate from 40% to 70%",
    "start": 40,
    "target": 70,
    "unit": "percent",
    "owner": "noah@example.com",
}
ACTIVATION: dict[str, Any] = {
    "key": "faster-activation",
    "title": "New teams reach their first key action sooner",
    "cycle": "2026-Q3",
    "team": "growth",
    "owner": "noah@example.com",
    "key_results": [
        WIZARD,
        {"title": "Ship the in-app checklist", "type": "boolean", "weight": 2},
        {
            "title": "Run the onboarding experiments",
            "type": "milestone",
            "steps": "Design; Pilot with 10 teams; Roll out",
            "deadline": "2026-08-31",
        },
    ],
}


def _keys(client, **params) -> list[str]:
    response = client.get("/api/v1/objectives", params=params)
    assert response.status_code == 200, response.text
    return [o["key"] for o in response.json()["items"]]


def test_an_objective_is_created_with_its_key_results_in_one_request(okr_client):
    client = okr_client
    created = client.post(
        "/api/v1/objectives", json=ACTIVATION, headers=bearer(client.app, "noah@example.com")
    )
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/api/v1/objectives/faster-activation"
    assert created.headers["etag"] == '"1"'
    body = created.json()
    assert {k: body[k] for k in ("key", "cycle", "team", "type", "status", "parent")} == {
        "key": "faster-activation",
        "cycle": "2026-Q3",
        "team": "growth",
        "type": "aspirational",  # the declared default
        "status": "active",
        "parent": None,
    }
    assert (body["version"], body["changed_by"]) == (1, "noah@example.com")
    # The answer is the resource its Location gives: key results with their ids, judged.
    assert (body["progress"], body["pace"], body["check_in_due"]) == (0.0, "not_started", True)

    read = client.get("/api/v1/objectives/faster-activation")
    assert read.headers["etag"] == '"1"'
    assert read.json() == body
    krs = body["key_results"]
    assert [kr["title"] for kr in krs] == [kr["title"] for kr in ACTIVATION["key_results"]]
    wizard, checklist, experiments = krs
    assert (wizard["start"], wizard["target"], wizard["deadline"]) == (40.0, 70.0, "2026-09-30")
    # A boolean runs from 0 to 1, a milestone from 0 to its steps.
    assert (checklist["start"], checklist["target"], checklist["weight"]) == (0.0, 1.0, 2.0)
    assert (experiments["target"], experiments["deadline"]) == (3.0, "2026-08-31")
    assert experiments["steps"] == "Design; Pilot with 10 teams; Roll out"
    assert all(isinstance(kr["id"], int) and kr["version"] == 1 for kr in krs)
    assert {kr["pace"] for kr in krs} == {"not_started"}
    assert all(kr["check_in_due"] for kr in krs)


def test_an_objective_resource_carries_its_judgement_and_its_key_results(okr_client):
    response = okr_client.get("/api/v1/objectives/streamline-onboarding")
    assert response.status_code == 200
    body = response.json()
    assert body["parent"] == "grow-paying-customers"
    assert body["status"] == "active"
    assert body["grade"] is None
    # (0.6 + 2 × 0.6 + 0.35) / 4: weighted, the guardrail apart.
    assert body["progress"] == pytest.approx(0.5375)
    assert body["pace"] in {"on_track", "at_risk", "off_track"}
    assert (body["guardrail_breached"], body["breached"]) == (False, [])
    # The conversion key result, fed by a KPI, has no check-in of its own.
    assert body["check_in_due"] is True
    wizard, first, conversion, tickets = body["key_results"]
    assert set(wizard) >= {
        "id", "version", "title", "start", "target", "deadline", "current", "progress",
        "expected_progress", "pace", "check_in_due", "confidence", "confidence_trend",
        "last_check_in", "forecast",
    }  # fmt: skip
    assert (wizard["current"], wizard["progress"]) == (58.0, pytest.approx(0.6))
    assert (wizard["confidence"], wizard["confidence_trend"]) == (6.0, "steady")
    assert wizard["last_check_in"] == {
        "at": "2026-08-09T00:00:00Z",
        "value": 58.0,
        "confidence": 6.0,
        "note": "week 6",
        "author": "noah@example.com",
    }
    assert wizard["check_in_due"] is False
    # The forecast has exactly `kr forecast --format json`'s keys; a guardrail says why
    # it has none.
    assert set(wizard["forecast"]) == {
        "n", "slope_per_day", "forecast", "lower", "upper", "probability"
    }  # fmt: skip
    assert conversion["kpi"] == "trial_to_paid"
    assert conversion["current"] == pytest.approx(13.4)  # the KPI's newest value
    assert tickets["pace"] is None
    assert tickets["forecast"]["reason"] == "a guardrail is held, not forecast"
    assert tickets["forecast"]["forecast"] is None


def test_a_breached_guardrail_is_named_on_its_objective(okr_client):
    client = okr_client
    tickets = client.get("/api/v1/objectives/streamline-onboarding").json()["key_results"][3]
    posted = client.post(f"/api/v1/key-results/{tickets['id']}/check-ins", json={"value": 7})
    assert posted.status_code == 201, posted.text
    body = client.get("/api/v1/objectives/streamline-onboarding").json()
    assert body["guardrail_breached"] is True
    assert body["breached"] == [{"id": tickets["id"], "title": tickets["title"]}]


def test_objectives_are_listed_by_filter_a_page_at_a_time(okr_client):
    client = okr_client
    assert client.post("/api/v1/objectives", json=ACTIVATION).status_code == 201
    draft = {
        **ACTIVATION,
        "key": "pricing-page",
        "title": "Understand why trials stall on the pricing page",
        "type": "learning",
        "owner": "maya@example.com",
        "status": "draft",
        "key_results": [],
    }
    assert client.post("/api/v1/objectives", json=draft).status_code == 201

    assert _keys(client) == [
        "grow-paying-customers",  # team Company
        "faster-activation",  # team Growth, by title
        "streamline-onboarding",
        "pricing-page",
    ]
    assert _keys(client, team="growth", owner="maya@example.com") == [
        "streamline-onboarding",
        "pricing-page",
    ]
    assert _keys(client, type="learning") == ["pricing-page"]
    assert _keys(client, status="draft") == ["pricing-page"]
    assert _keys(client, cycle="2026-Q3", type="committed") == ["grow-paying-customers"]
    assert _keys(client, cycle="2027-Q1") == []

    first = client.get("/api/v1/objectives", params={"limit": 3}).json()
    assert (first["total"], first["offset"], first["limit"], first["next_offset"]) == (4, 0, 3, 3)
    assert len(first["items"]) == 3
    last = client.get("/api/v1/objectives", params={"limit": 3, "offset": 3}).json()
    assert (last["total"], last["next_offset"]) == (4, None)
    assert [o["key"] for o in last["items"]] == ["pricing-page"]
    item = last["items"][0]
    assert (item["status"], item["key_results"], item["pace"]) == ("draft", [], "not_started")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"type": "stretch"}, "type"),
        ({"status": "open"}, "status"),
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"offset": -1}, "offset"),
        ({"team": "x" * 65}, "team"),
    ],
)
def test_a_bad_filter_is_named_in_the_query(okr_client, params, field):
    body = assert_problem(okr_client.get("/api/v1/objectives", params=params), 422, "invalid-input")
    assert body["field"] == field
    assert body["errors"][0]["location"] == "query"


def test_an_objective_is_changed_in_part_and_activated(okr_client):
    client = okr_client
    draft = {**ACTIVATION, "status": "draft", "type": "committed"}
    assert client.post("/api/v1/objectives", json=draft).status_code == 201

    kr = client.get("/api/v1/objectives/grow-paying-customers").json()["key_results"][0]
    patched = client.patch(
        "/api/v1/objectives/faster-activation",
        json={"parent": f"grow-paying-customers#{kr['id']}", "description": "Why now: churn"},
        headers={"If-Match": '"1"'},
    )
    assert patched.status_code == 200, patched.text
    assert patched.headers["etag"] == '"2"'
    body = patched.json()
    assert body["parent"] == f"grow-paying-customers#{kr['id']}"
    assert body["description"] == "Why now: churn"
    assert body["title"] == ACTIVATION["title"]  # untouched

    aligned = client.patch(
        "/api/v1/objectives/faster-activation",
        json={"parent": "streamline-onboarding", "version": 2},
        headers=bearer(client.app, "omar@example.com"),
    )
    assert aligned.json()["parent"] == "streamline-onboarding"
    assert aligned.json()["changed_by"] == "omar@example.com"
    detached = client.patch(
        "/api/v1/objectives/faster-activation", json={"parent": None, "version": 3}
    )
    assert detached.json()["parent"] is None

    activated = client.post(
        "/api/v1/objectives/faster-activation/activate", headers={"If-Match": '"4"'}
    )
    assert activated.status_code == 200, activated.text
    assert activated.headers["etag"] == '"5"'
    assert activated.json()["status"] == "active"
    again = client.post("/api/v1/objectives/faster-activation/activate", json={"version": 5})
    assert_problem(again, 422, "invalid-input")
    assert client.get("/api/v1/objectives/faster-activation").json()["version"] == 5


def test_a_stale_change_names_who_changed_the_objective_and_writes_nothing(okr_client):
    client = okr_client
    path = "/api/v1/objectives/streamline-onboarding"
    assert client.get(path).headers["etag"] == '"1"'
    saved = client.patch(
        path,
        json={"owner": "omar@example.com", "version": 1},
        headers=bearer(client.app, "omar@example.com"),
    )
    assert saved.status_code == 200, saved.text
    stale = client.patch(path, json={"title": "Onboard faster"}, headers={"If-Match": '"1"'})
    body = assert_problem(stale, 409, "conflict")
    assert "changed by omar@example.com at 2026-08-12 09:00 UTC" in body["detail"]
    read = client.get(path).json()
    assert (read["title"], read["owner"], read["version"]) == (
        "Streamline onboarding to drive high-value conversions",
        "omar@example.com",
        2,
    )


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("PATCH", "", {"title": "Onboard faster"}),
        ("POST", "/activate", None),
        ("POST", "/score", {}),
    ],
)
def test_a_change_without_a_version_needs_one(okr_client, method, suffix, body):
    path = "/api/v1/objectives/streamline-onboarding"
    response = okr_client.request(method, path + suffix, json=body)
    problem = assert_problem(response, 428, "version-required")
    assert "If-Match" in problem["detail"]
    read = okr_client.get(path).json()
    assert (read["version"], read["status"]) == (1, "active")


def test_an_objective_cannot_become_its_own_ancestor(okr_client):
    """A under B is there (onboarding under the company objective); B under A is
    refused at `parent`, and so is an objective under itself."""
    client = okr_client
    path = "/api/v1/objectives/grow-paying-customers"
    loop = client.patch(path, json={"parent": "streamline-onboarding", "version": 1})
    body = assert_problem(loop, 422, "invalid-input")
    assert body["field"] == "parent"
    assert "one of its own descendants" in body["detail"]
    itself = client.patch(path, json={"parent": "grow-paying-customers", "version": 1})
    assert assert_problem(itself, 422, "invalid-input")["field"] == "parent"
    read = client.get(path).json()
    assert (read["parent"], read["version"]) == (None, 1)


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"parent": "no-such-objective"}, "parent", "no objective 'no-such-objective'"),
        ({"parent": "grow-paying-customers#999"}, "parent", "key result 999 is not one"),
        ({"parent": "Grow Paying!"}, "parent", "is not an objective's key"),
        ({"team": "nope"}, "team", "no team 'nope'"),
        ({"north_star": "nope"}, "north_star", "no KPI 'nope'"),
        ({"title": None}, "title", "cannot be empty"),
        ({"title": "   "}, "title", "cannot be blank"),
        ({"type": "stretch"}, "type", "Input should be"),
        ({"key": "renamed"}, "key", "Extra inputs are not permitted"),
        ({"cycle": "2026-Q4"}, "cycle", "Extra inputs are not permitted"),
        ({"title": "x" * 201}, "title", "at most 200 characters"),
        ({"description": "x" * 5_001}, "description", "at most 5000 characters"),
    ],
)
def test_a_bad_change_is_named_at_its_field_and_nothing_is_written(okr_client, change, field, says):
    path = "/api/v1/objectives/streamline-onboarding"
    before = okr_client.get(path).json()
    response = okr_client.patch(path, json={**change, "version": 1})
    body = assert_problem(response, 422, "invalid-input")
    assert body["field"] == field
    assert says in body["detail"]
    assert okr_client.get(path).json() == before


@pytest.mark.parametrize(
    ("key_result", "field", "says"),
    [
        ({**WIZARD, "deadline": "2026-10-15"}, "key_results[1].deadline", "not in cycle 2026-Q3"),
        ({**WIZARD, "target": 40}, "key_results[1].target", "the target equals the start"),
        ({**WIZARD, "weight": 0}, "key_results[1].weight", "must be a positive number"),
        ({**WIZARD, "weight": -1}, "key_results[1].weight", "must be a positive number"),
        ({**WIZARD, "kpi": "nope"}, "key_results[1].kpi", "no KPI 'nope'"),
        ({**WIZARD, "start": None}, "key_results[1].start", "needs a start"),
        ({**WIZARD, "target": "lots"}, "key_results[1].target", "valid number"),
        ({**WIZARD, "colour": "red"}, "key_results[1].colour", "Extra inputs"),
        ({**WIZARD, "title": "x" * 201}, "key_results[1].title", "at most 200 characters"),
        ({"type": "milestone", "title": "Steps"}, "key_results[1].steps", "needs its steps"),
    ],
)
def test_a_bad_key_result_in_a_new_objective_is_named_by_its_place_and_nothing_is_written(
    okr_client, key_result, field, says
):
    body = {**ACTIVATION, "key_results": [WIZARD, key_result]}
    response = okr_client.post("/api/v1/objectives", json=body)
    problem = assert_problem(response, 422, "invalid-input")
    assert problem["field"] == field
    assert says in problem["detail"]
    assert_problem(okr_client.get("/api/v1/objectives/faster-activation"), 404, "not-found")
    assert len(_keys(okr_client)) == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"key": "Faster Activation"}, "key"),
        ({"cycle": "2031-Q1"}, "cycle"),
        ({"team": "nope"}, "team"),
        ({"parent": "faster-activation"}, "parent"),
        ({"status": "scored"}, "status"),
        ({"title": None}, "title"),
        ({"priority": "high"}, "priority"),
    ],
)
def test_a_bad_new_objective_is_named_at_its_field_and_nothing_is_written(
    okr_client, change, field
):
    response = okr_client.post("/api/v1/objectives", json={**ACTIVATION, **change})
    assert assert_problem(response, 422, "invalid-input")["field"] == field
    assert len(_keys(okr_client)) == 2


def test_a_taken_objective_key_is_a_conflict(okr_client):
    body = {**ACTIVATION, "key": "streamline-onboarding"}
    problem = assert_problem(okr_client.post("/api/v1/objectives", json=body), 409, "conflict")
    assert "already exists" in problem["detail"]


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("GET", ""), ("PATCH", ""), ("POST", "/activate"), ("POST", "/score"), ("POST", "/carry")],
)
def test_an_unknown_objective_is_not_found(okr_client, method, suffix):
    response = okr_client.request(
        method, f"/api/v1/objectives/nope{suffix}", json={}, headers={"If-Match": '"1"'}
    )
    assert "'nope'" in assert_problem(response, 404, "not-found")["detail"]


OKR_PREFIXES = (
    "/api/v1/cycles",
    "/api/v1/objectives",
    "/api/v1/key-results",
    "/api/v1/initiatives",
)


def test_every_okr_route_documents_the_problems_it_answers(client):
    """Each route lists, as problem documents: 422 where it takes input, 404 where a path
    names something, 428 and 409 where a change says which version it is based on."""
    document = client.get("/api/v1/openapi.json").json()
    paths = {p: item for p, item in document["paths"].items() if p.startswith(OKR_PREFIXES)}
    assert len(paths) == 14
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, item in paths.items():
        for method, operation in item.items():
            where = f"{method.upper()} {path}"
            parameters = operation.get("parameters", [])
            responses = operation["responses"]
            expected = set()
            if parameters or "requestBody" in operation:
                expected.add("422")
            if "{" in path:
                expected.add("404")
            if any(p["name"] == "If-Match" for p in parameters):
                expected |= {"409", "428"}
            assert expected <= set(responses), where
            for status in expected:
                assert responses[status]["content"] == problem, where
            assert operation.get("description"), where


@pytest.mark.parametrize("version", [0, -1, 2**63, 2**64, 10**30])
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("patch", "/api/v1/objectives/streamline-onboarding", {"title": "Faster onboarding"}),
        ("post", "/api/v1/objectives/streamline-onboarding/score", {"close": False}),
        ("patch", "/api/v1/key-results/2", {"target": 80, "reason": "the launch slipped"}),
        ("patch", "/api/v1/kpis/trial_to_paid", {"name": "Trial to paid"}),
    ],
)
def test_a_version_no_store_could_hold_is_named_not_a_failure(
    okr_client, method, path, body, version
):
    """A version below 1 or beyond a 64-bit integer was never given: a 422 naming the
    field, never a 500 from a driver that cannot compare it; nothing is written."""
    before = okr_client.get("/api/v1/objectives/streamline-onboarding").json()
    response = getattr(okr_client, method)(path, json={**body, "version": version})
    problem = assert_problem(response, 422, "invalid-input")
    assert problem["field"] == "version"
    assert f"{version} is not a version" in problem["detail"]
    assert okr_client.get("/api/v1/objectives/streamline-onboarding").json() == before
