"""Email use cases: queue a handout email for one stored program version, send it, retry, list the outbox; and
the app's "Email to patient" and Retry, which never wait on the mail server longer than REHAB_SMTP_TIMEOUT.

Every email is written to the outbox before any sending, so nothing is lost when the mail server is down:

- ``queue_handout_email`` renders the PDF for that version with the stored clinic profile, builds the whole
  message (rehab.mail) and stores it, PDF included, as ``raw_message``. Every try sends those same bytes, so the
  attachment is what was queued even if the program, the clinic profile or the mail settings change later.
- Sending needs consent twice: ``patient.email_consent`` in that version's document and on the patient record.
  Without it nothing is queued: ``EmailBlocked`` says why, and the audit log gets ``email.blocked``.
- ``send_due`` (the worker) and ``send_now`` (the app, right after queueing) claim a message atomically,
  try it once, and record the result: sent; queued again on the schedule in rehab.mail.retry; or failed.
- The audit log gets one entry per step (ids only): email.queue, email.sent / email.deferred / email.failed per
  try, email.retry when a clinician presses Retry.
- ``email_handout`` and ``retry_now`` (the app's buttons) queue first, then try once in a daemon thread: the
  mailer's timeout bounds the connection and each reply, not the whole conversation (nor the host name lookup),
  so the caller waits at most ``settings.smtp_timeout``. A try still running then finishes in the background and
  records its result; the message meanwhile shows as "sending", and if the process dies the worker takes the
  claim over later (rehab.services.email_worker). The email itself is already stored, so nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from email.message import EmailMessage

from .. import services
from ..config import Settings, SettingsError
from ..domain import Program
from ..domain.clinic import Clinic, default_clinic
from ..domain.records import AuditAction, OutboxMessage, OutboxStatus, PatientRecord
from ..errors import InvalidRecord, RehabError
from ..handout.encrypt import MAX_PASSWORD_CHARS
from ..mail import InvalidEmail, SmtpMailer, TemporaryMailError, build_handout_email, send_test_email
from ..storage.repository import Repository
from ..words import speaking
from ..words.choice import handout_language
from ..words.email import EMAIL_OFF, NO_SENDER
from .email_worker import (
    STALE_CLAIM_SECONDS,
    SendSummary,
    audit_ids,
    default_worker_id,
    parse_email,
    send_due,
    send_now,
)

log = logging.getLogger(__name__)

__all__ = [
    "STALE_CLAIM_SECONDS",
    "EmailBlocked",
    "OutboxError",
    "OutboxMessage",
    "SendSummary",
    "check_password",
    "consent_problems",
    "default_worker_id",
    "email_handout",
    "get_message",
    "list_outbox",
    "mailer",
    "queue_handout_email",
    "render_version",
    "retry_message",
    "retry_now",
    "send_due",
    "send_in_time",
    "send_now",
    "send_test_email_in_time",
    "setup_problem",
    "stored_email",
]


class EmailBlocked(RehabError):
    """Sending is not allowed (no consent to email); ``problems`` says why, one line each. Nothing was queued."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("email blocked: " + " ".join(self.problems))


class OutboxError(RehabError):
    """The outbox message is in a state that does not allow this (e.g. Retry on a sent message)."""


def mailer(settings: Settings) -> SmtpMailer:
    """The mail server connection the settings describe (REHAB_SMTP_*); SettingsError when email is off or the
    settings are wrong, so a command stops before it stores anything."""
    return SmtpMailer.from_settings(settings)


def consent_problems(program: Program, patient: PatientRecord, where: str) -> list[str]:
    """Why this patient may not be emailed, or [] when both the document and the record say yes."""
    problems = []
    if not program.patient.email_consent:
        problems.append(
            f"{where}: patient.email_consent is not true; the patient has not agreed to get email. "
            "Once they agree, set it to true and save the program."
        )
    if not patient.email_consent:
        problems.append(
            f"patient {patient.id}: the patient record has no consent to email; record their consent first."
        )
    return problems


