"""Which language a handout is written in: the one asked for, else the program's, else the clinic's; and which
second language, if any, is printed beneath it."""

from __future__ import annotations

from ..domain import Language, Program
from ..domain.clinic import Clinic
from ..errors import RehabError


def handout_language(program: Program, clinic: Clinic, asked: str | Language | None = None) -> Language:
    if asked is None:
        return program.patient.language or clinic.language
    try:
        return Language(str(asked.value if isinstance(asked, Language) else asked).lower())
    except ValueError:
        codes = ", ".join(language.value for language in Language)
        raise RehabError(f"language: {asked!r} is not a handout language; use one of: {codes}") from None


def second_handout_language(program: Program, clinic: Clinic, first: Language,
                            asked: str | Language | None = None) -> Language | None:
    """The language printed beneath ``first``: the one asked for, else the program's ``patient.second_language``;
    None for a one-language handout. Asking for ``first`` itself is refused; a stored one equal to ``first`` (the
    clinic's language changed since, or ``first`` was asked for) gives a one-language handout."""
    if asked is None:
        stored = program.patient.second_language
        return None if stored is first else stored
    second = handout_language(program, clinic, asked)
    if second is first:
        allowed = ", ".join(language.value for language in Language if language is not first)
        raise RehabError(f"second_language: use one of: {allowed} (not the handout's own language, {first.value})")
    return second
