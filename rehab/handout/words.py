"""The handout's fixed words live with every other sentence (rehab/words/handout.py); the layout code imports them
from here, with a ``w`` that writes a two-language handout's words in both languages."""

from ..words.handout import WEEKDAYS_SHORT, WORDS, long_date, settle_time, short_date, weeks_in_words
from ..words.handout import w as _w


def w(key: str, **values: object) -> str:
    """The layout's word in the handout's language, and in its second language too when it has one."""
    from .bilingual import in_both

    return in_both(_w, key, **values)


def one_language(key: str, **values: object) -> str:
    """The layout's word in the handout's language only, even in a two-language handout (page furniture)."""
    return _w(key, **values)


__all__ = ["WEEKDAYS_SHORT", "WORDS", "long_date", "one_language", "settle_time", "short_date", "w",
           "weeks_in_words"]
