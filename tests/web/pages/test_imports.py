"""A KPI's recent writes of values on its page, each undone once, on SQLite and
PostgreSQL: the values it wrote removed, the ones it replaced put back, a second undo
a conflict in words."""

from __future__ import annotations

import re

import pytest

from tests.web.pages.helpers import chart_points, element, get, text_of

KPI = "/kpis/trial_to_paid"


def imported(client, content: bytes) -> int:
    """Upload and confirm a file; return the id of its import."""
    preview = client.post(f"{KPI}/import", files={"file": ("week.csv", content, "text/csv")})
    assert preview.status_code == 303, preview.text
    done = client.post(preview.headers["location"])
    assert done.status_code == 303, done.text
    found = re.search(r"done=(\d+)", done.headers["location"])
    assert found
    return int(found.group(1))


def test_the_page_lists_its_writes_of_values_newest_first(client):
    assert "No values written from okrkit yet." in text_of(get(client, KPI))
    imported(client, b"timestamp,value\n2026-11-22,12.5\n2026-11-23,12.4\n")
    client.post(f"{KPI}/values", data={"at": "2026-11-16", "value": "12.9"})
    client.post(f"{KPI}/values/delete", data={"at": "2026-11-15"})

    history = text_of(element(get(client, KPI), "section", 'id="imports"'))
    assert "first: when, who, what, and undo When Who What Rows New Replaced Undo" in history
    rows = re.findall(r"2026-11-23 09:30 UTC maya@example.com (.*?) Undo this change", history)
    assert rows == [
        "Deleted the value of 2026-11-15 1 0 1",
        "Typed in (2026-11-16) 1 1 0",
        "Imported week.csv 2 1 1",
    ]


def test_undo_removes_what_an_import_wrote_and_restores_what_it_replaced(client):
    import_id = imported(client, b"timestamp,value\n2026-11-22,12.5\n2026-11-23,12.4\n")
    assert chart_points(get(client, KPI)) == 53

    response = client.post(f"{KPI}/imports/{import_id}/undo")
    assert response.status_code == 303
    page = get(client, response.headers["location"].split("#")[0])
    message = text_of(element(page, "div", 'id="written"'))
    assert message == "✓ Undone: 2 values removed, 1 restored."
    assert chart_points(page) == 52
    table = text_of(element(page, "section", 'id="values"'))
    assert "2026-11-22 12.0%" in table
    history = text_of(element(page, "section", 'id="imports"'))
    assert "Imported week.csv 2 1 1 Undone 2026-11-23 09:30 by maya@example.com" in history
    assert f"/imports/{import_id}/undo" not in page

    again = client.post(f"{KPI}/imports/{import_id}/undo")
    assert again.status_code == 409
    assert (
        f"Import {import_id} was undone already, on 23 Nov 2026 09:30 by maya@example.com"
        in text_of(again.text)
    )
    assert chart_points(get(client, KPI)) == 52


@pytest.mark.parametrize(
    ("import_id", "status"),
    [("999999", 404), ("0", 422), ("-3", 422), ("abc", 422), (str(2**31), 422)],
)
def test_undoing_an_import_that_is_not_there_is_refused_in_words(client, import_id, status):
    response = client.post(f"{KPI}/imports/{import_id}/undo")
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    if status == 404:
        assert "999999" in text_of(response.text)
    assert chart_points(get(client, KPI)) == 52


@pytest.mark.parametrize("query", ["done=abc", "done=0", f"done={2**31}", "warned=-1", "removed=x"])
def test_a_message_that_names_nothing_is_refused(client, query):
    assert client.get(f"{KPI}?{query}").status_code == 422


def test_a_message_of_another_write_shows_nothing(client):
    page = get(client, f"{KPI}?done=999")
    assert 'id="written"' not in page
