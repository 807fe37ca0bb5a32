"""The JSON API through httpx (FastAPI's TestClient) against `create_app`, on SQLite and
on PostgreSQL: round trips, versions, problems, values and the demo's health."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from okrkit import demo
from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.domain.spc import xmr
from okrkit.interfaces.documents import check_document
from okrkit.interfaces.web.app import create_app
from okrkit.services.kpis import kpi_page
from okrkit.services.workspace import load_workspace

with warnings.catch_warnings():
    # Starlette asks for httpx2, which this project does not install; httpx works.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 30)
PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}

GROWTH = {"key": "growth", "name": "Growth"}
TRIAL_TO_PAID: dict[str, Any] = {
    "key": "trial_to_paid",
    "name": "Trial-to-paid conversion rate",
    "unit": "percent",
    "direction": "higher",
    "cadence": "weekly",
    "team": "growth",
    "target": 16,
    "thresholds": {"green": 15, "red": 12},
    "owner": "maya@example.com",
}


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    app = create_app(lambda: SqlUnitOfWork(engine), clock=lambda: NOW)
    with TestClient(app) as client:
        yield client


@pytest.fixture
def other(client: TestClient) -> Iterator[TestClient]:
    """A second client of the same app, acting as someone else."""
    with TestClient(client.app, headers={"X-Okrkit-Actor": "omar@example.com"}) as other:
        yield other


@pytest.fixture
def growth(client: TestClient) -> dict[str, Any]:
    response = client.post("/api/v1/teams", json=GROWTH)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def kpi(client: TestClient, growth: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/v1/kpis", json=TRIAL_TO_PAID)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def demo_workspace(uow: SqlUnitOfWork) -> demo.Workspace:
    workspace = demo.build(TODAY)
    load_workspace(uow, workspace.teams, workspace.kpis, workspace.values, "demo", NOW)
    return workspace


def assert_problem(response: Any, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["type"] == f"/api/v1/problems/{slug}"
    return body


# --- teams ------------------------------------------------------------------------


def test_a_team_round_trips_create_read_rename_move_and_archive(client):
    created = client.post("/api/v1/teams", json=GROWTH, headers={"X-Okrkit-Actor": "maya"})
    assert created.status_code == 201
    assert created.headers["location"] == "/api/v1/teams/growth"
    assert created.headers["etag"] == '"1"'
    assert created.json() == {
        "key": "growth",
        "name": "Growth",
        "parent": None,
        "archived": False,
        "version": 1,
        "changed_at": "2026-11-23T09:30:00Z",
        "changed_by": "maya",
    }
    assert client.post("/api/v1/teams", json={"key": "company", "name": "Acme"}).status_code == 201

    read = client.get("/api/v1/teams/growth")
    assert read.status_code == 200
    assert read.headers["etag"] == '"1"'
    assert read.json() == created.json()

    renamed = client.patch(
        "/api/v1/teams/growth", json={"name": "Growth team"}, headers={"If-Match": '"1"'}
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.headers["etag"] == '"2"'
    assert renamed.json()["name"] == "Growth team"
    assert renamed.json()["changed_by"] == "api"  # no actor header: "api"

    moved = client.patch("/api/v1/teams/growth", json={"parent": "company", "version": 2})
    assert moved.json()["parent"] == "company"
    assert moved.json()["name"] == "Growth team"  # an omitted field stays
    detached = client.patch("/api/v1/teams/growth", json={"parent": None, "version": 3})
    assert detached.json()["parent"] is None

    listed = client.get("/api/v1/teams").json()
    assert [t["key"] for t in listed] == ["company", "growth"]  # by name: Acme, Growth team

    archived = client.delete("/api/v1/teams/growth", headers={"If-Match": '"4"'})
    assert archived.status_code == 200
    assert archived.json()["archived"] is True
    assert archived.headers["etag"] == '"5"'
    assert [t["key"] for t in client.get("/api/v1/teams").json()] == ["company"]
    everything = client.get("/api/v1/teams", params={"archived": "true"}).json()
    assert {t["key"] for t in everything} == {"company", "growth"}
    assert client.get("/api/v1/teams/growth").json()["archived"] is True


def test_a_taken_team_key_is_a_conflict(client, growth):
    body = assert_problem(client.post("/api/v1/teams", json=GROWTH), 409, "conflict")
    assert "already exists" in body["detail"]


def test_a_stale_version_is_refused_naming_who_changed_it_and_when(client, other, growth):
    # Both read version 1; Omar saves first, then Maya's change based on 1 is refused.
    assert client.get("/api/v1/teams/growth").headers["etag"] == '"1"'
    assert other.get("/api/v1/teams/growth").headers["etag"] == '"1"'
    saved = other.patch(
        "/api/v1/teams/growth", json={"name": "Growth"}, headers={"If-Match": '"1"'}
    )
    assert saved.status_code == 200

    stale = client.patch(
        "/api/v1/teams/growth", json={"name": "Growth squad"}, headers={"If-Match": '"1"'}
    )
    body = assert_problem(stale, 409, "conflict")
    assert "changed by omar@example.com at 2026-11-23 09:30 UTC" in body["detail"]
    assert "reload" in body["detail"]
    assert client.get("/api/v1/teams/growth").json()["name"] == "Growth"  # nothing overwritten


def test_a_stale_kpi_version_is_refused_too(client, other, kpi):
    assert other.patch("/api/v1/kpis/trial_to_paid", json={"target": 17, "version": 1}).is_success
    stale = client.delete("/api/v1/kpis/trial_to_paid", headers={"If-Match": '"1"'})
    body = assert_problem(stale, 409, "conflict")
    assert "changed by omar@example.com at 2026-11-23 09:30 UTC" in body["detail"]
    assert client.get("/api/v1/kpis/trial_to_paid").json()["archived"] is False


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", "/api/v1/teams/growth", {"name": "Growth"}),
        ("DELETE", "/api/v1/teams/growth", None),
        ("PATCH", "/api/v1/kpis/trial_to_paid", {"target": 17}),
        ("DELETE", "/api/v1/kpis/trial_to_paid", None),
    ],
)
def test_a_change_without_a_version_needs_one(client, kpi, method, path, body):
    response = client.request(method, path, json=body)
    problem = assert_problem(response, 428, "version-required")
    assert "If-Match" in problem["detail"]
    assert client.get(path).json()["version"] == 1


def test_a_delete_may_carry_its_version_in_the_body(client, kpi):
    response = client.request("DELETE", "/api/v1/kpis/trial_to_paid", json={"version": 1})
    assert response.status_code == 200
    assert response.json()["archived"] is True


def test_if_match_and_body_version_must_agree(client, growth):
    response = client.patch(
        "/api/v1/teams/growth", json={"name": "G", "version": 2}, headers={"If-Match": '"1"'}
    )
    body = assert_problem(response, 422, "invalid-input")
    assert body["field"] == "version"


@pytest.mark.parametrize("value", ['W/"1"', '"one"', "*", '"1", "2"'])
def test_a_malformed_if_match_is_invalid_input_in_the_header(client, growth, value):
    response = client.patch("/api/v1/teams/growth", json={"name": "G"}, headers={"If-Match": value})
    body = assert_problem(response, 422, "invalid-input")
    assert body["errors"][0]["location"] == "header"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/teams/nope",
        "/api/v1/kpis/nope",
        "/api/v1/kpis/nope/health",
        "/api/v1/kpis/nope/values",
        "/api/v1/kpis?team=nope",
    ],
)
def test_an_unknown_key_is_a_not_found_problem(client, path):
    body = assert_problem(client.get(path), 404, "not-found")
    assert "'nope'" in body["detail"]


def test_changing_an_unknown_key_is_not_found(client):
    assert_problem(
        client.patch("/api/v1/kpis/nope", json={"target": 1}, headers={"If-Match": '"1"'}),
        404,
        "not-found",
    )
    assert_problem(client.delete("/api/v1/teams/nope", headers={"If-Match": "1"}), 404, "not-found")


# --- KPIs -------------------------------------------------------------------------


def test_a_kpi_round_trips_create_read_patch_and_archive(client, growth):
    created = client.post("/api/v1/kpis", json=TRIAL_TO_PAID, headers={"X-Okrkit-Actor": "maya"})
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/api/v1/kpis/trial_to_paid"
    assert created.headers["etag"] == '"1"'
    definition = created.json()
    assert definition == {
        **TRIAL_TO_PAID,
        "target": 16.0,
        "thresholds": {"green": 15.0, "red": 12.0},
        "description": "",
        "kind": "lagging",
        "north_star": False,
        "guardrail": False,
        "formula": None,
        "source": None,
        "window_periods": 60,
        "baseline": None,
        "archived": False,
        "version": 1,
        "changed_at": "2026-11-23T09:30:00Z",
        "changed_by": "maya",
    }

    read = client.get("/api/v1/kpis/trial_to_paid")
    assert read.headers["etag"] == '"1"'
    detail = read.json()
    assert {k: detail[k] for k in definition} == definition
    # No values yet: nothing measured, never green.
    assert detail["health"]["status"] == "unknown"
    assert detail["health"]["stale"] is True
    assert detail["health"]["latest"] is None
    assert detail["segments"] == []

    patched = client.patch(
        "/api/v1/kpis/trial_to_paid",
        json={"target": 17.5, "thresholds": {"green": 16, "red": 13}, "cadence": "monthly"},
        headers={"If-Match": '"1"'},
    )
    assert patched.status_code == 200, patched.text
    assert patched.headers["etag"] == '"2"'
    after = patched.json()
    assert after["target"] == 17.5
    assert after["thresholds"] == {"green": 16.0, "red": 13.0}
    assert after["cadence"] == "monthly"
    assert after["name"] == definition["name"]  # untouched
    cleared = client.patch("/api/v1/kpis/trial_to_paid", json={"target": None, "version": 2})
    assert cleared.json()["target"] is None

    assert [k["key"] for k in client.get("/api/v1/kpis", params={"team": "growth"}).json()] == [
        "trial_to_paid"
    ]
    archived = client.delete("/api/v1/kpis/trial_to_paid", headers={"If-Match": '"3"'})
    assert archived.json()["archived"] is True
    assert client.get("/api/v1/kpis").json() == []
    assert len(client.get("/api/v1/kpis", params={"archived": True}).json()) == 1


def test_a_kpi_baseline_is_locked_and_unlocked(client, kpi):
    baseline = {"from": "2026-01-05", "to": "2026-05-31T00:00:00+02:00"}
    locked = client.patch("/api/v1/kpis/trial_to_paid", json={"baseline": baseline, "version": 1})
    assert locked.status_code == 200, locked.text
    assert locked.json()["baseline"] == {
        "from": "2026-01-05T00:00:00Z",
        "to": "2026-05-30T22:00:00Z",
    }
    unlocked = client.patch("/api/v1/kpis/trial_to_paid", json={"baseline": None, "version": 2})
    assert unlocked.json()["baseline"] is None


def test_a_locked_baseline_keeps_the_limits_put(client, demo_workspace):
    """Locked on the first 8 weeks of the demo's year, the limits come from those
    values (not from the first 20 of the window) and stay put as new values arrive."""
    values = demo_workspace.values["trial_to_paid"]
    first = values.timestamps[0].astype("datetime64[s]").item()
    eighth = values.timestamps[7].astype("datetime64[s]").item()
    expected = xmr(values.values[:8]).limits
    baseline = {"from": first.isoformat() + "Z", "to": eighth.isoformat() + "Z"}
    locked = client.patch("/api/v1/kpis/trial_to_paid", json={"baseline": baseline, "version": 1})
    assert locked.status_code == 200, locked.text

    xmr_json = client.get("/api/v1/kpis/trial_to_paid").json()["health"]["xmr"]
    assert xmr_json["baseline_points"] == 8
    assert xmr_json["centre"] == pytest.approx(expected.centre)
    assert xmr_json["upper_limit"] == pytest.approx(expected.upper_limit)

    posted = client.post(
        "/api/v1/kpis/trial_to_paid/values",
        json=[{"timestamp": "2026-11-29", "value": 40.0}],
    )
    assert posted.status_code in (200, 201), posted.text
    again = client.get("/api/v1/kpis/trial_to_paid").json()["health"]["xmr"]
    limits = ("centre", "lower_limit", "upper_limit", "baseline_points")
    assert [again[k] for k in limits] == [xmr_json[k] for k in limits]
    page = client.get("/kpis/trial_to_paid").text
    assert "the locked baseline" in page


def test_a_kpi_of_an_unknown_team_is_not_found(client, growth):
    body = assert_problem(
        client.post("/api/v1/kpis", json={**TRIAL_TO_PAID, "team": "nope"}), 404, "not-found"
    )
    assert body["detail"] == "no team 'nope'"


def test_a_bad_kpi_names_every_bad_field_with_its_location(client, growth):
    bad = {**TRIAL_TO_PAID, "direction": "up", "thresholds": {"green": "a"}, "colour": "red"}
    body = assert_problem(client.post("/api/v1/kpis", json=bad), 422, "invalid-input")
    assert body["field"] == "direction"
    named = {(e["location"], e["field"], e["pointer"]) for e in body["errors"]}
    assert named == {
        ("body", "direction", "/direction"),
        ("body", "thresholds.green", "/thresholds/green"),
        ("body", "thresholds.red", "/thresholds/red"),
        ("body", "colour", "/colour"),
    }
    assert client.get("/api/v1/kpis").json() == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"cadence": "fortnightly"}, "cadence"),
        ({"thresholds": {"green": 10, "red": 12}}, "thresholds"),
        ({"key": "other"}, "key"),
        ({"name": None}, "name"),
        ({"window_periods": 1}, "window_periods"),
    ],
)
def test_a_rule_broken_by_a_kpi_names_its_field(client, kpi, change, field):
    response = client.patch("/api/v1/kpis/trial_to_paid", json={**change, "version": 1})
    body = assert_problem(response, 422, "invalid-input")
    assert body["field"] == field
    assert client.get("/api/v1/kpis/trial_to_paid").json()["version"] == 1


def test_a_key_a_service_refuses_names_the_field(client, growth):
    body = assert_problem(
        client.post("/api/v1/kpis", json={**TRIAL_TO_PAID, "key": "Trial To Paid"}),
        422,
        "invalid-input",
    )
    assert body["field"] == "key"
    assert body["errors"] == [{"location": "body", "field": "key", "detail": body["detail"]}]


# --- values -----------------------------------------------------------------------

WEEKS = [
    {"timestamp": "2026-10-04", "value": 15.1},
    {"timestamp": "2026-10-11", "value": 14.6},
    {"timestamp": "2026-10-18T00:00:00Z", "value": 14.2},
    {"timestamp": "2026-10-25T02:00:00+02:00", "value": 13.9},
    {"timestamp": "2026-10-11", "value": 19.0, "segment": "plan=pro"},
    {"timestamp": "2026-10-18", "value": 18.5, "segment": "plan=pro"},
]


def test_values_are_imported_in_bulk_and_idempotently(client, kpi):
    first = client.post("/api/v1/kpis/trial_to_paid/values", json=WEEKS)
    assert first.status_code == 200, first.text
    assert first.json() == {
        "source": "request body",
        "rows_read": 6,
        "rows_written": 6,
        "kpis": [
            {
                "key": "trial_to_paid",
                "rows": 6,
                "first": "2026-10-04T00:00:00Z",
                "last": "2026-10-25T00:00:00Z",
            }
        ],
    }
    again = client.post("/api/v1/kpis/trial_to_paid/values", json=WEEKS[:2])
    assert again.status_code == 200
    total = client.get("/api/v1/kpis/trial_to_paid/values").json()
    assert total["total"] == 4
    assert [i["timestamp"] for i in total["items"]] == [
        "2026-10-04",
        "2026-10-11",
        "2026-10-18",
        "2026-10-25",
    ]
    corrected = client.post(
        "/api/v1/kpis/trial_to_paid/values", json=[{"timestamp": "2026-10-04", "value": 15.3}]
    )
    assert corrected.status_code == 200
    items = client.get("/api/v1/kpis/trial_to_paid/values").json()["items"]
    assert items[0] == {"timestamp": "2026-10-04", "value": 15.3}
    assert len(items) == 4


def test_a_bad_item_writes_nothing_and_every_bad_item_is_named(client, kpi):
    rows = [
        {"timestamp": "2026-10-04", "value": 15.1},
        {"timestamp": "2026-10-11", "value": "lots"},
        {"timestamp": "last week", "value": 14.2},
        {"value": 13.0},
        {"timestamp": "2026-11-01", "value": 13.1, "colour": "red"},
        {"timestamp": "2026-11-08", "value": 13.5},
    ]
    response = client.post("/api/v1/kpis/trial_to_paid/values", json=rows)
    body = assert_problem(response, 422, "invalid-input")
    named = {(e["field"], e["pointer"]) for e in body["errors"]}
    assert named == {
        ("[1].value", "/1/value"),
        ("[2].timestamp", "/2/timestamp"),
        ("[3].timestamp", "/3/timestamp"),
        ("[4].colour", "/4/colour"),
    }
    assert body["field"] == "[1].value"
    assert client.get("/api/v1/kpis/trial_to_paid/values").json()["total"] == 0


def test_rules_the_import_checks_name_every_item_too(client, kpi):
    # Well-typed items the import refuses: a duplicate time (the same second, however
    # written), a number JSON cannot hold (Python's parser reads NaN), a segment too long.
    body = (
        '[{"timestamp": "2026-10-04", "value": 15.1},'
        ' {"timestamp": "2026-10-04T02:00:00.5+02:00", "value": 15.2},'
        ' {"timestamp": "2026-10-11", "value": NaN},'
        ' {"timestamp": "2026-10-18", "value": 14.0, "segment": "%s"}]' % ("x" * 201)
    )
    response = client.post(
        "/api/v1/kpis/trial_to_paid/values",
        content=body.encode(),
        headers={"content-type": "application/json"},
    )
    problem = assert_problem(response, 422, "invalid-input")
    assert [(e["field"], e["pointer"]) for e in problem["errors"]] == [
        ("[1].timestamp", "/1/timestamp"),
        ("[2].value", "/2/value"),
        ("[3].segment", "/3/segment"),
    ]
    assert "item 0 has the same" in problem["errors"][0]["detail"]
    assert problem["detail"].startswith("request body: 3 bad rows: item 1: timestamp: ")
    assert client.get("/api/v1/kpis/trial_to_paid/values").json()["total"] == 0


def test_an_empty_import_is_invalid(client, kpi):
    response = client.post("/api/v1/kpis/trial_to_paid/values", json=[])
    assert assert_problem(response, 422, "invalid-input")["errors"][0]["location"] == "body"


def test_values_for_an_unknown_kpi_are_not_found(client):
    response = client.post("/api/v1/kpis/nope/values", json=WEEKS)
    assert_problem(response, 404, "not-found")


def test_values_are_read_by_range_segment_and_page(client, kpi):
    assert client.post("/api/v1/kpis/trial_to_paid/values", json=WEEKS).status_code == 200
    url = "/api/v1/kpis/trial_to_paid/values"

    ranged = client.get(url, params={"from": "2026-10-11", "to": "2026-10-18T00:00:00Z"}).json()
    assert ranged["from"] == "2026-10-11"
    assert ranged["to"] == "2026-10-18"
    assert ranged["segment"] is None
    assert ranged["items"] == [
        {"timestamp": "2026-10-11", "value": 14.6},
        {"timestamp": "2026-10-18", "value": 14.2},
    ]

    pro = client.get(url, params={"segment": "plan=pro", "from": "2026-10-12"}).json()
    assert pro["segment"] == "plan=pro"
    assert pro["items"] == [{"timestamp": "2026-10-18", "value": 18.5}]

    first = client.get(url, params={"limit": 3}).json()
    assert (first["total"], first["offset"], first["next_offset"]) == (4, 0, 3)
    assert len(first["items"]) == 3
    last = client.get(url, params={"limit": 3, "offset": first["next_offset"]}).json()
    assert last["items"] == [{"timestamp": "2026-10-25", "value": 13.9}]
    assert last["next_offset"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-10-18", "to": "2026-10-11"}, "from"),
        ({"from": "yesterday"}, "from"),
        ({"to": "1700000000"}, "to"),
        ({"limit": 0}, "limit"),
        ({"limit": 5000}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
def test_a_bad_value_query_names_the_parameter(client, kpi, params, field):
    response = client.get("/api/v1/kpis/trial_to_paid/values", params=params)
    body = assert_problem(response, 422, "invalid-input")
    assert body["field"] == field


# --- health -----------------------------------------------------------------------


def test_the_demo_trial_to_paid_is_yellow_with_a_downward_signal(client, demo_workspace):
    response = client.get("/api/v1/kpis/trial_to_paid")
    assert response.status_code == 200
    assert response.headers["etag"] == '"1"'
    health = response.json()["health"]
    assert health["status"] == "yellow"
    assert health["stale"] is False
    assert health["latest"] == {"timestamp": "2026-11-22", "value": 12.0}
    assert health["verdict"] == "signal"
    assert any(s["direction"] == "down" for s in health["xmr"]["signals"])
    assert health["xmr"]["baseline_points"] == 20
    assert health["capability"] in {"capable", "marginal", "incapable"}
    assert health["freshness"] == {
        "cadence": "weekly",
        "newest": "2026-11-22",
        "stale_after": "2026-11-14",
        "stale": False,
    }
    assert health["quality"]["ok"] is True
    assert set(health) == {
        "as_of", "status", "stale", "latest", "trend", "xmr", "verdict", "capability",
        "freshness", "quality",
    }  # fmt: skip
    assert set(health["trend"]) == {"previous", "change", "relative_change"}


def test_the_health_alone_is_judged_as_of_a_moment(client, demo_workspace):
    now = client.get("/api/v1/kpis/trial_to_paid/health")
    assert now.status_code == 200
    assert now.json() == client.get("/api/v1/kpis/trial_to_paid").json()["health"]

    later = client.get("/api/v1/kpis/trial_to_paid/health", params={"as_of": "2027-01-10"})
    assert later.json()["as_of"] == "2027-01-10T00:00:00Z"
    assert later.json()["stale"] is True
    assert later.json()["freshness"]["stale"] is True
    assert later.json()["status"] != "green"

    dau = client.get("/api/v1/kpis/dau/health", params={"as_of": "2026-11-23T12:00:00+01:00"})
    assert dau.json()["as_of"] == "2026-11-23T11:00:00Z"

    bad = client.get("/api/v1/kpis/trial_to_paid/health", params={"as_of": "soon"})
    assert assert_problem(bad, 422, "invalid-input")["field"] == "as_of"


def test_the_health_has_the_shape_of_kpi_check(client, uow, demo_workspace):
    page = kpi_page(uow, "churn", NOW)
    assert page.tile.check is not None
    expected = check_document(page.tile.check)
    health = client.get("/api/v1/kpis/churn/health").json()
    assert {k: health[k] for k in expected} == expected


def test_kpis_are_listed_by_team_north_star_first(client, demo_workspace):
    every = client.get("/api/v1/kpis").json()
    assert len(every) == len(demo_workspace.kpis)
    assert every[0]["north_star"] is True
    growth = client.get("/api/v1/kpis", params={"team": "growth"}).json()
    assert {k["team"] for k in growth} == {"growth"}
    assert "trial_to_paid" in {k["key"] for k in growth}


# --- OpenAPI ----------------------------------------------------------------------


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
    assert headers == {"If-Match", "X-Okrkit-Actor"}
    values = document["paths"]["/api/v1/kpis/{kpi}/values"]
    assert values["post"]["requestBody"]["content"]["application/json"]["schema"]["type"] == "array"
    assert {p["name"] for p in values["get"]["parameters"]} >= {"from", "to", "segment", "limit"}


def test_a_derived_kpi_says_which_input_moved_it(client, demo_workspace):
    """The demo's ARPA (mrr / paying_customers) fell in its latest month: more customers
    at a lower price. Log-change shares worked by hand: paying customers ≈ 1.40, MRR
    ≈ −0.40 (it rose, pulling the other way)."""
    body = client.get("/api/v1/kpis/arpa").json()
    decomposition = body["decomposition"]
    assert decomposition["formula"] == "arpa = mrr / paying_customers"
    assert decomposition["periods"] == ["2026-09", "2026-10"]
    assert decomposition["method"] == "log_change"
    shares = {f["key"]: f["share"] for f in decomposition["factors"]}
    assert shares == {
        "mrr": pytest.approx(-0.40, abs=0.01),
        "paying_customers": pytest.approx(1.40, abs=0.01),
    }
    assert sum(shares.values()) == pytest.approx(1.0)
    assert decomposition["after"] < decomposition["before"]
    assert client.get("/api/v1/kpis/trial_to_paid").json()["decomposition"] is None
