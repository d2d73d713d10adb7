"""Pure progression rules: the week-by-week dose schedule and pain-guided advice.

Schedule: each exercise's own weekly rule (``Exercise.weekly``, data in assets/exercises.yaml) raises one amount
- reps, hold, sets or minutes - by its step every ``every_weeks`` weeks, never past its max and never by more
than its ``max_rise_percent``; foam rolling, stretches and load-based exercises do not grow. An item can turn
growth off (``grow: false``). The schedule never changes exercise by itself: only a switch the clinician planned
(``ProgramItem.switch``) does, and that exercise then gets its own card (``handout_exercises``).
Advice: the pain-monitoring rule (reference §3, §6) turned into progress / hold / regress with a reason.
"""

from __future__ import annotations

from ..content.library import ExerciseLibrary
from ..domain import (
    Advice,
    Category,
    CheckIn,
    Dosage,
    Exercise,
    Growth,
    NextMorning,
    PainRule,
    Program,
    ProgramItem,
    ProgressionRule,
    ScheduledDose,
    Side,
    WeeklyRule,
)

_STRETCH_RULE = ProgressionRule(hold_cap_seconds=30, to_next_exercise=False)


def default_rule(exercise: Exercise) -> ProgressionRule:
    """Step sizes for a review visit's "step up": stretches stop at a 30 s hold; timed and soft-tissue work never
    swaps exercise by itself."""
    if exercise.category is Category.STRETCH:
        return _STRETCH_RULE
    if exercise.category in (Category.CARDIO, Category.SOFT_TISSUE):
        return ProgressionRule(to_next_exercise=False)
    return ProgressionRule()


def _is_hold_based(dosage: Dosage) -> bool:
    return dosage.hold_seconds is not None and (dosage.reps or 1) <= 5


def step_up(dosage: Dosage, rule: ProgressionRule, category: Category) -> Dosage | None:
    """One step harder within the same exercise at a review visit, or None when every cap is reached."""
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


def grow_once(dosage: Dosage, rule: WeeklyRule) -> Dosage:
    """One weekly step by the exercise's rule: never past its max, never more than ``max_rise_percent`` of the
    amount so far, never down. The dose comes back unchanged when there is nothing (more) to grow."""
    if rule.grow is Growth.NONE:
        return dosage
    field = rule.grow.value
    amount = getattr(dosage, field)
    if amount is None or amount >= rule.max:
        return dosage
    higher = min(rule.max, amount + rule.step)
    if rule.max_rise_percent is not None:
        higher = min(higher, amount * (100 + rule.max_rise_percent) // 100)
    if higher <= amount:
        return dosage
    return dosage.model_copy(update={field: higher})


def switch_dose(exercise: Exercise, item: ProgramItem) -> Dosage:
    """A switched-in exercise starts at its own default dose, on the days the patient already keeps."""
    return exercise.default_dose.model_copy(
        update={"days_per_week": item.days_per_week, "times_per_day": item.times_per_day}
    )


def schedule_item(item: ProgramItem, library: ExerciseLibrary, weeks: int) -> list[ScheduledDose]:
    """Weekly doses for one item: its exercise's weekly rule from the item's dose (unless ``grow`` is off), and
    its planned switch, if any, from that week at the new exercise's starting dose."""
    exercise = library.get(item.exercise)
    dosage = item.dosage
    since = 1  # the week the current exercise started: steps count from there
    plan: list[ScheduledDose] = []
    for week in range(1, weeks + 1):
        if item.switch is not None and week == item.switch.from_week:
            exercise = library.get(item.switch.exercise)
            dosage, since = switch_dose(exercise, item), week
        elif item.grow and week > since and (week - since) % exercise.weekly.every_weeks == 0:
            dosage = grow_once(dosage, exercise.weekly)
        plan.append(ScheduledDose(week=week, exercise=exercise.id, dosage=dosage))
    return plan


def schedule_program(program: Program, library: ExerciseLibrary) -> list[list[ScheduledDose]]:
    """One list of weekly doses per program item, in item order."""
    return [schedule_item(item, library, program.duration_weeks) for item in program.items]


def handout_exercises(program: Program, library: ExerciseLibrary) -> list[Exercise]:
    """Every exercise that needs a card in the handout, once each, in order: the items' exercises, then the
    exercises planned switches bring in (only those that start within the program's weeks)."""
    ids: list[str] = []
    for item in program.items:
        if item.exercise not in ids:
            ids.append(item.exercise)
    for item in program.items:
        switch = item.switch
        if switch is not None and switch.from_week <= program.duration_weeks and switch.exercise not in ids:
            ids.append(switch.exercise)
    return [library.get(exercise_id) for exercise_id in ids]


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
