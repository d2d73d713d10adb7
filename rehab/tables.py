"""Tables (pandas) of exercises and program items for screens and CSV, with doses in words."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .domain import Exercise, ProgramItem
from .library import ExerciseLibrary
from .progression import side_for
from .timing import item_seconds
from .wording import dose_in_words, frequency_in_words


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
            "Starting dose": dose_in_words(ex.default_dose, ex.one_leg, None),
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
                "How much": dose_in_words(item.dosage, ex.one_leg, side_for(ex, item)),
                "How often": frequency_in_words(item.dosage),
                "Minutes": round(item_seconds(item, ex) / 60, 1),
            }
        )
    return pd.DataFrame(rows, columns=["Exercise", "How much", "How often", "Minutes"])
