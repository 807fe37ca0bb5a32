"""An alert followed through in Debian's Chromium against a real server on loopback: a
KPI slips (a value typed in on its page), its alert appears on /alerts and in the
navigation's count, it is followed to its draft objective and back to the alert's
actions, accepting without the hypothesis is refused beside the field, the title edited
and the hypothesis given, accepted — and the objective's page shows it active. axe-core
finds nothing serious on the pages of the way, at laptop and phone width, and nothing
scrolls sideways on a phone.

Screenshots of /alerts and /alerts/{id} at 1280×800 and 390×844 go to the folder named
by `OKRKIT_SHOTS` when it is set, to be looked at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from okrkit.adapters.store.engine import make_engine
from okrkit.adapters.store.migrate import upgrade
from okrkit.adapters.store.uow import SqlUnitOfWork
from tests.browser.conftest import _serving
from tests.browser.test_values_journey import SIZES, no_serious_violations, shoot
from tests.support import alerts

DRAFT = alerts.YELLOW_DRAFT


@pytest.fixture
def healthy_server(tmp_path: Path) -> Iterator[str]:
    """A server on a workspace whose KPIs are green (`tests.support.alerts.healthy`),
    its clock stopped at `alerts.NOW`."""
    engine = make_engine(f"sqlite:///{tmp_path / 'alerts.db'}")
    upgrade(engine)
    alerts.healthy(SqlUnitOfWork(engine))
    with _serving(engine, clock=lambda: alerts.NOW) as url:
        yield url


def checked_at_both_widths(page: Page) -> None:
    """axe-core at laptop and phone width, and nothing wider than a phone's screen."""
    no_serious_violations(page)
    page.set_viewport_size(SIZES["phone"])
    try:
        # A chart redraws itself for the new width a frame or two after the resize.
        page.wait_for_function("document.documentElement.scrollWidth <= 390", timeout=5000)
        no_serious_violations(page)
    finally:
        page.set_viewport_size(SIZES["laptop"])


def test_a_kpi_slips_and_its_draft_is_accepted_as_an_active_objective(healthy_server, page):
    url = healthy_server
    page.goto(url + "/alerts")
    expect(page.locator("main")).to_contain_text("No open alerts")
    checked_at_both_widths(page)

    # The KPI slips: a value typed in on its page.
    page.goto(url + "/kpis/trial_to_paid")
    page.get_by_label("When (UTC)").fill("2026-11-16")
    page.get_by_label("Value (percent)").fill("13.1")
    page.get_by_role("button", name="Save value").click()
    save_anyway = page.get_by_role("button", name="Save anyway")
    if save_anyway.count():  # far outside the usual range: confirmed, as a person would
        save_anyway.click()
    alert_box = page.locator("section.al-box")
    expect(alert_box).to_contain_text("Unresolved alert")
    expect(alert_box).to_contain_text("Yellow")

    # It appears on /alerts, and the navigation counts it.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Alerts").click()
    expect(page).to_have_url(url + "/alerts")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Alerts 1")
    row = page.locator(f"#alert-{alerts.YELLOW}")
    expect(row).to_contain_text("Trial-to-paid conversion")
    expect(row).to_contain_text("Yellow")
    expect(row).to_contain_text("13.1% on 16 Nov 2026")
    expect(row).to_contain_text("Draft — waiting for a person")
    checked_at_both_widths(page)
    shoot(page, "alerts-list")

    # Followed to its draft, and from there to the alert's actions.
    row.get_by_role("link", name="Bring Trial-to-paid conversion back to health").click()
    expect(page).to_have_url(url + f"/objectives/{DRAFT}")
    expect(page.locator("main")).to_contain_text(
        f"Proposed by alert #{alerts.YELLOW} on Trial-to-paid conversion"
    )
    page.get_by_role("link", name="Accept or dismiss the draft…").click()
    expect(page).to_have_url(url + f"/alerts/{alerts.YELLOW}#actions")
    expect(page.locator("main")).to_contain_text("A signal: something changed — find what.")
    checked_at_both_widths(page)
    shoot(page, "alert-page")

    # Without its hypothesis a yellow draft is refused, the error beside the field.
    title = page.get_by_label("Title")
    title.fill("Win back trial conversions")
    page.get_by_role("button", name="Accept and activate").click()
    hypothesis = page.locator("#f-hypothesis")
    expect(hypothesis).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-hypothesis-error")).to_contain_text("needs its hypothesis")
    expect(page.get_by_label("Title")).to_have_value("Win back trial conversions")
    checked_at_both_widths(page)
    shoot(page, "alert-page-missing-hypothesis")

    hypothesis.fill("A reminder on day 10 of the trial lifts conversion: most buyers decide then.")
    page.get_by_role("button", name="Accept and activate").click()
    expect(page).to_have_url(url + f"/objectives/{DRAFT}?notice=accepted")
    main = page.locator("main")
    expect(main).to_contain_text("Draft accepted: the objective is active")
    expect(page.get_by_role("heading", level=1)).to_have_text("Win back trial conversions")
    expect(page.locator(".eyebrow").first).to_contain_text("Active")
    expect(main).to_contain_text("Hypothesis: A reminder on day 10")
    checked_at_both_widths(page)

    page.goto(url + "/alerts?state=acknowledged")
    expect(page.locator(f"#alert-{alerts.YELLOW}")).to_contain_text("Active objective")
    expect(page.get_by_role("navigation", name="Main")).not_to_contain_text("Alerts 1")
