"""scripts/move_ui.py: on a tiny made-up repository, what it moves where and how it rewrites imports, dotted names and
paths (the moved pages still import and run, a second run changes nothing); on this repository, that its plan
leaves only shared modules at ui/'s top and that its text edits still find the texts they change."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.support.git_tree import committed_tree, git, read


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)  # dataclasses look their module up there; move_ui imports move_modules
    spec.loader.exec_module(module)
    return sys.modules[name]


move_modules = _load("move_modules")
move_ui = _load("move_ui")

TREE = {
    "ui/__init__.py": "",
    "ui/context.py": """\
        def repository():
            return "repo"
        """,
    "ui/build_state.py": """\
        WORKING = "working"
        """,
    "ui/build_cache.py": """\
        from ui.build_state import WORKING
        from ui.context import repository


        def library():
            return f"{WORKING} in {repository()}"
        """,
    "ui/build_preview.py": """\
        from ui import build_cache


        def preview():  # a page module added after the plan was written: it moves with its page
            return "preview of " + build_cache.library()
        """,
    "ui/patients_widgets.py": """\
        def saved_at(when):
            return f"saved {when}"
        """,
    "ui/patients_chart.py": """\
        from ui.patients_widgets import saved_at


        def chart():
            return saved_at("today")
        """,
    "ui/email_widgets.py": """\
        \"\"\"Email to patient.\"\"\"

        from ui.context import repository


        def email_form():
            return "form " + repository()
        """,
    "ui/settings_email.py": """\
        \"\"\"The mail server section.\"\"\"

        from ui.context import repository


        def draw():
            return "mail settings " + repository()
        """,
    "ui/audit_words.py": """\
        ACTION_WORDS = {"patient.add": "Added a patient"}
        """,
    "rehab/__init__.py": "",
    "rehab/words/__init__.py": "",
    "app_pages/build.py": """\
        from ui import build_cache as cache
        from ui import build_state
        from ui.build_preview import preview


        def page(monkeypatch=None):
            if monkeypatch:
                monkeypatch.setattr("ui.build_cache.library", lambda: "patched")
            return cache.library(), build_state.WORKING, preview()
        """,
    "app_pages/settings.py": """\
        from ui import settings_email
        from ui.email_widgets import email_form

        WIDGET_KEY = "settings_email"  # a widget key, not the module


        def page():
            return settings_email.draw(), email_form()
        """,
    "app_pages/audit.py": """\
        from ui.audit_words import ACTION_WORDS
        from ui.patients_chart import chart


        def page():
            return ACTION_WORDS["patient.add"], chart()
        """,
    "docs/notes.md": """\
        The grid is `ui/build_cache.py` (`ui.build_cache.library`); email is ui/email_widgets.py.
        """,
    "scripts/move_ui.py": """\
        NAMED = {"ui/patients_widgets.py": "ui/records.py"}  # the plan itself holds the old names as data
        """,
}


@pytest.fixture
def repo(tmp_path):
    return committed_tree(tmp_path, TREE)


def _run(root: Path, capsys) -> str:
    assert move_ui.main(["--root", str(root), "--no-ruff"]) == 0
    return capsys.readouterr().out


def test_page_modules_move_into_their_page_folder_and_shared_ones_stay(repo, capsys):
    _run(repo, capsys)
    status = git(repo, "status", "--porcelain")
    assert "R  ui/build_state.py -> ui/build/state.py" in status
    assert "R  ui/build_preview.py -> ui/build/preview.py" in status  # not in any table: found by its prefix
    assert "R  ui/patients_widgets.py -> ui/records.py" in status
    assert "R  ui/audit_words.py -> rehab/words/audit.py" in status
    assert sorted(p.name for p in (repo / "ui").glob("*.py")) == ["__init__.py", "context.py", "email.py",
                                                                   "records.py"]
    assert sorted(p.name for p in (repo / "ui/build").glob("*.py")) == ["__init__.py", "cache.py", "preview.py",
                                                                         "state.py"]
    assert read(repo, "ui/build/__init__.py").startswith('"""The Build program page\'s parts')


