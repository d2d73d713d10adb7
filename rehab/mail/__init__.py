"""Email: build the handout message (pure), send it over SMTP, and decide when to retry.

The outbox (storage) and the pages call these; nothing here touches the database or Streamlit.
"""

from ..domain.email_template import (
    DEFAULT_BODY_TEMPLATE,
    DEFAULT_SUBJECT_TEMPLATE,
    LOCKED_PDF_NOTE,
    PLACEHOLDERS,
    placeholders_in,
)
from .diagnostics import send_test_email
from .errors import (
    InvalidEmail,
    MailDeliveryError,
    MailError,
    PermanentMailError,
    TemporaryMailError,
    UncertainMailError,
)
from .message import (
    DEFAULT_FILENAME,
    MAX_ATTACHMENT_BYTES,
    build_handout_email,
    build_reminder_email,
    build_test_email,
)
from .retry import MAX_ATTEMPTS, RETRY_DELAYS_SECONDS, RetryDecision, after_failure, next_attempt_delay
from .smtp import SmtpMailer

__all__ = [
    "DEFAULT_BODY_TEMPLATE",
    "DEFAULT_FILENAME",
    "DEFAULT_SUBJECT_TEMPLATE",
    "InvalidEmail",
    "LOCKED_PDF_NOTE",
    "MAX_ATTACHMENT_BYTES",
    "MAX_ATTEMPTS",
    "MailDeliveryError",
    "MailError",
    "PLACEHOLDERS",
    "PermanentMailError",
    "RETRY_DELAYS_SECONDS",
    "RetryDecision",
    "SmtpMailer",
    "TemporaryMailError",
    "UncertainMailError",
    "after_failure",
    "build_handout_email",
    "build_reminder_email",
    "build_test_email",
    "next_attempt_delay",
    "placeholders_in",
    "send_test_email",
]
