"""Notification settings from the environment: the public address links start with,
the mail server from one URL, the sender; a wrong value named by its variable, and the
password never shown."""

from __future__ import annotations

import pytest

from okrkit.adapters.notify import NotifySettings, SmtpSecurity
from okrkit.domain.errors import InvalidInput


def test_nothing_set_means_the_defaults_and_no_email():
    settings = NotifySettings.from_env({})

    assert settings.base_url == "http://127.0.0.1:8000"
    assert settings.mail_from == "okrkit@localhost"
    assert settings.timeout == 10
    assert not settings.email_configured


@pytest.mark.parametrize(
    ("url", "security", "port"),
    [
        ("smtp://mail.example.com", SmtpSecurity.NONE, 25),
        ("smtp+starttls://mail.example.com", SmtpSecurity.STARTTLS, 587),
        ("smtps://mail.example.com", SmtpSecurity.TLS, 465),
        ("SMTPS://mail.example.com:2465", SmtpSecurity.TLS, 2465),
    ],
)
def test_the_smtp_url_gives_the_server_and_its_protection(url, security, port):
    settings = NotifySettings.from_env({"OKRKIT_SMTP_URL": url})

    assert settings.email_configured
    assert settings.smtp_host == "mail.example.com"
    assert settings.smtp_port == port
    assert settings.smtp_security is security
    assert settings.smtp_user is None
    assert settings.smtp_password is None


def test_user_and_password_are_percent_decoded_and_the_password_never_shown():
    settings = NotifySettings.from_env(
        {"OKRKIT_SMTP_URL": "smtp+starttls://alerts%40example.com:p%40ss%3Aw0rd@mail.example.com"}
    )

    assert settings.smtp_user == "alerts@example.com"
    assert settings.smtp_password == "p@ss:w0rd"
    assert "p@ss" not in repr(settings)


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://user:hunter2@mail.example.com", "is not one of smtp://"),
        ("smtp://user:hunter2@mail.example.com:notaport", "the port is wrong"),
        ("smtp://user:hunter2@:25", "host is missing"),
    ],
)
def test_a_wrong_smtp_url_is_named_by_its_variable(url, said):
    with pytest.raises(InvalidInput) as raised:
        NotifySettings.from_env({"OKRKIT_SMTP_URL": url})

    assert raised.value.field == "OKRKIT_SMTP_URL"
    assert said in str(raised.value)
    assert "hunter2" not in str(raised.value)


def test_links_are_joined_to_the_public_address():
    settings = NotifySettings.from_env({"OKRKIT_BASE_URL": "https://okr.example.com/app/"})

    assert settings.base_url == "https://okr.example.com/app"
    assert settings.absolute("/alerts/12") == "https://okr.example.com/app/alerts/12"
    assert settings.absolute("alerts/12") == "https://okr.example.com/app/alerts/12"
    assert settings.absolute("https://elsewhere.example.com/x") == "https://elsewhere.example.com/x"


@pytest.mark.parametrize(
    ("variable", "value"),
    [("OKRKIT_BASE_URL", "okr.example.com"), ("OKRKIT_MAIL_FROM", "nobody")],
)
def test_a_wrong_address_is_named_by_its_variable(variable, value):
    with pytest.raises(InvalidInput) as raised:
        NotifySettings.from_env({variable: value})

    assert raised.value.field == variable
