"""Dates and weekday names in the language being written, through Babel's CLDR data.

Digits stay Western (0-9) in every language, Arabic included, so the dates read like the dose lines the
handout prints (docs/translations.md).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Sequence

from ..domain import Language
from .language import current_language

_WESTERN = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def _babel_locale(language: Language) -> str:
    return str(language)


@functools.cache
def _long(language: Language, day: dt.date) -> str:
    from babel.dates import format_date

    if language is Language.EN:
        return format_date(day, "d MMMM y", locale="en")  # not CLDR's "November 23, 2026": the day first
    return format_date(day, format="long", locale=_babel_locale(language)).translate(_WESTERN)


@functools.cache
def _short(language: Language, day: dt.date) -> str:
    from babel.dates import format_date

    if language is Language.EN:
        return format_date(day, "d MMM", locale="en")
    # CLDR's abbreviated months end in a dot in some languages ("nov.", "lis"); the handout's cells are narrow
    return format_date(day, "d MMM", locale=_babel_locale(language)).rstrip(".").translate(_WESTERN)


def long_date(day: dt.date) -> str:
    """'22 November 2026', '22 de noviembre de 2026', '22 listopada 2026': the day first, the month in words."""
    return _long(current_language(), day)


def short_date(day: dt.date) -> str:
    """'22 Nov', '22 nov', '22 lis'."""
    return _short(current_language(), day)


@functools.cache
def weekdays(language: Language) -> tuple[str, ...]:
    """Short weekday names, Monday first."""
    from babel.dates import get_day_names

    # Arabic has no abbreviated names (they are the full ones, all starting "ال"): its one-letter narrow names
    width = "narrow" if language is Language.AR else "abbreviated"
    names = get_day_names(width, locale=_babel_locale(language))
    return tuple(str(names[i]).rstrip(".") for i in range(7))


class _Weekdays(Sequence[str]):
    """Monday-first short weekday names in the language being written, looked up on each use."""

    def __getitem__(self, index):  # type: ignore[override]
        return weekdays(current_language())[index]

    def __len__(self) -> int:
        return 7

    def __iter__(self) -> Iterator[str]:
        return iter(weekdays(current_language()))


WEEKDAYS_SHORT: Sequence[str] = _Weekdays()


@functools.cache
def weekdays_long(language: Language) -> tuple[str, ...]:
    """Full weekday names, Monday first, with a capital where the script has one (a label starts a line)."""
    from babel.dates import get_day_names

    names = get_day_names("wide", locale=_babel_locale(language))
    return tuple(str(names[i])[:1].upper() + str(names[i])[1:] for i in range(7))
