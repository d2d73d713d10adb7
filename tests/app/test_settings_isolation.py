"""Tests never use the developer's own settings: a REHAB_* value in the shell, a secrets.toml in the project or in
~/.streamlit/, none of them reaches the app under test (tests/conftest.py's ``no_developer_settings``). Proved by
running a test in a second pytest with all three poisoned, pointing at databases that must never be made."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "app.py")
POISON_DIR = "POISONED_SETTINGS_DIR"  # not a REHAB_ name, so it survives the fixture: where the poisoned files are


def test_the_app_runs_on_the_test_database_and_reads_no_secrets(app_database):
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert at.sidebar.button(key="auth_sign_out")  # signed in: the session exists only in the test database
    assert os.environ["REHAB_DATABASE_URL"] == app_database
    assert "REHAB_DATABASE_URL" not in st.secrets and "REHAB_SMTP_HOST" not in st.secrets
    assert "REHAB_SMTP_HOST" not in os.environ
    if os.environ.get(POISON_DIR):
        assert sorted(p.name for p in Path(os.environ[POISON_DIR]).iterdir()) == []


@pytest.mark.slow
def test_a_developers_shell_and_secrets_files_do_not_reach_the_tests(tmp_path):
    poisoned = tmp_path / "poisoned"  # every poisoned database URL points in here; it must stay empty
    poisoned.mkdir()
    home, project = tmp_path / "home", tmp_path / "project"
    for folder, source in ((home, "home"), (project, "project")):
        (folder / ".streamlit").mkdir(parents=True)
        (folder / ".streamlit" / "secrets.toml").write_text(
            f'REHAB_DATABASE_URL = "sqlite:///{poisoned}/from-{source}-secrets.db"\n'
            f'REHAB_SMTP_HOST = "mail.{source}.invalid"\n', encoding="utf-8")
    env = {**os.environ, "HOME": str(home), POISON_DIR: str(poisoned),
           "REHAB_DATABASE_URL": f"sqlite:///{poisoned}/from-shell.db", "REHAB_SMTP_HOST": "mail.shell.invalid"}
    # Run from the poisoned project folder, as Streamlit looks for .streamlit/secrets.toml in the working folder.
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", str(ROOT / "pyproject.toml"),
         "--rootdir", str(ROOT),
         f"{Path(__file__).resolve()}::test_the_app_runs_on_the_test_database_and_reads_no_secrets"],
        cwd=project, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "1 passed" in result.stdout
    assert list(poisoned.iterdir()) == []
