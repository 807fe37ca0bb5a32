"""Previews and corrections of KPI values over the API, on SQLite and PostgreSQL: a
`dry_run` import writes nothing and says what it would do; one value typed in, replaced
and deleted; every write listed and undone once; bad input a clear 4xx."""

from __future__ import annotations

import pytest

from tests.web.api.helpers import assert_problem

URL = "/api/v1/kpis/trial_to_paid/values"
WEEKS = [{"timestamp": f"2026-10-{day:02d}", "value": v}
         for day, v in ((4, 15.1), (11, 14.6), (18, 14.2), (25, 15.4))]  # fmt: skip


@pytest.fixture
def weeks(client, kpi):
    assert client.post(URL, json=WEEKS).status_code == 200


def values(client) -> dict[str, float]:
    items = client.get(URL).json()["items"]
    return {item["timestamp"][:10]: item["value"] for item in items}


def test_a_dry_run_writes_nothing_and_names_errors_and_status_change(client, weeks):
    before = values(client)
    sent = [{"timestamp": "2026-11-22", "value": 150}, {"timestamp": "2026-12-25", "value": 15}]
    answer = client.post(URL, params={"dry_run": "true"}, json=sent)
    assert answer.status_code == 200, answer.text
    preview = answer.json()
    assert (preview["can_import"], preview["error_count"], preview["new"]) == (False, 2, 2)
    assert [(e["item"], e["field"]) for e in preview["errors"]] == [
        (0, "value"),
        (1, "timestamp"),
    ]
    alone = client.post(URL, params={"dry_run": "true"}, json=sent[:1]).json()
    (kpi,) = alone["kpis"]
    assert kpi["before"]["status"] == "yellow"
    assert kpi["after"]["status"] == "green"  # what the 150 % row would do
    assert values(client) == before
    refused = client.post(URL, json=sent)
    assert_problem(refused, 422, "invalid-input")
    assert "150% is outside 0 to 100%" in refused.text
    assert values(client) == before


def test_one_value_is_typed_replaced_deleted_and_each_write_undone(client, weeks):
    typed = client.put(f"{URL}/2026-10-25", json={"value": 15.0})
    assert typed.status_code == 200, typed.text
    assert (typed.json()["new"], typed.json()["replaced"]) == (0, 1)
    assert values(client)["2026-10-25"] == 15.0
    deleted = client.delete(f"{URL}/2026-10-18")
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["kind"] == "deleted"
    assert "2026-10-18" not in values(client)
    listed = client.get("/api/v1/imports", params={"kpi": "trial_to_paid"}).json()
    assert [r["kind"] for r in listed] == ["deleted", "typed", "import"]
    for record in listed[:2]:
        undone = client.post(f"/api/v1/imports/{record['id']}/undo")
        assert undone.status_code == 200, undone.text
    assert values(client) == {w["timestamp"]: w["value"] for w in WEEKS}
    again = client.post(f"/api/v1/imports/{listed[0]['id']}/undo")
    assert_problem(again, 409, "conflict")
    assert "undone already" in again.text


def test_a_warning_does_not_block_and_is_listed(client, weeks):
    answer = client.post(URL, json=[{"timestamp": "2026-11-01", "value": 0.146}])
    assert answer.status_code == 200, answer.text
    assert answer.json()["warning_count"] == 1
    assert "far below the usual range" in answer.json()["warnings"][0]["detail"]


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("put", f"{URL}/0000-01-01", {"value": 1}, 422),
        ("put", f"{URL}/not-a-date", {"value": 1}, 422),
        ("put", f"{URL}/2026-10-04", {"value": "1e999"}, 422),
        ("put", f"{URL}/2026-10-04", {}, 422),
        ("put", f"{URL}/2026-10-04", {"value": 1, "extra": 2}, 422),
        ("put", f"{URL}/2026-10-04", {"value": -1}, 422),  # a percent is never negative
        ("put", "/api/v1/kpis/nope/values/2026-10-04", {"value": 1}, 404),
        ("delete", f"{URL}/2026-10-05", None, 404),  # no value then
        ("delete", f"{URL}/9999-99-99", None, 422),
        ("delete", "/api/v1/kpis/nope/values/2026-10-04", None, 404),
        ("post", "/api/v1/imports/0/undo", None, 422),
        ("post", f"/api/v1/imports/{10**30}/undo", None, 422),
        ("post", "/api/v1/imports/999/undo", None, 404),
        ("post", "/api/v1/imports/x/undo", None, 422),
        ("get", "/api/v1/imports?kpi=nope", None, 404),
        ("get", "/api/v1/imports?limit=0", None, 422),
        ("get", "/api/v1/imports?limit=100000", None, 422),
    ],
)
def test_bad_corrections_get_a_clear_answer_and_write_nothing(
    client, weeks, method, path, body, status
):
    before = values(client)
    answer = client.request(method, path, json=body)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert values(client) == before
