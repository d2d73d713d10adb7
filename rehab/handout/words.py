"""The handout's fixed words live with the content model (rehab/handout_content/words.py); the layout code
imports them from here."""

from ..handout_content.words import WEEKDAYS_SHORT, WORDS, long_date, settle_time, short_date, w, weeks_in_words

__all__ = ["WEEKDAYS_SHORT", "WORDS", "long_date", "settle_time", "short_date", "w", "weeks_in_words"]
