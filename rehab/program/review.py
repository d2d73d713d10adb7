"""A review visit: turn what the patient reports per exercise into the next version of their program.

For each item the pain-monitoring advice (rehab.program.progression.advise) proposes progress, hold or regress; the
clinician accepts or overrides it; ``apply_review`` then builds the next program. Progress is one dose step up,
or the harder exercise on the ladder once every cap is reached (as the weekly schedule does). Regress is the
easier exercise when pain or form was the problem, and one dose step down (fewer reps, a shorter hold) when only
the next morning was worse, or when there is no easier exercise to move to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

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
)
from ..words.dose import exercise_dose_in_words, frequency_in_words
from .progression import advise, default_rule, side_for, step_up


class Action(StrEnum):
    """What to do with one exercise; PROGRESS/HOLD match Advice, REGRESS splits into two ways to ease off."""

    PROGRESS = "progress"
    HOLD = "hold"
    LESS = "less"
    EASIER = "easier"


ACTION_LABELS: dict[Action, str] = {
    Action.PROGRESS: "Progress",
    Action.HOLD: "Hold",
    Action.LESS: "Regress: do less",
    Action.EASIER: "Regress: easier exercise",
}


@dataclass(frozen=True)
class Proposal:
    advice: Advice
    action: Action
    reason: str


@dataclass(frozen=True)
class ItemChange:
    """One item before and after the review, with a note when the action could not be applied as asked."""

    index: int
    action: Action
    before: ProgramItem
    after: ProgramItem
    note: str = ""

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _rule(item: ProgramItem, exercise: Exercise) -> ProgressionRule:
    return item.progression or default_rule(exercise)


def _regress_action(check_in: CheckIn, rule: PainRule, exercise: Exercise) -> Action:
    # Only the next morning was worse: the exercise is fine, the amount was too much (reference §3).
    only_morning = check_in.pain_during <= rule.amber_max and check_in.good_form
    if only_morning and check_in.next_morning is NextMorning.WORSE:
        return Action.LESS
    return Action.EASIER if exercise.regression else Action.LESS


def propose(check_in: CheckIn, item: ProgramItem, library: ExerciseLibrary, rule: PainRule | None = None) -> Proposal:
    """The app's proposal for one exercise, with the reason in words."""
    rule = rule or PainRule()
    advice, reason = advise(check_in, rule)
    if advice is Advice.PROGRESS:
        # Ready for more, but a dose at its ceiling (a stretch at its longest hold) has no step up: propose what
        # the change table will then show, and say why.
        stepped, limit = _progress(item, library, {item.exercise})
        if stepped == item:
            return Proposal(advice=advice, action=Action.HOLD, reason=f"{reason} {limit}")
        action = Action.PROGRESS
    elif advice is Advice.HOLD:
        action = Action.HOLD
    else:
        action = _regress_action(check_in, rule, library.get(item.exercise))
    return Proposal(advice=advice, action=action, reason=reason)


def _down(value: int, step: int) -> int | None:
    """One step lower, never below one step's worth (a 1-second hold or 1 rep is not a useful dose)."""
    return max(step, value - step) if value > step else None


def step_down(dosage: Dosage, rule: ProgressionRule, category: Category) -> Dosage | None:
    """One step easier within the same exercise, the mirror of step_up: first less time, hold or reps, then one
    set fewer. None when there is nothing left to take away."""
    if dosage.minutes is not None:
        fewer = _down(dosage.minutes, rule.minutes_step)
        if fewer is not None:
            return dosage.model_copy(update={"minutes": fewer})
    elif dosage.hold_seconds is not None and (dosage.reps or 1) <= 5:
        shorter = _down(dosage.hold_seconds, rule.hold_step_seconds)
        if shorter is not None:
            return dosage.model_copy(update={"hold_seconds": shorter})
        if category is Category.STRETCH and (dosage.reps or 1) > 1:
            return dosage.model_copy(update={"reps": (dosage.reps or 1) - 1})
    elif dosage.reps is not None:
        fewer = _down(dosage.reps, rule.reps_step)
        if fewer is not None:
            return dosage.model_copy(update={"reps": fewer})
    if dosage.sets > 1:
        return dosage.model_copy(update={"sets": dosage.sets - 1})
    return None


def _with_dose(item: ProgramItem, dosage: Dosage) -> ProgramItem:
    return item.model_copy(update=dosage.model_dump())


def _swapped(item: ProgramItem, exercise: Exercise) -> ProgramItem:
    """The item moved to another exercise at that exercise's starting dose, on the days the patient keeps."""
    dose = exercise.default_dose.model_dump()
    dose.update(days_per_week=item.days_per_week, times_per_day=item.times_per_day)
    # A per-item override and notes belong to the old exercise; the new one follows its own defaults.
    side = item.side if exercise.one_leg else None
    return ProgramItem(exercise=exercise.id, side=side, **dose)


