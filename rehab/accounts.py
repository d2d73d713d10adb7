"""Clinician accounts: first-run setup, adding people, sign-in with throttling, and the idle timeout.

Use cases like ``rehab.records``: plain functions taking the repository as ``repo=``, one transaction each.
Every account belongs to one clinic; an email is unique in the whole database, so sign-in needs only the email.
There is no default account and no default password: the first admin is made by ``create_clinic_with_admin``.

Audit entries name accounts by id ("account 7"). A failed sign-in with an unknown email is logged under clinic
``NO_CLINIC`` with a hash of the email. No entry ever holds a password.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import math
import unicodedata
from enum import StrEnum

from . import passwords
from .email_address import is_email_address
from .errors import RehabError
from .sign_in_throttle import ACCOUNT, CLIENT, after_failure, throttle_key, wait_left, wait_message
from .storage import accounts_queries as q
from .storage.entities import EMAIL_MAX, NAME_MAX, AuditAction, Clinician
from .storage.errors import InvalidRecord
from .storage.repository import Repository, Tx, utc_now
from .storage.tables import DEFAULT_CLINIC_ID

NO_CLINIC = 0  # audit entries that belong to no clinic: failed sign-ins with an unknown email
CLINIC_NAME_MAX = 120  # as in rehab.clinic.Clinic
IDLE_MINUTES = 30


class Role(StrEnum):
    ADMIN = "admin"  # clinic settings and accounts, plus everything a clinician does
    CLINICIAN = "clinician"


class AccountError(RehabError):
    """An account cannot be made or changed. ``problems`` lists one plain line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


class SignInFailed(RehabError):
    """Wrong email, wrong password or an inactive account: one message for all, so it reveals nothing."""

    MESSAGE = "Email or password is not right."

    def __init__(self, message: str = MESSAGE):
        super().__init__(message)


class SignInThrottled(SignInFailed):
    """Too many failures for this account or client; nothing was checked. ``wait_seconds`` says how long."""

    def __init__(self, wait: dt.timedelta):
        self.wait_seconds = max(1, math.ceil(wait.total_seconds()))
        super().__init__(wait_message(wait))


@dataclasses.dataclass(frozen=True)
class Account:
    """An account as listed to an admin: never the password hash."""

    id: int
    clinic_id: int
    email: str
    name: str
    role: Role
    active: bool
    created_at: dt.datetime

    @classmethod
    def of(cls, row: Clinician) -> Account:
        return cls(row.id, row.clinic_id, row.email, row.name, Role(row.role), row.active, row.created_at)


@dataclasses.dataclass(frozen=True)
class SignedIn:
    """Who is using the app. Every records query is scoped to ``clinic_id``."""

    clinician_id: int
    clinic_id: int
    name: str
    role: Role
    email: str

    @classmethod
    def of(cls, row: Clinician) -> SignedIn:
        return cls(row.id, row.clinic_id, row.name, Role(row.role), row.email)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def actor(self) -> str:
        """The author and audit actor of this person's changes to records."""
        return self.email


def _account_actor(clinician_id: int) -> str:
    return f"account {clinician_id}"


_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")  # can make text read backwards


