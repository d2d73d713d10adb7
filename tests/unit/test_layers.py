"""The layer rules of docs/architecture.md, checked over every import in the code (an AST walk, lazy imports
included), so a wrong-way import fails here instead of waiting for a review.

The layers are entry points → services → pure packages and adapters, mapped onto module names in ``LAYERS``.
``EXCEPTIONS`` held the wrong-way imports W1–W17 of docs/architecture.md while they were being fixed; it is empty
now and stays empty: a new wrong-way import is fixed (the failure says how), not listed.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

ENTRY, SERVICE, PURE, INFRA, ADAPTER = "entry point", "service", "pure", "infrastructure", "adapter"
ADAPTERS = ("rehab.storage", "rehab.mail", "rehab.handout", "rehab.illustrations")

# Which layer each module belongs to: the longest matching name wins. A new module must be given a layer here.
LAYERS: dict[str, str] = {
    # Entry points: they call services, pure code and infrastructure, never an adapter.
    "app": ENTRY, "serve": ENTRY, "server": ENTRY, "app_pages": ENTRY, "ui": ENTRY,
    "rehab": ENTRY,  # rehab/__init__.py: the public Python API (load_program, render_handout, …)
    "rehab.__main__": ENTRY, "rehab.cli": ENTRY,  # every subcommand, in rehab/cli/
    # Services (target: rehab/services/): use cases over pure code and adapters.
    "rehab.services": SERVICE,
    "rehab.services.patient_links": SERVICE,  # issue 16: the patient link and its check-ins
    "rehab.services.patient_page": SERVICE, "rehab.services.link_reminders": SERVICE,
    "server.patient_route": ENTRY, "server.patient_page": ENTRY, "ui.patient_link": ENTRY,  # issue 16
    # Pure (target: domain/, program/, content/, words/): models, rules and sentences, no I/O beyond assets/.
    "rehab.domain": PURE,
    "rehab.program": PURE,
    "rehab.content": PURE,
    "rehab.security": INFRA, "rehab.security.sign_in_throttle": PURE,
    "rehab.words": PURE,  # every patient word in the program's language: catalogues, dates, translated entries
    "rehab.domain.links": PURE,  # issue 16: link records, adherence per week
    "rehab.handout_content": PURE,  # what a handout says, for the PDF and a web page alike (no reportlab)
    # Infrastructure: used from every layer, importing none of the others.
    "rehab.errors": INFRA, "rehab.config": INFRA,
    "rehab.images": INFRA,
    # Adapters: the outside world (database, mail server, PDF drawing).
    **dict.fromkeys(ADAPTERS, ADAPTER),
}

# Wrong-way imports allowed for now: (importer, imported) → "W<n> why", its row in docs/architecture.md. Empty since
# issue 15's moves landed; keep it so (test_no_wrong_way_import_is_allowed_any_more).
EXCEPTIONS: dict[tuple[str, str], str] = {}

# Third-party packages only one adapter may import.
OWNED = {"sqlalchemy": ("rehab.storage",), "alembic": ("rehab.storage",), "smtplib": ("rehab.mail",),
         "reportlab": ("rehab.handout", "rehab.illustrations")}
# What the Streamlit and web code (outside rehab/) never imports, not even through an exception.
NOT_IN_THE_FACE = ("sqlalchemy", "smtplib", "reportlab", "alembic", "pypdf")
WEB = ("streamlit", "starlette", "ui", "app_pages", "server", "app", "serve")


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str  # our module, a third-party top-level name, or "module._private" for a private name
    where: str  # path:line


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources() -> list[Path]:
    files = [ROOT / "app.py", ROOT / "serve.py"]
    for folder in ("rehab", "ui", "app_pages", "server"):
        files += sorted((ROOT / folder).rglob("*.py"))
    return files


SOURCES = _sources()
MODULES = {_module_name(path) for path in SOURCES}


def _package(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _imports_in(path: Path) -> Iterator[Import]:
    """Every import in one file, lazy ones and ``importlib.import_module("…")`` included."""
    module = _module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        where = f"{path.relative_to(ROOT).as_posix()}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, _resolve(alias.name), where)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = _package(module, path).split(".")
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, base] if base else package)
            for alias in node.names:
                if f"{base}.{alias.name}" in MODULES:
                    yield Import(module, f"{base}.{alias.name}", where)
                    continue
                yield Import(module, _resolve(base), where)
                if base in MODULES and alias.name.startswith("_") and not alias.name.startswith("__"):
                    yield Import(module, f"{base}.{alias.name}", where)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            yield Import(module, _resolve(node.args[0].value), where)


def _resolve(name: str) -> str:
    """Our own module by its full name; anything else by its top-level package (``sqlalchemy.orm`` → sqlalchemy)."""
    if name.split(".")[0] not in {m.split(".")[0] for m in MODULES}:
        return name.split(".")[0]
    while name not in MODULES and "." in name:
        name = name.rpartition(".")[0]
    return name


IMPORTS = [item for path in SOURCES for item in _imports_in(path)]


def layer_of(module: str) -> str | None:
    """The layer of one of our modules (the longest matching name in LAYERS), or None if it has none."""
    name = module if module in MODULES else module.rpartition(".")[0]  # "rehab.domain._Frozen": rehab.domain's
    while name:
        if name in LAYERS:
            return LAYERS[name]
        name = name.rpartition(".")[0]
    return None


def _within(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def _adapter_of(module: str) -> str | None:
    return next((p for p in ADAPTERS if _within(module, (p,))), None)


def _unit(module: str) -> str:
    """Where a private name may be shared: a subpackage (rehab.handout.*) or a single flat module."""
    return module.rpartition(".")[0] if module.count(".") >= 2 else module


@dataclass(frozen=True)
class Rule:
    says: str
    fix: str


ENTRY_NO_ADAPTER = Rule(
    "entry points (app.py, serve.py, server/, app_pages/, ui/, CLI modules, the rehab API) call services, pure code "
    "and infrastructure, never an adapter (storage, mail, handout, illustrations)",
    "call a service function (rehab/services/: patients, programs, outbox, …; add one if needed), or for a record "
    "type, take it from the domain")
NOTHING_IMPORTS_THE_FACE = Rule("rehab/ below the entry points never imports an entry point, Streamlit or the web "
                                "server", "pass what the code needs as arguments; move shared code down into rehab/")
PURE_NO_ADAPTER = Rule("pure and infrastructure modules import no adapter and no service",
                       "move the type or constant it needs into the pure module (the domain), and have the adapter "
                       "import it from there")
ADAPTER_NO_SERVICE = Rule("adapters import no service and no entry point",
                          "move what the adapter needs into the domain, or do the work in the service")
ADAPTERS_APART = Rule("storage never imports mail or handout; mail and handout never import storage",
                      "let a service read from storage and hand the values to mail or handout")
STORAGE_NO_CONFIG = Rule("storage never reads the app's settings (rehab.config)",
                         "take the value as an argument; settings are read by entry points")
SERVICES_NO_SQL = Rule("only rehab/storage/ knows the SQL schema (storage.tables) and builds engines (storage.db)",
                       "add a query function or Tx method in rehab/storage/ and call that")
PRIVATE = Rule("a _private name is used only inside its own module or subpackage",
               "make it public (drop the underscore) if it is shared, or move it to where it is used")


def _broken_rules(item: Import) -> list[Rule]:
    """Each layer rule this one import breaks (exceptions not applied)."""
    importer, imported = item.importer, item.imported
    broken = []
    owners = OWNED.get(imported)
    if owners and not _within(importer, owners):
        folders = [owner.replace(".", "/") + "/" for owner in owners]
        broken.append(Rule(f"only {' and '.join(folders)} may import {imported}",
                           f"move the code that needs {imported} into {folders[0]} and call it from there"))
    if imported not in MODULES and imported.rpartition(".")[0] not in MODULES:
        if imported in WEB and layer_of(importer) != ENTRY:
            broken.append(NOTHING_IMPORTS_THE_FACE)
        return broken
    source, target = layer_of(importer), layer_of(imported)
    last = imported.rpartition(".")[2]
    if last.startswith("_") and not last.startswith("__"):
        if _unit(importer) != _unit(imported.rpartition(".")[0]):
            broken.append(PRIVATE)
        return broken
    if source == ENTRY and target == ADAPTER:
        broken.append(ENTRY_NO_ADAPTER)
    if source != ENTRY and target == ENTRY:
        broken.append(NOTHING_IMPORTS_THE_FACE)
    if source in (PURE, INFRA) and target in (ADAPTER, SERVICE):
        broken.append(PURE_NO_ADAPTER)
    if source == ADAPTER and target in (SERVICE, ENTRY):
        broken.append(ADAPTER_NO_SERVICE)
    here, there = _adapter_of(importer), _adapter_of(imported)
    if source == ADAPTER and here != there and {here, there} in ({"rehab.storage", "rehab.mail"},
                                                                  {"rehab.storage", "rehab.handout"}):
        broken.append(ADAPTERS_APART)
    if source == ADAPTER and here == "rehab.storage" and imported == "rehab.config":
        broken.append(STORAGE_NO_CONFIG)
    if source == SERVICE and imported in ("rehab.storage.tables", "rehab.storage.db"):
        broken.append(SERVICES_NO_SQL)
    return broken


def _violations() -> dict[tuple[str, str], list[tuple[Import, Rule]]]:
    found: dict[tuple[str, str], list[tuple[Import, Rule]]] = {}
    for item in IMPORTS:
        for rule in _broken_rules(item):
            found.setdefault((item.importer, item.imported), []).append((item, rule))
    return found


def _explain(pairs: dict[tuple[str, str], list[tuple[Import, Rule]]]) -> str:
    lines = []
    for (importer, imported), hits in sorted(pairs.items()):
        item, rule = hits[0]
        lines.append(f"{item.where}: {importer} imports {imported}.\n    Rule: {rule.says}.\n    Fix: {rule.fix}.")
    return "\n".join(lines)


def test_every_module_has_a_layer():
    unplaced = sorted(module for module in MODULES if layer_of(module) is None)
    assert unplaced == [], f"give these modules a layer in LAYERS (tests/unit/test_layers.py): {unplaced}"


def test_no_import_breaks_a_layer_rule_except_the_listed_ones():
    new = {pair: hits for pair, hits in _violations().items() if pair not in EXCEPTIONS}
    if new:
        pytest.fail("imports that break the layer rules (docs/architecture.md):\n" + _explain(new), pytrace=False)


def test_every_listed_exception_still_happens():
    """A move that fixes a wrong-way import deletes its line from EXCEPTIONS, so the list never goes stale."""
    gone = sorted(pair for pair in EXCEPTIONS if pair not in _violations())
    assert gone == [], f"these imports are fixed: delete them from EXCEPTIONS in tests/unit/test_layers.py: {gone}"


def test_no_wrong_way_import_is_allowed_any_more():
    """Every W-number of docs/architecture.md is fixed: an import that breaks a rule is fixed, not listed."""
    assert EXCEPTIONS == {}


def test_every_exception_names_its_wrong_way_import():
    """Each reason starts with its number in docs/architecture.md's table, then says what crosses."""
    table = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    numbers = {why.split()[0] for why in EXCEPTIONS.values()}
    assert [why for why in EXCEPTIONS.values() if not re.fullmatch(r"W\d+ \S.*", why)] == []
    assert sorted(n for n in numbers if f"| {n} |" not in table) == []


