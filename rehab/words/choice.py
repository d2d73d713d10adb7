"""Which language a handout is written in: the one asked for, else the program's, else the clinic's."""

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
