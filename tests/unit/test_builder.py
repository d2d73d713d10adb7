"""The working program behind the Build page: starts, row steps, swaps along the ladder, and plain problems."""

from __future__ import annotations

import datetime as dt

import pytest

from rehab.content.content import load_templates
from rehab.content.library import load_library
from rehab.domain import Dosage, Patient, Phase, Side
from rehab.program import builder
from rehab.words.screens import compact_amount, week_plan_table

LIB = load_library()
PATIENT = Patient(name="O'Brien & <Sons>", affected_side=Side.LEFT)
START = dt.date(2026, 11, 23)
LIBRARY = load_library()


def template_work(template_id: str = "phase2_strengthen") -> builder.WorkingProgram:
    return builder.from_template(load_templates()[template_id], patient_id=7, start_date=START, clinician="Ann")


def with_row(work: builder.WorkingProgram, index: int, **changes) -> builder.WorkingProgram:
    rows = [item.model_dump() for item in work.items]
    rows[index].update(changes)
    return builder.replace_rows(work, rows)


def problems_of(work: builder.WorkingProgram) -> list[str]:
    program, problems = builder.to_program(work, PATIENT, LIB)
    assert (program is None) == bool(problems)
    return [p.text for p in problems]


@pytest.mark.parametrize("template_id", list(load_templates()))
def test_a_template_start_builds_the_same_program_as_the_template(template_id):
    template = load_templates()[template_id]
    program, problems = builder.to_program(template_work(template_id), PATIENT, LIB)
    assert problems == []
    assert program.items == template.items
    assert (program.phase, program.duration_weeks, program.template) == (template.phase, template.duration_weeks,
                                                                         template.id)
    assert program.start_date == START and program.clinician == "Ann"


def test_a_stored_program_round_trips_through_the_working_copy():
    program, _ = builder.to_program(template_work(), PATIENT, LIB)
    again = builder.from_program(program, patient_id=7, program_id=3, base_version=2)
    assert builder.to_program(again, PATIENT, LIB) == (program, [])
    assert (again.program_id, again.base_version) == (3, 2)


def test_a_blank_program_asks_for_an_exercise():
    work = builder.blank(patient_id=7, start_date=START, phase=Phase.SETTLE)
    assert problems_of(work) == ["Add at least one exercise."]


def test_out_of_range_and_empty_cells_are_named_by_row_and_column():
    work = with_row(template_work(), 2, sets=12)
    work = with_row(work, 0, sets=None)
    work = with_row(work, 1, reps=2.5)
    work = with_row(work, 3, reps=None, hold_seconds=None, minutes=None)
    work = with_row(work, 4, side="up", load="x" * 101)
    assert problems_of(work) == [
        "Row 1, Sets: must be 1 to 10",
        "Row 2, Reps: must be a whole number from 1 to 50",
        "Row 3, Sets: must be 1 to 10",
        "Row 4: give reps, a hold in seconds, or minutes",
        "Row 5, Side: choose left, right or both",
        "Row 5, Load: is too long (101 characters; at most 100)",
    ]


def test_grid_values_arrive_as_floats_or_text_and_are_read_as_whole_numbers():
    work = with_row(template_work(), 0, sets=4.0, reps="14", load="  ", notes=None)
    program, problems = builder.to_program(work, PATIENT, LIB)
    assert problems == []
    assert (program.items[0].sets, program.items[0].reps, program.items[0].load, program.items[0].notes) == (
        4, 14, None, "")


def test_program_fields_are_named_in_plain_words():
    work = template_work().model_copy(update={"duration_weeks": 0, "green_max": 4, "amber_max": 3,
                                              "notes": "n" * 10_001, "start_date": None})
    assert problems_of(work) == [
        "Start date: choose a date",
        "Weeks: must be 1 to 52",
        "Pain rule: 'stop above' must be higher than 'fine up to'",
        "Notes to the patient: is too long (10001 characters; at most 10000)",
    ]


def test_an_exercise_missing_from_the_library_is_a_row_problem():
    work = template_work()
    gone = work.model_copy(update={"items": (*work.items, work.items[0].model_copy(update={"exercise": "gone_one"}))})
    assert problems_of(gone)[-1] == f"Row {len(gone.items)}: this exercise is no longer in the library; remove it."


def test_hostile_text_is_kept_exactly():
    notes = "Łukasz Żółć & <b>Ολυμπία</b> 'Юлия' " * 100
    work = with_row(template_work(), 0, notes=notes[:2000]).model_copy(update={"notes": notes})
    program, problems = builder.to_program(work, PATIENT, LIB)
    assert problems == []
    assert program.items[0].notes == notes[:2000] and program.notes == notes


