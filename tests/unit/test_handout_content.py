"""The handout's content model: what the patient reads, decided once from the program's data, with no layout."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from rehab.content.content import get_template, load_education, load_templates
from rehab.content.library import load_library
from rehab.domain import Patient, Side
from rehab.domain.clinic import Clinic, default_clinic
from rehab.handout_content import build_content
from rehab.program.progression import handout_exercises, schedule_program, side_for
from rehab.program.templates import program_from_template
from rehab.program.timing import item_seconds
from rehab.words.dose import card_words, exercise_dose_in_words
from rehab.words.handout import w
from tests.conftest import ROOT

PREPARED = dt.date(2026, 11, 20)
START = dt.date(2026, 11, 23)  # a Monday


def content_of(template_id: str, side: Side | None = Side.LEFT, clinic: Clinic | None = None):
    program = program_from_template(template_id, Patient(name="Test Patient", affected_side=side),
                                    start_date=START)
    return program, build_content(program, clinic or default_clinic(), load_library(), prepared=PREPARED)


def test_the_content_model_builds_without_loading_reportlab():
    code = ("import sys, datetime as dt; from rehab.handout_content import build_content; "
            "from rehab.program.templates import program_from_template; from rehab.domain import Patient; "
            "from rehab.domain.clinic import default_clinic; from rehab.content.library import load_library; "
            "p = program_from_template('phase1_settle', Patient(name='X')); "
            "build_content(p, default_clinic(), load_library(), prepared=dt.date(2026, 1, 1)); "
            "print('reportlab' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize("template_id", sorted(load_templates()))
def test_purpose_and_next_stage_come_from_the_template(template_id):
    template = get_template(template_id)
    program, content = content_of(template_id)
    assert program.purpose == template.summary and program.next_stage == template.move_on
    assert content.purpose.paragraphs == (template.summary,)
    assert content.next_stage.points == template.move_on


def test_a_program_without_purpose_or_next_stage_prints_neither():
    program, _ = content_of("phase1_settle")
    bare = program.model_copy(update={"purpose": "", "next_stage": ()})
    content = build_content(bare, default_clinic(), load_library(), prepared=PREPARED)
    assert content.purpose is None and content.next_stage is None


@pytest.mark.parametrize(("side", "shown"), [(Side.LEFT, "Left"), (Side.RIGHT, "Right"), (Side.BOTH, "Both"),
                                             (None, None)])
def test_the_sore_knee_is_shown_when_known(side, shown):
    _, content = content_of("phase2_strengthen", side)
    pairs = {p.label: p.value for p in content.who}
    assert pairs.get(w("sore_knee")) == shown
    assert content.condition == "For runner's knee (pain at the front of the knee)"


@pytest.mark.parametrize("template_id", sorted(load_templates()))
def test_kinds_of_day_split_strength_days_from_daily_stretches_with_minutes_from_timing(template_id):
    program, content = content_of(template_id)
    library = load_library()
    assert sorted(r.exercise_id for r in content.rows) == sorted(i.exercise for i in program.items)
    for kind in content.kinds:
        items = [i for i in program.items if i.days_per_week == kind.days_per_week]
        assert {r.exercise_id for r in kind.rows} == {i.exercise for i in items}
        # a day of this kind holds it and every kind done on more days a week
        day = [i for i in program.items if i.days_per_week >= kind.days_per_week]
        seconds = sum(item_seconds(i, library.get(i.exercise)) for i in day)
        assert kind.minutes >= seconds / 60 and kind.minutes - seconds / 60 < 5 and kind.minutes % 5 == 0
        assert str(kind.minutes) in kind.minutes_text
    assert len(content.calendar.kinds) == len(content.kinds)
    assert len(content.calendar.weeks) == program.duration_weeks


def test_strength_days_get_a_day_off_between_and_stretch_days_say_only_stretches():
    _, content = content_of("phase2_strengthen")
    strength = next(k for k in content.kinds if k.label == w("kind_strength"))
    stretches = next(k for k in content.kinds if k.label == w("kind_stretch"))
    assert strength.days_per_week == 3 and "Mon, Wed and Fri" in strength.advice  # the program starts on a Monday
    assert stretches.days_per_week == 7 and stretches.advice == w("kind_other_days")
    assert stretches.minutes < strength.minutes
    assert "day off in between" in content.rest_days and "only your stretches" in content.rest_days


def test_equipment_lists_each_thing_once_from_the_exercises():
    program, content = content_of("phase2_strengthen")
    library = load_library()
    things = {t.lower() for i in program.items for t in library.get(i.exercise).equipment}
    listed = content.equipment.paragraphs[0].rstrip(".").lower().split(", ")
    assert things <= set(listed) and len(listed) == len(set(listed))


def test_the_diary_says_which_morning_to_record():
    _, content = content_of("phase1_settle")
    assert "the morning after an exercise day" in content.diary.intro
    assert content.diary.choices == ("better", "same", "worse")
    # the compact handout has no diary: its week plan says which morning to check before stepping up
    assert "the morning after each exercise day" in content.plan.intro


@pytest.mark.parametrize("template_id", sorted(load_templates()))
def test_every_exercise_the_plan_moves_on_to_has_a_card_and_cards_name_only_exercises_with_cards(template_id):
    program, content = content_of(template_id)
    library = load_library()
    schedule = schedule_program(program, library)
    planned = {d.exercise for row in schedule for d in row}
    carded = {c.exercise_id for c in content.cards}
    assert planned <= carded
    assert [c.number for c in content.cards] == list(range(1, len(content.cards) + 1))
    names = {library.get(e).name for e in library.ids()} - {c.name for c in content.cards}
    for card in content.cards:
        text = " ".join([card.easy.lead, *card.easy.then, card.easy.short, card.hurts.short, *card.hurts.then])
        assert not [n for n in names if n in text], card.name
    later = [c for c in content.cards if c.later]
    assert {c.exercise_id for c in later} == planned - {i.exercise for i in program.items}


@pytest.mark.parametrize("template_id", list(load_templates()))
def test_cards_follow_handout_exercises_and_print_card_words_of_their_dose(template_id):
    program, content = content_of(template_id)
    library = load_library()
    assert [c.exercise_id for c in content.cards] == [e.id for e in handout_exercises(program, library)]
    names = {c.exercise_id: c.name for c in content.cards}
    for card, item in zip(content.cards, program.items, strict=False):
        exercise = library.get(item.exercise)
        words = card_words(exercise, item, side_for(exercise, item), named_ok=set(names), names=names,
                           pain_rule=program.pain_rule)
        assert (card.summary, card.dose, card.often, card.steps) == (words.summary, words.dose, words.frequency,
                                                                    words.steps)
        assert words.hurts_next in card.hurts.then and words.easy_how in card.easy.then


def test_the_fridge_rows_say_each_side_where_the_exercise_is_done_on_each_side():
    program, content = content_of("phase2_strengthen")
    library = load_library()
    rows = {r.exercise_id: r.dose for k in content.kinds for r in k.rows}
    for item in program.items:
        exercise = library.get(item.exercise)
        assert rows[exercise.id] == exercise_dose_in_words(exercise, item.dosage, side_for(exercise, item))
    assert any("each side" in dose for dose in rows.values())


def test_help_groups_the_warning_signs_and_prints_the_clinic_phone():
    _, content = content_of("phase1_settle", clinic=Clinic(name="Riverside", phone="0123 456"))
    leads = [g.lead for g in content.help.groups]
    assert leads == [w("help_urgent_lead"), w("help_call_lead")]
    points = [p for g in content.help.groups for p in g.points]
    assert len(points) == len(load_education()["red_flags"].points)
    assert not any(p.endswith(("Get urgent care.", "Call us.")) for p in points)
    assert content.help.contacts == ("Call us on 0123 456.", w("help_urgent", number="112"))


def test_without_a_phone_the_help_says_call_your_physio():
    _, content = content_of("phase1_settle")
    assert content.help.contacts[0] == w("help_no_phone")


def test_user_text_stays_as_typed_in_the_model():
    program, _ = content_of("phase1_settle")
    hostile = program.model_copy(update={"patient": Patient(name="O'Brien & <Sons>"), "notes": "a <b>\n\nb"})
    content = build_content(hostile, default_clinic(), load_library(), prepared=PREPARED)
    assert content.who[0].value == "O'Brien & <Sons>"
    assert content.notes == ("a <b>", "b")


@pytest.mark.parametrize("template_id", sorted(load_templates()))
def test_a_dose_that_never_changes_is_steady_and_a_hold_that_never_changes_is_said_once(template_id):
    program, content = content_of(template_id)
    schedule = schedule_program(program, load_library())
    for row, plan in zip(content.plan.rows, schedule, strict=True):
        same = len({(d.exercise, d.dosage) for d in plan}) == 1
        assert row.steady == same, row.name
        held = {d.dosage.hold_seconds for d in plan}
        if len(held) == 1 and None not in held and all(d.dosage.sets > 1 and (d.dosage.reps or 1) > 1 for d in plan):
            assert f"hold each for {held.pop()} seconds" in row.side
            assert not any("hold" in cell.text for cell in row.cells), row
    assert set(content.plan.steady) | set(content.plan.changing) == set(content.plan.rows)
    assert content.plan.steady_heading == w("plan_every_week")
