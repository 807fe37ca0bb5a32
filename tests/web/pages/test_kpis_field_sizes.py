"""The KPI form bounds every text as the API does: the form again with the message
beside the field, nothing written (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from okrkit.domain.fields import MAX_PROSE
from tests.web.pages.helpers import text_of
from tests.web.pages.test_kpis import NEW_KPI


@pytest.mark.parametrize(("field", "size"), [("description", MAX_PROSE + 1), ("name", 201)])
def test_a_text_over_its_bound_is_said_beside_its_field(client, field, size):
    answer = client.post("/kpis", data={**NEW_KPI, field: "x" * size})
    assert answer.status_code == 422, answer.text[:300]
    assert "characters" in text_of(answer.text)
    assert 'aria-invalid="true"' in answer.text
    assert client.get("/kpis/signup_rate").status_code == 404
