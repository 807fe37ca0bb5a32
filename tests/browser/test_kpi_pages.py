"""The KPI pages as a person sees them, in Debian's Chromium at a laptop's and a phone's
width: screenshots of home, a team and a percent, a count and a duration KPI; the
chart's target line, ticks that follow the cadence, nothing wider than the screen, no
scientific notation; axe-core finds nothing serious."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import sign_in
from tests.browser.test_journeys import CHART, describe, serious_violations

SIZES = {"wide": (1280, 800), "phone": (390, 844)}
# path, name of the shot, the KPI's cadence (None: not a KPI page)
PAGES = [
    ("/", "home", None),
    ("/teams/growth", "team-growth", None),
    ("/kpis/trial_to_paid", "kpi-percent-trial-to-paid", "week"),
    ("/kpis/dau", "kpi-count-dau", "day"),
    ("/kpis/api_latency_p95", "kpi-duration-api-latency", "day"),
    ("/kpis/churn", "kpi-percent-monthly-churn", "month"),
]
# A tick label of each cadence: "Oct 2026" or "Oct" for months, "11 Oct" for days/weeks.
TICK = {
    "month": re.compile(r"^[A-Z][a-z]{2}( \d{4})?$"),
    "week": re.compile(r"^\d{1,2} [A-Z][a-z]{2}$"),
    "day": re.compile(r"^\d{1,2} [A-Z][a-z]{2}$"),
}


def shots_folder(tmp_path: Path) -> Path:
    """Where the screenshots go: $OKRKIT_SHOTS when set (to look at them), else tmp."""
    folder = Path(os.environ.get("OKRKIT_SHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def x_tick_labels(page: Page) -> list[str]:
    labels: list[str] = page.evaluate(
        """() => [...document.querySelectorAll(
            '#xmr-chart svg g.role-axis[aria-label^="X-axis"] g.role-axis-label text')]
            .filter(t => t.getAttribute('opacity') !== '0')
            .map(t => t.textContent)"""
    )
    return labels


@pytest.mark.parametrize("size", list(SIZES))
def test_pages_look_right_at_laptop_and_phone_width(server, browser: Browser, tmp_path, size):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, server)
    folder = shots_folder(tmp_path)
    failing = {}
    for path, name, cadence in PAGES:
        page.goto(server + path)
        if cadence:
            page.wait_for_selector(CHART, state="attached", timeout=30_000)
        page.screenshot(path=str(folder / f"{name}-{size}.png"), full_page=True)
        text = page.inner_text("main")
        assert "e+" not in text, f"{path}: scientific notation in {text!r}"
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} is {overflow}px wider than the {width}px screen"
        if cadence:
            assert_chart_reads(page, path, cadence, width)
        violations = serious_violations(page)
        if violations:
            failing[path] = describe(violations)
    context.close()
    assert not errors, f"script errors in the pages: {errors}"
    assert not failing, "\n".join(f"{path}:\n{text}" for path, text in failing.items())


def assert_chart_reads(page: Page, path: str, cadence: str, width: int) -> None:
    # the target is drawn as a line with its label
    target = page.evaluate("window.okrkitCharts['xmr-chart'].data('target')")
    assert len(target) == 1, f"{path}: no target line"
    labels = page.evaluate(
        "[...document.querySelectorAll('#xmr-chart svg text')].map(t => t.textContent)"
    )
    assert any(label.startswith("target ") for label in labels), f"{path}: target unlabelled"
    # ticks follow the cadence: each label names a period of it, fewer at a phone's width
    ticks = x_tick_labels(page)
    assert 2 <= len(ticks) <= (13 if width > 600 else 7), f"{path}: ticks {ticks}"
    assert all(TICK[cadence].match(t) for t in ticks), f"{path}: {cadence} ticks {ticks}"
    # nothing drawn outside the chart's box: the legend and the labels are inside it
    box = page.locator("#xmr-chart").bounding_box()
    svg = page.locator("#xmr-chart svg").bounding_box()
    assert box is not None
    assert svg is not None
    assert svg["x"] + svg["width"] <= box["x"] + box["width"] + 1, f"{path}: chart cut"
    # the newest point is not under a level's label
    newest = page.locator("#xmr-chart svg g.mark-symbol.role-mark path").last.bounding_box()
    for label in page.locator("#xmr-chart svg g.mark-text text").all():
        where = label.bounding_box()
        if newest is None or where is None:
            continue
        apart = (
            where["x"] >= newest["x"] + newest["width"]
            or where["x"] + where["width"] <= newest["x"]
            or where["y"] >= newest["y"] + newest["height"]
            or where["y"] + where["height"] <= newest["y"]
        )
        assert apart, f"{path}: the newest point lies under the label {label.text_content()!r}"
