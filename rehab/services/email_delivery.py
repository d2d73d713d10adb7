"""The app's "Email to patient" and Retry: queue in the outbox first, then try once, never waiting on the mail
server longer than REHAB_SMTP_TIMEOUT.

The mailer's timeout bounds the connection and each reply, not the whole conversation (nor the host name
lookup), so the try runs in a daemon thread and the caller waits at most ``settings.smtp_timeout``. A try still
running then finishes in the background and records its result in the outbox; the message meanwhile shows as
"sending", and if the process dies the worker takes the claim over later (rehab.services.outbox_worker). The email
itself is already stored, so nothing is lost either way.
"""

from __future__ import annotations

import logging
import threading

from ..config import Settings, SettingsError
from ..domain.records import OutboxMessage
from ..email_words import EMAIL_OFF, NO_SENDER
from ..handout.encrypt import MAX_PASSWORD_CHARS
from ..mail import InvalidEmail, SmtpMailer
from ..storage.repository import Repository
from . import outbox

log = logging.getLogger(__name__)


def setup_problem(settings: Settings) -> str | None:
    """Why email cannot be sent with these settings, in plain words; None when it can be tried."""
    if not settings.smtp_host:
        return EMAIL_OFF
    if not settings.mail_from:
        return NO_SENDER
    try:
        SmtpMailer.from_settings(settings)
    except SettingsError as exc:
        return f"The email settings need fixing: {exc}. Clinic settings shows what is set now."
    return None


def check_password(password: str | None) -> str | None:
    """The PDF password to use: None for none (an empty field); InvalidEmail when the PDF cannot take it."""
    if not password:
        return None
    if len(password.encode("utf-8")) > MAX_PASSWORD_CHARS:
        raise InvalidEmail(
            f"password: too long; use at most {MAX_PASSWORD_CHARS} characters (fewer with accented letters)"
        )
    return password


def send_in_time(
    message_id: int, *, repo: Repository, settings: Settings, mailer: SmtpMailer | None = None
) -> OutboxMessage:
    """Try this message once, now; return it as it is after the try, or after ``settings.smtp_timeout`` seconds
    (then still "sending": the try goes on in the background)."""
    mailer = mailer or SmtpMailer.from_settings(settings)

    def send() -> None:
        try:
            outbox.send_now(message_id, repo=repo, mailer=mailer)
        except Exception:  # a database fault; the stored message stays, and the caller reads its state below
            log.exception("could not try outbox message %s", message_id)  # an id only, never an address

    thread = threading.Thread(target=send, name=f"outbox-send-{message_id}", daemon=True)
    thread.start()
    thread.join(settings.smtp_timeout)
    return outbox.get_message(message_id, repo=repo)


def email_handout(
    program_id: int,
    version: int,
    *,
    repo: Repository,
    settings: Settings,
    actor: str,
    to: str | None = None,
    password: str | None = None,
    mailer: SmtpMailer | None = None,
) -> OutboxMessage:
    """Queue the handout email for that version (rehab.services.outbox.queue_handout_email), then try it once in time.

    Raises what queueing raises (EmailBlocked, InvalidEmail, SettingsError, NotFound), before anything is stored.
    """
    problem = setup_problem(settings)
    if problem:
        raise SettingsError(problem)
    message_id = outbox.queue_handout_email(
        program_id, version, repo=repo, actor=actor, settings=settings, to=to, password=check_password(password)
    )
    return send_in_time(message_id, repo=repo, settings=settings, mailer=mailer)


def retry_now(
    message_id: int, *, repo: Repository, settings: Settings, actor: str, mailer: SmtpMailer | None = None
) -> OutboxMessage:
    """The Retry button: queue the message again with a fresh schedule (audited), then try it once in time."""
    problem = setup_problem(settings)
    if problem:
        raise SettingsError(problem)
    outbox.retry_message(message_id, repo=repo, actor=actor)
    return send_in_time(message_id, repo=repo, settings=settings, mailer=mailer)


__all__ = ["check_password", "email_handout", "retry_now", "send_in_time", "setup_problem"]
