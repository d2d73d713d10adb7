"""What the repository stores and returns: plain frozen models, no SQLAlchemy.

Input models (``PatientDetails``, ``OutcomeInput``) carry the limits the database also enforces, so a bad value
is reported with its field name before any SQL runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from ..errors import InvalidRecord
from ..words.problems import messages
from .email_address import LINE_BREAK, email_problem
from .program import HANDOUT_LANGUAGES, FrozenModel, NextMorning, Patient, Side

NAME_MAX = 200
EMAIL_MAX = 254
PHONE_MAX = 40
NOTES_MAX = 10_000
INSTRUMENT_MAX = 60


def _email_shape(value: str | None) -> str | None:
    # The one email rule (rehab.domain.email_address), shared with accounts, the clinic profile and the mailer.
    problem = None if value is None else email_problem(value)
    if problem == LINE_BREAK:
        raise ValueError(f"is not an email address like name@example.org: {LINE_BREAK}")
    if problem:
        raise ValueError(f"{value[:60]!r} is not an email address like name@example.org")
    return value


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX)]
Email = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=EMAIL_MAX)] | None,
    AfterValidator(_email_shape),
]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=PHONE_MAX)] | None
Notes = Annotated[str, StringConstraints(max_length=NOTES_MAX)]
Instrument = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=INSTRUMENT_MAX)] | None


def validated(model: type[FrozenModel], data: dict, prefix: str = "") -> FrozenModel:
    """Build an input model or raise InvalidRecord naming each bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidRecord(messages(exc, prefix=prefix)) from None


class PatientDetails(FrozenModel):
    """What a clinician types about a patient."""

    name: Name
    email: Email = None
    phone: Phone = None
    date_of_birth: dt.date | None = None
    email_consent: bool = False
    affected_side: Side | None = None
    notes: Notes = ""

    @field_validator("date_of_birth")
    @classmethod
    def _plausible_birth_date(cls, born: dt.date | None) -> dt.date | None:
        if born is not None and not dt.date(1900, 1, 1) <= born <= dt.date.today():
            raise ValueError(f"{born.isoformat()} must be between 1900-01-01 and today")
        return born

    @classmethod
    def from_patient(cls, patient: Patient) -> PatientDetails:
        data = patient.model_dump(exclude=HANDOUT_LANGUAGES)
        return validated(cls, data, prefix="patient")  # type: ignore[return-value]


class PatientRecord(PatientDetails):
    # Checked when typed; a stored address is read as it is, so one saved under an older, looser rule stays
    # readable (it is escaped wherever it is shown, and the mailer checks it again before sending).
    email: str | None = None
    id: int
    created_at: dt.datetime
    updated_at: dt.datetime
    archived_at: dt.datetime | None = None

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    def as_patient(self) -> Patient:
        """The patient section of a program document."""
        return Patient(
            name=self.name,
            email=self.email,
            email_consent=self.email_consent,
            affected_side=self.affected_side,
            date_of_birth=self.date_of_birth,
        )


class ProgramSummary(FrozenModel):
    id: int
    patient_id: int
    patient_name: str
    title: str
    current_version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    archived_at: dt.datetime | None = None

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


class VersionInfo(FrozenModel):
    program_id: int
    version: int
    author: str
    created_at: dt.datetime
    copied_from_program_id: int | None = None
    copied_from_version: int | None = None


class StoredVersion(FrozenModel):
    """One immutable version: the canonical document text exactly as saved."""

    info: VersionInfo
    patient_id: int
    document: str
    exercises: str | None = None  # the clinic's own exercises it uses, as saved (JSON); None before 0007 or none


class OutcomeInput(FrozenModel):
    """Scores only: never the questionnaire's wording (its copyright stays with its authors)."""

    recorded_on: dt.date
    worst_pain: int = Field(ge=0, le=10, description="Worst knee pain in the last week, 0-10.")
    function_score: int | None = Field(None, ge=0, le=100, description="Function score, 0-100.")
    instrument: Instrument = Field(None, description="Name of the function questionnaire, e.g. 'AKPS'.")
    global_change: int | None = Field(
        None, ge=-3, le=3, description="Global rating of change: -3 much worse, 0 no change, +3 much better."
    )

    @field_validator("recorded_on")
    @classmethod
    def _not_in_future(cls, day: dt.date) -> dt.date:
        if day > dt.date.today() + dt.timedelta(days=1):  # a day of slack for time zones
            raise ValueError(f"{day.isoformat()} is in the future")
        return day

    @model_validator(mode="after")
    def _score_has_instrument(self) -> OutcomeInput:
        if (self.function_score is None) != (self.instrument is None):
            raise ValueError("function_score and instrument go together: give both or neither")
        return self


class OutcomeRecord(OutcomeInput):
    id: int
    patient_id: int
    author: str
    created_at: dt.datetime


class ReviewCheckIn(FrozenModel):
    """One exercise at a review visit: what the patient reported (each answer may be missing) and the decision."""

    exercise: str = Field(min_length=1, max_length=80)
    pain_during: int | None = Field(default=None, ge=0, le=10)
    next_morning: NextMorning | None = None
    good_form: bool | None = None
    decision: Literal["progress", "hold", "less", "easier"]  # rehab.program.review.Action


class ReviewVisit(FrozenModel):
    """A review visit, kept with the version it saved (the reviewed version is the one before it)."""

    id: int
    program_id: int
    version: int
    author: str
    created_at: dt.datetime
    check_ins: tuple[ReviewCheckIn, ...]


