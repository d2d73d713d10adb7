"""Week-by-week schedules and pain-guided advice."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from rehab.domain import Advice, CheckIn, NextMorning, PainRule, Patient, Program, ProgramItem, ProgressionRule
from rehab.progression import advise, schedule_item, schedule_program
from tests.unit.fakes import ladder_library

LIBRARY = ladder_library()


def program(*items: ProgramItem, weeks: int = 6) -> Program:
    return Program(patient=Patient(name="Test Patient"), phase="strengthen", start_date=dt.date(2026, 11, 23),
                   duration_weeks=weeks, items=items)


def test_reps_rise_in_steps_to_the_cap_then_sets_then_the_harder_exercise():
    item = ProgramItem(exercise="easy_squat", sets=2, reps=10,
                       progression=ProgressionRule(reps_step=2, reps_cap=14, sets_cap=3))
    plan = schedule_item(item, LIBRARY, weeks=6)
    assert [(w.exercise, w.dosage.sets, w.dosage.reps) for w in plan] == [
        ("easy_squat", 2, 10),
        ("easy_squat", 2, 12),
        ("easy_squat", 2, 14),
        ("easy_squat", 3, 14),
        ("mid_squat", 2, 8),
        ("mid_squat", 2, 10),
    ]


def test_the_schedule_is_deterministic_and_covers_every_week():
    item = ProgramItem(exercise="easy_squat", sets=2, reps=10)
    first = schedule_program(program(item, weeks=12), LIBRARY)
    assert first == schedule_program(program(item, weeks=12), LIBRARY)
    assert [w.week for w in first[0]] == list(range(1, 13))


def test_steps_come_only_every_n_weeks():
    item = ProgramItem(exercise="easy_squat", sets=2, reps=10, progression=ProgressionRule(every_weeks=2))
    reps = [w.dosage.reps for w in schedule_item(item, LIBRARY, weeks=5)]
    assert reps == [10, 10, 12, 12, 14]


def test_stretches_lengthen_the_hold_to_30_seconds_and_stay_there():
    item = ProgramItem(exercise="calf_stretch", sets=1, reps=3, hold_seconds=15, days_per_week=7, side="both")
    plan = schedule_item(item, LIBRARY, weeks=6)
    assert [w.dosage.hold_seconds for w in plan] == [15, 20, 25, 30, 30, 30]
    assert {w.exercise for w in plan} == {"calf_stretch"}
    assert {w.dosage.sets for w in plan} == {1}


def test_timed_exercises_add_minutes_and_never_change_exercise():
    item = ProgramItem(exercise="bike", minutes=30)
    plan = schedule_item(item, LIBRARY, weeks=4)
    assert [w.dosage.minutes for w in plan] == [30, 35, 40, 40]


def test_the_top_of_a_ladder_stays_at_its_caps():
    item = ProgramItem(exercise="hard_squat", sets=3, reps=15, side="left")
    plan = schedule_item(item, LIBRARY, weeks=3)
    assert {(w.exercise, w.dosage.sets, w.dosage.reps) for w in plan} == {("hard_squat", 3, 15)}


rules = st.builds(
    ProgressionRule,
    every_weeks=st.integers(1, 4),
    reps_step=st.integers(1, 5),
    reps_cap=st.integers(1, 50),
    sets_cap=st.integers(1, 10),
    hold_step_seconds=st.integers(1, 20),
    hold_cap_seconds=st.integers(1, 300),
    to_next_exercise=st.booleans(),
)
items = st.builds(
    ProgramItem,
    exercise=st.sampled_from(["easy_squat", "mid_squat", "side_lift", "calf_stretch"]),
    sets=st.integers(1, 10),
    reps=st.integers(1, 50),
    hold_seconds=st.one_of(st.none(), st.integers(1, 300)),
    side=st.just("both"),
    progression=st.one_of(st.none(), rules),
)


@given(item=items, weeks=st.integers(1, 30))
def test_schedules_never_exceed_caps_and_never_decrease(item, weeks):
    plan = schedule_item(item, LIBRARY, weeks)
    assert len(plan) == weeks
    rule = item.progression
    for before, after in zip(plan, plan[1:], strict=False):
        if before.exercise != after.exercise:
            continue  # a new exercise starts at its own dose
        for field in ("sets", "reps", "hold_seconds"):
            a, b = getattr(before.dosage, field), getattr(after.dosage, field)
            assert (a is None) == (b is None)
            if a is not None:
                assert b >= a, field
    if rule is not None:
        for week in plan:
            if week.exercise != item.exercise:
                break  # the override applies to its own exercise
            assert week.dosage.sets <= max(rule.sets_cap, item.sets)
            assert week.dosage.reps <= max(rule.reps_cap, item.reps)
            if item.hold_seconds is not None:
                assert week.dosage.hold_seconds <= max(rule.hold_cap_seconds, item.hold_seconds)


check_ins = st.builds(CheckIn, pain_during=st.integers(0, 10), next_morning=st.sampled_from(NextMorning),
                      good_form=st.booleans())
pain_rules = st.integers(0, 4).flatmap(
    lambda green: st.builds(PainRule, green_max=st.just(green), amber_max=st.integers(green + 1, 5))
)


@given(check_in=check_ins, rule=st.one_of(st.none(), pain_rules))
def test_advice_is_regress_whenever_pain_is_above_5_or_the_morning_is_worse(check_in, rule):
    advice, reason = advise(check_in, rule)
    if check_in.pain_during > 5 or check_in.next_morning is NextMorning.WORSE:
        assert advice is Advice.REGRESS
    assert reason and reason[0].isupper()


@given(check_in=check_ins)
def test_progress_needs_green_pain_a_good_morning_and_good_form(check_in):
    advice, _ = advise(check_in)
    expected_progress = (
        check_in.pain_during <= 2 and check_in.next_morning is not NextMorning.WORSE and check_in.good_form
    )
    assert (advice is Advice.PROGRESS) == expected_progress


def test_amber_pain_holds_with_a_plain_reason():
    advice, reason = advise(CheckIn(pain_during=4, next_morning="same", good_form=True))
    assert advice is Advice.HOLD
    assert reason == "Pain was 4/10 (amber). Keep the same dose until it stays at 2/10 or less."


def test_thresholds_are_configurable_per_program():
    strict = PainRule(green_max=1, amber_max=3)
    assert advise(CheckIn(pain_during=2, next_morning="same", good_form=True), strict)[0] is Advice.HOLD
    assert advise(CheckIn(pain_during=4, next_morning="same", good_form=True), strict)[0] is Advice.REGRESS


def test_the_schedule_never_moves_to_an_exercise_already_in_the_program():
    first = ProgramItem(exercise="easy_squat", sets=3, reps=15)
    second = ProgramItem(exercise="mid_squat", sets=2, reps=8)
    plans = schedule_program(program(first, second, weeks=3), LIBRARY)
    assert {w.exercise for w in plans[0]} == {"easy_squat"}
    assert plans[1][-1].exercise == "mid_squat"
