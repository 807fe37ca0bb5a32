"""What each reader sees of alerts, their notices, subscriptions, the audit log, imports
and values, through the use cases themselves, on SQLite and PostgreSQL: the alerts of a
private KPI (and its draft, its deliveries, subscriptions to it, its values and its
imports) are there for its team's members and admins, and for anyone else not at all —
not listed, not counted, and asked for by key, not found in the words of a key that
names nothing. Its notices go to its own and its team's subscriptions only, through the
real senders to real receivers on loopback (a webhook server and an SMTP server)."""

from __future__ import annotations

import email
import email.policy
import json
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from okrkit.adapters.notify import NotifySettings, new_secret
from okrkit.adapters.sources.values.rows import ValueRow, ValueRows
from okrkit.bootstrap import NotifySender
from okrkit.domain.access import Actor
from okrkit.domain.alerts import AlertState
from okrkit.domain.errors import NotFound
from okrkit.domain.notifications import DeliveryState
from okrkit.services import (
    accounts,
    alerts,
    audit,
    deliveries,
    imports,
    kpis,
    objectives,
    subscriptions,
)
from okrkit.services.deliveries import deliver, due
from okrkit.services.ports import AlertQuery, AuditQuery, ObjectiveQuery
from okrkit.services.subscriptions import CreateSubscription, create_subscription
from okrkit.services.teams import CreateTeam, create_team
from okrkit.services.values import import_values, preview_import, value_page
from tests.support import alerts as support
from tests.support.actors import ADMIN
from tests.support.browsers import TEST_PASSWORDS
from tests.support.receivers import receiver
from tests.support.servers import free_port

NOW = support.NOW
PRIVATE, PUBLIC = "trial_to_paid", "activation"
PRIVATE_NAME = "Trial-to-paid conversion"
MEMBER = Actor("bo@example.com", member_of=frozenset({"growth"}))
OUTSIDER = Actor("cy@example.com", member_of=frozenset({"sales"}), edits=frozenset({"sales"}))
EVERY = (MEMBER, ADMIN)


def _private(uow, at: datetime = NOW - timedelta(days=7)) -> None:
    """Make trial-to-paid private (by default when its healthy weeks were imported, so
    the judgement of the edit finds nothing stale)."""
    version = kpis.get_kpi(uow, PRIVATE, viewer=ADMIN).revision.version
    kpis.edit_kpi(uow, kpis.EditKpi(PRIVATE, version, {"private": True}), ADMIN, at)


@pytest.fixture
def slipped(uow):
    """Growth's two KPIs, trial-to-paid private; both slipped: alert 1 (yellow) on the
    private one, alert 2 (red) on activation; and a team sales the outsider is in."""
    support.healthy(uow)
    create_team(uow, CreateTeam("sales", "Sales"), ADMIN, NOW)
    _private(uow)
    support.slip(uow, PRIVATE, 13.1)
    support.slip(uow, PUBLIC, 8.0)
    return uow


# --- alerts ----------------------------------------------------------------------------


def _ids(uow, who, **query) -> list[int]:
    return [v.stored.id for v in alerts.list_alerts(uow, AlertQuery(**query), viewer=who).alerts]


def test_a_private_kpis_alerts_are_its_teams_and_admins(slipped):
    uow = slipped
    for who in EVERY:
        assert sorted(_ids(uow, who)) == [support.YELLOW, support.RED]
        assert _ids(uow, who, kpi=PRIVATE) == [support.YELLOW]
        assert alerts.get_alert(uow, support.YELLOW, viewer=who).kpi_name == PRIVATE_NAME
        page = alerts.alert_page(uow, support.YELLOW, NOW, viewer=who)
        assert page.view.draft is not None
        assert alerts.proposing_alert(uow, support.YELLOW_DRAFT, viewer=who) is not None
        assert alerts.alert_counts(uow, viewer=who)[AlertState.OPEN] == 2
    assert _ids(uow, OUTSIDER) == [support.RED]
    assert _ids(uow, OUTSIDER, team="growth") == [support.RED]
    listed = alerts.list_alerts(uow, AlertQuery(limit=1), viewer=OUTSIDER)
    assert (listed.total, sum(listed.counts.values())) == (1, 1)
    assert alerts.alert_counts(uow, viewer=OUTSIDER)[AlertState.OPEN] == 1
    assert alerts.alert_counts(uow, "growth", viewer=OUTSIDER)[AlertState.OPEN] == 1
    assert alerts.proposing_alert(uow, support.YELLOW_DRAFT, viewer=OUTSIDER) is None
    assert alerts.proposing_alert(uow, support.RED_DRAFT, viewer=OUTSIDER) is not None
    for read in (
        lambda: alerts.get_alert(uow, support.YELLOW, viewer=OUTSIDER),
        lambda: alerts.alert_page(uow, support.YELLOW, NOW, viewer=OUTSIDER),
    ):
        with pytest.raises(NotFound, match=f"^no alert {support.YELLOW}$"):
            read()
    with pytest.raises(NotFound, match=f"^no KPI '{PRIVATE}'$"):
        alerts.list_alerts(uow, AlertQuery(kpi=PRIVATE), viewer=OUTSIDER)


