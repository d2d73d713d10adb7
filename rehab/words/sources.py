"""Which English exercise a translated one was made from, so rules that read English text (the counts in a tip,
``rehab.words.dose``) decide on the English and print the translation. Filled by ``entries.translated_exercise``."""

from __future__ import annotations

from ..domain import Exercise

_SOURCES: dict[tuple[str, str], tuple[Exercise, Exercise]] = {}  # (language, id) -> (translated, English)


def remember(language: str, translated: Exercise, english: Exercise) -> None:
    _SOURCES[(language, translated.id)] = (translated, english)


def english_source(exercise: Exercise) -> Exercise:
    """The English exercise ``exercise`` was translated from, or ``exercise`` itself."""
    for (_language, exercise_id), (translated, english) in _SOURCES.items():
        if exercise_id == exercise.id and translated is exercise:
            return english
    return exercise
