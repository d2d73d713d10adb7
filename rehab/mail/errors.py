"""Errors from building and sending email. Messages are plain words and never contain a password."""

from __future__ import annotations

from ..errors import RehabError


class MailError(RehabError):
    """Base for every email problem."""


class InvalidEmail(MailError):
    """The message cannot be built: a bad address, template, header value or attachment. The text names the field.

    Nothing was sent; fix the input and try again (retrying unchanged gives the same error).
    """


class MailDeliveryError(MailError):
    """The mail server did not take the message. ``reason`` is the plain text; ``smtp_code`` the reply code, if any."""

    def __init__(self, reason: str, smtp_code: int | None = None):
        self.reason = reason
        self.smtp_code = smtp_code
        super().__init__(reason)


class TemporaryMailError(MailDeliveryError):
    """Worth trying again later: the server was down, slow, refused TLS or the login, or replied 4xx.

    The outbox keeps the message queued and retries it on the schedule in rehab.mail.retry.
    """


class PermanentMailError(MailDeliveryError):
    """The server refused this message for good (a 5xx reply other than a login problem).

    The outbox marks the message failed with ``reason``; sending it again unchanged would be refused again.
    """


class UncertainMailError(MailDeliveryError):
    """The whole message went to the server, but its answer never came: it may have been delivered, or not.

    The outbox marks the message ``unknown`` and never resends it by itself: a person checks (with the patient or
    the mail server's log) and presses Retry only if it did not arrive. Sending again blindly makes copies.
    """
