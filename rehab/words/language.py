"""Which language the words are being written in, for the length of one handout or email.

The language is the program's (``patient.language``, else the clinic's), never a setting of the process:
``speaking(language)`` holds it in a context variable while one document is written, so two handouts made at
once on two threads (two clinicians on the web app) each keep their own.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from ..domain import Language

LANGUAGES: tuple[Language, ...] = tuple(Language)
_current: ContextVar[Language] = ContextVar("rehab_language", default=Language.EN)


def current_language() -> Language:
    return _current.get()


@contextlib.contextmanager
def speaking(language: Language | str | None) -> Iterator[Language]:
    """Write every word in ``language`` inside the block (None: keep the one already chosen)."""
    chosen = Language(language) if language is not None else _current.get()
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)
