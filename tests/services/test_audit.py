"""Reading the audit log through the services, on SQLite and PostgreSQL: changes made
through the real use cases come back newest first, in words, with only what an edit
changed, placed in their team (a KPI's, an objective's, a key result's objective's …) and
marked private when a private objective is behind them — also once the thing is gone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from okrkit.domain.errors import InvalidInput, NotFound
from okrkit.services.alerts import dismiss_draft
from okrkit.services.audit import audit_page, changed_fields, parse_object
from okrkit.services.goals.changes import FieldChange
from okrkit.services.initiatives import AddInitiative, add_initiative
from okrkit.services.kpis import EditKpi, edit_kpi, get_kpi
from okrkit.services.objectives import EditObjective, edit_objective
from okrkit.services.ports import AuditQuery
from okrkit.services.subscriptions import (
    CreateSubscription,
    create_subscription,
    delete_subscription,
)
from okrkit.services.teams import EditTeam, edit_team
from tests.support import alerts as alert_support
from tests.support import okrs
from tests.support.actors import ADMIN, as_actor

LATER = okrs.NOW + timedelta(hours=1)


def every_entry(uow, **filters):
    """Every entry matching the filters, page by page (3 a page), newest first."""
    found, before = [], None
    while True:
        page = audit_page(uow, AuditQuery(limit=3, before=before, **filters), viewer=ADMIN)
        found.extend(page.entries)
        if page.older is None:
            return found
        before = page.older


@pytest.fixture
def built(uow):
    return okrs.build(uow)


def test_an_edit_reads_in_words_with_only_the_fields_it_changed(uow, built):
    kpi = get_kpi(uow, "trial_to_paid", viewer=ADMIN)
    edit_kpi(uow, EditKpi("trial_to_paid", kpi.revision.version, {"name": "Trial to paid"}),
             as_actor("ana@example.com"), LATER)  # fmt: skip
    newest = audit_page(uow, AuditQuery(), viewer=ADMIN).entries[0]
    assert (newest.at, newest.actor, newest.words, newest.kind, newest.key) == (
        LATER, "ana@example.com", "edited", "KPI", "trial_to_paid"
    )  # fmt: skip
    assert newest.title == "Trial to paid"
    assert newest.link == "/kpis/trial_to_paid"
    assert (newest.team, newest.private) == ("growth", False)
    name = FieldChange("name", "Trial-to-paid conversion rate", "Trial to paid")
    assert newest.changes == (name,)


def test_check_ins_and_key_results_are_their_objectives_teams(uow, built):
    entries = audit_page(uow, AuditQuery(limit=3), viewer=ADMIN).entries
    assert [e.words for e in entries] == ["checked in"] * 3
    wizard = next(e for e in entries if e.key == str(built.wizard))
    assert (wizard.kind, wizard.team, wizard.private) == ("key result", "growth", False)
    assert wizard.title == okrs.WIZARD.title
    assert wizard.link == f"/key-results/{built.wizard}"
    assert [c.field for c in wizard.changes] == ["at", "value", "confidence", "note"]
    assert wizard.changes[1] == FieldChange("value", None, 58)


def test_the_team_filter_keeps_the_teams_things_and_nothing_else(uow, built):
    edit_team(uow, EditTeam("company", 1, name="The company"), as_actor("maya"), LATER)
    dau = get_kpi(uow, "dau", viewer=ADMIN)
    edit_kpi(
        uow,
        EditKpi("dau", dau.revision.version, {"owner": "ceo@example.com"}),
        as_actor("maya"),
        LATER,
    )
    company = every_entry(uow, team="company")
    assert {e.team for e in company} == {"company"}
    assert {(e.entity, e.key) for e in company} >= {
        ("team", "company"), ("kpi", "dau"), ("objective", "grow-paying-customers"),
    }  # fmt: skip
    assert any(e.entity == "key_result" and e.words == "created" for e in company)
    growth = every_entry(uow, team="growth")
    assert {e.team for e in growth} == {"growth"}
    assert ("objective", "streamline-onboarding") in {(e.entity, e.key) for e in growth}
    assert sum(e.words == "checked in" for e in growth) == 18
    everything = every_entry(uow)
    # What no team holds: the cycle, the demo load.
    assert {e.entity for e in everything if e.team is None} == {"cycle", "workspace"}
    assert len(everything) == len(company) + len(growth) + 2


def test_a_private_objective_makes_its_key_results_check_ins_and_initiatives_private(uow, built):
    with uow:
        version = uow.objectives.get(built.onboarding).revision.version
    edit_objective(
        uow, EditObjective(built.onboarding, version, {"private": True}), as_actor("maya"), LATER
    )
    add_initiative(uow, AddInitiative(built.wizard, "Shorter wizard"), as_actor("noah"), LATER)
    growth = every_entry(uow, team="growth")
    private = {(e.entity, e.words) for e in growth if e.private}
    assert private >= {
        ("objective", "created"), ("objective", "edited"), ("key_result", "created"),
        ("key_result", "checked in"), ("initiative", "created"),
    }  # fmt: skip
    assert not any(e.private for e in growth if e.entity in ("team", "kpi"))
    initiative = growth[0]
    assert (initiative.kind, initiative.title, initiative.link) == (
        "initiative", "Shorter wizard", f"/key-results/{built.wizard}"
    )  # fmt: skip
    edited = growth[1]
    assert edited.changes == (FieldChange("private", False, True),)
    assert not any(e.private for e in every_entry(uow, team="company"))


def test_the_object_and_person_filters(uow, built):
    wizard = every_entry(uow, entity="key_result", key=str(built.wizard))
    assert [e.words for e in wizard] == ["checked in"] * 6 + ["created"]
    objectives = {e.key for e in every_entry(uow, entity="objective")}
    assert objectives == {built.company, built.onboarding}
    assert [(e.words, e.link) for e in every_entry(uow, entity="cycle")] == [
        ("created", "/cycles/2026-Q3")
    ]
    noah = every_entry(uow, actor="noah@example.com")
    assert len(noah) == 18
    assert {e.actor for e in noah} == {"noah@example.com"}
    assert every_entry(uow, actor="nobody") == []
    assert every_entry(uow, team="growth", actor="maya@example.com", entity="objective") != []


def test_pages_go_older_and_back_newer_without_gaps_or_repeats(uow, built):
    everything = [e.id for e in every_entry(uow)]
    assert everything == sorted(everything, reverse=True)
    assert len(set(everything)) == len(everything) > 20
    first = audit_page(uow, AuditQuery(limit=5), viewer=ADMIN)
    assert first.newer is None
    assert first.older == everything[4]
    second = audit_page(uow, AuditQuery(limit=5, before=first.older), viewer=ADMIN)
    assert [e.id for e in second.entries] == everything[5:10]
    assert second.newer == everything[5]
    back = audit_page(uow, AuditQuery(limit=5, after=second.newer), viewer=ADMIN)
    assert [e.id for e in back.entries] == everything[:5]
    assert back.newer is None
    assert back.older == everything[4]
    last = audit_page(uow, AuditQuery(limit=5, before=everything[-2]), viewer=ADMIN)
    assert [e.id for e in last.entries] == everything[-1:]
    assert last.older is None


def test_a_dismissed_draft_keeps_its_team_and_its_history_without_a_link(uow):
    alert_support.build(uow)
    key = alert_support.YELLOW_DRAFT
    edit_objective(
        uow, EditObjective(key, 1, {"private": True}), as_actor("lea"), alert_support.NOW
    )
    with uow:
        [kr] = uow.key_results.of([key])[key]
    add_initiative(
        uow, AddInitiative(kr.id, "Call churned trials"), as_actor("lea"), alert_support.NOW
    )
    dismiss_draft(uow, alert_support.YELLOW, 1, "Seasonal dip", as_actor("lea"), alert_support.NOW)
    draft = every_entry(uow, entity="objective", key=key)
    assert [e.words for e in draft] == ["dismissed", "edited", "drafted"]
    assert {(e.team, e.link, e.title) for e in draft} == {("growth", None, None)}
    # Private as last recorded: the draft and its key result are private in the log.
    assert [e.private for e in draft] == [True, True, True]
    assert draft[0].changes[0] == FieldChange("reason", None, "Seasonal dip")
    growth = every_entry(uow, team="growth")
    gone = [e for e in growth if e.entity == "key_result" and e.link is None]
    assert [(e.words, e.private) for e in gone] == [("created", True)]
    [initiative] = [e for e in growth if e.entity == "initiative"]
    assert (initiative.link, initiative.title, initiative.private) == (None, None, True)
    assert not any(e.private for e in growth if e.entity in ("kpi", "alert", "team"))
    alerts = [e for e in growth if e.entity == "alert"]
    assert {e.words for e in alerts} >= {"raised", "acknowledged"}
    assert all(e.title == "Trial-to-paid conversion" or e.title == "Activation rate"
               for e in alerts)  # fmt: skip


def test_a_deleted_subscription_stays_in_its_teams_log(uow, built):
    stored = create_subscription(
        uow, CreateSubscription("email", "omar@example.com", team="growth"), as_actor("maya"), LATER
    )
    by_kpi = create_subscription(
        uow, CreateSubscription("email", "omar@example.com", kpi="dau"), as_actor("maya"), LATER
    )
    delete_subscription(uow, stored.id, 1, as_actor("maya"), LATER)
    delete_subscription(uow, by_kpi.id, 1, as_actor("maya"), LATER)
    growth = [e for e in every_entry(uow, team="growth") if e.entity == "subscription"]
    assert [e.words for e in growth] == ["deleted", "created"]
    assert all(e.link is None for e in growth)
    assert growth[0].changes[0] == FieldChange("channel", "email", None)
    company = [e for e in every_entry(uow, team="company") if e.entity == "subscription"]
    assert [e.words for e in company] == ["deleted", "created"]


def test_refused_queries_name_their_field(uow, built):
    with pytest.raises(NotFound, match="no team 'nope'"):
        audit_page(uow, AuditQuery(team="nope"), viewer=ADMIN)
    for query, field in (
        (AuditQuery(limit=0), "limit"),
        (AuditQuery(limit=201), "limit"),
        (AuditQuery(before=0), "before"),
        (AuditQuery(before=3, after=1), "after"),
        (AuditQuery(entity="planet"), "kind"),
    ):
        with pytest.raises(InvalidInput) as raised:
            audit_page(uow, query, viewer=ADMIN)
        assert raised.value.field == field


def test_an_object_is_named_by_kind_and_key():
    assert parse_object("kpi:signups") == ("kpi", "signups")
    assert parse_object(" key-result:12 ") == ("key_result", "12")
    assert parse_object("objective") == ("objective", None)
    assert parse_object("") == (None, None)
    with pytest.raises(InvalidInput, match="'planet' is not a kind") as raised:
        parse_object("planet:earth")
    assert raised.value.field == "object"


def test_changed_fields_of_an_edit_a_creation_and_a_removal():
    assert changed_fields({"a": 1, "b": 2}, {"a": 1, "b": 3}) == (FieldChange("b", 2, 3),)
    assert changed_fields(None, {"a": 1, "b": None, "c": ""}) == (FieldChange("a", None, 1),)
    assert changed_fields({"a": 1}, None) == (FieldChange("a", 1, None),)
