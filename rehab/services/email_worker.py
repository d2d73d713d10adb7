"""The outbox worker: claim a due message atomically, try it once over SMTP, record what happened.

``send_due`` is the worker behind ``python -m rehab outbox send``; ``send_now`` is what the app calls right
after queueing. Both are safe with any number of workers on one database: a message is claimed by exactly one
(see rehab.storage.outbox_queries). The stored email is sent byte for byte as queued, outside any database
transaction. After a try the message is sent, queued again on the schedule in rehab.mail.retry, or failed
with the reason; each try is in the audit log (email.sent, email.deferred, email.failed) with the worker as actor.

Sending a message twice is what the worker avoids. Just before the server is told to take the message (the final
"." of DATA), the worker records the point of no return: the message becomes ``unknown``. If the server then
answers, the message is sent (or queued or failed, by its answer). If the answer never comes (the mailer waits
the 10 minutes RFC 5321 allows), or the worker dies while waiting, the message stays ``unknown``: the server may
have it, so no worker tries it again; a person checks and presses Retry. A worker that dies before that point
leaves its claim (``sending``); after STALE_CLAIM_SECONDS another worker takes the message over.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
import socket
from dataclasses import dataclass, field
from email.message import EmailMessage

from ..domain.records import AuditAction, OutboxMessage, OutboxStatus
from ..mail import (
    InvalidEmail,
    MailDeliveryError,
    PermanentMailError,
    TemporaryMailError,
    UncertainMailError,
    after_failure,
)
from ..mail.errors import MailError
from ..mail.smtp import SmtpMailer
from ..storage.repository import Repository, utc_now

STALE_CLAIM_SECONDS = 15 * 60  # far longer than any one try: every SMTP step is bounded by REHAB_SMTP_TIMEOUT
_BATCH = 20


@dataclass
class SendSummary:
    """Message ids by what happened to them in one run of the worker."""

    sent: list[int] = field(default_factory=list)
    retry_later: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)  # handed over, no answer: a person decides

    @property
    def tried(self) -> int:
        return len(self.sent) + len(self.retry_later) + len(self.failed) + len(self.unknown)

    def __str__(self) -> str:
        text = f"sent {len(self.sent)}, to retry later {len(self.retry_later)}, failed {len(self.failed)}"
        return text + (f", unknown {len(self.unknown)} (check before retrying)" if self.unknown else "")


def default_worker_id() -> str:
    """Who holds a claim: host and process, never anything about a patient."""
    return f"{socket.gethostname()}:{os.getpid()}"


def send_due(
    *,
    repo: Repository,
    mailer: SmtpMailer,
    worker_id: str,
    now: dt.datetime | None = None,
    limit: int | None = None,
    stale_after_seconds: float = STALE_CLAIM_SECONDS,
) -> SendSummary:
    """Try every message that is due (at most ``limit``), each once; safe to run in many processes at once.

    The worker serves every clinic in the database, whichever clinic ``repo`` is scoped to.

    ``now`` fixes the clock (tests); by default each claim uses the current time.
    """
    summary = SendSummary()
    seen: set[int] = set()
    while limit is None or summary.tried < limit:
        moment = now or utc_now()
        with repo.transaction() as tx:
            candidates = tx.due_outbox_messages(moment, _stale(moment, stale_after_seconds), _BATCH + len(seen))
        candidates = [due for due in candidates if due.message_id not in seen]
        if not candidates:
            break
        for clinic_id, message_id in candidates:
            if limit is not None and summary.tried >= limit:
                break
            seen.add(message_id)
            clinic_repo = Repository(repo.engine, clinic_id)  # the message's own clinic, for its rows and audit
            outcome = _try(message_id, clinic_repo, mailer, worker_id, now, stale_after_seconds, due_only=True)
            if outcome is not None:
                getattr(summary, outcome).append(message_id)
    return summary


def send_now(
    message_id: int, *, repo: Repository, mailer: SmtpMailer, worker_id: str | None = None
) -> OutboxMessage:
    """Try this queued message once, now, even before its next scheduled try; returns it as it is afterwards.

    If another worker is sending it, or it is already sent or failed, nothing is sent. Waits for one SMTP
    conversation at most: each step of it is bounded by the mailer's timeout.
    """
    _try(message_id, repo, mailer, worker_id or default_worker_id(), None, STALE_CLAIM_SECONDS, due_only=False)
    with repo.transaction() as tx:
        return tx.get_outbox_message(message_id)


def _stale(moment: dt.datetime, seconds: float) -> dt.datetime:
    return moment - dt.timedelta(seconds=seconds)


def _try(
    message_id: int,
    repo: Repository,
    mailer: SmtpMailer,
    worker_id: str,
    now: dt.datetime | None,
    stale_after_seconds: float,
    *,
    due_only: bool,
) -> str | None:
    """Claim, send once, record; the outcome name, or None when the message was not ours to send."""
    moment = now or utc_now()
    with repo.transaction(write=True) as tx:
        stale_before = _stale(moment, stale_after_seconds)
        if not tx.claim_outbox_message(message_id, worker_id, moment, stale_before, due_only=due_only):
            return None
        message = tx.get_outbox_message(message_id)
        raw = tx.outbox_raw_message(message_id)
    attempts = message.attempts + 1
    handed_over: list[bool] = []

    def hand_over() -> None:  # just before the final "." of DATA: from here on the server may have the message
        with repo.transaction(write=True) as tx:
            if not tx.hand_over_outbox_message(message_id, worker_id, attempts):
                raise _ClaimLost
        handed_over.append(True)

    try:
        error = _send(mailer, raw, hand_over)  # outside any transaction: the database is not locked while SMTP talks
    except _ClaimLost:  # another worker took a claim this slow try had held too long; it sends the message
        return None
    if handed_over and isinstance(error, TemporaryMailError) and error.smtp_code is None:
        # Any fault without the server's answer after the hand-over leaves the message possibly delivered.
        error = UncertainMailError(f"{error.reason}; this happened after the whole message was handed over, so the "
                                   "mail server may have it")
    finished = now or utc_now()
    ids = audit_ids(message)
    with repo.transaction(write=True) as tx:
        if error is None:
            tx.mark_outbox_sent(message_id, attempts, finished)
            tx.audit(worker_id, AuditAction.EMAIL_SENT, **ids)
            return "sent"  # an outcome of a try (SendSummary's field), not a status
        decision = after_failure(attempts, error)
        next_at = finished + dt.timedelta(seconds=decision.delay_seconds or 0)
        tx.mark_outbox_unsent(
            message_id, worker_id, status=decision.status, attempts=attempts, reason=decision.reason,
            next_at=next_at,
        )
        action, outcome = _OUTCOMES[decision.status]
        tx.audit(worker_id, action, **ids)
        return outcome


_OUTCOMES = {
    OutboxStatus.QUEUED: (AuditAction.EMAIL_DEFERRED, "retry_later"),
    OutboxStatus.FAILED: (AuditAction.EMAIL_FAILED, "failed"),
    OutboxStatus.UNKNOWN: (AuditAction.EMAIL_UNKNOWN, "unknown"),
}


class _ClaimLost(MailError):
    """The worker no longer holds the message's claim, so it must not hand the message to the server."""


def _send(mailer: SmtpMailer, raw: bytes | None, before_final_dot) -> MailDeliveryError | None:
    """None when the server took the message, else the error to record (never raised; _ClaimLost is)."""
    if not raw:
        return PermanentMailError("the stored email is missing; queue the handout email again")
    try:
        mailer.send(parse_email(raw), before_final_dot=before_final_dot)
    except _ClaimLost:
        raise
    except MailDeliveryError as exc:
        return exc
    except InvalidEmail as exc:  # retrying the same bytes gives the same error
        return PermanentMailError(str(exc))
    except Exception as exc:  # recorded with the message and retried later; the worker keeps going
        return TemporaryMailError(f"unexpected error while sending ({type(exc).__name__})")
    return None


def parse_email(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]


def audit_ids(message: OutboxMessage) -> dict:
    return {
        "patient_id": message.patient_id,
        "program_id": message.program_id,
        "version": message.program_version,
        "outbox_id": message.id,
    }
