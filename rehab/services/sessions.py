"""Server-side sessions: what a signed-in browser's cookie points at, and how sessions end.

A session is a row keyed by the SHA-256 of a random id; only the browser's cookie holds the id itself, so a copy of
the database does not sign anyone in. Deleting the row ends the session at once, wherever the cookie was copied to:
sign-out, the idle timeout, an account turned off and a new password all delete rows. The id never goes into a URL,
a log or the audit trail (entries name the account, as for sign-ins).

Plain functions taking the repository as ``repo=``, like ``rehab.services.accounts``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import secrets
from enum import StrEnum

from ..domain.records import AuditAction
from ..storage.repository import Repository, utc_now
from .accounts import SignedIn

TOUCH_EVERY = dt.timedelta(seconds=10)  # a write per click would be waste; the idle timeout counts in minutes
USER_AGENT_MAX = 200


class Ended(StrEnum):
    """Why a cookie no longer signs in (the gate says so in plain words)."""

    UNKNOWN = "unknown"  # signed out, ended from another browser, a new password, or never a session
    IDLE = "idle"
    ACCOUNT_OFF = "account off"


@dataclasses.dataclass(frozen=True)
class Resumed:
    """The outcome of checking a cookie: the account and its session, or why there is none."""

    account: SignedIn | None
    session_id: int | None = None
    ended: Ended | None = None


@dataclasses.dataclass(frozen=True)
class OpenSession:
    """A signed-in browser as its owner sees it in the list: never the cookie's id."""

    id: int
    created_at: dt.datetime
    last_seen_at: dt.datetime
    user_agent: str


def new_token() -> str:
    """A random id for a cookie: 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _agent(user_agent: str | None) -> str:
    text = "".join(ch for ch in (user_agent or "") if ch.isprintable())
    return text[:USER_AGENT_MAX] or "unknown browser"


def start(account: SignedIn, user_agent: str | None, *, repo: Repository, idle_minutes: int,
          now: dt.datetime | None = None) -> str:
    """A new session for ``account`` (after ``rehab.services.accounts.sign_in``); returns the id for the cookie, once.

    Sessions idle past the timeout are deleted here too, so the table holds only live ones plus a few stale.
    """
    now = now or utc_now()
    token = new_token()
    with repo.transaction(write=True) as tx:
        tx.delete_sessions_seen_before(now - dt.timedelta(minutes=idle_minutes))
        tx.insert_session(token_hash(token), account.clinician_id, account.clinic_id,
                         _agent(user_agent), now)
    return token


def resume(token: str | None, *, repo: Repository, idle_minutes: int, touch: bool = True,
           now: dt.datetime | None = None) -> Resumed:
    """The account a cookie signs in, checked against the database every time.

    An idle session or one of an account turned off is deleted on the spot. ``touch=False`` checks without
    counting as activity (the page's timed check of the idle timeout).
    """
    if not token:
        return Resumed(None, ended=Ended.UNKNOWN)
    now = now or utc_now()
    with repo.transaction() as tx:  # most runs only read; a write transaction would queue every click on SQLite
        row = tx.session_by_hash(token_hash(token))
        clinician = None if row is None else tx.clinician_by_id(row.clinician_id)
    if row is None:
        return Resumed(None, ended=Ended.UNKNOWN)
    ended = None
    if now - row.last_seen_at >= dt.timedelta(minutes=idle_minutes):
        ended = Ended.IDLE
    elif clinician is None or not clinician.active or clinician.clinic_id != row.clinic_id:
        ended = Ended.ACCOUNT_OFF
    if ended is not None or (touch and now - row.last_seen_at >= TOUCH_EVERY):
        with repo.transaction(write=True) as tx:
            if ended is not None:
                tx.delete_session(row.id, row.clinician_id)
            else:
                tx.touch_session(row.id, now)
    if ended is not None:
        return Resumed(None, ended=ended)
    return Resumed(SignedIn.of(clinician), session_id=row.id)


def end(token: str | None, *, repo: Repository) -> None:
    """Sign-out: the session of this cookie ends for every copy of it."""
    if not token:
        return
    with repo.transaction(write=True) as tx:
        row = tx.session_by_hash(token_hash(token))
        if row is not None and tx.delete_session(row.id, row.clinician_id):
            tx.for_clinic(row.clinic_id).audit(f"account {row.clinician_id}", AuditAction.ACCOUNT_SIGN_OUT)


def open_sessions(actor: SignedIn, *, repo: Repository, idle_minutes: int,
                  now: dt.datetime | None = None) -> list[OpenSession]:
    """The actor's own sessions that have not timed out, most recently used first."""
    now = now or utc_now()
    idle = dt.timedelta(minutes=idle_minutes)
    with repo.transaction() as tx:
        rows = tx.sessions_of(actor.clinician_id)
    return [OpenSession(r.id, r.created_at, r.last_seen_at, r.user_agent) for r in rows if now - r.last_seen_at < idle]


def end_session(session_id: int, *, repo: Repository, actor: SignedIn) -> bool:
    """End one of the actor's own sessions (another browser); False when it had ended already or is not theirs."""
    with repo.transaction(write=True) as tx:
        ended = tx.delete_session(session_id, actor.clinician_id)
        if ended:
            tx.for_clinic(actor.clinic_id).audit(f"account {actor.clinician_id}", AuditAction.ACCOUNT_SIGN_OUT)
    return ended


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chromium/", "Chromium"),
             ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))


def describe_agent(user_agent: str) -> str:
    """A browser's user agent in two plain words ("Firefox on Windows"), from a fixed list: the raw text is the
    browser's own claim and is never shown."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "A browser")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), None)
    if "HeadlessChrome/" in user_agent:
        browser = "Headless Chrome"
    return f"{browser} on {system}" if system else browser
