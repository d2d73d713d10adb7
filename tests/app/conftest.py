"""AppTest runs against a fresh SQLite database per test; caches are cleared so no state leaks between tests.
Every AppTest starts signed in as an admin of the database's first clinic (see ``signed_in_app``)."""

import functools

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from rehab import services
from rehab.config import Settings
from rehab.security import passwords
from rehab.services import accounts, sessions
from rehab.storage.db import make_engine
from ui.auth_session import SESSION_TOKEN

ADMIN_EMAIL = "admin@example.org"


@pytest.fixture(autouse=True)
def app_database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("REHAB_DATABASE_URL", url)
    for name in ("REHAB_SMTP_HOST", "REHAB_SMTP_PASSWORD", "REHAB_SMTP_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield url
    st.cache_resource.clear()
    st.cache_data.clear()


@functools.cache
def _password_hash() -> str:
    return passwords.hash_password("app test password")  # once per run: argon2id takes a moment


@pytest.fixture(autouse=True)
def signed_in_app(app_database, monkeypatch):
    """An admin account in clinic 1 (the clinic the tests' records go to) with a real server-side session, and
    every AppTest.from_file session given that session's id, as the cookie gives it in a browser (AppTest has no
    cookies). app.py's gate still checks the session and the account in the database each run. Tests of the gate
    itself override this fixture."""
    repo = services.bootstrap.connect(Settings.from_env({"REHAB_DATABASE_URL": app_database}))
    with repo.transaction(write=True) as tx:
        account = tx.add_clinician(ADMIN_EMAIL, "Test Admin", _password_hash(), "admin")
    token = sessions.start(accounts.account_for(account.id, repo=repo), "AppTest", repo=repo, idle_minutes=30)
    repo.engine.dispose()
    original = AppTest.from_file.__func__

    def signed_in(cls, *args, **kwargs):
        at = original(cls, *args, **kwargs)
        at.session_state[SESSION_TOKEN] = token
        return at

    monkeypatch.setattr(AppTest, "from_file", classmethod(signed_in))
    return account


# Shared by the Build page's test modules.
@pytest.fixture
def repo(app_database):
    engine = make_engine(app_database)
    yield services.bootstrap.connect(engine=engine)
    engine.dispose()


@pytest.fixture
def pdfs(monkeypatch) -> list[bytes]:
    """The handout PDFs the app makes, in order (its preview cache is emptied first, so each one is really made)."""
    made: list[bytes] = []
    make_pdf = services.programs.program_handout_pdf

    def make(*args, **kwargs):
        made.append(make_pdf(*args, **kwargs))
        return made[-1]

    st.cache_data.clear()
    monkeypatch.setattr(services.programs, "program_handout_pdf", make)
    return made
