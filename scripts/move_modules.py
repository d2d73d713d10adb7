"""Move rehab/'s flat modules into the packages of docs/architecture.md's target layout, in one go (issue 15).

Run once on main, after every branch that edits these modules has been merged, from the repository root:

    .venv/bin/python scripts/move_modules.py          # moves, rewrites, stages, runs ruff
    git commit -m "Move rehab/'s flat modules into packages (scripts/move_modules.py)"

What it does, in order:
1. ``git mv`` each module of MOVES to its package (creating the package with the docstring in PACKAGES), and
   builds each module of MERGES from its parts (``git mv`` of the first part, ``git rm`` of the others).
2. Rewrites every mention of a moved module in every tracked text file: ``from``-imports (absolute and relative,
   ``from rehab import wording`` becomes ``from rehab.words import dose as wording`` so the local name stays),
   dotted names anywhere (``import rehab.wording``, ``"rehab.wording.card_words"`` in ``monkeypatch`` and
   ``mock.patch`` strings, LAYERS and EXCEPTIONS keys), and paths (``rehab/wording.py`` in the docs). Format
   ids such as ``rehab.clinic/1`` are not module names and stay. No re-export shim is left behind.
3. Gives tests/unit/test_layers.py one LAYERS entry per new package, and, in the run that moves something,
   applies the explicit EDITS (the docs that describe the layout; the domain's allowed imports).
4. Runs ``ruff check --fix --select I`` (import order), makes again the files in REGENERATE that cite the
   moved files by line (the gettext catalogues), stages everything and runs ``ruff check``.

It is idempotent: a second run finds every module moved and every mention rewritten, applies no edit, and
changes nothing. It refuses to run when a source and its destination both exist. ``--no-ruff`` skips step 4's
ruff (the test of this script uses it on a fake tree). The tables make one ``Plan``; scripts/move_ui.py runs the
same steps with its own.
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import shutil
import subprocess
import sys
import tokenize
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# ---------------------------------------------------------------------------------------------------------------
# The mapping (paths relative to the repository root)
# ---------------------------------------------------------------------------------------------------------------

MOVES: dict[str, str] = {
    # domain/: pydantic models
    "rehab/clinic.py": "rehab/domain/clinic.py",
    "rehab/email_address.py": "rehab/domain/email_address.py",
    # program/: pure rules over a Program
    "rehab/builder.py": "rehab/program/builder.py",
    "rehab/checks.py": "rehab/program/checks.py",
    "rehab/progression.py": "rehab/program/progression.py",
    "rehab/review.py": "rehab/program/review.py",
    "rehab/timing.py": "rehab/program/timing.py",
    "rehab/templates.py": "rehab/program/templates.py",
    "rehab/outcomes.py": "rehab/program/outcomes.py",
    "rehab/document.py": "rehab/program/document.py",
    "rehab/adherence.py": "rehab/program/adherence.py",
    # content/: assets/ as validated data
    "rehab/datafiles.py": "rehab/content/files.py",
    "rehab/library.py": "rehab/content/library.py",
    "rehab/content.py": "rehab/content/content.py",
    "rehab/exercise_fields.py": "rehab/content/exercise_fields.py",
    "rehab/exercise_csv.py": "rehab/content/exercise_csv.py",
    "rehab/readability.py": "rehab/content/readability.py",
    # words/: sentences people read
    "rehab/wording.py": "rehab/words/dose.py",
    "rehab/email_words.py": "rehab/words/email.py",
    "rehab/tables.py": "rehab/words/screens.py",
    "rehab/summary.py": "rehab/words/summary.py",
    "rehab/validation.py": "rehab/words/problems.py",
    # security/
    "rehab/passwords.py": "rehab/security/passwords.py",
    "rehab/sign_in_throttle.py": "rehab/security/sign_in_throttle.py",
    "rehab/log_privacy.py": "rehab/security/log_privacy.py",
    # every CLI subcommand in rehab/cli/
    "rehab/handout/cli.py": "rehab/cli/handout.py",
}

# One new module made of several old ones, in this order (their top-level names must not clash).
MERGES: dict[str, list[str]] = {
    "rehab/images.py": ["rehab/preview.py", "rehab/image_trailer.py"],
}
MERGED_DOCSTRINGS: dict[str, str] = {
    "rehab/images.py": "Image bytes the app shows and checks: page images of a handout PDF and thumbnails for "
                       "screens (first part),\nand the trailer check that refuses polyglot image files (second "
                       "part).",
}

# New packages and the docstring of their __init__.py.
PACKAGES: dict[str, str] = {
    "rehab/program": "Pure rules over a Program: building, checks, progression, review, timing, templates, "
                     "outcomes, the\nprogram document and adherence. No I/O, no adapter.",
    "rehab/content": "assets/ as validated data: the one YAML reader (files), the exercise library, education "
                     "topics and templates\n(content), exercise fields and CSV, readability.",
    "rehab/words": "Sentences a patient or clinician reads: doses, email, screen tables, summaries and plain-words "
                   "problems.\nThe seam for a second language.",
    "rehab/security": "Passwords, the sign-in throttle and keeping patient data out of logs.",
}

# Files never rewritten: the move scripts and their tests hold the old names as data; vendored code is not ours.
SKIP = ("scripts/move_modules.py", "tests/unit/test_move_modules.py", "scripts/move_ui.py",
        "tests/unit/test_move_ui.py", "tests/e2e/vendor/")
LAYERS_FILE = "tests/unit/test_layers.py"
LINE_LENGTH = 120  # pyproject.toml, [tool.ruff]
# Generated files that cite the moved files by path and line: (a file whose presence says the generator exists,
# how to run it). Run after the move and ruff, in the run that moves something.
REGENERATE = [("rehab/words/messages.py", ["-m", "rehab.words.messages"])]  # gettext catalogues (issue 18)
# A name in a sentence about the move itself ("`rehab/handout/cli.py` moved to …") keeps its old spelling.
HISTORY = r"(?!`?,? (?:moved to|became|→|->) )"


@dataclass(frozen=True)
class Edit:
    """One explicit text edit in ``path``, applied unless ``done`` (default: ``new``) is already in the file.

    ``old`` is the text to replace (or a tuple of versions of it: the first one found is replaced). With
    ``regex``, ``old`` is a pattern (multi-line, dot matches newlines) and ``<MATCH>`` in ``new`` stands for the
    matched text. With ``fix``, a function makes the new text of the first line that ``old`` (a pattern) matches.
    When nothing matches, main changed that text: the edit is reported for the lead to make by hand (never
    fatal), unless it is ``optional`` (the text it removes may already be gone)."""

    path: str
    old: str | tuple[str, ...]
    new: str = ""
    regex: bool = False
    done: str | None = None
    fix: Callable[[str], str] | None = None
    optional: bool = False

    @property
    def olds(self) -> tuple[str, ...]:
        return (self.old,) if isinstance(self.old, str) else self.old

    def apply(self, text: str) -> str | None:
        """The edited text, the same text when already done, or None when ``old`` is not there."""
        if self.fix is not None:
            match = re.search(self.olds[0], text, re.M)
            if match is None:
                return None
            return text[: match.start()] + self.fix(match.group(0)) + text[match.end():]
        marker = self.done or self.new
        if marker and marker in text:
            return text
        for old in self.olds:
            if self.regex:
                match = re.search(old, text, re.M | re.S)
                if match:
                    return text[: match.start()] + self.new.replace("<MATCH>", match.group(0)) + text[match.end():]
            elif old in text:
                return text.replace(old, self.new, 1)
        return None


# Applied after the mechanical rewrite, so ``old`` is written with the new module names where it has any.
EDITS: list[Edit] = []  # filled at the end of this file (long texts)


@dataclass(frozen=True)
class Plan:
    """One move: modules to their new paths, modules merged into one, the new packages with their docstrings, and
    the explicit text edits that go with it. The edits are applied in the run that moves something and never
    later: once the move is done, the texts they fix belong to people again. ``PLAN`` is rehab/'s move (above);
    scripts/move_ui.py makes another with the same machinery."""

    moves: dict[str, str]
    merges: dict[str, list[str]] = field(default_factory=dict)
    merged_docstrings: dict[str, str] = field(default_factory=dict)
    packages: dict[str, str] = field(default_factory=dict)
    edits: list[Edit] = field(default_factory=list)


PLAN = Plan(MOVES, MERGES, MERGED_DOCSTRINGS, PACKAGES, EDITS)


# ---------------------------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------------------------


def module_of(path: str) -> str:
    """rehab/words/dose.py → rehab.words.dose; rehab/words/__init__.py → rehab.words."""
    parts = path.removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_map(plan: Plan = PLAN) -> dict[str, str]:
    """Old dotted module → new dotted module, for moves and merges alike."""
    names = {module_of(old): module_of(new) for old, new in plan.moves.items()}
    for new, parts in plan.merges.items():
        names |= {module_of(part): module_of(new) for part in parts}
    return names


def path_map(plan: Plan = PLAN) -> dict[str, str]:
    paths = dict(plan.moves)
    for new, parts in plan.merges.items():
        paths |= dict.fromkeys(parts, new)
    return paths


def submodules_of(package: str, root: Path, plan: Plan = PLAN) -> set[str]:
    """The module names inside a package, from the mapping and from the tree."""
    found = {new.rpartition(".")[2] for new in module_map(plan).values() if new.rpartition(".")[0] == package}
    folder = root / package.replace(".", "/")
    if folder.is_dir():
        found |= {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
        found |= {p.name for p in folder.iterdir() if (p / "__init__.py").exists()}
    return found


# ---------------------------------------------------------------------------------------------------------------
# Step 1: moving files
# ---------------------------------------------------------------------------------------------------------------


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def depth(path: str) -> int:
    return path.count("/")


def fix_file_paths(text: str, old: str, new: str) -> str:
    """``Path(__file__).parent…`` counts folders: one more ``.parent`` for each folder deeper."""
    extra = depth(new) - depth(old)
    if "__file__" not in text or extra == 0:
        return text
    pattern = re.compile(r"(Path\(__file__\)(?:\.resolve\(\))?)((?:\.parent)+)")
    if len(pattern.findall(text)) != text.count("__file__"):
        raise SystemExit(f"{old}: uses __file__ in a way this script cannot adjust; move it by hand")
    return pattern.sub(lambda m: m.group(1) + m.group(2) + ".parent" * extra, text)


def move_files(root: Path, log: list[str], notes: list[str], plan: Plan = PLAN) -> dict[str, str]:
    """Moves and merges what is still to move; returns new path → old path for each file moved now."""
    moved: dict[str, str] = {}
    for package, doc in plan.packages.items():
        init = root / package / "__init__.py"
        if not init.exists():
            init.parent.mkdir(parents=True, exist_ok=True)
            init.write_text(f'"""{doc}"""\n', encoding="utf-8")
            git(root, "add", f"{package}/__init__.py")
            log.append(f"created {package}/__init__.py")
    for old, new in plan.moves.items():
        source, target = root / old, root / new
        if source.exists() and target.exists():
            raise SystemExit(f"both {old} and {new} exist: merge them by hand, then run this again")
        if not source.exists():
            if not target.exists():
                notes.append(f"neither {old} nor {new} exists; skipped")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        git(root, "mv", old, new)
        target.write_text(fix_file_paths(target.read_text(encoding="utf-8"), old, new), encoding="utf-8")
        moved[new] = old
        log.append(f"moved {old} → {new}")
    for new, parts in plan.merges.items():
        present = [part for part in parts if (root / part).exists()]
        if not present:
            continue
        if (root / new).exists():
            raise SystemExit(f"{new} exists and so do {present}: merge them by hand, then run this again")
        texts = [(part, (root / part).read_text(encoding="utf-8")) for part in present]
        git(root, "mv", present[0], new)
        for part in present[1:]:
            git(root, "rm", "-q", part)
        (root / new).write_text(merged_module(new, texts, plan.merged_docstrings.get(new, "")), encoding="utf-8")
        moved[new] = present[0]  # the parts share a folder: relative imports resolve the same from each
        log.append(f"merged {', '.join(present)} → {new}")
    return moved


def merged_module(new: str, texts: list[tuple[str, str]], summary: str = "") -> str:
    """One module from several: one docstring (``summary``, then each part's), one import block, then the bodies
    in order. Refuses parts whose top-level names clash."""
    docs, imports, bodies, names = [], [], [], {}
    for part, text in texts:
        tree = ast.parse(text)
        lines = text.splitlines(keepends=True)
        body = list(tree.body)
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            docs.append(ast.get_docstring(tree, clean=True) or "")
            body = body[1:]
        start = 0
        while start < len(body) and isinstance(body[start], ast.Import | ast.ImportFrom):
            statement = "".join(lines[body[start].lineno - 1 : body[start].end_lineno]).strip()
            if statement not in imports:
                imports.append(statement)
            start += 1
        if start < len(body):
            bodies.append("".join(lines[body[start].lineno - 1 - _leading_comments(lines, body[start]):]).strip())
        for node in body[start:]:
            for name in _defined(node):
                if name in names:
                    raise SystemExit(f"{new}: {name} is defined in both {names[name]} and {part}; merge by hand")
                names[name] = part
    future = [line for line in imports if line.startswith("from __future__")]
    others = [line for line in imports if not line.startswith("from __future__")]
    doc = "\n\n".join([summary.strip(), *docs]).strip()
    head = f'"""{doc}\n"""\n\n' + "".join(f"{line}\n" for line in future) + "\n" + "\n".join(others)
    return head + "\n\n" + "\n\n\n".join(bodies) + "\n"


def _leading_comments(lines: list[str], node: ast.stmt) -> int:
    count, index = 0, node.lineno - 2
    while index >= 0 and lines[index].lstrip().startswith("#"):
        count, index = count + 1, index - 1
    return count


def _defined(node: ast.stmt) -> list[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [node.name]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


# ---------------------------------------------------------------------------------------------------------------
# Step 2: rewriting mentions
# ---------------------------------------------------------------------------------------------------------------


class Rewriter:
    """Rewrites one file's mentions of moved modules. ``where`` is the file's path before the move (relative
    imports resolve against it) and ``now`` its path after."""

    def __init__(self, root: Path, moved_now: set[str], plan: Plan = PLAN):
        self.root = root
        self.modules = module_map(plan)
        self.paths = path_map(plan)
        # The new packages whose name was a module before (rehab.content): "rehab.content.X" is new when X is
        # one of the package's modules, and the old module's attribute otherwise.
        self.collisions = {old: submodules_of(old, root, plan) for old, new in self.modules.items()
                           if new.startswith(old + ".")}
        # Once such a move is done, a bare "rehab.content" means the package: it is rewritten only in the run
        # that moves the module.
        self.settled = {old for old in self.collisions if old not in moved_now}
        self.dotted = [(re.compile(self._dotted_pattern(old)), new) for old, new in self.modules.items()
                       if old not in self.settled]
        self.path_patterns = [(re.compile(r"(?<![\w./])" + re.escape(old) + r"(?!\w)" + HISTORY), new)
                              for old, new in self.paths.items()]

    def _dotted_pattern(self, old: str) -> str:
        # Not preceded by a name or a dot (rehab.services.outcomes is not rehab.outcomes), not followed by a name
        # character or a slash (rehab.clinic/1 is a format id, not the module).
        pattern = r"(?<![\w.])" + re.escape(old) + r"(?![\w/])" + HISTORY
        if old in self.collisions and self.collisions[old]:
            pattern += r"(?!\.(?:" + "|".join(sorted(map(re.escape, self.collisions[old]))) + r")\b)"
        return pattern

    # -- plain text ---------------------------------------------------------------------------------------------

    def text(self, text: str) -> str:
        for pattern, new in self.path_patterns:
            text = pattern.sub(new, text)
        for pattern, new in self.dotted:
            text = pattern.sub(new, text)
        return text

    # -- Python -------------------------------------------------------------------------------------------------

    def python(self, source: str, was: str, now: str) -> str:
        """``from``-imports by resolving them (relative ones against ``was``, re-expressed from ``now``); the
        text around them (dotted names in code, strings and comments) as plain text."""
        try:
            tree = ast.parse(source)
        except SyntaxError:
            return self.text(source)
        data = source.encode("utf-8")
        starts = [0]
        for line in data.splitlines(keepends=True):
            starts.append(starts[-1] + len(line))
        spans = []
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                begin = starts[node.lineno - 1] + node.col_offset
                end = starts[node.end_lineno - 1] + node.end_col_offset
                spans.append((begin, end, node))
        spans.sort(key=lambda item: item[0])
        out, position = [], 0
        for begin, end, node in spans:
            out.append(self.text(data[position:begin].decode("utf-8")))
            original = data[begin:end].decode("utf-8")
            line_start = data.rfind(b"\n", 0, begin) + 1
            indent = data[line_start:begin].decode("utf-8")
            out.append(self._import_from(node, original, was, now, indent if not indent.strip() else None))
            position = end
        out.append(self.text(data[position:].decode("utf-8")))
        return "".join(out)

    def _is_package_import(self, base: str, names: list[str]) -> bool:
        """``from rehab.content import files``: the new package, not the old module."""
        return base in self.collisions and all(name in self.collisions[base] for name in names)

    def _import_from(self, node: ast.ImportFrom, original: str, was: str, now: str, indent: str | None) -> str:
        old_package = _package(was)
        base = _absolute(node.module, node.level, old_package)
        names = [alias.name for alias in node.names]
        groups: dict[str, list[tuple[str, str | None]]] = {}
        for alias in node.names:
            full = f"{base}.{alias.name}"
            if (full in self.modules and full not in self.settled
                    and not self._is_package_import(base, [alias.name])):
                target, _, last = self.modules[full].rpartition(".")
                asname = alias.asname or (alias.name if last != alias.name else None)
                asname = None if asname == last else asname  # "from ui import build_state as state": no "as state"
                groups.setdefault(target, []).append((last, asname))
            else:
                target = base
                if base in self.modules and not self._is_package_import(base, names):
                    target = self.modules[base]
                groups.setdefault(target, []).append((alias.name, alias.asname))
        new_package = _package(now)
        relative = node.level > 0
        if len(groups) == 1:
            (target, aliases), = groups.items()
            if aliases == [(a.name, a.asname) for a in node.names]:
                spec = _spec(target, new_package) if relative else target
                old_spec = "." * node.level + (node.module or "")
                if spec == old_spec:
                    return original
                return re.sub(r"^from\s+[.\w]+\s+import", f"from {spec} import", original, count=1)
        if "#" in original:
            raise SystemExit(f"{was}: an import with a comment inside must be split by hand:\n{original}")
        statements = []
        for target, aliases in groups.items():
            spec = _spec(target, new_package) if relative else target
            listed = ", ".join(name if asname is None else f"{name} as {asname}" for name, asname in aliases)
            statements.append(f"from {spec} import {listed}")
        return ("\n" + indent).join(statements) if indent is not None else "; ".join(statements)


def _package(path: str) -> str:
    """The package a module's relative imports start from."""
    module = module_of(path)
    return module if path.endswith("__init__.py") else module.rpartition(".")[0]


def _absolute(module: str | None, level: int, package: str) -> str:
    if not level:
        return module or ""
    parts = package.split(".")
    parts = parts[: len(parts) - level + 1]
    return ".".join([*parts, module] if module else parts)


def _spec(target: str, package: str) -> str:
    """``target`` as a relative import spec from ``package`` (rehab.words, rehab.errors → ..errors)."""
    here, there = package.split("."), target.split(".")
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    if common == 0:
        return target
    return "." * (len(here) - common + 1) + ".".join(there[common:])


def tracked_text_files(root: Path) -> list[str]:
    files = []
    for name in git(root, "ls-files", "-z").split("\0"):
        if not name or name.startswith(SKIP) or name in SKIP or not (root / name).is_file():
            continue
        files.append(name)
    return sorted(files)


def rewrite_all(root: Path, moved: dict[str, str], log: list[str], plan: Plan = PLAN) -> None:
    """``moved``: new path → old path of the files moved in this run (relative imports resolve from there)."""
    rewriter = Rewriter(root, {module_of(old) for old in moved.values()}, plan)
    before = moved
    for name in tracked_text_files(root):
        path = root / name
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        is_python = name.endswith(".py")
        new_text = rewriter.python(text, before.get(name, name), name) if is_python else rewriter.text(text)
        if is_python and new_text != text:
            new_text = wrap_long_lines(new_text, set(text.splitlines()))
        if new_text != text:
            path.write_text(new_text, encoding="utf-8")
            log.append(f"rewrote {name}")


def wrap_long_lines(text: str, unchanged: set[str]) -> str:
    """Lines the longer names pushed past LINE_LENGTH: a comment or docstring line wraps at a space onto a line of
    its own, a trailing comment moves above its code. Long import lines are left to ruff's import sorting."""
    try:
        tree = ast.parse(text)
        comments = {token.start[0]: token.start[1] for token in tokenize.generate_tokens(io.StringIO(text).readline)
                    if token.type == tokenize.COMMENT}
    except (tokenize.TokenError, SyntaxError):
        return text
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)):
            docstrings |= set(range(body[0].lineno, body[0].end_lineno + 1))
    out = []
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if len(line) <= LINE_LENGTH or line in unchanged:
            out.append(line)
            continue
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        if number in docstrings:
            pieces = _wrapped(line, indent)
            following = lines[number] if number < len(lines) and number + 1 in docstrings else ""
            if len(pieces) > 1 and following.strip() and not following.strip().startswith('"""') and (
                    following[: len(following) - len(following.lstrip())] == indent):
                lines[number] = pieces.pop() + " " + following.lstrip()  # the paragraph flows on
            out.extend(pieces)
        elif stripped.startswith("#"):
            out.extend(_wrapped(line, indent + "# "))
        elif number in comments and len(line[: comments[number]].rstrip()) <= LINE_LENGTH:
            out += [indent + line[comments[number]:], line[: comments[number]].rstrip()]
        else:
            out.append(line)
    return "\n".join(out)


