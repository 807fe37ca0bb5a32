"""The KPI page lists the key results the KPI feeds, each linked to its card on its
objective's page, on both databases."""

from __future__ import annotations

from tests.web.pages.helpers import element, get, text_of


def test_the_kpi_page_lists_the_key_results_it_feeds(okr_client, uow):
    with uow:
        (conversion,) = uow.key_results.feeding("trial_to_paid")
    section = element(get(okr_client, "/kpis/trial_to_paid"), "section", 'id="feeds"')
    assert (
        f'<a href="/objectives/streamline-onboarding#kr-{conversion.id}">Lift trial-to-paid '
        "conversion from 12% back to 16%</a>"
    ) in section
    assert text_of(section) == (
        "Key results it feeds Lift trial-to-paid conversion from 12% back to 16% : a key "
        "result of Streamline onboarding to drive high-value conversions (2026-Q3, active)"
    )
    # The card it links to is on the objective's page.
    assert f'id="kr-{conversion.id}"' in get(okr_client, "/objectives/streamline-onboarding")


def test_a_kpi_that_feeds_no_key_result_has_no_such_list(okr_client):
    page = get(okr_client, "/kpis/dau")
    assert 'id="feeds"' not in page
    assert "Key results it feeds" not in text_of(page)
