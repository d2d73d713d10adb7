"""The fixed sentences of the handout and the dose words through gettext, one catalogue per language.

The English text is the message id, so English needs no catalogue and a missing translation shows up as English
(``tests/unit/test_words_catalog.py`` lists every one). Keyed sentences (``words/handout.py``'s ``w``)
use their key as the gettext context. Markers, as Babel's extractor knows them (``rehab/words/messages.py``):

- ``_("text")``: a sentence; ``n_("one", "many", n)``: a sentence with a count, with each language's plural forms
  (Polish has three, Arabic six); ``p_("context", "text")`` and ``np_(...)``: the same with a context;
- ``N_("text")``: marks a constant for extraction and returns it unchanged; translate it with ``_()`` when used.

The ``.po`` files are the source; each is compiled with Babel (``write_mo``) in memory the first time a language is
used, so a fresh clone needs no build step and a compiled file can never be older than its source.
"""

from __future__ import annotations

import functools
import gettext as _gettext
import io
from pathlib import Path

from ..domain import Language
from .language import current_language

LOCALE = Path(__file__).resolve().parent / "locale"
DOMAIN = "rehab"


def po_path(language: Language | str) -> Path:
    return LOCALE / str(language) / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(language: Language) -> _gettext.NullTranslations:
    """The compiled catalogue of one language; English is the message ids themselves."""
    if language is Language.EN:
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path(language).open("rb") as handle:
        catalog = read_po(handle, locale=str(language), domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


def _now() -> _gettext.NullTranslations:
    return translations(current_language())


def gettext(message: str) -> str:
    return _now().gettext(message)


def n_(singular: str, plural: str, n: int) -> str:
    return _now().ngettext(singular, plural, n)


def p_(context: str, message: str) -> str:
    return _now().pgettext(context, message)


def np_(context: str, singular: str, plural: str, n: int) -> str:
    return _now().npgettext(context, singular, plural, n)


def N_(message: str) -> str:
    return message
