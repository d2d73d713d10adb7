"""The gettext catalogues of the fixed handout text (rehab/words/locale): complete, current, faithful, plain.

Every message the code can print (Babel's extraction, ``rehab.words.messages``) is in every language's catalogue
with a translation, the same placeholders and numbers, and each language's plural forms; the sentences read
plainly by the same limits as the content (tests/unit/test_translations.py): Spanish Fernández-Huerta, Polish and
Arabic sentence and word lengths.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

import pytest
from babel.messages.pofile import read_po

from rehab.domain import Dosage, Language
from rehab.handout.words import long_date, settle_time, short_date, w, weeks_in_words
from rehab.words import speaking
from rehab.words.catalog import po_path, translations
from rehab.words.dose import amount_in_words, frequency_in_words, rest_in_words
from rehab.words.formats import WEEKDAYS_SHORT
from rehab.words.messages import stale
from tests.unit.test_translations import (
    FERNANDEZ_HUERTA_MIN,
    MEAN_SENTENCE_WORDS_MAX,
    WORD_LETTERS_MAX,
    fernandez_huerta,
    mean_sentence_words,
    numbers_in,
    words_of,
)

TRANSLATED = [language for language in Language if language is not Language.EN]
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


@cache
def catalog(language: Language):
    with po_path(language).open("rb") as handle:
        return read_po(handle, locale=str(language))


def messages(language: Language):
    return [message for message in catalog(language) if message.id]


def test_the_template_and_catalogues_hold_every_message_the_code_prints():
    assert stale() == [], "run: python -m rehab.words.messages (then translate what is new)"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated(language):
    missing = [f"{m.context or ''} {m.id!r}" for m in messages(language)
               if not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    assert not missing, f"{language}: {len(missing)} untranslated:\n" + "\n".join(missing)
    assert not [m.id for m in messages(language) if m.fuzzy]


@pytest.mark.parametrize("language", TRANSLATED)
def test_plurals_have_every_form_of_the_language(language):
    wrong = [m.id for m in messages(language) if m.pluralizable and len(m.string) != catalog(language).num_plurals]
    assert not wrong


def _pairs(language: Language):
    for m in messages(language):
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        for string in strings:
            yield m, ids[-1], string


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_and_numbers_are_kept(language):
    """The same placeholders (a plural form may say 'one' or 'two' in words instead of {n}, as Arabic does)."""
    wrong = []
    for m, english, text in _pairs(language):
        expected = set(PLACEHOLDER.findall(english))
        found = set(PLACEHOLDER.findall(text))
        if found - expected or (not m.pluralizable and found != expected):
            wrong.append(f"{m.id!r}: {text!r}")
        if numbers_in(english) != numbers_in(text):
            wrong.append(f"{m.id!r}: numbers {numbers_in(english)} -> {numbers_in(text)}")
    assert not wrong, "\n".join(wrong)


def _text(language: Language) -> str:
    parts = []
    for _m, _english, text in _pairs(language):
        plain = " ".join(PLACEHOLDER.sub("5", text).split())
        if len(plain.split()) >= 4:
            parts.append(plain if plain[-1] in ".!?:…" else plain + ".")
    return " ".join(parts)


def test_spanish_fixed_text_reads_fairly_easy():
    assert fernandez_huerta(_text(Language.ES)) >= FERNANDEZ_HUERTA_MIN


@pytest.mark.parametrize("language", [Language.PL, Language.AR])
def test_polish_and_arabic_fixed_text_has_short_sentences_and_words(language):
    text = _text(language)
    assert mean_sentence_words(text) <= MEAN_SENTENCE_WORDS_MAX
    assert [word for word in words_of(text) if sum(ch.isalpha() for ch in word) > WORD_LETTERS_MAX] == []


@pytest.mark.parametrize(("n", "polish"), [(1, "1 tydzień"), (2, "2 tygodnie"), (5, "5 tygodni"), (22, "22 tygodnie"),
                                           (12, "12 tygodni")])
def test_polish_counts_take_the_right_plural_form(n, polish):
    with speaking("pl"):
        assert weeks_in_words(n) == polish


def test_arabic_counts_take_six_plural_forms():
    with speaking("ar"):
        assert [weeks_in_words(n) for n in (1, 2, 3, 11, 100)] == [
            "أسبوع واحد", "أسبوعين", "3 أسابيع", "11 أسبوعًا", "100 أسبوع"]


def test_doses_read_in_each_language_from_the_same_numbers():
    dose = Dosage(sets=3, reps=12, rest_seconds=90, days_per_week=3, times_per_day=2)
    said = {}
    for language in Language:
        with speaking(language):
            said[language] = (amount_in_words(dose, "steps each way"), frequency_in_words(dose), rest_in_words(dose))
    assert said[Language.EN] == ("3 sets of 12 steps each way", "Twice a day, 3 days a week",
                                 "Rest 90 seconds between sets.")
    assert said[Language.ES] == ("3 series de 12 pasos en cada sentido", "Dos veces al día, 3 días por semana",
                                 "Descansa 90 segundos entre series.")
    assert said[Language.PL] == ("3 serie po 12 kroków w każdą stronę", "Dwa razy dziennie, 3 dni w tygodniu",
                                 "Odpocznij 90 sekund między seriami.")
    assert said[Language.AR][0] == "3 مجموعات من 12 خطوة في كل اتجاه"


def test_dates_and_weekdays_come_from_babel_in_each_language():
    day = dt.date(2026, 11, 23)
    expected = {Language.EN: ("23 November 2026", "23 Nov", "Mon"),
                Language.ES: ("23 de noviembre de 2026", "23 nov", "lun"),
                Language.PL: ("23 listopada 2026", "23 lis", "pon"),
                Language.AR: ("23 نوفمبر 2026", "23 نوفمبر", "ن")}  # Arabic: the one-letter narrow names
    for language, (long, short, monday) in expected.items():
        with speaking(language):
            assert (long_date(day), short_date(day), WEEKDAYS_SHORT[0]) == (long, short, monday)


def test_the_language_is_held_per_document_and_english_is_the_default():
    assert w("your_exercises") == "Your exercises"
    with speaking("es"):
        assert w("your_exercises") == "Tus ejercicios"
        with speaking("pl"):
            assert settle_time(120) == "2 godziny"
        assert settle_time(120) == "2 horas"
    assert w("your_exercises") == "Your exercises"


def test_catalogues_compile_with_babel_and_english_needs_none():
    assert translations(Language.EN).gettext("Your exercises") == "Your exercises"
    for language in TRANSLATED:
        assert translations(language).pgettext("your_exercises", "Your exercises") != "Your exercises"


def test_the_catalogue_knows_every_caption_a_drawing_can_have():
    from typing import get_args

    from rehab.illustrations.poses import Caption
    from rehab.words.drawing_key import CAPTIONS

    assert set(CAPTIONS) == set(get_args(Caption))


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_patient_link_pages_words_are_in_every_catalogue(language):
    """The link page's greeting, forms, buttons, reminders, thank-yous and 404 page (rehab/words/page.py)."""
    from rehab.words.page import PAGE, page_word

    held = {m.id: m.string for m in messages(language) if not m.context}
    missing = [key for key, english in PAGE.items() if not held.get(english)]
    assert not missing, f"{language}: the link page's words not translated: {missing}"
    with speaking(language):
        same = [key for key in PAGE if page_word(key, name="Zoë", version=2) == PAGE[key].format(name="Zoë", version=2)]
    assert not same, f"{language}: still English on the link page: {same}"
