"""E-mail over SMTP: the notice as a message a person reads in any mail client.

The subject is the notice's summary. The body is multipart/alternative — a plain-text
part (what a text-only client, a screen reader or a filter reads) and an HTML part —
and, when the notice carries chart data, the HTML part and the KPI's chart as an
inline PNG are wrapped in multipart/related, the HTML showing it by its `cid:`.
Every field is HTML-escaped (Jinja2's autoescape), so a KPI named "<script>" is text.

The `Message-ID` is derived from the notice's `message_id`, the same on every attempt,
so a mailbox that got a retry it already had can tell. `Auto-Submitted:
auto-generated` (RFC 3834) keeps out-of-office replies from answering an alert.

Sending goes through `smtplib`: plain, STARTTLS or TLS as the settings say, logging in
when a user is set. A refused recipient or sender, a 4xx or 5xx answer, a failed TLS
handshake, a refused or timed-out connection: each is an `Outcome` with the server's
answer (code and text) in words, naming the host — never an exception.
"""

from __future__ import annotations

import functools
import logging
import re
import smtplib
import ssl
import time
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from jinja2 import Environment, StrictUndefined

from okrkit.adapters.notify.chart import WIDTH, chart_png, chart_words
from okrkit.adapters.notify.posting import describe_failure, timed
from okrkit.adapters.notify.settings import NotifySettings, SmtpSecurity
from okrkit.domain.notifications import Notice, Outcome
from okrkit.domain.phrasing import when

__all__ = ["message", "send_email"]

log = logging.getLogger(__name__)

_NOT_CONFIGURED = (
    "e-mail is not configured: set OKRKIT_SMTP_URL to the mail server "
    "(smtp://user:password@host:port, smtp+starttls://… or smtps://…)"
)
_NOT_ID = re.compile(r"[^A-Za-z0-9._-]")
_FOOTER = (
    "You get this e-mail because this address is subscribed to okrkit's alerts "
    "for this KPI or its team."
)

_HTML = Environment(autoescape=True, undefined=StrictUndefined).from_string(
    """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{ summary }}</title></head>
<body style="margin:0;padding:16px;background:#f5f7fa;color:#1f2933;\
font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:15px;\
line-height:1.5">
<div style="max-width:600px;margin:0 auto;background:#ffffff;padding:24px;\
border-radius:6px">
<p style="margin:0 0 4px;color:#52606d;font-size:13px">{{ team }} · {{ event }}</p>
<h1 style="margin:0 0 12px;font-size:20px;line-height:1.3">\
<a href="{{ kpi_url }}" style="color:#1f2933">{{ kpi }}</a></h1>
<p style="margin:0 0 16px">{{ summary }}</p>
<table role="presentation" style="border-collapse:collapse;margin:0 0 16px">
<tr><th scope="row" style="text-align:left;padding:2px 16px 2px 0">Status</th>\
<td>{{ status }}</td></tr>
<tr><th scope="row" style="text-align:left;padding:2px 16px 2px 0">Value</th>\
<td>{{ value }}</td></tr>
</table>
{% if reason %}<h2 style="margin:0 0 4px;font-size:15px">Why</h2>
<p style="margin:0 0 16px">{{ reason }}</p>{% endif %}
{% if draft %}<h2 style="margin:0 0 4px;font-size:15px">Draft objective</h2>
<p style="margin:0 0 16px">{% if draft_url %}<a href="{{ draft_url }}">{{ draft }}</a>\
{% else %}{{ draft }}{% endif %}</p>{% endif %}
{% if chart_cid %}<p style="margin:0 0 16px"><img src="cid:{{ chart_cid }}" \
width="{{ width }}" alt="{{ chart_alt }}" style="max-width:100%;height:auto;border:0"></p>\
{% endif %}
<p style="margin:0 0 24px"><a href="{{ alert_url }}" style="display:inline-block;\
padding:10px 16px;background:#2f5f8a;color:#ffffff;text-decoration:none;border-radius:4px">\
Open the alert in okrkit</a></p>
<p style="margin:0;color:#52606d;font-size:12px">{{ footer }}</p>
</div>
</body>
</html>
"""
)

# What each event is called in a message.
_EVENT_WORDS = {
    "alert.opened": "Alert opened",
    "alert.escalated": "Alert escalated",
    "alert.resolved": "Alert resolved",
}


def _one_line(text: str) -> str:
    """Text for a header: one line (a line break in a header would end it)."""
    return " ".join(text.split())


def _value(notice: Notice) -> str:
    if notice.value_at is None:
        return notice.value_text
    return f"{notice.value_text} on {when(notice.value_at)}"


def _draft(notice: Notice, settings: NotifySettings) -> tuple[str, str | None]:
    """The draft objective's words and, when the notice gives its page, its address."""
    path = notice.draft_objective
    if path and path.startswith("/"):
        return notice.draft_title or "the draft objective", settings.absolute(path)
    return notice.draft_title or path or "", None


def _plain(notice: Notice, settings: NotifySettings, chart: str) -> str:
    draft, draft_url = _draft(notice, settings)
    lines = [
        notice.summary,
        "",
        f"KPI: {notice.kpi_name} ({notice.team_name}) {settings.absolute(notice.kpi_link)}",
        f"Status: {notice.status_words}",
        f"Value: {_value(notice)}",
    ]
    if notice.reason:
        lines += ["", f"Why: {notice.reason}"]
    if draft:
        lines += ["", f"Draft objective: {draft}" + (f" {draft_url}" if draft_url else "")]
    if chart:
        lines += ["", chart]
    lines += ["", f"Open the alert: {settings.absolute(notice.link)}", "", "-- ", _FOOTER]
    return "\n".join(lines) + "\n"