def _wrapped(line: str, prefix: str) -> list[str]:
    """``line`` cut at spaces into lines of at most LINE_LENGTH, the later ones starting with ``prefix``."""
    lines = []
    while len(line) > LINE_LENGTH:
        cut = line.rfind(" ", len(prefix) + 1, LINE_LENGTH + 1)
        if cut <= len(prefix):
            break
        lines.append(line[:cut].rstrip())
        line = prefix + line[cut + 1 :].lstrip()
    return [*lines, line]


# ---------------------------------------------------------------------------------------------------------------
# Step 3: LAYERS and the explicit edits
# ---------------------------------------------------------------------------------------------------------------


def collapse_layers(root: Path, log: list[str], plan: Plan = PLAN) -> None:
    """LAYERS after the rename: one entry per new package ("rehab.words": PURE, its modules' most common layer),
    no entry that says what its package's entry already says, and no key twice (two merged modules)."""
    path = root / LAYERS_FILE
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    original = text

    def entries() -> list[tuple[str, str]]:
        return re.findall(r'"([\w.]+)": ([A-Z_]+),', text)

    def without(key: str, text: str, count: int = 1) -> str:
        return re.sub(r'"' + re.escape(key) + r'": [A-Z_]+,[ ]?', "", text, count=count)

    seen: dict[str, int] = {}
    for key, _ in entries():
        seen[key] = seen.get(key, 0) + 1
    for key, times in seen.items():  # keep the first of a repeated key
        if times > 1:
            first = re.search(r'"' + re.escape(key) + r'": [A-Z_]+,[ ]?', text).end()
            text = text[:first] + without(key, text[first:], count=times - 1)
    for package in sorted(module_of(p + "/__init__.py") for p in plan.packages):
        members = [(key, layer) for key, layer in entries() if key.startswith(package + ".")]
        if not members or package in dict(entries()):
            continue
        layers = [layer for _, layer in members]
        common = max(sorted(set(layers)), key=layers.count)
        at = text.index(f'"{members[0][0]}":')
        text = text[:at] + f'"{package}": {common}, ' + text[at:]
    layer = dict(entries())
    for key in sorted(set(module_map(plan).values())):
        ancestor = key.rpartition(".")[0]
        while ancestor and ancestor not in layer:
            ancestor = ancestor.rpartition(".")[0]
        if key in layer and ancestor and layer[ancestor] == layer[key]:
            text = without(key, text)
    text = re.sub(r"^[ ]+\n", "", text, flags=re.M)  # a line whose entries all went
    text = re.sub(r",[ ]+\n", ",\n", text)
    if text != original:
        path.write_text(text, encoding="utf-8")
        log.append(f"LAYERS in {LAYERS_FILE}: one entry per new package")


