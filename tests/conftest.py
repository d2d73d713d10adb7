"""Shared test helpers. Under CI=true a missing tool fails the test instead of skipping it.

No test sees the developer's own settings: ``no_developer_settings`` (autouse) removes every REHAB_* app setting
from the environment and points Streamlit's secrets at an empty file, so neither the shell nor a
.streamlit/secrets.toml (the project's or ~/.streamlit/) can send a test to a real database or mail server. A test
that needs a setting sets it with ``monkeypatch.setenv``. The e2e server gets the same treatment
(tests/e2e/conftest.py: ``without_developer_settings`` and ``--secrets.files``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI", "").lower() == "true"


def missing(reason: str) -> None:
    """Skip on a laptop; fail in CI, where every tool must be installed by `make test`."""
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def require_tool(name: str, package: str | None = None) -> str:
    """The path of a command-line tool, or skip/fail naming the Debian package that provides it."""
    path = shutil.which(name)
    if path is None:
        missing(f"'{name}' not found; install it with: apt-get install -y {package or name}")
    return path


# REHAB_* names that steer the test run itself, not the app: a developer may set them on purpose.
TEST_RUN_OPTIONS = frozenset({
    "REHAB_UPDATE_GOLDEN",  # rewrite the handout goldens (tests/integration/test_handout_pdf.py)
    "REHAB_SCREENSHOT_DIR",  # keep the e2e screenshots (tests/e2e/conftest.py)
    "REHAB_FONT_DIR",  # where this machine keeps DejaVu Sans (rehab/handout/fonts.py); no data goes there
})


def developer_settings(environ: Mapping[str, str]) -> list[str]:
    """The app settings present in ``environ``: every name in rehab.config.SETTINGS, and any other REHAB_* name
    (such as REHAB_NEW_USER_PASSWORD), except the options of the test run itself."""
    from rehab.config import SETTINGS

    names = {setting.name for setting in SETTINGS} | {name for name in environ if name.startswith("REHAB_")}
    return sorted(name for name in names - TEST_RUN_OPTIONS if name in environ)


def without_developer_settings(environ: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``environ`` for a subprocess of the app, with no app setting left in it."""
    drop = set(developer_settings(environ))
    return {name: value for name, value in environ.items() if name not in drop}


@pytest.fixture(scope="session")
def empty_secrets_file(tmp_path_factory) -> Path:
    """A secrets.toml with nothing in it: what Streamlit reads instead of the project's or the home folder's."""
    path = tmp_path_factory.mktemp("secrets") / "secrets.toml"
    path.write_text("# Tests read no secrets: every setting a test needs, it sets itself.\n", encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def no_developer_settings(monkeypatch, empty_secrets_file):
    """Every test starts with no app setting from the developer's shell or secrets files (see the module doc)."""
    import streamlit as st
    from streamlit import config

    config.set_option("secrets.files", [str(empty_secrets_file)])
    st.secrets._reset()  # forget secrets read before (and the environment variables Streamlit made from them)
    for name in developer_settings(os.environ):
        monkeypatch.delenv(name)