def _domain(mail_from: str) -> str:
    """The domain of the sender's address, for ids that must be unique to this sender."""
    address = parseaddr(mail_from)[1]
    return address.rpartition("@")[2] or "okrkit.localhost"


def message(notice: Notice, target: str, settings: NotifySettings, now: datetime) -> EmailMessage:
    """The e-mail of a notice to `target`, dated `now`; the chart drawn when the notice
    has chart data (a chart that can't be drawn is left out and logged: the words
    still go)."""
    png = b""
    if notice.chart is not None and notice.chart.values:
        try:
            png = chart_png(notice.chart, notice.kpi_name)
        except Exception:
            # A picture is never worth an alert that does not go out.
            log.exception("the chart of %s could not be drawn; sending without it", notice.kpi_key)
    words = chart_words(notice.chart, notice.kpi_name) if png and notice.chart else ""
    domain = _domain(settings.mail_from)
    chart_cid = make_msgid("chart", domain=domain)[1:-1] if png else ""
    draft, draft_url = _draft(notice, settings)

    mail = EmailMessage()
    mail["Subject"] = _one_line(notice.summary)
    mail["From"] = settings.mail_from
    mail["To"] = target
    mail["Date"] = format_datetime(now.astimezone(UTC))
    mail["Message-ID"] = f"<{_NOT_ID.sub('-', notice.message_id)}@{domain}>"
    mail["Auto-Submitted"] = "auto-generated"
    mail.set_content(_plain(notice, settings, words))
    html = _HTML.render(
        summary=notice.summary,
        team=notice.team_name,
        event=_EVENT_WORDS.get(notice.event.value, notice.event.value),
        kpi=notice.kpi_name,
        kpi_url=settings.absolute(notice.kpi_link),
        status=notice.status_words,
        value=_value(notice),
        reason=notice.reason,
        draft=draft,
        draft_url=draft_url,
        chart_cid=chart_cid,
        chart_alt=words,
        width=WIDTH,
        alert_url=settings.absolute(notice.link),
        footer=_FOOTER,
    )
    mail.add_alternative(html, subtype="html")
    if png:
        html_part = mail.get_body(preferencelist=("html",))
        assert isinstance(html_part, EmailMessage)  # the part added just above
        html_part.add_related(
            png, maintype="image", subtype="png", cid=f"<{chart_cid}>", filename="chart.png"
        )
    return mail


def _said(code: int, text: bytes | str) -> str:
    """A server's answer as one line: '550 5.1.1 No such user'."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return f"{code} {_one_line(text)}".strip()


def _smtp_failure(error: Exception, host: str, target: str, timeout: float) -> Outcome:
    """What an SMTP error means, in words, with the server's code as the status."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()), (0, b""))
        return Outcome(
            delivered=False,
            status=code or None,
            error=f"{host} refused the recipient {target}: {_said(code, text)}",
        )
    if isinstance(error, smtplib.SMTPSenderRefused):
        return Outcome(
            delivered=False,
            status=error.smtp_code,
            error=f"{host} refused the sender {error.sender!s}: "
            f"{_said(error.smtp_code, error.smtp_error)}",
        )
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return Outcome(
            delivered=False,
            status=error.smtp_code,
            error=f"{host} did not accept the user name and password: "
            f"{_said(error.smtp_code, error.smtp_error)}",
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return Outcome(
            delivered=False,
            status=error.smtp_code,
            error=f"{host} answered {_said(error.smtp_code, error.smtp_error)}",
        )
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return Outcome(delivered=False, error=f"{host} does not support it: {error}")
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return Outcome(delivered=False, error=f"{host} closed the connection ({error})")
    return Outcome(delivered=False, error=describe_failure(error, host, timeout))


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The system's trusted certificates, loaded once per process (about 50 ms each)."""
    return ssl.create_default_context()


def send_email(notice: Notice, target: str, settings: NotifySettings) -> Outcome:
    """Hand a notice's e-mail to the configured mail server for `target`."""
    started = time.monotonic()
    host = settings.smtp_host
    if not host:
        return timed(Outcome(delivered=False, error=_NOT_CONFIGURED), started)
    named = f"{host}:{settings.smtp_port}"
    mail = message(notice, target, settings, datetime.now(UTC))
    context = _tls_context() if settings.smtp_security is not SmtpSecurity.NONE else None
    try:
        server: smtplib.SMTP
        if settings.smtp_security is SmtpSecurity.TLS:
            server = smtplib.SMTP_SSL(
                host, settings.smtp_port, timeout=settings.timeout, context=context
            )
        else:
            server = smtplib.SMTP(host, settings.smtp_port, timeout=settings.timeout)
        with server:
            if settings.smtp_security is SmtpSecurity.STARTTLS:
                server.starttls(context=context)
            if settings.smtp_user:
                server.login(settings.smtp_user, settings.smtp_password or "")
            refused = server.send_message(
                mail, from_addr=parseaddr(settings.mail_from)[1], to_addrs=[target]
            )
    except (smtplib.SMTPException, OSError) as error:
        return timed(_smtp_failure(error, named, target, settings.timeout), started)
    if refused:  # only with several recipients; kept for the day there are
        code, text = next(iter(refused.values()))
        return timed(
            Outcome(
                delivered=False,
                status=code,
                error=f"{named} refused the recipient {target}: {_said(code, text)}",
            ),
            started,
        )
    return timed(Outcome(delivered=True, status=250), started)