def _actor(actor: str) -> str:
    actor = (actor or "").strip()
    if not 1 <= len(actor) <= 254:
        raise InvalidRecord(["actor: give the clinician's email or name (1-254 characters)"])
    return actor


def render_version(
    program_id: int,
    version: int | None = None,
    *,
    repo: Repository,
    clinic: Clinic | None = None,
    password: str | None = None,
) -> bytes:
    """The handout PDF of a stored version (default: the newest), as the outbox attaches it.

    Without a password the bytes are the same every time for the same version and clinic profile (encryption
    salts are random). "Prepared" on the handout is the date the version was saved. ``clinic`` defaults to the
    stored profile, else the neutral one.
    """
    info, program, library, photos = services.programs.version_handout(program_id, version, repo=repo)
    clinic = clinic or services.clinic.get_clinic(repo=repo) or default_clinic()
    return _render(program, info.created_at, library, clinic, password, photos)


def _render(program: Program, saved: dt.datetime, library, clinic: Clinic, password: str | None,
            photos: dict[str, bytes]) -> bytes:
    from ..handout import render_handout  # reportlab loads only when a PDF is made

    return render_handout(program, clinic, password=password, invariant=True, prepared=saved.date(), library=library,
                          photos=photos)


def queue_handout_email(
    program_id: int,
    version: int,
    *,
    repo: Repository,
    actor: str,
    settings: Settings,
    to: str | None = None,
    password: str | None = None,
    password_protected: bool = False,
    clinic: Clinic | None = None,
    subject_template: str | None = None,
    body_template: str | None = None,
) -> int:
    """Store the handout email for that program version as a queued outbox message; returns its id.

    ``to`` defaults to the email in the version's document, else the patient record's. ``password`` locks the
    PDF (AES-256) and adds the note that the password comes another way; it is never stored or emailed.
    ``password_protected=True`` without a password is refused: the email would promise a lock that is not there.
    ``clinic`` defaults to the stored profile; the templates default to the clinic's, else rehab.mail's.
    Raises EmailBlocked (no consent), InvalidEmail (bad address, template, attachment), SettingsError (email not
    set up), NotFound; in every case nothing is queued.
    """
    actor = _actor(actor)
    if password_protected and not password:
        raise InvalidEmail("password: the email would say the PDF is locked, but no password was given")
    if not settings.smtp_host:
        raise SettingsError("REHAB_SMTP_HOST: empty, so email is off; set it to the mail server's host name")
    if not settings.mail_from:
        raise SettingsError("REHAB_MAIL_FROM: empty; set the sender address, e.g. Clinic <desk@example.org>")
    info, program, library, photos = services.programs.version_handout(program_id, version, repo=repo)
    with repo.transaction() as tx:
        patient = tx.get_patient(tx.get_program(program_id).patient_id)
    ids = {"patient_id": patient.id, "program_id": program_id, "version": info.version}
    problems = consent_problems(program, patient, f"program {program_id} version {info.version}")
    if problems:
        with repo.transaction(write=True) as tx:
            tx.audit(actor, AuditAction.EMAIL_BLOCKED, **ids)
        raise EmailBlocked(problems)
    clinic = clinic or services.clinic.get_clinic(repo=repo) or default_clinic()
    recipient = to or program.patient.email or patient.email
    if not recipient:
        raise InvalidEmail("to: the patient has no email address; add it to the patient, or give one")
    with speaking(handout_language(program, clinic)):  # the email in the patient's language, like the PDF
        msg = build_handout_email(
            to=recipient,
            patient_first_name=program.patient.name.split()[0],
            clinician=program.clinician,
            clinic_name=clinic.name,
            clinic_phone=clinic.phone,
            clinic_email=clinic.email,
            mail_from=settings.mail_from,
            reply_to=settings.mail_reply_to,
            subject_template=subject_template or clinic.email_subject_template or None,
            body_template=body_template or clinic.email_body_template or None,
            pdf_bytes=_render(program, info.created_at, library, clinic, password, photos),
            password_protected=password is not None,
        )
    with repo.transaction(write=True) as tx:
        message_id = tx.add_outbox_message(
            patient_id=patient.id,
            program_id=program_id,
            version=info.version,
            recipient=msg["To"].addresses[0].addr_spec,
            subject=str(msg["Subject"]),
            body=msg.get_body(("plain",)).get_content(),
            raw=msg.as_bytes(),
        )
        tx.audit(actor, AuditAction.EMAIL_QUEUE, **{**ids, "outbox_id": message_id})
    return message_id


