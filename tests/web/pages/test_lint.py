"""The linter's pages (/lint, /lint/findings) and its advice on a KPI's and an
objective's page: each code linked to its rule, the workspace's settings honoured."""

from __future__ import annotations

import re

from okrkit.domain.lint import RULES
from okrkit.services.settings import set_settings
from tests.support import okrs
from tests.support.actors import as_actor
from tests.web.pages.helpers import NOW, element, get, text_of


def test_the_rules_page_explains_every_rule_at_its_anchor(client, uow):
    page = get(client, "/lint")
    assert '<a href="/lint" aria-current="page">Checks</a>' in page  # in the main navigation
    for code, rule in RULES.items():
        item = element(page, "li", f'id="{code}"')
        words = text_of(item)
        assert code in words
        assert rule.why in words
        assert f"How to fix: {rule.fix}" in words
        assert ("Fix" if rule.severity.value == "error" else "Consider") in words
    assert "This workspace's settings switch no rule off." in text_of(page)
    set_settings(uow, '[lint]\ndisable = ["KPI005", "OKR009"]\n', None, as_actor("maya"), NOW)
    page = get(client, "/lint")
    assert "This workspace's settings switch off KPI005, OKR009" in text_of(page)
    assert "switched off here" in text_of(element(page, "li", 'id="KPI005"'))
    assert "switched off here" not in text_of(element(page, "li", 'id="KPI004"'))


def test_a_kpis_page_gives_its_advice_with_each_code_linked(client, uow):
    advice = element(get(client, "/kpis/dau"), "section", 'id="advice"')
    words = text_of(advice)
    # The demo without its OKRs has no subscription: nobody is told.
    assert "Consider KPI005 KPI 'dau' has no alerting" in words
    assert "How: subscribe the people who act on it" in words
    assert (
        '<a class="lint-code" href="/lint#KPI005" aria-label="KPI005: what this rule means">'
        in (advice)
    )
    assert 'href="/lint"' in advice
    set_settings(uow, '[lint]\ndisable = ["KPI005"]\n', None, as_actor("maya"), NOW)
    words = text_of(element(get(client, "/kpis/dau"), "section", 'id="advice"'))
    assert "KPI005" not in words
    assert "The linter has no advice" in words


def test_an_objectives_advice_links_its_rules_and_key_results(okr_client, uow):
    page = get(okr_client, "/objectives/streamline-onboarding")
    advice = element(page, "section", 'id="advice"')
    assert "OKR002" not in advice
    page = get(okr_client, "/objectives/grow-paying-customers")
    advice = element(page, "section", 'id="advice"')
    assert 'href="/lint#OKR004"' in advice
    set_settings(uow, '[lint]\ndisable = ["OKR004"]\n', None, as_actor("maya"), okrs.NOW)
    advice = element(get(okr_client, "/objectives/grow-paying-customers"), "section", 'id="advice"')
    assert "OKR004" not in advice


def test_a_key_results_finding_leads_to_its_card(okr_client, uow):
    with uow:
        (kr,) = uow.key_results.of(["grow-paying-customers"])["grow-paying-customers"]
        stored = uow.key_results.get(kr.id)
        from dataclasses import replace

        uow.key_results.update(
            kr.id, stored.revision.version,
            replace(stored, definition=replace(stored.definition, title="Launch the pricing page")),
            "maya", okrs.NOW,
        )  # fmt: skip
        uow.commit()
    advice = element(get(okr_client, "/objectives/grow-paying-customers"), "section", 'id="advice"')
    assert "Fix OKR002 Key result 'Launch the pricing page' is an output" in text_of(advice)
    assert f'<a href="#kr-{kr.id}">Go to the key result</a>' in advice


def test_the_workspaces_findings_page(okr_client):
    page = get(okr_client, "/lint/findings")
    words = text_of(page)
    assert re.search(r"\d+ errors?, \d+ warnings?", words)
    found = element(page, "section", 'id="found-OKR004"')
    assert 'href="/objectives/grow-paying-customers"' in found
    assert 'href="/lint#OKR004"' in found
    # KPIs nobody is told about: the OKR workspace has no subscription.
    assert 'href="/kpis/trial_to_paid"' in element(page, "section", 'id="found-KPI005"')


def test_an_outsiders_findings_hold_nothing_of_a_private_kpi_or_objective(engine, uow):
    from okrkit.adapters.store.uow import SqlUnitOfWork
    from okrkit.domain.accounts import Role
    from okrkit.interfaces.web.app import create_app
    from okrkit.services import kpis, objectives
    from okrkit.services.objectives import EditObjective
    from tests.support.actors import ADMIN
    from tests.support.browsers import BrowserClient

    okrs.build(uow)
    kpis.edit_kpi(uow, kpis.EditKpi("trial_to_paid", 1, {"private": True}), ADMIN, okrs.NOW)
    title = "Streamline onboarding to lift conversion by 20 percent"  # OKR001: a number
    edit = EditObjective("streamline-onboarding", 1, {"private": True, "title": title})
    objectives.edit_objective(uow, edit, ADMIN, okrs.NOW)
    app = create_app(lambda: SqlUnitOfWork(engine), clock=lambda: okrs.NOW)
    member = {"growth": Role.EDITOR}
    with BrowserClient(app, account="bo@example.com", admin=False, teams=member) as reader:
        page = get(reader, "/lint/findings")
        assert 'href="/kpis/trial_to_paid"' in page
        assert title in text_of(page)
        assert "the objectives of open cycles (2), 2 teams, 2 KPIs" in text_of(page)
    outsider = {"company": Role.EDITOR}
    with BrowserClient(app, account="cy@example.com", admin=False, teams=outsider) as reader:
        page = get(reader, "/lint/findings")
    for secret in ("trial_to_paid", "Trial-to-paid", "streamline-onboarding", "Streamline"):
        assert secret not in page
    assert "the objectives of open cycles (1), 2 teams, 1 KPI and" in text_of(page)
    assert 'href="/kpis/dau"' in page  # the findings it may see are all there
