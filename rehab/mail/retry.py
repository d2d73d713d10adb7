"""When to try a queued email again (pure; the outbox worker does the waiting).

After a temporary failure (TemporaryMailError) the message stays queued and the next try waits:

    after try 1: 1 minute    after try 2: 5 minutes    after try 3: 15 minutes
    after try 4: 1 hour      after try 5: 4 hours      after try 6: give up

So a message is tried 6 times over about 5 hours 21 minutes, then marked failed with
"gave up after 6 attempts: <last reason>". A permanent failure (PermanentMailError) is marked failed at once,
with the server's reason. When the server was handed the whole message but never answered (UncertainMailError),
the message is marked unknown and never tried again by itself: it may have arrived. A clinician can always press
"Retry", which starts a fresh schedule.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.records import MAX_ATTEMPTS, RETRY_DELAYS_SECONDS, OutboxStatus
from .errors import MailDeliveryError, PermanentMailError, UncertainMailError


def next_attempt_delay(attempts: int) -> int | None:
    """Seconds to wait after ``attempts`` failed tries (1 = the first try failed); None means give up."""
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts}")
    if attempts >= MAX_ATTEMPTS:
        return None
    return RETRY_DELAYS_SECONDS[attempts - 1]


def gave_up_reason(attempts: int, last_reason: str) -> str:
    return f"gave up after {attempts} attempts: {last_reason}"


@dataclass(frozen=True)
class RetryDecision:
    """What the outbox does with a message after a failed try."""

    status: OutboxStatus  # QUEUED (with a delay), FAILED or UNKNOWN
    delay_seconds: int | None  # None when failed or unknown
    reason: str


def after_failure(attempts: int, error: MailDeliveryError) -> RetryDecision:
    """Queue again with a delay, or fail: at once for a permanent error, after MAX_ATTEMPTS for a temporary one;
    unknown, never to be tried again by itself, when the server may have the message."""
    if isinstance(error, UncertainMailError):
        return RetryDecision(OutboxStatus.UNKNOWN, None, error.reason)
    if isinstance(error, PermanentMailError):
        return RetryDecision(OutboxStatus.FAILED, None, error.reason)
    delay = next_attempt_delay(attempts)
    if delay is None:
        return RetryDecision(OutboxStatus.FAILED, None, gave_up_reason(attempts, error.reason))
    return RetryDecision(OutboxStatus.QUEUED, delay, error.reason)
