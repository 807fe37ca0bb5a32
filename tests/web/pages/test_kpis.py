"""A KPI's page and its forms: the definition, chart and summary, pagination, which
input moved a derived KPI; forms that keep what was typed and put each error next to
its field, and the stale-edit message."""

from __future__ import annotations

import html
import re
import warnings
from typing import Any

from okrkit.domain.fields import from_data
from okrkit.domain.kpis import Kpi
from tests.support.browsers import BrowserClient
from tests.web.pages.helpers import NOW, chart_points, element, get, text_of

with warnings.catch_warnings():
    # Starlette asks for httpx2, which this project does not install; httpx works.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")


NEW_KPI: dict[str, Any] = {
    "key": "signup_rate",
    "name": "Sign-up rate",
    "description": "Visitors of the week who signed up, divided by the week's visitors.",
    "unit": "percent",
    "direction": "higher",
    "target": "5",
    "green": "4.5",
    "red": "3",
    "cadence": "weekly",
    "owner": "maya@example.com",
    "team": "growth",
    "kind": "leading",
}


def field_markup(markup: str, name: str) -> str:
    """A form field from its label to its input: where its error must stand."""
    start = markup.index(f'<label for="f-{name}"')
    end = markup.index(">", markup.index(f'id="f-{name}"', start)) + 1
    return markup[start:end]


def test_a_page_number_that_is_no_number_is_refused_in_words(client):
    for bad in ("abc", "0", "-1", "²"):
        words = text_of(get(client, f"/kpis/dau?page={bad}", 422))
        assert f"'{bad}' is not a page: pages count from 1" in words


def test_the_kpi_page_shows_the_definition_chart_and_its_summary(client):
    page = get(client, "/kpis/trial_to_paid")
    words = text_of(page)
    assert "Trials started in the week that became a paid plan within 14 days" in words
    assert "Owner maya@example.com" in words
    assert "Cadence weekly" in words
    assert "Kind Leading: it moves first and predicts results" in words
    assert "Thresholds green above 15.0%, red below 12.0%" in words
    assert (
        "marginal: the usual range 14.2–16.8% reaches the green bound 15.0% but does not go "
        "below the red bound 12.0%, so routine variation reaches into yellow but not red"
    ) in words
    # plain words first: the signal with its dates and the range with its unit
    verdict = text_of(element(page, "p", 'class="verdict verdict-signal"'))
    assert verdict == "◆ Signal: since 18 Oct 2026, 6 weeks below the usual range of 14.2–16.8%"
    # the statistics one click away
    explain = element(page, "details", 'id="usual-range"')
    assert "What is the “usual range”, and why is a value outside it a signal?" in explain
    assert "natural process limits" in text_of(explain)
    assert "14.2–16.8% around an average of 15.5%, from 20 values" in text_of(explain)
    summary = text_of(element(page, "figcaption", 'id="xmr-summary"'))
    assert summary.startswith(
        "Chart of 52 weekly values of Trial-to-paid conversion rate from 30 Nov 2025 to "
        "22 Nov 2026."
    )
    assert "Usual range 14.2–16.8% around an average of 15.5%" in summary
    assert "Target 16.0%." in summary
    assert "Signal: since 18 Oct 2026, 6 weeks below the usual range of 14.2–16.8%" in summary
    assert "point" not in summary
    assert "e+" not in words
    assert chart_points(page) == 52
    assert re.search(r'<script defer src="/static/vendor/vega-bundle\.js\?v=\w+"></script>', page)
    assert "No segments" in words


def test_values_are_paginated_newest_first(client):
    first = get(client, "/kpis/dau")
    table = element(first, "table", 'class="values-table"')
    assert "365 values, newest first; page 1 of 19" in text_of(table)
    assert table.count("<tr>") - 1 == 20  # a header row, then the values
    assert "2026-11-22" in text_of(table).split("Actions", 1)[1][:30]
    assert 'href="/kpis/dau?page=2#values" rel="next"' in first
    assert 'rel="prev"' not in first

    last = get(client, "/kpis/dau?page=19")
    table = element(last, "table", 'class="values-table"')
    assert table.count("<tr>") - 1 == 365 - 18 * 20
    assert 'rel="next"' not in last
    assert 'href="/kpis/dau?page=18#values" rel="prev"' in last
    # A page beyond the last shows the last.
    assert "page 19 of 19" in text_of(get(client, "/kpis/dau?page=99"))
    assert "page 19 of 19" in text_of(get(client, "/kpis/dau?page=" + "9" * 30))


