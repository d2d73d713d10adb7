"""The settings page's "Send test email": proves the configured server takes mail, before any patient email."""

from __future__ import annotations

import ssl

from ..config import Settings, SettingsError
from .message import build_test_email
from .smtp import SmtpMailer


def send_test_email(settings: Settings, to: str, *, ssl_context: ssl.SSLContext | None = None) -> None:
    """Send a short test message to ``to`` with the configured server, or raise.

    SettingsError names the variable to fix; InvalidEmail a bad address; TemporaryMailError and
    PermanentMailError say what the server did. Nothing is queued: this is a direct check.
    """
    if not settings.mail_from:
        raise SettingsError("REHAB_MAIL_FROM: empty; set the sender address, e.g. Clinic <desk@example.org>")
    mailer = SmtpMailer.from_settings(settings, ssl_context=ssl_context)
    msg = build_test_email(
        to=to, mail_from=settings.mail_from, reply_to=settings.mail_reply_to, server=mailer.describe()
    )
    mailer.send(msg)