def test_an_added_one_leg_exercise_starts_on_the_affected_side_at_its_library_dose():
    work = builder.blank(patient_id=7, start_date=START)
    work = builder.add_item(work, "single_leg_bridge", LIB, Side.LEFT)
    work = builder.add_item(work, "glute_bridge", LIB, Side.LEFT)
    work = builder.add_item(work, "single_leg_squat", LIB, None)
    program, problems = builder.to_program(work, PATIENT, LIB)
    assert problems == []
    first, both_legs, unknown_side = program.items
    assert first.side is Side.LEFT and first.dosage == LIB.get("single_leg_bridge").default_dose
    assert both_legs.side is None
    assert unknown_side.side is Side.BOTH


def test_move_and_remove_rows():
    work = template_work()
    names = [item.exercise for item in work.items]
    moved = builder.move_item(work, 1, -1)
    assert [item.exercise for item in moved.items][:2] == [names[1], names[0]]
    assert builder.move_item(work, 0, -1) == work
    assert builder.move_item(work, len(names) - 1, 1) == work
    removed = builder.remove_item(work, 0)
    assert [item.exercise for item in removed.items] == names[1:]


def ladder_exercise() -> str:
    return next(ex.id for ex in LIB if ex.progression and ex.regression and LIB.get(ex.progression).one_leg)


def test_harder_swap_keeps_side_days_and_note_and_takes_the_new_starting_dose():
    exercise_id = ladder_exercise()
    work = builder.add_item(builder.blank(patient_id=7, start_date=START), exercise_id, LIB, Side.RIGHT)
    work = with_row(work, 0, side="right", days_per_week=2, times_per_day=2, notes="Use the step at home", sets=5)
    harder = builder.harder_id(work, 0, LIB)
    assert harder == LIB.get(exercise_id).progression
    swapped = builder.swap_item(work, 0, harder, LIB, Side.RIGHT)
    item = swapped.items[0]
    default = LIB.get(harder).default_dose
    assert item.exercise == harder
    assert (item.side, item.days_per_week, item.times_per_day, item.notes) == ("right", 2, 2, "Use the step at home")
    assert (item.sets, item.reps, item.hold_seconds, item.minutes, item.load) == (
        default.sets, default.reps, default.hold_seconds, default.minutes, default.load)
    easier = builder.easier_id(swapped, 0, LIB)
    assert easier == exercise_id


def test_a_swap_to_a_one_leg_exercise_gets_a_side_when_the_old_one_had_none():
    start = next(ex for ex in LIB if ex.progression and not ex.one_leg and LIB.get(ex.progression).one_leg)
    work = builder.add_item(builder.blank(patient_id=7, start_date=START), start.id, LIB, Side.LEFT)
    swapped = builder.swap_item(work, 0, start.progression, LIB, Side.LEFT)
    assert swapped.items[0].side == "left"


def test_a_program_holds_at_most_forty_exercises():
    work = builder.blank(patient_id=7, start_date=START)
    for _ in range(builder.MAX_ITEMS):
        work = builder.add_item(work, "glute_bridge", LIB)
    with pytest.raises(ValueError, match="at most 40"):
        builder.add_item(work, "glute_bridge", LIB)


def test_the_fingerprint_changes_with_any_edit_and_survives_json():
    work = template_work()
    assert builder.WorkingProgram.model_validate_json(work.fingerprint()) == work
    assert with_row(work, 0, sets=2).fingerprint() != work.fingerprint()
    assert work.model_copy(update={"notes": "x"}).fingerprint() != work.fingerprint()


def test_replace_rows_refuses_a_grid_of_another_size():
    with pytest.raises(ValueError):
        builder.replace_rows(template_work(), [])


def test_a_template_start_leaves_the_patient_notes_empty():
    for template in load_templates().values():
        assert template.notes  # every template carries physio guidance...
        assert builder.from_template(template, patient_id=7, start_date=START).notes == ""  # ...not for the patient


# --- week plan: planned switches and growth ------------------------------------------------------------------


def test_a_switch_is_planned_on_one_row_and_cleared_again():
    work = builder.from_template(load_templates()["phase2_strengthen"], patient_id=1, start_date=dt.date(2026, 12, 7))
    planned = builder.plan_switch(work, 1, "monster_walk", 3)
    assert planned.items[1].switch == {"from_week": 3, "exercise": "monster_walk"}
    program, problems = builder.to_program(planned, PATIENT, LIB)
    assert problems == [] and program.items[1].switch.exercise == "monster_walk"
    assert builder.clear_switch(planned, 1).items[1].switch is None


def test_a_switch_to_the_same_exercise_or_in_week_1_is_refused_in_words():
    work = builder.from_template(load_templates()["phase2_strengthen"], patient_id=1, start_date=dt.date(2026, 12, 7))
    with pytest.raises(ValueError, match="already does that exercise"):
        builder.plan_switch(work, 1, work.items[1].exercise, 3)
    with pytest.raises(ValueError, match="week 2 or later"):
        builder.plan_switch(work, 1, "monster_walk", 1)