def test_a_private_kpis_draft_is_private_and_a_public_ones_is_not(slipped):
    with slipped as uow:
        private = uow.objectives.get(support.YELLOW_DRAFT).objective
        public = uow.objectives.get(support.RED_DRAFT).objective
    assert (private.private, private.team) == (True, "growth")
    assert public.private is False


# --- notifications -----------------------------------------------------------------------


class Mailbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    """A real SMTP server on loopback that keeps the messages: (mailbox, port)."""
    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


def _subscribe(uow, channel: str, target: str, *, team=None, kpi=None) -> int:
    secret = new_secret() if channel == "webhook" else None
    command = CreateSubscription(channel, target, team=team, kpi=kpi, secret=secret)
    return create_subscription(uow, command, ADMIN, NOW).id


def _sent_kpis(hook) -> list[str]:
    return sorted(json.loads(r.body)["data"]["kpi_key"] for r in hook.requests)


def test_a_private_kpis_notices_go_to_its_own_and_its_teams_subscriptions_only(uow, mailbox):
    box, port = mailbox
    sender = NotifySender(NotifySettings(smtp_host="127.0.0.1", smtp_port=port, timeout=5.0))
    support.healthy(uow)
    create_team(uow, CreateTeam("sales", "Sales"), ADMIN, NOW)
    _private(uow)
    with receiver() as every, receiver() as team, receiver() as own, receiver() as sales:
        _subscribe(uow, "webhook", every.url)
        _subscribe(uow, "webhook", team.url, team="growth")
        _subscribe(uow, "webhook", own.url, kpi=PRIVATE)
        _subscribe(uow, "webhook", sales.url, team="sales")
        _subscribe(uow, "email", "all-alerts@example.com")
        support.slip(uow, PRIVATE, 13.1)
        support.slip(uow, PUBLIC, 8.0)
        results = [deliver(uow, d, sender, NOW, 0.5) for d in due(uow, NOW)]
        assert all(r is not None and r.state is DeliveryState.DELIVERED for r in results)
        assert len(results) == 5  # every alert 1 + e-mail 1 + team 2 + own 1
        assert _sent_kpis(every) == [PUBLIC]
        assert _sent_kpis(team) == sorted([PRIVATE, PUBLIC])
        assert _sent_kpis(own) == [PRIVATE]
        assert sales.requests == []
    (mail,) = box.envelopes
    message = email.message_from_bytes(mail.original_content, policy=email.policy.default)
    texts = [p.get_content() for p in message.walk() if p.get_content_maintype() == "text"]
    text = " ".join([str(message["subject"]), *texts])
    assert "Activation rate" in text
    assert PRIVATE not in text
    assert PRIVATE_NAME not in text


def test_a_notice_written_before_its_kpi_was_made_private_is_not_sent_to_every_alert(uow):
    sender = NotifySender(NotifySettings(timeout=5.0))
    support.healthy(uow)
    with receiver() as every, receiver() as team:
        _subscribe(uow, "webhook", every.url)
        _subscribe(uow, "webhook", team.url, team="growth")
        support.slip(uow, PRIVATE, 13.1)
        _private(uow, NOW)
        results = {r.id: r for r in (deliver(uow, d, sender, NOW, 0.5) for d in due(uow, NOW))}
        assert sorted(r.state for r in results.values()) == [
            DeliveryState.DELIVERED, DeliveryState.FAILED,
        ]  # fmt: skip
        assert every.requests == []
        assert _sent_kpis(team) == [PRIVATE]
    log = deliveries.delivery_log(uow, viewer=ADMIN)
    (given_up,) = [e for e in log.entries if e.state is DeliveryState.FAILED]
    assert given_up.last_error.startswith("not sent: its KPI was made private")


# --- subscriptions and their deliveries ------------------------------------------------------


