"""Reading level of the patient text in an exercise (Flesch-Kincaid grade, via textstat).

Our own text aims at about grade 6; each text should stay at or below grade 7. Clinic custom text is checked
with the same measure, so the app can say which step or tip is hard to read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..domain import Exercise

GRADE_LIMIT = 7.0
HINT = "Use shorter sentences and everyday words, and speak to the patient as “you”."


@dataclass(frozen=True)
class TextGrade:
    field: str  # a field key of rehab.content.exercise_fields, e.g. "step_2" or "ease_tip"
    text: str
    grade: float

    @property
    def too_hard(self) -> bool:
        return self.grade > GRADE_LIMIT


def grade(text: str) -> float:
    """Flesch-Kincaid grade of one text, rounded to one decimal (0 for empty text)."""
    import textstat  # loads its syllable dictionary; only needed when text is checked

    return round(float(textstat.flesch_kincaid_grade(text)), 1) if text.strip() else 0.0


def describe(level: float) -> str:
    """A grade in words for people: "grade 4.2", or "below grade 1" (the formula goes below 0 for very short text)."""
    return "below grade 1" if level < 1 else f"grade {level:.1f}"


def patient_texts(exercise: Exercise) -> dict[str, str]:
    """The texts printed for the patient, by field key (the name is too short to measure)."""
    texts = {f"step_{n}": step for n, step in enumerate(exercise.steps, start=1)}
    texts |= {f"cue_{n}": cue for n, cue in enumerate(exercise.cues, start=1)}
    texts |= {f"caution_{n}": caution for n, caution in enumerate(exercise.cautions, start=1)}
    texts |= {"progress_tip": exercise.progress_tip, "ease_tip": exercise.ease_tip}
    return texts


def text_grades(texts: Mapping[str, str]) -> list[TextGrade]:
    """The grade of each non-empty text, keyed as given (e.g. by patient_texts, or by a form's fields)."""
    return [TextGrade(key, text, grade(text)) for key, text in texts.items() if text.strip()]


def overall_grade(texts: Mapping[str, str]) -> float:
    """The grade of all the texts read as one passage."""
    return grade(" ".join(text.strip() for text in texts.values() if text.strip()))


__all__ = ["GRADE_LIMIT", "HINT", "TextGrade", "describe", "grade", "overall_grade", "patient_texts", "text_grades"]