def test_a_derived_kpi_page_says_which_input_moved_it(client):
    page = get(client, "/kpis/arpa")
    section = element(page, "section", 'id="factors"')
    words = text_of(section)
    assert "is derived from other KPIs: arpa = mrr / paying_customers" in words
    # The demo's latest month: MRR $995.8k → $1.008M (+1.2 %), paying customers 2,051 →
    # 2,141 (+4.4 %), so ARPA fell $485.52 → $470.85. Log-change shares by hand:
    # ln(1,008,100 / 995,800) / ln(470.85 / 485.52) ≈ −0.40 for MRR and
    # −ln(2,141 / 2,051) / ln(470.85 / 485.52) ≈ 1.40 for paying customers.
    assert (
        "Average revenue per account fell from $486 to $471 (−$15, −3.0%) between 2026-09 "
        "and 2026-10: paying_customers explains 140% of the fall." in words
    )
    table = element(section, "table", 'class="factors-table"')
    assert (
        "Factor Before (2026-09) After (2026-10) Change Share of the change In words "
        "paying_customers 2,051 2,141 +4.4% 140% paying_customers explains 140% of the fall "
        "mrr 995,800 1,008,100 +1.2% −40% mrr pulled the other way, offsetting 40% of the fall"
    ) in text_of(table)
    assert '<th scope="row"><a href="/kpis/paying_customers">paying_customers</a></th>' in table
    assert "an input above 100% was partly offset by one that pulled the other way" in words
    assert "Cannot say" not in words


def test_a_kpi_that_is_not_derived_shows_no_decomposition(client):
    page = get(client, "/kpis/trial_to_paid")
    assert 'id="factors"' not in page
    assert "What moved it" not in text_of(page)


def test_a_derived_kpi_that_cannot_be_split_says_why_in_a_sentence(client, uow):
    derived = {**NEW_KPI, "formula": "signup_rate = signups / visitors * 100"}
    # Inputs that are no KPI are refused when written; a definition stored before that
    # rule still has its page, which says why nothing can be split.
    refused = client.post("/kpis", data=derived)
    assert refused.status_code == 422
    assert (
        "the formula reads signups, visitors, which are no KPI of this workspace"
        in html.unescape(field_markup(refused.text, "formula"))
    )
    with uow:
        uow.kpis.add(from_data(Kpi, {**_definition(derived), "key": "signup_rate"}), "t", NOW)
        uow.commit()
    words = text_of(element(get(client, "/kpis/signup_rate"), "section", 'id="factors"'))
    assert (
        "Cannot say which input moved it. The formula reads signups and visitors, which are "
        "no KPI of this workspace: add the KPI or correct the formula."
    ) in words
    assert "Share of the change" not in words

    # DAU has a value every day, churn one a month: the latest week has no churn.
    mixed = {**NEW_KPI, "key": "churn_per_dau", "formula": "churn / dau"}
    assert client.post("/kpis", data=mixed).status_code == 303
    words = text_of(element(get(client, "/kpis/churn_per_dau"), "section", 'id="factors"'))
    assert (
        "Cannot say which input moved it. No value of churn in the latest week, so the move "
        "of churn_per_dau cannot be split between its inputs."
    ) in words


def test_the_new_kpi_form_preselects_the_team(client):
    page = get(client, "/kpis/new?team=growth")
    assert '<option value="growth" selected>Growth</option>' in page
    assert 'action="/kpis"' in page


def test_a_new_kpi_is_created_then_the_browser_goes_to_its_page(client):
    response = client.post("/kpis", data=NEW_KPI)
    assert response.status_code == 303
    assert response.headers["location"] == "/kpis/signup_rate?notice=created"
    words = text_of(get(client, response.headers["location"]))
    assert "KPI created." in words
    assert "Sign-up rate" in words
    assert "? Unknown no values yet" in words
    tile = text_of(
        element(get(client, "/teams/growth"), "article", 'aria-labelledby="tile-signup_rate"')
    )
    assert "Sign-up rate — target 5.0% ? Unknown no values yet" in tile
    assert "against the previous" not in tile


def test_form_errors_stand_next_to_their_fields_and_keep_what_was_typed(client):
    typed = {**NEW_KPI, "name": "", "target": "five", "green": "4.5", "red": "", "cadence": "often"}
    response = client.post("/kpis", data=typed)
    assert response.status_code == 422
    page = response.text
    for name, message in (
        ("name", "a KPI needs a name"),
        ("target", "&#39;five&#39; is not a number"),
        ("red", "give both the green and the red bound, or neither"),
        ("cadence", "&#39;often&#39; is not a cadence"),
    ):
        field = field_markup(page, name)
        assert f'id="f-{name}-error"' in field
        assert message in field
        assert 'aria-invalid="true"' in field
        assert f"f-{name}-error" in field.rsplit("<input", 1)[-1]
    assert 'value="five"' in field_markup(page, "target")
    assert 'value="often"' in field_markup(page, "cadence")
    assert 'value="4.5"' in field_markup(page, "green")
    assert 'value="signup_rate"' in field_markup(page, "key")
    assert "aria-invalid" not in field_markup(page, "green")
    summary = text_of(element(page, "div", 'id="error-summary"'))
    assert summary.startswith("4 things to fix")