def test_an_empty_grows_cell_means_grow_and_an_unticked_one_keeps_the_dose():
    work = builder.from_template(load_templates()["phase2_strengthen"], patient_id=1, start_date=dt.date(2026, 12, 7))
    rows = [dict(builder.WorkingItem.model_dump(item)) for item in work.items]
    rows[0]["grow"], rows[1]["grow"] = None, False
    program, problems = builder.to_program(builder.replace_rows(work, rows), PATIENT, LIB)
    assert problems == [] and (program.items[0].grow, program.items[1].grow) == (True, False)


def test_the_week_plan_table_shows_each_rule_and_names_a_switched_in_exercise():
    work = builder.from_template(load_templates()["phase3_return_to_running"], patient_id=1,
                                 start_date=dt.date(2026, 12, 7))
    program, _ = builder.to_program(builder.plan_switch(work, 1, "eccentric_step_down", 5), PATIENT, LIB)
    table = week_plan_table(program, LIB)
    run = table.iloc[0]
    assert run["Each week"] == "+10 min every 2 weeks (at most 30% at a time), up to 30 min"
    assert [run[f"Wk {n}"] for n in range(1, 7)] == ["20 min"] * 2 + ["26 min"] * 2 + ["30 min"] * 2
    squat = table.iloc[1]
    assert squat["Wk 5"] == "→ Eccentric step-down 3×8" and squat["Wk 6"] == "3×8"


def test_compact_amounts_read_as_a_clinician_writes_them():
    doses = (Dosage(sets=3, reps=12), Dosage(sets=3, reps=10, hold_seconds=5), Dosage(sets=3, reps=1, hold_seconds=15),
             Dosage(sets=1, reps=2, hold_seconds=30), Dosage(minutes=20), Dosage(sets=2, minutes=2))
    assert [compact_amount(d) for d in doses] == ["3×12", "3×10, 5 s hold", "15 s ×3", "30 s ×2", "20 min", "2 min ×2"]


def test_a_program_from_a_template_is_titled_after_it_and_an_empty_title_falls_back():
    template = load_templates()["phase2_strengthen"]
    work = builder.from_template(template, patient_id=1, start_date=START)
    assert work.title == template.title
    program, _ = builder.to_program(work.model_copy(update={"title": "   "}), Patient(name="Test"))
    assert program.title == builder.DEFAULT_TITLE


def test_a_swap_drops_a_templates_note_that_describes_the_old_exercise_from_every_template():
    swaps = 0
    for template_id in load_templates():
        work = template_work(template_id)
        for index, item in enumerate(work.items):
            target = builder.harder_id(work, index, LIB) or builder.easier_id(work, index, LIB)
            if not item.notes or target is None:
                continue
            swapped = builder.swap_item(work, index, target, LIB, Side.LEFT)
            assert swapped.items[index].exercise == target and swapped.items[index].notes == ""
            program, problems = builder.to_program(swapped, PATIENT, LIB)
            assert not problems and not program.items[index].notes
            swaps += 1
    assert swaps  # at least one template gives a note on an exercise with a ladder


# --- issue 17: a template's note for one exercise does not follow the row to another ------------------------------


def test_harder_or_easier_drops_the_templates_note_for_the_old_exercise():
    work = template_work("phase1_settle")
    row = next(i for i, item in enumerate(work.items) if item.exercise == "wall_sit")
    assert work.items[row].notes.startswith("Bend your knees only a little")
    target = builder.harder_id(work, row, LIBRARY) or builder.easier_id(work, row, LIBRARY)
    swapped = builder.swap_item(work, row, target, LIBRARY)
    assert swapped.items[row].exercise == target and swapped.items[row].notes == ""


def test_harder_or_easier_keeps_a_note_the_clinician_wrote():
    work = with_row(template_work("phase1_settle"), 0, notes="Slowly, in front of a mirror")
    target = builder.harder_id(work, 0, LIBRARY) or builder.easier_id(work, 0, LIBRARY)
    assert builder.swap_item(work, 0, target, LIBRARY).items[0].notes == "Slowly, in front of a mirror"


def test_a_clinic_templates_own_note_is_dropped_too_when_the_program_started_from_it():
    builtin = load_templates()["phase2_strengthen"]
    walk = next(i for i, item in enumerate(builtin.items) if item.exercise == "lateral_band_walk")
    items = list(builtin.items)
    items[walk] = items[walk].model_copy(update={"notes": "12 steps one way, then 12 steps back."})
    clinic = builtin.model_copy(update={"id": "clinic_3", "items": items})
    work = builder.from_template(clinic, patient_id=7, start_date=START)
    harder = builder.harder_id(work, walk, LIBRARY)
    assert builder.template_note(work.items[walk], clinic) and not builder.template_note(work.items[walk])
    assert builder.swap_item(work, walk, harder, LIBRARY, started_from=clinic).items[walk].notes == ""
    kept = builder.swap_item(work, walk, harder, LIBRARY)  # without knowing the template, a note is the clinician's
    assert kept.items[walk].notes == "12 steps one way, then 12 steps back."
