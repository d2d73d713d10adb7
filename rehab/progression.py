"""Pure progression rules: the week-by-week dose schedule and pain-guided advice.

Schedule: every ``every_weeks`` weeks one step up — reps (or hold, or minutes) rise to a cap, then a set is
added up to a cap, then strengthening moves to the next exercise on the ladder. Never down, never past a cap.
Advice: the pain-monitoring rule (reference §3, §6) turned into progress / hold / regress with a reason.
"""

from __future__ import annotations

from .domain import (
    Advice,
    Category,
    CheckIn,
    Dosage,
    Exercise,
    NextMorning,
    PainRule,
    Program,
    ProgramItem,
    ProgressionRule,
    ScheduledDose,
    Side,
)
from .library import ExerciseLibrary

_STRETCH_RULE = ProgressionRule(hold_cap_seconds=30, to_next_exercise=False)


def default_rule(exercise: Exercise) -> ProgressionRule:
    """Stretches stop at a 30 s hold; timed and soft-tissue work never swaps exercise by itself."""
    if exercise.category is Category.STRETCH:
        return _STRETCH_RULE
    if exercise.category in (Category.CARDIO, Category.SOFT_TISSUE):
        return ProgressionRule(to_next_exercise=False)
    return ProgressionRule()


def _is_hold_based(dosage: Dosage) -> bool:
    return dosage.hold_seconds is not None and (dosage.reps or 1) <= 5


def step_up(dosage: Dosage, rule: ProgressionRule, category: Category) -> Dosage | None:
    """One step harder within the same exercise, or None when every cap is reached."""
    if dosage.minutes is not None:
        cap = max(rule.minutes_cap, dosage.minutes)
        if dosage.minutes < cap:
            return dosage.model_copy(update={"minutes": min(cap, dosage.minutes + rule.minutes_step)})
        return None
    if _is_hold_based(dosage):
        cap = max(rule.hold_cap_seconds, dosage.hold_seconds or 0)
        if dosage.hold_seconds < cap:
            return dosage.model_copy(update={"hold_seconds": min(cap, dosage.hold_seconds + rule.hold_step_seconds)})
    elif dosage.reps is not None:
        cap = max(rule.reps_cap, dosage.reps)
        if dosage.reps < cap:
            return dosage.model_copy(update={"reps": min(cap, dosage.reps + rule.reps_step)})
    if category is Category.STRETCH:
        return None  # more stretching sets add little; a longer hold is the progression
    if dosage.sets < max(rule.sets_cap, dosage.sets):
        return dosage.model_copy(update={"sets": dosage.sets + 1})
    return None


def _start_of(harder: Exercise, item: ProgramItem) -> Dosage:
    """The harder exercise starts at its own default dose, on the days the patient already keeps."""
    return harder.default_dose.model_copy(
        update={"days_per_week": item.days_per_week, "times_per_day": item.times_per_day}
    )


def schedule_item(
    item: ProgramItem, library: ExerciseLibrary, weeks: int, taken: frozenset[str] = frozenset()
) -> list[ScheduledDose]:
    """Weekly doses for one item; ``taken`` holds exercises already in the program, which it never moves to."""
    exercise = library.get(item.exercise)
    rule = item.progression or default_rule(exercise)
    dosage = item.dosage
    plan: list[ScheduledDose] = []
    for week in range(1, weeks + 1):
        if week > 1 and (week - 1) % rule.every_weeks == 0:
            harder_dose = step_up(dosage, rule, exercise.category)
            if harder_dose is not None:
                dosage = harder_dose
            elif (
                rule.to_next_exercise
                and exercise.is_strengthening
                and exercise.progression
                and exercise.progression not in taken
            ):
                exercise = library.get(exercise.progression)
                dosage = _start_of(exercise, item)
                # an item override applies to its own exercise only; the next one follows its defaults
                rule = default_rule(exercise)
        plan.append(ScheduledDose(week=week, exercise=exercise.id, dosage=dosage))
    return plan


def schedule_program(program: Program, library: ExerciseLibrary) -> list[list[ScheduledDose]]:
    """One list of weekly doses per program item, in item order."""
    taken = frozenset(item.exercise for item in program.items)
    return [schedule_item(item, library, program.duration_weeks, taken) for item in program.items]


def side_for(exercise: Exercise, item: ProgramItem) -> Side | None:
    if not exercise.one_leg:
        return None
    return item.side or Side.BOTH


def advise(check_in: CheckIn, rule: PainRule | None = None) -> tuple[Advice, str]:
    """Progress, hold or regress one exercise from pain during it, the next morning, and form."""
    rule = rule or PainRule()
    pain = check_in.pain_during
    if pain > rule.amber_max:
        return Advice.REGRESS, (
            f"Pain reached {pain}/10 during the exercise, above the limit of {rule.amber_max}. "
            "Go back to the easier version or do less."
        )
    if check_in.next_morning is NextMorning.WORSE:
        return Advice.REGRESS, "The knee was worse the next morning. Do less until mornings are back to usual."
    if not check_in.good_form:
        return Advice.REGRESS, (
            "Not every set was done with good control. Use the easier version until the knee stays in line."
        )
    if pain <= rule.green_max:
        return Advice.PROGRESS, (
            f"Pain stayed at {pain}/10 (green), the next morning was no worse and form was good. Step up."
        )
    return Advice.HOLD, (
        f"Pain was {pain}/10 (amber). Keep the same dose until it stays at {rule.green_max}/10 or less."
    )
