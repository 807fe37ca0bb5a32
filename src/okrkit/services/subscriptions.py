"""Subscription use cases: who is told when an alert opens, escalates or resolves, and
how — a webhook signed as Standard Webhooks says, a Slack incoming webhook, or an e-mail
address — for one team's alerts, one KPI's, or every alert. Each use case is one
transaction with its audit entry."""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from okrkit.domain.access import Actor
from okrkit.domain.errors import InvalidInput
from okrkit.domain.keys import check_key
from okrkit.domain.kpis import Kpi
from okrkit.domain.notifications import Channel, check_target
from okrkit.domain.teams import Team
from okrkit.domain.versions import check_version
from okrkit.services.access import require_coverage_edit, require_kpi_sight, sight
from okrkit.services.ports import StoredSubscription, UnitOfWork

__all__ = [
    "CreateSubscription",
    "SubscriptionsOverview",
    "check_secret",
    "covers",
    "create_subscription",
    "delete_subscription",
    "get_subscription",
    "list_subscriptions",
    "require_subscription_sight",
    "subscription_record",
    "subscriptions_overview",
    "switch_subscription",
]

# A Standard Webhooks secret: `whsec_` and the base64 of 24 to 64 random bytes.
_SECRET = re.compile(r"whsec_[A-Za-z0-9+/]{32,88}={0,2}")


def check_secret(channel: Channel, secret: str | None) -> str | None:
    """A webhook's signing secret as given (`whsec_…`, Standard Webhooks' form), or
    `InvalidInput`: a webhook needs one, Slack and e-mail are not signed."""
    if channel is not Channel.WEBHOOK:
        if secret:
            raise InvalidInput(
                f"only a webhook is signed: a {channel.value} subscription takes no secret",
                field="secret",
            )
        return None
    if not secret:
        raise InvalidInput("a webhook needs a signing secret (whsec_…)", field="secret")
    secret = secret.strip()
    try:
        raw = base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if _SECRET.fullmatch(secret) is None or not 24 <= len(raw) <= 64:
        raise InvalidInput(
            "a webhook's secret is whsec_ and the base64 of 24 to 64 random bytes",
            field="secret",
        )
    return secret


def subscription_record(stored: StoredSubscription) -> dict[str, Any]:
    """A subscription as the audit log keeps it: never its secret, only whether it has
    one."""
    return {
        "channel": stored.channel.value,
        "target": stored.target,
        "team": stored.team,
        "kpi": stored.kpi,
        "signed": stored.secret is not None,
        "enabled": stored.enabled,
        "disabled_reason": stored.disabled_reason,
    }


@dataclass(frozen=True)
class CreateSubscription:
    """Tell `target` by `channel` about the alerts of one team, of one KPI, or (neither
    given) of every KPI; a webhook's `secret` signs its messages."""

    channel: str
    target: str
    team: str | None = None
    kpi: str | None = None
    secret: str | None = None


def create_subscription(
    uow: UnitOfWork, command: CreateSubscription, who: Actor, now: datetime
) -> StoredSubscription:
    """Subscribe a target to alerts: a webhook or Slack address, or an e-mail address,
    for a team's KPIs, one KPI, or everything; the team or KPI must exist."""
    actor = who.name
    try:
        channel = Channel(command.channel)
    except ValueError:
        choices = ", ".join(c.value for c in Channel)
        raise InvalidInput(
            f"{command.channel!r} is not a channel: choose {choices}", field="channel"
        ) from None
    target = check_target(channel, command.target)
    secret = check_secret(channel, command.secret)
    if command.team is not None and command.kpi is not None:
        raise InvalidInput(
            "a subscription is to a team's alerts or to one KPI's, not both: give one",
            field="kpi",
        )
    if command.team is not None:
        check_key(command.team, field="team")
    if command.kpi is not None:
        check_key(command.kpi, field="kpi")
    with uow:
        require_coverage_edit(
            uow, who, command.team, command.kpi, "add a subscription",
            f"no KPI {command.kpi!r}",
        )  # fmt: skip
        stored = uow.subscriptions.add(
            channel, target, secret, command.team, command.kpi, actor, now
        )
        uow.audit.append(
            actor=actor, action="create", entity="subscription", key=str(stored.id),
            before=None, after=subscription_record(stored), at=now,
        )  # fmt: skip
        uow.commit()
    return stored


