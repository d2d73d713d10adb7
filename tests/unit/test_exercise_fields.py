"""Custom exercises from flat fields: plain messages per field, ladder checks, fresh ids, reading level."""

from __future__ import annotations

import pytest

from rehab.content.exercise_fields import (
    ExerciseInputError,
    FieldProblem,
    build_exercise,
    fields_from_exercise,
    label,
    ladder_problems,
    name_problems,
    new_exercise_id,
)
from rehab.content.library import load_library
from rehab.content.readability import GRADE_LIMIT, describe, grade, overall_grade, patient_texts, text_grades


def fields(**changes) -> dict:
    base = fields_from_exercise(load_library().get("glute_bridge"))
    return {**base, "id": "clinic_bridge", **changes}


def problems(**changes) -> list[FieldProblem]:
    with pytest.raises(ExerciseInputError) as caught:
        build_exercise(fields(**changes))
    return caught.value.problems


def test_fields_of_an_exercise_build_the_same_exercise_as_a_custom_one():
    for exercise in load_library():
        built = build_exercise(fields_from_exercise(exercise))
        assert built == exercise.model_copy(update={"custom": True})


def test_text_is_kept_literally_apart_from_spaces_at_the_ends():
    hostile = "O'Brien & <Sons> *bold* {clinic_name} Łukasz Ολυμπία Юлия"
    built = build_exercise(fields(name=f"  {hostile}  ", steps=[hostile, "Two.", "Three."]))
    assert built.name == hostile and built.steps[0] == hostile


@pytest.mark.parametrize(("changes", "expected"), [
    ({"sets": 0}, FieldProblem("sets", "Sets must be 1 to 10.")),
    ({"rest_seconds": 601}, FieldProblem("rest_seconds", "Rest (seconds) must be 0 to 600.")),
    ({"name": "  "}, FieldProblem("name", "Name is required.")),
    ({"category": "yoga"}, FieldProblem("category", "Type must be one of: strength, stretch, soft tissue, balance, "
                                                    "cardio.")),
    ({"one_leg": "maybe"}, FieldProblem("one_leg", "One leg at a time must be yes or no.")),
    ({"steps": ["One.", "Two."]}, FieldProblem("steps", "Steps must have at least 3 entries.")),
    ({"cues": []}, FieldProblem("cues", "Form cues must have at least one entry.")),
    ({"steps": ["One.", "x" * 401, "Three."]}, FieldProblem("step_2", "Step 2 is too long (401 characters; at most "
                                                                      "400).")),
    ({"reps": None, "hold_seconds": None}, FieldProblem("reps", "Give reps, a hold time in seconds or minutes (at "
                                                                "least one of them).")),
    ({"id": "Clinic Bridge"}, FieldProblem("id", "Id must be 2 to 64 lower-case letters, digits or _, starting "
                                                 "with a letter.")),
    ({"harder_id": "Not An Id"}, FieldProblem("harder_id", "Harder exercise must be an exercise id (lower-case "
                                                           "letters, digits and _).")),
    ({"weekly_grow": "reps", "weekly_step": 2, "weekly_max": None},
     FieldProblem("weekly_max", "Weekly maximum is required when the dose grows each week.")),
    ({"weekly_grow": "none", "weekly_step": 2, "weekly_max": None},
     FieldProblem("weekly_step", "Weekly step must be empty when nothing grows each week.")),
    ({"weekly_grow": "fast"}, FieldProblem("weekly_grow", "Grows each week must be one of: reps, hold seconds, sets, "
                                                          "minutes, none.")),
    ({"steps": ["One.", "Line one\nline two", "Three."]}, FieldProblem("step_2", "Step 2 must be one line.")),
])
def test_each_bad_field_gets_a_plain_message_that_names_it_in_words(changes, expected):
    assert expected in problems(**changes)


def test_every_problem_is_reported_at_once():
    found = problems(sets=0, name="", target_areas=[], phases=["knee"])
    assert [p.field for p in found] == ["name", "target_areas", "sets", "phases"]


def test_entries_are_reported_where_the_user_wrote_them():
    with pytest.raises(ExerciseInputError) as caught:
        build_exercise(fields(steps=["One.", "x" * 401, "Three."]), sources={"steps": ["step_1", "step_4", "step_5"]})
    assert caught.value.problems == [FieldProblem("step_4", "Step 4 is too long (401 characters; at most 400).")]