def test_a_subscription_to_a_private_kpi_and_its_deliveries_are_its_teams(slipped):
    uow = slipped
    with receiver() as hook:
        team = _subscribe(uow, "webhook", hook.url, team="growth")
        own = _subscribe(uow, "webhook", hook.url, kpi=PRIVATE)
        every = _subscribe(uow, "webhook", hook.url)
        # A second judgement of both: each alert escalates or stays; new notices come
        # from new alerts, so resolve both and let them slip again.
        for id in (support.YELLOW, support.RED):
            version = alerts.get_alert(uow, id, viewer=ADMIN).stored.revision.version
            alerts.resolve_alert(uow, id, version, ADMIN, NOW)
        support.slip(uow, PRIVATE, 13.0, NOW + timedelta(minutes=1))
        support.slip(uow, PUBLIC, 7.9, NOW + timedelta(minutes=1))
    for who in EVERY:
        listed = [s.id for s in subscriptions.list_subscriptions(uow, viewer=who)]
        assert listed == [team, own, every]
        assert subscriptions.get_subscription(uow, own, viewer=who).kpi == PRIVATE
        overview = subscriptions.subscriptions_overview(uow, viewer=who)
        assert overview.kpi_names == {PRIVATE: PRIVATE_NAME}
        assert deliveries.subscription_log(uow, own, viewer=who).log.total == 1
        assert deliveries.subscription_log(uow, team, viewer=who).log.total == 2
        assert deliveries.delivery_log(uow, viewer=who).total == 4
    listed = [s.id for s in subscriptions.list_subscriptions(uow, viewer=OUTSIDER)]
    assert listed == [team, every]
    overview = subscriptions.subscriptions_overview(uow, viewer=OUTSIDER)
    assert [s.id for s in overview.subscriptions] == [team, every]
    assert overview.kpi_names == {}
    for read in (
        lambda: subscriptions.get_subscription(uow, own, viewer=OUTSIDER),
        lambda: deliveries.subscription_log(uow, own, viewer=OUTSIDER),
        lambda: deliveries.delivery_log(uow, own, viewer=OUTSIDER),
    ):
        with pytest.raises(NotFound, match=f"^no subscription {own}$"):
            read()
    log = deliveries.subscription_log(uow, team, limit=1, viewer=OUTSIDER).log
    assert (log.total, [e.kpi for e in log.entries]) == (1, [PUBLIC])
    everything = deliveries.delivery_log(uow, viewer=OUTSIDER)
    assert everything.total == 2
    assert {e.kpi for e in everything.entries} == {PUBLIC}
    second = deliveries.delivery_log(uow, limit=1, offset=1, viewer=OUTSIDER)
    assert [e.id for e in second.entries] == [everything.entries[1].id]


# --- the audit log -------------------------------------------------------------------------


def _all(uow, who, limit: int = 200, **filters) -> list[audit.AuditEntry]:
    """Every entry `who` may read, page by page from the newest."""
    found: list[audit.AuditEntry] = []
    before = None
    while True:
        page = audit.audit_page(uow, AuditQuery(limit=limit, before=before, **filters), viewer=who)
        found.extend(page.entries)
        if page.older is None:
            return found
        before = page.older


def _changed(entry: audit.AuditEntry) -> dict[str, object]:
    return {c.field: c.after for c in entry.changes}


def _about_private(entry: audit.AuditEntry) -> bool:
    """An entry about the private KPI, its alert, its draft or a subscription to it."""
    if entry.entity == "subscription":
        return _changed(entry).get("kpi") == PRIVATE
    about = {
        ("kpi", PRIVATE), ("alert", str(support.YELLOW)), ("objective", support.YELLOW_DRAFT),
    }  # fmt: skip
    return (entry.entity, entry.key) in about


def _draft_key_result(uow) -> str:
    with uow:
        (kr,) = uow.key_results.of([support.YELLOW_DRAFT])[support.YELLOW_DRAFT]
    return str(kr.id)


@pytest.fixture
def logged(slipped):
    """The slipped workspace, with an account added and a subscription to the private
    KPI: entries about both in the log."""
    uow = slipped
    command = accounts.AddAccount("zoe@example.com", password="a long password", admin=False)
    accounts.add_account(uow, TEST_PASSWORDS, command, ADMIN, NOW)
    _subscribe(uow, "email", "growth@example.com", kpi=PRIVATE)
    return uow


