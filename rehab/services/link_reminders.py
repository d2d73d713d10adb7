"""Reminder emails for patients who asked for them on their link page (issue 16), through the outbox.

``queue_due_reminders`` runs once a day or more (``python -m rehab reminders``, from cron, beside the outbox
worker): for every working link of every clinic with today's weekday among the patient's chosen days, it queues
one email, at most one per link and day even when several runs overlap. The outbox worker sends it like any
other email (retries, audit). The email cannot carry the patient's page link (only its hash is stored); it
carries the reminders' own stop link, which stops them in one click and can do nothing else.
"""

from __future__ import annotations

import datetime as dt

from ..config import Settings, SettingsError
from ..domain.clinic import default_clinic
from ..domain.records import AuditAction
from ..mail import InvalidEmail, build_reminder_email
from ..storage.errors import NotFound
from ..storage.repository import Repository, Tx, utc_now
from .clinic import get_clinic
from .patient_page import first_name

__all__ = ["STOP_PATH", "queue_due_reminders", "stop_url"]

STOP_PATH = "/r/"  # server/patient_route.py serves the stop page here


def stop_url(base_url: str, stop: str) -> str:
    return base_url.rstrip("/") + STOP_PATH + stop


def queue_due_reminders(*, repo: Repository, settings: Settings, base_url: str, now: dt.datetime | None = None,
                        today: dt.date | None = None) -> int:
    """Queue today's reminder emails; returns how many. ``base_url``: the app's address patients reach."""
    if not settings.smtp_host or not settings.mail_from:
        raise SettingsError("REHAB_SMTP_HOST and REHAB_MAIL_FROM: set both so reminders can be sent")
    if not base_url.startswith(("https://", "http://")):
        raise SettingsError("base URL: give the app's full address, e.g. https://clinic.example.org")
    now = now or utc_now()
    today = today or now.date()
    with repo.transaction() as tx:
        candidates = [(link, stop) for link, stop in tx.reminder_candidates(today, now)
                      if today.weekday() in link.reminder_days and stop]
    queued = 0
    for link, stop in candidates:
        own = Repository(repo.engine, link.clinic_id)
        clinic = get_clinic(repo=own) or default_clinic()
        with own.transaction(write=True) as tx:
            if _queue_one(tx, link, stop, clinic, settings, base_url, today):
                queued += 1
    return queued


def _queue_one(tx: Tx, link, stop: str, clinic, settings: Settings, base_url: str, today: dt.date) -> bool:
    try:
        program = tx.get_program(link.program_id)
        patient = tx.get_patient(program.patient_id)
    except NotFound:
        return False
    if program.archived or patient.archived or not patient.email:
        return False
    if not tx.claim_reminder(link.id, today):
        return False  # another run queued today's already
    try:
        msg = build_reminder_email(to=patient.email, patient_first_name=first_name(patient.name),
                                   clinic_name=clinic.name, clinic_phone=clinic.phone, mail_from=settings.mail_from,
                                   reply_to=settings.mail_reply_to, stop_url=stop_url(base_url, stop))
    except InvalidEmail:
        return False
    message_id = tx.add_outbox_message(patient_id=patient.id, program_id=program.id,
                                       version=program.current_version, recipient=patient.email,
                                       subject=str(msg["Subject"]), body=msg.get_body(("plain",)).get_content(),
                                       raw=msg.as_bytes())
    tx.audit(f"patient link {link.id}", AuditAction.EMAIL_QUEUE, patient_id=patient.id, program_id=program.id,
             version=program.current_version, outbox_id=message_id)
    return True
