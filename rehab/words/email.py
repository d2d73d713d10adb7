"""Plain words for emailing a handout: who it goes to, why sending is blocked, and what happened to an email.

Pure functions over the outbox's records, so the pages only show text. Every sentence here may quote a patient's
address or a mail server's reply, so callers escape the whole text before showing it as markdown.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from ..domain import Program
from ..domain.records import HANDED_OVER, MAX_ATTEMPTS, OutboxMessage, OutboxStatus, PatientRecord

Tone = Literal["success", "waiting", "error"]

STATUS_LABELS = {
    OutboxStatus.QUEUED: "Waiting to be sent",
    OutboxStatus.SENDING: "Sending now",
    OutboxStatus.SENT: "Sent",
    OutboxStatus.FAILED: "Not sent",
    OutboxStatus.UNKNOWN: "Unknown: check first",
}
# "sending" belongs to a worker; "sent" is done; "unknown" may have arrived, so only a person retries it.
RETRYABLE = frozenset({OutboxStatus.QUEUED, OutboxStatus.FAILED, OutboxStatus.UNKNOWN})
UNKNOWN_ADVICE = (
    "It may have arrived, so it is not sent again by itself. Ask the patient whether they got it. Press Retry only "
    "if they did not; otherwise they get it twice."
)

HOW_TO_RECORD_CONSENT = (
    "To record their consent, go to the Patients page and choose the patient. On the Details tab, open Edit "
    "details. Tick “The patient agrees to get handouts by email”, then press Save details."
)
NO_ADDRESS = (
    "There is no email address for this patient. Add it on the Patients page: choose the patient, open Edit "
    "details on the Details tab, type the email and press Save details."
)
EMAIL_OFF = (
    "Email is not set up, so handouts cannot be emailed yet. Your administrator sets up the mail server; "
    "Clinic settings shows what is needed. You can still download and print the handout."
)
NO_SENDER = (
    "Email is not fully set up: the sender address (REHAB_MAIL_FROM) is missing. Clinic settings shows what is "
    "needed. You can still download and print the handout."
)
LOCKED_PDF_ADVICE = (
    "Give the password to the patient another way, in person or by phone. It is never put in the email; the email "
    "only says that the PDF is locked."
)

# Field names at the start of a rehab.mail / rehab.services.email error, in words a clinician knows.
_FIELDS = {
    "to": "The patient's email address",
    "mail_from": "The sender address in the email settings",
    "reply_to": "The reply address in the email settings",
    "clinic_name": "The clinic name (Clinic settings)",
    "subject template": "The email subject (Clinic settings)",
    "body template": "The email text (Clinic settings)",
    "attachment": "The handout PDF",
    "filename": "The PDF file name",
    "password": "The PDF password",
}


@dataclass(frozen=True)
class Words:
    """One message for the page: ``tone`` picks success (green), waiting (amber) or error (red)."""

    tone: Tone
    text: str


def recipient_for(program: Program, patient: PatientRecord) -> str | None:
    """Where the email goes: the patient record's address (kept up to date on Patients), else the version's."""
    return patient.email or program.patient.email or None


def consent_problems(*, record_consent: bool, version_consent: bool, version: int) -> list[str]:
    """Why this version may not be emailed, and what to do, one sentence group per line; [] when it may.

    Both must say yes: the patient record (the clinic's current word) and the version's document (what the email
    carries), as rehab.services.email checks before queueing.
    """
    if not record_consent:
        lines = [
            "Sending is blocked: the patient has not agreed to get handouts by email. We only email patients who "
            "agree.",
            HOW_TO_RECORD_CONSENT,
        ]
        if not version_consent:
            lines.append(
                f"Then save the program again: version {version} was saved without their consent, so the email "
                "needs a new version."
            )
        return lines
    if not version_consent:
        return [
            f"Sending is blocked: version {version} was saved before the patient agreed to get email, so it does "
            "not record their consent. Save the program again to make a new version with the consent, then email "
            "that one."
        ]
    return []


def clock(moment: dt.datetime, *, now: dt.datetime | None = None, tz: dt.tzinfo | None = None) -> str:
    """'14:05 today', '09:00 tomorrow' or '14:05 on 2026-01-05', in ``tz`` (default: the server's time zone)."""
    local = moment.astimezone(tz)
    today = (now or dt.datetime.now(dt.UTC)).astimezone(tz).date()
    if local.date() == today:
        return f"{local:%H:%M} today"
    if local.date() == today + dt.timedelta(days=1):
        return f"{local:%H:%M} tomorrow"
    return f"{local:%H:%M} on {local:%Y-%m-%d}"


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def plain_reason(reason: str | None) -> str:
    """A stored error as a sentence: 'gave up after 6 attempts: x' reads 'Gave up after 6 tries. The last …'."""
    if not reason or not reason.strip():
        return ""
    gave_up = re.fullmatch(r"gave up after (\d+) attempts: (.*)", reason.strip(), flags=re.DOTALL)
    if gave_up:
        return f"Gave up after {gave_up[1]} tries. The last problem: {_sentence(gave_up[2])}"
    return _sentence(reason)


def plain_problem(problem: str) -> str:
    """'to: not a valid email address: …' → "The patient's email address: not a valid email address: …"."""
    field, sep, rest = problem.partition(": ")
    if sep and field in _FIELDS:
        return _sentence(f"{_FIELDS[field]}: {rest}")
    if sep and field.startswith("REHAB_"):
        return _sentence(f"The email settings need fixing ({field}): {rest}")
    return _sentence(problem)


def can_retry(message: OutboxMessage) -> bool:
    return message.status in RETRYABLE


def describe(message: OutboxMessage, *, now: dt.datetime | None = None, tz: dt.tzinfo | None = None) -> Words:
    """What happened to an email, in one or two sentences."""

    def at(moment: dt.datetime | None) -> str:
        return clock(moment, now=now, tz=tz) if moment else "an unknown time"

    to = message.recipient
    if message.status is OutboxStatus.SENT:
        return Words("success", f"Sent to {to} at {at(message.sent_at)}.")
    if message.status is OutboxStatus.SENDING:
        return Words("waiting", f"Being sent to {to} now (started at {at(message.claimed_at)}).")
    if message.status is OutboxStatus.UNKNOWN:
        return Words("waiting", f"Handed to the mail server for {to} at {at(message.claimed_at)}, but the server has "
                                f"not confirmed it. {UNKNOWN_ADVICE}")
    if message.status is OutboxStatus.FAILED:
        reason = plain_reason(message.last_error) or "The mail server refused it."
        return Words("error", f"Not sent to {to}. {reason} Check the address and the email settings, then press "
                              "Retry.")
    if message.attempts == 0:
        return Words("waiting", f"Waiting to be sent to {to}. It will be sent automatically at "
                                f"{at(message.next_attempt_at)}.")
    parts = [
        f"Not sent yet to {to}.",
        plain_reason(message.last_error),
        f"It will be tried again automatically at {at(message.next_attempt_at)} "
        f"(try {message.attempts + 1} of {MAX_ATTEMPTS}).",
    ]
    return Words("waiting", " ".join(part for part in parts if part))


def send_result(
    message: OutboxMessage,
    *,
    waited_seconds: float,
    now: dt.datetime | None = None,
    tz: dt.tzinfo | None = None,
) -> Words:
    """What to say right after "Email to patient" (or Retry) tried the email once, waiting ``waited_seconds``."""
    if message.status is OutboxStatus.UNKNOWN and message.claimed_at is not None and message.last_error == HANDED_OVER:
        return Words(
            "waiting",
            f"The email to {message.recipient} is with the mail server, which has not confirmed it yet (it may take "
            "up to 10 minutes). The Emails tab on the Patients page shows how it went. Do not send it again "
            "meanwhile.",
        )
    if message.status is OutboxStatus.SENDING:
        return Words(
            "waiting",
            f"The mail server did not finish within {waited_seconds:g} seconds. The email to {message.recipient} "
            "is kept in the outbox: if this try fails, it will be tried again automatically. The Emails tab on the "
            "Patients page shows how it went.",
        )
    return describe(message, now=now, tz=tz)


__all__ = [
    "EMAIL_OFF",
    "HOW_TO_RECORD_CONSENT",
    "NO_ADDRESS",
    "NO_SENDER",
    "LOCKED_PDF_ADVICE",
    "RETRYABLE",
    "STATUS_LABELS",
    "UNKNOWN_ADVICE",
    "Words",
    "can_retry",
    "clock",
    "consent_problems",
    "describe",
    "plain_problem",
    "plain_reason",
    "recipient_for",
    "send_result",
]
