"""How numbers, changes and moments read to a person, in the CLI and on the web.

The numbers are the domain's (`domain/phrasing.py`: the one place a number becomes
text, so a rule's own sentence and a dashboard tile read alike); this module adds the
moments of the JSON documents and tables, and how a subscription and its deliveries
read (the pages, the API and the CLI show the same words and hide the same secrets).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from urllib.parse import urlsplit

import numpy as np

from okrkit.domain.notifications import Channel, DeliveryState, Event
from okrkit.domain.phrasing import change, number, numbers, percent_share, span, when
from okrkit.services.audit import AuditEntry
from okrkit.services.goals.changes import FieldChange
from okrkit.services.ports import StoredSubscription

__all__ = [
    "AUDIT_SHORT",
    "CHANNEL_WORDS",
    "EVENT_WORDS",
    "STATE_WORDS",
    "audit_changes",
    "audit_value",
    "change",
    "day_and_time",
    "hide_target",
    "moment",
    "moments",
    "number",
    "numbers",
    "percent_share",
    "short_moment",
    "shown_target",
    "span",
    "state_words",
    "when",
    "why_off",
]

CHANNEL_WORDS = {
    Channel.WEBHOOK: "Webhook (signed)",
    Channel.SLACK: "Slack",
    Channel.EMAIL: "E-mail",
}
EVENT_WORDS = {
    Event.OPENED: "alert opened",
    Event.ESCALATED: "escalated",
    Event.RESOLVED: "resolved",
}
STATE_WORDS = {
    DeliveryState.PENDING: "waiting to be sent",
    DeliveryState.SENDING: "being sent",
    DeliveryState.DELIVERED: "delivered",
    DeliveryState.FAILED: "given up",
}
# How much of a webhook address's path is shown: enough to tell two endpoints of one
# host apart, too little to guess a token kept in the path.
_PATH_SHOWN = 10


def moment(value: datetime) -> str:
    """A UTC moment: the date alone at midnight, else date and time with 'Z'."""
    if value.hour == value.minute == value.second == 0:
        return value.date().isoformat()
    return value.isoformat(timespec="seconds") + "Z"


def moments(stamps: np.ndarray) -> list[str]:
    """`moment` of every UTC timestamp of a NumPy array, written by NumPy at once."""
    seconds = stamps.astype("datetime64[s]")
    days = seconds.astype("datetime64[D]")
    midnight = seconds == days
    if midnight.all():
        return list(np.datetime_as_string(days).tolist())
    dated = np.datetime_as_string(days).tolist()
    timed = np.datetime_as_string(seconds).tolist()
    return [d if m else t + "Z" for d, t, m in zip(dated, timed, midnight.tolist(), strict=True)]


def day_and_time(value: datetime) -> str:
    """A UTC moment as people write it: '6 Dec 2026, 14:05 UTC'."""
    return f"{when(value)}, {value:%H:%M} UTC"


def short_moment(value: datetime) -> str:
    """A UTC moment in a table's column: '6 Dec 2026 14:05' (the header says UTC)."""
    return f"{when(value)} {value:%H:%M}"


def state_words(state: DeliveryState, attempts: int = 0) -> str:
    """A delivery's state in words; one waiting after a failed attempt is "waiting to be
    tried again"."""
    if state is DeliveryState.PENDING and attempts:
        return "waiting to be tried again"
    return STATE_WORDS[state]


def shown_target(channel: Channel, target: str) -> str:
    """A subscription's target as it may be shown: an e-mail address as it is; a Slack
    address is a secret (whoever holds it can post to the channel), so only its host;
    a webhook's host and the start of its path (a token often sits in the path or the
    query). Never a user name or password given in the address."""
    if channel is Channel.EMAIL:
        return target
    parts = urlsplit(target)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    base = f"{parts.scheme}://{host}" + (f":{port}" if port else "")
    if channel is Channel.SLACK:
        return f"{base}/…"
    segments = [s for s in parts.path.split("/") if s]
    if not segments:
        return base + ("/…" if parts.query or parts.fragment else "")
    first = segments[0]
    if len(first) > _PATH_SHOWN:
        return f"{base}/{first[:_PATH_SHOWN]}…"
    if len(segments) > 1:
        return f"{base}/{first}/…"
    return f"{base}/{first}" + ("?…" if parts.query or parts.fragment else "")


_ISO_MINUTE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}) UTC\b")


def _said_day(found: re.Match[str]) -> str:
    year, month, day, hour, minute = (int(part) for part in found.groups())
    try:
        return day_and_time(datetime(year, month, day, hour, minute))
    except ValueError:
        return found.group(0)


def hide_target(text: str, channel: Channel, target: str) -> str:
    """A text about a subscription (a delivery's error, why it was switched off) as a
    person reads it: its full target replaced by what may be shown of it, and a moment
    the services wrote as '2026-12-06 14:00 UTC' said as '6 Dec 2026, 14:00 UTC'."""
    if channel is not Channel.EMAIL and target:
        text = text.replace(target, shown_target(channel, target))
    return _ISO_MINUTE.sub(_said_day, text)


def why_off(stored: StoredSubscription) -> str:
    """Why a subscription is off, in words with its date ('' when it is on): its
    endpoint answered 410 Gone, or a person switched it off. A subscription changes only
    by being switched, so its version's moment is when it was switched off."""
    if stored.enabled:
        return ""
    on = when(stored.revision.changed_at)
    if "410 Gone" in stored.disabled_reason:
        return (
            f"switched off: the endpoint answered 410 Gone on {on}; switch it back on once "
            "it takes messages again"
        )
    return f"switched off by {stored.revision.changed_by} on {on}"


# An address inside an audit record of a subscription (its target, a reason quoting it).
_ADDRESS = re.compile(r"https?://[^\s\"'<>]+")
# How long a value of an audit record may read before it is shortened.
AUDIT_SHORT = 80


def _hidden_addresses(text: str) -> str:
    def shown(found: re.Match[str]) -> str:
        address = found.group(0)
        host = (urlsplit(address).hostname or "").lower()
        slack = host == "slack.com" or host.endswith(".slack.com")
        return shown_target(Channel.SLACK if slack else Channel.WEBHOOK, address)

    return _ADDRESS.sub(shown, text)


def audit_changes(entry: AuditEntry) -> tuple[FieldChange, ...]:
    """An audit entry's changes as they may be shown: in a subscription's, every address
    cut as `shown_target` cuts it (a Slack address is a secret), its target and any
    reason quoting it alike."""
    if entry.entity != "subscription":
        return entry.changes

    def hide(value: object) -> object:
        return _hidden_addresses(value) if isinstance(value, str) else value

    return tuple(FieldChange(c.field, hide(c.before), hide(c.after)) for c in entry.changes)


# A moment as the audit records keep it (ISO 8601: a date, or a datetime in UTC).
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")


def _said_moment(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.hour == moment.minute == moment.second == 0:
        return when(moment)
    return day_and_time(moment)


def audit_value(value: object) -> tuple[str, str]:
    """A value of an audit record as a person reads it, short and in full: none as
    "none", a flag as yes or no, a number as written, a moment as a date (and time), a
    text as it is, a list or table
    as compact JSON; the short form cut at `AUDIT_SHORT` characters with "…"."""
    if value is None:
        text = "none"
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, str) and _ISO_MOMENT.fullmatch(value):
        text = _said_moment(value)
    elif isinstance(value, str):
        text = value if value else "(empty)"
    elif isinstance(value, int | float):
        text = str(value)
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    short = text if len(text) <= AUDIT_SHORT else text[: AUDIT_SHORT - 1].rstrip() + "…"
    return short, text
