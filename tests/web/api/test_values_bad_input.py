"""Every bad input to the JSON API is a 422 naming the field, never a 500: moments
outside the years okrkit keeps (posted values, `from`, `to`, `as_of`, a KPI's
baseline), and absurd values in every GET's query parameters. Nothing is written
behind a refusal."""

from __future__ import annotations

import pytest

from tests.web.api.helpers import assert_problem

# Years 0, 1 and 9999 as people type them, the first moments outside the kept years on
# either side, and offsets that carry a moment past year 1 or 9999 in UTC.
BAD_MOMENTS = [
    "0001-01-01",
    "0000-01-01",
    "9999-12-31",
    "9999-12-31T23:59:59Z",
    "1899-12-31T23:59:59Z",
    "3000-01-01",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:00:00-05:00",
    "1900-01-01T00:30:00+01:00",
]
VALUES = "/api/v1/kpis/trial_to_paid/values"


@pytest.mark.parametrize("moment", BAD_MOMENTS)
def test_a_value_at_a_moment_outside_the_kept_years_is_refused_and_nothing_is_written(
    client, kpi, moment
):
    items = [{"timestamp": "2026-11-16", "value": 14}, {"timestamp": moment, "value": 14}]
    body = assert_problem(client.post(VALUES, json=items), 422, "invalid-input")
    assert body["field"] == "[1].timestamp"
    assert (
        "okrkit keeps the years 1900 to 2999" in body["detail"]
        or "valid datetime" in (body["detail"])
    )
    assert client.get(VALUES).json()["total"] == 0


@pytest.mark.parametrize("moment", BAD_MOMENTS)
@pytest.mark.parametrize(
    ("path", "parameter"),
    [(VALUES, "from"), (VALUES, "to"), ("/api/v1/kpis/trial_to_paid/health", "as_of")],
)
def test_a_query_moment_outside_the_kept_years_names_the_parameter(
    client, kpi, moment, path, parameter
):
    body = assert_problem(client.get(path, params={parameter: moment}), 422, "invalid-input")
    assert body["field"] == parameter


@pytest.mark.parametrize("moment", BAD_MOMENTS)
@pytest.mark.parametrize("end", ["from", "to"])
def test_a_baseline_outside_the_kept_years_is_refused_and_the_kpi_is_unchanged(
    client, kpi, moment, end
):
    baseline = {"from": "2026-01-05", "to": "2026-06-29", end: moment}
    response = client.patch(
        "/api/v1/kpis/trial_to_paid", json={"baseline": baseline, "version": kpi["version"]}
    )
    body = assert_problem(response, 422, "invalid-input")
    assert body["field"] == f"baseline.{end}"
    assert client.get("/api/v1/kpis/trial_to_paid").json()["version"] == kpi["version"]


def test_the_first_and_last_kept_moments_are_taken(client, kpi):
    items = [{"timestamp": "1900-01-01T00:00:00Z", "value": 1}]
    assert client.post(VALUES, json=items).status_code == 200
    # A value cannot be dated in the future (a plausible value); a range can end there.
    read = client.get(VALUES, params={"from": "1900-01-01", "to": "2999-12-31T23:59:59Z"})
    assert read.json()["total"] == 1


@pytest.mark.parametrize("key", ["growth\n", "growth\r\n", "growth\x00", "\ngrowth"])
def test_a_key_with_a_line_break_or_nul_is_refused_and_nothing_is_written(client, key):
    body = assert_problem(
        client.post("/api/v1/teams", json={"key": key, "name": "Growth"}), 422, "invalid-input"
    )
    assert body["field"] == "key"
    assert client.get("/api/v1/teams").json() == []