_CAPS = {Growth.REPS: "reps_cap", Growth.HOLD_SECONDS: "hold_cap_seconds", Growth.MINUTES: "minutes_cap",
         Growth.SETS: "sets_cap"}


def _within_limits(rule: ProgressionRule, exercise: Exercise) -> ProgressionRule | None:
    """The review's step-up rule inside the exercise's own limits: its weekly max caps the amount the week plan
    grows; rolling and cardio whose weekly rule keeps the time fixed get no step up (None). Stretches stop at a
    30 s hold by their own rule."""
    weekly = exercise.weekly
    if weekly.grow is Growth.NONE:
        return None if exercise.category in (Category.SOFT_TISSUE, Category.CARDIO) else rule
    cap = _CAPS[weekly.grow]
    return rule.model_copy(update={cap: min(getattr(rule, cap), weekly.max)})


def _progress(item: ProgramItem, library: ExerciseLibrary, taken: set[str]) -> tuple[ProgramItem, str]:
    exercise = library.get(item.exercise)
    rule = _rule(item, exercise)
    limited = _within_limits(rule, exercise)
    harder_dose = step_up(item.dosage, limited, exercise.category) if limited is not None else None
    if harder_dose is not None:
        return _with_dose(item, harder_dose), ""
    harder = library.harder(exercise.id)
    if not (rule.to_next_exercise and exercise.is_strengthening and harder):
        return item, "Already at the most this plan steps up to; kept the same. Change it in Build program."
    if harder.id in taken:
        return item, f"The harder exercise, {harder.name}, is already in the program; kept the same."
    taken.add(harder.id)
    return _swapped(item, harder), "Every step up is done, so this moves to the harder exercise."


def _less(item: ProgramItem, library: ExerciseLibrary) -> tuple[ProgramItem, str]:
    exercise = library.get(item.exercise)
    lower = step_down(item.dosage, _rule(item, exercise), exercise.category)
    if lower is None:
        return item, "This is already the smallest dose; kept the same. Consider an easier exercise."
    return _with_dose(item, lower), ""


def _easier(item: ProgramItem, library: ExerciseLibrary, taken: set[str]) -> tuple[ProgramItem, str]:
    easier = library.easier(item.exercise)
    if easier is None:
        changed, note = _less(item, library)
        return changed, note or "There is no easier exercise on the ladder, so this does less of the same."
    if easier.id in taken:
        changed, note = _less(item, library)
        return changed, note or f"The easier exercise, {easier.name}, is already in the program, so this does less."
    taken.add(easier.id)
    return _swapped(item, easier), ""


def _as_action(decision: Action | Advice, item: ProgramItem, library: ExerciseLibrary) -> Action:
    if isinstance(decision, Action):
        return decision
    if decision is Advice.REGRESS:
        return Action.EASIER if library.easier(item.exercise) else Action.LESS
    return Action(decision.value)


def plan_review(
    program: Program, decisions: Sequence[Action | Advice], library: ExerciseLibrary
) -> list[ItemChange]:
    """Each item before and after its decision, in program order. ``decisions`` has one entry per item."""
    if len(decisions) != len(program.items):
        raise ValueError(f"one decision per exercise: got {len(decisions)} for {len(program.items)} exercises")
    # Never move to an exercise that is already in the program (the schedule follows the same rule).
    taken = {item.exercise for item in program.items}
    changes = []
    for index, (item, decision) in enumerate(zip(program.items, decisions, strict=True)):
        action = _as_action(decision, item, library)
        if action is Action.PROGRESS:
            after, note = _progress(item, library, taken)
        elif action is Action.LESS:
            after, note = _less(item, library)
        elif action is Action.EASIER:
            after, note = _easier(item, library, taken)
        else:
            after, note = item, ""
        changes.append(ItemChange(index=index, action=action, before=item, after=after, note=note))
    return changes


def apply_review(
    program: Program,
    decisions: Sequence[Action | Advice],
    library: ExerciseLibrary,
    *,
    start_date: dt.date | None = None,
) -> Program:
    """The next version of the program; ``start_date`` restarts the week-by-week plan from the review day."""
    items = tuple(change.after for change in plan_review(program, decisions, library))
    update: dict[str, object] = {"items": items}
    if start_date is not None:
        update["start_date"] = start_date
    return Program.model_validate({**program.model_dump(), **update})


def item_in_words(item: ProgramItem, library: ExerciseLibrary, *, with_name: bool = True) -> str:
    """E.g. 'Glute bridge: 3 sets of 12, 3 days a week' for the before-and-after table."""
    exercise = library.get(item.exercise)
    dose = exercise_dose_in_words(exercise, item.dosage, side_for(exercise, item))
    text = f"{dose}, {frequency_in_words(item.dosage).lower()}"
    return f"{exercise.name}: {text}" if with_name else text
