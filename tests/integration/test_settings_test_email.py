"""The settings page's test email, on real SMTP servers: delivered, refused plainly, and never slower than allowed."""

from __future__ import annotations

import time

import pytest

from rehab.config import Settings, SettingsError
from rehab.mail import TemporaryMailError
from rehab.services.email import send_test_email_in_time
from tests.support.servers import closed_port, dawdling_server, smtp_server  # noqa: F401 - fixtures


def settings(port: int, timeout: float = 2.0, **changes) -> Settings:
    values = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": "none",
              "mail_from": "Knee Clinic <desk@example.org>", "smtp_timeout": timeout}
    return Settings(**{**values, **changes})


def test_the_test_email_reaches_the_server(smtp_server):  # noqa: F811
    send_test_email_in_time(settings(smtp_server.port), "zoe@example.org")
    (received,) = smtp_server.inbox.received
    assert received.rcpt_tos == ["zoe@example.org"]
    assert "test email" in received.message["Subject"].lower()


def test_a_refused_connection_is_a_plain_temporary_error(closed_port):  # noqa: F811
    with pytest.raises(TemporaryMailError) as caught:
        send_test_email_in_time(settings(closed_port), "zoe@example.org")
    assert "password" not in str(caught.value).lower()


def test_missing_settings_name_the_variable(smtp_server):  # noqa: F811
    with pytest.raises(SettingsError, match="REHAB_MAIL_FROM"):
        send_test_email_in_time(settings(smtp_server.port, mail_from=None), "zoe@example.org")


def test_a_server_that_keeps_the_client_waiting_is_given_up_on_after_the_timeout(dawdling_server):  # noqa: F811
    started = time.monotonic()
    with pytest.raises(TemporaryMailError, match="did not answer within 1 seconds"):
        send_test_email_in_time(settings(dawdling_server, timeout=1.0), "zoe@example.org", grace_seconds=0.5)
    assert time.monotonic() - started < 2.0
