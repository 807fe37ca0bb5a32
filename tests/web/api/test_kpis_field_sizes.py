"""Every text of a definition is bounded at the API's edge, one bound per field
(`domain.fields`): a 20 MB team name or a 5,001-character description is a 422 naming
the field and its limit, and nothing is written; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from okrkit.domain.fields import MAX_PROSE, MAX_SOURCE
from tests.web.api.helpers import TRIAL_TO_PAID, assert_problem


@pytest.mark.parametrize(
    ("field", "size", "limit"),
    [
        ("name", 201, 200),
        ("name", 2_000_000, 200),
        ("description", MAX_PROSE + 1, MAX_PROSE),
        ("unit", 33, 32),
        ("owner", 255, 254),
        ("formula", MAX_SOURCE + 1, MAX_SOURCE),
        ("source", MAX_SOURCE + 1, MAX_SOURCE),
    ],
)
def test_a_kpi_text_over_its_bound_is_refused_naming_it(client, growth, field, size, limit):
    body = {**TRIAL_TO_PAID, field: "x" * size}
    answer = client.post("/api/v1/kpis", json=body)
    assert answer.status_code in (413, 422), answer.text
    if answer.status_code == 422:
        problem = assert_problem(answer, 422, "invalid-input")
        assert field in answer.text
        assert f"{limit:,}" in answer.text or str(limit) in answer.text, problem
    assert client.get("/api/v1/kpis").json() == []


def test_a_description_at_its_bound_is_kept_whole(client, growth):
    body = {**TRIAL_TO_PAID, "description": "d" * MAX_PROSE}
    assert client.post("/api/v1/kpis", json=body).status_code == 201
    assert len(client.get("/api/v1/kpis/trial_to_paid").json()["description"]) == MAX_PROSE


@pytest.mark.parametrize(("size", "limit"), [(201, 200), (20_000_000, 200)])
def test_a_team_name_over_its_bound_is_refused(client, size, limit):
    answer = client.post("/api/v1/teams", json={"key": "growth", "name": "n" * size})
    assert answer.status_code in (413, 422), answer.status_code
    assert client.get("/api/v1/teams").json() == []
