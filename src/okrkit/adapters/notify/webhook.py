"""A generic webhook, as the Standard Webhooks specification says: a JSON POST of
`{"type", "timestamp", "data"}`, signed with the subscription's secret so the receiver
knows it came from this okrkit and was not replayed.

The headers: `webhook-id` is the notice's `message_id`, the same on every attempt (the
receiver drops a repeat by it); `webhook-timestamp` the moment of this attempt, in
seconds; `webhook-signature` the `standardwebhooks` package's HMAC-SHA256 of id,
timestamp and body (`v1,<base64>`). Any 2xx is delivered; the answer's other meanings
are `posting`'s.
"""

from __future__ import annotations

import base64
import json
import math
import secrets
import time
from dataclasses import fields
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import httpx
from standardwebhooks.webhooks import EmptyWebhookSecretError, Webhook

from okrkit.adapters.notify.posting import host_of, post, timed
from okrkit.adapters.notify.settings import NotifySettings
from okrkit.domain.notifications import Notice, Outcome

__all__ = ["SECRET_PREFIX", "new_secret", "payload", "send_webhook", "signed_headers"]

SECRET_PREFIX = "whsec_"
# 24 random bytes: the specification asks for 24 to 64.
_SECRET_BYTES = 24
# The links of a notice: paths of the okrkit server, sent as whole addresses.
_LINKS = ("link", "kpi_link")


def new_secret() -> str:
    """A fresh signing secret for a webhook subscription, in the Standard Webhooks form
    (`whsec_` + base64 of 24 random bytes): shown to its owner once, kept by both sides."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(_SECRET_BYTES)).decode()


def _moment(value: datetime) -> str:
    """An ISO 8601 UTC moment with a `Z` (a naive one is taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _plain(value: Any) -> Any:
    """A notice's field as JSON: moments in UTC, enums as their value, and a number
    JSON can't carry (NaN, infinity) as null."""
    if isinstance(value, datetime):
        return _moment(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def payload(notice: Notice, settings: NotifySettings) -> bytes:
    """The body every attempt of a notice sends: its event as `type`, the moment it
    happened as `timestamp`, and its fields as `data` — links made whole addresses,
    a draft objective's path too, the chart left out (a receiver that wants the series
    asks the API)."""
    data: dict[str, Any] = {}
    for field in fields(notice):
        if field.name == "chart":
            continue
        value = getattr(notice, field.name)
        if field.name in _LINKS or (field.name == "draft_objective" and _is_path(value)):
            value = settings.absolute(value)
        data[field.name] = _plain(value)
    document = {"type": notice.event.value, "timestamp": _moment(notice.at), "data": data}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def _is_path(value: object) -> bool:
    return isinstance(value, str) and value.startswith("/")


def signed_headers(message_id: str, secret: str, body: bytes, now: datetime) -> dict[str, str]:
    """The Standard Webhooks headers of one attempt sent at `now`. A secret that is
    not base64 raises `ValueError`, an empty one `EmptyWebhookSecretError`."""
    signature = Webhook(secret).sign(message_id, now, body)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(math.floor(now.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
    }


def send_webhook(
    notice: Notice,
    target: str,
    secret: str | None,
    settings: NotifySettings,
    client: httpx.Client | None = None,
) -> Outcome:
    """Deliver a notice to a webhook subscription's address, signed with its secret."""
    started = time.monotonic()
    if not secret:
        return timed(
            Outcome(
                delivered=False,
                error=f"the webhook to {host_of(target)} has no signing secret: "
                "give the subscription one",
            ),
            started,
        )
    body = payload(notice, settings)
    try:
        headers = signed_headers(notice.message_id, secret, body, datetime.now(UTC))
    except (ValueError, EmptyWebhookSecretError):  # not base64, or empty once decoded
        # The secret itself is never quoted: the outcome is kept in the delivery log.
        return timed(
            Outcome(
                delivered=False,
                error=f"the signing secret of the webhook to {host_of(target)} is not a "
                "valid Standard Webhooks secret (whsec_ and base64)",
            ),
            started,
        )
    return timed(post(target, body, headers, settings.timeout, client), started)
