"""Translations of the patient text (issue 18) mirror the English sources, entry by entry and field by field.

assets/translations/<language>/{exercises,education,templates}.yaml hold, by id, every patient-facing field of
assets/exercises.yaml, assets/education.yaml and assets/templates.yaml (see docs/translations.md). Each entry
carries a review state and the `source_sha` of the English text it was translated from, so a change to the English
shows up here as "translation out of date".

Readability limits, per entry (an exercise, a topic or a template, all its strings read as one text):
- Spanish: Fernández-Huerta score >= 70 (textstat 0.7.8, its own instance set to "es": Pyphen syllables,
  206.84 - 60 x syllables per word - 1.02 x words per sentence). 70 and above reads as "fairly easy".
- Polish and Arabic (no formula we can compute offline): on average at most 15 words a sentence, and no word
  longer than 20 letters.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

import pytest
import yaml

ASSETS = Path(__file__).resolve().parents[2] / "assets"
TRANSLATIONS = ASSETS / "translations"
LANGUAGES = ("es", "pl", "ar")
REVIEW_STATES = ("needs clinical review", "reviewed")
BOOKKEEPING = ("review", "source_sha")

FERNANDEZ_HUERTA_MIN = 70.0
MEAN_SENTENCE_WORDS_MAX = 15.0
WORD_LETTERS_MAX = 20

EXERCISE_TEXT = ("name", "summary", "steps", "cues", "cautions", "progress_tip", "ease_tip", "rep_unit")


def _exercise_fields(exercise: dict) -> dict:
    """The patient-facing text of one exercise; `load` is the default dose's load, which the dose line prints."""
    fields = {key: exercise[key] for key in EXERCISE_TEXT if exercise.get(key) not in (None, [], "")}
    load = (exercise.get("default_dose") or {}).get("load")
    if load:
        fields["load"] = load
    return fields


def _topic_fields(topic: dict) -> dict:
    return {key: topic[key] for key in ("title", "paragraphs", "points") if topic.get(key)}


def _template_fields(template: dict) -> dict:
    """Title, summary, move-on signs, and each item's patient note and load by exercise id (not physio notes)."""
    items = template.get("items") or []
    return {
        "title": template["title"],
        "summary": template["summary"],
        "move_on": template["move_on"],
        "item_notes": {item["exercise"]: item["notes"] for item in items if item.get("notes")},
        "item_loads": {item["exercise"]: item["load"] for item in items if item.get("load")},
    }


# file name -> (English source, top-level key, fields of one English entry)
KINDS: dict[str, tuple[str, str, Callable[[dict], dict]]] = {
    "exercises": ("exercises.yaml", "exercises", _exercise_fields),
    "education": ("education.yaml", "topics", _topic_fields),
    "templates": ("templates.yaml", "templates", _template_fields),
}
CASES = [(language, kind) for language in LANGUAGES for kind in KINDS]
CASE_IDS = [f"{language}-{kind}" for language, kind in CASES]


