"""The program being built: a working copy that may be incomplete, and the steps a clinician takes on it.

A ``WorkingProgram`` holds exactly what the clinician typed, even values a Program would refuse (an empty
"Sets" cell, 12 sets), so nothing is lost while they fix it; it is what the app autosaves as a draft.
``to_program`` turns it into a validated Program or into plain, per-row problems ("Row 3, Sets: must be 1 to
10"). Every step (add, remove, move, harder/easier swap) returns a new working copy.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from annotated_types import Ge, Le
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..content.content import Template, load_templates
from ..content.library import ExerciseLibrary
from ..domain import PainRule, Patient, Phase, Program, ProgramItem, Side
from ..words.problems import too_long

DEFAULT_TITLE = Program.model_fields["title"].default
MAX_ITEMS = 40

# The dose and side fields of one row, in grid order, with the words the clinician sees.
ROW_FIELDS = {
    "side": "Side",
    "sets": "Sets",
    "reps": "Reps",
    "hold_seconds": "Hold (s)",
    "minutes": "Minutes",
    "rest_seconds": "Rest (s)",
    "days_per_week": "Days/wk",
    "times_per_day": "Per day",
    "load": "Load",
    "grow": "Grows",
    "notes": "Notes",
}
NUMBER_FIELDS = ("sets", "reps", "hold_seconds", "minutes", "rest_seconds", "days_per_week", "times_per_day")
PROGRAM_FIELDS = {
    "title": "Title",
    "clinician": "Clinician",
    "phase": "Phase",
    "start_date": "Start date",
    "duration_weeks": "Weeks",
    "education": "Education topics",
    "notes": "Notes to the patient",
    "pain_rule.green_max": "Pain rule, fine up to",
    "pain_rule.amber_max": "Pain rule, stop above",
    "pain_rule.settle_minutes": "Pain rule, settles within (minutes)",
    "pain_rule": "Pain rule",
    "items": "Exercises",
}


class WorkingItem(BaseModel):
    """One row as typed: values are checked only when the program is built (``to_program``)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    exercise: str
    side: Any = None
    sets: Any = None
    reps: Any = None
    hold_seconds: Any = None
    minutes: Any = None
    rest_seconds: Any = None
    days_per_week: Any = None
    times_per_day: Any = None
    load: Any = None
    notes: Any = ""
    grow: Any = True
    switch: dict | None = None
    progression: dict | None = None


