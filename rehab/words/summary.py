"""A plain-text summary of a program to paste into the clinical record."""

from __future__ import annotations

from ..content.content import load_education
from ..content.library import ExerciseLibrary
from ..domain import Program
from ..program.progression import side_for
from ..program.timing import session_minutes
from .dose import exercise_dose_in_words, frequency_in_words, rest_in_words


def program_summary(program: Program, library: ExerciseLibrary) -> str:
    """Plain text, one exercise per line, in the patient's words for the dose."""
    phase = program.phase.value.replace("_", " ")
    lines = [
        f"Home exercise program ({phase} phase), {program.duration_weeks} weeks from {program.start_date.isoformat()}.",
        f"About {session_minutes(program, library):.0f} minutes a session, {len(program.items)} exercises.",
    ]
    if program.clinician:
        lines.append(f"Prescribed by {program.clinician}.")
    lines.append("")
    for number, item in enumerate(program.items, start=1):
        exercise = library.get(item.exercise)
        dose = exercise_dose_in_words(exercise, item.dosage, side_for(exercise, item))
        rest = rest_in_words(item.dosage)
        line = f"{number}. {exercise.name}: {dose[0].lower()}{dose[1:]}; {frequency_in_words(item.dosage).lower()}."
        if rest:
            line += f" {rest}"
        if item.notes.strip():
            line += f" Note: {' '.join(item.notes.split())}"
        lines.append(line)
    rule = program.pain_rule
    lines += [
        "",
        f"Pain rule: up to {rule.green_max}/10 fine; up to {rule.amber_max}/10 acceptable; "
        f"above {rule.amber_max}/10 or worse next morning: ease off.",
    ]
    if program.education:
        topics = load_education()
        lines.append("Education: " + ", ".join(topics[t].title for t in program.education) + ".")
    return "\n".join(lines) + "\n"
