"""Notifications: what a subscriber is told when an alert opens, worsens or resolves,
and when a failed delivery is tried again.

A `Notice` is everything a channel needs to say it — in words a product manager reads
(the KPI, its status said in words, the value in its unit, why it was raised and what
to do) and a link back — so a webhook, a Slack message and an e-mail say the same
thing. A delivery that fails is tried again later (`next_attempt`): exponential backoff
with jitter, never sooner than the endpoint's `Retry-After`, and given up after
`MAX_ATTEMPTS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from okrkit.domain.errors import InvalidInput

__all__ = [
    "BACKOFF_BASE",
    "BACKOFF_CAP",
    "MAX_ATTEMPTS",
    "Channel",
    "ChartData",
    "DeliveryState",
    "Event",
    "Notice",
    "Outcome",
    "check_target",
    "next_attempt",
]

# The first retry waits about this long; each next one twice as long, up to the cap.
BACKOFF_BASE = timedelta(seconds=10)
BACKOFF_CAP = timedelta(hours=1)
# Attempts before a delivery is given up (about 2 h 40 min of retries at the cap's pace).
MAX_ATTEMPTS = 10
# The longest `Retry-After` honoured: an endpoint can't park a message for a week.
RETRY_AFTER_CAP = timedelta(days=1)

_EMAIL = re.compile(r"[^@\s<>\"']{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}")


class Channel(StrEnum):
    """Where a subscription sends its notices."""

    WEBHOOK = "webhook"
    SLACK = "slack"
    EMAIL = "email"


class Event(StrEnum):
    """What happened to an alert: the event type a webhook carries."""

    OPENED = "alert.opened"
    ESCALATED = "alert.escalated"
    RESOLVED = "alert.resolved"


class DeliveryState(StrEnum):
    """An outbox row's life: waiting (for its first attempt or a retry), being sent,
    delivered, or given up (too many attempts, or the endpoint said it is gone)."""

    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    FAILED = "failed"


@dataclass(frozen=True)
class ChartData:
    """The points an e-mail draws: the KPI's recent values and its lines."""

    timestamps: tuple[datetime, ...]
    values: tuple[float, ...]
    unit: str
    green: float | None = None
    red: float | None = None
    target: float | None = None


@dataclass(frozen=True)
class Notice:
    """One message about one alert, the same for every channel.

    `message_id` is the same on every attempt (a receiver drops a repeat by it);
    `summary` is one line ("Trial-to-paid conversion rate turned red: 8.2%, below the
    red bound of 12%"); `status_words` the status in words; `reason` what kind of
    problem it is and what to do; `link` the alert's page and `kpi_link` the KPI's, as
    paths of the okrkit server (`/alerts/12`): a channel puts its public address before
    them.
    """

    message_id: str
    event: Event
    at: datetime
    alert_id: int
    kind: str
    level: str
    kpi_key: str
    kpi_name: str
    team_key: str
    team_name: str
    status: str
    status_words: str
    value: float | None
    value_text: str
    value_at: datetime | None
    problem: str
    reason: str
    summary: str
    link: str
    kpi_link: str
    draft_objective: str | None = None
    draft_title: str | None = None
    chart: ChartData | None = None


@dataclass(frozen=True)
class Outcome:
    """What one attempt to deliver a notice came to.

    `delivered` when the receiver took it (a 2xx, or the mail server accepted it);
    `status` the receiver's answer code — the HTTP status, or for e-mail the SMTP reply
    code (250 accepted, 550 refused …) — None without an answer; `error` what went wrong
    in words, naming the host;
    `retry_after` the wait the receiver asked for; `gone` when it said it will never take
    one again (HTTP 410): its subscription is switched off.
    """

    delivered: bool
    status: int | None = None
    error: str = ""
    retry_after: timedelta | None = None
    gone: bool = False
    duration_ms: int = 0


def next_attempt(
    attempts: int, now: datetime, jitter: float, retry_after: timedelta | None = None
) -> datetime | None:
    """When to try a delivery again after its `attempts`-th failed attempt, or None when
    it is given up (`MAX_ATTEMPTS` reached).

    The wait doubles with every attempt from `BACKOFF_BASE` up to `BACKOFF_CAP`, and
    `jitter` (a number in [0, 1) the caller draws) spreads it over its upper half, so
    many deliveries failing at once don't all come back at once; a `Retry-After` longer
    than that is honoured (up to a day).
    """
    if attempts >= MAX_ATTEMPTS:
        return None
    if not 0.0 <= jitter < 1.0:
        raise ValueError(f"jitter must be in [0, 1), not {jitter}")
    doubled = BACKOFF_BASE * (2 ** max(attempts - 1, 0))
    wait: timedelta = min(doubled, BACKOFF_CAP) * (0.5 + jitter / 2)
    if retry_after is not None:
        wait = max(wait, min(retry_after, RETRY_AFTER_CAP))
    return now + wait


def check_target(channel: Channel, target: str, *, field: str = "target") -> str:
    """A subscription's target as given, or `InvalidInput`: an http(s) address for a
    webhook and Slack, an e-mail address for e-mail."""
    target = target.strip()
    if channel is Channel.EMAIL:
        if _EMAIL.fullmatch(target) is None:
            raise InvalidInput(f"{target!r} is not an e-mail address", field=field)
        return target
    if not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", target) or len(target) > 2000:
        raise InvalidInput(
            f"{target!r} is not a web address: give an http:// or https:// URL", field=field
        )
    return target
