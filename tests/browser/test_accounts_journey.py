"""Signing in and out in Debian's Chromium, as a person does: the workspace's pages send
someone not signed in to the sign-in page and back after it; a wrong password is said
in words; after signing out the back button shows nothing of the workspace; a private
objective is seen by its team's member and is not there for an outsider."""

from __future__ import annotations

from playwright.sync_api import Browser

from tests.browser.conftest import MEMBER, OUTSIDER, sign_in
from tests.browser.test_audit_journey import shots_folder
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


def _signed_in_as(browser: Browser, url: str, email: str, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    sign_in(tab, url, email)
    return context, tab


def test_a_private_objective_is_seen_by_its_teams_member_and_not_by_an_outsider(
    private_okr_server: str, browser: Browser, tmp_path
):
    secret = "Streamline onboarding to drive high-value conversions"
    context, member = _signed_in_as(browser, private_okr_server, MEMBER)
    member.goto(f"{private_okr_server}/objectives/streamline-onboarding")
    assert secret in member.inner_text("main")
    member.goto(f"{private_okr_server}/tree")
    assert secret in member.inner_text("main")
    assert serious_violations(member) == []
    context.close()

    context, outsider = _signed_in_as(browser, private_okr_server, OUTSIDER, width=390)
    for path in ("/", "/tree", "/objectives", "/me/week?owner=maya%40example.com", "/audit"):
        outsider.goto(f"{private_okr_server}{path}")
        seen = outsider.content()
        assert secret not in seen, path
        assert "streamline-onboarding" not in seen, path
    outsider.goto(f"{private_okr_server}/tree")
    assert "1 private objective" in outsider.inner_text("main")
    assert "Grow paying customers profitably" in outsider.inner_text("main")
    outsider.screenshot(path=str(shots_folder(tmp_path) / "tree-outsider-390.png"), full_page=True)
    assert serious_violations(outsider) == []
    answer = outsider.goto(f"{private_okr_server}/objectives/streamline-onboarding")
    assert answer is not None
    assert answer.status == 404
    assert secret not in outsider.content()
    context.close()


def test_after_signing_out_the_back_button_shows_nothing_private(
    private_okr_server: str, browser: Browser
):
    context, member = _signed_in_as(browser, private_okr_server, MEMBER, width=390)
    member.goto(f"{private_okr_server}/objectives/streamline-onboarding")
    assert "Streamline onboarding" in member.inner_text("main")
    with member.expect_navigation():
        member.get_by_role("button", name="Sign out").click()
    member.go_back()
    member.wait_for_load_state()
    assert "/sign-in" in member.url
    assert "Streamline onboarding" not in member.content()
    context.close()
