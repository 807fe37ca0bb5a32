"""Where notifications go out from: the server's public address their links start with,
the mail server e-mails are handed to, the sender, and how long a receiver may take.

Read once from the environment (`NotifySettings.from_env`) by whoever wires the
delivery in; a wrong `OKRKIT_SMTP_URL` is an `InvalidInput` naming the variable at that
moment, never a surprise at the first alert. An unset one means e-mail is not
configured: an e-mail delivery then fails with an outcome that says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from urllib.parse import unquote, urlsplit

from okrkit.domain.errors import InvalidInput

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_MAIL_FROM", "NotifySettings", "SmtpSecurity"]

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
DEFAULT_MAIL_FROM = "okrkit@localhost"


class SmtpSecurity(StrEnum):
    """How the connection to the mail server is protected: not at all (`smtp://`, a
    relay on the same machine or network), upgraded with STARTTLS (`smtp+starttls://`,
    the submission port 587), or TLS from the first byte (`smtps://`, port 465)."""

    NONE = "none"
    STARTTLS = "starttls"
    TLS = "tls"


# Each scheme of OKRKIT_SMTP_URL: its protection and the port it implies.
_SCHEMES = {
    "smtp": (SmtpSecurity.NONE, 25),
    "smtp+starttls": (SmtpSecurity.STARTTLS, 587),
    "smtps": (SmtpSecurity.TLS, 465),
}


@dataclass(frozen=True)
class NotifySettings:
    """What every channel needs besides the notice and its target.

    `base_url` is the okrkit server's public address: a notice's links are paths
    (`/alerts/12`) and go out as `base_url` + path. `smtp_host` None means e-mail is not
    configured. `timeout` bounds each step of talking to a receiver (connecting, sending,
    waiting for its answer), in seconds. The password is kept out of `repr`, so settings
    can be logged.
    """

    base_url: str = DEFAULT_BASE_URL
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_security: SmtpSecurity = SmtpSecurity.NONE
    mail_from: str = DEFAULT_MAIL_FROM
    timeout: float = 10.0

    def __post_init__(self) -> None:
        # One form of the address, so joining it with a path never doubles the slash.
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))

    @property
    def email_configured(self) -> bool:
        """Whether e-mails can be sent: a mail server is set."""
        return bool(self.smtp_host)

    def absolute(self, link: str) -> str:
        """A notice's link as a receiver opens it: a path joined to the public address;
        a link that already is an absolute http(s) address stays as it is."""
        if link.startswith(("http://", "https://")):
            return link
        return self.base_url + ("" if link.startswith("/") else "/") + link

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> NotifySettings:
        """Settings from `OKRKIT_BASE_URL`, `OKRKIT_SMTP_URL` (`smtp://user:pass@host:port`,
        `smtp+starttls://…`, `smtps://…`; user and password percent-encoded as in any
        URL) and `OKRKIT_MAIL_FROM`; anything unset keeps its default."""
        base_url = environ.get("OKRKIT_BASE_URL", "").strip() or DEFAULT_BASE_URL
        if not base_url.startswith(("http://", "https://")) or urlsplit(base_url).hostname is None:
            raise InvalidInput(
                f"{base_url!r} is not a web address: give the server's public http:// or "
                "https:// address",
                field="OKRKIT_BASE_URL",
            )
        mail_from = environ.get("OKRKIT_MAIL_FROM", "").strip() or DEFAULT_MAIL_FROM
        if "\n" in mail_from or "\r" in mail_from or "@" not in mail_from:
            raise InvalidInput(f"{mail_from!r} is not an e-mail address", field="OKRKIT_MAIL_FROM")
        settings = cls(base_url=base_url, mail_from=mail_from)
        smtp_url = environ.get("OKRKIT_SMTP_URL", "").strip()
        return _with_smtp(settings, smtp_url) if smtp_url else settings


def _with_smtp(settings: NotifySettings, url: str) -> NotifySettings:
    """The settings with the mail server of OKRKIT_SMTP_URL. Its errors never quote the
    URL: it holds the password."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        raise InvalidInput(
            f"the scheme {parts.scheme + '://' if parts.scheme else '(none)'} is not one of "
            "smtp://, smtp+starttls://, smtps:// (as in smtp://user:password@host:587)",
            field="OKRKIT_SMTP_URL",
        )
    security, default_port = _SCHEMES[scheme]
    try:
        port = parts.port or default_port
    except ValueError as error:  # a port that is not a number, or beyond 65535
        raise InvalidInput(f"the port is wrong: {error}", field="OKRKIT_SMTP_URL") from error
    if not parts.hostname:
        raise InvalidInput("the mail server's host is missing", field="OKRKIT_SMTP_URL")
    return replace(
        settings,
        smtp_host=parts.hostname,
        smtp_port=port,
        smtp_user=unquote(parts.username) if parts.username else None,
        smtp_password=unquote(parts.password) if parts.password is not None else None,
        smtp_security=security,
    )
