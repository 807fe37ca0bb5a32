"""Journeys through the OKR pages in Debian's Chromium against a real server on loopback:
a week's check-in moving an objective's forecast and pace, a committed objective scored
under 1.0 asked for its explanation, a team objective followed up to its parent, and
axe-core on every OKR page at desktop and phone width."""

from __future__ import annotations

import re
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

axe = Axe()
# The OKR workspace's ids (tests.support.okrs): the company objective's key result is 1,
# the onboarding objective's wizard key result 2.
WIZARD = 2
PACE = re.compile(r"On track|At risk|Off track|Not started")


def serious(page: Page) -> list[dict[str, Any]]:
    results = axe.run(page)
    return [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def test_a_weeks_check_in_moves_the_objectives_forecast_and_pace(okr_server, page):
    page.goto(okr_server + "/objectives/streamline-onboarding")
    card = page.locator(f"#kr-{WIZARD}")
    expect(card).to_contain_text("On track")
    before = card.inner_text()

    page.goto(okr_server + "/me/week")
    page.get_by_label("Whose week").select_option("noah@example.com")
    page.get_by_role("button", name="Show their week").click()
    expect(page).to_have_url(re.compile(r"owner=noah%40example\.com"))
    # Last week's value is in view beside the field.
    expect(page.locator(f"#kr-{WIZARD}")).to_contain_text("58")
    page.locator(f'[name="key_results.{WIZARD}.value"]').fill("41")
    page.locator(f'[name="key_results.{WIZARD}.confidence"]').fill("3")
    page.locator(f'[name="key_results.{WIZARD}.note"]').fill(
        "The new wizard broke sign-up on mobile."
    )
    page.get_by_role("button", name="Record check-ins").click()
    expect(page.get_by_text("Recorded 1 check-in")).to_be_visible()

    page.goto(okr_server + "/objectives/streamline-onboarding")
    after = card.inner_text()
    assert after != before
    assert "The new wizard broke sign-up on mobile." in after
    assert PACE.search(after)
    assert "On track" not in after.split("Check-ins")[0], (
        "a fall back to the start left it on track"
    )


def test_a_committed_objective_under_one_is_asked_for_its_explanation(okr_server, page):
    page.goto(okr_server + "/cycles/2026-Q3/scoring")
    card = page.locator("#o-grow-paying-customers")
    card.get_by_role("button", name="Score and close").click()
    card = page.locator("#o-grow-paying-customers")
    expect(card).to_contain_text("written explanation")
    retrospective = card.locator('[name="retrospective"]')
    expect(retrospective).to_have_attribute("aria-invalid", "true")
    retrospective.fill("Sales hiring slipped a quarter; the pipeline came too late.")
    card.get_by_role("button", name="Score and close").click()
    expect(page.locator("#o-grow-paying-customers")).to_contain_text("0.0")
    page.goto(okr_server + "/objectives/grow-paying-customers")
    expect(page.locator("main")).to_contain_text("Sales hiring slipped a quarter")


def test_a_team_objective_is_followed_to_its_parent_in_the_tree(okr_server, page):
    page.goto(okr_server + "/tree?cycle=2026-Q3")
    expect(page.locator("main")).to_contain_text("Daily active users")
    page.get_by_role(
        "link", name="Streamline onboarding to drive high-value conversions"
    ).first.click()
    expect(page).to_have_url(okr_server + "/objectives/streamline-onboarding")
    page.get_by_role("link", name="Grow paying customers profitably").first.click()
    expect(page).to_have_url(okr_server + "/objectives/grow-paying-customers")


OKR_PAGES = [
    "/cycles/2026-Q3",
    "/cycles/2026-Q3?team=growth",
    "/cycles/new",
    "/cycles/2026-Q3/scoring",
    "/cycles/2026-Q3/close",
    "/tree?cycle=2026-Q3",
    "/objectives/streamline-onboarding",
    "/objectives/new?cycle=2026-Q3&team=growth",
    "/objectives/streamline-onboarding/edit",
    "/me/week?owner=noah%40example.com",
    f"/key-results/{WIZARD}/check-in",
    f"/key-results/{WIZARD}/edit",
    "/objectives/streamline-onboarding/key-results/new",
]


def test_no_okr_page_has_a_serious_accessibility_violation_at_either_width(okr_server, page):
    found = {}
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        for path in OKR_PAGES:
            page.goto(okr_server + path)
            found[f"{path} at {width}px"] = serious(page)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
    failing = {
        where: "; ".join(f"{v['id']}: {v['help']}" for v in violations)
        for where, violations in found.items()
        if violations
    }
    assert not failing, "\n".join(f"{where}: {text}" for where, text in failing.items())
