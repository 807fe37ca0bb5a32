"""Signing in and out in Debian's Chromium, as a person does: the workspace's pages send
someone not signed in to the sign-in page and back after it; a wrong password is said
in words; after signing out the back button shows nothing of the workspace."""

from __future__ import annotations

from playwright.sync_api import Browser

from tests.browser.test_journeys import serious_violations
from tests.support.browsers import ADMIN, PASSWORD


def test_sign_in_goes_back_to_the_page_asked_for_and_sign_out_leaves_nothing_behind(
    okr_server: str, browser: Browser
):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(f"{okr_server}/objectives/streamline-onboarding")
    assert tab.url == f"{okr_server}/sign-in?next=%2Fobjectives%2Fstreamline-onboarding"
    assert "Streamline onboarding" not in tab.content()
    assert serious_violations(tab) == []
    tab.get_by_label("E-mail").fill(ADMIN)
    tab.get_by_label("Password").fill("not the password")
    with tab.expect_navigation():
        tab.get_by_role("button", name="Sign in").click()
    assert "The e-mail or the password is not right." in tab.inner_text("main")
    tab.get_by_label("Password").fill(PASSWORD)
    with tab.expect_navigation():
        tab.get_by_role("button", name="Sign in").click()
    assert tab.url == f"{okr_server}/objectives/streamline-onboarding"
    assert "Streamline onboarding" in tab.inner_text("main")
    overflow = tab.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0

    with tab.expect_navigation():
        tab.get_by_role("button", name="Sign out").click()
    assert tab.url == f"{okr_server}/sign-in?signed_out=1"
    tab.go_back()
    tab.wait_for_load_state()
    # The page is asked for again (it was kept in no cache), and nobody is signed in.
    assert "/sign-in" in tab.url
    assert "Streamline onboarding" not in tab.content()
    context.close()


def test_the_account_page_is_accessible_and_makes_a_token_shown_once(okr_server, page):
    page.goto(f"{okr_server}/account")
    assert "Signed in as maya@example.com" in page.inner_text("main")
    assert serious_violations(page) == []
    page.get_by_label("What it is for").fill("laptop")
    with page.expect_navigation():
        page.get_by_role("button", name="Make token").click()
    token = page.get_by_label("Token “laptop” (read)").input_value()
    assert token.startswith("okrkit_")
    assert serious_violations(page) == []
    page.goto(f"{okr_server}/account")
    assert token not in page.content()