def test_the_audit_log_shows_a_private_kpis_entries_to_its_team_and_accounts_to_admins(logged):
    uow = logged
    admin = _all(uow, ADMIN)
    member = _all(uow, MEMBER)
    outsider = _all(uow, OUTSIDER)
    about = [e for e in admin if _about_private(e)]
    assert {e.entity for e in about} == {"kpi", "alert", "objective", "subscription"}
    assert all(e.private and e.team == "growth" for e in about)
    # The draft's key result is under a private objective: private too.
    (key_result,) = [e for e in admin if e.entity == "key_result" and e.private]
    assert key_result.key == _draft_key_result(uow)
    private = {e.id for e in about} | {key_result.id}
    assert {e.id for e in admin if e.private} == private
    assert any(e.entity == "account" for e in admin)
    assert [e.id for e in member] == [e.id for e in admin if e.entity != "account"]
    assert [e.id for e in outsider] == [
        e.id for e in admin if e.entity != "account" and e.id not in private
    ]
    assert not any(e.private for e in outsider)
    # A page holds as many entries as asked, and walking the pages finds them all.
    assert [e.id for e in _all(uow, OUTSIDER, limit=3)] == [e.id for e in outsider]
    first = audit.audit_page(uow, AuditQuery(limit=3), viewer=OUTSIDER)
    assert len(first.entries) == 3
    assert _all(uow, OUTSIDER, entity="kpi", key=PRIVATE) == []
    assert _all(uow, OUTSIDER, entity="alert", key=str(support.YELLOW)) == []


def test_an_import_of_several_kpis_names_only_those_its_reader_sees(slipped):
    uow = slipped
    at = datetime(2026, 11, 17)
    rows = ValueRows([ValueRow(at, 13.2, kpi=PRIVATE), ValueRow(at, 8.1, kpi=PUBLIC)])
    import_values(uow, rows, ADMIN, NOW)
    (entry,) = _all(uow, ADMIN, entity="kpi", key="*")
    assert set(_changed(entry)["per_kpi"]) == {PRIVATE, PUBLIC}
    (seen,) = _all(uow, OUTSIDER, entity="kpi", key="*")
    assert set(_changed(seen)["per_kpi"]) == {PUBLIC}
    newest = imports.list_imports(uow, viewer=OUTSIDER, limit=200)
    assert newest[0].kpis == (PUBLIC,)
    assert all(PRIVATE not in r.kpis and r.kpis for r in newest)
    assert set(imports.list_imports(uow, viewer=MEMBER, limit=1)[0].kpis) == {PRIVATE, PUBLIC}
    assert len(imports.list_imports(uow, viewer=OUTSIDER, limit=2)) == 2


# --- imports and values --------------------------------------------------------------------


def test_a_private_kpis_values_and_imports_are_its_teams(slipped):
    uow = slipped
    for who in EVERY:
        assert value_page(uow, PRIVATE, viewer=who).total == 12
        assert imports.list_imports(uow, PRIVATE, viewer=who)
        rows = ValueRows([ValueRow(datetime(2026, 11, 17), 13.0)])
        assert preview_import(uow, rows, NOW, viewer=who, default_kpi=PRIVATE).kpis
    assert all(PRIVATE not in r.kpis for r in imports.list_imports(uow, viewer=OUTSIDER))
    for read in (
        lambda: value_page(uow, PRIVATE, viewer=OUTSIDER),
        lambda: imports.list_imports(uow, PRIVATE, viewer=OUTSIDER),
        lambda: preview_import(
            uow,
            ValueRows([ValueRow(datetime(2026, 11, 17), 13.0)]),
            NOW,
            viewer=OUTSIDER,
            default_kpi=PRIVATE,
        ),  # fmt: skip
    ):
        with pytest.raises(NotFound, match=f"^no KPI '{PRIVATE}'$"):
            read()


def test_a_kpi_made_private_after_its_alert_makes_its_draft_private_too(uow):
    """A draft names its KPI and what ails it: made private later, the KPI takes its
    still-draft objectives with it (an accepted objective is people's to decide)."""
    support.healthy(uow)
    create_team(uow, CreateTeam("sales", "Sales"), ADMIN, NOW)
    support.slip(uow, PRIVATE, 13.1)
    draft = alerts.get_alert(uow, support.YELLOW, viewer=ADMIN).stored.objective
    assert draft is not None
    with uow:
        assert not uow.objectives.get(draft).objective.private
    _private(uow, NOW)
    with uow:
        assert uow.objectives.get(draft).objective.private
        (entry,) = [e for e in uow.audit.history("objective", draft) if e["action"] == "edit"]
    assert (entry["before"], entry["after"]) == ({"private": False}, {"private": True})
    listed, _ = objectives.list_objectives(uow, ObjectiveQuery(), NOW, viewer=OUTSIDER)
    assert draft not in {o.stored.objective.key for o in listed}
