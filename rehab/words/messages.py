"""Extract the fixed sentences into the gettext template, and merge it into each language's catalogue (Babel).

``python -m rehab.words.messages`` rewrites ``locale/rehab.pot`` and updates every ``<code>/LC_MESSAGES/rehab.po``
(new sentences come in untranslated, removed ones go); ``--check`` only says whether anything would change.
What is extracted:

- every ``_``, ``n_``, ``p_``, ``np_`` and ``N_`` call with literal text in ``rehab/`` (Babel's Python extractor);
- the keyed sentences of ``words/handout.py`` (context: the key);
- the library's equipment words (context ``equipment``) and what its reps count (context ``rep_unit``).
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from ..domain import Language
from .catalog import DOMAIN, LOCALE, po_path
from .entries import DEFAULT_TITLE

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "N_": None, "n_": (1, 2), "p_": ((1, "c"), 2), "np_": ((1, "c"), 2, 3)}
HEADER = "Fixed sentences of the patient handout (rehab). Translations: docs/translations.md."


def template() -> Catalog:
    """The template catalogue: every sentence the code can print, in English."""
    from ..content.library import load_library
    from ..domain.email_template import DEFAULT_BODY_TEMPLATE, DEFAULT_SUBJECT_TEMPLATE, LOCKED_PDF_NOTE
    from .drawing_key import CAPTIONS, KEY_TITLE
    from .handout import WORDS

    catalog = Catalog(domain=DOMAIN, project="rehab", header_comment=f"# {HEADER}", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("Translators:",),
    ):
        catalog.add(message, locations=[(f"rehab/{filename}", lineno)], auto_comments=comments, context=context)
    for key, text in WORDS.items():
        catalog.add(text, locations=[("rehab/words/handout.py", 0)], context=key)
    catalog.add(KEY_TITLE, locations=[("rehab/illustrations/key.py", 0)], context="drawing_key")
    for caption in CAPTIONS:
        catalog.add(caption, locations=[("rehab/illustrations/poses.py", 0)], context="drawing_caption")
    for context, text in (("email_subject", DEFAULT_SUBJECT_TEMPLATE), ("email_body", DEFAULT_BODY_TEMPLATE),
                          ("email_locked", LOCKED_PDF_NOTE)):
        catalog.add(text, locations=[("rehab/domain/email_template.py", 0)], context=context)
    catalog.add(DEFAULT_TITLE, locations=[("rehab/domain/program.py", 0)], context="program_title")
    library = load_library()
    for thing in sorted({thing for exercise in library for thing in exercise.equipment}):
        catalog.add(thing, locations=[("assets/exercises.yaml", 0)], context="equipment")
    for unit in sorted({exercise.rep_unit for exercise in library if exercise.rep_unit}):
        catalog.add(("{n} " + unit, "{n} " + unit), locations=[("assets/exercises.yaml", 0)], context="rep_unit")
    return catalog


def _po_text(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=120, omit_header=False, sort_output=True, include_lineno=False)
    return out.getvalue()


def merged(language: Language, pot: Catalog) -> Catalog:
    path = po_path(language)
    if path.exists():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=str(language), domain=DOMAIN)
    else:
        catalog = Catalog(locale=str(language), domain=DOMAIN, project="rehab", fuzzy=False)
    catalog.update(pot, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    return catalog


def outputs() -> dict[Path, bytes]:
    pot = template()
    files = {LOCALE / f"{DOMAIN}.pot": _po_text(pot)}
    for language in Language:
        if language is not Language.EN:
            files[po_path(language)] = _po_text(merged(language, pot))
    return files


def _stable(text: bytes) -> bytes:
    """The file without the dates Babel stamps in the header, which change on every run."""
    stamps = (b'"POT-Creation-Date', b'"PO-Revision-Date')
    return b"\n".join(line for line in text.splitlines() if not line.startswith(stamps))


def stale() -> list[Path]:
    return [path for path, text in outputs().items()
            if not path.exists() or _stable(path.read_bytes()) != _stable(text)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rehab.words.messages", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether a file would change")
    args = parser.parse_args(argv)
    if args.check:
        changed = stale()
        for path in changed:
            print(f"out of date: {path.relative_to(ROOT.parent)}")
        return 1 if changed else 0
    for path, text in outputs().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or _stable(path.read_bytes()) != _stable(text):
            path.write_bytes(text)
            print(f"wrote {path.relative_to(ROOT.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
