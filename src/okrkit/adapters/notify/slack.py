"""A Slack incoming webhook: the notice as Slack shows it.

Slack's format: a top-level `text` — what a phone's notification, a screen reader and a
client without blocks show — beside `blocks`, the message's layout: the KPI named as a
link to its page with its team, the summary, its status and value (in its unit, with
its date), why it was raised and what to do, the draft objective when there is one,
and a link to the alert. Every text okrkit did not write itself has `&`, `<` and `>`
escaped, as Slack requires, so a KPI named "<!channel>" pings nobody. The answer's
meaning is `posting`'s (Slack answers 200 "ok"; 410 when the webhook was removed;
429 with `Retry-After` when rate limited). The address is the secret: no signature.
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx

from okrkit.adapters.notify.posting import post, timed
from okrkit.adapters.notify.settings import NotifySettings
from okrkit.domain.notifications import Notice, Outcome
from okrkit.domain.phrasing import when

__all__ = ["escape", "link", "message", "send_slack"]

# Slack's limits: a section's text, a field's text, the top-level text.
_SECTION_CHARS = 3000
_FIELD_CHARS = 2000
_TEXT_CHARS = 4000
_ALERT_LINK = "Open the alert in okrkit"


def escape(text: str) -> str:
    """Text as Slack reads it literally: `&`, `<` and `>` escaped (and nothing else)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def link(url: str, label: str) -> str:
    """A Slack link `<url|label>`: the address with the characters that would end it
    percent-encoded, the label escaped."""
    safe = url.replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E").replace("|", "%7C")
    return f"<{safe}|{escape(label).replace('|', '¦')}>"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _cut(text, _SECTION_CHARS)}}


def message(notice: Notice, settings: NotifySettings) -> dict[str, Any]:
    """The Slack message of a notice: top-level `text` and `blocks`."""
    alert_url = settings.absolute(notice.link)
    kpi_url = settings.absolute(notice.kpi_link)
    value = escape(notice.value_text)
    if notice.value_at is not None:
        value += f" on {when(notice.value_at)}"
    blocks: list[dict[str, Any]] = [
        _section(
            f"*{link(kpi_url, notice.kpi_name)}* · {escape(notice.team_name)}\n"
            f"{escape(notice.summary)}"
        ),
        {
            "type": "section",
            "fields": [
                {
                    "type": "mrkdwn",
                    "text": _cut(f"*Status*\n{escape(notice.status_words)}", _FIELD_CHARS),
                },
                {"type": "mrkdwn", "text": _cut(f"*Value*\n{value}", _FIELD_CHARS)},
            ],
        },
    ]
    if notice.reason:
        blocks.append(_section(f"*Why*\n{escape(notice.reason)}"))
    draft = _draft(notice, settings)
    if draft:
        blocks.append(_section(f"*Draft objective*\n{draft}"))
    blocks.append(_section(link(alert_url, _ALERT_LINK)))
    text = f"{escape(notice.summary)} {link(alert_url, _ALERT_LINK)}"
    return {"text": _cut(text, _TEXT_CHARS), "blocks": blocks}


def _draft(notice: Notice, settings: NotifySettings) -> str:
    """The draft objective as a line: its title, linked when the notice gives its page."""
    title = notice.draft_title or notice.draft_objective
    if not title:
        return ""
    if notice.draft_objective and notice.draft_objective.startswith("/"):
        label = notice.draft_title or "the draft objective"
        return link(settings.absolute(notice.draft_objective), label)
    return escape(title)


def send_slack(
    notice: Notice,
    target: str,
    settings: NotifySettings,
    client: httpx.Client | None = None,
) -> Outcome:
    """Post a notice to a Slack incoming webhook's address."""
    started = time.monotonic()
    body = json.dumps(message(notice, settings), ensure_ascii=False).encode()
    headers = {"content-type": "application/json"}
    return timed(post(target, body, headers, settings.timeout, client), started)
