"""Subscriptions through the services, on SQLite and PostgreSQL: to a team, a KPI or
everything; refused input names its field and writes nothing; switched off and on,
deleted, each change audited with its version."""

from __future__ import annotations

import base64
import os
from datetime import timedelta

import pytest

from okrkit.domain.errors import Conflict, InvalidInput, NotFound
from okrkit.domain.notifications import Channel, DeliveryState
from okrkit.services.subscriptions import (
    CreateSubscription,
    create_subscription,
    delete_subscription,
    get_subscription,
    list_subscriptions,
    subscriptions_overview,
    switch_subscription,
)
from tests.support.actors import ADMIN, as_actor
from tests.support.outbox import NOW, delivery_rows, enqueue_alert, workspace

LATER = NOW + timedelta(hours=1)


def secret() -> str:
    return "whsec_" + base64.b64encode(os.urandom(32)).decode()


@pytest.fixture
def growth(uow):
    workspace(uow, ("growth", "sales"))


def test_subscriptions_to_a_team_a_kpi_and_everything_are_listed_oldest_first(uow, growth):
    hook = secret()
    team = create_subscription(
        uow, CreateSubscription("webhook", "https://hooks.example.com/a", team="growth",
                                secret=hook), as_actor("maya"), NOW)  # fmt: skip
    kpi = create_subscription(
        uow,
        CreateSubscription("email", " omar@example.com ", kpi="sales_conversion"),
        as_actor("maya"),
        NOW,
    )
    everything = create_subscription(
        uow,
        CreateSubscription("slack", "https://hooks.slack.com/services/T/B/x"),
        as_actor("maya"),
        NOW,
    )
    assert (team.channel, team.team, team.kpi, team.secret) == (Channel.WEBHOOK, "growth", None,
                                                                hook)  # fmt: skip
    assert (kpi.channel, kpi.target, kpi.team, kpi.kpi) == (
        Channel.EMAIL, "omar@example.com", None, "sales_conversion"
    )  # fmt: skip
    assert (everything.team, everything.kpi, everything.secret) == (None, None, None)
    assert [s.id for s in list_subscriptions(uow, viewer=ADMIN)] == [team.id, kpi.id, everything.id]
    assert get_subscription(uow, kpi.id, viewer=ADMIN) == kpi
    assert all(s.enabled and s.revision.version == 1 for s in list_subscriptions(uow, viewer=ADMIN))
    with uow:
        created = uow.audit.history("subscription", str(team.id))
    assert created[0]["action"] == "create"
    assert created[0]["after"]["signed"] is True
    assert hook not in str(created)  # the secret never reaches the audit log


def test_the_listing_says_each_ones_last_delivery_state(uow, engine, growth):
    team = create_subscription(
        uow, CreateSubscription("email", "maya@example.com", team="growth"), as_actor("maya"), NOW
    )
    quiet = create_subscription(
        uow, CreateSubscription("email", "omar@example.com", team="sales"), as_actor("maya"), NOW
    )
    assert enqueue_alert(uow, engine, "growth") == 1
    listed = {s.id: s for s in list_subscriptions(uow, viewer=ADMIN)}
    assert listed[team.id].last_state is DeliveryState.PENDING
    assert listed[team.id].last_at == NOW
    assert listed[quiet.id].last_state is None
    assert len(delivery_rows(engine)) == 1