def apply_edits(root: Path, log: list[str], plan: Plan = PLAN) -> list[str]:
    notes = []
    for edit in plan.edits:
        path = root / edit.path
        if not path.exists():
            notes.append(f"edit skipped, {edit.path} is missing")
            continue
        text = path.read_text(encoding="utf-8")
        new_text = edit.apply(text)
        if new_text is None and not edit.optional:
            notes.append(f"edit not applied ({edit.path} changed on main), do it by hand:\n--- {edit.olds[0]}\n+++ "
                         f"{edit.new}")
        elif new_text is not None and new_text != text:
            path.write_text(new_text, encoding="utf-8")
            log.append(f"edited {edit.path}: {edit.olds[0].strip().splitlines()[0][:60]}")
    return notes


# ---------------------------------------------------------------------------------------------------------------
# Step 4: stage, ruff
# ---------------------------------------------------------------------------------------------------------------


def ruff_exe() -> str:
    return shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))


def regenerate(root: Path, log: list[str]) -> None:
    """Files made from the code that cite file:line (the gettext catalogues): made again from the moved code."""
    for marker, args in REGENERATE:
        if (root / marker).exists():
            subprocess.run([sys.executable, *args], cwd=root, check=True, capture_output=True)
            log.append(f"ran python {' '.join(args)}")


