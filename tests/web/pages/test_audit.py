"""The audit log page on SQLite and PostgreSQL, on the OKR workspace of
`tests.support.okrs` with changes made through the pages and the services: newest first
in words with dates, who, the thing linked to its page, its team and fields before →
after (long values shortened, the full value one click away); the filters as a plain GET
form, pages as links, an empty result said in words, and Audit log in the navigation."""

from __future__ import annotations

import re
from datetime import timedelta

from okrkit.services.objectives import EditObjective, edit_objective
from okrkit.services.teams import EditTeam, edit_team
from tests.support import okrs
from tests.support.actors import as_actor
from tests.web.pages.helpers import element, get, text_of

LATER = okrs.NOW + timedelta(hours=2)


def _entries(markup: str) -> list[str]:
    return re.findall(r'<li class="au-row" id="entry-(\d+)"', markup)


def test_an_edit_made_on_a_page_is_the_newest_entry_in_words(okr_client, uow):
    edit_team(uow, EditTeam("growth", 1, name="Growth squad"), as_actor("maya@example.com"), LATER)
    markup = get(okr_client, "/audit")
    assert '<a href="/audit" aria-current="page">Audit log</a>' in markup
    newest = text_of(element(markup, "li", f'id="entry-{_entries(markup)[0]}"'))
    for words in ("Edited: team Growth squad", "by maya@example.com", "12 Aug 2026, 11:00 UTC",
                  "Team Growth squad", "name Growth → changed to Growth squad"):  # fmt: skip
        assert words in newest, (words, newest)
    assert '<a href="/teams/growth">Growth squad</a>' in markup
    assert '<time datetime="2026-08-12T11:00:00Z">' in markup
    entries = [text_of(element(markup, "li", f'id="entry-{n}"')) for n in _entries(markup)]
    # The newest but the browser's own account (made when it signed in):
    check_in = next(e for e in entries[1:] if "account" not in e)
    assert "Checked in: key result Keep support tickets per 100 trials at or under 5" in check_in
    assert "at 9 Aug 2026" in check_in


def test_filters_are_a_plain_get_form_and_shareable_links(okr_client, uow):
    markup = get(okr_client, "/audit")
    form = element(markup, "form", 'action="/audit"')
    assert 'method="get"' in form
    for name in ('name="team"', 'name="person"', 'name="kind"', 'name="key"'):
        assert name in form
    assert '<option value="company">Company</option>' in form
    company = get(okr_client, "/audit?team=company")
    assert '<option value="company" selected>Company</option>' in company
    assert "streamline-onboarding" not in company
    assert "Grow paying customers" in company
    assert "Clear filters" in company
    wizard = get(okr_client, f"/audit?kind=key_result&key={2}")
    assert set(re.findall(r"Checked in|Created", text_of(wizard))) == {"Checked in", "Created"}
    noah = get(okr_client, "/audit?person=noah%40example.com")
    assert "by noah@example.com" in text_of(noah)
    assert "by maya@example.com" not in text_of(noah)


def test_pages_are_links_older_and_newer(okr_client):
    first = get(okr_client, "/audit")
    assert len(_entries(first)) == 25
    older = re.search(r'href="(/audit\?before=\d+)" rel="next">Older entries', first)
    assert older, "no link to the older entries"
    second = get(okr_client, older.group(1).replace("&amp;", "&"))
    assert set(_entries(second)).isdisjoint(_entries(first))
    assert min(map(int, _entries(first))) > max(map(int, _entries(second)))
    newer = re.search(r'href="(/audit\?after=\d+)" rel="prev">Newer entries', second)
    assert newer
    assert _entries(get(okr_client, newer.group(1))) == _entries(first)
    assert '<a href="/audit">Newest</a>' in second


def test_long_values_are_shortened_with_the_full_value_a_click_away(okr_client, uow):
    with uow:
        version = uow.objectives.get("streamline-onboarding").revision.version
    description = "Why it matters: " + "new customers reach their first success sooner. " * 5
    edit_objective(uow, EditObjective("streamline-onboarding", version,
                                      {"description": description.strip(), "private": True}),
                   as_actor("maya@example.com"), LATER)  # fmt: skip
    markup = get(okr_client, "/audit")
    newest = element(markup, "li", f'id="entry-{_entries(markup)[0]}"')
    details = element(newest, "details", 'class="au-value au-long"')
    assert "…" in text_of(element(details, "span", 'class="au-short"'))
    assert description.strip() in text_of(details)
    assert "Private objective" in text_of(newest)
    assert "private no → changed to yes" in text_of(newest)


def test_an_empty_result_says_so(okr_client):
    nobody = get(okr_client, "/audit?person=nobody")
    assert "No entries match these filters" in text_of(nobody)
    assert '<a href="/audit">Show every entry</a>' in nobody
    past = get(okr_client, "/audit?before=1")
    assert "No entries on this page" in text_of(past)


def test_bad_filters_are_answered_in_words(okr_client):
    assert "No team 'nope'" in text_of(get(okr_client, "/audit?team=nope", 404))
    assert "kind" in text_of(get(okr_client, "/audit?kind=planet", 422))
    assert "kind" in text_of(get(okr_client, "/audit?key=signups", 422))
    get(okr_client, "/audit?before=x", 422)
