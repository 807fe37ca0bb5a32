"""The error page: what does not exist is a 404 page in words with the way back."""

from __future__ import annotations

import pytest

from tests.web.pages.helpers import get, text_of


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/teams/nope", "No team 'nope'"),
        ("/kpis/nope", "No KPI 'nope'"),
        ("/kpis/nope/edit", "No KPI 'nope'"),
        ("/kpis/new?team=nope", "No team 'nope'"),
        ("/no/such/page", "No resource at GET /no/such/page"),
    ],
)
def test_what_does_not_exist_is_a_404_page_in_words(client, path, says):
    page = get(client, path, 404)
    words = text_of(page)
    assert "Not found" in words
    assert says in words
    assert '<a class="button" href="/">Go to the home page</a>' in page
