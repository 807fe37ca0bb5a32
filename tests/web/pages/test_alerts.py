"""The alert pages on SQLite and PostgreSQL, on a workspace where one KPI went yellow and
one red (`tests.support.alerts`): the list (open by default, red first, each row in
words as well as colour, filters and states as shareable addresses), one alert with its
KPI, draft and actions, and every action — accept (a yellow draft's hypothesis asked
for beside its field), dismiss (its reason), acknowledge, resolve — with a stale version
answered in words, never a 500. Also the boxes on the KPI, team and objective pages, the
urgent draft first in the cycle overview, and Alerts in the navigation."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.interfaces.web.app import create_app
from tests.support import alerts
from tests.support.alerts import RED, RED_DRAFT, YELLOW, YELLOW_DRAFT
from tests.support.browsers import BrowserClient
from tests.web.pages.helpers import element, get, text_of


@pytest.fixture
def web(engine: Engine, uow: SqlUnitOfWork) -> Iterator[BrowserClient]:
    alerts.build(uow)
    app = create_app(lambda: SqlUnitOfWork(engine), clock=lambda: alerts.NOW)
    with BrowserClient(app, follow_redirects=False) as client:
        yield client


def _rows(markup: str) -> list[str]:
    return re.findall(r'<li class="al-row[^"]*" id="alert-(\d+)"', markup)


def test_the_list_shows_open_alerts_red_first_in_words_and_colour(web):
    markup = get(web, "/alerts")
    assert _rows(markup) == [str(RED), str(YELLOW)]
    red = text_of(element(markup, "li", f'id="alert-{RED}"'))
    for words in (
        "Alert #2 on Activation rate",
        "✕ Red",  # the level: icon and word beside the colour
        "● Open",
        "A signal: something changed",
        "8.0% on 16 Nov 2026",
        "Opened 23 Nov 2026, 09:30 UTC",
        "Team Growth",
        "⚑ Urgent draft Urgently bring Activation rate back to health",
    ):
        assert words in red, (words, red)
    assert 'class="al-row al-row-red"' in markup
    assert f'href="/objectives/{RED_DRAFT}"' in markup
    assert 'href="/kpis/activation"' in markup
    yellow = text_of(element(markup, "li", f'id="alert-{YELLOW}"'))
    assert "▲ Yellow" in yellow
    assert "Draft — waiting for a person" in yellow
    tabs = text_of(element(markup, "nav", 'class="al-tabs"'))
    assert tabs == "● Open 2 ◐ Acknowledged 0 ✓ Resolved 0"


def test_filters_and_states_are_addresses_to_share(web):
    assert _rows(get(web, "/alerts?level=yellow")) == [str(YELLOW)]
    assert _rows(get(web, "/alerts?kpi=activation&team=growth")) == [str(RED)]
    empty = get(web, "/alerts?state=resolved")
    assert _rows(empty) == []
    assert "No resolved alerts" in text_of(empty)
    filtered = get(web, "/alerts?level=red")
    assert 'href="/alerts"' in filtered  # clear filters
    assert '<option value="red" selected>' in filtered


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/alerts?state=closed", 422, "'closed' is not a state"),
        ("/alerts?level=purple", 422, "'purple' is not a level"),
        ("/alerts?team=nope", 422, "no team 'nope'"),
        ("/alerts?kpi=nope", 404, "No KPI 'nope'"),
        ("/alerts?page=0", 422, "pages count from 1"),
        ("/alerts/99", 404, "No alert 99"),
        ("/alerts/abc", 422, "valid integer"),
    ],
)
def test_bad_addresses_are_pages_in_words(web, path, status, words):
    assert words in text_of(get(web, path, status))


def test_an_alert_page_says_why_what_to_do_its_kpi_and_its_draft(web):
    text = text_of(get(web, f"/alerts/{YELLOW}"))
    for words in (
        "Trial-to-paid conversion turned yellow",
        "▲ Yellow ● Open Growth · opened 23 Nov 2026, 09:30 UTC",
        "A signal: something changed — find what.",
        "Find what changed",
        "Value 13.1% on 16 Nov 2026",
        "Status then Yellow: 13.1% is between the red bound 12.0% and the green bound 15.0%",
        "The KPI now Trial-to-paid conversion ▲ Yellow newest value 13.1% on 16 Nov 2026",
        "Draft — waiting for a person Bring Trial-to-paid conversion back to health",
        "Key result Lift Trial-to-paid conversion from 13.1% to 16.0%",
        "Accept the draft",
        "Hypothesis (required)",
        "Dismiss the draft",
    ):
        assert words in text, (words, text)
    red = text_of(get(web, f"/alerts/{RED}"))
    assert "⚑ Urgent draft" in red
    assert "Hypothesis (optional)" in red


def test_a_yellow_draft_without_hypothesis_is_refused_beside_the_field(web):
    response = web.post(
        f"/alerts/{YELLOW}/accept",
        data={"version": "1", "title": "Win back trial conversions", "owner": "", "hypothesis": ""},
    )
    assert response.status_code == 422
    markup = response.text
    assert 'id="f-hypothesis-error"' in markup
    assert 'aria-invalid="true"' in element(markup, "textarea", 'id="f-hypothesis"')
    assert 'value="Win back trial conversions"' in markup  # what was typed is kept
    assert "Hypothesis: a yellow KPI's draft needs its hypothesis" in text_of(markup)


def test_accepting_goes_to_the_objective_now_active(web):
    response = web.post(
        f"/alerts/{YELLOW}/accept",
        data={
            "version": "1",
            "title": "Win back trial conversions",
            "owner": "lena@example.com",
            "hypothesis": "A reminder on day 10 lifts conversion",
        },
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/objectives/{YELLOW_DRAFT}?notice=accepted"
    text = text_of(get(web, response.headers["location"]))
    assert "Draft accepted: the objective is active" in text
    assert "Objective · Aspirational · Active" in text
    assert "Win back trial conversions" in text
    assert f"Proposed by alert #{YELLOW} on Trial-to-paid conversion" in text
    assert "◐ Acknowledged by maya@example.com" in text or "Acknowledged" in text
    assert "Accept or dismiss the draft" not in text  # no longer a draft


def test_a_stale_version_is_said_in_words_and_never_a_500(web):
    assert web.post(f"/alerts/{RED}/acknowledge", data={"version": "1"}).status_code == 303
    stale = web.post(f"/alerts/{RED}/resolve", data={"version": "1"})
    assert stale.status_code == 409
    text = text_of(stale.text)
    assert "Someone changed this alert meanwhile" in text
    assert "now version 2, yours 1" in text
    # the page offers the current version to act again
    assert 'name="version" value="2"' in stale.text
    stale_accept = web.post(
        f"/alerts/{RED}/accept", data={"version": "1", "title": "Mine", "owner": ""}
    )
    assert stale_accept.status_code == 409
    assert 'value="Mine"' in stale_accept.text


def test_dismissing_needs_a_reason_then_acknowledges_the_alert(web):
    missing = web.post(f"/alerts/{RED}/dismiss", data={"version": "1", "reason": " "})
    assert missing.status_code == 422
    assert 'id="f-reason-error"' in missing.text
    assert "Why dismiss it: say why the draft is dismissed" in text_of(missing.text)
    done = web.post(f"/alerts/{RED}/dismiss", data={"version": "1", "reason": "Tracking outage"})
    assert done.status_code == 303
    assert done.headers["location"] == f"/alerts/{RED}?notice=dismissed"
    text = text_of(get(web, done.headers["location"]))
    assert "Draft dismissed, with your reason" in text
    assert "No draft: Draft dismissed: Tracking outage" in text
    assert "◐ Acknowledged by maya@example.com" in text


def test_acknowledge_then_resolve_and_a_resolved_alert_takes_no_action(web):
    assert web.post(f"/alerts/{YELLOW}/acknowledge", data={"version": "1"}).status_code == 303
    done = web.post(f"/alerts/{YELLOW}/resolve", data={"version": "2"})
    assert done.headers["location"] == f"/alerts/{YELLOW}?notice=resolved"
    text = text_of(get(web, done.headers["location"]))
    assert "✓ Resolved by maya@example.com" in text
    assert "nothing is left to do" in text
    again = web.post(f"/alerts/{YELLOW}/resolve", data={"version": "3"})
    assert again.status_code == 409
    assert "That can't be done any more" in text_of(again.text)
    assert _rows(get(web, "/alerts?state=resolved")) == [str(YELLOW)]


def test_an_action_with_a_version_that_is_no_number_is_refused(web):
    response = web.post(f"/alerts/{YELLOW}/acknowledge", data={"version": "two"})
    assert response.status_code == 422
    assert web.post("/alerts/x/resolve", data={"version": "1"}).status_code == 422


def test_the_kpi_and_team_pages_show_their_unresolved_alerts(web):
    kpi = text_of(element(get(web, "/kpis/activation"), "section", 'class="al-box"'))
    assert "Unresolved alert ✕ Red ● Open Alert #2: a signal" in kpi
    assert "urgent draft: Urgently bring Activation rate back to health" in kpi
    team = text_of(element(get(web, "/teams/growth"), "section", 'class="al-box"'))
    assert team.startswith("⚑ 2 open alerts ✕ Red Activation rate")
    assert 'class="al-box"' not in get(web, "/kpis/activation?page=1").split("Health")[1]


def test_the_cycle_overview_puts_the_urgent_draft_first_in_its_team(web):
    markup = get(web, "/cycles/2026-Q4")
    titles = re.findall(r'<li class="okr-row[^"]*" id="o-([^"]+)"', markup)
    assert titles == [RED_DRAFT, YELLOW_DRAFT]  # "Urgently…" sorts after "Bring…" by title
    urgent = text_of(element(markup, "li", f'id="o-{RED_DRAFT}"'))
    assert "⚑ Urgent draft" in urgent
    assert "Draft — waiting for a person" in text_of(
        element(markup, "li", f'id="o-{YELLOW_DRAFT}"')
    )


def test_a_draft_objective_says_which_alert_proposed_it(web):
    text = text_of(get(web, f"/objectives/{RED_DRAFT}"))
    assert f"Proposed by alert #{RED} on Activation rate" in text
    assert "Urgent draft: its KPI is red." in text
    assert "Objective · Committed · Urgent draft ·" in text
    markup = get(web, f"/objectives/{RED_DRAFT}")
    assert f'href="/alerts/{RED}#actions"' in markup


def test_the_navigation_counts_the_open_alerts(web):
    nav = element(get(web, "/"), "nav", 'aria-label="Main"')
    assert text_of(nav).endswith("Alerts 2 open Subscriptions Audit log Checks API")
    web.post(f"/alerts/{RED}/acknowledge", data={"version": "1"})
    nav = element(get(web, "/alerts"), "nav", 'aria-label="Main"')
    assert "Alerts 1 open" in text_of(nav)
    assert '<a href="/alerts" aria-current="page">' in nav
