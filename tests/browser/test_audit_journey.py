"""The audit log in Debian's Chromium against a real server on loopback: an objective
edited on its form is the newest entry, in words, with its long description shortened
and whole one click away; the filters are a plain GET form, older and newer pages are
links; the log is axe-clean at desktop and phone width and never scrolls sideways.
Screenshots go to $OKRKIT_SCREENSHOTS (else the test's temporary folder)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.test_okr_journeys import serious

WHY = (
    "New customers who finish the setup wizard in their first week buy twice as often, "
    "so every step we remove from it is worth more than any campaign we could run."
)


def shots_folder(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("OKRKIT_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _edit_the_objective(okr_server: str, page: Page) -> None:
    page.goto(okr_server + "/objectives/streamline-onboarding/edit")
    page.get_by_label("Why it matters").fill(WHY)
    page.get_by_label("Private", exact=False).check()
    page.get_by_role("button", name="Save changes").click()
    expect(page).to_have_url(re.compile(r"/objectives/streamline-onboarding(\?.*)?$"))


def test_an_edit_is_on_record_and_the_log_is_read_by_filters_and_pages(okr_server, page: Page):
    _edit_the_objective(okr_server, page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit log").click()
    expect(page).to_have_url(re.compile(r"/audit$"))
    newest = page.locator(".au-row").first
    expect(newest).to_contain_text("Edited: objective Streamline onboarding")
    expect(newest).to_contain_text("Private objective")
    expect(newest).to_contain_text("private no → changed to yes")
    full = newest.locator(".au-full")
    expect(full).to_be_hidden()
    newest.locator("summary").click()
    expect(full).to_have_text(WHY)
    newest.get_by_text("Show less").click()
    expect(full).to_be_hidden()

    page.get_by_label("Team").select_option("company")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"/audit\?team=company"))
    for row in page.locator(".au-row").all():
        expect(row).to_contain_text("Team Company")
    page.get_by_role("link", name="Clear filters").click()

    page.get_by_role("link", name="Older entries").click()
    expect(page).to_have_url(re.compile(r"/audit\?before=\d+$"))
    expect(page.get_by_role("link", name="Newer entries")).to_be_visible()
    page.get_by_role("link", name="Newest").click()
    expect(page.locator(".au-row").first).to_contain_text("Edited: objective")

    page.get_by_label("Person").fill("nobody@example.com")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="No entries match these filters")).to_be_visible()


def test_the_log_is_accessible_at_both_widths(okr_server, page: Page, tmp_path):
    _edit_the_objective(okr_server, page)
    shots = shots_folder(tmp_path)
    found = {}
    pages = [("/audit", "log"), ("/audit?team=growth&kind=key_result", "filtered"),
             ("/audit?person=nobody", "empty")]  # fmt: skip
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        for path, name in pages:
            page.goto(okr_server + path)
            if name == "log":
                page.locator(".au-row").first.locator("summary").click()
            found[f"{path} at {width}px"] = serious(page)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
            page.screenshot(path=str(shots / f"audit-{name}-{width}.png"), full_page=True)
            if name == "log":  # what a person sees first, at the size they see it
                page.screenshot(path=str(shots / f"audit-{name}-{width}-top.png"))
    failing = {
        where: "; ".join(f"{v['id']}: {v['help']}" for v in violations)
        for where, violations in found.items()
        if violations
    }
    assert not failing, "\n".join(f"{where}: {text}" for where, text in failing.items())
