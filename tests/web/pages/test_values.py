"""A file of values uploaded on a KPI's page: every bad row listed and nothing imported
until it is fixed, then the chart and the segments show what was imported."""

from __future__ import annotations

from tests.web.pages.helpers import chart_points, element, get, text_of


def test_an_import_lists_every_bad_row_and_imports_nothing_until_fixed(client):
    bad = b"timestamp,value\n2026-11-23,12.4\n2026-11-24,abc\nyesterday,13\n"
    response = client.post(
        "/kpis/trial_to_paid/import", files={"file": ("week.csv", bad, "text/csv")}
    )
    assert response.status_code == 422
    report = element(response.text, "div", 'id="import-errors"')
    words = text_of(report)
    assert "Nothing was imported from week.csv: 2 rows to fix" in words
    assert "Line Column What is wrong" in words
    assert "3 value 'abc' is not a number" in words
    assert "4 timestamp 'yesterday' is not an ISO 8601 date or datetime" in words
    assert chart_points(response.text) == 52

    good = b"timestamp,value\n2026-11-23,12.4\n"
    response = client.post(
        "/kpis/trial_to_paid/import", files={"file": ("week.csv", good, "text/csv")}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/kpis/trial_to_paid?imported=1"
    page = get(client, response.headers["location"])
    assert "Imported 1 value." in text_of(page)
    assert chart_points(page) == 53
    assert "Chart of 53 weekly values" in text_of(page)


def test_imported_segments_show_their_newest_value_and_change(client):
    rows = b"timestamp,value,segment\n2026-11-15,12.5,plan=pro\n2026-11-22,11.5,plan=pro\n"
    response = client.post(
        "/kpis/trial_to_paid/import", files={"file": ("pro.csv", rows, "text/csv")}
    )
    assert response.status_code == 303, response.text
    table = element(
        get(client, "/kpis/trial_to_paid"), "section", 'aria-labelledby="segments-title"'
    )
    assert "Segment Newest value When Change plan=pro 11.5% 2026-11-22 −1.0 pp" in text_of(table)
    assert '<th scope="row">plan=pro</th>' in table


def test_an_empty_file_is_refused_in_words(client):
    response = client.post(
        "/kpis/trial_to_paid/import", files={"file": ("empty.csv", b"", "text/csv")}
    )
    assert response.status_code == 422
    assert "Nothing was imported from empty.csv: the file is empty" in text_of(response.text)
