"""Clinician accounts: first-run setup, adding people, and sign-in with throttling (sessions: rehab.services.sessions).

Use cases like the rest of ``rehab.services``: plain functions taking the repository as ``repo=``, one transaction each.
Every account belongs to one clinic. An email is unique within a clinic, but another clinic may have an account for
the same address (refusing it would tell one clinic's admin about another clinic's accounts): sign-in looks the
email up in every clinic and the password decides which account opens.
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

from ..domain.email_address import email_problem
from ..domain.records import EMAIL_MAX, NAME_MAX, AuditAction, Clinician
from ..errors import RehabError
from ..security import passwords
from ..security.sign_in_throttle import (
    ACCOUNT,
    CLIENT,
    DEVICE,
    FORGET_AFTER,
    LOCK_AFTER,
    after_failure,
    throttle_key,
    wait_left,
    wait_message,
)
from ..storage.errors import InvalidRecord
from ..storage.repository import DEFAULT_CLINIC_ID, Repository, Tx, utc_now

NO_CLINIC = 0  # audit entries that belong to no clinic: failed sign-ins with an unknown email
CLINIC_NAME_MAX = 120  # as in rehab.domain.clinic.Clinic
DEVICE_MEMORY = dt.timedelta(days=365)  # a browser unused this long is unknown again (its cookie lasts as long)


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
    if len(email) > EMAIL_MAX or email_problem(email):  # the one rule (rehab.domain.email_address)
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


# An address is refused only when the same clinic has an account for it already (in that clinic's own list of
# accounts); whether other clinics use the address never changes the answer.
ADDRESS_IN_USE = "Email: this clinic already has an account with this address (see the list of accounts)."


def _insert(tx: Tx, clinic_id: int, email: str, name: str, password_hash: str, role: Role, actor: str) -> Account:
    scoped = tx.for_clinic(clinic_id)
    try:
        row = scoped.add_clinician(email, name, password_hash, role.value)
    except InvalidRecord:
        raise AccountError([ADDRESS_IN_USE]) from None
    scoped.audit(actor, AuditAction.ACCOUNT_ADD)
    return Account.of(row)


# --- setup and accounts -------------------------------------------------------------------------------------------


def any_account_exists(*, repo: Repository) -> bool:
    with repo.transaction() as tx:
        return tx.clinician_count() > 0


def create_clinic_with_admin(clinic_name: str, email: str, name: str, password: str, *, repo: Repository,
                             emergency_number: str | None = None) -> Account:
    """First run: name the clinic and make its admin. Refused once any account exists.

    The clinic is the one the database started with, so records kept before accounts existed stay with it.
    ``emergency_number``: the local number the handout names for urgent care (None keeps the profile's own).
    """
    clinic = _clinic_name(clinic_name)
    extra = {} if emergency_number is None else {"emergency_number": _emergency_number(emergency_number)}
    email, name, role = _checked(email, name, password, Role.ADMIN)
    password_hash = passwords.hash_password(password)  # slow: before the transaction, not inside its locks
    with repo.transaction(write=True) as tx:
        tx.lock_accounts_table()
        if tx.clinician_count():
            raise AccountError(["An account already exists. Sign in, or ask an admin to add you."])
        if DEFAULT_CLINIC_ID in tx.clinic_ids():
            clinic_id = DEFAULT_CLINIC_ID
            scoped = tx.for_clinic(clinic_id)
            fields, logo = scoped.get_clinic_profile()
            scoped.save_clinic_profile({**(fields or _new_profile(clinic)), "name": clinic, **extra}, logo)
        else:  # an import replaced the starting clinic
            clinic_id = tx.insert_clinic({**_new_profile(clinic), **extra}, tx.now)
        return _insert(tx, clinic_id, email, name, password_hash, role, "first-run setup")


def _emergency_number(value: str) -> str:
    from ..domain.clinic import check_emergency_number

    try:
        return check_emergency_number(value)
    except ValueError as exc:
        raise AccountError([f"Emergency number: {exc}."]) from None


def _new_profile(clinic_name: str) -> dict:
    from ..domain.clinic import Clinic

    return Clinic(name=clinic_name).model_dump(mode="json", exclude={"logo"})


def add_clinic_with_admin(
    clinic_name: str, email: str, name: str, password: str, *, repo: Repository, actor: str,
    emergency_number: str | None = None,
) -> Account:
    """Another clinic in the same database, with its first admin (an operator's command-line task)."""
    clinic = _clinic_name(clinic_name)
    extra = {} if emergency_number is None else {"emergency_number": _emergency_number(emergency_number)}
    email, name, role = _checked(email, name, password, Role.ADMIN)
    password_hash = passwords.hash_password(password)
    with repo.transaction(write=True) as tx:
        clinic_id = tx.insert_clinic({**_new_profile(clinic), **extra}, tx.now)
        return _insert(tx, clinic_id, email, name, password_hash, role, actor)


def _require_admin(tx: Tx, actor: SignedIn, clinic_id: int) -> None:
    """Checked against the stored account, so a deactivated or demoted admin is refused at once."""
    row = tx.clinician_by_id(actor.clinician_id)
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
        operator = not isinstance(actor, SignedIn)
        if operator:
            who = actor
        else:
            _require_admin(tx, actor, clinic_id)
            who = actor.actor
        if clinic_id not in tx.clinic_ids():
            raise AccountError([f"Clinic {clinic_id} does not exist."])
        return _insert(tx, clinic_id, email, name, password_hash, role, who)


def list_users(*, repo: Repository, actor: SignedIn) -> list[Account]:
    """The accounts of the admin's own clinic, by name."""
    with repo.transaction() as tx:
        _require_admin(tx, actor, actor.clinic_id)
        return [Account.of(row) for row in tx.for_clinic(actor.clinic_id).clinicians()]


def set_user_active(clinician_id: int, active: bool, *, repo: Repository, actor: SignedIn) -> None:
    """Let an account sign in again, or stop it (nothing is deleted; its name stays on what it saved)."""
    if clinician_id == actor.clinician_id and not active:
        raise AccountError(["You cannot turn off your own account. Ask another admin."])
    with repo.transaction(write=True) as tx:
        _require_admin(tx, actor, actor.clinic_id)
        if not tx.for_clinic(actor.clinic_id).set_clinician_active(clinician_id, active, tx.now):
            raise AccountError(["That account is not in your clinic."])
        if not active:  # its browsers are signed out at once, not at their next click
            tx.delete_sessions_of(clinician_id)
        tx.for_clinic(actor.clinic_id).audit(actor.actor, AuditAction.ACCOUNT_UPDATE)


def change_own_password(current: str, new: str, *, repo: Repository, actor: SignedIn,
                        keep_session: int | None = None) -> None:
    """A signed-in person sets a new password, proving the current one first (a session left open is not enough).

    Every other session of the account ends; ``keep_session`` (the one making the change) stays signed in.
    """
    with repo.transaction() as tx:
        row = tx.clinician_by_id(actor.clinician_id)
    if row is None or not row.active or not passwords.verify_password(row.password_hash, current):
        raise AccountError(["Current password: that is not your current password. Nothing was changed."])
    _new_password(row.id, row.email, new, repo=repo, who=actor.actor, clinic_id=row.clinic_id, keep=keep_session)


def set_password(clinician_id: int, new: str, *, repo: Repository, actor: SignedIn | str) -> None:
    """A new password for someone who forgot theirs: by an admin of their clinic, or by an operator's tool (the
    command line). Tell the person in person or by phone; they can change it once signed in. Every session of the
    account ends: whoever used the old password is signed out."""
    with repo.transaction() as tx:
        row = tx.clinician_by_id(clinician_id)
        if isinstance(actor, SignedIn):
            _require_admin(tx, actor, actor.clinic_id)
            if row is None or row.clinic_id != actor.clinic_id:
                raise AccountError(["That account is not in your clinic."])
    if row is None:
        raise AccountError([f"There is no account {clinician_id}."])
    who = actor.actor if isinstance(actor, SignedIn) else actor
    _new_password(row.id, row.email, new, repo=repo, who=who, clinic_id=row.clinic_id)


def accounts_by_email(email: str, *, repo: Repository) -> list[Account]:
    """Every clinic's account for ``email``, oldest first: for operators on the command line, who see every clinic."""
    wanted = email.strip().lower()
    with repo.transaction() as tx:
        rows = tx.clinicians_by_email(wanted) if _lookup_able(wanted) else []
    return [Account.of(row) for row in rows]


def _new_password(clinician_id: int, email: str, new: str, *, repo: Repository, who: str, clinic_id: int,
                  keep: int | None = None) -> None:
    problems = passwords.password_problems(new, email)
    if problems:
        raise AccountError([*problems, "Nothing was changed."])
    password_hash = passwords.hash_password(new)
    with repo.transaction(write=True) as tx:
        tx.set_password_hash(clinician_id, password_hash, tx.now)
        tx.delete_sessions_of(clinician_id, keep=keep)
        tx.for_clinic(clinic_id).audit(who, AuditAction.ACCOUNT_PASSWORD)


def clinic_names(*, repo: Repository) -> dict[int, str]:
    """Every clinic in the database by id, with its name (for operators choosing one on the command line)."""
    with repo.transaction() as tx:
        return tx.clinic_names()


def account_for(clinician_id: int, *, repo: Repository) -> SignedIn | None:
    """The signed-in view of an account, or None once it is gone or turned off (the gate checks every page)."""
    with repo.transaction() as tx:
        row = tx.clinician_by_id(clinician_id)
    return SignedIn.of(row) if row is not None and row.active else None


# --- sign-in ------------------------------------------------------------------------------------------------------


def sign_in(email: str, password: str, *, client_id: str, repo: Repository, device: str | None = None,
            now: dt.datetime | None = None) -> SignedIn:
    """The account for ``email`` and ``password``, or SignInFailed (SignInThrottled while a delay runs).

    ``client_id`` names where the attempt comes from (the browser's address or session); ``device`` is the
    browser's long-lived device cookie, if it has one. A browser that signed in to this account before has its
    own failure count for the account; any other attempt counts against the email and the client, so guesses
    from elsewhere slow down strangers but never lock out the person's own browser. A successful sign-in
    remembers ``device`` for the account. Every attempt costs the same argon2 work, whatever the email.

    An email with accounts in several clinics signs in to the one its password opens. Should the password open
    more than one (an admin gave the same password), it is the one this browser signed in to last, else the
    oldest.
    """
    if not client_id:
        raise ValueError("client_id is required: it is what per-client throttling counts")
    now = now or utc_now()
    wanted = email.strip().lower() if isinstance(email, str) else ""
    password = password if isinstance(password, str) else ""
    passwords.dummy_hash()  # made once per process, before any timing matters
    # The attempt is counted as a failure before the password is checked, in a short transaction: parallel
    # guesses cannot outrun the count, and no lock is held during the slow argon2 work.
    with repo.transaction(write=True) as tx:
        rows = tx.clinicians_by_email(wanted) if _lookup_able(wanted) else []
        checks = tx.most_accounts_per_email()
        known = (tx.known_device_sign_ins([row.id for row in rows], _device_hash(device))
                 if device else {})
        keys = _throttle_keys(rows, known, wanted, client_id, device)
        states = tx.lock_throttles(keys)
        wait = wait_left(states, now)
        if not wait:
            for state in states:
                tx.save_throttle(after_failure(state, now))
    if wait:
        raise SignInThrottled(wait)
    row = _opened(rows, password, known, checks)
    if row is not None:
        renewed = passwords.hash_password(password) if passwords.needs_rehash(row.password_hash) else None
        with repo.transaction(write=True) as tx:
            current = tx.clinician_by_id(row.id)
            if current is not None and current.active and current.password_hash == row.password_hash:
                return _signed_in(tx, current, renewed, keys, device, now)
    with repo.transaction(write=True) as tx:
        _audit_failure(tx, rows, wanted)
    raise SignInFailed()


def _opened(rows: list[Clinician], password: str, known: dict[int, dt.datetime], checks: int) -> Clinician | None:
    """The active account ``password`` opens among ``rows``; with several, the one this browser used last, else the
    oldest.

    Every attempt does ``checks`` argon2 verifications (the most accounts any email has), padding with checks
    against a dummy hash: the time taken tells neither whether the email has an account, nor in how many clinics,
    nor which are turned off.
    """
    opened = [row for row in rows if passwords.verify_password(row.password_hash, password) and row.active]
    for _ in range(max(1, checks) - len(rows)):
        passwords.verify_password(None, password)
    used_here = [row for row in opened if row.id in known]
    if used_here:
        return max(used_here, key=lambda row: known[row.id])
    return opened[0] if opened else None


def _device_hash(device: str) -> str:
    return throttle_key(DEVICE, device)


def _throttle_keys(rows: list[Clinician], known: dict[int, dt.datetime], email: str, client_id: str,
                   device: str | None) -> list[tuple[str, str]]:
    """Which counts an attempt goes to: the account-and-device count for a browser known to an account of the
    email, else the email's and the client's (in this fixed order, so concurrent attempts cannot lock in a cycle)."""
    if device and known:
        account_id = min(row.id for row in rows if row.id in known)
        return [(DEVICE, throttle_key(DEVICE, f"{account_id}\0{device}"))]
    return [(ACCOUNT, throttle_key(ACCOUNT, email)), (CLIENT, throttle_key(CLIENT, client_id))]


def _lookup_able(email: str) -> bool:
    if not 0 < len(email) <= EMAIL_MAX:
        return False
    try:
        email.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate cannot be sent to the database
        return False
    return True


def _signed_in(tx: Tx, row: Clinician, renewed_hash: str | None, keys: list[tuple[str, str]], device: str | None,
               now: dt.datetime) -> SignedIn:
    for scope, key in keys:
        if scope == CLIENT:  # the client only gets this attempt back: one good account must not reset a client
            tx.uncount_failure(scope, key)  # that is guessing others
        else:
            tx.clear_throttle(scope, key)
    if device:
        tx.remember_device(row.id, _device_hash(device), now)
        tx.forget_devices_before(now - DEVICE_MEMORY)
    if renewed_hash is not None:
        tx.set_password_hash(row.id, renewed_hash, tx.now)
    tx.for_clinic(row.clinic_id).audit(_account_actor(row.id), AuditAction.ACCOUNT_SIGN_IN)
    return SignedIn.of(row)


def _audit_failure(tx: Tx, rows: list[Clinician], email: str) -> None:
    for row in rows:  # each clinic's log names only its own account
        tx.for_clinic(row.clinic_id).audit(_account_actor(row.id), AuditAction.ACCOUNT_SIGN_IN_FAILED)
    if rows:
        return
    digest = hashlib.sha256(email.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    tx.for_clinic(NO_CLINIC).audit(f"unknown email {digest}", AuditAction.ACCOUNT_SIGN_IN_FAILED)


@dataclasses.dataclass(frozen=True)
class SignInWarning:
    """An account of the clinic with failed sign-ins in a row from browsers it does not know."""

    account: Account
    failures: int
    last_failed_at: dt.datetime | None
    locked_until: dt.datetime | None


def sign_in_warnings(*, repo: Repository, actor: SignedIn, now: dt.datetime | None = None) -> list[SignInWarning]:
    """Accounts of the admin's clinic that unknown browsers failed to sign in to ``LOCK_AFTER`` times or more in a
    row (within a day): someone may be guessing a password, and the person may be slowed down on a new computer."""
    with repo.transaction() as tx:
        _require_admin(tx, actor, actor.clinic_id)
        rows = tx.for_clinic(actor.clinic_id).clinicians()
        by_key = {throttle_key(ACCOUNT, row.email): row for row in rows}
        states = tx.throttles_with_failures(ACCOUNT, list(by_key), LOCK_AFTER)
    now = now or utc_now()
    recent = [s for s in states if s.last_failed_at is not None and now - s.last_failed_at < FORGET_AFTER]
    return [SignInWarning(Account.of(by_key[s.key]), s.failures, s.last_failed_at, s.locked_until)
            for s in sorted(recent, key=lambda s: -s.failures)]