def source_sha(fields: dict) -> str:
    """The fingerprint of an English entry's patient text: sha256 of its fields as sorted JSON, first 16 hex digits."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


@cache
def english(kind: str) -> dict[str, dict]:
    file_name, key, fields = KINDS[kind]
    data = yaml.safe_load((ASSETS / file_name).read_text(encoding="utf-8"))
    return {entry["id"]: fields(entry) for entry in data[key]}


@cache
def translated_file(language: str, kind: str) -> dict:
    return yaml.safe_load((TRANSLATIONS / language / f"{kind}.yaml").read_text(encoding="utf-8"))


def translated(language: str, kind: str) -> dict[str, dict]:
    return translated_file(language, kind)[KINDS[kind][1]] or {}


def text_pairs(english_value, translated_value, where: str) -> Iterator[tuple[str, str, str]]:
    """(where, English, translation) for every string two matching fields share, through lists and mappings."""
    if isinstance(english_value, str) and isinstance(translated_value, str):
        yield where, english_value, translated_value
    elif isinstance(english_value, list) and isinstance(translated_value, list):
        for number, (en, tr) in enumerate(zip(english_value, translated_value, strict=False), start=1):
            yield from text_pairs(en, tr, f"{where}[{number}]")
    elif isinstance(english_value, dict) and isinstance(translated_value, dict):
        for key in english_value.keys() & translated_value.keys():
            yield from text_pairs(english_value[key], translated_value[key], f"{where}.{key}")


def all_pairs(language: str, kind: str) -> Iterator[tuple[str, str, str]]:
    entries = translated(language, kind)
    for entry_id, fields in english(kind).items():
        entry = entries.get(entry_id) or {}
        for field, value in fields.items():
            yield from text_pairs(value, entry.get(field), f"{language}/{kind}.yaml {entry_id}.{field}")


def _structure_problems(en, tr, where: str) -> Iterator[str]:
    if isinstance(en, str):
        if not isinstance(tr, str) or not tr.strip():
            yield f"{where}: needs text"
    elif isinstance(en, list):
        if not isinstance(tr, list) or len(tr) != len(en):
            count = len(tr) if isinstance(tr, list) else "no list"
            yield f"{where}: needs {len(en)} items like the English, has {count}"
    elif isinstance(en, dict):
        tr = tr if isinstance(tr, dict) else {}
        yield from (f"{where}.{key}: missing" for key in sorted(en.keys() - tr.keys()))
        yield from (f"{where}.{key}: not in the English" for key in sorted(tr.keys() - en.keys()))
        for key in sorted(en.keys() & tr.keys()):
            yield from _structure_problems(en[key], tr[key], f"{where}.{key}")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_each_file_names_its_language(language, kind):
    assert translated_file(language, kind)["language"] == language


@pytest.mark.parametrize(("language", "kind"), CASES, ids=CASE_IDS)
def test_every_entry_and_field_is_translated_and_nothing_extra(language, kind):
    entries = translated(language, kind)
    problems = [f"{entry_id}: missing" for entry_id in english(kind) if entry_id not in entries]
    problems += [f"{entry_id}: not in the English" for entry_id in entries if entry_id not in english(kind)]
    for entry_id in english(kind).keys() & entries.keys():
        text = {key: value for key, value in entries[entry_id].items() if key not in BOOKKEEPING}
        problems += _structure_problems(english(kind)[entry_id], text, entry_id)
    assert not problems, f"{language}/{kind}.yaml:\n" + "\n".join(problems)


@pytest.mark.parametrize(("language", "kind"), CASES, ids=CASE_IDS)
def test_every_entry_has_an_allowed_review_state(language, kind):
    wrong = {entry_id: entry.get("review") for entry_id, entry in translated(language, kind).items()
             if entry.get("review") not in REVIEW_STATES}
    assert not wrong, f"{language}/{kind}.yaml: review must be one of {REVIEW_STATES}: {wrong}"


@pytest.mark.parametrize(("language", "kind"), CASES, ids=CASE_IDS)
def test_every_translation_was_made_from_the_current_english(language, kind):
    entries = translated(language, kind)
    stale = [f"{entry_id}: translation out of date (English text changed); after updating it, "
             f"set source_sha: {source_sha(fields)}"
             for entry_id, fields in english(kind).items()
             if entry_id in entries and entries[entry_id].get("source_sha") != source_sha(fields)]
    assert not stale, f"{language}/{kind}.yaml:\n" + "\n".join(stale)


PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def numbers_in(text: str) -> list[str]:
    """The numbers a patient reads, in order of size (word order differs between languages)."""
    plain = PLACEHOLDER.sub(" ", text).translate(EASTERN_DIGITS)
    return sorted(re.findall(r"\d+(?:[.,]\d+)?", plain))


@pytest.mark.parametrize(("language", "kind"), CASES, ids=CASE_IDS)
def test_placeholders_are_kept_exactly(language, kind):
    wrong = [f"{where}: English has {sorted(PLACEHOLDER.findall(en))}, translation {sorted(PLACEHOLDER.findall(tr))}"
             for where, en, tr in all_pairs(language, kind)
             if sorted(PLACEHOLDER.findall(en)) != sorted(PLACEHOLDER.findall(tr))]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("language", "kind"), CASES, ids=CASE_IDS)
def test_every_string_has_the_same_numbers_as_the_english(language, kind):
    wrong = [f"{where}: English {numbers_in(en)}, translation {numbers_in(tr)}"
             for where, en, tr in all_pairs(language, kind) if numbers_in(en) != numbers_in(tr)]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("language", "kind"), CASES, ids=CASE_IDS)
def test_no_string_is_left_in_english(language, kind):
    same = [where for where, en, tr in all_pairs(language, kind) if en.strip().casefold() == tr.strip().casefold()]
    assert not same, "\n".join(same)


def strings_of(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from strings_of(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_of(item)


def entry_text(entry: dict) -> str:
    """All an entry's strings as one text; a heading or list item without an end mark counts as one sentence."""
    parts = [" ".join(text.split()) for key, value in entry.items() if key not in BOOKKEEPING
             for text in strings_of(value)]
    return " ".join(part if part[-1] in ".!?:" else f"{part}." for part in parts if part)


