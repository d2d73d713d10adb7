"""Shared test helpers. Under CI=true a missing tool fails the test instead of skipping it."""

from __future__ import annotations

import os
import shutil
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