def main(argv: list[str] | None = None, plan: Plan = PLAN, description: str = __doc__) -> int:
    parser = argparse.ArgumentParser(description=description.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--no-ruff", action="store_true", help="skip ruff (for the test on a fake tree)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    pending = [old for old in path_map(plan) if (root / old).exists()]
    if pending and git(root, "status", "--porcelain", "--untracked-files=no").strip():
        raise SystemExit("the work tree has uncommitted changes: commit or stash them first, so that the move is "
                         "one commit of its own")
    log: list[str] = []
    notes: list[str] = []
    moved = move_files(root, log, notes, plan)
    rewrite_all(root, moved, log, plan)
    collapse_layers(root, log, plan)
    if moved:  # the edits go with the move: a later run leaves the texts as people have made them since
        notes += apply_edits(root, log, plan)
    if not args.no_ruff:  # import order first: it can move lines, and the catalogues cite lines
        subprocess.run([ruff_exe(), "check", "--fix", "--select", "I", "--quiet", "."], cwd=root, check=False)
    if moved:
        regenerate(root, log)
    git(root, "add", "-u")
    status = 0 if args.no_ruff else subprocess.run([ruff_exe(), "check", "."], cwd=root, check=False).returncode
    print("\n".join(log) if log else "nothing to do: every module is already in its package")
    for note in notes:
        print(f"NOTE: {note}", file=sys.stderr)
    if status:
        print("ruff found problems (above): fix them before committing", file=sys.stderr)
    return status


# ---------------------------------------------------------------------------------------------------------------
# The docs that describe the layout, and the domain's allowed imports (after the mechanical rewrite)
# ---------------------------------------------------------------------------------------------------------------

def _pure_row(row: str) -> str:
    """docs/architecture.md's Pure row: the flat module names give way to their packages."""
    if "`program/`" in row:
        return row
    for stem in sorted({Path(old).stem for old in path_map() if old.count("/") == 1}):
        row = row.replace(f"`{stem}`, ", "")
    row = re.sub(r"`domain/` \(([^)]*)\)", lambda m: f"`domain/` ({m.group(1)}, `clinic`, `email_address`)", row,
                 count=1)
    return row.replace("`handout_content/`", "`program/`, `content/`, `words/`, `security/sign_in_throttle`, "
                                              "`handout_content/`", 1)


_DECISIONS = """\
- **The flat modules moved in one scripted step, without shims.** Six branches were editing them at once, so
  `scripts/move_modules.py` ran once after they had merged: `git mv` for each module (history follows the
  file), every import and mention rewritten (relative imports, `from rehab import x`, dotted names in
  `monkeypatch` and `mock.patch` strings, paths in the docs). Its `MOVES` table is the record of old and
  new names. `from rehab import wording` became `from rehab.words import dose as wording`, so local names
  did not change.
- **`rehab/content/` is the package; education topics and templates are `content/content.py`.** We kept
  the module's name rather than invent one: it holds three kinds of content.
- **`email_address` is in `domain/`.** The one email rule is part of the models (the target's `types.py`
  will hold it with the other field types).
- **`images.py` is `preview` and `image_trailer` in one module.** `check_logo` still sits in the clinic
  model; it moves to `images.check_image` next, and then the domain no longer imports Pillow.
"""

_TREE = """\
  program/              pure rules over a Program: document.py builder.py checks.py progression.py review.py
                        timing.py templates.py outcomes.py adherence.py
  content/              assets/ as validated data: files.py (read_yaml, the one YAML reader) library.py
                        content.py exercise_fields.py exercise_csv.py readability.py
  words/                sentences people read: dose.py email.py screens.py summary.py problems.py (the one
                        pydantic-error translator)
  security/             passwords.py sign_in_throttle.py log_privacy.py
  images.py             page previews of a PDF, thumbnails, the check for data hidden after an image
"""

_README_PACKAGES = """\
  program/          pure rules over a Program: builder, checks, progression, review, timing, templates,
                    outcomes, document (reading and writing the program document), adherence (the patient's
                    check-ins per week)
  content/          assets/ as validated data: files (the one YAML reader), library, content (education
                    topics, templates), exercise_fields, exercise_csv, readability
  words/            sentences people read: dose, email, screens (tables for screens), summary, problems
                    (plain-words validation messages)
  security/         passwords, sign_in_throttle, log_privacy
  images.py         page previews of a PDF, thumbnails, and the check for data hidden after an image
"""

EDITS += [
    # The domain test: the clinic model checks its logo with Pillow and rehab.images (check_logo moves to
    # images.check_image next), and the one email rule uses email-validator. A wrong-way import still listed in
    # EXCEPTIONS is the exceptions test's business.
    Edit(LAYERS_FILE,
         '    allowed = {"pydantic", "__future__", "rehab.errors", "rehab.domain.email_address", '
         '"rehab.words.problems"}\n',
         '    allowed = {"pydantic", "__future__", "email_validator", "PIL", "rehab.errors", "rehab.images",\n'
         '               "rehab.words.problems"}\n'),
    Edit(LAYERS_FILE,
         "    one email rule, the plain-words pydantic messages).\"\"\"\n",
         "    one email rule, the plain-words pydantic messages) and, for the clinic's logo check, Pillow and\n"
         "    rehab.images. An import listed in EXCEPTIONS is the exceptions test's business.\"\"\"\n"),
    Edit(LAYERS_FILE,
         "             and not _within(i.imported, (\"rehab.domain\",))]\n",
         "             and not _within(i.imported, (\"rehab.domain\",)) and (i.importer, i.imported) not in "
         "EXCEPTIONS]\n"),
    # README: the layout section.
    Edit("README.md", r"^  domain/ .*?\n(?=  \S)",
         "<MATCH>                    clinic.py (the clinic profile), email_address.py (the one email rule)\n",
         regex=True, done="clinic.py (the clinic profile)"),
    Edit("README.md",
         ("  cli/              python -m rehab: program, db, email, drawings, users (handout: still "
          "rehab/cli/handout.py)\n",
          "  cli/              python -m rehab: program, db, email, drawings, users, handout (render, page1)\n"),
         "  cli/              python -m rehab, every subcommand: program, db, email, handout, drawings, users\n",
         optional=True),
    Edit("README.md", r"^  \*\.py .*?\n(?=\S|  \S)", _README_PACKAGES, regex=True, done=_README_PACKAGES),
    # docs/architecture.md: the layers table and the domain's rule.
    Edit("docs/architecture.md", "`rehab/__main__.py`; `rehab/cli/handout.py` until it moves)", "`rehab/__main__.py`)",
         optional=True),
    Edit("docs/architecture.md", r"^\| \*\*Pure\*\* \|.*$", fix=_pure_row),
    Edit("docs/architecture.md",
         "| **Infrastructure** | `errors`, `config`, `log_privacy`, `passwords`, `preview`, `image_trailer` |",
         "| **Infrastructure** | `errors`, `config`, `security/` (`passwords`, `log_privacy`), `images` |"),
    Edit("docs/architecture.md", r"^- `rehab/domain/` imports only .*?\n(?=\n)",
         "- `rehab/domain/` imports only pydantic, the standard library, itself, the error tree, the plain-words\n"
         "  messages (`words/problems.py`), email-validator (the one email rule) and, for the clinic's logo check,\n"
         "  Pillow and `rehab/images.py` (until `check_logo` moves there).\n", regex=True),
    # docs/architecture.md: decisions, still to move, the tree, where things go.
    Edit("docs/architecture.md",
         "- **`rehab/cli/handout.py` stays in the handout package for now.** Another branch is changing that "
         "package.\n", "", optional=True),
    Edit("docs/architecture.md", r"\n\n## Still to move", f"\n{_DECISIONS}\n## Still to move", regex=True,
         done=_DECISIONS),
    Edit("docs/architecture.md", r"^- Pure packages.*?\n(?=- |\n)",
         "- `check_logo` (in `domain/clinic.py`) moves to `images.py` as `check_image`; `handout/words.py` joins\n"
         "  `words/` as `words/handout.py`.\n", regex=True),
    Edit("docs/architecture.md", r"^  domain/ .*?\n(?=  \S)",
         "<MATCH>                        clinic.py (the clinic profile), email_address.py (the one email rule)\n",
         regex=True, done="clinic.py (the clinic profile)"),
    Edit("docs/architecture.md", "                        users.py (and rehab/cli/handout.py, still in its package)\n",
         "                        handout.py, users.py\n", optional=True),
    Edit("docs/architecture.md", r"^  clinic\.py .*?\n(?=  handout_content/)", _TREE, regex=True),
    Edit("docs/architecture.md", "(fridge, cards, plan, education …), cli.py\n", "(fridge, cards, plan, education …)\n",
         optional=True),
    Edit("docs/architecture.md", "or the program (`rehab/domain.py`)", "or the program (`rehab/domain/program.py`)",
         optional=True),
    Edit("docs/architecture.md", "a pure module (`checks.py`, `progression.py` …)",
         "a module in `rehab/program/` (`checks.py`, `progression.py` …)"),
    Edit("docs/architecture.md", "- A new sentence for patients or clinicians: the words modules,",
         "- A new sentence for patients or clinicians: `rehab/words/`,"),
]


if __name__ == "__main__":
    sys.exit(main())
