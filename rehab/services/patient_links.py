"""The patient link (issue 16): one web link per program that shows the patient the latest saved version.

The token is 256 random bits, URL-safe; only its SHA-256 is stored, so a copy of the database opens no link. A
link is never used up by being opened (mail scanners open every link first); it ends when it expires (default:
the program's end plus four weeks) or is revoked. Renewing moves the expiry and keeps the token, so what the
patient bookmarked keeps working; making a new link gives a new token and the old one stops working.

Everything the link's holder does is resolved from the token alone (no server-side session), so any number of
app processes can serve it. The audit log names the holder "patient link <id>": ids only, never the token.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import secrets

from ..domain import Program
from ..domain.links import CheckInInput, CheckInKind, LinkCheckIn, LinkState, PatientLink
from ..domain.records import AuditAction
from ..errors import RehabError
from ..program.document import load_program
from ..storage.errors import ArchivedRecord, InvalidRecord, NotFound
from ..storage.repository import Repository, utc_now
from .audit import VIEW_LOG_WINDOW, checked_actor, log_access
from .clinic import get_clinic
from .exercises import library_for

__all__ = ["CHECK_INS_PER_HOUR", "TOKEN_BYTES", "WEEKS_AFTER_END", "LinkUnavailable", "Resolved", "TooManyCheckIns",
           "check_ins", "create_link", "default_expiry", "link_for", "links_for", "patient_check_ins",
           "program_check_ins", "record_check_in", "record_open", "renew_link", "resolve", "revoke_link",
           "set_reminders", "stop_reminders", "token_hash"]

TOKEN_BYTES = 32  # 256 bits: far past guessing, whatever the rate limit
WEEKS_AFTER_END = 4
MIN_DAYS_LEFT = 7  # a new or renewed link for a program that ended long ago still works for a week
CHECK_INS_PER_HOUR = 20  # per link: a person records a few a day; a script filling the table is stopped


class LinkUnavailable(RehabError):  # noqa: N818 - the name says what the patient's page says
    """Expired, revoked, forged, or its program archived: every case looks the same to the outside."""


class TooManyCheckIns(RehabError):  # noqa: N818
    """The link's check-ins in the last hour reached ``CHECK_INS_PER_HOUR``."""


@dataclasses.dataclass(frozen=True)
class Resolved:
    """An active link, with the repository of its clinic and the program version it shows now."""

    link: PatientLink
    repo: Repository
    patient_id: int
    version: int
    stamp: tuple = ()  # when the clinic's profile and own exercises last changed (Tx.content_stamp)
    has_email: bool = False  # the patient record has an address reminders can go to

    @property
    def actor(self) -> str:
        return f"patient link {self.link.id}"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)


def default_expiry(program: Program, now: dt.datetime, weeks_after_end: int = WEEKS_AFTER_END) -> dt.datetime:
    """The end of the day ``weeks_after_end`` weeks after the program's last week, and never sooner than
    ``MIN_DAYS_LEFT`` days from ``now``."""
    end = program.start_date + dt.timedelta(weeks=program.duration_weeks + weeks_after_end)
    return max(_end_of(end), now + dt.timedelta(days=MIN_DAYS_LEFT))


def _current(repo: Repository, program_id: int, *, archived_ok: bool = False) -> tuple[Program, int]:
    with repo.transaction() as tx:
        summary = tx.get_program(program_id)
        if summary.archived and not archived_ok:
            raise ArchivedRecord(f"program {program_id} is archived; restore it before giving the patient a link")
        stored = tx.get_version(program_id)
        library = library_for(tx)
    return load_program(stored.document, library=library), summary.patient_id


def _weeks_after_end(repo: Repository, weeks_after_end: int | None) -> int:
    """The given number, else the clinic's setting (``Clinic.link_weeks_after_end``), else WEEKS_AFTER_END."""
    if weeks_after_end is not None:
        return weeks_after_end
    clinic = get_clinic(repo=repo)
    return clinic.link_weeks_after_end if clinic is not None else WEEKS_AFTER_END


