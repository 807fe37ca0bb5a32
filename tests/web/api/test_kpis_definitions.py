"""A KPI definition that could not be judged is refused when written through the API
(naming the field), and one stored before the rules is answered, never a 500: its
health says why it can't be judged and values posted to it are stored and said so.

On SQLite and on PostgreSQL (the `engine` fixture)."""

from __future__ import annotations

from typing import Any

import pytest

from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.domain.cadence import Cadence
from okrkit.domain.health import Direction
from okrkit.domain.kpis import Kpi
from tests.web.api.helpers import NOW, TRIAL_TO_PAID, assert_problem

BAD_CADENCES = {
    "0 0 30 2 *": "never fires (30 February)",
    "0 0 29 2 *": "fires less than once a year (29 February)",
    "* * * * * *": "fires every second; the most often a KPI can be judged is hourly",
    "*/10 * * * *": "fires every 10 minutes",
}


@pytest.mark.parametrize(("cadence", "message"), BAD_CADENCES.items())
def test_a_cadence_that_cant_be_judged_is_refused_on_create_and_edit(
    client: Any, growth: Any, cadence: str, message: str
) -> None:
    body = assert_problem(
        client.post("/api/v1/kpis", json={**TRIAL_TO_PAID, "cadence": cadence}),
        422,
        "invalid-input",
    )
    assert body["field"] == "cadence"
    assert message in body["detail"]
    assert client.get("/api/v1/kpis").json() == []
    assert client.post("/api/v1/kpis", json=TRIAL_TO_PAID).status_code == 201
    edit = client.patch("/api/v1/kpis/trial_to_paid", json={"cadence": cadence, "version": 1})
    assert assert_problem(edit, 422, "invalid-input")["field"] == "cadence"
    assert client.get("/api/v1/kpis/trial_to_paid").json()["version"] == 1


def test_a_formula_reading_no_kpi_is_refused_naming_the_field(client: Any, kpi: Any) -> None:
    derived = {**TRIAL_TO_PAID, "key": "arpu", "formula": "arpu = revenue / trial_to_paid"}
    body = assert_problem(client.post("/api/v1/kpis", json=derived), 422, "invalid-input")
    assert body["field"] == "formula"
    assert "the formula reads revenue, which is no KPI of this workspace" in body["detail"]
    itself = {**TRIAL_TO_PAID, "key": "loop", "formula": "loop * 2"}
    assert (
        "reads loop itself"
        in assert_problem(client.post("/api/v1/kpis", json=itself), 422, "invalid-input")["detail"]
    )
    edit = client.patch("/api/v1/kpis/trial_to_paid", json={"formula": "revenue * 2", "version": 1})
    assert assert_problem(edit, 422, "invalid-input")["field"] == "formula"


def test_a_stored_kpi_that_cant_be_judged_is_answered_and_takes_values(
    client: Any, growth: Any, engine: Any
) -> None:
    uow = SqlUnitOfWork(engine)
    with uow:
        uow.kpis.add(
            Kpi(key="never", name="Never", direction=Direction.HIGHER,
                cadence=Cadence.read("0 0 30 2 *"), team="growth"),
            "before", NOW,
        )  # fmt: skip
        uow.commit()
    posted = client.post(
        "/api/v1/kpis/never/values",
        json=[{"timestamp": "2026-11-20", "value": 1.0}, {"timestamp": "2026-11-21", "value": 2.0}],
    )
    assert posted.status_code in (200, 201), posted.text
    assert client.get("/api/v1/kpis/never/values").json()["total"] == 2
    for path in ("/api/v1/kpis/never/health", "/api/v1/kpis/never"):
        response = client.get(path)
        assert response.status_code == 200, response.text
        health = response.json() if path.endswith("health") else response.json()["health"]
        assert health["cant_judge"] == "the cadence `0 0 30 2 *` never fires (30 February)"
        assert health["status"] == "unknown"
        assert health["freshness"]["stale_after"] is None
