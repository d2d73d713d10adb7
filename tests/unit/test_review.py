"""A review visit: proposals from the pain-monitoring rule, one step up or down, and the next program version."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rehab.content.library import load_library
from rehab.domain import (
    Advice,
    Category,
    CheckIn,
    Dosage,
    NextMorning,
    PainRule,
    Patient,
    Program,
    ProgramItem,
    ProgressionRule,
    Side,
)
from rehab.program.progression import step_up
from rehab.program.review import Action, apply_review, item_in_words, plan_review, propose, step_down
from tests.support.fakes import ladder_library

LIBRARY = ladder_library()
RULE = ProgressionRule()


def program(*items: ProgramItem) -> Program:
    return Program(patient=Patient(name="Zoë Ñúñez"), phase="strengthen", start_date=dt.date(2026, 1, 5),
                   items=items, notes="Keep going.", pain_rule=PainRule(green_max=3, amber_max=5))


def check(pain: int, morning: str = "same", form: bool = True) -> CheckIn:
    return CheckIn(pain_during=pain, next_morning=NextMorning(morning), good_form=form)


# --- proposals --------------------------------------------------------------------------------------------------


def test_green_pain_with_a_settled_morning_and_good_form_proposes_progress():
    proposal = propose(check(2), ProgramItem(exercise="mid_squat", sets=2, reps=8), LIBRARY)
    assert (proposal.advice, proposal.action) == (Advice.PROGRESS, Action.PROGRESS)
    assert "2/10" in proposal.reason


def test_amber_pain_proposes_hold_and_the_programs_pain_rule_sets_the_zones():
    item = ProgramItem(exercise="mid_squat", sets=2, reps=8)
    assert propose(check(3), item, LIBRARY).action is Action.HOLD
    assert propose(check(3), item, LIBRARY, PainRule(green_max=3, amber_max=5)).action is Action.PROGRESS


def test_pain_above_the_limit_or_poor_form_proposes_the_easier_exercise():
    item = ProgramItem(exercise="mid_squat", sets=2, reps=8)
    assert propose(check(6), item, LIBRARY).action is Action.EASIER
    assert propose(check(1, form=False), item, LIBRARY).action is Action.EASIER


def test_a_worse_next_morning_alone_proposes_doing_less_of_the_same():
    item = ProgramItem(exercise="mid_squat", sets=2, reps=8)
    proposal = propose(check(1, morning="worse"), item, LIBRARY)
    assert (proposal.advice, proposal.action) == (Advice.REGRESS, Action.LESS)


def test_regress_without_an_easier_exercise_proposes_doing_less():
    assert propose(check(7), ProgramItem(exercise="easy_squat", sets=2, reps=8), LIBRARY).action is Action.LESS


# --- one step down ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dose", "category", "expected"),
    [
        (Dosage(sets=3, reps=12), Category.STRENGTH, Dosage(sets=3, reps=10)),
        (Dosage(sets=3, reps=3), Category.STRENGTH, Dosage(sets=3, reps=2)),
        (Dosage(sets=3, reps=2), Category.STRENGTH, Dosage(sets=2, reps=2)),
        (Dosage(sets=3, reps=1, hold_seconds=20), Category.STRENGTH, Dosage(sets=3, reps=1, hold_seconds=15)),
        (Dosage(sets=3, reps=1, hold_seconds=7), Category.STRENGTH, Dosage(sets=3, reps=1, hold_seconds=5)),
        (Dosage(sets=3, reps=1, hold_seconds=5), Category.STRENGTH, Dosage(sets=2, reps=1, hold_seconds=5)),
        (Dosage(sets=1, reps=3, hold_seconds=5), Category.STRETCH, Dosage(sets=1, reps=2, hold_seconds=5)),
        (Dosage(sets=3, reps=12, hold_seconds=2), Category.STRENGTH, Dosage(sets=3, reps=10, hold_seconds=2)),
        (Dosage(minutes=20), Category.CARDIO, Dosage(minutes=15)),
        (Dosage(minutes=7), Category.CARDIO, Dosage(minutes=5)),
    ],
)
def test_one_step_down_takes_away_reps_hold_or_minutes_first_then_a_set(dose, category, expected):
    assert step_down(dose, RULE, category) == expected


@pytest.mark.parametrize(
    "dose", [Dosage(sets=1, reps=2), Dosage(sets=1, reps=1, hold_seconds=5), Dosage(minutes=2)]
)
def test_one_step_down_gives_none_when_nothing_is_left_to_take_away(dose):
    assert step_down(dose, RULE, Category.STRENGTH) is None


def test_loads_and_frequency_are_never_changed_by_a_step_down():
    dose = Dosage(sets=3, reps=12, load="light band", days_per_week=3, times_per_day=2, rest_seconds=45)
    lower = step_down(dose, RULE, Category.STRENGTH)
    assert (lower.load, lower.days_per_week, lower.times_per_day, lower.rest_seconds) == ("light band", 3, 2, 45)


@given(sets=st.integers(1, 10), reps=st.integers(1, 50))
def test_a_step_down_never_adds_anything_and_a_step_up_then_down_stays_within_the_start(sets, reps):
    dose = Dosage(sets=sets, reps=reps)
    lower = step_down(dose, RULE, Category.STRENGTH)
    if lower is not None:
        assert lower.sets <= dose.sets and lower.reps <= dose.reps and lower != dose
    higher = step_up(dose, RULE, Category.STRENGTH)
    if higher is not None and reps > RULE.reps_step:
        back = step_down(higher, RULE, Category.STRENGTH)
        assert back is not None and back.sets <= higher.sets and (back.reps or 0) <= (higher.reps or 0)


# --- applying decisions -----------------------------------------------------------------------------------------


def test_progress_steps_the_dose_up_and_keeps_notes_side_and_days():
    item = ProgramItem(exercise="hard_squat", sets=2, reps=8, side=Side.LEFT, notes="Use the rail.",
                       days_per_week=2)
    (change,) = plan_review(program(item), [Action.PROGRESS], LIBRARY)
    assert change.after == item.model_copy(update={"reps": 10})
    assert change.changed and change.note == ""


def test_progress_at_every_cap_moves_to_the_harder_exercise_at_its_starting_dose():
    item = ProgramItem(exercise="easy_squat", sets=3, reps=15, days_per_week=2, times_per_day=2, notes="Slowly.")
    (change,) = plan_review(program(item), [Action.PROGRESS], LIBRARY)
    assert change.after == ProgramItem(exercise="mid_squat", sets=2, reps=8, days_per_week=2, times_per_day=2)
    assert "harder exercise" in change.note


def test_progress_never_moves_to_an_exercise_already_in_the_program():
    items = (ProgramItem(exercise="easy_squat", sets=3, reps=15), ProgramItem(exercise="mid_squat", sets=2, reps=8))
    first, second = plan_review(program(*items), [Action.PROGRESS, Action.HOLD], LIBRARY)
    assert first.after == items[0] and "already in the program" in first.note
    assert second.after == items[1]


def test_progress_of_a_stretch_at_its_cap_holds_with_a_note():
    item = ProgramItem(exercise="calf_stretch", sets=1, reps=3, hold_seconds=30, days_per_week=7, side=Side.BOTH)
    (change,) = plan_review(program(item), [Action.PROGRESS], LIBRARY)
    assert not change.changed and "Build program" in change.note


def test_regress_moves_to_the_easier_exercise_and_keeps_the_side_only_for_one_leg_exercises():
    item = ProgramItem(exercise="hard_squat", sets=3, reps=8, side=Side.RIGHT)
    (change,) = plan_review(program(item), [Action.EASIER], LIBRARY)
    assert change.after == ProgramItem(exercise="mid_squat", sets=2, reps=8, days_per_week=3)


def test_regress_without_an_easier_exercise_does_less_and_says_so():
    item = ProgramItem(exercise="easy_squat", sets=2, reps=10)
    (change,) = plan_review(program(item), [Action.EASIER], LIBRARY)
    assert change.after == item.model_copy(update={"reps": 8})
    assert "no easier exercise" in change.note


def test_do_less_at_the_smallest_dose_keeps_the_item_and_says_so():
    item = ProgramItem(exercise="easy_squat", sets=1, reps=2)
    (change,) = plan_review(program(item), [Action.LESS], LIBRARY)
    assert not change.changed and "smallest dose" in change.note


def test_advice_values_are_accepted_as_decisions():
    items = (ProgramItem(exercise="mid_squat", sets=2, reps=8), ProgramItem(exercise="side_lift", sets=2, reps=10))
    changes = plan_review(program(*items), [Advice.REGRESS, Advice.HOLD], LIBRARY)
    assert [c.action for c in changes] == [Action.EASIER, Action.HOLD]
    assert changes[0].after.exercise == "easy_squat" and not changes[1].changed


def test_apply_review_builds_the_next_version_and_leaves_everything_else_alone():
    items = (
        ProgramItem(exercise="mid_squat", sets=2, reps=8),
        ProgramItem(exercise="side_lift", sets=2, reps=10, side=Side.BOTH),
        ProgramItem(exercise="bike", minutes=20),
    )
    before = program(*items)
    after = apply_review(before, [Action.PROGRESS, Action.HOLD, Action.LESS], LIBRARY, start_date=dt.date(2026, 2, 2))
    assert [i.reps for i in after.items[:2]] == [10, 10] and after.items[2].minutes == 15
    assert after.start_date == dt.date(2026, 2, 2)
    assert after.model_copy(update={"items": before.items, "start_date": before.start_date}) == before
    assert before.items == items  # the input is not changed


def test_apply_review_keeps_the_start_date_unless_asked():
    before = program(ProgramItem(exercise="mid_squat", sets=2, reps=8))
    assert apply_review(before, [Action.HOLD], LIBRARY) == before


def test_one_decision_is_needed_per_exercise():
    with pytest.raises(ValueError, match="one decision per exercise"):
        plan_review(program(ProgramItem(exercise="mid_squat", sets=2, reps=8)), [], LIBRARY)


def test_items_in_words_name_the_exercise_dose_side_and_frequency():
    item = ProgramItem(exercise="hard_squat", sets=3, reps=8, side=Side.LEFT, days_per_week=3)
    assert item_in_words(item, LIBRARY) == "Hard squat: 3 sets of 8, left leg only, 3 days a week"
    assert item_in_words(item, LIBRARY, with_name=False) == "3 sets of 8, left leg only, 3 days a week"


def test_a_review_step_up_stops_at_the_exercise_weekly_max_then_adds_a_set():
    item = ProgramItem(exercise="easy_squat", sets=2, reps=14)  # easy_squat grows reps up to 14
    (change,) = plan_review(program(item), [Action.PROGRESS], LIBRARY)
    assert change.after == item.model_copy(update={"sets": 3})


def test_a_review_never_lengthens_rolling_or_cycling_past_the_library_limits():
    from rehab.content.library import load_library

    real = load_library()
    rolling = ProgramItem(exercise="foam_roll_quads", minutes=2, side=Side.BOTH, days_per_week=7)
    cycling = ProgramItem(exercise="stationary_cycling", minutes=30)
    first, second = plan_review(program(rolling, cycling), [Action.PROGRESS, Action.PROGRESS], real)
    assert not first.changed and not second.changed


def test_progress_is_proposed_only_where_it_changes_the_dose_so_the_after_column_never_contradicts_it():
    """Over every library exercise, stepped up visit after visit: a proposed Progress always changes the item,
    and at the ceiling (e.g. a stretch at its longest hold) the proposal is Hold with the reason said."""
    library = load_library()
    held_at_ceiling = 0
    for exercise in library:
        item = ProgramItem(exercise=exercise.id, side=Side.LEFT if exercise.one_leg else None,
                           **exercise.default_dose.model_dump())
        for _visit in range(12):
            proposal = propose(check(1), item, library)
            (change,) = plan_review(program(item), [proposal.action], library)
            if proposal.action is Action.PROGRESS:
                assert change.changed, exercise.id
                item = change.after
                continue
            assert proposal.action is Action.HOLD and not change.changed, exercise.id
            assert proposal.advice is Advice.PROGRESS and "kept the same" in proposal.reason
            held_at_ceiling += 1
            break
    assert held_at_ceiling
