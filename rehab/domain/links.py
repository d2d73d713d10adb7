"""The patient link and its check-ins as plain records (issue 16): no SQL, no web.

A link is one program's web page for the patient. Its token exists only in the address the clinician hands
out; the database keeps its SHA-256. A check-in is what the patient records on that page, kept with the
program version the page showed.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from .program import FrozenModel, NextMorning


class LinkState(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"


class PatientLink(FrozenModel):
    """A program's link as the clinician sees it: never the token."""

    id: int
    clinic_id: int
    program_id: int
    created_at: dt.datetime
    updated_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None = None
    reminder_days: tuple[int, ...] = ()
    reminder_consent_at: dt.datetime | None = None

    def state(self, now: dt.datetime) -> LinkState:
        if self.revoked_at is not None:
            return LinkState.REVOKED
        return LinkState.ACTIVE if now < self.expires_at else LinkState.EXPIRED


class CheckInKind(StrEnum):
    SESSION = "session"  # a session done: which exercises, and the pain during them
    MORNING = "morning"  # the next morning: the knee compared with usual
    WEEK = "week"  # once a week: the worst pain of the week


PAIN = Field(default=None, ge=0, le=10)


class CheckInInput(FrozenModel):
    """One check-in as posted: the fields its kind needs, each checked against its clinical range."""

    kind: CheckInKind
    done: tuple[str, ...] = Field(default=(), max_length=40)
    pain: int | None = PAIN
    morning: NextMorning | None = None


class LinkCheckIn(FrozenModel):
    id: int
    program_id: int
    version: int
    kind: CheckInKind
    done: tuple[str, ...] = ()
    pain: int | None = PAIN
    morning: NextMorning | None = None
    created_at: dt.datetime
