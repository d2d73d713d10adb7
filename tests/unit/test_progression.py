"""Week-by-week schedules and pain-guided advice."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rehab.content.content import load_templates
from rehab.content.library import load_library
from rehab.domain import (
    Advice,
    CheckIn,
    Growth,
    NextMorning,
    PainRule,
    Patient,
    PlannedSwitch,
    Program,
    ProgramItem,
)
from rehab.program.progression import advise, grow_once, handout_exercises, schedule_item, schedule_program
from tests.support.fakes import ladder_library

LIBRARY = ladder_library()
REAL = load_library()
TEMPLATES = load_templates()


def program(*items: ProgramItem, weeks: int = 6) -> Program:
    return Program(patient=Patient(name="Test Patient"), phase="strengthen", start_date=dt.date(2026, 11, 23),
                   duration_weeks=weeks, items=items)


def test_reps_rise_by_the_exercise_step_to_its_max_and_stay_on_the_same_exercise():
    item = ProgramItem(exercise="easy_squat", sets=2, reps=10)
    plan = schedule_item(item, LIBRARY, weeks=6)
    assert [(w.exercise, w.dosage.sets, w.dosage.reps) for w in plan] == [
        ("easy_squat", 2, 10), ("easy_squat", 2, 12), ("easy_squat", 2, 14),
        ("easy_squat", 2, 14), ("easy_squat", 2, 14), ("easy_squat", 2, 14),
    ]


def test_the_schedule_is_deterministic_and_covers_every_week():
    item = ProgramItem(exercise="easy_squat", sets=2, reps=10)
    first = schedule_program(program(item, weeks=12), LIBRARY)
    assert first == schedule_program(program(item, weeks=12), LIBRARY)
    assert [w.week for w in first[0]] == list(range(1, 13))


def test_an_exercise_without_a_weekly_rule_keeps_its_dose_every_week():
    item = ProgramItem(exercise="calf_stretch", sets=1, reps=3, hold_seconds=15, days_per_week=7, side="both")
    plan = schedule_item(item, LIBRARY, weeks=6)
    assert {w.dosage for w in plan} == {item.dosage}


def test_timed_work_rises_every_n_weeks_by_at_most_the_rule_percent_up_to_its_max():
    item = ProgramItem(exercise="bike", minutes=15)
    minutes = [w.dosage.minutes for w in schedule_item(item, LIBRARY, weeks=9)]
    assert minutes == [15, 15, 19, 19, 24, 24, 31, 31, 40]  # +30% at most, every 2 weeks, capped at 40


def test_turning_growth_off_keeps_the_starting_dose():
    item = ProgramItem(exercise="easy_squat", sets=2, reps=10, grow=False)
    assert {w.dosage.reps for w in schedule_item(item, LIBRARY, weeks=5)} == {10}


def test_a_dose_already_above_the_max_is_kept_not_lowered():
    item = ProgramItem(exercise="easy_squat", sets=2, reps=20)
    assert {w.dosage.reps for w in schedule_item(item, LIBRARY, weeks=4)} == {20}


def test_the_schedule_never_changes_exercise_on_its_own_even_at_the_top_of_the_rule():
    item = ProgramItem(exercise="easy_squat", sets=3, reps=14)  # easy_squat has a harder one on its ladder
    assert {w.exercise for w in schedule_item(item, LIBRARY, weeks=12)} == {"easy_squat"}


def test_a_planned_switch_starts_the_new_exercise_at_its_own_dose_on_the_patients_days():
    item = ProgramItem(exercise="easy_squat", sets=2, reps=10, days_per_week=2,
                       switch=PlannedSwitch(from_week=3, exercise="mid_squat"))
    plan = schedule_item(item, LIBRARY, weeks=4)
    assert [(w.exercise, w.dosage.reps, w.dosage.days_per_week) for w in plan] == [
        ("easy_squat", 10, 2), ("easy_squat", 12, 2), ("mid_squat", 8, 2), ("mid_squat", 8, 2)]


def test_a_switch_to_the_same_exercise_is_refused():
    with pytest.raises(ValueError, match="already in this row"):
        ProgramItem(exercise="easy_squat", reps=10, switch=PlannedSwitch(from_week=2, exercise="easy_squat"))


def test_handout_exercises_lists_items_then_switch_ins_once_and_only_within_the_weeks():
    items = (ProgramItem(exercise="easy_squat", reps=10, switch=PlannedSwitch(from_week=3, exercise="hard_squat")),
             ProgramItem(exercise="bike", minutes=15),
             ProgramItem(exercise="mid_squat", reps=8, switch=PlannedSwitch(from_week=5, exercise="hard_squat")),
             ProgramItem(exercise="calf_stretch", reps=3, hold_seconds=20, side="both",
                         switch=PlannedSwitch(from_week=9, exercise="side_lift")))
    ids = [ex.id for ex in handout_exercises(program(*items, weeks=6), LIBRARY)]
    assert ids == ["easy_squat", "bike", "mid_squat", "calf_stretch", "hard_squat"]


def test_old_documents_with_a_progression_override_still_load_and_follow_the_exercise_rule():
    data = {"exercise": "easy_squat", "sets": 2, "reps": 10,
            "progression": {"every_weeks": 1, "reps_step": 5, "reps_cap": 40, "to_next_exercise": True}}
    item = ProgramItem.model_validate(data)
    assert item.grow is True and item.switch is None
    assert max(w.dosage.reps for w in schedule_item(item, LIBRARY, weeks=8)) == 14


# --- properties over the shipped library and templates -----------------------------------------------------

def _amount(dose, grow: Growth) -> int | None:
    return None if grow is Growth.NONE else getattr(dose, grow.value)


def _assert_within_rule(plan, item):
    """Every week: the exercise's own rule, from the item's start; only the rule's amount changes."""
    by_exercise: dict[str, list] = {}
    for week in plan:
        by_exercise.setdefault(week.exercise, []).append(week)
    for exercise_id, weeks in by_exercise.items():
        rule = REAL.get(exercise_id).weekly
        start = weeks[0].dosage
        for before, after in zip(weeks, weeks[1:], strict=False):
            changed = {f for f in type(start).model_fields if getattr(before.dosage, f) != getattr(after.dosage, f)}
            if rule.grow is Growth.NONE or not item.grow:
                assert not changed, (exercise_id, changed)
                continue
            assert changed <= {rule.grow.value}, (exercise_id, changed)
            a, b = _amount(before.dosage, rule.grow), _amount(after.dosage, rule.grow)
            assert a <= b <= max(rule.max, _amount(start, rule.grow))
            assert b - a <= rule.step
            if rule.max_rise_percent is not None:
                assert b * 100 <= a * (100 + rule.max_rise_percent)
        if rule.grow is not Growth.NONE and item.grow:
            amounts = [_amount(w.dosage, rule.grow) for w in weeks]
            rises = [i for i in range(1, len(amounts)) if amounts[i] != amounts[i - 1]]
            assert all(i % rule.every_weeks == 0 for i in rises), (exercise_id, amounts)