class AuditAction(StrEnum):
    PATIENT_ADD = "patient.add"
    PATIENT_UPDATE = "patient.update"
    PATIENT_ARCHIVE = "patient.archive"
    PATIENT_RESTORE = "patient.restore"
    PROGRAM_SAVE = "program.save"
    PROGRAM_COPY = "program.copy"
    PROGRAM_ARCHIVE = "program.archive"
    PROGRAM_RESTORE = "program.restore"
    OUTCOME_ADD = "outcome.add"
    CLINIC_SAVE = "clinic.save"
    EXERCISE_SAVE = "exercise.save"
    DATA_IMPORT = "data.import"
    EMAIL_QUEUE = "email.queue"
    EMAIL_BLOCKED = "email.blocked"
    EMAIL_SENT = "email.sent"
    EMAIL_DEFERRED = "email.deferred"
    EMAIL_FAILED = "email.failed"
    EMAIL_UNKNOWN = "email.unknown"  # handed to the server, no answer: it may have arrived
    EMAIL_RETRY = "email.retry"
    ACCOUNT_ADD = "account.add"
    ACCOUNT_SIGN_IN = "account.sign_in"
    ACCOUNT_SIGN_IN_FAILED = "account.sign_in_failed"
    ACCOUNT_SIGN_OUT = "account.sign_out"
    ACCOUNT_UPDATE = "account.update"
    ACCOUNT_PASSWORD = "account.password"  # noqa: S105 - an audit action's name, not a password
    # Reads and renders of patient data (issue 8): who looked at or printed what, not only who changed it.
    PATIENT_VIEW = "patient.view"
    PROGRAM_VIEW = "program.view"
    PROGRAM_RENDER = "program.render"
    DRAFT_SAVE = "draft.save"
    # The clinic's own templates (issue 17): added (new, copied, duplicated or imported), changed, retired.
    TEMPLATE_ADD = "template.add"
    TEMPLATE_UPDATE = "template.update"
    TEMPLATE_RETIRE = "template.retire"
    TEMPLATE_RESTORE = "template.restore"
    # The patient link (issue 16): the clinician's changes, and what the link's holder did (actor "patient link N").
    LINK_CREATE = "link.create"
    LINK_RENEW = "link.renew"
    LINK_REVOKE = "link.revoke"
    LINK_OPEN = "link.open"
    LINK_CHECK_IN = "link.check_in"
    LINK_REMINDERS = "link.reminders"


class AuditEntry(FrozenModel):
    """Who did what to which record, and when: ids only, never names or notes."""

    id: int
    at: dt.datetime
    actor: str
    action: AuditAction
    patient_id: int | None = None
    program_id: int | None = None
    version: int | None = None
    outbox_id: int | None = None
    template_id: int | None = None


class StoredTemplate(FrozenModel):
    """One clinic template as stored: its ``rehab.template/1`` document text, unparsed."""

    id: int
    title: str
    document: str
    created_at: dt.datetime
    updated_at: dt.datetime
    retired_at: dt.datetime | None = None


class Clinician(FrozenModel):
    id: int
    clinic_id: int
    email: str
    name: str
    password_hash: str
    role: str
    active: bool
    created_at: dt.datetime


# --- drafts ---

NEW_PROGRAM = 0  # a draft's program key while its program is not saved yet (program_id None)


class DraftInfo(FrozenModel):
    """A stored draft, without its document."""

    patient_id: int
    program_id: int | None
    base_version: int | None
    author: str
    updated_at: dt.datetime


# --- the email outbox and sign-in throttling ---


class OutboxStatus(StrEnum):
    """Where an email in the outbox is; a plain string too (``status == "sent"``), as stored."""

    QUEUED = "queued"  # waiting for its next try
    SENDING = "sending"  # claimed by a worker now
    SENT = "sent"  # the mail server took it
    FAILED = "failed"  # given up: a permanent error, or every try used
    UNKNOWN = "unknown"  # handed to the server, answer not recorded: only a person's Retry sends it again


# The waits between tries of a queued email (rehab.mail.retry decides with them; the words tell a clinician
# "try 2 of 6"): after try 1 one minute, then 5 and 15 minutes, one hour, four hours; try 6 is the last.
RETRY_DELAYS_SECONDS: tuple[int, ...] = (60, 5 * 60, 15 * 60, 60 * 60, 4 * 60 * 60)
MAX_ATTEMPTS = len(RETRY_DELAYS_SECONDS) + 1


class OutboxMessage(FrozenModel):
    """One email in the outbox, as listed (everything but the stored email itself)."""

    id: int
    patient_id: int
    program_id: int
    program_version: int
    recipient: str
    subject: str
    body: str
    status: OutboxStatus
    attempts: int
    last_error: str | None = None
    next_attempt_at: dt.datetime
    claimed_by: str | None = None
    claimed_at: dt.datetime | None = None
    created_at: dt.datetime
    sent_at: dt.datetime | None = None


# What an unknown message says when its worker stopped while waiting for the server's answer.
HANDED_OVER = (
    "the whole message was handed to the mail server, but its answer was not recorded (the sending worker "
    "stopped); it may have the message"
)


@dataclass(frozen=True)
class Throttle:
    """Failed sign-ins counted against one account or one client."""

    scope: str
    key: str
    failures: int = 0
    last_failed_at: dt.datetime | None = None
    locked_until: dt.datetime | None = None
