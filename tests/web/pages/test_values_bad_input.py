"""Every bad input to the pages is the form again with a message naming it, never a
500: a file of values with moments outside the years okrkit keeps."""

from __future__ import annotations

import pytest

from tests.web.pages.helpers import chart_points, element, text_of

BAD_ROWS = [
    "0001-01-01",
    "0000-01-01",
    "9999-12-31",
    "1899-12-31T23:59:59Z",
    "3000-01-01",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:00:00-05:00",
]


@pytest.mark.parametrize("moment", BAD_ROWS)
def test_an_uploaded_row_outside_the_kept_years_is_named_at_its_line(client, moment):
    rows = f"timestamp,value\n2026-11-23,12.4\n{moment},13\n".encode()
    response = client.post(
        "/kpis/trial_to_paid/import", files={"file": ("week.csv", rows, "text/csv")}
    )
    assert response.status_code == 422
    words = text_of(element(response.text, "div", 'id="import-errors"'))
    assert "Nothing was imported from week.csv: 1 row to fix" in words
    assert f"3 timestamp '{moment}' is out of range: okrkit keeps the years 1900 to 2999" in words
    assert chart_points(response.text) == 52
