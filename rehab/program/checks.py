"""Program checks: clinical and practical findings for the clinician, each a severity and a plain message."""

from __future__ import annotations

from collections import Counter

from ..content.content import load_avoid_early
from ..content.library import ExerciseLibrary, fold
from ..domain import Category, Finding, Growth, Phase, Program, Severity, TargetArea
from ..words.dose import contradictions
from .timing import session_minutes

MAX_MINUTES = 45
MAX_EXERCISES = 10
MIN_STRETCH_HOLD_SECONDS = 10


def _avoid_early_matches(name: str) -> list[str]:
    folded = fold(name.replace("_", " "))
    return [entry.name for entry in load_avoid_early() if any(word in folded for word in entry.keywords)]


def check_program(program: Program, library: ExerciseLibrary) -> list[Finding]:
    findings: list[Finding] = []

    def add(severity: Severity, message: str, item: int | None = None) -> None:
        findings.append(Finding(severity=severity, message=message, item=item))

    counts = Counter((item.exercise, item.side) for item in program.items)
    reported: set[tuple] = set()
    for index, item in enumerate(program.items):
        exercise = library.get(item.exercise)
        label = f"{exercise.name} (item {index + 1})"
        if program.phase is Phase.SETTLE:
            for avoided in _avoid_early_matches(f"{exercise.name} {exercise.id}"):
                add(Severity.WARNING, f"{label} is like {avoided.lower()}, which is best avoided in phase 1.", index)
        if program.phase not in exercise.phases:
            phases = ", ".join(p.value.replace("_", " ") for p in exercise.phases)
            add(Severity.INFO, f"{label} is usually used in: {phases}.", index)
        if exercise.one_leg and item.side is None:
            add(Severity.ERROR, f"{label} is done one leg at a time: choose left, right or both.", index)
        if exercise.is_strengthening and item.days_per_week == 7:
            add(Severity.WARNING, f"{label} is strengthening every day; 2-3 days a week lets muscles recover.", index)
        if exercise.category is Category.STRETCH and (item.hold_seconds or 0) < MIN_STRETCH_HOLD_SECONDS:
            add(Severity.WARNING, f"{label} holds under {MIN_STRETCH_HOLD_SECONDS} seconds; hold 10-30 s.", index)
        for problem in contradictions(item.notes, item.dosage):
            add(Severity.WARNING, f"{label}: the note says {problem}. Take the number out of the note, or make it "
                                  "match: the patient reads both.", index)
        if exercise.custom:
            for number, step in enumerate(exercise.steps, start=1):
                for problem in contradictions(step, item.dosage):
                    add(Severity.WARNING, f"{label}: step {number} says {problem}.", index)
        rule = exercise.weekly
        if rule.grow is not Growth.NONE:
            amount = getattr(item, rule.grow.value)
            if amount is not None and amount > rule.max:
                add(Severity.WARNING, f"{label}: {rule.grow.value.replace('_', ' ')} {amount} is above this "
                                      f"exercise's usual most of {rule.max}.", index)
        if item.switch is not None:
            switch = item.switch
            if switch.exercise not in library:
                add(Severity.ERROR, f"{label}: the planned switch names '{switch.exercise}', which is not in the "
                                    "library; remove the switch.", index)
            elif switch.from_week > program.duration_weeks:
                add(Severity.INFO, f"{label}: the switch to {library.get(switch.exercise).name} is planned for "
                                   f"week {switch.from_week}, after the last week; it will not happen.", index)
            elif any(other.exercise == switch.exercise for other in program.items):
                add(Severity.WARNING, f"{label}: the switch to {library.get(switch.exercise).name} repeats an "
                                      "exercise already in the program.", index)
            elif library.get(switch.exercise).one_leg and item.side is None:
                add(Severity.ERROR, f"{label}: {library.get(switch.exercise).name} is done one leg at a time: "
                                    "choose left, right or both.", index)
        key = (item.exercise, item.side)
        if counts[key] > 1 and key not in reported:
            reported.add(key)
            add(Severity.WARNING, f"{exercise.name} is in the program {counts[key]} times.", index)

    if not any(
        library.get(i.exercise).is_strengthening and TargetArea.HIP in library.get(i.exercise).target_areas
        for i in program.items
    ):
        add(Severity.WARNING, "No hip strengthening: hip plus knee exercise works better than knee exercise alone.")
    if len(program.items) > MAX_EXERCISES:
        add(Severity.WARNING, f"{len(program.items)} exercises: more than {MAX_EXERCISES} makes it harder to keep up.")
    minutes = session_minutes(program, library)
    if minutes > MAX_MINUTES:
        add(Severity.WARNING, f"About {minutes:.0f} minutes a session: over {MAX_MINUTES} is hard to keep up.")
    return findings


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
