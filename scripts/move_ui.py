"""Split ui/ into a folder per page (issue 15): each page's own helpers in ui/<page>/, the shared ones at ui/'s top.

Run once on main, after every branch that edits ui/ has been merged, from the repository root:

    .venv/bin/python scripts/move_ui.py           # moves, rewrites, stages, runs ruff
    git commit -m "Split ui/ into a folder per page (scripts/move_ui.py)"

The steps are scripts/move_modules.py's, with this plan instead of its MOVES: ``git mv`` (history follows the
file), every mention rewritten (``from ui import build_state as state`` becomes ``from ui.build import state``,
``from ui import build_state`` becomes ``from ui.build import state as build_state`` so local names stay, dotted
names in ``monkeypatch`` strings, paths in the docs), the EDITS below in the run that moves, ``ruff``, staged.
No shim is left behind. Idempotent: a second run changes nothing. It refuses to run when a source and its
destination both exist, or with uncommitted changes.

The plan is read from the tree when the script runs, so a page module added meanwhile moves with its page:
``ui/build_<x>.py`` goes to ``ui/build/<x>.py`` (likewise ``library_``, ``patients_``, ``review_``,
``template_``); the few in ``NAMED`` get a name of their own; ``MERGES`` makes one module of two. Whatever is
left at ui/'s top must be one of ``SHARED`` (tests/unit/test_move_ui.py checks the real tree), so a new module
that fits no rule is noticed before the move, not after.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import move_modules as mm  # noqa: E402 - the machinery lives beside this script

# Each page's own modules, by the prefix of their name: ui/<prefix><x>.py → ui/<folder>/<x>.py.
FOLDERS: dict[str, str] = {
    "build_": "ui/build",  # app_pages/build.py (the Templates page uses its state and cache too)
    "library_": "ui/library",  # app_pages/library.py
    "patients_": "ui/patients",  # app_pages/patients.py
    "review_": "ui/review",  # app_pages/review.py (a saved visit in words is also shown on Patients)
    "template_": "ui/templates",  # app_pages/templates.py (the Build page's save-as-template popover too)
}
# Modules whose name fits no rule, or says less than it should.
NAMED: dict[str, str] = {
    # used by Patients, Review visit, Build, Accounts and the Audit log: not the Patients page's own
    "ui/patients_widgets.py": "ui/records.py",
    "ui/exercise_drawing.py": "ui/library/drawing.py",  # the Exercise library page's moving drawing
    # sentences a clinician reads, no Streamlit: they belong with every other sentence
    "ui/audit_words.py": "rehab/words/audit.py",
}
MERGES: dict[str, list[str]] = {
    # email on three pages (form, outbox panel) and the Clinic settings page's mail server section
    "ui/email.py": ["ui/email_widgets.py", "ui/settings_email.py"],
}
MERGED_DOCSTRINGS = {
    "ui/email.py": "Email in the screens: the Email to patient form and the outbox panel (Build program, Patients, "
                   "Review visit;\nfirst part), and the Clinic settings page's mail server section with its test "
                   "email (second part).",
}
PACKAGES: dict[str, str] = {
    "ui/build": "The Build program page's parts: its session state, what it keeps between reruns (cache), and one "
                "module per\nstep (patient, start, exercises, fields, plan, output) with the drafts and the "
                "save-as-template popover.",
    "ui/library": "The Exercise library page's parts: the add/edit form for the clinic's exercises, the CSV tab, "
                  "an exercise's\nmoving drawing.",
    "ui/patients": "The Patients page's parts: outcome charts.",
    "ui/review": "The Review visit page's parts: the check-in grid, and a saved visit in words (shown on Patients "
                 "too).",
    "ui/templates": "The Templates page's parts: a template as the page shows it (the Build page's "
                    "save-as-template popover\nuses its words too).",
}
# What stays at ui/'s top: shared by several pages (records.py and email.py come from NAMED and MERGES).
SHARED = {"__init__", "auth_session", "context", "dates", "layout", "patient_link", "records", "email", "text",
          "widgets"}


def moves(root: Path) -> dict[str, str]:
    """NAMED, then every ui/<prefix><x>.py of FOLDERS that is still at ui/'s top."""
    found = dict(NAMED)
    merged = {part for parts in MERGES.values() for part in parts}
    for path in sorted((root / "ui").glob("*.py")):
        name = f"ui/{path.name}"
        if name in found or name in merged:
            continue
        for prefix, folder in FOLDERS.items():
            if path.name.startswith(prefix):
                found[name] = f"{folder}/{path.name.removeprefix(prefix)}"
                break
    return found


def plan(root: Path) -> mm.Plan:
    return mm.Plan(moves(root), MERGES, MERGED_DOCSTRINGS, PACKAGES, EDITS)


# ---------------------------------------------------------------------------------------------------------------
# The texts that describe ui/ (applied after the mechanical rewrite, in the run that moves)
# ---------------------------------------------------------------------------------------------------------------

_ARCHITECTURE_UI = """\
ui/                     the pages' Streamlit helpers; shared ones at the top: context.py (settings, repository,
                        attempt()), auth_session.py (the sign-in gate), widgets.py (kept widget values), records.py
                        (patient and program labels, the handout download, flash notices), email.py (the email
                        form, the outbox panel, the mail server section), patient_link.py, dates.py, layout.py,
                        text.py (md escaping); each page's own parts in a folder named after it: build/ (state,
                        cache, one module per step), library/, patients/, review/, templates/
"""
_README_UI = """\
ui/                 the pages' Streamlit helpers: shared ones at the top (settings and repository, sign-in, kept
                    widgets, email), each page's own parts in a folder named after it (build/, library/, …)
"""

EDITS: list[mm.Edit] = [
    mm.Edit("ui/__init__.py",
            '"""Shared helpers for the Streamlit pages: services built once, plain error messages, session keys."""\n',
            '"""The pages\' Streamlit helpers: the shared ones here (services built once, plain error messages, '
            'session keys,\nkept widgets, email), each page\'s own parts in a folder named after the page (build/, '
            'library/, patients/,\nreview/, templates/)."""\n'),
    mm.Edit("ui/records.py",
            '"""Helpers for the Patients and Review visit pages: plain error messages,\na patient picker, the '
            'clinic\'s library and the handout download."""\n',
            '"""Helpers the record pages share (Patients, Review visit, Build program, Accounts, Audit log): plain '
            'error\nmessages, patient and program labels, the clinic\'s library, the handout download, saved times '
            'and flash notices."""\n'),
    mm.Edit("docs/architecture.md", r"^ui/ .*?\n(?=rehab/)", _ARCHITECTURE_UI, regex=True),
    mm.Edit("docs/architecture.md",
            "- The UI subfolders: `scripts/move_ui.py` makes them (`ui/build/`, `ui/library/` …); the lead runs it "
            "once\n  every branch that edits `ui/` has merged.\n", ""),
    mm.Edit("README.md", r"^ui/ .*?\n(?=rehab/)", _README_UI, regex=True),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    known, _ = parser.parse_known_args(argv)
    return mm.main(argv, plan=plan(known.root.resolve()), description=__doc__)


if __name__ == "__main__":
    sys.exit(main())