def test_imports_keep_their_local_names_and_dotted_names_follow(repo, capsys):
    _run(repo, capsys)
    build = read(repo, "app_pages/build.py")
    assert build.startswith("from ui.build import cache\nfrom ui.build import state as build_state\n"
                            "from ui.build.preview import preview\n")
    assert 'monkeypatch.setattr("ui.build.cache.library"' in build
    assert read(repo, "ui/build/preview.py").startswith("from ui.build import cache as build_cache\n")
    assert read(repo, "ui/patients/chart.py").startswith("from ui.records import saved_at\n")
    assert read(repo, "app_pages/audit.py").startswith("from rehab.words.audit import ACTION_WORDS\n")
    settings = read(repo, "app_pages/settings.py")
    assert settings.startswith("from ui import email as settings_email\nfrom ui.email import email_form\n")
    assert 'WIDGET_KEY = "settings_email"' in settings
    assert read(repo, "docs/notes.md") == (
        "The grid is `ui/build/cache.py` (`ui.build.cache.library`); email is ui/email.py.\n")
    assert read(repo, "scripts/move_ui.py") == textwrap.dedent(TREE["scripts/move_ui.py"])


def test_the_two_email_modules_become_one(repo, capsys):
    _run(repo, capsys)
    email = read(repo, "ui/email.py")
    assert email.startswith('"""Email in the screens')
    assert "Email to patient.\n\nThe mail server section.\n" in email
    assert email.count("from ui.context import repository") == 1
    assert email.index("def email_form") < email.index("def draw")


def test_the_moved_pages_import_and_run(repo, capsys):
    _run(repo, capsys)
    code = ("import app_pages.build as b, app_pages.settings as s, app_pages.audit as a; "
            "print(*b.page(), *s.page(), *a.page(), sep='|')")
    out = subprocess.run([sys.executable, "-c", code], cwd=repo, check=True, capture_output=True, text=True).stdout
    assert out.strip().split("|") == ["working in repo", "working", "preview of working in repo",
                                      "mail settings repo", "form repo", "Added a patient", "saved today"]


def test_a_second_run_changes_nothing(repo, capsys):
    _run(repo, capsys)
    first = git(repo, "diff", "--cached", "-M")
    assert "nothing to do" in _run(repo, capsys)
    assert git(repo, "diff", "--cached", "-M") == first


def test_a_page_module_on_both_sides_stops_the_script(repo, capsys):
    (repo / "ui/build").mkdir()
    (repo / "ui/build/state.py").write_text("", encoding="utf-8")
    with pytest.raises(SystemExit, match="both ui/build_state.py and ui/build/state.py exist"):
        move_ui.main(["--root", str(repo), "--no-ruff"])


# --- this repository ------------------------------------------------------------------------------------------------


def test_the_plan_leaves_only_shared_modules_at_the_top_of_ui():
    """Before the move and after it: a module that fits no page and is not shared needs a place in the plan."""
    moving = set(move_ui.moves(ROOT)) | {part for parts in move_ui.MERGES.values() for part in parts}
    top = {p.stem for p in (ROOT / "ui").glob("*.py") if f"ui/{p.name}" not in moving}
    assert top <= move_ui.SHARED, "give these a folder in scripts/move_ui.py (FOLDERS or NAMED) or call them SHARED"


def test_every_destination_is_free_and_no_two_modules_go_to_one_place():
    plan = move_ui.plan(ROOT)
    pending = {old: new for old, new in plan.moves.items() if (ROOT / old).exists()}
    assert not [new for new in pending.values() if (ROOT / new).exists()]
    assert len(set(pending.values())) == len(pending)
    assert not set(pending.values()) & set(plan.merges)


def test_the_docs_after_the_edits_name_only_paths_that_will_exist():
    plan = move_ui.plan(ROOT)
    after = {*plan.moves.values(), *plan.merges, *(f"{p}/" for p in plan.packages)}
    after |= {f"ui/{p.name}" for p in (ROOT / "ui").glob("*.py")} - set(plan.moves) - {
        part for parts in plan.merges.values() for part in parts}
    for edit in move_ui.EDITS:
        if edit.path.endswith(".md"):
            for name in re.findall(r"\b((?:build|library|patients|review|templates)/|\w+\.py)", edit.new):
                if name.endswith("/"):
                    assert f"ui/{name}" in after, name
                else:
                    assert any(path.endswith("/" + name) for path in after), name
