"""The patient text of the exercise library, the education topics and the templates in another language:
per-language entries beside the English in ``assets/translations/<code>/`` (docs/translations.md).

An entry is used only when it was made from the current English (its ``source_sha``); an entry whose English
changed since, or a clinic's own exercise, stays in English, and ``missing_for`` names them so the clinician
sees it before printing. Each entry's review state is for the clinician only (``review_states``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import yaml

from ..content.content import EducationTopic, Template, load_education, load_templates, running_rise
from ..content.files import ASSETS
from ..content.library import ExerciseLibrary, load_library
from ..domain import Dosage, Exercise, Language, Program, ProgramItem
from .catalog import p_, translations
from .language import current_language
from .sources import remember

TRANSLATIONS = ASSETS / "translations"
KINDS = {"exercises": "exercises", "education": "topics", "templates": "templates"}
NEEDS_REVIEW = "needs clinical review"
REVIEWED = "reviewed"
DEFAULT_TITLE = Program.model_fields["title"].default  # "Your knee exercise program"
EXERCISE_TEXT = ("name", "summary", "steps", "cues", "cautions", "progress_tip", "ease_tip", "rep_unit")


def source_sha(fields: Mapping) -> str:
    """The fingerprint of an English entry's patient text: sha256 of its fields as sorted JSON, 16 hex digits."""
    canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def exercise_fields(exercise: Exercise) -> dict:
    """The patient-facing text of one exercise; ``load`` is the default dose's load, which the dose line prints."""
    data = exercise.model_dump(mode="json")
    fields = {key: data[key] for key in EXERCISE_TEXT if data.get(key) not in (None, [], "")}
    if exercise.default_dose.load:
        fields["load"] = exercise.default_dose.load
    return fields


def topic_fields(topic: EducationTopic) -> dict:
    return {key: value for key, value in (("title", topic.title), ("paragraphs", list(topic.paragraphs)),
                                          ("points", list(topic.points))) if value}


def template_fields(template: Template) -> dict:
    return {
        "title": template.title,
        "summary": template.summary,
        "move_on": list(template.move_on),
        "item_notes": {item.exercise: item.notes for item in template.items if item.notes},
        "item_loads": {item.exercise: item.load for item in template.items if item.load},
    }


@functools.cache
def entries(language: Language, kind: str) -> Mapping[str, Mapping]:
    """The raw entries of one file by id ({} for English)."""
    if language is Language.EN:
        return {}
    path = TRANSLATIONS / str(language) / f"{kind}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return data.get(KINDS[kind]) or {}


def _current(language: Language, kind: str, entry_id: str, english: Mapping) -> Mapping | None:
    entry = entries(language, kind).get(entry_id)
    return entry if entry is not None and entry.get("source_sha") == source_sha(english) else None


# --- exercises ---------------------------------------------------------------------------------------------

@functools.cache
def translated_exercise(exercise: Exercise, language: Language) -> Exercise:
    """The exercise with its patient text in ``language``; the same object when there is no current entry."""
    entry = _current(language, "exercises", exercise.id, exercise_fields(exercise))
    if entry is None:
        return exercise
    # rep_unit stays English: the dose line takes its plural forms from the catalogue, by the English unit
    update = {key: (tuple(entry[key]) if isinstance(entry[key], list) else entry[key])
              for key in EXERCISE_TEXT if key in entry and key != "rep_unit"}
    update["equipment"] = tuple(p_("equipment", thing) for thing in exercise.equipment)
    if exercise.default_dose.load and "load" in entry:
        update["default_dose"] = exercise.default_dose.model_copy(update={"load": entry["load"]})
    translated = exercise.model_copy(update=update)
    remember(str(language), translated, exercise)
    return translated


_TRANSLATED_LIBRARIES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # library -> {language: library}


def translate_library(library: ExerciseLibrary, language: Language) -> ExerciseLibrary:
    """The library with every exercise's patient text in ``language``: made once per library (they never change),
    not for every handout."""
    if language is Language.EN:
        return library
    by_language = _TRANSLATED_LIBRARIES.setdefault(library, {})
    translated = by_language.get(language)
    if translated is None:
        translated = by_language[language] = ExerciseLibrary(translated_exercise(e, language) for e in library)
    return translated


# --- loads, education, templates ---------------------------------------------------------------------------

@functools.cache
def load_phrases(language: Language) -> Mapping[str, str]:
    """English load or unit phrase -> the language's ('light band' -> 'banda suave'), from every current entry."""
    phrases: dict[str, str] = {}
    for exercise in load_library():
        entry = _current(language, "exercises", exercise.id, exercise_fields(exercise))
        if entry and exercise.default_dose.load and entry.get("load"):
            phrases[exercise.default_dose.load] = entry["load"]
    for template in load_templates().values():
        entry = _current(language, "templates", template.id, template_fields(template))
        for item in template.items if entry else ():
            if item.load and item.exercise in (entry.get("item_loads") or {}):
                phrases[item.load] = entry["item_loads"][item.exercise]
    return phrases


@functools.cache
def education(language: Language) -> Mapping[str, EducationTopic]:
    """The education topics in ``language`` (placeholders filled like the English's)."""
    topics = load_education()
    if language is Language.EN:
        return topics
    values = running_rise()
    out = {}
    for topic_id, topic in topics.items():
        raw = next(t for t in _raw_topics() if t.id == topic_id)
        entry = _current(language, "education", topic_id, topic_fields(raw))
        if entry is None:
            out[topic_id] = topic
            continue
        fill = functools.partial(_fill, values=values)
        out[topic_id] = topic.model_copy(update={
            "title": entry["title"],
            "paragraphs": tuple(fill(text) for text in entry.get("paragraphs") or ()),
            "points": tuple(fill(text) for text in entry.get("points") or ()),
        })
    return out


