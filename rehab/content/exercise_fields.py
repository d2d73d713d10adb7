"""Clinic custom exercises as flat fields: the add/edit form and the CSV import both build exercises here.

Fields are plain values keyed like the CSV columns (``sets``, ``harder_id``; lists such as ``steps`` hold their
entries). ``build_exercise`` validates with the domain model and turns every error into a plain sentence naming
the field in words ("Sets must be 1 to 10"); ``ladder_problems`` checks the harder/easier links against the rest
of the library, so a save never fails later on a link.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from annotated_types import Ge, Le
from pydantic import BaseModel, ValidationError

from ..domain import Category, Dosage, Exercise, Growth, Phase, Position, TargetArea, WeeklyRule
from ..errors import LibraryError, RehabError
from ..words.problems import form_message
from .library import ExerciseLibrary, check_ladders, fold

MAX_STEPS, MAX_CUES = 6, 3
DOSE_FIELDS = ("sets", "reps", "hold_seconds", "minutes", "rest_seconds", "days_per_week", "times_per_day", "load")
# The weekly rule as flat fields; all optional: without them a clinic exercise keeps its dose every week.
WEEKLY_FIELDS = {"weekly_grow": "grow", "weekly_step": "step", "weekly_every_weeks": "every_weeks",
                 "weekly_max": "max", "weekly_max_rise_percent": "max_rise_percent"}
# Lists of sentences, each entry its own field ("step_1" ...); the other lists are single fields.
SENTENCE_LISTS = {"steps": "step", "cues": "cue", "cautions": "caution"}
CUSTOM_ID_PREFIX = "clinic_"

LABELS = {
    "id": "Id",
    "name": "Name",
    "summary": "What it is, in one line",
    "each_side": "Done on each side",
    "rep_unit": "What one rep counts",
    "weekly_grow": "Grows each week",
    "weekly_step": "Weekly step",
    "weekly_every_weeks": "Weeks between steps",
    "weekly_max": "Weekly maximum",
    "weekly_max_rise_percent": "Largest rise (%)",
    "category": "Type",
    "target_areas": "Target areas",
    "target_muscles": "Muscles",
    "equipment": "Equipment",
    "position": "Starting position",
    "one_leg": "One leg at a time",
    "steps": "Steps",
    "cues": "Form cues",
    "cautions": "Cautions",
    "sets": "Sets",
    "reps": "Reps",
    "hold_seconds": "Hold (seconds)",
    "minutes": "Minutes",
    "rest_seconds": "Rest (seconds)",
    "days_per_week": "Days a week",
    "times_per_day": "Times a day",
    "load": "Load or band",
    "seconds_per_rep": "Seconds per rep",
    "harder_id": "Harder exercise",
    "easier_id": "Easier exercise",
    "progress_tip": "How to make it harder",
    "ease_tip": "How to make it easier",
    "phases": "Phases",
    "evidence": "Evidence note",
    "photo": "Photo",
}
_ENUMS = {"category": Category, "position": Position, "target_areas": TargetArea, "phases": Phase,
          "weekly_grow": Growth}
_MODEL_NAMES = {"progression": "harder_id", "regression": "easier_id"}


def label(field: str) -> str:
    """The field in words: "sets" → "Sets", "step_4" → "Step 4", "cue_2" → "Form cue 2"."""
    match = re.fullmatch(r"(step|cue|caution)_(\d+)", field)
    if match:
        kind = {"step": "Step", "cue": "Form cue", "caution": "Caution"}[match[1]]
        return f"{kind} {match[2]}"
    return LABELS.get(field, field.replace("_", " ").capitalize())


def words(value: str) -> str:
    """An enum value as shown to people: "soft_tissue" → "soft tissue"."""
    return value.replace("_", " ")


@dataclass(frozen=True)
class FieldProblem:
    field: str  # the field key, e.g. "sets" or "step_2"
    message: str  # a whole sentence that names the field in words


class ExerciseInputError(RehabError):
    """The fields do not make a valid exercise; ``problems`` has one plain sentence per field."""

    def __init__(self, problems: Sequence[FieldProblem]):
        self.problems = list(problems)
        super().__init__(" ".join(p.message for p in self.problems))


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _entries(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    return [_text(v) for v in value if _text(v)]


def build_exercise(fields: Mapping[str, Any], *, sources: Mapping[str, Sequence[str]] | None = None) -> Exercise:
    """A custom Exercise from flat fields, or ExerciseInputError listing every problem.

    ``sources`` names the field each entry of ``steps``/``cues``/``cautions`` came from (default step_1, step_2, ...),
    so an error on the second given step is reported where the user wrote it.
    """
    lists = {name: _entries(fields.get(name)) for name in SENTENCE_LISTS}
    dose = {name: fields.get(name) for name in DOSE_FIELDS if fields.get(name) not in (None, "")}
    for name in ("reps", "hold_seconds", "minutes"):
        dose.setdefault(name, None)
    weekly = {key: fields.get(name) for name, key in WEEKLY_FIELDS.items() if fields.get(name) not in (None, "")}
    data: dict[str, Any] = {
        "id": _text(fields.get("id")),
        "name": _text(fields.get("name")),
        "summary": _text(fields.get("summary")) or None,
        "each_side": False if fields.get("each_side") in (None, "") else fields.get("each_side"),
        "rep_unit": _text(fields.get("rep_unit")) or None,
        "category": fields.get("category"),
        "target_areas": _entries(fields.get("target_areas")),
        "target_muscles": _entries(fields.get("target_muscles")),
        "equipment": _entries(fields.get("equipment")),
        "position": fields.get("position"),
        "one_leg": fields.get("one_leg"),
        **lists,
        "default_dose": dose,
        "progression": _text(fields.get("harder_id")) or None,
        "regression": _text(fields.get("easier_id")) or None,
        "progress_tip": _text(fields.get("progress_tip")),
        "ease_tip": _text(fields.get("ease_tip")),
        "phases": _entries(fields.get("phases")),
        "evidence": _text(fields.get("evidence")),
        "custom": True,
    }
    if weekly:
        data["weekly"] = weekly
    if fields.get("seconds_per_rep") not in (None, ""):
        data["seconds_per_rep"] = fields["seconds_per_rep"]
    data = {key: value for key, value in data.items()
            if value is not None or key in ("progression", "regression", "summary", "rep_unit")}
    problems = [
        FieldProblem(f"{SENTENCE_LISTS[name]}_{n}", f"{label(f'{SENTENCE_LISTS[name]}_{n}')} must be one line.")
        for name, entries in lists.items()
        for n, entry in enumerate(entries, start=1)
        if "\n" in entry or "\r" in entry
    ]
    weekly_problems = _weekly_problems(weekly)
    if weekly_problems:  # said in words here; the model would say it in its own terms
        problems += weekly_problems
        data.pop("weekly", None)
    try:
        exercise = Exercise.model_validate(data)
    except ValidationError as exc:
        raise ExerciseInputError(problems + _translate(exc, sources or {})) from None
    if problems:
        raise ExerciseInputError(problems)
    return exercise


def _weekly_problems(weekly: Mapping[str, Any]) -> list[FieldProblem]:
    """A growing dose needs its step and ceiling; a dose that does not grow takes neither."""
    if weekly.get("grow") not in (None, *Growth, *(g.value for g in Growth)):
        return []  # an unknown kind of growth: the model names the choices
    grows = weekly.get("grow") not in (None, Growth.NONE, Growth.NONE.value)
    amounts = {"step": "weekly_step", "max": "weekly_max", "max_rise_percent": "weekly_max_rise_percent"}
    if grows:
        return [FieldProblem(name, f"{label(name)} is required when the dose grows each week.")
                for key, name in amounts.items() if key != "max_rise_percent" and weekly.get(key) is None]
    return [FieldProblem(name, f"{label(name)} must be empty when nothing grows each week.")
            for key, name in amounts.items() if weekly.get(key) is not None]


def _field_for(loc: tuple[Any, ...], sources: Mapping[str, Sequence[str]]) -> str:
    head = str(loc[0]) if loc else "name"
    if head == "default_dose":
        return str(loc[1]) if len(loc) > 1 else "reps"
    if head == "weekly":
        names = {key: name for name, key in WEEKLY_FIELDS.items()}
        return names.get(str(loc[1]), "weekly_grow") if len(loc) > 1 else "weekly_grow"
    if head in SENTENCE_LISTS and len(loc) > 1 and isinstance(loc[1], int):
        given = sources.get(head)
        index = loc[1]
        return given[index] if given and index < len(given) else f"{SENTENCE_LISTS[head]}_{index + 1}"
    return _MODEL_NAMES.get(head, head)


def _bounds(field: str) -> tuple[int | None, int | None]:
    model: type[BaseModel] = Dosage if field in Dosage.model_fields else Exercise
    info = model.model_fields.get(field)
    low = next((m.ge for m in info.metadata if isinstance(m, Ge)), None) if info else None
    high = next((m.le for m in info.metadata if isinstance(m, Le)), None) if info else None
    return low, high


def _message(field: str, error: dict[str, Any]) -> str:
    kind, name = error["type"], label(field)
    if kind == "string_pattern_mismatch":
        if field == "id":
            return f"{name} must be 2 to 64 lower-case letters, digits or _, starting with a letter."
        return f"{name} must be an exercise id (lower-case letters, digits and _)."
    if kind == "value_error" and field == "reps":
        return "Give reps, a hold time in seconds or minutes (at least one of them)."
    low, high = _bounds(field)
    choices = [words(v.value) for v in _ENUMS[field]] if field in _ENUMS else None
    return form_message(name, error, low=low, high=high, choices=choices)


def _translate(exc: ValidationError, sources: Mapping[str, Sequence[str]]) -> list[FieldProblem]:
    errors = exc.errors()
    # pydantic counts a list after dropping bad entries; report the entries, not a bogus "too few"
    parents = {tuple(e["loc"][:i]) for e in errors for i in range(1, len(e["loc"]))}
    problems: list[FieldProblem] = []
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "too_short" and loc in parents:
            continue
        field = _field_for(loc, sources)
        problem = FieldProblem(field, _message(field, error))
        if problem not in problems:
            problems.append(problem)
    return problems


def fields_from_exercise(exercise: Exercise) -> dict[str, Any]:
    """The flat fields of an exercise (the inverse of build_exercise, for editing and export)."""
    dose = exercise.default_dose
    return {
        "id": exercise.id,
        "name": exercise.name,
        "summary": exercise.summary,
        "category": exercise.category.value,
        "target_areas": [a.value for a in exercise.target_areas],
        "target_muscles": list(exercise.target_muscles),
        "equipment": list(exercise.equipment),
        "position": exercise.position.value,
        "one_leg": exercise.one_leg,
        "each_side": exercise.each_side,
        "rep_unit": exercise.rep_unit,
        "steps": list(exercise.steps),
        "cues": list(exercise.cues),
        "cautions": list(exercise.cautions),
        **{name: getattr(dose, name) for name in DOSE_FIELDS},
        "seconds_per_rep": exercise.seconds_per_rep,
        "harder_id": exercise.progression,
        "easier_id": exercise.regression,
        "progress_tip": exercise.progress_tip,
        "ease_tip": exercise.ease_tip,
        "phases": [p.value for p in exercise.phases],
        "evidence": exercise.evidence,
        **_weekly_fields(exercise.weekly),
    }


def _weekly_fields(rule: WeeklyRule) -> dict[str, Any]:
    values = {name: getattr(rule, key) for name, key in WEEKLY_FIELDS.items()}
    values["weekly_grow"] = rule.grow.value
    return values


def new_exercise_id(name: str, taken: Iterable[str]) -> str:
    """A fresh id from the name: "Wall slide (deep)" → "clinic_wall_slide_deep"; a number is added when taken.

    The prefix keeps clinic ids apart from built-in ones, including any added by later versions of the app.
    """
    used = set(taken)
    slug = re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_")[:50].strip("_") or "exercise"
    base = CUSTOM_ID_PREFIX + slug
    candidate, n = base, 2
    while candidate in used:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


def name_problems(candidates: Sequence[Exercise], library: ExerciseLibrary) -> dict[str, list[FieldProblem]]:
    """Names already used by another exercise (ignoring case and accents): two "Wall slide"s cannot be told apart
    in a search or a list. A candidate may keep the name of the exercise it replaces."""
    taken = {fold(ex.name.strip()): ex for ex in library}
    found: dict[str, list[FieldProblem]] = {}
    seen: dict[str, Exercise] = {}
    for ex in candidates:
        key = fold(ex.name.strip())
        other = seen.get(key) or taken.get(key)
        if other is not None and other.id != ex.id:
            found.setdefault(ex.id, []).append(FieldProblem(
                "name", f"Name: there is already an exercise called “{other.name}”. Choose a name that tells "
                        "them apart."))
        seen.setdefault(key, ex)
    return found


def ladder_problems(candidates: Sequence[Exercise], library: ExerciseLibrary) -> dict[str, list[FieldProblem]]:
    """Problems with the harder/easier links of ``candidates`` (new or edited exercises) in ``library``.

    ``library`` is everything else the clinic has; a candidate with the id of an exercise in it replaces that one.
    The rules are the library's own (see rehab.content.library.check_ladders), reported on the candidate's fields.
    """
    combined = {ex.id: ex for ex in library}
    combined.update({ex.id: ex for ex in candidates})
    found: dict[str, list[FieldProblem]] = {}

    def add(exercise_id: str, field: str, message: str) -> None:
        found.setdefault(exercise_id, []).append(FieldProblem(field, message))

    for ex in candidates:
        for field, target in (("harder_id", ex.progression), ("easier_id", ex.regression)):
            if target is None:
                continue
            if target == ex.id:
                add(ex.id, field, f"{label(field)} cannot be the exercise itself.")
            elif target not in combined:
                add(ex.id, field, f"{label(field)}: there is no exercise with the id “{target}”.")
            elif field == "harder_id" and combined[target].regression is None:
                add(ex.id, field, f"{label(field)}: “{combined[target].name}” is the easiest step of its own "
                                  "ladder, so it cannot be the harder step of another exercise. Choose another one.")
        if ex.regression is None:
            pointing = [other for other in combined.values() if other.progression == ex.id and other.id != ex.id]
            if pointing:
                add(ex.id, "easier_id", f"{label('easier_id')} is needed: “{pointing[0].name}” has this exercise "
                                        "as its harder step.")
    if found:
        return found
    try:
        check_ladders(combined)
    except LibraryError as exc:
        mentioned = re.findall(r"'([a-z][a-z0-9_]*)'", str(exc)) + re.findall(r"[a-z][a-z0-9_]*", str(exc))
        ids = {ex.id for ex in candidates}
        culprit = next((i for i in mentioned if i in ids), candidates[0].id if candidates else "")
        loop = re.search(r"\(([^)]*→[^)]*)\)", str(exc))
        if loop:
            names = [combined[i.strip()].name if i.strip() in combined else i.strip() for i in loop[1].split("→")]
            add(culprit, "harder_id", "The harder and easier links go round in a circle: " + " → ".join(names) + ".")
        else:
            add(culprit, "harder_id", f"The harder and easier links do not fit the library: {exc}.")
    return found


__all__ = [
    "CUSTOM_ID_PREFIX",
    "DOSE_FIELDS",
    "ExerciseInputError",
    "FieldProblem",
    "LABELS",
    "MAX_CUES",
    "MAX_STEPS",
    "SENTENCE_LISTS",
    "build_exercise",
    "fields_from_exercise",
    "label",
    "ladder_problems",
    "name_problems",
    "new_exercise_id",
    "words",
]
