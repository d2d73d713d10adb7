"""What every page needs: the settings, the repository (built once per server), the acting clinician,
and a way to show errors as plain messages without losing what the user typed."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from rehab import records
from rehab.accounts import SignedIn
from rehab.config import SETTINGS, Settings
from rehab.errors import RehabError
from ui.text import md

log = logging.getLogger("rehab.app")
T = TypeVar("T")

# Session keys shared between pages (each page keeps its own keys under its own prefix).
CURRENT_PATIENT = "current_patient_id"
CURRENT_PROGRAM = "current_program_id"
SIGNED_IN_ACCOUNT = "auth_account"  # a rehab.accounts.SignedIn, set only by app.py's gate (ui/auth_session.py)


def _secrets() -> dict[str, str]:
    """Values from .streamlit/secrets.toml for the REHAB_* names; a missing file is normal."""
    try:
        return {s.name: str(st.secrets[s.name]) for s in SETTINGS if s.name in st.secrets}
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        return {}


@st.cache_resource(show_spinner=False)
def _settings_and_repo(fingerprint: tuple) -> tuple[Settings, records.Repository]:
    settings = Settings.from_env(dict(fingerprint))
    return settings, records.connect(settings)


def _environment() -> tuple:
    merged = {s.name: os.environ[s.name] for s in SETTINGS if s.name in os.environ}
    merged.update(_secrets())
    return tuple(sorted(merged.items()))


def settings() -> Settings:
    return _settings_and_repo(_environment())[0]


def accounts_repository() -> records.Repository:
    """The database for rehab.accounts (sign-in, first-run setup): one engine per server, shared by every session.

    Pages read and write records through ``repository()`` only, which is scoped to the signed-in clinic.
    """
    return _settings_and_repo(_environment())[1]


class NotSignedIn(RuntimeError):
    """A page ran without a signed-in account: a bug, since app.py's gate shows pages only after sign-in."""


def signed_in() -> SignedIn | None:
    """The account app.py's gate checked at the start of this run, or None."""
    return st.session_state.get(SIGNED_IN_ACCOUNT)


def _account() -> SignedIn:
    account = signed_in()
    if account is None:
        raise NotSignedIn("no signed-in account in this session")
    return account


def repository() -> records.Repository:
    """The signed-in person's clinic in the shared database: every records query is scoped to it."""
    return records.Repository(accounts_repository().engine, _account().clinic_id)


def actor() -> str:
    """Who is acting, for version authors and the audit log: the signed-in account's email."""
    return _account().actor


def attempt(action: Callable[[], T], *, doing: str) -> T | None:
    """Run a service call; show a plain message on failure and return None. The caller's state is untouched,
    so nothing the user typed is lost and they can try again."""
    try:
        return action()
    except RehabError as exc:
        st.error(f"Could not {doing}: {md(str(exc))}")  # it can quote what was typed
    except Exception:  # a bug: tell the user plainly, keep details in the server log (no patient data there)
        log.exception("unexpected error while trying to %s", doing)
        st.error(f"Could not {doing} because of an unexpected problem. Your work on this page is kept; "
                 "try again, and tell your administrator if it keeps happening.")
    return None