@pytest.mark.parametrize("template_id", sorted(TEMPLATES))
@pytest.mark.parametrize("weeks", range(1, 13))
def test_every_template_plan_stays_within_each_exercise_max_and_rule(template_id, weeks):
    template = TEMPLATES[template_id]
    for item in template.items:
        plan = schedule_item(item, REAL, weeks)
        assert {w.exercise for w in plan} == {item.exercise}
        _assert_within_rule(plan, item)
        rule = REAL.get(item.exercise).weekly
        if rule.grow is not Growth.NONE:
            assert all(_amount(w.dosage, rule.grow) <= rule.max for w in plan), item.exercise


@given(ex=st.sampled_from(REAL.ids()), weeks=st.integers(1, 12), grow=st.booleans(), data=st.data())
def test_every_library_exercise_grows_only_by_its_rule_from_any_starting_dose(ex, weeks, grow, data):
    exercise = REAL.get(ex)
    base = exercise.default_dose
    changes = {}
    rule = exercise.weekly
    if rule.grow is not Growth.NONE:
        lo, hi = type(base).model_fields[rule.grow.value].metadata[0].ge, rule.max
        changes[rule.grow.value] = data.draw(st.integers(lo, hi))
    item = ProgramItem(exercise=ex, side="both" if exercise.one_leg else None, grow=grow,
                       **(base.model_dump() | changes))
    plan = schedule_item(item, REAL, weeks)
    assert len(plan) == weeks and {w.exercise for w in plan} == {ex}
    _assert_within_rule(plan, item)


@given(ex=st.sampled_from(REAL.ids()), to=st.sampled_from(REAL.ids()), from_week=st.integers(2, 12),
       weeks=st.integers(1, 12))
def test_the_exercise_changes_only_in_the_planned_week_and_every_one_shown_has_a_card(ex, to, from_week, weeks):
    if ex == to:
        return
    exercise = REAL.get(ex)
    item = ProgramItem(exercise=ex, side="both", **exercise.default_dose.model_dump(),
                       switch=PlannedSwitch(from_week=from_week, exercise=to))
    plan = schedule_item(item, REAL, weeks)
    assert [w.exercise for w in plan] == [to if w.week >= from_week else ex for w in plan]
    _assert_within_rule(plan, item)
    carded = {e.id for e in handout_exercises(program(item, weeks=weeks), REAL)}
    assert {w.exercise for w in plan} <= carded


def test_running_time_never_rises_more_than_the_rule_over_its_window():
    rule = REAL.get("walk_run_intervals").weekly
    assert rule.grow is Growth.MINUTES and rule.max_rise_percent is not None
    for start in range(1, rule.max + 1):
        item = ProgramItem(exercise="walk_run_intervals", minutes=start)
        minutes = [w.dosage.minutes for w in schedule_item(item, REAL, 12)]
        for i in range(len(minutes) - rule.every_weeks):
            assert minutes[i + rule.every_weeks] * 100 <= minutes[i] * (100 + rule.max_rise_percent)


def test_grow_once_never_goes_down_or_past_the_max():
    rule = REAL.get("stationary_cycling").weekly
    dose = REAL.get("stationary_cycling").default_dose
    for minutes in range(1, 61):
        higher = grow_once(dose.model_copy(update={"minutes": minutes}), rule)
        assert higher.minutes >= minutes
        assert higher.minutes <= max(minutes, rule.max)


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