def education_topics() -> Mapping[str, EducationTopic]:
    """The education topics in the language being written (``speaking``)."""
    return education(current_language())


@functools.cache
def _raw_topics() -> tuple[EducationTopic, ...]:
    """The English topics before their placeholders are filled: what ``source_sha`` is taken over."""
    from ..content.files import parse_entries

    return tuple(parse_entries(ASSETS / "education.yaml", "topics", EducationTopic))


def _fill(text: str, values: Mapping[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(key, value)
    return text


def translate_program(program: Program, language: Language) -> Program:
    """The program's patient text from its template in ``language``: the stage's purpose and next-stage signs,
    each item's note and load, wherever the program still says what the English template says. Text the
    clinician wrote (their own note, load or purpose) is printed as written."""
    if language is Language.EN:
        return program
    phrases = load_phrases(language)
    template = load_templates().get(program.template or "")
    entry = _template_entry(template, language) if template else {}
    english_notes = {item.exercise: item.notes for item in template.items} if template else {}
    notes = entry.get("item_notes") or {}

    def item(it: ProgramItem) -> ProgramItem:
        update: dict = {}
        if it.load and it.load in phrases:
            update["load"] = phrases[it.load]
        if it.notes and it.notes == english_notes.get(it.exercise) and it.exercise in notes:
            update["notes"] = notes[it.exercise]
        return it.model_copy(update=update) if update else it

    update: dict = {"items": tuple(item(it) for it in program.items)}
    if program.title == DEFAULT_TITLE:
        update["title"] = translations(language).pgettext("program_title", DEFAULT_TITLE)
    if template and entry:
        if program.purpose.strip() == " ".join(template.summary.split()) or program.purpose == template.summary:
            update["purpose"] = " ".join(entry["summary"].split())
        if tuple(program.next_stage) == tuple(template.move_on):
            update["next_stage"] = tuple(entry["move_on"])
        if program.title == template.title:
            update["title"] = entry["title"]
    return program.model_copy(update=update)


@functools.cache
def _template_entry(template: Template, language: Language) -> Mapping:
    """The template's current entry in ``language`` ({} when it has none): its fingerprint taken once."""
    return _current(language, "templates", template.id, template_fields(template)) or {}


def translated_dose_load(dosage: Dosage, language: Language) -> Dosage:
    phrase = load_phrases(language).get(dosage.load or "")
    return dosage.model_copy(update={"load": phrase}) if phrase else dosage


# --- what the clinician sees -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Coverage:
    """How far one language covers a program: entries in English still (``missing``) and the review states."""

    language: Language
    missing: tuple[str, ...]
    needs_review: int
    reviewed: int

    @property
    def caption(self) -> str:
        """One line for the clinician beside the language picker; never printed for the patient."""
        if self.language is Language.EN:
            return ""
        parts = []
        if self.needs_review:
            parts.append(f"{self.needs_review} text(s) translated by us, {NEEDS_REVIEW} by a native-speaking "
                         "physio")
        if self.reviewed:
            parts.append(f"{self.reviewed} reviewed")
        if self.missing:
            parts.append("still in English: " + ", ".join(self.missing))
        return "; ".join(parts) + "."


def review_state(language: Language, kind: str, entry_id: str) -> str | None:
    """``needs clinical review``, ``reviewed`` or None (no translation: the English is printed)."""
    entry = entries(language, kind).get(entry_id)
    return None if entry is None else str(entry.get("review", NEEDS_REVIEW))


def exercise_states(exercise: Exercise) -> dict[Language, str]:
    """For the library page: each language's state of this exercise's text, in words for the clinician."""
    states = {}
    for language in Language:
        if language is Language.EN:
            continue
        entry = entries(language, "exercises").get(exercise.id)
        if entry is None:
            states[language] = "not translated: prints in English"
        elif entry.get("source_sha") != source_sha(exercise_fields(exercise)):
            states[language] = "out of date (the English changed): prints in English"
        else:
            states[language] = str(entry.get("review", NEEDS_REVIEW))
    return states


def coverage(program: Program, library: ExerciseLibrary, language: Language) -> Coverage:
    """Which of the program's exercises, topics and template have a current translation, and their states."""
    wanted: list[tuple[str, str, str, Mapping]] = []
    for exercise_id in _exercise_ids(program):
        exercise = library.get(exercise_id)
        wanted.append(("exercises", exercise_id, exercise.name, exercise_fields(exercise)))
    raw_topics = {t.id: t for t in _raw_topics()}
    for topic_id in program.education:
        if topic_id in raw_topics:
            wanted.append(("education", topic_id, raw_topics[topic_id].title, topic_fields(raw_topics[topic_id])))
    template = load_templates().get(program.template or "")
    if template is not None:
        wanted.append(("templates", template.id, template.title, template_fields(template)))
    missing, states = [], []
    for kind, entry_id, title, english in wanted:
        if language is Language.EN:
            continue
        entry = _current(language, kind, entry_id, english)
        if entry is None:
            missing.append(title)
        else:
            states.append(entry.get("review"))
    return Coverage(language, tuple(missing), sum(s != REVIEWED for s in states), states.count(REVIEWED))


def _exercise_ids(program: Program) -> Iterable[str]:
    seen: list[str] = []
    for item in program.items:
        for exercise_id in (item.exercise, item.switch.exercise if item.switch else None):
            if exercise_id and exercise_id not in seen:
                seen.append(exercise_id)
    return seen