@pytest.mark.parametrize(
    ("command", "field", "says"),
    [
        (CreateSubscription("pager", "https://x.example.com"), "channel", "is not a channel"),
        (CreateSubscription("webhook", "ftp://x.example.com", secret="s"), "target",
         "is not a web address"),
        (CreateSubscription("email", "not-an-address"), "target", "is not an e-mail address"),
        (CreateSubscription("webhook", "https://x.example.com"), "secret", "needs a signing"),
        (CreateSubscription("webhook", "https://x.example.com", secret="whsec_short"), "secret",
         "base64 of 24 to 64"),
        (CreateSubscription("slack", "https://hooks.slack.com/x", secret="whsec_x"), "secret",
         "only a webhook is signed"),
        (CreateSubscription("email", "a@example.com", team="growth", kpi="growth_conversion"),
         "kpi", "not both"),
        (CreateSubscription("email", "a@example.com", team="Not A Key"), "team", "is not a key"),
    ],
)  # fmt: skip
def test_bad_input_names_its_field_and_writes_nothing(uow, growth, command, field, says):
    with pytest.raises(InvalidInput, match=says) as refused:
        create_subscription(uow, command, as_actor("maya"), NOW)
    assert refused.value.field == field
    assert list_subscriptions(uow, viewer=ADMIN) == []


def test_a_team_or_kpi_that_does_not_exist_is_not_found(uow, growth):
    with pytest.raises(NotFound, match="no team 'ops'"):
        create_subscription(
            uow, CreateSubscription("email", "a@example.com", team="ops"), as_actor("m"), NOW
        )
    with pytest.raises(NotFound, match="no KPI 'churn'"):
        create_subscription(
            uow, CreateSubscription("email", "a@example.com", kpi="churn"), as_actor("m"), LATER
        )
    with pytest.raises(NotFound, match="no subscription 7"):
        get_subscription(uow, 7, viewer=ADMIN)
    assert list_subscriptions(uow, viewer=ADMIN) == []


def test_switched_off_and_on_by_a_person_with_its_version(uow, growth):
    made = create_subscription(
        uow, CreateSubscription("email", "a@example.com"), as_actor("maya"), NOW
    )
    off = switch_subscription(uow, made.id, 1, False, as_actor("omar"), LATER)
    assert (off.enabled, off.disabled_reason, off.revision.version) == (
        False, "switched off by omar", 2
    )  # fmt: skip
    with pytest.raises(Conflict, match="changed by omar"):
        switch_subscription(uow, made.id, 1, True, as_actor("maya"), LATER)
    on = switch_subscription(uow, made.id, 2, True, as_actor("maya"), LATER)
    assert (on.enabled, on.disabled_reason, on.revision.version) == (True, "", 3)
    with uow:
        actions = [e["action"] for e in uow.audit.history("subscription", str(made.id))]
    assert actions == ["create", "switch off", "switch on"]


def test_deleted_with_its_deliveries_when_its_version_is_current(uow, engine, growth):
    made = create_subscription(
        uow, CreateSubscription("email", "a@example.com"), as_actor("maya"), NOW
    )
    enqueue_alert(uow, engine)
    with pytest.raises(Conflict):
        delete_subscription(uow, made.id, 2, as_actor("maya"), LATER)
    with pytest.raises(InvalidInput, match="versions count from 1"):
        delete_subscription(uow, made.id, 0, as_actor("maya"), LATER)
    delete_subscription(uow, made.id, 1, as_actor("maya"), LATER)
    assert list_subscriptions(uow, viewer=ADMIN) == []
    assert delivery_rows(engine) == []
    with uow:
        assert [e["action"] for e in uow.audit.history("subscription", str(made.id))] == [
            "create", "delete"
        ]  # fmt: skip


def test_the_overview_names_what_each_one_covers(uow, growth):
    team = create_subscription(
        uow, CreateSubscription("email", "a@example.com", team="growth"), as_actor("maya"), NOW
    )
    kpi = create_subscription(
        uow,
        CreateSubscription("email", "b@example.com", kpi="sales_conversion"),
        as_actor("maya"),
        NOW,
    )
    overview = subscriptions_overview(uow, viewer=ADMIN)
    assert [s.id for s in overview.subscriptions] == [team.id, kpi.id]
    assert overview.team_names == {"growth": "Growth", "sales": "Sales"}
    assert overview.kpi_names == {"sales_conversion": "Sales conversion rate"}
