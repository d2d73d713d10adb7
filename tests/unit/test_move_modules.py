"""scripts/move_modules.py on a tiny made-up repository (never this one): what it moves and how it rewrites
imports, dotted names and paths, that the moved code still imports and runs, and that a second run changes
nothing."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.support.git_tree import committed_tree, git, read

spec = importlib.util.spec_from_file_location("move_modules", ROOT / "scripts" / "move_modules.py")
move_modules = importlib.util.module_from_spec(spec)
sys.modules.setdefault("move_modules", move_modules)  # dataclasses look their module up there
spec.loader.exec_module(move_modules)

TREE = {
    "rehab/__init__.py": """\
        from .content import load_education
        from .wording import dose_words

        __all__ = ["dose_words", "load_education"]
        """,
    "rehab/errors.py": """\
        class RehabError(Exception):
            pass
        """,
    "rehab/datafiles.py": """\
        from pathlib import Path

        ASSETS = Path(__file__).resolve().parent.parent / "assets"
        """,
    "rehab/content.py": """\
        from .datafiles import ASSETS


        def load_education():
            return (ASSETS / "education.txt").read_text().split()
        """,
    "rehab/wording.py": """\
        from . import clinic
        from .errors import RehabError


        def dose_words(times):
            if times < 1:
                raise RehabError("no dose")
            return f"{times} times, call {clinic.EMERGENCY}"
        """,
    "rehab/clinic.py": """\
        CLINIC_FORMAT = "rehab.clinic/1"  # a format id, not the module
        EMERGENCY = "112"
        """,
    "rehab/preview.py": """\
        \"\"\"Previews.\"\"\"

        from __future__ import annotations

        import io


        def thumbnail(data):
            return io.BytesIO(data).read()[:4]
        """,
    "rehab/image_trailer.py": """\
        \"\"\"The trailer check.\"\"\"

        from __future__ import annotations

        import struct

        # the PNG magic
        SIGNATURE = struct.pack(">I", 1)
        """,
    "rehab/handout/__init__.py": "",
    "rehab/handout/render.py": """\
        def render(words):
            return words.upper()
        """,
    "rehab/handout/cli.py": """\
        from ..wording import dose_words
        from .render import render


        def main():
            return render(dose_words(2))
        """,
    "rehab/cli/__init__.py": """\
        COMMAND_MODULES = ["rehab.handout.cli"]
        """,
    "rehab/services/__init__.py": """\
        from .. import clinic, errors as failures, wording
        from ..content import load_education as education


        def sentence():
            return wording.dose_words(3) + clinic.EMERGENCY + str(failures.RehabError) + education()[0]
        """,
    "ui/page.py": """\
        import rehab.tables as tables
        from rehab import content, services
        from rehab.preview import thumbnail


        def show(monkeypatch=None):
            if monkeypatch:
                monkeypatch.setattr("rehab.content.load_education", lambda: ["patched"])
            return services.sentence(), content.load_education(), thumbnail(b"abcdef"), tables.ROWS
        """,
    "rehab/tables.py": """\
        ROWS = 2  # pandas tables for screens, not rehab.storage.tables
        """,
    "assets/education.txt": "knee hip\n",
    "docs/notes.md": """\
        Doses come from `rehab/wording.py` (`rehab.wording.dose_words`); clinic files are `rehab.clinic/1`.
        The handout CLI is rehab/handout/cli.py; `rehab.services.outcomes` is not `rehab.outcomes`.
        History: `rehab/wording.py` moved to its package, rehab.tables became a words module.
        """,
}


@pytest.fixture
def repo(tmp_path):
    return committed_tree(tmp_path, TREE)


def _run(root: Path, capsys) -> str:
    assert move_modules.main(["--root", str(root), "--no-ruff"]) == 0
    return capsys.readouterr().out


def test_modules_move_with_git_and_no_shim_is_left(repo, capsys):
    _run(repo, capsys)
    status = git(repo, "status", "--porcelain")
    assert "R  rehab/wording.py -> rehab/words/dose.py" in status
    assert "R  rehab/content.py -> rehab/content/content.py" in status
    for old in ("wording", "content", "clinic", "datafiles", "tables", "preview", "image_trailer"):
        assert not (repo / "rehab" / f"{old}.py").exists()
    assert not (repo / "rehab/handout/cli.py").exists()
    assert read(repo, "rehab/words/__init__.py").startswith('"""Sentences a patient or clinician reads')


def test_relative_imports_are_re_expressed_from_the_new_place(repo, capsys):
    _run(repo, capsys)
    assert read(repo, "rehab/words/dose.py").startswith(
        "from ..domain import clinic\nfrom ..errors import RehabError\n")
    assert read(repo, "rehab/cli/handout.py").startswith(
        "from ..words.dose import dose_words\nfrom ..handout.render import render\n")
    assert read(repo, "rehab/content/content.py").startswith("from .files import ASSETS\n")
    assert read(repo, "rehab/__init__.py").startswith(
        "from .content.content import load_education\nfrom .words.dose import dose_words\n")


def test_a_module_imported_from_its_package_keeps_its_local_name(repo, capsys):
    _run(repo, capsys)
    services = read(repo, "rehab/services/__init__.py")
    assert services.startswith("from ..domain import clinic\nfrom .. import errors as failures\n"
                               "from ..words import dose as wording\n"
                               "from ..content.content import load_education as education\n")
    page = read(repo, "ui/page.py")
    assert "import rehab.words.screens as tables\n" in page
    assert "from rehab.content import content\nfrom rehab import services\n" in page
    assert "from rehab.images import thumbnail\n" in page


