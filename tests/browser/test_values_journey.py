"""A KPI's values corrected in Debian's Chromium against a real server on loopback: a
file with an impossible and a future row is previewed (both named at their lines, the
status they would cause, nothing to confirm), the corrected file previewed and
imported, the import undone; one value typed in and deleted; axe-core on each page.

Screenshots of the preview and of the KPI page's values go to the folder named by
`OKRKIT_SHOTS` when it is set (at 1280×800 and 390×844), to be looked at.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.test_journeys import chart_points, describe, serious_violations, upload

SIZES = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def shoot(page: Page, name: str, selector: str | None = None) -> None:
    """Screenshots at both sizes, when a folder is named for them."""
    folder = os.environ.get("OKRKIT_SHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        path = Path(folder) / f"{name}-{size}.png"
        if selector is None:
            page.screenshot(path=path, full_page=True)
        else:
            page.locator(selector).screenshot(path=path)
    page.set_viewport_size(SIZES["laptop"])


def fits_a_phone(page: Page) -> None:
    """At 390 px nothing scrolls sideways: not the page, not a table of values or of
    writes (a history row reads as two short lines instead)."""
    page.set_viewport_size(SIZES["phone"])
    try:
        # The chart redraws itself for the new width a frame or two after the resize
        # (as it does when a phone turns): judge the page once it has, or fail after 5 s.
        page.wait_for_function("document.documentElement.scrollWidth <= 390", timeout=5000)
        widths = page.evaluate(
            "[...document.querySelectorAll('.table-wrap')].map(w => [w.scrollWidth, w.clientWidth])"
        )
        assert widths, "no table on the page"
        for scroll, client in widths:
            assert scroll <= client, widths
    finally:
        page.set_viewport_size(SIZES["laptop"])


def no_serious_violations(page: Page) -> None:
    found = serious_violations(page)
    assert not found, describe(found)


def test_a_file_is_previewed_fixed_imported_and_undone(server, page):
    page.goto(server + "/kpis/trial_to_paid")
    before = chart_points(page)
    now = datetime.now(UTC)
    today = now.date().isoformat()
    future = (now + timedelta(days=30)).date().isoformat()

    upload(page, "week.csv", f"timestamp,value\n{today},150\n{future},12.4\n")
    expect(page.get_by_role("heading", name="Preview of week.csv", level=1)).to_be_visible()
    errors = page.locator("#preview-errors")
    expect(errors).to_contain_text("2 rows must be fixed: nothing can be imported until they are")
    expect(errors.get_by_role("row").nth(1)).to_have_text(
        "2valuetrial_to_paid: 150% is outside 0 to 100%: a percent is 0 to 100; "
        "on its own it would turn the status from yellow to green"
    )
    expect(errors.get_by_role("row").nth(2)).to_contain_text("3timestamp")
    expect(errors.get_by_role("row").nth(2)).to_contain_text("is in the future")
    expect(errors.get_by_role("row").nth(2)).to_contain_text("on its own it would")
    kpi_row = page.locator(".preview-kpi")
    expect(kpi_row).to_contain_text("Yellow → ")
    expect(kpi_row.locator(".status")).to_have_count(2)
    expect(page.get_by_role("button", name=re.compile(r"^Import \d"))).to_have_count(0)
    assert page.evaluate("document.activeElement.id") == "preview-errors"
    no_serious_violations(page)
    shoot(page, "preview-errors")

    upload(page, "week.csv", f"timestamp,value\n{today},12.6\n{today}T06:00,12.7\n")
    expect(page.locator(".preview-summary")).to_have_text(
        "2 rows: 2 new, 0 replace a value, 0 unchanged."
    )
    confirm = page.get_by_role("button", name="Import 2 values")
    expect(confirm).to_be_visible()
    no_serious_violations(page)
    shoot(page, "preview-confirm")
    confirm.click()

    expect(page).to_have_url(re.compile(r"/kpis/trial_to_paid\?done=\d+&warned=0#written$"))
    written = page.locator("#written")
    expect(written).to_contain_text(
        "✓ Imported 2 values from week.csv: 2 new, 0 replaced, 0 unchanged."
    )
    assert chart_points(page) == before + 2
    newest = page.locator(".values-table tbody tr").first
    expect(newest.locator("td").nth(0)).to_have_text(f"{today}T06:00:00Z")
    expect(newest.locator("td").nth(1)).to_have_text("12.7%")
    expect(page.locator("#imports tbody tr").first).to_contain_text("Imported week.csv")
    no_serious_violations(page)
    fits_a_phone(page)
    shoot(page, "kpi-values", ".kpi-columns")

    written.get_by_role("button", name="Undo this import").click()
    expect(page.locator("#written")).to_have_text("✓ Undone: 2 values removed, 0 restored.")
    assert chart_points(page) == before
    expect(page.locator(".values-table")).not_to_contain_text(today)
    expect(page.locator("#imports tbody tr").first).to_contain_text("Undone")


def test_a_value_is_typed_in_and_deleted(server, page):
    page.goto(server + "/kpis/trial_to_paid")
    before = chart_points(page)
    today = datetime.now(UTC).date().isoformat()

    page.fill("#value-at", "0000-01-01")
    page.fill("#value-value", "twelve")
    page.get_by_role("button", name="Save value").click()
    expect(page.locator("#value-errors")).to_contain_text("Not saved: 2 things to fix")
    expect(page.locator("#value-at-error")).to_contain_text("'0000-01-01' is not a date")
    expect(page.locator("#value-value-error")).to_contain_text("'twelve' is not a number")
    no_serious_violations(page)
    shoot(page, "value-form-errors", "#value-form")

    page.fill("#value-at", today)
    page.fill("#value-value", "60")
    page.get_by_role("button", name="Save value").click()
    warning = page.locator("#value-warnings")
    expect(warning).to_contain_text("60% is far above the usual range")
    assert chart_points(page) == before
    no_serious_violations(page)
    shoot(page, "value-form-warning", "#value-form")

    page.fill("#value-value", "12.8")
    page.get_by_role("button", name="Save value").click()
    expect(page.locator("#written")).to_contain_text(f"✓ Saved the value of {today}.")
    assert chart_points(page) == before + 1
    row = page.locator(".values-table tbody tr").first
    expect(row.locator("td").nth(0)).to_have_text(today)
    expect(row.locator("td").nth(1)).to_have_text("12.8%")

    row.get_by_role("button", name=f"Delete the value of {today}").click()
    expect(page.locator("#written")).to_contain_text(f"✓ Deleted the value of {today}.")
    assert chart_points(page) == before
    expect(page.locator(".values-table")).not_to_contain_text(today)
