"""A saved review visit in words: what the patient reported per exercise and what was decided."""

from __future__ import annotations

import pandas as pd

from rehab.content.library import ExerciseLibrary
from rehab.domain.records import ReviewVisit
from rehab.program.review import ACTION_LABELS, Action

MORNING_WORDS = {"better": "Better", "same": "Same", "worse": "Worse"}


def _name(exercise_id: str, library: ExerciseLibrary) -> str:
    return library.get(exercise_id).name if exercise_id in library else exercise_id


def review_table(visit: ReviewVisit, library: ExerciseLibrary) -> pd.DataFrame:
    """One row per exercise of the reviewed version; an answer not given is shown as a dash."""
    rows = visit.check_ins
    return pd.DataFrame(
        {
            "Exercise": [_name(c.exercise, library) for c in rows],
            "Pain during (0-10)": ["–" if c.pain_during is None else str(c.pain_during) for c in rows],
            "Next morning": [MORNING_WORDS.get(c.next_morning or "", "–") for c in rows],
            "Good form": ["–" if c.good_form is None else ("Yes" if c.good_form else "No") for c in rows],
            "Decision": [ACTION_LABELS[Action(c.decision)] for c in rows],
        }
    )