def test_dotted_names_and_paths_are_rewritten_but_not_format_ids_or_longer_names(repo, capsys):
    _run(repo, capsys)
    assert 'monkeypatch.setattr("rehab.content.content.load_education"' in read(repo, "ui/page.py")
    assert read(repo, "rehab/cli/__init__.py") == 'COMMAND_MODULES = ["rehab.cli.handout"]\n'
    assert '"rehab.clinic/1"' in read(repo, "rehab/domain/clinic.py")
    assert read(repo, "docs/notes.md") == (
        "Doses come from `rehab/words/dose.py` (`rehab.words.dose.dose_words`); clinic files are `rehab.clinic/1`.\n"
        "The handout CLI is rehab/cli/handout.py; `rehab.services.outcomes` is not `rehab.program.outcomes`.\n"
        "History: `rehab/wording.py` moved to its package, rehab.tables became a words module.\n")
    assert "not rehab.storage.tables" in read(repo, "rehab/words/screens.py")


def test_a_file_one_folder_deeper_still_finds_the_assets(repo, capsys):
    _run(repo, capsys)
    assert 'Path(__file__).resolve().parent.parent.parent / "assets"' in read(repo, "rehab/content/files.py")


def test_merged_modules_share_one_docstring_and_import_block(repo, capsys):
    _run(repo, capsys)
    images = read(repo, "rehab/images.py")
    assert images.count("from __future__ import annotations") == 1
    assert "Previews.\n\nThe trailer check.\n" in images
    assert images.index("import io") < images.index("def thumbnail") < images.index("# the PNG magic")


def test_the_moved_tree_imports_and_runs(repo, capsys):
    _run(repo, capsys)
    code = "import ui.page, rehab.cli.handout as h; print(*ui.page.show(), h.main(), sep='|')"
    out = subprocess.run([sys.executable, "-c", code], cwd=repo, check=True, capture_output=True, text=True).stdout
    assert out.split("|") == ["3 times, call 112112<class 'rehab.errors.RehabError'>knee", "['knee', 'hip']",
                              "b'abcd'", "2", "2 TIMES, CALL 112\n"]


def test_a_second_run_changes_nothing(repo, capsys):
    _run(repo, capsys)
    first = git(repo, "diff", "--cached", "-M")
    assert "nothing to do" in _run(repo, capsys)
    assert git(repo, "diff", "--cached", "-M") == first
    assert git(repo, "status", "--porcelain", "--untracked-files=all").count("??") == 0


def test_a_module_moved_on_both_sides_stops_the_script(repo, capsys):
    (repo / "rehab/words").mkdir()
    (repo / "rehab/words/dose.py").write_text("", encoding="utf-8")
    with pytest.raises(SystemExit, match="both rehab/wording.py and rehab/words/dose.py exist"):
        move_modules.main(["--root", str(repo), "--no-ruff"])


def test_uncommitted_changes_stop_the_script_before_it_moves_anything(repo):
    (repo / "rehab/wording.py").write_text("X = 1\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="uncommitted changes"):
        move_modules.main(["--root", str(repo), "--no-ruff"])
    assert (repo / "rehab/wording.py").exists() and not (repo / "rehab/words").exists()


def test_the_mapping_covers_every_flat_module_of_the_target_layout():
    """After the move, rehab/ holds no flat module but the package API, errors and config."""
    flat = {p.name for p in (ROOT / "rehab").glob("*.py")}
    still_flat = flat - {Path(old).name for old in move_modules.path_map() if old.count("/") == 1}
    unplaced = still_flat - {"__init__.py", "__main__.py", "errors.py", "config.py"}
    assert unplaced == set(), "give these modules a package in MOVES (scripts/move_modules.py)"


def test_lines_the_longer_names_push_past_the_limit_are_wrapped():
    old = textwrap.dedent('''\
        """Doses.

        Every number comes from the program's data through rehab.wording, rehab.timing and rehab.progression; the
        fixed words come from words.py.
        """
        X = "rehab.wording.card_words"  # patched by the tests of rehab.wording, rehab.timing and rehab.progression ok
        ''')
    new = old.replace("rehab.wording", "rehab.words.dose").replace("rehab.timing", "rehab.program.timing")
    new = new.replace("rehab.progression", "rehab.program.progression")
    wrapped = move_modules.wrap_long_lines(new, set(old.splitlines()))
    assert max(len(line) for line in wrapped.splitlines()) <= move_modules.LINE_LENGTH
    assert "progression;\nthe fixed words come from words.py.\n" in wrapped  # the paragraph flows on
    assert wrapped.endswith('ok\nX = "rehab.words.dose.card_words"\n')  # the comment moves above its line


def test_a_docs_edit_applies_once_and_says_when_main_changed_the_text():
    Edit = move_modules.Edit
    tree = "rehab/\n  domain/   models\n            more\n  cli/      commands\n"
    append = Edit("x", r"^  domain/ .*?\n(?=  \S)", "<MATCH>            clinic.py\n", regex=True, done="clinic.py")
    once = append.apply(tree)
    assert once == "rehab/\n  domain/   models\n            more\n            clinic.py\n  cli/      commands\n"
    assert append.apply(once) == once
    versions = Edit("x", ("  cli/      old words\n", "  cli/      commands\n"), "  cli/      every subcommand\n")
    assert versions.apply(tree).endswith("  cli/      every subcommand\n")
    assert Edit("x", "not there", "new").apply(tree) is None  # reported to the lead, unless optional
    assert move_modules._pure_row("| **Pure** | x: `domain/` (`program`), `clinic`, `wording`, `handout_content/` |") \
        == "| **Pure** | x: `domain/` (`program`, `clinic`, `email_address`), `program/`, `content/`, `words/`, " \
           "`security/sign_in_throttle`, `handout_content/` |"
