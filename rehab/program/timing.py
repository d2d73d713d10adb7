"""Session time estimates: sets × reps × (seconds per rep + hold) per side, plus rests, plus timed work."""

from __future__ import annotations

from ..content.library import ExerciseLibrary
from ..domain import Exercise, Program, ProgramItem, Side


def sides_worked(exercise: Exercise, side: Side | None) -> int:
    return 2 if exercise.one_leg and side in (Side.BOTH, None) else 1


def item_seconds(item: ProgramItem, exercise: Exercise) -> float:
    sides = sides_worked(exercise, item.side)
    if item.minutes is not None:
        work = item.sets * item.minutes * 60 * sides
    else:
        work = item.sets * item.reps_or_one * (exercise.seconds_per_rep + (item.hold_seconds or 0)) * sides
    rests = max(0, item.sets - 1) * item.rest_seconds
    return float(work + rests)


def session_minutes(program: Program, library: ExerciseLibrary) -> float:
    """Minutes for a session that includes every exercise (the longest day of the week)."""
    seconds = sum(item_seconds(item, library.get(item.exercise)) for item in program.items)
    return seconds / 60