def test_a_rule_of_the_service_is_shown_next_to_its_field(client):
    response = client.post("/kpis", data={**NEW_KPI, "key": "Sign Up"})
    assert response.status_code == 422
    field = field_markup(response.text, "key")
    assert "is not a key: use lower-case letters" in html.unescape(field)
    assert 'value="Sign Up"' in field

    response = client.post("/kpis", data={**NEW_KPI, "green": "3", "red": "4.5"})
    assert response.status_code == 422
    words = text_of(element(response.text, "fieldset", 'aria-describedby="f-thresholds-error"'))
    assert "green 3 is below red 4.5, but higher is better" in words

    response = client.post("/kpis", data={**NEW_KPI, "key": "trial_to_paid"})
    assert response.status_code == 422
    assert "KPI &#39;trial_to_paid&#39; already exists" in field_markup(response.text, "key")

    response = client.post("/kpis", data={**NEW_KPI, "team": "nope"})
    assert response.status_code == 422
    assert "no team &#39;nope&#39;" in field_markup(response.text, "team")
    assert '<option value="nope" selected>nope</option>' in response.text


def test_an_edit_is_saved_then_the_browser_goes_to_the_kpi(client):
    form = get(client, "/kpis/trial_to_paid/edit")
    assert '<input type="hidden" name="version" value="1">' in form
    assert 'value="Trial-to-paid conversion rate"' in field_markup(form, "name")
    assert 'value="15"' in field_markup(form, "green")
    response = client.post(
        "/kpis/trial_to_paid/edit",
        data={**_as_form(form), "name": "Trial conversion", "version": "1"},
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/kpis/trial_to_paid?notice=saved"
    words = text_of(get(client, response.headers["location"]))
    assert "Changes saved." in words
    assert "Trial conversion" in words
    assert "Version 2, changed by maya@example.com at 2026-11-23 09:30 UTC" in words


def test_a_stale_edit_says_who_changed_the_kpi_and_when_and_keeps_the_input(client):
    form = _as_form(get(client, "/kpis/trial_to_paid/edit"))
    with BrowserClient(client.app, account="omar@example.com", follow_redirects=False) as omar:
        his = _as_form(get(omar, "/kpis/trial_to_paid/edit"))  # his browser, his token
        saved = omar.post("/kpis/trial_to_paid/edit", data={**his, "owner": "omar@example.com"})
        assert saved.status_code == 303
    response = client.post("/kpis/trial_to_paid/edit", data={**form, "name": "My new name"})
    assert response.status_code == 409
    alert = text_of(element(response.text, "div", 'id="conflict"'))
    assert "was changed by omar@example.com at 2026-11-23 09:30 UTC" in alert
    assert "Reload the KPI" in alert
    assert '<a href="/kpis/trial_to_paid/edit">Reload the KPI</a>' in response.text
    assert 'value="My new name"' in field_markup(response.text, "name")
    assert "Trial-to-paid conversion rate" in text_of(get(client, "/kpis/trial_to_paid"))


def _as_form(page: str) -> dict[str, str]:
    """The values a browser would send for an edit form as the page shows it."""
    data = {
        name: html.unescape(value)
        for name, value in re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', page)
        if name not in {"direction", "kind", "north_star", "guardrail"}
    }
    data.update(re.findall(r'<input type="radio" name="(\w+)" value="(\w+)" checked', page))
    data["description"] = html.unescape(
        re.search(r"<textarea[^>]*>(.*?)</textarea>", page, re.S).group(1)
    )
    data["team"] = re.search(r'<option value="(\w+)" selected>', page).group(1)
    return data


def _definition(form: dict[str, Any]) -> dict[str, Any]:
    """A KPI form's fields as a definition's data (the bounds as thresholds)."""
    data = {k: v for k, v in form.items() if k not in {"green", "red", "target"}}
    return {
        **data,
        "target": float(form["target"]),
        "thresholds": {"green": float(form["green"]), "red": float(form["red"])},
    }


def test_a_cadence_that_cant_be_judged_is_shown_beside_its_field(client):
    for cadence, message in (
        ("0 0 30 2 *", "the cadence `0 0 30 2 *` never fires (30 February)"),
        ("* * * * *", "fires every minute; the most often a KPI can be judged is hourly"),
        ("0 0 29 2 *", "fires less than once a year (29 February)"),
    ):
        response = client.post("/kpis", data={**NEW_KPI, "cadence": cadence})
        assert response.status_code == 422
        field = html.unescape(field_markup(response.text, "cadence"))
        assert message in field
        assert f'value="{cadence}"' in field
    assert client.get("/kpis/signup_rate").status_code == 404
