"""Doses in plain words: side, sets, reps or holds, and how often — no ambiguity for the patient."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rehab.content.content import load_templates
from rehab.content.library import load_library
from rehab.domain import Dosage, Growth, Patient, PlannedSwitch, Program, ProgramItem, Side
from rehab.program.progression import handout_exercises, schedule_program, side_for, switch_dose
from rehab.words.dose import (
    card_words,
    contradictions,
    dose_in_words,
    exercise_dose_in_words,
    frequency_in_words,
    rest_in_words,
    stated_counts,
)

LIB = load_library()
TEMPLATES = load_templates()


@pytest.mark.parametrize(
    ("dose", "one_leg", "side", "expected"),
    [
        (Dosage(sets=3, reps=12), True, Side.BOTH, "3 sets of 12, each leg"),
        (Dosage(sets=3, reps=12), False, None, "3 sets of 12"),
        (Dosage(sets=3, reps=12), True, Side.LEFT, "3 sets of 12, left leg only"),
        (Dosage(sets=1, reps=3, hold_seconds=30), True, Side.BOTH, "Hold 30 seconds, 3 times, each leg"),
        (Dosage(sets=3, reps=1, hold_seconds=30), False, None, "Hold 30 seconds, 3 times"),
        (Dosage(sets=1, reps=1, hold_seconds=45), False, None, "Hold 45 seconds"),
        (Dosage(sets=3, reps=10, hold_seconds=5), True, Side.RIGHT,
         "3 sets of 10, hold each for 5 seconds, right leg only"),
        (Dosage(minutes=20), False, None, "20 minutes"),
        (Dosage(sets=1, minutes=1), True, Side.BOTH, "1 minute, each leg"),
        (Dosage(sets=2, reps=15, load="a light loop band"), False, None, "2 sets of 15, with a light loop band"),
    ],
)
def test_dose_in_words(dose, one_leg, side, expected):
    assert dose_in_words(dose, one_leg, side) == expected


@pytest.mark.parametrize(
    ("days", "times", "expected"),
    [(3, 1, "3 days a week"), (7, 1, "Every day"), (1, 1, "1 day a week"), (7, 2, "Twice a day, every day"),
     (5, 3, "3 times a day, 5 days a week")],
)
def test_frequency_in_words(days, times, expected):
    assert frequency_in_words(Dosage(reps=10, days_per_week=days, times_per_day=times)) == expected


def test_rest_in_words():
    assert rest_in_words(Dosage(sets=3, reps=10, rest_seconds=90)) == "Rest 90 seconds between sets."
    assert rest_in_words(Dosage(sets=3, reps=10, rest_seconds=120)) == "Rest 2 minutes between sets."
    assert rest_in_words(Dosage(sets=1, reps=1, hold_seconds=30)) == ""
    assert rest_in_words(Dosage(sets=1, reps=3, hold_seconds=30, rest_seconds=15)) == "Rest 15 seconds between holds."
    assert rest_in_words(Dosage(sets=3, reps=10, rest_seconds=0)) == ""


# --- one dose for a whole card -----------------------------------------------------------------------------

def test_a_side_plank_dose_says_each_side_and_a_band_walk_counts_steps_each_way():
    plank, walk = LIB.get("side_plank"), LIB.get("lateral_band_walk")
    assert exercise_dose_in_words(plank, Dosage(sets=3, reps=1, hold_seconds=15), None) == (
        "Hold 15 seconds, 3 times, each side")
    assert exercise_dose_in_words(walk, Dosage(sets=3, reps=12, load="light band"), None) == (
        "3 sets of 12 steps each way, with light band")
    assert dose_in_words(Dosage(sets=1, reps=12), False, None, rep_unit="steps each way") == "12 steps each way"


def test_counts_in_text_are_read_with_their_unit_and_increments_are_told_apart():
    counts = stated_counts("Add 5 minutes, up to 30 minutes. Take ten steps, hold for 20 seconds, twice a day.")
    assert [(c.number, c.field, c.increment) for c in counts] == [
        (5, "minutes", True), (30, "minutes", False), (10, "reps", False), (20, "hold_seconds", False)]
    assert stated_counts("Do it 3 times a week.") == []


def test_a_note_that_restates_a_different_count_is_a_contradiction():
    dose = Dosage(sets=3, reps=12)
    assert contradictions("10 steps one way, then 10 steps back.", dose) == [
        "'10 steps' differs from the dose (reps 12)", "'10 steps' differs from the dose (reps 12)"]
    assert contradictions("12 steps one way, then 12 steps back.", dose) == []
    assert contradictions("Rest for 2 minutes.", Dosage(minutes=1)) == [
        "'2 minutes' is more than the 1 minute of the dose"]
    assert contradictions("Hold for 3 seconds at the bottom.", dose) == []  # the dose sets no hold


def _words(exercise_id, dose, named_ok=frozenset(), **kw):
    exercise = LIB.get(exercise_id)
    return card_words(exercise, dose, Side.BOTH if exercise.one_leg else None, named_ok=set(named_ok),
                      names={e.id: e.name for e in LIB}, **kw)


def test_feels_easy_never_suggests_the_hold_the_dose_already_has():
    at_30 = _words("standing_quad_stretch", Dosage(sets=1, reps=2, hold_seconds=30))
    assert "30 seconds" not in at_30.easy_how
    assert at_30.easy_how == "Ask your physio how to make it harder at your next visit."
    at_20 = _words("standing_quad_stretch", Dosage(sets=1, reps=2, hold_seconds=20))
    assert at_20.easy_how == "How: Hold for longer, up to 30 seconds."
    plank = _words("side_plank", Dosage(sets=3, reps=1, hold_seconds=30))
    assert plank.easy_how == "How: Then try it on your feet."  # only the part not yet reached


def test_if_it_hurts_never_suggests_more_than_the_dose():
    short = _words("standing_calf_stretch", Dosage(sets=1, reps=3, hold_seconds=10))
    assert "15 seconds" not in short.hurts_ease
    assert short.hurts_ease == "Do less, or make the move smaller."


def test_a_card_names_another_exercise_only_when_it_has_a_card_too():
    alone = _words("step_up", Dosage(sets=3, reps=10))
    assert alone.named == () and alone.hurts_next == "If it still hurts, stop this exercise and call us."
    with_easier = _words("step_up", Dosage(sets=3, reps=10), {"squat_to_chair"})
    assert with_easier.named == ("squat_to_chair",)
    assert with_easier.hurts_next == "If it still hurts, do this one instead: Squat to chair."


def test_a_planned_switch_is_named_on_the_card_it_replaces():
    item = ProgramItem(exercise="lateral_band_walk", sets=3, reps=12, switch=PlannedSwitch(from_week=3,
                                                                                            exercise="monster_walk"))
    words = _words("lateral_band_walk", item, {"lateral_band_walk", "monster_walk"})
    assert words.easy_how == "From week 3, your plan moves you on to Monster walk."
    assert "monster_walk" in words.named


def test_the_summary_is_the_exercise_line_or_its_first_step():
    assert _words("side_lying_hip_abduction", Dosage(sets=3, reps=10)).summary == (
        "Lying on your side, lift your top leg.")
    custom = LIB.get("wall_sit").model_copy(update={"summary": None, "custom": True})
    words = card_words(custom, Dosage(sets=3, reps=1, hold_seconds=20), None, named_ok=set(), names={})
    assert words.summary == custom.steps[0]


def _texts(words):
    return [words.summary, words.dose, words.rest, *words.steps, words.easy_when, *words.easy_checks,
            words.easy_how, words.hurts_stop, words.hurts_ease, words.hurts_next]


def _handout_cards(program):
    """(exercise, dose or item, week doses) for every card, as the handout makes them."""
    carded = handout_exercises(program, LIB)
    named_ok = {e.id for e in carded}
    names = {e.id: e.name for e in carded}
    out = []
    for item, plan in zip(program.items, schedule_program(program, LIB), strict=True):
        exercise = LIB.get(item.exercise)
        words = card_words(exercise, item, side_for(exercise, item), named_ok=named_ok, names=names)
        out.append((exercise, words, [w.dosage for w in plan if w.exercise == exercise.id]))
        if item.switch is not None and item.switch.exercise in named_ok:
            other = LIB.get(item.switch.exercise)
            dose = switch_dose(other, item)
            words = card_words(other, dose, side_for(other, item), named_ok=named_ok, names=names)
            out.append((other, words, [w.dosage for w in plan if w.exercise == other.id]))
    return carded, out


def _program(template, weeks, switches=()):
    items = list(template.items)
    for index, target in switches:
        if target != items[index].exercise:
            side = items[index].side or (Side.BOTH if LIB.get(target).one_leg else None)
            items[index] = items[index].model_copy(update={"switch": PlannedSwitch(from_week=2, exercise=target),
                                                           "side": side})
    return Program(patient=Patient(name="Test Patient"), phase=template.phase, start_date=dt.date(2026, 11, 23),
                   duration_weeks=weeks, items=tuple(items))


@given(template=st.sampled_from(sorted(TEMPLATES)), weeks=st.integers(1, 12), data=st.data())
def test_in_every_handout_each_exercise_named_has_a_card_and_no_text_contradicts_any_week_dose(template, weeks, data):
    t = TEMPLATES[template]
    switches = data.draw(st.lists(st.tuples(st.integers(0, len(t.items) - 1), st.sampled_from(LIB.ids())),
                                  max_size=2))
    program = _program(t, weeks, switches)
    carded, cards = _handout_cards(program)
    carded_ids = {e.id for e in carded}
    for plan in schedule_program(program, LIB):
        assert {w.exercise for w in plan} <= carded_ids  # the week plan names only exercises with a card
    others = {e.name: e.id for e in LIB}
    for exercise, words, week_doses in cards:
        assert set(words.named) <= carded_ids
        for text in _texts(words):
            for name, ex_id in others.items():
                if name in text and ex_id != exercise.id:
                    assert ex_id in carded_ids, (exercise.id, text)
        for dose in week_doses:  # the steps fit the dose of every week the card is used
            for step in words.steps:
                assert contradictions(step, dose) == [], (exercise.id, step)
        if exercise.one_leg:
            assert "each leg" in words.dose or "leg only" in words.dose
        if exercise.each_side:
            assert "each side" in words.dose


@given(ex=st.sampled_from(LIB.ids()), data=st.data())
def test_no_library_card_contradicts_any_dose_within_the_exercise_bounds(ex, data):
    exercise = LIB.get(ex)
    base = exercise.default_dose
    changes = {}
    rule = exercise.weekly
    if rule.grow is not Growth.NONE:
        changes[rule.grow.value] = data.draw(st.integers(getattr(base, rule.grow.value), rule.max))
    dose = base.model_copy(update=changes)
    words = _words(ex, dose)
    for step in words.steps:
        assert contradictions(step, dose) == [], (ex, step)
    for count in stated_counts(words.easy_how):  # "harder" never suggests what the dose already is
        dosed = getattr(dose, count.field)
        assert count.increment or dosed is None or count.number > dosed, (ex, words.easy_how)
    for count in stated_counts(words.hurts_ease):  # and "if it hurts" never suggests more than the dose
        dosed = getattr(dose, count.field)
        assert count.increment or dosed is None or count.number < dosed, (ex, words.hurts_ease)