def covers(subscription: StoredSubscription, kpi: Kpi) -> bool:
    """Whether a subscription is told of the KPI's alerts: one to the KPI, to its team,
    or to every alert — but a private KPI's alerts name it and what ails it, so they go
    to its own subscriptions and its team's only, never to every alert."""
    if subscription.kpi is not None:
        return subscription.kpi == kpi.key
    if subscription.team is not None:
        return subscription.team == kpi.team
    return not kpi.private


def require_subscription_sight(uow: UnitOfWork, viewer: Actor, stored: StoredSubscription) -> None:
    """Refuse as not found ("no subscription 12") a subscription to a private KPI that
    `viewer` may not see: for them it is not there."""
    if stored.kpi is not None and not viewer.admin:
        require_kpi_sight(viewer, uow.kpis.get(stored.kpi), f"no subscription {stored.id}")


def _seen(
    uow: UnitOfWork, viewer: Actor, listed: list[StoredSubscription]
) -> list[StoredSubscription]:
    """Those of `listed` that `viewer` may see (not those to other teams' private KPIs)."""
    seen = sight(uow, viewer)
    return [s for s in listed if seen.kpi(s.kpi)]


def list_subscriptions(uow: UnitOfWork, *, viewer: Actor) -> list[StoredSubscription]:
    """Every subscription `viewer` may see (one to a private KPI is its team's members'
    and admins'), oldest first, each with the state of its newest delivery (so a person
    sees which ones work and which were switched off, and why)."""
    with uow:
        return _seen(uow, viewer, uow.subscriptions.list())


@dataclass(frozen=True)
class SubscriptionsOverview:
    """Every subscription (as `list_subscriptions` gives them) with the names of what
    they cover — `team_names` every team's by key (the choices of a new subscription's
    team too), `kpi_names` those of the KPIs subscribed to, by key."""

    subscriptions: tuple[StoredSubscription, ...]
    teams: tuple[Team, ...]
    kpi_names: dict[str, str]

    @property
    def team_names(self) -> dict[str, str]:
        return {t.key: t.name for t in self.teams}


def subscriptions_overview(uow: UnitOfWork, *, viewer: Actor) -> SubscriptionsOverview:
    """Every subscription `viewer` may see with the names of the teams and KPIs it
    covers, and every team a new subscription may cover: who is told about which
    alerts, in words."""
    with uow:
        listed = _seen(uow, viewer, uow.subscriptions.list())
        teams = uow.teams.names()
        keys = {s.kpi for s in listed if s.kpi is not None}
        kpis = uow.kpis.list(keys=keys, archived=True) if keys else []
    return SubscriptionsOverview(tuple(listed), teams, {k.kpi.key: k.kpi.name for k in kpis})


def get_subscription(uow: UnitOfWork, id: int, *, viewer: Actor) -> StoredSubscription:
    """One subscription; `NotFound` names its id (also for one to a private KPI
    `viewer` may not see)."""
    with uow:
        stored = uow.subscriptions.get(id)
        require_subscription_sight(uow, viewer, stored)
    return stored


def switch_subscription(
    uow: UnitOfWork, id: int, version: int, enabled: bool, who: Actor, now: datetime
) -> StoredSubscription:
    """Switch a subscription off (its notices stop) or back on — after its endpoint
    said 410 Gone only a person does that, once the endpoint takes messages again —
    if nobody changed it since `version`."""
    actor = who.name
    check_version(version)
    with uow:
        before = uow.subscriptions.get(id)
        require_coverage_edit(
            uow, who, before.team, before.kpi, f"switch subscription {id}",
            f"no subscription {id}",
        )  # fmt: skip
        reason = "" if enabled else f"switched off by {actor}"
        after = uow.subscriptions.switch(id, version, enabled, reason, actor, now)
        uow.audit.append(
            actor=actor, action="switch on" if enabled else "switch off",
            entity="subscription", key=str(id), before=subscription_record(before),
            after=subscription_record(after), at=now,
        )  # fmt: skip
        uow.commit()
    return after


def delete_subscription(uow: UnitOfWork, id: int, version: int, who: Actor, now: datetime) -> None:
    """Delete a subscription and its delivery log, if nobody changed it since
    `version`."""
    actor = who.name
    check_version(version)
    with uow:
        before = uow.subscriptions.get(id)
        require_coverage_edit(
            uow, who, before.team, before.kpi, f"delete subscription {id}",
            f"no subscription {id}",
        )  # fmt: skip
        uow.subscriptions.delete(id, version)
        uow.audit.append(
            actor=actor, action="delete", entity="subscription", key=str(id),
            before=subscription_record(before), after=None, at=now,
        )  # fmt: skip
        uow.commit()