def test_rehab_never_imports_streamlit_the_web_server_or_the_ui():
    found = [f"{i.where}: {i.imported}" for i in IMPORTS
             if i.importer.split(".")[0] == "rehab" and i.imported.split(".")[0] in WEB]
    assert found == [], "rehab/ is usable without Streamlit: move this code into ui/ or server/"


def test_the_streamlit_and_web_code_never_imports_sql_mail_or_pdf_libraries():
    found = [f"{i.where}: {i.imported}" for i in IMPORTS
             if i.importer.split(".")[0] in WEB and i.imported in NOT_IN_THE_FACE]
    assert found == [], "app.py, serve.py, server/, ui/ and app_pages/ call rehab's services for these"


def test_the_domain_imports_only_pydantic_the_standard_library_and_pure_helpers():
    """rehab/domain/ is the bottom of the stack: besides itself, only the error tree, two pure helpers (the one
    email rule, the plain-words pydantic messages) and, for the clinic's logo, rehab.images.check_image. No
    Pillow: the image check decodes with it, the models do not. An import listed in EXCEPTIONS is the exceptions
    test's business."""
    allowed = {"pydantic", "__future__", "email_validator", "rehab.errors", "rehab.images", "rehab.words.problems"}
    found = [f"{i.where}: {i.imported}" for i in IMPORTS if _within(i.importer, ("rehab.domain",))
             and i.imported not in sys.stdlib_module_names and i.imported not in allowed
             and not _within(i.imported, ("rehab.domain",)) and (i.importer, i.imported) not in EXCEPTIONS]
    assert found == [], "rehab/domain/ is the bottom of the stack: it imports nothing else of ours"


