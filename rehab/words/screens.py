"""Tables (pandas) of exercises and program items for screens and CSV, with doses in words."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..content.library import ExerciseLibrary
from ..domain import Dosage, Exercise, Program, ProgramItem
from ..program.progression import schedule_program, side_for
from ..program.timing import item_seconds
from .dose import exercise_dose_in_words, frequency_in_words, side_in_words, weekly_rule_in_words


def _label(value: str) -> str:
    return value.replace("_", " ")


def exercise_table(exercises: Iterable[Exercise]) -> pd.DataFrame:
    rows = [
        {
            "Exercise": ex.name,
            "Type": _label(ex.category.value),
            "Targets": ", ".join(_label(a.value) for a in ex.target_areas),
            "Equipment": ", ".join(ex.equipment) or "none",
            "Position": _label(ex.position.value),
            "Phases": ", ".join(_label(p.value) for p in ex.phases),
            "Starting dose": exercise_dose_in_words(ex, ex.default_dose, None),
            "id": ex.id,
        }
        for ex in exercises
    ]
    return pd.DataFrame(rows, columns=["Exercise", "Type", "Targets", "Equipment", "Position", "Phases",
                                       "Starting dose", "id"])


def items_table(items: Iterable[ProgramItem], library: ExerciseLibrary) -> pd.DataFrame:
    rows = []
    for item in items:
        ex = library.get(item.exercise)
        rows.append(
            {
                "Exercise": ex.name,
                "How much": exercise_dose_in_words(ex, item.dosage, side_for(ex, item)),
                "How often": frequency_in_words(item.dosage),
                "Minutes": round(item_seconds(item, ex) / 60, 1),
            }
        )
    return pd.DataFrame(rows, columns=["Exercise", "How much", "How often", "Minutes"])


def compact_amount(dosage: Dosage) -> str:
    """A clinician's short form of one session: '3×12', '3×10, 5 s hold', '15 s ×3', '20 min'."""
    sets, reps, hold, minutes = dosage.sets, dosage.reps, dosage.hold_seconds, dosage.minutes
    if minutes:
        return f"{minutes} min" + (f" ×{sets}" if sets > 1 else "")
    if hold and (reps or 1) == 1:
        return f"{hold} s" + (f" ×{sets}" if sets > 1 else "")
    if hold:
        return f"{sets}×{reps}, {hold} s hold" if sets > 1 else f"{hold} s ×{reps}"
    return f"{sets}×{reps}"


def week_plan_table(program: Program, library: ExerciseLibrary) -> pd.DataFrame:
    """The week-by-week plan the handout prints, compact, for the clinician to see before saving: one row per
    item, its growth rule in words, then one column per week; a cell names the exercise when a planned switch
    starts ('→ Monster walk 3×10')."""
    rows = []
    for item, plan in zip(program.items, schedule_program(program, library), strict=True):
        exercise = library.get(item.exercise)
        side = side_in_words(exercise.one_leg, side_for(exercise, item), exercise.each_side)
        row = {"Exercise": exercise.name + (f" ({side})" if side else ""),
               "Each week": weekly_rule_in_words(exercise.weekly, item.grow)}
        for week in plan:
            text = compact_amount(week.dosage)
            if week.exercise != item.exercise and plan[week.week - 2].exercise != week.exercise:
                text = f"→ {library.get(week.exercise).name} {text}"
            row[f"Wk {week.week}"] = text
        rows.append(row)
    columns = ["Exercise", "Each week", *(f"Wk {n}" for n in range(1, program.duration_weeks + 1))]
    return pd.DataFrame(rows, columns=columns)
