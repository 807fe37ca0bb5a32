"""E-mail through `send`, against real SMTP servers on loopback (aiosmtpd): the message
as a mail client parses it — plain and HTML parts, the chart as an inline PNG the HTML
shows by its Content-ID — and a refused recipient, a server that is not running and
e-mail not configured as outcomes in words."""

from __future__ import annotations

import email
import email.policy
import re
from email.message import EmailMessage

import pytest

from okrkit.adapters.notify import NotifySettings, send
from okrkit.domain.notifications import Channel
from tests.adapters.notify.conftest import Mailbox
from tests.support.notices import notice
from tests.support.servers import free_port

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TO = "maya@example.com"


def _settings(port: int) -> NotifySettings:
    return NotifySettings.from_env(
        {
            "OKRKIT_BASE_URL": "https://okrkit.example.com",
            "OKRKIT_SMTP_URL": f"smtp://127.0.0.1:{port}",
            "OKRKIT_MAIL_FROM": "okrkit <alerts@okrkit.example.com>",
        }
    )


def _received(mailbox: Mailbox) -> EmailMessage:
    (envelope,) = mailbox.envelopes
    assert envelope.mail_from == "alerts@okrkit.example.com"
    assert envelope.rcpt_tos == [TO]
    assert isinstance(envelope.original_content, bytes)
    parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_an_email_has_plain_and_html_parts_and_the_chart_inline(smtp_server):
    mailbox, port = smtp_server
    sent = notice()
    outcome = send(sent, Channel.EMAIL, TO, None, _settings(port))

    assert outcome.delivered, outcome.error
    assert outcome.status == 250
    message = _received(mailbox)
    # A long subject is folded; where the standard library folds it, its parser keeps
    # the fold's space (mail clients trim it).
    assert message["Subject"].strip() == sent.summary
    assert message["To"] == TO
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"] == f"<{sent.message_id}@okrkit.example.com>"
    assert message.get_content_type() == "multipart/alternative"

    plain = message.get_body(preferencelist=("plain",))
    assert plain is not None
    text = plain.get_content()
    assert sent.summary in text
    assert "Value: 8.2% on 11 Aug 2026" in text
    assert "Open the alert: https://okrkit.example.com/alerts/12" in text
    assert "https://okrkit.example.com/kpis/trial_to_paid" in text
    assert "green bound 15.0%, red bound 12.0%, target 16.0%" in text

    related = message.get_body(preferencelist=("related",))
    assert related is not None
    assert related.get_content_type() == "multipart/related"
    html_part = message.get_body(preferencelist=("html",))
    assert html_part is not None
    html = html_part.get_content()
    (image,) = [p for p in message.walk() if p.get_content_type() == "image/png"]
    content_id = image["Content-ID"].strip("<>")
    assert f'src="cid:{content_id}"' in html
    png = image.get_content()
    assert png.startswith(PNG_SIGNATURE)
    assert len(png) > 10_000
    assert 'href="https://okrkit.example.com/alerts/12"' in html
    assert 'href="https://okrkit.example.com/objectives/41"' in html
    assert "Lift trial-to-paid conversion rate from 8.2% to 16%" in html


def test_every_field_is_escaped_in_the_html(smtp_server):
    mailbox, port = smtp_server
    sent = notice(kpi_name="<script>alert(1)</script>", reason='Say "hi" & <b>go</b>')
    send(sent, Channel.EMAIL, TO, None, _settings(port))

    html_part = _received(mailbox).get_body(preferencelist=("html",))
    assert html_part is not None
    html = html_part.get_content()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Say &#34;hi&#34; &amp; &lt;b&gt;go&lt;/b&gt;" in html


def test_a_notice_without_a_chart_has_no_image(smtp_server):
    mailbox, port = smtp_server
    send(
        notice(chart=None, draft_objective=None, draft_title=None),
        Channel.EMAIL,
        TO,
        None,
        _settings(port),
    )

    message = _received(mailbox)
    assert [p.get_content_type() for p in message.walk()] == [
        "multipart/alternative",
        "text/plain",
        "text/html",
    ]
    html_part = message.get_body(preferencelist=("html",))
    assert html_part is not None
    assert "cid:" not in html_part.get_content()
    assert "Draft objective" not in html_part.get_content()


def test_a_summary_with_a_line_break_is_one_subject_line(smtp_server):
    mailbox, port = smtp_server
    send(
        notice(summary="Turned red\nBcc: everyone@example.com"),
        Channel.EMAIL,
        TO,
        None,
        _settings(port),
    )

    message = _received(mailbox)
    assert message["Subject"].strip() == "Turned red Bcc: everyone@example.com"
    assert message["Bcc"] is None


def test_a_refused_recipient_is_the_servers_answer_in_words(refusing_smtp_server):
    mailbox, port = refusing_smtp_server
    outcome = send(notice(), Channel.EMAIL, TO, None, _settings(port))

    assert not outcome.delivered
    assert outcome.status == 550
    assert outcome.error == (
        f"127.0.0.1:{port} refused the recipient {TO}: 550 5.1.1 No such user here"
    )
    assert mailbox.envelopes == []


def test_a_mail_server_that_is_not_running_is_named():
    port = free_port()
    outcome = send(notice(), Channel.EMAIL, TO, None, _settings(port))

    assert not outcome.delivered
    assert outcome.status is None
    assert outcome.error == f"127.0.0.1:{port} refused the connection (nothing listens there)"


def test_email_not_configured_is_an_outcome_that_says_so():
    outcome = send(notice(), Channel.EMAIL, TO, None, NotifySettings.from_env({}))

    assert not outcome.delivered
    assert outcome.error.startswith("e-mail is not configured: set OKRKIT_SMTP_URL")


@pytest.mark.parametrize("target", ["not an address", "maya@example.com\nBcc: x@example.com"])
def test_a_target_that_is_no_email_address_is_an_outcome(target, smtp_server):
    mailbox, port = smtp_server
    outcome = send(notice(), Channel.EMAIL, target, None, _settings(port))

    assert not outcome.delivered
    assert re.search(r"is not an e-mail address", outcome.error)
    assert mailbox.envelopes == []