def _has_control_characters(value: str) -> bool:
    """Line breaks, other control codes, lone surrogates, bidi overrides; joiners some scripts need are fine."""
    return any(unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") or ch in _BIDI_CONTROLS for ch in value)


def _email(value: str, problems: list[str]) -> str:
    email = value.strip().lower()
    if len(email) > EMAIL_MAX or _has_control_characters(email) or not is_email_address(email):  # the one rule
        problems.append("Email: type an address like name@example.org.")
    return email


def _text(value: str, label: str, longest: int, problems: list[str]) -> str:
    text = value.strip()
    if not 1 <= len(text) <= longest:
        problems.append(f"{label}: use 1 to {longest} characters.")
    elif _has_control_characters(text):
        problems.append(f"{label}: use letters, spaces and punctuation only, on one line.")
    return text


def _checked(email: str, name: str, password: str, role: str) -> tuple[str, str, Role]:
    """The cleaned email and name and the role, or AccountError listing every problem at once."""
    problems: list[str] = []
    email = _email(email, problems)
    name = _text(name, "Name", NAME_MAX, problems)
    problems += passwords.password_problems(password, email)
    if role not in tuple(Role):
        problems.append("Role: choose admin or clinician.")
    if problems:
        raise AccountError(problems)
    return email, name, Role(role)


def _clinic_name(value: str) -> str:
    problems: list[str] = []
    name = _text(value, "Clinic name", CLINIC_NAME_MAX, problems)
    if problems:
        raise AccountError(problems)
    return name


def _insert(tx: Tx, clinic_id: int, email: str, name: str, password_hash: str, role: Role, actor: str) -> Account:
    scoped = Tx(tx.connection, clinic_id)
    try:
        row = scoped.add_clinician(email, name, password_hash, role.value)
    except InvalidRecord:
        raise AccountError(["Email: this address already has an account."]) from None
    scoped.audit(actor, AuditAction.ACCOUNT_ADD)
    return Account.of(row)


# --- setup and accounts -------------------------------------------------------------------------------------------


def any_account_exists(*, repo: Repository) -> bool:
    with repo.transaction() as tx:
        return q.clinician_count(tx.connection) > 0


def create_clinic_with_admin(clinic_name: str, email: str, name: str, password: str, *, repo: Repository) -> Account:
    """First run: name the clinic and make its admin. Refused once any account exists.

    The clinic is the one the database started with, so records kept before accounts existed stay with it.
    """
    clinic = _clinic_name(clinic_name)
    email, name, role = _checked(email, name, password, Role.ADMIN)
    password_hash = passwords.hash_password(password)  # slow: before the transaction, not inside its locks
    with repo.transaction(write=True) as tx:
        q.lock_accounts_table(tx.connection)
        if q.clinician_count(tx.connection):
            raise AccountError(["An account already exists. Sign in, or ask an admin to add you."])
        if DEFAULT_CLINIC_ID in q.clinic_ids(tx.connection):
            clinic_id = DEFAULT_CLINIC_ID
            scoped = Tx(tx.connection, clinic_id)
            fields, logo = scoped.get_clinic_profile()
            scoped.save_clinic_profile({**(fields or _new_profile(clinic)), "name": clinic}, logo)
        else:  # an import replaced the starting clinic
            clinic_id = q.insert_clinic(tx.connection, _new_profile(clinic), tx.now)
        return _insert(tx, clinic_id, email, name, password_hash, role, "first-run setup")


def _new_profile(clinic_name: str) -> dict:
    from .clinic import Clinic

    return Clinic(name=clinic_name).model_dump(mode="json", exclude={"logo"})


def add_clinic_with_admin(
    clinic_name: str, email: str, name: str, password: str, *, repo: Repository, actor: str
) -> Account:
    """Another clinic in the same database, with its first admin (an operator's command-line task)."""
    clinic = _clinic_name(clinic_name)
    email, name, role = _checked(email, name, password, Role.ADMIN)
    password_hash = passwords.hash_password(password)
    with repo.transaction(write=True) as tx:
        clinic_id = q.insert_clinic(tx.connection, _new_profile(clinic), tx.now)
        return _insert(tx, clinic_id, email, name, password_hash, role, actor)


def _require_admin(tx: Tx, actor: SignedIn, clinic_id: int) -> None:
    """Checked against the stored account, so a deactivated or demoted admin is refused at once."""
    row = q.clinician_by_id(tx.connection, actor.clinician_id)
    if row is None or not row.active or row.role != Role.ADMIN or row.clinic_id != clinic_id:
        raise AccountError(["Only an admin of this clinic can do this."])


def add_user(
    email: str,
    name: str,
    password: str,
    *,
    role: Role | str,
    clinic_id: int,
    repo: Repository,
    actor: SignedIn | str,
) -> Account:
    """A new account in ``clinic_id``. ``actor`` is the signed-in admin, or a text naming an operator's tool."""
    email, name, role = _checked(email, name, password, role)
    password_hash = passwords.hash_password(password)
    with repo.transaction(write=True) as tx:
        if isinstance(actor, SignedIn):
            _require_admin(tx, actor, clinic_id)
            who = actor.actor
        else:
            who = actor
        if clinic_id not in q.clinic_ids(tx.connection):
            raise AccountError([f"Clinic {clinic_id} does not exist."])
        return _insert(tx, clinic_id, email, name, password_hash, role, who)


def list_users(*, repo: Repository, actor: SignedIn) -> list[Account]:
    """The accounts of the admin's own clinic, by name."""
    with repo.transaction() as tx:
        _require_admin(tx, actor, actor.clinic_id)
        return [Account.of(row) for row in q.clinicians_of(tx.connection, actor.clinic_id)]


def set_user_active(clinician_id: int, active: bool, *, repo: Repository, actor: SignedIn) -> None:
    """Let an account sign in again, or stop it (nothing is deleted; its name stays on what it saved)."""
    if clinician_id == actor.clinician_id and not active:
        raise AccountError(["You cannot turn off your own account. Ask another admin."])
    with repo.transaction(write=True) as tx:
        _require_admin(tx, actor, actor.clinic_id)
        if not q.set_clinician_active(tx.connection, actor.clinic_id, clinician_id, active, tx.now):
            raise AccountError(["That account is not in your clinic."])
        Tx(tx.connection, actor.clinic_id).audit(actor.actor, AuditAction.ACCOUNT_UPDATE)


def change_own_password(current: str, new: str, *, repo: Repository, actor: SignedIn) -> None:
    """A signed-in person sets a new password, proving the current one first (a session left open is not enough)."""
    with repo.transaction() as tx:
        row = q.clinician_by_id(tx.connection, actor.clinician_id)
    if row is None or not row.active or not passwords.verify_password(row.password_hash, current):
        raise AccountError(["Current password: that is not your current password. Nothing was changed."])
    _new_password(row.id, row.email, new, repo=repo, who=actor.actor, clinic_id=row.clinic_id)


def set_password(clinician_id: int, new: str, *, repo: Repository, actor: SignedIn | str) -> None:
    """A new password for someone who forgot theirs: by an admin of their clinic, or by an operator's tool (the
    command line). Tell the person in person or by phone; they can change it once signed in."""
    with repo.transaction() as tx:
        row = q.clinician_by_id(tx.connection, clinician_id)
        if isinstance(actor, SignedIn):
            _require_admin(tx, actor, actor.clinic_id)
            if row is None or row.clinic_id != actor.clinic_id:
                raise AccountError(["That account is not in your clinic."])
    if row is None:
        raise AccountError([f"There is no account {clinician_id}."])
    who = actor.actor if isinstance(actor, SignedIn) else actor
    _new_password(row.id, row.email, new, repo=repo, who=who, clinic_id=row.clinic_id)


def account_by_email(email: str, *, repo: Repository) -> Account | None:
    """The account that signs in with ``email`` (any clinic), for operators on the command line."""
    with repo.transaction() as tx:
        row = tx.clinician_by_email(email) if _lookup_able(email.strip()) else None
    return None if row is None else Account.of(row)


def _new_password(clinician_id: int, email: str, new: str, *, repo: Repository, who: str, clinic_id: int) -> None:
    problems = passwords.password_problems(new, email)
    if problems:
        raise AccountError([*problems, "Nothing was changed."])
    password_hash = passwords.hash_password(new)
    with repo.transaction(write=True) as tx:
        q.set_password_hash(tx.connection, clinician_id, password_hash, tx.now)
        Tx(tx.connection, clinic_id).audit(who, AuditAction.ACCOUNT_PASSWORD)


def clinic_names(*, repo: Repository) -> dict[int, str]:
    """Every clinic in the database by id, with its name (for operators choosing one on the command line)."""
    with repo.transaction() as tx:
        return q.clinic_names(tx.connection)


def account_for(clinician_id: int, *, repo: Repository) -> SignedIn | None:
    """The signed-in view of an account, or None once it is gone or turned off (the gate checks every page)."""
    with repo.transaction() as tx:
        row = q.clinician_by_id(tx.connection, clinician_id)
    return SignedIn.of(row) if row is not None and row.active else None


# --- sign-in ------------------------------------------------------------------------------------------------------


def sign_in(email: str, password: str, *, client_id: str, repo: Repository, now: dt.datetime | None = None) -> SignedIn:
    """The account for ``email`` and ``password``, or SignInFailed (SignInThrottled while a delay runs).

    ``client_id`` names where the attempt comes from (the browser's address or session); failures are counted
    for it and for the email. Unknown emails cost the same argon2 work as real ones.
    """
    if not client_id:
        raise ValueError("client_id is required: it is what per-client throttling counts")
    now = now or utc_now()
    wanted = email.strip().lower() if isinstance(email, str) else ""
    password = password if isinstance(password, str) else ""
    keys = [(ACCOUNT, throttle_key(ACCOUNT, wanted)), (CLIENT, throttle_key(CLIENT, client_id))]
    passwords.dummy_hash()  # made once per process, before any timing matters
    # The attempt is counted as a failure before the password is checked, in a short transaction: parallel
    # guesses cannot outrun the count, and no lock is held during the slow argon2 work.
    with repo.transaction(write=True) as tx:
        states = q.lock_throttles(tx.connection, keys)
        wait = wait_left(states, now)
        if not wait:
            for state in states:
                q.save_throttle(tx.connection, after_failure(state, now))
            row = tx.clinician_by_email(wanted) if _lookup_able(wanted) else None
    if wait:
        raise SignInThrottled(wait)
    matched = passwords.verify_password(row.password_hash if row else None, password)
    if row is not None and matched and row.active:
        renewed = passwords.hash_password(password) if passwords.needs_rehash(row.password_hash) else None
        with repo.transaction(write=True) as tx:
            current = q.clinician_by_id(tx.connection, row.id)
            if current is not None and current.active and current.password_hash == row.password_hash:
                return _signed_in(tx, current, renewed, keys)
    with repo.transaction(write=True) as tx:
        _audit_failure(tx, row, wanted)
    raise SignInFailed()


def _lookup_able(email: str) -> bool:
    if not 0 < len(email) <= EMAIL_MAX:
        return False
    try:
        email.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate cannot be sent to the database
        return False
    return True


def _signed_in(tx: Tx, row: Clinician, renewed_hash: str | None, keys: list[tuple[str, str]]) -> SignedIn:
    (_, account_key), (_, client_key) = keys
    q.clear_throttle(tx.connection, ACCOUNT, account_key)
    # The client only gets this attempt back: one good account must not reset a client that is guessing others.
    q.uncount_failure(tx.connection, CLIENT, client_key)
    if renewed_hash is not None:
        q.set_password_hash(tx.connection, row.id, renewed_hash, tx.now)
    Tx(tx.connection, row.clinic_id).audit(_account_actor(row.id), AuditAction.ACCOUNT_SIGN_IN)
    return SignedIn.of(row)


def _audit_failure(tx: Tx, row: Clinician | None, email: str) -> None:
    if row is not None:
        Tx(tx.connection, row.clinic_id).audit(_account_actor(row.id), AuditAction.ACCOUNT_SIGN_IN_FAILED)
        return
    digest = hashlib.sha256(email.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    Tx(tx.connection, NO_CLINIC).audit(f"unknown email {digest}", AuditAction.ACCOUNT_SIGN_IN_FAILED)


def is_session_expired(last_seen: dt.datetime | None, now: dt.datetime, idle_minutes: int = IDLE_MINUTES) -> bool:
    """True when nothing happened for ``idle_minutes`` (or the session never started): sign in again."""
    return last_seen is None or now - last_seen >= dt.timedelta(minutes=idle_minutes)
