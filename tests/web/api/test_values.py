"""`/api/v1/kpis/{kpi}/values`: bulk imports (idempotent, all or nothing, every bad item
named) and values read by range, segment and page."""

from __future__ import annotations

import pytest

from tests.web.api.helpers import assert_problem

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
        "id": 1,
        "source": "request body",
        "rows_read": 6,
        "rows_written": 6,
        "new": 6,
        "replaced": 0,
        "warning_count": 0,
        "warnings": [],
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


def test_the_values_of_an_unknown_kpi_are_a_not_found_problem(client):
    body = assert_problem(client.get("/api/v1/kpis/nope/values"), 404, "not-found")
    assert "'nope'" in body["detail"]


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
