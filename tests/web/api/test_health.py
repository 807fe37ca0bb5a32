"""A KPI's health in the API — in the KPI resource and alone at `/api/v1/kpis/{kpi}/health`,
as of now or of a moment: the demo's trial-to-paid, and the shape of `kpi check`."""

from __future__ import annotations

from okrkit.interfaces.documents import check_document
from okrkit.services.kpis import kpi_page
from tests.support.actors import ADMIN
from tests.web.api.helpers import NOW, assert_problem


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
        "freshness", "quality", "cant_judge",
    }  # fmt: skip
    assert health["cant_judge"] is None
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
    page = kpi_page(uow, "churn", NOW, viewer=ADMIN)
    assert page.tile.check is not None
    expected = check_document(page.tile.check)
    health = client.get("/api/v1/kpis/churn/health").json()
    assert {k: health[k] for k in expected} == expected


def test_the_health_of_an_unknown_kpi_is_a_not_found_problem(client):
    body = assert_problem(client.get("/api/v1/kpis/nope/health"), 404, "not-found")
    assert "'nope'" in body["detail"]