SENTENCE_END = re.compile(r"[.!?؟:]+(?:\s|$)")


def words_of(text: str) -> list[str]:
    """Words as a reader sees them; placeholders are filled in by the handout, so they are not words here."""
    tokens = PLACEHOLDER.sub(" ", text).split()
    return [word for word in (token.strip("\"'()«»„”“,;.!?؟:،%") for token in tokens) if word]


def mean_sentence_words(text: str) -> float:
    sentences = [sentence for sentence in SENTENCE_END.split(text) if words_of(sentence)]
    return sum(len(words_of(sentence)) for sentence in sentences) / len(sentences)


@cache
def _spanish_textstat():
    from textstat.textstat import textstatistics  # an instance of our own, so the English default is untouched

    stats = textstatistics()
    stats.set_lang("es")
    return stats


def fernandez_huerta(text: str) -> float:
    return float(_spanish_textstat().fernandez_huerta(text))


@pytest.mark.parametrize("kind", KINDS)
def test_spanish_reads_fairly_easy_by_fernandez_huerta(kind):
    scores = {entry_id: fernandez_huerta(entry_text(entry)) for entry_id, entry in translated("es", kind).items()}
    hard = {entry_id: score for entry_id, score in scores.items() if score < FERNANDEZ_HUERTA_MIN}
    assert not hard, f"es/{kind}.yaml below Fernández-Huerta {FERNANDEZ_HUERTA_MIN}: {hard}"


@pytest.mark.parametrize("language", ("pl", "ar"))
@pytest.mark.parametrize("kind", KINDS)
def test_sentences_and_words_stay_short(language, kind):
    problems = []
    for entry_id, entry in translated(language, kind).items():
        text = entry_text(entry)
        if mean_sentence_words(text) > MEAN_SENTENCE_WORDS_MAX:
            problems.append(f"{entry_id}: {mean_sentence_words(text):.1f} words a sentence on average")
        long_words = [word for word in words_of(text) if sum(ch.isalpha() for ch in word) > WORD_LETTERS_MAX]
        if long_words:
            problems.append(f"{entry_id}: words over {WORD_LETTERS_MAX} letters: {long_words}")
    assert not problems, f"{language}/{kind}.yaml:\n" + "\n".join(problems)


def test_spanish_syllables_are_counted_in_spanish():
    """The formula is only as good as its syllable counter: ro-di-lla, en-ro-lla-da, pan-to-rri-lla."""
    assert _spanish_textstat().syllable_count("rodilla enrollada pantorrilla") == 11


def test_arabic_strings_are_written_in_arabic_letters():
    """Right-to-left text with Latin words in it reorders badly; units are written in Arabic (سم, كم) too."""
    latin = [f"{where}: {tr}" for kind in KINDS for where, _, tr in all_pairs("ar", kind)
             if any(ch.isalpha() and not "\u0600" <= ch <= "\u06ff" for ch in PLACEHOLDER.sub("", tr))]
    assert not latin, "\n".join(latin)


# How each language says the two actions a red flag ends with (English: "Get urgent care." / "Call us.").
RED_FLAG_ACTIONS = {
    "es": ("Busca atención urgente.", "Llámanos."),
    "pl": ("Szukaj pilnej pomocy.", "Zadzwoń do nas."),
    "ar": ("اطلب رعاية عاجلة.", "اتصل بنا."),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_red_flag_keeps_its_action(language):
    """A sign that sends the patient to urgent care in English does so in every language, in the same words."""
    urgent, call = RED_FLAG_ACTIONS[language]
    wrong, checked = [], 0
    for where, en, tr in all_pairs(language, "education"):
        if ".points[" not in where or "red_flags." not in where:
            continue
        checked += 1
        expected = urgent if en.endswith("Get urgent care.") else call if en.endswith("Call us.") else None
        if expected is None or not tr.endswith(expected) or tr.count(urgent) + tr.count(call) != 1:
            wrong.append(f"{where}: should end with {expected!r}: {tr}")
    assert checked == len(english("education")["red_flags"]["points"])
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_same_load_or_unit_reads_the_same_everywhere(language):
    """"light band" is one phrase in a language, in the library and in every template."""
    seen: dict[str, set[str]] = {}
    for kind in ("exercises", "templates"):
        for where, en, tr in all_pairs(language, kind):
            if where.endswith((".load", ".rep_unit")) or ".item_loads." in where:
                seen.setdefault(en, set()).add(tr)
    assert seen, "no loads found"
    assert {en: trs for en, trs in seen.items() if len(trs) > 1} == {}
