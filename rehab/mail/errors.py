"""Errors from building and sending email: defined in rehab/errors.py with the rest of the tree."""

from ..errors import (  # noqa: F401
    InvalidEmail,
    MailDeliveryError,
    MailError,
    PermanentMailError,
    TemporaryMailError,
    UncertainMailError,
)
