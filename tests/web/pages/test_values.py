"""A KPI's values written from its page, on SQLite and PostgreSQL: a file uploaded is
previewed (every bad row listed, the status it would cause) and written only once
confirmed; one value typed in, corrected or deleted; a page of values, newest first."""

from __future__ import annotations

import re

import pytest

from tests.web.pages.helpers import chart_points, element, get, text_of

KPI = "/kpis/trial_to_paid"


def upload(client, content: bytes, name: str = "week.csv"):
    return client.post(f"{KPI}/import", files={"file": (name, content, "text/csv")})


def previewed(client, content: bytes, name: str = "week.csv") -> tuple[str, str]:
    """Upload a file; return its preview's URL and the preview page."""
    response = upload(client, content, name)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert re.fullmatch(r"/kpis/trial_to_paid/import/[A-Za-z0-9_-]{20,64}", location)
    return location, client.get(location).text


def written(client, location: str) -> str:
    """The words of the KPI page's message after a write of values."""
    page = get(client, location.split("#")[0])
    return text_of(element(page, "div", 'id="written"'))


def test_a_file_with_bad_rows_is_refused_at_once_and_nothing_is_kept(client):
    bad = b"timestamp,value\n2026-11-23,12.4\n2026-11-24,abc\nyesterday,13\n"
    response = upload(client, bad)
    assert response.status_code == 422
    words = text_of(element(response.text, "div", 'id="import-errors"'))
    assert "Nothing was imported from week.csv: 2 rows to fix" in words
    assert "Line Column What is wrong" in words
    assert "3 value 'abc' is not a number" in words
    assert "4 timestamp 'yesterday' is not an ISO 8601 date or datetime" in words
    assert chart_points(response.text) == 52

    response = upload(client, b"")
    assert response.status_code == 422
    assert "Nothing was imported from empty.csv" not in response.text
    assert "Nothing was imported from week.csv: the file is empty" in text_of(response.text)


def test_a_file_is_previewed_then_imported_only_once_confirmed(client):
    good = b"timestamp,value\n2026-11-22,12.5\n2026-11-23,12.4\n2026-11-15,12.3\n"
    location, preview = previewed(client, good)
    words = text_of(preview)
    assert "Preview of week.csv" in words
    assert "Nothing is written until you confirm" in words
    assert "3 rows: 1 new, 1 replaces a value, 1 unchanged." in words
    change = text_of(element(preview, "section", 'aria-labelledby="changes-title"'))
    assert (
        "Trial-to-paid conversion rate Rows 3: 1 new, 1 replaced, 1 unchanged "
        "Times 2026-11-15 to 2026-11-23 Newest value 12.0% → 12.4% "
        "Status ▲ Yellow → ▲ Yellow Verdict ◆ a signal → ◆ a signal"
    ) in change
    assert "Home Trial-to-paid conversion rate Preview of week.csv Preview" in words
    assert 'class="status status-yellow"' in preview
    assert chart_points(get(client, KPI)) == 52  # nothing written by the preview

    response = client.post(location)
    assert response.status_code == 303
    assert re.fullmatch(
        r"/kpis/trial_to_paid\?done=\d+&warned=0#written", response.headers["location"]
    )
    message = written(client, response.headers["location"])
    assert message.startswith("✓ Imported 3 values from week.csv: 1 new, 1 replaced, 1 unchanged.")
    assert "Undo this import" in message
    assert chart_points(get(client, KPI)) == 53

    # Imported once: the preview and its confirmation are gone.
    again = client.post(location)
    assert again.status_code == 404
    assert "upload the file again" in text_of(again.text)
    assert client.get(location).status_code == 404
    assert chart_points(get(client, KPI)) == 53


def test_implausible_rows_are_named_at_their_lines_and_block_the_import(client):
    rows = b"timestamp,value\n2026-11-23,150\n2026-12-24,12\n"
    location, preview = previewed(client, rows)
    errors = text_of(element(preview, "div", 'id="preview-errors"'))
    assert errors.startswith("2 rows must be fixed: nothing can be imported until they are")
    assert "2 value trial_to_paid: 150% is outside 0 to 100%" in errors
    assert "3 timestamp trial_to_paid: 24 Dec 2026 00:00 UTC is in the future" in errors
    assert "Import 2 values" not in preview
    assert f'action="{location}"' not in preview
    assert 'action="/kpis/trial_to_paid/import"' in preview  # upload again
    assert client.get(location).status_code == 422

    # Confirming anyway (a hand-made request) writes nothing and shows the errors.
    response = client.post(location)
    assert response.status_code == 422
    assert "150% is outside 0 to 100%" in text_of(response.text)
    assert chart_points(get(client, KPI)) == 52