def create_link(program_id: int, *, repo: Repository, actor: str, now: dt.datetime | None = None,
                weeks_after_end: int | None = None) -> tuple[PatientLink, str]:
    """A link with a new token for the program (the program's previous link, if any, stops working). Returns the
    link and the token: the only time the token is known; show it to the clinician once."""
    actor = checked_actor(actor)
    now = now or utc_now()
    program, patient_id = _current(repo, program_id)
    weeks = _weeks_after_end(repo, weeks_after_end)
    token = new_token()
    with repo.transaction(write=True) as tx:
        link = tx.put_link(program_id, token_hash(token), default_expiry(program, now, weeks), now)
        tx.audit(actor, AuditAction.LINK_CREATE, patient_id=patient_id, program_id=program_id)
    return link, token


def renew_link(program_id: int, *, repo: Repository, actor: str, now: dt.datetime | None = None,
               weeks_after_end: int | None = None) -> PatientLink:
    """The same token, working again until the default expiry counted from today's program (an expired link
    comes back; a revoked one does not: make a new link)."""
    actor = checked_actor(actor)
    now = now or utc_now()
    program, patient_id = _current(repo, program_id)
    weeks = _weeks_after_end(repo, weeks_after_end)
    with repo.transaction(write=True) as tx:
        link = tx.link_of_program(program_id)
        if link is None or link.revoked_at is not None:
            raise NotFound(f"program {program_id} has no link to renew; make a new link")
        tx.set_link_expiry(link.id, default_expiry(program, now, weeks), now)
        tx.audit(actor, AuditAction.LINK_RENEW, patient_id=patient_id, program_id=program_id)
        renewed = tx.link_of_program(program_id)
    assert renewed is not None
    return renewed


def revoke_link(program_id: int, *, repo: Repository, actor: str) -> bool:
    """The link stops working at once; False when there was no working link."""
    actor = checked_actor(actor)
    with repo.transaction(write=True) as tx:
        summary = tx.get_program(program_id)
        link = tx.link_of_program(program_id)
        revoked = link is not None and tx.revoke_link(link.id, tx.now)
        if revoked:
            tx.audit(actor, AuditAction.LINK_REVOKE, patient_id=summary.patient_id, program_id=program_id)
    return revoked


def link_for(program_id: int, *, repo: Repository) -> PatientLink | None:
    with repo.transaction() as tx:
        tx.get_program(program_id)  # another clinic's program is NotFound
        return tx.link_of_program(program_id)


def links_for(program_ids: list[int], *, repo: Repository) -> dict[int, PatientLink]:
    with repo.transaction() as tx:
        return tx.links_of_programs(program_ids)


def resolve(token: str, *, repo: Repository, now: dt.datetime | None = None) -> Resolved:
    """The active link for ``token``, or LinkUnavailable (unknown, expired, revoked, program or patient archived).

    ``repo`` may be of any clinic: the link names its own, and everything after this uses that clinic only. One
    read transaction: this runs on every page view.
    """
    now = now or utc_now()
    if not token or len(token) > 100:
        raise LinkUnavailable("this link does not work")
    with repo.transaction() as tx:
        link = tx.link_by_token_hash(token_hash(token))
        if link is None or link.state(now) is not LinkState.ACTIVE:
            raise LinkUnavailable("this link does not work")
        own = tx.for_clinic(link.clinic_id)
        try:
            summary = own.get_program(link.program_id)
            patient = own.get_patient(summary.patient_id)
        except NotFound:
            raise LinkUnavailable("this link does not work") from None
        stamp = own.content_stamp()
    if summary.archived or patient.archived:
        raise LinkUnavailable("this link does not work")
    return Resolved(link, Repository(repo.engine, link.clinic_id), summary.patient_id, summary.current_version,
                    stamp, bool(patient.email))


_OPENED: dict[tuple, dt.datetime] = {}  # (database, link, version) -> when this process last logged an open


def record_open(resolved: Resolved, *, now: dt.datetime | None = None) -> None:
    """The audit entry for opening the page: once per link and version every 15 minutes (page reloads). This
    process skips the database check when it logged the same open itself within the window."""
    now = now or utc_now()
    key = (str(resolved.repo.engine.url), resolved.link.id, resolved.version)
    last = _OPENED.get(key)
    if last is not None and now - last < VIEW_LOG_WINDOW:
        return
    if len(_OPENED) > 10_000:
        _OPENED.clear()
    _OPENED[key] = now
    log_access(resolved.repo, resolved.actor, AuditAction.LINK_OPEN, patient_id=resolved.patient_id,
               program_id=resolved.link.program_id, version=resolved.version)