class WorkingProgram(BaseModel):
    """The program on the Build page, tied to a patient and, when editing a stored one, its program and version."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    patient_id: int
    program_id: int | None = None
    base_version: int | None = Field(None, description="The stored version this edit started from.")
    started_from: str = Field("", description="Where the edit started, in words, for the page.")
    title: str = DEFAULT_TITLE
    clinician: str = ""
    phase: Any = Phase.STRENGTHEN.value
    start_date: Any = None
    duration_weeks: Any = 6
    education: tuple[str, ...] = ()
    green_max: Any = PainRule().green_max
    amber_max: Any = PainRule().amber_max
    settle_minutes: Any = PainRule().settle_minutes
    notes: Any = ""
    template: str | None = None
    purpose: str = ""
    next_stage: tuple[str, ...] = ()
    language: str | None = Field(None, description="The handout's language (en, es, pl, ar); None: the clinic's.")
    second_language: str | None = Field(None, description="Printed beneath the first, smaller; None: one language.")
    items: tuple[WorkingItem, ...] = ()

    def fingerprint(self) -> str:
        """Equal for equal content: what "unsaved changes" and the autosave compare."""
        return self.model_dump_json()


@dataclass(frozen=True)
class Problem:
    """A plain message about one row (1-based ``row``) or about the whole program (``row`` None)."""

    text: str
    row: int | None = None
    field: str | None = None


# --- starting points ---------------------------------------------------------------------------------------


def _item_from(item: ProgramItem) -> WorkingItem:
    data = item.model_dump(mode="json")
    return WorkingItem.model_validate(data)


def from_program(
    program: Program,
    *,
    patient_id: int,
    program_id: int | None = None,
    base_version: int | None = None,
    started_from: str = "",
) -> WorkingProgram:
    """A working copy of a stored or generated program (``program_id`` None: it will be saved as a new one)."""
    rule = program.pain_rule
    return WorkingProgram(
        patient_id=patient_id,
        program_id=program_id,
        base_version=base_version,
        started_from=started_from,
        title=program.title,
        clinician=program.clinician,
        phase=program.phase.value,
        start_date=program.start_date.isoformat(),
        duration_weeks=program.duration_weeks,
        education=program.education,
        green_max=rule.green_max,
        amber_max=rule.amber_max,
        settle_minutes=rule.settle_minutes,
        notes=program.notes,
        template=program.template,
        purpose=program.purpose,
        next_stage=program.next_stage,
        language=program.patient.language.value if program.patient.language else None,
        second_language=program.patient.second_language.value if program.patient.second_language else None,
        items=tuple(_item_from(item) for item in program.items),
    )


def from_template(template: Template, *, patient_id: int, start_date: dt.date, clinician: str = "") -> WorkingProgram:
    return WorkingProgram(
        patient_id=patient_id,
        started_from=f"Template: {template.title}",
        title=template.title,  # so a patient's programs read apart; editable on Build
        clinician=clinician,
        phase=template.phase.value,
        start_date=start_date.isoformat(),
        duration_weeks=template.duration_weeks,
        education=template.education,
        notes="",  # the template's notes speak to the physio; the patient sees only what the physio writes
        template=template.id,
        purpose=template.summary,
        next_stage=template.move_on,
        items=tuple(_item_from(item) for item in template.items),
    )


def blank(
    *, patient_id: int, start_date: dt.date, phase: Phase = Phase.STRENGTHEN, clinician: str = ""
) -> WorkingProgram:
    return WorkingProgram(
        patient_id=patient_id,
        started_from="Blank program",
        clinician=clinician,
        phase=phase.value,
        start_date=start_date.isoformat(),
    )


# --- steps on the items ------------------------------------------------------------------------------------


def _default_side(one_leg: bool, affected: Side | None) -> str | None:
    """One-leg exercises need a side: the painful knee when known, else both legs."""
    if not one_leg:
        return None
    return affected.value if affected in (Side.LEFT, Side.RIGHT) else Side.BOTH.value


def new_item(exercise_id: str, library: ExerciseLibrary, affected: Side | None = None) -> WorkingItem:
    """An exercise at its library starting dose."""
    exercise = library.get(exercise_id)
    dose = exercise.default_dose.model_dump(mode="json")
    return WorkingItem(exercise=exercise.id, side=_default_side(exercise.one_leg, affected), notes="", **dose)


def add_item(
    work: WorkingProgram, exercise_id: str, library: ExerciseLibrary, affected: Side | None = None
) -> WorkingProgram:
    if len(work.items) >= MAX_ITEMS:
        raise ValueError(f"a program holds at most {MAX_ITEMS} exercises")
    return work.model_copy(update={"items": (*work.items, new_item(exercise_id, library, affected))})


def remove_item(work: WorkingProgram, index: int) -> WorkingProgram:
    items = list(work.items)
    del items[index]
    return work.model_copy(update={"items": tuple(items)})


def move_item(work: WorkingProgram, index: int, offset: int) -> WorkingProgram:
    """Move one row up (offset -1) or down (+1); at either end nothing changes."""
    target = index + offset
    if not 0 <= index < len(work.items) or not 0 <= target < len(work.items):
        return work
    items = list(work.items)
    items[index], items[target] = items[target], items[index]
    return work.model_copy(update={"items": tuple(items)})


def _whole(value: Any, fallback: int) -> int:
    cleaned = clean_number(value)
    return cleaned if isinstance(cleaned, int) and not isinstance(cleaned, bool) else fallback


def template_note(item: WorkingItem, started_from: Template | None = None) -> bool:
    """Whether the row's note is a template's own note for its exercise: it describes that exercise's dose (e.g.
    "12 steps one way"), so it must not follow the row to another exercise. The templates are the built-in ones
    and ``started_from`` (the clinic template the program started from, when it did)."""
    note = str(item.notes or "").strip()
    templates = [*load_templates().values(), *([started_from] if started_from is not None else [])]
    return bool(note) and any(
        str(t_item.notes or "").strip() == note
        for template in templates
        for t_item in template.items
        if t_item.exercise == item.exercise
    )


def swap_item(
    work: WorkingProgram, index: int, exercise_id: str, library: ExerciseLibrary, affected: Side | None = None,
    started_from: Template | None = None,
) -> WorkingProgram:
    """Replace one row's exercise (a harder or easier one): the new exercise's starting dose, on the days and
    times a day the patient already keeps, for the same side. A note the clinician wrote is kept; a template's
    note for the old exercise is dropped (see ``template_note``)."""
    old = work.items[index]
    fresh = new_item(exercise_id, library, affected)
    exercise = library.get(exercise_id)
    side = old.side if old.side else fresh.side
    if exercise.one_leg and not side:
        side = _default_side(True, affected)
    swapped = fresh.model_copy(
        update={
            "side": side,
            "days_per_week": _whole(old.days_per_week, fresh.days_per_week),
            "times_per_day": _whole(old.times_per_day, fresh.times_per_day),
            "notes": "" if template_note(old, started_from) else old.notes or "",
        }
    )
    items = list(work.items)
    items[index] = swapped
    return work.model_copy(update={"items": tuple(items)})


def plan_switch(work: WorkingProgram, index: int, exercise_id: str, from_week: int) -> WorkingProgram:
    """Plan a change of exercise for one row from a given week (the clinician's visible choice; the week plan
    never swaps by itself). Raises ValueError, in words, for a switch to the row's own exercise or week 1."""
    item = work.items[index]
    if exercise_id == item.exercise:
        raise ValueError("the row already does that exercise")
    if not isinstance(from_week, int) or from_week < 2:
        raise ValueError("a switch starts in week 2 or later; for week 1, swap the exercise instead")
    items = list(work.items)
    items[index] = item.model_copy(update={"switch": {"from_week": from_week, "exercise": exercise_id}})
    return work.model_copy(update={"items": tuple(items)})