def test_a_value_far_outside_the_usual_range_is_shown_then_imported_as_confirmed(client):
    location, preview = previewed(client, b"timestamp,value\n2026-11-23,40\n")
    warning = text_of(element(preview, "div", 'id="preview-warnings"'))
    assert "1 value to check: far outside the usual range" in warning
    assert "2 value trial_to_paid: 40% is far above the usual range" in warning
    assert "Yellow → ✓ Green" in text_of(preview)
    assert "Import 1 value" in text_of(preview)

    response = client.post(location)
    assert response.status_code == 303
    message = written(client, response.headers["location"])
    assert "It went ahead with 1 value far outside the usual range, as you confirmed." in message


def test_a_cancelled_preview_writes_nothing_and_is_forgotten(client):
    location, _ = previewed(client, b"timestamp,value\n2026-11-23,12.4\n")
    response = client.post(f"{location}/cancel")
    assert response.status_code == 303
    page = get(client, response.headers["location"])
    assert "Import cancelled: nothing was written." in text_of(page)
    assert chart_points(page) == 52
    assert client.post(location).status_code == 404


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/kpis/trial_to_paid/import/unknown-token", 404),
        ("/kpis/trial_to_paid/import/" + "x" * 65, 422),
        ("/kpis/nope/import/unknown-token", 404),
    ],
)
def test_an_unknown_preview_is_a_page_that_says_to_upload_again(client, path, status):
    for response in (client.get(path), client.post(path)):
        assert response.status_code == status
        assert response.headers["content-type"].startswith("text/html")
    if status == 404:
        assert "This preview has expired or was imported already: upload the file again" in (
            text_of(client.get(path).text)
        )


def test_a_preview_belongs_to_its_kpi(client):
    location, _ = previewed(client, b"timestamp,value\n2026-11-23,12.4\n")
    other = location.replace("trial_to_paid", "signups")
    assert client.get(other).status_code == 404
    assert client.post(other).status_code == 404
    assert client.get(location).status_code == 200


def test_a_typed_value_is_saved_corrected_and_said(client):
    response = client.post(f"{KPI}/values", data={"at": "2026-11-23", "value": "12.4"})
    assert response.status_code == 303
    assert "Saved the value of 2026-11-23." in written(client, response.headers["location"])
    assert chart_points(get(client, KPI)) == 53

    response = client.post(f"{KPI}/values", data={"at": "2026-11-23T00:00", "value": " 12.6 "})
    assert response.status_code == 303
    message = written(client, response.headers["location"])
    assert "Saved the value of 2026-11-23, replacing the one before." in message
    table = text_of(element(get(client, KPI), "section", 'id="values"'))
    assert "When Value Actions 2026-11-23 12.6%" in table
    assert chart_points(get(client, KPI)) == 53


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"value": "12"}, "at", "say when: a date such as 2026-11-23"),
        ({"at": "2026-11-23"}, "value", "type the value, e.g. 15.5"),
        ({"at": "2026-11-23", "value": "abc"}, "value", "'abc' is not a number"),
        ({"at": "2026-11-23", "value": "1e400"}, "value", "'1e400' is not a finite number"),
        ({"at": "0000-01-01", "value": "12"}, "at", "'0000-01-01' is not a date"),
        ({"at": "2026-13-45", "value": "12"}, "at", "'2026-13-45' is not a date"),
        (
            {"at": "9999-12-31", "value": "12"},
            "at",
            "is out of range: okrkit keeps the years 1900 to 2999",
        ),
        ({"at": "2026-11-23", "value": "150"}, "value", "150% is outside 0 to 100%"),
        ({"at": "2026-11-23", "value": "12", "segment": "s" * 300}, "segment", "longer than 200"),
    ],
)
def test_a_typed_value_with_a_mistake_is_shown_back_and_nothing_is_written(
    client, data, field, words
):
    response = client.post(f"{KPI}/values", data=data)
    assert response.status_code == 422, response.text
    form = element(response.text, "section", 'id="value-form"')
    error = text_of(element(form, "p", f'id="value-{field}-error"'))
    assert words in error
    assert re.search(rf'id="value-{field}"[^>]*aria-invalid="true"', form)
    for typed in data.values():
        assert f'value="{typed}"' in form
    assert chart_points(response.text) == 52
    assert "Recent changes to values" in response.text
    assert chart_points(get(client, KPI)) == 52