def checked_check_in(entry: CheckInInput, exercise_ids: set[str]) -> CheckInInput:
    """The fields a check-in's kind needs, and only exercises of the version shown (else InvalidRecord)."""
    problems = []
    if entry.kind is CheckInKind.SESSION:
        if not entry.done and entry.pain is None:
            problems.append("tick the exercises you did, or give your pain during them")
        unknown = sorted(set(entry.done) - exercise_ids)
        if unknown:
            problems.append(f"done: {len(unknown)} exercise(s) are not in this program")
        if entry.morning is not None:
            problems.append("morning: not part of a session check-in")
    elif entry.kind is CheckInKind.MORNING:
        if entry.morning is None:
            problems.append("choose how your knee is this morning")
        if entry.done or entry.pain is not None:
            problems.append("a morning check-in has only the morning answer")
    else:
        if entry.pain is None:
            problems.append("give your worst pain this week, 0 to 10")
        if entry.done or entry.morning is not None:
            problems.append("a weekly check-in has only the worst pain")
    if problems:
        raise InvalidRecord(problems)
    return entry.model_copy(update={"done": tuple(dict.fromkeys(entry.done))})


def record_check_in(resolved: Resolved, entry: CheckInInput, exercise_ids: set[str], *,
                    now: dt.datetime | None = None) -> int:
    """Store one check-in with the version the link shows now; audited with ids only."""
    now = now or utc_now()
    entry = checked_check_in(entry, exercise_ids)
    link = resolved.link
    with resolved.repo.transaction(write=True) as tx:
        recent = tx.check_ins_since(link.id, now - dt.timedelta(hours=1))
        if recent >= CHECK_INS_PER_HOUR:
            raise TooManyCheckIns("too many check-ins from this link in the last hour")
        check_in_id = tx.add_check_in(link.id, link.program_id, resolved.version, entry.kind.value, entry.done,
                                       entry.pain, entry.morning.value if entry.morning else None, now)
        tx.audit(resolved.actor, AuditAction.LINK_CHECK_IN, patient_id=resolved.patient_id,
                 program_id=link.program_id, version=resolved.version)
    return check_in_id


def set_reminders(resolved: Resolved, days: tuple[int, ...]) -> None:
    """The patient's reminder days (0 Monday … 6 Sunday; empty turns reminders off), consent time recorded. Turning
    them on gives the emails a stop link of their own (random; it can only stop the reminders)."""
    if any(not 0 <= day <= 6 for day in days):
        raise InvalidRecord(["days: weekdays are 0 (Monday) to 6 (Sunday)"])
    link = resolved.link
    with resolved.repo.transaction(write=True) as tx:
        stop = tx.reminder_stop_of(link.id) or secrets.token_urlsafe(16)
        tx.set_link_reminders(link.id, days, stop if days else None, tx.now)
        tx.audit(resolved.actor, AuditAction.LINK_REMINDERS, patient_id=resolved.patient_id,
                 program_id=link.program_id)


def stop_reminders(stop: str, *, repo: Repository) -> bool:
    """The reminder emails' stop link: reminders off for its link (any clinic); False when unknown or stopped."""
    if not stop or len(stop) > 64:
        return False
    with repo.transaction(write=True) as tx:
        link = tx.link_by_reminder_stop(stop)
        if link is None:
            return False
        own = tx.for_clinic(link.clinic_id)
        own.set_link_reminders(link.id, (), None, tx.now)
        own.audit(f"patient link {link.id}", AuditAction.LINK_REMINDERS, program_id=link.program_id)
    return True


def check_ins(program_ids: list[int], *, repo: Repository, since: dt.datetime | None = None) -> list[LinkCheckIn]:
    """The check-ins of these programs of the repository's clinic, oldest first."""
    with repo.transaction() as tx:
        return tx.check_ins_of_programs(program_ids, since)


def program_check_ins(program_id: int, *, repo: Repository) -> tuple[Program, list[LinkCheckIn]]:
    """The program's newest version and every check-in of the program (any version), oldest first."""
    program, _ = _current(repo, program_id, archived_ok=True)
    return program, check_ins([program_id], repo=repo)


def patient_check_ins(patient_id: int, *, repo: Repository) -> list[LinkCheckIn]:
    """Every check-in of the patient's programs (this clinic's), oldest first: the outcome chart's weekly pain."""
    with repo.transaction() as tx:
        program_ids = [p.id for p in tx.list_programs(patient_ids=[patient_id], include_archived=True)]
    return check_ins(program_ids, repo=repo)
