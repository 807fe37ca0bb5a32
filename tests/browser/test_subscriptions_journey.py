"""Subscriptions in Debian's Chromium against a real server on loopback: a webhook added
on the page shows its signing secret once, and its delivery log shows what the real
service did sending to a real receiver; axe-core finds nothing serious on the pages at
desktop and phone width, and none of them scrolls sideways. Screenshots go to
$OKRKIT_SCREENSHOTS (else the test's temporary folder)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from okrkit.adapters.notify import NotifySettings
from okrkit.adapters.store.engine import make_engine
from okrkit.adapters.store.migrate import upgrade
from okrkit.adapters.store.uow import SqlUnitOfWork
from okrkit.bootstrap import NotifySender
from okrkit.services.deliveries import deliver, due
from tests.browser.conftest import _serving
from tests.browser.test_okr_journeys import serious
from tests.support.outbox import NOW, enqueue_alert, workspace
from tests.support.receivers import Answer, receiver


@pytest.fixture
def engine(tmp_path: Path):
    made = make_engine(f"sqlite:///{tmp_path / 'subs.db'}")
    upgrade(made)
    workspace(SqlUnitOfWork(made), ("growth", "sales"))
    yield made
    made.dispose()


@pytest.fixture
def subs_server(engine) -> Iterator[str]:
    """A server on a workspace of teams growth and sales, its clock stopped at NOW."""
    with _serving(engine, clock=lambda: NOW) as url:
        yield url


def channel(page: Page, name: str):
    return page.get_by_role("radio", name=re.compile(f"^{name}"))


def address(page: Page):
    return page.get_by_role("textbox", name=re.compile("^Address"))


def _shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("OKRKIT_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_a_webhook_added_on_the_page_shows_its_secret_once_and_its_log(
    subs_server, engine, page: Page, tmp_path
):
    sender = NotifySender(NotifySettings(timeout=5.0))
    uow = SqlUnitOfWork(engine)
    with receiver([Answer(500), Answer(200)]) as hook:
        page.goto(subs_server + "/subscriptions")
        expect(page.locator("main")).to_contain_text("No subscriptions yet")
        channel(page, "Webhook").check()
        address(page).fill(hook.url)
        page.get_by_role("combobox", name="Team").select_option("growth")
        page.get_by_role("button", name="Add subscription").click()
        expect(page.get_by_role("heading", name="Subscription added")).to_be_visible()
        secret = page.get_by_role("textbox", name="Signing secret").input_value()
        assert re.fullmatch(r"whsec_[A-Za-z0-9+/=]+", secret)
        expect(page.locator("main")).to_contain_text("webhook-signature")

        page.get_by_role("link", name="I have copied it: open the subscription").click()
        expect(page).to_have_url(re.compile(r"/subscriptions/1$"))
        assert secret not in page.content()
        expect(page.locator("#log")).to_contain_text("No notices yet")

        # Two alerts of growth: the first answered 500, the second delivered.
        enqueue_alert(uow, engine, "growth")
        (first,) = due(uow, NOW)
        deliver(uow, first, sender, NOW, 0.5)
        enqueue_alert(uow, engine, "growth")
        for delivery in due(uow, NOW):
            if delivery != first:
                deliver(uow, delivery, sender, NOW, 0.5)
        assert len(hook.requests) == 2

    page.reload()
    log = page.locator("#log")
    expect(log).to_contain_text("2 notices")
    expect(log.locator(".dl-row").first).to_contain_text("Delivered")
    expect(log.locator(".dl-row").nth(1)).to_contain_text("Waiting to be tried again")
    expect(log.locator(".dl-row").nth(1)).to_contain_text("HTTP 500")
    page.goto(subs_server + "/subscriptions")
    assert secret not in page.content()
    expect(page.locator(".sub-row")).to_contain_text("Last delivery: ✓ Delivered")


def test_subscription_pages_are_accessible_at_both_widths(subs_server, engine, page, tmp_path):
    shots = _shots(tmp_path)
    uow = SqlUnitOfWork(engine)
    with receiver([Answer(500), Answer(200), Answer(410)]) as hook:
        page.goto(subs_server + "/subscriptions")
        address(page).fill(hook.url + "/okrkit-alerts/7f3a9c2e")
        page.get_by_role("button", name="Add subscription").click()
        created = page.content()
        page.goto(subs_server + "/subscriptions")
        channel(page, "Slack").check()
        address(page).fill("https://hooks.slack.com/services/T01/B02/s3cr3t")
        page.get_by_role("textbox", name="KPI", exact=True).fill("sales_conversion")
        page.get_by_role("button", name="Add subscription").click()
        expect(page).to_have_url(re.compile(r"/subscriptions/2$"))
        page.goto(subs_server + "/subscriptions")
        channel(page, "E-mail").check()
        address(page).fill("growth-team@example.com")
        page.get_by_role("combobox", name="Team").select_option("growth")
        page.get_by_role("button", name="Add subscription").click()
        sender = NotifySender(NotifySettings(timeout=5.0))
        for _ in range(3):
            enqueue_alert(uow, engine, "growth")
        for delivery in due(uow, NOW):
            deliver(uow, delivery, sender, NOW, 0.5)
    assert "whsec_" in created
    found = {}
    pages = ["/subscriptions", "/subscriptions/1", "/subscriptions/2", "/subscriptions/1/delete"]
    for width, height in ((1280, 800), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        for path in pages:
            page.goto(subs_server + path)
            found[f"{path} at {width}px"] = serious(page)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        for path, name in (("/subscriptions", "list"), ("/subscriptions/1", "log")):
            page.goto(subs_server + path)
            page.screenshot(path=str(shots / f"subscriptions-{name}-{width}.png"), full_page=True)
        # The form with its errors, and the secret's page, at this width too.
        page.goto(subs_server + "/subscriptions")
        address(page).fill("not a url")
        page.get_by_role("button", name="Add subscription").click()
        found[f"the form's errors at {width}px"] = serious(page)
        page.screenshot(path=str(shots / f"subscriptions-errors-{width}.png"), full_page=True)
        address(page).fill(f"https://hooks.example.com/w{width}")
        page.get_by_role("button", name="Add subscription").click()
        expect(page.get_by_role("heading", name="Subscription added")).to_be_visible()
        found[f"the secret's page at {width}px"] = serious(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the secret's page scrolls sideways by {overflow}px at {width}px"
        page.screenshot(path=str(shots / f"subscriptions-secret-{width}.png"), full_page=True)
    failing = {
        where: "; ".join(f"{v['id']}: {v['help']}" for v in violations)
        for where, violations in found.items()
        if violations
    }
    assert not failing, "\n".join(f"{where}: {text}" for where, text in failing.items())
