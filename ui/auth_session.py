"""Who is signed in to this browser session: the gate app.py runs before any page, sign-in and sign-out.

The session keeps the account id and the time of the last click. Every run re-reads the account, so an account
an admin turns off is signed out at its next click, and a session idle for longer than REHAB_IDLE_MINUTES is
signed out before anything else runs. Signing out clears the whole session: no patient data stays in it.
"""

from __future__ import annotations

import datetime as dt
import secrets

import streamlit as st

from rehab import accounts
from rehab.accounts import SignedIn
from rehab.errors import RehabError
from rehab.storage.repository import utc_now
from ui.context import SIGNED_IN_ACCOUNT, accounts_repository, settings

CLINICIAN_ID = "auth_clinician_id"  # the account signed in to this session (checked against the database every run)
LAST_SEEN = "auth_last_seen"  # UTC time of the last run, for the idle timeout
CLIENT = "auth_client"  # a random id for this session, when the connection has no address
NOTICE = "auth_notice"  # why the person is looking at the sign-in page again


def client_id() -> str:
    """Where a sign-in attempt comes from, for per-client throttling: the connection's address when Streamlit
    knows it, else this browser session.

    Behind a reverse proxy every address is the proxy's (Streamlit does not read X-Forwarded-For), so all
    users share one client count there; on localhost there is no address and each session counts alone.
    The per-account count applies either way.
    """
    address = st.context.ip_address
    if address:
        return f"ip {address}"
    if CLIENT not in st.session_state:
        st.session_state[CLIENT] = secrets.token_urlsafe(16)
    return f"session {st.session_state[CLIENT]}"


def start(account: SignedIn, now: dt.datetime | None = None) -> None:
    """Mark this session signed in as ``account`` (after rehab.accounts checked the password)."""
    keep = {CLIENT: st.session_state.get(CLIENT)}
    st.session_state.clear()  # nothing from before the sign-in (another person's pages) carries over
    st.session_state.update({k: v for k, v in keep.items() if v is not None})
    st.session_state[CLINICIAN_ID] = account.clinician_id
    st.session_state[LAST_SEEN] = now or utc_now()
    st.session_state[SIGNED_IN_ACCOUNT] = account


def sign_out(notice: str | None = None) -> None:
    """Forget everything in this session: the account, open patients, unsaved widget values (drafts are saved)."""
    client = st.session_state.get(CLIENT)
    st.session_state.clear()
    if client is not None:
        st.session_state[CLIENT] = client
    if notice:
        st.session_state[NOTICE] = notice


def gate(now: dt.datetime | None = None) -> SignedIn | None:
    """The account this run acts as, or None: never signed in, idle too long, or turned off since.

    The only place that sets ui.context's signed-in account, so pages and their queries see a checked one.
    """
    now = now or utc_now()
    st.session_state.pop(SIGNED_IN_ACCOUNT, None)
    clinician_id = st.session_state.get(CLINICIAN_ID)
    if clinician_id is None:
        return None
    idle = settings().idle_minutes
    if accounts.is_session_expired(st.session_state.get(LAST_SEEN), now, idle):
        sign_out(f"You were signed out after {idle} minutes without activity. Sign in again to go on.")
        return None
    account = accounts.account_for(clinician_id, repo=accounts_repository())
    if account is None:
        sign_out("You were signed out: your account was turned off. Ask your clinic's admin.")
        return None
    st.session_state[LAST_SEEN] = now
    st.session_state[SIGNED_IN_ACCOUNT] = account
    return account


def needs_setup() -> bool:
    """True while the database has no account at all: only the first-run setup page is shown."""
    return not accounts.any_account_exists(repo=accounts_repository())


def database_problem(exc: Exception) -> None:
    """The gate could not reach the database: say so plainly and show nothing else."""
    detail = str(exc) if isinstance(exc, RehabError) else "an unexpected problem"
    st.error(f"The app cannot reach its database right now ({detail}). Try again in a minute, and tell your "
             "administrator if it keeps happening.", icon=":material/cloud_off:")
