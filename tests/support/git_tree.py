"""A throw-away git repository holding a few made-up files: the move scripts' tests run them on one."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def committed_tree(root: Path, files: dict[str, str]) -> Path:
    """``files`` (path → text, dedented) written under ``root`` and committed as one commit; returns ``root``."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text), encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "fake tree")
    return root


def read(root: Path, name: str) -> str:
    return (root / name).read_text(encoding="utf-8")