def test_a_typed_value_far_outside_the_usual_range_is_saved_once_confirmed(client):
    response = client.post(f"{KPI}/values", data={"at": "2026-11-23", "value": "40"})
    assert response.status_code == 200
    warning = element(response.text, "div", 'id="value-warnings"')
    assert "40% is far above the usual range" in text_of(warning)
    assert '<input type="hidden" name="confirm" value="1">' in warning
    assert '<input type="hidden" name="value" value="40">' in warning
    assert chart_points(response.text) == 52

    response = client.post(
        f"{KPI}/values", data={"at": "2026-11-23", "value": "40", "confirm": "1"}
    )
    assert response.status_code == 303
    assert "Saved the value of 2026-11-23." in written(client, response.headers["location"])
    assert chart_points(get(client, KPI)) == 53


def test_a_deleted_value_is_said_and_can_be_undone(client):
    response = client.post(f"{KPI}/values/delete", data={"at": "2026-11-22"})
    assert response.status_code == 303
    message = written(client, response.headers["location"])
    assert "Deleted the value of 2026-11-22." in message
    assert chart_points(get(client, KPI)) == 51
    table = text_of(element(get(client, KPI), "section", 'id="values"'))
    assert "When Value Actions 2026-11-15" in table

    undo = re.search(r'action="(/kpis/trial_to_paid/imports/\d+/undo)"', get(client, KPI))
    assert undo
    response = client.post(undo.group(1))
    assert response.status_code == 303
    assert "Undone: 0 values removed, 1 restored." in written(client, response.headers["location"])
    assert chart_points(get(client, KPI)) == 52


@pytest.mark.parametrize(
    ("data", "status", "words"),
    [
        ({}, 422, "at"),
        ({"at": "soon"}, 422, "'soon' is not a date"),
        ({"at": "0000-01-01"}, 422, "is not a date"),
        ({"at": "2026-11-23"}, 404, "No value of 'trial_to_paid' at 2026-11-23 00:00:00 UTC"),
        ({"at": "2026-11-22", "segment": "plan=none"}, 404, "of segment 'plan=none'"),
    ],
)
def test_deleting_a_value_that_is_not_there_is_refused_in_words(client, data, status, words):
    response = client.post(f"{KPI}/values/delete", data=data)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert words in text_of(response.text)
    assert chart_points(get(client, KPI)) == 52


def test_values_are_shown_newest_first_twenty_a_page(client):
    page = get(client, KPI)
    table = element(page, "section", 'id="values"')
    assert "52 values, newest first; page 1 of 3" in text_of(table)
    assert table.count("<tr>") == 21  # a header and 20 values
    assert text_of(table).index("2026-11-22") < text_of(table).index("2026-11-15")
    pager = text_of(element(table, "nav", 'class="pager"'))
    assert pager == "Page 1 of 3 Older"
    assert 'href="/kpis/trial_to_paid?page=2#values" rel="next"' in table
    assert 'href="/kpis/trial_to_paid?page=1&amp;at=2026-11-22&amp;value=' in table

    last = element(get(client, f"{KPI}?page=3"), "section", 'id="values"')
    assert last.count("<tr>") == 13
    assert text_of(element(last, "nav", 'class="pager"')) == "Newer Page 3 of 3"
    beyond = element(get(client, f"{KPI}?page={10**30}"), "section", 'id="values"')
    assert "page 3 of 3" in text_of(beyond)


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5"])
def test_a_page_that_is_not_one_is_refused_in_words(client, page):
    response = client.get(f"{KPI}?page={page}")
    assert response.status_code == 422
    assert "is not a page: pages count from 1" in text_of(response.text)


def test_correct_fills_in_the_form(client):
    form = element(get(client, f"{KPI}?at=2026-11-22&value=12.0"), "section", 'id="value-form"')
    assert 'name="at" type="text" value="2026-11-22"' in form
    assert 'name="value" type="text" value="12.0"' in form
    assert "Value (percent)" in text_of(form)