def test_labels_name_numbered_entries():
    assert label("step_4") == "Step 4" and label("cue_2") == "Form cue 2" and label("caution_1") == "Caution 1"
    assert label("harder_id") == "Harder exercise"


def test_new_ids_come_from_the_name_with_the_clinic_prefix_and_never_clash():
    assert new_exercise_id("Wall slide (deep)", []) == "clinic_wall_slide_deep"
    assert new_exercise_id("Zoë's step", ["clinic_zoe_s_step", "clinic_zoe_s_step_2"]) == "clinic_zoe_s_step_3"
    for name in ("Żółć – Ολυμπία", "Ολυμπία", "!!!", "x" * 300, "9 lives"):
        made = new_exercise_id(name, [])
        assert made.startswith("clinic_")
        build_exercise(fields(id=made))  # a valid id for the domain model
    assert new_exercise_id("Ολυμπία", []) == "clinic_exercise"


def test_links_to_missing_or_self_or_bottom_of_a_ladder_are_refused():
    library = load_library()
    assert ladder_problems([build_exercise(fields(harder_id="clinic_nowhere"))], library) == {"clinic_bridge": [
        FieldProblem("harder_id", "Harder exercise: there is no exercise with the id “clinic_nowhere”.")]}
    assert ladder_problems([build_exercise(fields(easier_id="clinic_bridge"))], library) == {"clinic_bridge": [
        FieldProblem("easier_id", "Easier exercise cannot be the exercise itself.")]}
    bottom = ladder_problems([build_exercise(fields(harder_id="glute_bridge"))], library)["clinic_bridge"]
    assert bottom[0].field == "harder_id" and "“Glute bridge” is the easiest step" in bottom[0].message
    assert ladder_problems([build_exercise(fields(harder_id="single_leg_bridge", easier_id="clamshell"))],
                           library) == {}


def test_a_loop_through_several_exercises_is_named_with_their_names():
    library = load_library()
    a = build_exercise(fields(id="clinic_a", name="Step A", harder_id="clinic_b", easier_id="clinic_c"))
    b = build_exercise(fields(id="clinic_b", name="Step B", harder_id="clinic_c", easier_id="clinic_a"))
    c = build_exercise(fields(id="clinic_c", name="Step C", harder_id="clinic_a", easier_id="clinic_b"))
    found = ladder_problems([a, b, c], library)
    assert found == {"clinic_a": [FieldProblem("harder_id", "The harder and easier links go round in a circle: "
                                                            "Step A → Step B → Step C → Step A.")]}


def test_removing_the_easier_link_that_another_exercise_relies_on_is_refused():
    library = load_library()
    lower = build_exercise(fields(id="clinic_low", name="Low", harder_id="clinic_high"))
    higher = build_exercise(fields(id="clinic_high", name="High", easier_id="clinic_low"))
    library = library.with_custom([lower, higher])
    edited = build_exercise(fields(id="clinic_high", name="High"))
    assert ladder_problems([edited], library) == {"clinic_high": [FieldProblem(
        "easier_id", "Easier exercise is needed: “Low” has this exercise as its harder step.")]}


def test_a_name_used_by_another_exercise_is_refused_but_an_edit_may_keep_its_own_name():
    library = load_library()
    twin = build_exercise(fields(name="glute bridge"))
    assert name_problems([twin], library) == {"clinic_bridge": [FieldProblem(
        "name", "Name: there is already an exercise called “Glute bridge”. Choose a name that tells them apart.")]}
    mine = build_exercise(fields(name="Bridge with a ball"))
    assert name_problems([mine], library.with_custom([mine])) == {}


def test_reading_level_flags_hard_text_and_passes_our_own():
    texts = patient_texts(load_library().get("glute_bridge"))
    assert set(texts) >= {"step_1", "cue_1", "progress_tip", "ease_tip"}
    assert all(not g.too_hard for g in text_grades(texts))
    hard = "Perform isometric quadriceps contraction maintaining terminal extension throughout the movement."
    (found,) = text_grades({"step_1": hard, "step_2": "  "})
    assert found.too_hard and found.grade > GRADE_LIMIT and found.field == "step_1"
    assert overall_grade({"a": "Sit down.", "b": hard}) == grade("Sit down. " + hard)
    assert describe(-0.4) == "below grade 1" and describe(6.04) == "grade 6.0"