def clear_switch(work: WorkingProgram, index: int) -> WorkingProgram:
    items = list(work.items)
    items[index] = items[index].model_copy(update={"switch": None})
    return work.model_copy(update={"items": tuple(items)})


def harder_id(work: WorkingProgram, index: int, library: ExerciseLibrary) -> str | None:
    found = library.harder(work.items[index].exercise)
    return found.id if found else None


def easier_id(work: WorkingProgram, index: int, library: ExerciseLibrary) -> str | None:
    found = library.easier(work.items[index].exercise)
    return found.id if found else None


def replace_rows(work: WorkingProgram, rows: list[dict[str, Any]]) -> WorkingProgram:
    """New values for the dose fields of every row, in order (what the dose grid holds)."""
    if len(rows) != len(work.items):
        raise ValueError("the grid and the program have a different number of rows")
    items = tuple(
        item.model_copy(update={field: row[field] for field in ROW_FIELDS if field in row})
        for item, row in zip(work.items, rows, strict=True)
    )
    return work.model_copy(update={"items": items})


# --- checking ----------------------------------------------------------------------------------------------


def clean_number(value: Any) -> Any:
    """Grid cells arrive as int, float, text or empty; whole floats become ints, empty becomes None."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return clean_number(float(text)) if any(ch in text for ch in ".eE") else int(text)
        except ValueError:
            return text
    return value


def _clean_text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def bounds(model: type[BaseModel], field: str) -> tuple[int | None, int | None]:
    lo = hi = None
    for meta in model.model_fields[field].metadata:
        if isinstance(meta, Ge):
            lo = meta.ge
        elif isinstance(meta, Le):
            hi = meta.le
    return lo, hi


def _number_message(model: type[BaseModel], field: str, error: dict, optional: bool) -> str:
    lo, hi = bounds(model, field)
    value = error.get("input")
    if error["type"] in ("int_from_float", "int_parsing") and value not in (None, ""):
        return f"must be a whole number from {lo} to {hi}"
    return f"must be {lo} to {hi}" + (", or empty" if optional else "")


def _text_message(error: dict) -> str:
    if error["type"] == "string_too_long":
        return too_long(error)
    if error["type"] == "string_too_short":
        return "must not be empty"
    return "must be text"


def _row_data(item: WorkingItem) -> dict[str, Any]:
    data: dict[str, Any] = {"exercise": item.exercise}
    for field in NUMBER_FIELDS:
        data[field] = clean_number(getattr(item, field))
    data["side"] = _clean_text(item.side)
    data["load"] = _clean_text(item.load)
    data["notes"] = "" if item.notes is None else str(item.notes)
    data["grow"] = item.grow is not False  # an empty checkbox cell is the default: grow
    if item.switch is not None:
        data["switch"] = item.switch
    if item.progression is not None:
        data["progression"] = item.progression
    return data


_OPTIONAL_NUMBERS = {"reps", "hold_seconds", "minutes"}


def check_row(item: WorkingItem, row: int) -> tuple[ProgramItem | None, list[Problem]]:
    """The row as a ProgramItem, or one problem per wrong cell, named the way the grid names it."""
    try:
        return ProgramItem.model_validate(_row_data(item)), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else None
            if field in NUMBER_FIELDS:
                text = _number_message(ProgramItem, field, error, field in _OPTIONAL_NUMBERS)
            elif field == "side":
                text = "choose left, right or both"
            elif field in ("load", "notes"):
                text = _text_message(error)
            elif field == "switch":
                text = "the planned switch is not valid; remove it and plan it again"
            elif field == "progression":
                text = "the saved progression steps are not valid; swap the exercise to reset them"
            elif field is None and "reps, hold_seconds or minutes" in str(error.get("msg", "")):
                text = "give reps, a hold in seconds, or minutes"
            else:
                text = "is not valid"
            label = f"Row {row}, {ROW_FIELDS[field]}" if field in ROW_FIELDS else f"Row {row}"
            problems.append(Problem(text=f"{label}: {text}", row=row, field=field))
        order = list(ROW_FIELDS)  # in the order of the grid's columns
        return None, sorted(problems, key=lambda p: order.index(p.field) if p.field in order else -1)


def _program_problem(error: dict) -> Problem:
    loc = ".".join(str(part) for part in error["loc"])
    label = PROGRAM_FIELDS.get(loc, PROGRAM_FIELDS.get(loc.split(".")[0], "Program"))
    kind = error["type"]
    if loc == "items" and kind == "too_short":
        return Problem("Add at least one exercise.", field="items")
    if loc == "items" and kind == "too_long":
        return Problem(f"A program holds at most {MAX_ITEMS} exercises; remove some.", field="items")
    if kind in ("greater_than_equal", "less_than_equal", "int_parsing", "int_type", "int_from_float", "missing"):
        model, name = (PainRule, loc.split(".")[1]) if loc.startswith("pain_rule.") else (Program, loc)
        lo, hi = bounds(model, name)
        text = f"must be {lo} to {hi}"
    elif kind in ("string_too_long", "string_too_short"):
        text = _text_message(error)
    elif kind in ("date_parsing", "date_type", "date_from_datetime_parsing"):
        text = "choose a date"
    elif kind == "enum":
        text = "choose one of the listed options"
    elif loc == "pain_rule" and kind == "value_error":
        text = "'stop above' must be higher than 'fine up to'"
    elif loc == "patient" and "second_language" in str(error.get("msg", "")):
        return Problem("Second language: choose one other than the handout language, or none.", field=loc)
    else:
        text = "is not valid"
    return Problem(f"{label}: {text}", field=loc)


def to_program(
    work: WorkingProgram, patient: Patient, library: ExerciseLibrary | None = None
) -> tuple[Program | None, list[Problem]]:
    """The validated Program, or None and every problem found (rows first, then program fields).

    With ``library``, a row whose exercise is no longer in it (e.g. an old draft) is a problem too."""
    items: list[ProgramItem] = []
    problems: list[Problem] = []
    for row, working in enumerate(work.items, start=1):
        if library is not None and working.exercise not in library:
            problems.append(Problem(f"Row {row}: this exercise is no longer in the library; remove it.", row=row))
            continue
        item, found = check_row(working, row)
        problems += found
        if item is not None:
            items.append(item)
    data = {
        "title": str(work.title or "").strip() or DEFAULT_TITLE,
        "patient": {**patient.model_dump(), "language": work.language, "second_language": work.second_language},
        "clinician": "" if work.clinician is None else str(work.clinician).strip(),
        "phase": work.phase,
        "start_date": work.start_date,
        "duration_weeks": clean_number(work.duration_weeks),
        "items": items,
        "education": work.education,
        "pain_rule": {
            "green_max": clean_number(work.green_max),
            "amber_max": clean_number(work.amber_max),
            "settle_minutes": clean_number(work.settle_minutes),
        },
        "notes": "" if work.notes is None else str(work.notes),
        "template": work.template,
        "purpose": work.purpose,
        "next_stage": work.next_stage,
    }
    row_problems = bool(problems)
    try:
        program = Program.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            if error["loc"] and error["loc"][0] == "items" and (len(error["loc"]) > 1 or row_problems):
                continue  # rows already reported above, by row and column
            problems.append(_program_problem(error))
        return None, problems
    return (program, []) if not problems else (None, problems)
