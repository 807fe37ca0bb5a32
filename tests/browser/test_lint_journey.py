"""The linter's advice in Debian's Chromium against a real server on loopback: an
objective's advice links its code to the rule's explanation one click away; the KPI
page, the rules and the workspace's findings are axe-clean at desktop and phone width
and never scroll sideways. Screenshots go to $OKRKIT_SCREENSHOTS (else the test's
temporary folder)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.test_okr_journeys import serious

PAGES = [
    ("/objectives/grow-paying-customers", "objective"),
    ("/kpis/trial_to_paid", "kpi"),
    ("/lint", "rules"),
    ("/lint/findings", "findings"),
]


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("OKRKIT_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_a_code_on_the_advice_leads_to_its_rule(okr_server, page: Page):
    page.goto(okr_server + "/objectives/grow-paying-customers")
    advice = page.locator("#advice")
    expect(advice).to_contain_text("has 1 key result")
    advice.get_by_role("link", name="OKR004: what this rule means").click()
    expect(page).to_have_url(re.compile(r"/lint#OKR004$"))
    rule = page.locator("#OKR004")
    expect(rule).to_contain_text("metrics dictionary")
    expect(rule).to_be_in_viewport()
    page.get_by_role("link", name="Lint the workspace").click()
    expect(page.locator("#found-KPI005")).to_contain_text("/kpis/trial_to_paid")


def test_the_linters_pages_are_accessible_at_both_widths(okr_server, page: Page, tmp_path):
    shots = _shots(tmp_path)
    found = {}
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        for path, name in PAGES:
            page.goto(okr_server + path)
            found[f"{path} at {width}px"] = serious(page)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
            target = page.locator("#advice") if name in ("objective", "kpi") else page
            if name in ("objective", "kpi"):
                target.screenshot(path=str(shots / f"lint-{name}-advice-{width}.png"))
            else:
                page.screenshot(path=str(shots / f"lint-{name}-{width}.png"), full_page=True)
    failing = {
        where: "; ".join(f"{v['id']}: {v['help']}" for v in violations)
        for where, violations in found.items()
        if violations
    }
    assert not failing, "\n".join(f"{where}: {text}" for where, text in failing.items())
