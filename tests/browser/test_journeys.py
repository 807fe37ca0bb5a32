"""Journeys through the pages in Debian's Chromium against a real server on loopback:
from the home page to a yellow KPI, an import with a bad row that is named, fixed and
imported, and the chart that moves; axe-core on every page."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from okrkit.domain.phrasing import when

# Serious and critical violations fail; moderate and minor ones are reported.
FAILING_IMPACTS = {"serious", "critical"}
CHART = "#xmr-chart[data-drawn]"

axe = Axe()


def chart_points(page: Page) -> int:
    """How many points the drawn XmR chart holds (its `points` data set)."""
    page.wait_for_selector(CHART, state="attached", timeout=30_000)
    points: int = page.evaluate("window.okrkitCharts['xmr-chart'].data('points').length")
    return points


def drawn_marks(page: Page) -> int:
    """How many point marks the chart's SVG shows."""
    return page.locator("#xmr-chart svg g.mark-symbol.role-mark path").count()


def upload(page: Page, name: str, content: str) -> None:
    page.set_input_files(
        "#import-file",
        files=[{"name": name, "mimeType": "text/csv", "buffer": content.encode()}],
    )
    page.get_by_role("button", name="Preview the import").click()


def serious_violations(page: Page) -> list[dict[str, Any]]:
    results = axe.run(page)
    return [v for v in results.response["violations"] if v["impact"] in FAILING_IMPACTS]


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    )


def test_a_team_lead_finds_the_yellow_kpi_and_fixes_an_import(server, page):
    page.goto(server + "/")
    expect(page.get_by_role("heading", name="KPI health", level=1)).to_be_visible()
    growth = page.locator("li.team-card", has=page.get_by_role("link", name="Growth"))
    expect(growth).to_contain_text("2 yellow")

    page.get_by_role("link", name="Growth", exact=True).click()
    expect(page).to_have_url(server + "/teams/growth")
    tile = page.get_by_role("article", name="Trial-to-paid conversion rate")
    expect(tile.locator(".status")).to_have_text("▲ Yellow")
    expect(tile).to_contain_text("is between the red bound 12.0% and the green bound 15.0%")
    expect(tile).to_contain_text("Signal:")

    tile.get_by_role("link", name="Trial-to-paid conversion rate").click()
    expect(page).to_have_url(server + "/kpis/trial_to_paid")
    before = chart_points(page)
    assert before == 52
    assert drawn_marks(page) == before
    summary = page.locator("#xmr-summary")
    expect(summary).to_contain_text(f"Chart of {before} weekly values")

    today = datetime.now(UTC).date().isoformat()
    upload(page, "this-week.csv", f"timestamp,value\n{today},12.6\n{today}T12:00,twelve\n")
    report = page.locator("#import-errors")
    expect(report).to_contain_text("Nothing was imported from this-week.csv: 1 row to fix")
    row = report.get_by_role("row").nth(1)
    expect(row).to_have_text("3value'twelve' is not a number")
    assert chart_points(page) == before
    assert page.evaluate("document.activeElement.id") == "import-errors"

    upload(page, "this-week.csv", f"timestamp,value\n{today},12.6\n")
    page.get_by_role("button", name="Import 1 value").click()
    expect(page.locator("#written")).to_contain_text(
        "✓ Imported 1 value from this-week.csv: 1 new, 0 replaced, 0 unchanged."
    )
    assert chart_points(page) == before + 1
    assert drawn_marks(page) == before + 1
    expect(summary).to_contain_text(f"Chart of {before + 1} weekly values")
    expect(summary).to_contain_text(f"Latest value 12.6% on {when(datetime.now(UTC))}")


def test_the_pages_work_by_keyboard(server, page):
    page.goto(server + "/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to content")
    page.keyboard.press("Enter")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Growth":
            break
    else:
        pytest.fail("the Growth link is not reachable with Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid", "the focused link shows no outline"
    page.keyboard.press("Enter")
    expect(page).to_have_url(server + "/teams/growth")


PAGES = [
    "/",
    "/teams/growth",
    "/kpis/trial_to_paid",
    "/kpis/arpa",  # a derived KPI: the table of what moved it
    "/kpis/dau?page=2",
    "/kpis/new?team=growth",
    "/kpis/trial_to_paid/edit",
    "/teams/nope",
    "/api/v1/docs",
]


def test_no_page_has_a_serious_accessibility_violation(server, page):
    found = {}
    for path in PAGES:
        page.goto(server + path)
        if path.startswith("/kpis/") and "/edit" not in path and "new" not in path:
            page.wait_for_selector(CHART, state="attached", timeout=30_000)
        found[path] = serious_violations(page)
    # The pages as they answer a failed submit: form errors, an import report.
    page.goto(server + "/kpis/new?team=growth")
    page.fill("#f-key", "Bad Key")
    page.fill("#f-name", "Sign-up rate")
    page.fill("#f-unit", "percent")
    page.fill("#f-target", "five")
    page.get_by_role("button", name="Create KPI").click()
    expect(page.locator("#error-summary")).to_be_visible()
    found["form errors"] = serious_violations(page)
    page.goto(server + "/kpis/trial_to_paid")
    upload(page, "bad.csv", "timestamp,value\n2026-01-01,abc\n")
    expect(page.locator("#import-errors")).to_be_visible()
    found["import report"] = serious_violations(page)
    failing = {path: describe(v) for path, v in found.items() if v}
    assert not failing, "\n".join(f"{path}:\n{text}" for path, text in failing.items())


def test_a_points_tooltip_says_its_verdict_and_the_rules_in_words(server, page):
    """The chart works out each point's verdict and looks up its rules' words; the
    tooltip reads at the page's own size (no page style leaks into it)."""
    page.goto(server + "/kpis/trial_to_paid")
    chart_points(page)
    marks = page.locator("#xmr-chart svg g.mark-symbol.role-mark path")
    tooltip = page.locator("#vg-tooltip-element")

    marks.last.hover(force=True)
    expect(tooltip).to_contain_text("Signal")
    expect(tooltip).to_contain_text("beyond a natural process limit (down)")
    expect(tooltip).to_contain_text("12.0%")
    size = tooltip.locator("td.value").first.evaluate("cell => getComputedStyle(cell).fontSize")
    assert float(size.removesuffix("px")) < 20

    marks.first.hover(force=True)
    expect(tooltip).to_contain_text("Routine variation")
    expect(tooltip).to_contain_text("no detection rule fired")
