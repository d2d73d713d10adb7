"""The Review visit check-in table: one row per exercise for pain during it, the next morning, and form."""

from __future__ import annotations

import pandas as pd

from rehab.content.library import ExerciseLibrary
from rehab.domain import CheckIn, Dosage, Exercise, NextMorning, Program, Side
from rehab.domain.records import ReviewCheckIn
from rehab.program.progression import side_for
from rehab.words.dose import frequency_in_words, side_in_words
from rehab.words.screens import compact_amount

EXERCISE, DOSE, PAIN, MORNING, FORM = "Exercise", "Dose now", "Pain (0-10)", "Next morning", "Good form"
ANSWERS = [PAIN, MORNING, FORM]
# Pixels. The table fits beside the sidebar on a 1280-pixel screen (946 pixels for the table): the
# answer columns as narrow as their headers, the exercise and the dose as wide as their longest text, up to these.
ANSWER_WIDTHS = {PAIN: 104, MORNING: 116, FORM: 100}
MOST = {EXERCISE: 236, DOSE: 388}
CHAR_PIXELS, CELL_PADDING = 7, 20  # the grid's 14-pixel font averages under 7 pixels a character
MORNINGS = {"Better": NextMorning.BETTER, "Same": NextMorning.SAME, "Worse": NextMorning.WORSE}
FORMS = {"Yes": True, "No": False}


def dose_now(exercise: Exercise, dosage: Dosage, side: Side | None) -> str:
    """The dose in a clinician's short form, so the column reads whole: '3×10 steps each way, left leg only, with
    light band; 3 days a week'."""
    amount = compact_amount(dosage)
    if exercise.rep_unit and not dosage.hold_seconds and not dosage.minutes:
        amount += f" {exercise.rep_unit}"
    parts = [amount, side_in_words(exercise.one_leg, side, exercise.each_side)]
    if dosage.load:
        parts.append(f"with {dosage.load}")
    return f"{', '.join(p for p in parts if p)}; {frequency_in_words(dosage).lower()}"


def column_width(column: str, texts: list[str]) -> int:
    """The exercise or dose column: as wide as its longest text, up to MOST (a longer one is cut at the end)."""
    longest = max((len(text) for text in texts), default=0)
    return min(MOST[column], max(len(column), longest) * CHAR_PIXELS + CELL_PADDING)


def blank_rows(program: Program, library: ExerciseLibrary) -> pd.DataFrame:
    """Nothing entered yet; fixed dtypes keep the editor's identity (and the user's edits) stable across runs."""
    names, doses = [], []
    for item in program.items:
        exercise = library.get(item.exercise)
        names.append(exercise.name)
        doses.append(dose_now(exercise, item.dosage, side_for(exercise, item)))
    count = len(program.items)
    return pd.DataFrame(
        {
            EXERCISE: pd.Series(names, dtype="string"),
            DOSE: pd.Series(doses, dtype="string"),
            PAIN: pd.Series([None] * count, dtype="Int64"),
            MORNING: pd.Series([None] * count, dtype="string"),
            FORM: pd.Series([None] * count, dtype="string"),
        }
    )


def same_for_rows(rows: pd.DataFrame, chosen: list[int], pain: int | None, morning: str | None,
                  form: str | None) -> pd.DataFrame:
    """The chosen rows' answers set to the ones given; an answer left out keeps what each row has."""
    filled = rows.copy()
    for column, value in ((PAIN, pain), (MORNING, morning), (FORM, form)):
        if value is not None:
            for row in chosen:
                filled.loc[row, column] = value
    return filled


def _given(value: object) -> bool:
    return value is not None and not pd.isna(value)


def check_ins(rows: pd.DataFrame) -> list[CheckIn | None]:
    """One CheckIn per row, or None where something is missing or out of range."""
    found: list[CheckIn | None] = []
    for _, row in rows.iterrows():
        pain, morning, form = row[PAIN], row[MORNING], row[FORM]
        complete = _given(pain) and morning in MORNINGS and form in FORMS and 0 <= int(pain) <= 10
        found.append(
            CheckIn(pain_during=int(pain), next_morning=MORNINGS[morning], good_form=FORMS[form]) if complete else None
        )
    return found


def review_record(rows: pd.DataFrame, exercise_ids: list[str], actions: list) -> list[ReviewCheckIn]:
    """What the review visit keeps per exercise: each answer given (missing ones stay empty) and the decision."""
    kept = []
    for (_, row), exercise_id, action in zip(rows.iterrows(), exercise_ids, actions, strict=True):
        pain = row[PAIN]
        kept.append(ReviewCheckIn(
            exercise=exercise_id,
            pain_during=int(pain) if _given(pain) and 0 <= int(pain) <= 10 else None,
            next_morning=MORNINGS.get(row[MORNING]),
            good_form=FORMS.get(row[FORM]),
            decision=str(action),
        ))
    return kept


def matched_rows(old_ids: list[str], new_ids: list[str]) -> dict[int, int]:
    """New row index → old row index, by exercise (first unused match)."""
    unused, pairs = list(range(len(old_ids))), {}
    for row, exercise_id in enumerate(new_ids):
        match = next((i for i in unused if old_ids[i] == exercise_id), None)
        if match is not None:
            unused.remove(match)
            pairs[row] = match
    return pairs


def carried_over(old: pd.DataFrame, old_ids: list[str], new: pd.DataFrame, new_ids: list[str]) -> pd.DataFrame:
    """Answers typed against one version, moved onto a newer version's rows of the same exercises."""
    moved = new.copy()
    for row, match in matched_rows(old_ids, new_ids).items():
        for column in ANSWERS:
            moved.loc[row, column] = old.loc[match, column]
    return moved
