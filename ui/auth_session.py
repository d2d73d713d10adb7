"""Who is signed in to this browser: the gate app.py runs before any page, sign-out, and the timed idle check.

Signing in happens outside Streamlit (server/sign_in_route.py), which starts a server-side session and sets its
cookie. Every run reads the cookie through ``st.context.cookies`` and checks the session in the database
(rehab.sessions.resume): a session that was signed out, ended from another browser, idle too long, or whose account
was turned off or got a new password signs this browser out before anything else runs. Signing out clears the whole
Streamlit session, so no patient data stays in it.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from rehab import accounts, sessions
from rehab.accounts import SignedIn
from rehab.errors import RehabError
from rehab.sessions import Ended
from server import cookies
from ui.context import SIGNED_IN_ACCOUNT, accounts_repository, settings

# The cookie's session id, once read. Normally it comes from the cookie; AppTest, which has no cookies, puts a real
# session's id here instead (tests/app/conftest.py), and the gate checks it against the database all the same.
SESSION_TOKEN = "auth_session_token"  # noqa: S105 - a session key's name, not a secret
SESSION_ID = "auth_session_id"  # the session's row id (not secret): "this browser" in the list of sessions
CLINICIAN_ID = "auth_clinician_id"  # the account this Streamlit session showed pages to
NOTICE = "auth_notice"  # why the person is looking at the sign-in page again
WATCH_EVERY = dt.timedelta(seconds=15)  # how soon an idle or ended session blanks the screen by itself


def _token() -> str | None:
    cookie = st.context.cookies.get(cookies.SESSION)
    cookie = cookie if isinstance(cookie, str) else None  # AppTest has no request: its cookies are a stand-in
    return st.session_state.get(SESSION_TOKEN) or cookie


def _notice(ended: Ended | None, was_signed_in: bool) -> str | None:
    if ended == Ended.IDLE:
        return (f"You were signed out after {settings().idle_minutes} minutes without activity. "
                "Sign in again to go on.")
    if ended == Ended.ACCOUNT_OFF:
        return "You were signed out: your account was turned off. Ask your clinic's admin."
    if was_signed_in:
        return "You were signed out: this session was ended (signed out elsewhere, or the password changed)."
    return None


def clear(notice: str | None = None) -> None:
    """Forget everything in this Streamlit session: the account, open patients, unsaved widget values (drafts are
    saved in the database). A notice waiting to be shown stays unless ``notice`` replaces it."""
    notice = notice or st.session_state.get(NOTICE)
    st.session_state.clear()
    if notice:
        st.session_state[NOTICE] = notice


def sign_out() -> None:
    """End this browser's session on the server (every copy of its cookie stops working) and clear the screen."""
    sessions.end(_token(), repo=accounts_repository())
    clear("You signed out.")


def gate(now: dt.datetime | None = None) -> SignedIn | None:
    """The account this run acts as, or None: not signed in, or the session has ended.

    The only place that sets ui.context's signed-in account, so pages and their queries see a checked one.
    """
    st.session_state.pop(SIGNED_IN_ACCOUNT, None)
    token = _token()
    if not token:
        return None
    repo = accounts_repository()
    result = sessions.resume(token, repo=repo, idle_minutes=settings().idle_minutes, now=now)
    if result.account is None:
        shown_to = st.session_state.get(CLINICIAN_ID)
        ended = result.ended
        if shown_to is not None and ended == Ended.UNKNOWN and accounts.account_for(shown_to, repo=repo) is None:
            ended = Ended.ACCOUNT_OFF  # turning an account off deletes its sessions: say why
        if shown_to is not None or ended != Ended.UNKNOWN:  # else this session never showed a page: nothing to clear
            clear(_notice(ended, shown_to is not None))
        return None
    if st.session_state.get(CLINICIAN_ID) not in (None, result.account.clinician_id):
        clear()  # another person's pages never carry over
    st.session_state.update({SESSION_TOKEN: token, SESSION_ID: result.session_id,
                             CLINICIAN_ID: result.account.clinician_id, SIGNED_IN_ACCOUNT: result.account})
    return result.account


@st.fragment(run_every=WATCH_EVERY)
def watch() -> None:
    """Every few seconds, without counting as activity: once the session has ended (idle, signed out elsewhere,
    account off, new password), sign out and redraw the whole app, so no patient stays on an unattended screen."""
    result = sessions.resume(_token(), repo=accounts_repository(), idle_minutes=settings().idle_minutes,
                             touch=False)
    if result.account is None:
        clear(_notice(result.ended, was_signed_in=True))
        st.rerun(scope="app")


def current_session_id() -> int | None:
    """The row id of this browser's session (to mark it in the list of sessions, and keep it on a new password)."""
    return st.session_state.get(SESSION_ID)


def needs_setup() -> bool:
    """True while the database has no account at all: only the first-run setup page is shown."""
    return not accounts.any_account_exists(repo=accounts_repository())


def database_problem(exc: Exception) -> None:
    """The gate could not reach the database: say so plainly and show nothing else."""
    detail = str(exc) if isinstance(exc, RehabError) else "an unexpected problem"
    st.error(f"The app cannot reach its database right now ({detail}). Try again in a minute, and tell your "
             "administrator if it keeps happening.", icon=":material/cloud_off:")