def test_the_import_walk_sees_lazy_relative_and_dynamic_imports():
    """The rules are only as good as the walk: a few imports of each kind that it must find."""
    pairs = {(i.importer, i.imported) for i in IMPORTS}
    assert ("rehab.services.programs", "rehab.handout") in pairs  # lazy, inside a function, relative
    assert ("rehab.handout.context", "rehab.illustrations") in pairs  # importlib.import_module("rehab.illustrations")
    assert ("rehab.services.clinic", "rehab.handout") in pairs  # "from ..handout import x": the package
    assert ("rehab.storage.db", "sqlalchemy") in pairs  # third-party by its top-level name
    assert ("rehab.handout.blocks", "rehab.handout.context") in pairs  # within a subpackage
    # a private name
    assert _broken_rules(Import("rehab.services.x", "rehab.program.document._as_data", "x")) == [PRIVATE]


def test_a_wrong_way_import_is_reported_with_its_rule_and_fix():
    rules = _broken_rules(Import("ui.example", "rehab.storage.repository", "ui/example.py:1"))
    assert rules == [ENTRY_NO_ADAPTER]
    assert _broken_rules(Import("rehab.words.dose", "rehab.services.programs", "x")) == [PURE_NO_ADAPTER]
    assert [r.says for r in _broken_rules(Import("ui.example", "reportlab", "x"))] == [
        "only rehab/handout/ and rehab/illustrations/ may import reportlab"]
    assert _broken_rules(Import("rehab.handout.render", "rehab.illustrations.render", "x")) == []
    assert _broken_rules(Import("rehab.illustrations.key", "rehab.illustrations.render._LibraryLoad", "x")) == []


def test_rehab_holds_no_flat_module_but_its_api_errors_and_config():
    """Every concern has a package (docs/architecture.md, "The tree"); a new flat module in rehab/ goes into one."""
    flat = {p.name for p in (ROOT / "rehab").glob("*.py")}
    assert flat - {"__init__.py", "__main__.py", "errors.py", "config.py"} == set()
