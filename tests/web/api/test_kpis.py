"""`/api/v1/kpis`: round trips, versions, the locked baseline, bad input named by field,
the list by team, and which input moved a derived KPI."""

from __future__ import annotations

import pytest

from okrkit.domain.spc import xmr
from tests.support.browsers import bearer
from tests.web.api.helpers import TRIAL_TO_PAID, assert_problem


def test_a_kpi_round_trips_create_read_patch_and_archive(client, growth):
    created = client.post(
        "/api/v1/kpis", json=TRIAL_TO_PAID, headers=bearer(client.app, "maya@example.com")
    )
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/api/v1/kpis/trial_to_paid"
    assert created.headers["etag"] == '"1"'
    definition = created.json()
    assert definition == {
        **TRIAL_TO_PAID,
        "target": 16.0,
        "thresholds": {"green": 15.0, "red": 12.0},
        "lowest": None,
        "highest": None,
        "description": "",
        "kind": "lagging",
        "north_star": False,
        "guardrail": False,
        "formula": None,
        "source": None,
        "private": False,
        "window_periods": 60,
        "baseline": None,
        "archived": False,
        "version": 1,
        "changed_at": "2026-11-23T09:30:00Z",
        "changed_by": "maya@example.com",
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


def test_a_stale_kpi_version_is_refused_too(client, other, kpi):
    assert other.patch("/api/v1/kpis/trial_to_paid", json={"target": 17, "version": 1}).is_success
    stale = client.delete("/api/v1/kpis/trial_to_paid", headers={"If-Match": '"1"'})
    body = assert_problem(stale, 409, "conflict")
    assert "changed by omar@example.com at 2026-11-23 09:30 UTC" in body["detail"]
    assert client.get("/api/v1/kpis/trial_to_paid").json()["archived"] is False


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
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


@pytest.mark.parametrize("path", ["/api/v1/kpis/nope", "/api/v1/kpis?team=nope"])
def test_an_unknown_key_is_a_not_found_problem(client, path):
    body = assert_problem(client.get(path), 404, "not-found")
    assert "'nope'" in body["detail"]


def test_changing_an_unknown_kpi_is_not_found(client):
    assert_problem(
        client.patch("/api/v1/kpis/nope", json={"target": 1}, headers={"If-Match": '"1"'}),
        404,
        "not-found",
    )


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

    newest = values.timestamps[-1].astype("datetime64[s]").item()
    posted = client.post(
        "/api/v1/kpis/trial_to_paid/values",
        json=[{"timestamp": newest.isoformat() + "Z", "value": 40.0}],
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


def test_kpis_are_listed_by_team_north_star_first(client, demo_workspace):
    every = client.get("/api/v1/kpis").json()
    assert len(every) == len(demo_workspace.kpis)
    assert every[0]["north_star"] is True
    growth = client.get("/api/v1/kpis", params={"team": "growth"}).json()
    assert {k["team"] for k in growth} == {"growth"}
    assert "trial_to_paid" in {k["key"] for k in growth}


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
