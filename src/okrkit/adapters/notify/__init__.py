"""Notify: the only code that sends messages — a notice to a generic webhook (signed as
Standard Webhooks says), a Slack incoming webhook, or an e-mail address.

`send` is the one entry point. It makes one attempt and says what came of it as an
`Outcome`: delivered, or why not in words naming the host, with the receiver's status,
the wait it asked for (`Retry-After`) and whether it said it is gone (HTTP 410). It
never raises for anything a receiver does (a refused connection, a timeout, an unknown
host, a failed TLS handshake, a redirect, an error answer, a refused recipient), nor for
a subscription whose target or secret can't be used: those are outcomes too, so a
delivery worker records them and moves on. Retrying is the caller's business
(`domain.notifications.next_attempt`).
"""

from __future__ import annotations

import time

import httpx

from okrkit.adapters.notify.email import send_email
from okrkit.adapters.notify.posting import timed
from okrkit.adapters.notify.settings import NotifySettings, SmtpSecurity
from okrkit.adapters.notify.slack import send_slack
from okrkit.adapters.notify.webhook import new_secret, send_webhook
from okrkit.domain.errors import InvalidInput
from okrkit.domain.notifications import Channel, Notice, Outcome, check_target

__all__ = [
    "NotifySettings",
    "SmtpSecurity",
    "chart",
    "email",
    "new_secret",
    "posting",
    "send",
    "settings",
    "slack",
    "webhook",
]


def send(
    notice: Notice,
    channel: Channel,
    target: str,
    secret: str | None,
    settings: NotifySettings,
    *,
    client: httpx.Client | None = None,
) -> Outcome:
    """Deliver a notice once to one subscription's `target` over its `channel`.

    `secret` is a webhook's signing secret (Slack's address is its own secret, and
    e-mail has none). `client` lets a worker reuse one HTTP connection pool across
    deliveries; without one, each call opens and closes its own. Each step of talking to
    the receiver is bounded by `settings.timeout`.
    """
    started = time.monotonic()
    try:
        target = check_target(channel, target)
    except InvalidInput as error:
        return timed(
            Outcome(delivered=False, error=f"the subscription's target is wrong: {error}"),
            started,
        )
    if channel is Channel.WEBHOOK:
        return send_webhook(notice, target, secret, settings, client)
    if channel is Channel.SLACK:
        return send_slack(notice, target, settings, client)
    return send_email(notice, target, settings)
