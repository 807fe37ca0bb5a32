"""Delivery use cases: sending what the outbox holds, once per message, and the log of
what became of it.

A notice was written to the outbox (`deliveries`) in the transaction that moved its
alert. A consumer of the job queue asks which deliveries are `due` and `deliver`s each:
it claims the row (one UPDATE: of two consumers, one wins), commits, sends with no
transaction open — a slow endpoint never holds a database lock — and records the
attempt in a second transaction. A delivery is then delivered; or waiting again, with
backoff and jitter and never sooner than the endpoint's `Retry-After`; or given up after
`MAX_ATTEMPTS`. An endpoint that answers 410 Gone switches its subscription off, and its
other waiting deliveries are given up. A consumer that dies mid-send leaves its claim;
after `CLAIM_TIMEOUT` the delivery is due again and sent under the same message id
(`webhook-id`), so a receiver drops the repeat.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from okrkit.domain.access import Actor
from okrkit.domain.notifications import DeliveryState, Outcome, next_attempt
from okrkit.services.access import seen_by
from okrkit.services.ports import DeliveryLogEntry, Sender, StoredSubscription, UnitOfWork
from okrkit.services.subscriptions import (
    covers,
    require_subscription_sight,
    subscription_record,
)

__all__ = [
    "CLAIM_TIMEOUT",
    "DeliveryLog",
    "DeliveryResult",
    "SYSTEM_ACTOR",
    "SubscriptionLog",
    "deliver",
    "delivery_log",
    "due",
    "subscription_log",
]

# How long a claim holds a delivery: longer than any attempt may take (the senders time
# out well before), so only a consumer that died mid-send leaves one this old.
CLAIM_TIMEOUT = timedelta(minutes=2)
# Who the audit log names when okrkit itself switches a subscription off (a 410).
SYSTEM_ACTOR = "okrkit"


@dataclass(frozen=True)
class DeliveryResult:
    """What one `deliver` came to: the delivery's state after it, its attempts so far,
    the attempt's outcome (None when it was not sent: its subscription was off), and
    when it will be tried again (None unless it is waiting)."""

    id: int
    state: DeliveryState
    attempts: int
    outcome: Outcome | None
    next_attempt_at: datetime | None = None


@dataclass(frozen=True)
class DeliveryLog:
    """A page of the delivery log, the newest first, and how many deliveries it has."""

    entries: tuple[DeliveryLogEntry, ...]
    total: int


def due(
    uow: UnitOfWork, now: datetime, limit: int = 500, claim_timeout: timedelta = CLAIM_TIMEOUT
) -> list[int]:
    """The deliveries to send now, oldest first: waiting ones whose time has come, and
    ones whose sender died mid-send (claimed longer ago than `claim_timeout`)."""
    with uow:
        return uow.deliveries.due(now, now - claim_timeout, limit)


def _still_covers(uow: UnitOfWork, subscription: StoredSubscription, kpi: str) -> bool:
    """Whether the subscription still covers the alerts of the KPI `kpi` (it covered them
    when the notice was written; the KPI may have been made private since)."""
    found = uow.kpis.list(keys=[kpi], archived=True)
    return not found or not found[0].kpi.private or covers(subscription, found[0].kpi)


def _gone_reason(target: str, now: datetime) -> str:
    return (
        f"{target} answered 410 Gone on {now:%Y-%m-%d %H:%M} UTC: it takes no more messages. "
        "Switch the subscription back on once it does."
    )


def deliver(
    uow: UnitOfWork,
    delivery_id: int,
    sender: Sender,
    now: datetime,
    jitter: float,
    *,
    claim_timeout: timedelta = CLAIM_TIMEOUT,
) -> DeliveryResult | None:
    """Send one delivery of the outbox, if it is due and nobody else is sending it;
    None otherwise (it was sent, given up, or another consumer has it).

    `now` is when the attempt begins; `jitter` (in [0, 1)) spreads the retries of many
    deliveries failing at once. A subscription switched off since the notice was
    written gives its delivery up unsent, with the reason; so does one that no longer
    covers its alert because the KPI was made private since (`subscriptions.covers`).
    """
    with uow:
        claimed = uow.deliveries.claim(delivery_id, now, now - claim_timeout)
        if claimed is None:
            return None
        subscription = claimed.subscription
        error = None
        if not subscription.enabled:
            error = "not sent: its subscription was switched off" + (
                f" ({subscription.disabled_reason})" if subscription.disabled_reason else ""
            )
        elif not _still_covers(uow, subscription, claimed.notice.kpi_key):
            error = "not sent: its KPI was made private, and this subscription does not cover it"
        if error is not None:
            uow.deliveries.finish(
                delivery_id, claimed.claimed_at, state=DeliveryState.FAILED,
                attempts=claimed.attempts, next_attempt_at=None, status=None, error=error,
                delivered_at=None,
            )  # fmt: skip
            uow.commit()
            return DeliveryResult(delivery_id, DeliveryState.FAILED, claimed.attempts, None)
        uow.commit()
    # Sent with no transaction open: a slow endpoint never holds a database lock.
    try:
        outcome = sender(claimed.notice, subscription.channel, subscription.target,
                         subscription.secret)  # fmt: skip
    except Exception as fault:  # a sender's own fault counts as a failed attempt
        outcome = Outcome(delivered=False, error=f"the sender failed: {fault!r}")
    done = now + timedelta(milliseconds=outcome.duration_ms)
    attempts = claimed.attempts + 1
    retry_at: datetime | None = None
    if outcome.delivered:
        state = DeliveryState.DELIVERED
    elif outcome.gone:
        state = DeliveryState.FAILED
    else:
        retry_at = next_attempt(attempts, done, jitter, outcome.retry_after)
        state = DeliveryState.FAILED if retry_at is None else DeliveryState.PENDING
    said = outcome.error
    if state is DeliveryState.FAILED and not outcome.gone:
        said = f"given up after {attempts} attempts: {outcome.error}"
    with uow:
        uow.deliveries.record_attempt(delivery_id, now, outcome)
        uow.deliveries.finish(
            delivery_id, claimed.claimed_at, state=state, attempts=attempts,
            next_attempt_at=retry_at, status=outcome.status, error=said,
            delivered_at=done if outcome.delivered else None,
        )  # fmt: skip
        if outcome.gone:
            reason = _gone_reason(subscription.target, done)
            before = uow.subscriptions.get(subscription.id)
            if before.enabled:
                after = uow.subscriptions.switch(
                    subscription.id, None, False, reason, SYSTEM_ACTOR, done
                )
                uow.audit.append(
                    actor=SYSTEM_ACTOR, action="switch off", entity="subscription",
                    key=str(subscription.id), before=subscription_record(before),
                    after=subscription_record(after), at=done,
                )  # fmt: skip
            uow.deliveries.fail_waiting(subscription.id, f"not sent: {reason}", done)
        uow.commit()
    return DeliveryResult(delivery_id, state, attempts, outcome, retry_at)


def delivery_log(
    uow: UnitOfWork,
    subscription: int | None = None,
    limit: int = 50,
    offset: int = 0,
    *,
    viewer: Actor,
) -> DeliveryLog:
    """The deliveries of one subscription (or of all), the newest first: each with its
    alert's event and KPI, its state, its attempts, the last answer and its moments —
    those `viewer` may see (not those of alerts of other teams' private KPIs; a
    subscription to such a KPI is not found)."""
    with uow:
        if subscription is not None:
            require_subscription_sight(uow, viewer, uow.subscriptions.get(subscription))
        entries, total = uow.deliveries.log(subscription, limit, offset, seen_by=seen_by(viewer))
    return DeliveryLog(tuple(entries), total)


@dataclass(frozen=True)
class SubscriptionLog:
    """One subscription, the name of the team or KPI it covers (None for every alert),
    and a page of its delivery log, the newest first."""

    subscription: StoredSubscription
    covers_name: str | None
    log: DeliveryLog


def subscription_log(
    uow: UnitOfWork, subscription: int, limit: int = 50, offset: int = 0, *, viewer: Actor
) -> SubscriptionLog:
    """A subscription with a page of its deliveries, in one transaction: what a person
    reads to see whether its endpoint takes the notices (`NotFound` names its id, also
    for one to a private KPI `viewer` may not see; the deliveries of alerts of such KPIs
    are left out)."""
    with uow:
        stored = uow.subscriptions.get(subscription)
        require_subscription_sight(uow, viewer, stored)
        name = None
        if stored.team is not None:
            name = uow.teams.get(stored.team).team.name
        elif stored.kpi is not None:
            name = uow.kpis.get(stored.kpi).kpi.name
        entries, total = uow.deliveries.log(subscription, limit, offset, seen_by=seen_by(viewer))
    return SubscriptionLog(stored, name, DeliveryLog(tuple(entries), total))