# --- the app's outbox page -------------------------------------------------------------------------------------


def retry_message(message_id: int, *, repo: Repository, actor: str) -> OutboxMessage:
    """The Retry button: a failed (or waiting) message is queued again, due now, with a fresh retry schedule."""
    actor = _actor(actor)
    with repo.transaction(write=True) as tx:
        message = tx.get_outbox_message(message_id)
        if not tx.requeue_outbox_message(message_id):
            when = f" on {message.sent_at:%Y-%m-%d %H:%M} UTC" if message.sent_at else ""
            state = f"was sent{when}" if message.status is OutboxStatus.SENT else "is being sent right now"
            raise OutboxError(f"outbox message {message_id} {state}; there is nothing to retry")
        tx.audit(actor, AuditAction.EMAIL_RETRY, **audit_ids(message))
        return tx.get_outbox_message(message_id)


def list_outbox(
    *,
    repo: Repository,
    status: str | None = None,
    patient_id: int | None = None,
    program_id: int | None = None,
    limit: int = 100,
) -> list[OutboxMessage]:
    """Outbox messages, newest first, optionally of one status, patient or program."""
    with repo.transaction() as tx:
        return tx.list_outbox_messages(status=status, patient_id=patient_id, program_id=program_id, limit=limit)


def get_message(message_id: int, *, repo: Repository) -> OutboxMessage:
    with repo.transaction() as tx:
        return tx.get_outbox_message(message_id)


def stored_email(message_id: int, *, repo: Repository) -> EmailMessage | None:
    """The email exactly as queued (headers, text, HTML and PDF), or None for a row stored without one."""
    with repo.transaction() as tx:
        raw = tx.outbox_raw_message(message_id)
    return parse_email(raw) if raw else None


# --- the app's buttons: queue, then one try in time ---------------------------------------------------------

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
            send_now(message_id, repo=repo, mailer=mailer)
        except Exception:  # a database fault; the stored message stays, and the caller reads its state below
            log.exception("could not try outbox message %s", message_id)  # an id only, never an address

    thread = threading.Thread(target=send, name=f"outbox-send-{message_id}", daemon=True)
    thread.start()
    thread.join(settings.smtp_timeout)
    return get_message(message_id, repo=repo)


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
    """Queue the handout email for that version (rehab.services.queue_handout_email), then try it once in time.

    Raises what queueing raises (EmailBlocked, InvalidEmail, SettingsError, NotFound), before anything is stored.
    """
    problem = setup_problem(settings)
    if problem:
        raise SettingsError(problem)
    message_id = queue_handout_email(
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
    retry_message(message_id, repo=repo, actor=actor)
    return send_in_time(message_id, repo=repo, settings=settings, mailer=mailer)


# --- the clinic settings page's test email ----------------------------------------------------------------------------


def send_test_email_in_time(settings: Settings, to: str, *, grace_seconds: float = 2.0) -> None:
    """rehab.mail.send_test_email, but the caller waits at most the SMTP timeout plus ``grace_seconds``.

    The socket timeout bounds each wait for the server, not looking up its name, so a page could otherwise
    stall; the send runs in a daemon thread, and a late one is reported as TemporaryMailError (it may still
    finish in the background).
    """
    outcome: dict[str, BaseException] = {}

    def send() -> None:
        try:
            send_test_email(settings, to)
        except BaseException as exc:  # handed to the caller below
            outcome["error"] = exc

    thread = threading.Thread(target=send, name="test-email", daemon=True)
    thread.start()
    thread.join(settings.smtp_timeout + grace_seconds)
    if thread.is_alive():
        raise TemporaryMailError(f"the mail server did not answer within {settings.smtp_timeout:g} seconds")
    if "error" in outcome:
        raise outcome["error"]
