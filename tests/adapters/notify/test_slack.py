"""Slack incoming webhooks through `send`, against a real HTTP server on loopback: a
top-level `text` beside `blocks`, Slack's escaping, and its answers' meanings."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from okrkit.adapters.notify import send
from okrkit.adapters.notify.slack import escape, link
from okrkit.domain.notifications import Channel
from tests.adapters.notify.conftest import Receiver
from tests.support.notices import notice


def _posted(receiver: Receiver, path: str) -> dict[str, Any]:
    (request,) = receiver.bodies(path)
    assert request.headers["content-type"] == "application/json"
    document: dict[str, Any] = json.loads(request.body)
    return document


def _texts(message: dict[str, Any]) -> str:
    """Every text of the blocks, one per line."""
    texts = []
    for block in message["blocks"]:
        if "text" in block:
            texts.append(block["text"]["text"])
        texts.extend(f["text"] for f in block.get("fields", []))
    return "\n".join(texts)


def test_a_slack_message_has_text_beside_its_blocks(receiver, settings):
    sent = notice()
    outcome = send(sent, Channel.SLACK, receiver.url("/ok/slack"), None, settings)

    assert outcome.delivered, outcome.error
    message = _posted(receiver, "/ok/slack")
    assert message["text"] == (
        f"{sent.summary} <https://okrkit.example.com/alerts/12|Open the alert in okrkit>"
    )
    assert message["blocks"]
    assert all(block["type"] == "section" for block in message["blocks"])
    texts = _texts(message)
    first = message["blocks"][0]["text"]
    assert first["type"] == "mrkdwn"
    assert first["text"].startswith(
        "*<https://okrkit.example.com/kpis/trial_to_paid|Trial-to-paid conversion rate>* · Growth"
    )
    assert "*Status*\nRed: below the red bound" in texts
    assert "*Value*\n8.2% on 11 Aug 2026" in texts
    assert f"*Why*\n{sent.reason}" in texts
    assert (
        "*Draft objective*\n<https://okrkit.example.com/objectives/41|"
        "Lift trial-to-paid conversion rate from 8.2% to 16%>"
    ) in texts
    assert "webhook-signature" not in {k.lower() for k in receiver.bodies("/ok/slack")[0].headers}


def test_a_notice_without_a_draft_has_no_draft_block(receiver, settings):
    send(
        notice(draft_objective=None, draft_title=None),
        Channel.SLACK,
        receiver.url("/ok/no-draft"),
        None,
        settings,
    )

    assert "Draft objective" not in _texts(_posted(receiver, "/ok/no-draft"))


def test_what_okrkit_did_not_write_is_escaped(receiver, settings):
    sent = notice(kpi_name="Q&A <!channel> time", team_name="R&D", summary="<b> & <c>")
    send(sent, Channel.SLACK, receiver.url("/ok/escaped"), None, settings)

    message = _posted(receiver, "/ok/escaped")
    assert message["text"].startswith("&lt;b&gt; &amp; &lt;c&gt; <https://")
    first = message["blocks"][0]["text"]["text"]
    assert "|Q&amp;A &lt;!channel&gt; time>* · R&amp;D" in first
    assert "<!channel>" not in json.dumps(message)


def test_slack_escaping_and_links():
    assert escape("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    assert link("https://x.example/a?b=1&c=<2>|", "one | two") == (
        "<https://x.example/a?b=1&amp;c=%3C2%3E%7C|one ¦ two>"
    )


def test_slack_rate_limiting_carries_its_retry_after(receiver, settings):
    outcome = send(notice(), Channel.SLACK, receiver.url("/busy"), None, settings)

    assert not outcome.delivered
    assert outcome.status == 429
    assert outcome.retry_after == timedelta(seconds=120)


def test_a_removed_slack_webhook_is_gone(receiver, settings):
    outcome = send(notice(), Channel.SLACK, receiver.url("/gone"), None, settings)

    assert outcome.gone
    assert outcome.status == 410
    assert "answered 410 Gone" in outcome.error


def test_a_slack_address_is_never_quoted_whole(down_url, settings):
    secret_path = down_url.replace("/hook", "/services/T000/B000/XXXXSECRET")
    outcome = send(notice(), Channel.SLACK, secret_path, None, settings)

    assert not outcome.delivered
    assert "refused the connection" in outcome.error
    assert "XXXXSECRET" not in outcome.error
