"""The built-in exercise library (assets/exercises.yaml): complete, consistent ladders, plain words, sane doses."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import textstat
import yaml

from rehab.content.library import EXERCISES_FILE, ExerciseLibrary, load_library, load_library_file
from rehab.domain import Category, Dosage, Exercise, Growth, Phase, Position, TargetArea
from rehab.errors import LibraryError
from rehab.words.dose import stated_counts

# Exercise names the issue asks for, mapped to the library ids that cover them.
REQUIRED = {
    "straight leg raise": ("straight_leg_raise",),
    "glute bridge": ("glute_bridge",),
    "clamshell": ("clamshell",),
    "wall sit": ("wall_sit",),
    "wall slide": ("wall_slide",),
    "step-up": ("step_up",),
    "squat to chair": ("squat_to_chair",),
    "lateral band walk": ("lateral_band_walk",),
    "monster walk": ("monster_walk",),
    "band squat": ("band_squat",),
    "donkey kick": ("donkey_kick",),
    "standing quad stretch": ("standing_quad_stretch",),
    "prone or side-lying quad stretch": ("prone_quad_stretch", "side_lying_quad_stretch"),
    "hip flexor stretch": ("hip_flexor_stretch",),
    "standing calf stretch": ("standing_calf_stretch",),
    "hamstring stretch": ("hamstring_stretch",),
    "IT band stretch": ("it_band_stretch",),
    "foam rolling IT band/quads/hamstrings": ("foam_roll_it_band", "foam_roll_quads", "foam_roll_hamstrings"),
    "glute ball release": ("glute_ball_release",),
    "side-lying hip abduction": ("side_lying_hip_abduction",),
    "banded hip abduction/ER": ("standing_band_hip_abduction",),
    "terminal knee extension": ("terminal_knee_extension",),
    "knee extension 90-45": ("knee_extension_90_45",),
    "leg press 0-45": ("leg_press_0_45",),
    "side plank": ("side_plank",),
    "single-leg balance": ("single_leg_balance",),
    "single-leg squat": ("single_leg_squat",),
    "eccentric step-down": ("eccentric_step_down",),
    "quad set": ("quad_set",),
}

# Every built-in id with its (easier, harder) neighbours; other modules and templates refer to these ids.
LADDERS: dict[str, tuple[str | None, str | None]] = {
    "quad_set": (None, "straight_leg_raise"),
    "straight_leg_raise": ("quad_set", None),
    "terminal_knee_extension": ("quad_set", "knee_extension_90_45"),
    "knee_extension_90_45": ("terminal_knee_extension", "leg_press_0_45"),
    "leg_press_0_45": ("knee_extension_90_45", None),
    "wall_slide": ("quad_set", "wall_sit"),
    "wall_sit": ("wall_slide", "squat_to_chair"),
    "squat_to_chair": ("wall_sit", "band_squat"),
    "band_squat": ("squat_to_chair", "single_leg_squat"),
    "single_leg_squat": ("eccentric_step_down", None),
    "step_up": ("squat_to_chair", "eccentric_step_down"),
    "eccentric_step_down": ("step_up", "single_leg_squat"),
    "glute_bridge": (None, "single_leg_bridge"),
    "single_leg_bridge": ("glute_bridge", None),
    "donkey_kick": ("glute_bridge", None),
    "clamshell": (None, "side_lying_hip_abduction"),
    "side_lying_hip_abduction": ("clamshell", "standing_band_hip_abduction"),
    "standing_band_hip_abduction": ("side_lying_hip_abduction", "lateral_band_walk"),
    "lateral_band_walk": ("standing_band_hip_abduction", "monster_walk"),
    "monster_walk": ("lateral_band_walk", None),
    "side_plank": (None, None),
    "single_leg_balance": (None, None),
    "standing_quad_stretch": ("side_lying_quad_stretch", None),
    "prone_quad_stretch": ("side_lying_quad_stretch", None),
    "side_lying_quad_stretch": (None, None),
    "hip_flexor_stretch": (None, None),
    "standing_calf_stretch": (None, None),
    "hamstring_stretch": (None, None),
    "it_band_stretch": (None, None),
    "foam_roll_it_band": (None, None),
    "foam_roll_quads": (None, None),
    "foam_roll_hamstrings": (None, None),
    "glute_ball_release": (None, None),
    "stationary_cycling": (None, "walk_run_intervals"),
    "walk_run_intervals": ("stationary_cycling", None),
}

# Prop words the illustrations draw from, plus the few things drawn as plain labels.
EQUIPMENT_WORDS = {
    "mat",
    "towel",
    "loop band",
    "long band",
    "step",
    "chair",
    "wall",
    "foam roller",
    "ball",
    "strap",
    "ankle weight",
    "rail",
    "bike",
    "leg press machine",
}

MAX_GRADE = 7.0
MAX_MEAN_GRADE = 6.0


@pytest.fixture(scope="module")
def library() -> ExerciseLibrary:
    return load_library()


def steps_grade(exercise: Exercise) -> float:
    return textstat.flesch_kincaid_grade(" ".join(exercise.steps))


def make(ex_id: str, *, progression: str | None = None, regression: str | None = None) -> Exercise:
    """A minimal valid exercise for building small libraries inside a test."""
    return Exercise(
        id=ex_id,
        name=ex_id.replace("_", " ").title(),
        category=Category.STRENGTH,
        target_areas=(TargetArea.KNEE,),
        target_muscles=("quadriceps",),
        position=Position.STANDING,
        one_leg=False,
        steps=("Stand up tall.", "Bend your knees a little.", "Stand back up."),
        cues=("Keep your knees over your toes.",),
        default_dose=Dosage(sets=3, reps=10),
        progression=progression,
        regression=regression,
        progress_tip="Do two more reps.",
        ease_tip="Do two fewer reps.",
        phases=(Phase.STRENGTHEN,),
        evidence="A test entry.",
    )


# ---- completeness -------------------------------------------------------------------------------------


def test_the_ladder_table_in_this_file_lists_35_distinct_ids():
    assert len(LADDERS) == 35
    required_ids = {ex_id for ids in REQUIRED.values() for ex_id in ids}
    assert required_ids <= set(LADDERS)


def test_the_library_loads_and_holds_every_expected_id(library):
    missing = sorted(set(LADDERS) - set(library.ids()))
    assert not missing, f"missing from {EXERCISES_FILE.name}: {missing}"


@pytest.mark.parametrize("issue_name", sorted(REQUIRED))
def test_each_exercise_the_issue_names_is_in_the_library(library, issue_name):
    for ex_id in REQUIRED[issue_name]:
        assert ex_id in library, f"{issue_name!r} needs '{ex_id}'"
        assert library.get(ex_id).name.strip()


def test_equipment_uses_the_shared_prop_words(library):
    odd = {(ex.id, item) for ex in library for item in ex.equipment if item not in EQUIPMENT_WORDS}
    assert not odd, f"equipment words outside the shared list: {sorted(odd)}"


# ---- ladders ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ex_id", sorted(LADDERS))
def test_each_exercise_has_the_agreed_easier_and_harder_neighbours(library, ex_id):
    exercise = library.get(ex_id)
    assert (exercise.regression, exercise.progression) == LADDERS[ex_id]


def test_following_harder_or_easier_links_never_loops(library):
    for start in library:
        for step in (library.harder, library.easier):
            seen = [start.id]
            current = step(start.id)
            while current is not None:
                assert current.id not in seen, f"ladder loops: {' → '.join([*seen, current.id])}"
                seen.append(current.id)
                current = step(current.id)


def test_anything_that_is_progressed_to_has_a_way_back(library):
    for exercise in library:
        harder = library.harder(exercise.id)
        if harder is not None:
            assert harder.regression is not None, f"'{harder.id}' has no easier exercise"


def test_no_exercise_is_both_easier_and_harder_than_another(library):
    # Easier-to-harder pairs from both kinds of link; a pair seen both ways would contradict itself.
    pairs = set()
    for ex in library:
        if ex.progression:
            pairs.add((ex.id, ex.progression))
        if ex.regression:
            pairs.add((ex.regression, ex.id))
    contradictions = sorted((a, b) for a, b in pairs if (b, a) in pairs)
    assert not contradictions


def test_a_library_whose_ladder_loops_is_rejected_naming_the_exercise():
    with pytest.raises(LibraryError, match="loop_b|loop_a") as err:
        ExerciseLibrary(
            [
                make("loop_a", progression="loop_b", regression="loop_b"),
                make("loop_b", progression="loop_a", regression="loop_a"),
            ]
        )
    assert "loops" in str(err.value)


def test_a_harder_exercise_without_a_way_back_is_rejected_naming_it():
    with pytest.raises(LibraryError, match="'top_step': regression is missing"):
        ExerciseLibrary([make("low_step", progression="top_step"), make("top_step")])


def test_a_link_to_an_unknown_exercise_is_rejected_naming_both():
    with pytest.raises(LibraryError, match="'lonely': progression 'nowhere' is not in the library"):
        ExerciseLibrary([make("lonely", progression="nowhere")])


def test_a_small_consistent_library_is_accepted():
    small = ExerciseLibrary([make("easy_one", progression="hard_one"), make("hard_one", regression="easy_one")])
    assert small.harder("easy_one").id == "hard_one"
    assert small.easier("hard_one").id == "easy_one"


# ---- loading a bad file -------------------------------------------------------------------------------


def _one_entry_file(tmp_path: Path, change) -> Path:
    raw = yaml.safe_load(EXERCISES_FILE.read_text(encoding="utf-8"))["exercises"][0]
    entry = copy.deepcopy(raw)
    entry.update(id="bad_entry", progression=None, regression=None)
    change(entry)
    path = tmp_path / "exercises.yaml"
    path.write_text(yaml.safe_dump({"exercises": [entry]}, allow_unicode=True), encoding="utf-8")
    return path


def test_a_valid_copied_entry_loads_so_the_bad_entry_tests_fail_for_their_own_reason(tmp_path):
    path = _one_entry_file(tmp_path, lambda entry: None)
    assert load_library_file(path).ids() == ["bad_entry"]


def test_zero_sets_fails_loudly_naming_the_id_and_field(tmp_path):
    path = _one_entry_file(tmp_path, lambda entry: entry["default_dose"].update(sets=0))
    with pytest.raises(LibraryError) as err:
        load_library_file(path)
    message = str(err.value)
    assert "bad_entry" in message
    assert "default_dose.sets" in message
    assert "minimum 1" in message


def test_missing_steps_fails_loudly_naming_the_id_and_field(tmp_path):
    path = _one_entry_file(tmp_path, lambda entry: entry.pop("steps"))
    with pytest.raises(LibraryError) as err:
        load_library_file(path)
    assert "bad_entry" in str(err.value)
    assert "steps: is required" in str(err.value)


def test_an_unknown_category_fails_loudly_naming_the_id_and_field(tmp_path):
    path = _one_entry_file(tmp_path, lambda entry: entry.update(category="yoga"))
    with pytest.raises(LibraryError, match=r"bad_entry.*category: 'yoga' is not allowed"):
        load_library_file(path)


# ---- plain words --------------------------------------------------------------------------------------


def test_every_exercise_steps_read_at_grade_7_or_below_and_the_mean_at_6_or_below(library):
    grades = sorted(((steps_grade(ex), ex.id) for ex in library), reverse=True)
    worst = ", ".join(f"{ex_id} {grade:.1f}" for grade, ex_id in grades[:5])
    too_hard = [ex_id for grade, ex_id in grades if grade > MAX_GRADE]
    assert not too_hard, f"steps above grade {MAX_GRADE}: {too_hard}; worst five: {worst}"
    mean = sum(grade for grade, _ in grades) / len(grades)
    assert mean <= MAX_MEAN_GRADE, f"mean grade {mean:.2f} > {MAX_MEAN_GRADE}; worst five: {worst}"


def test_tips_and_cautions_read_at_grade_7_or_below(library):
    too_hard = []
    for ex in library:
        for label, text in (
            ("progress_tip", ex.progress_tip),
            ("ease_tip", ex.ease_tip),
            ("cautions", " ".join(ex.cautions)),
            ("cues", " ".join(ex.cues)),
        ):
            if text and textstat.flesch_kincaid_grade(text) > MAX_GRADE:
                too_hard.append(f"{ex.id}.{label}")
    assert not too_hard


def test_steps_do_not_number_themselves(library):
    # The handout numbers the steps; a leading "1." in the data would print twice.
    numbered = [ex.id for ex in library for step in ex.steps if step.lstrip()[:1].isdigit()]
    assert not numbered


# ---- dose sanity --------------------------------------------------------------------------------------


def test_no_strengthening_exercise_defaults_to_every_day(library):
    daily = [ex.id for ex in library if ex.is_strengthening and ex.default_dose.days_per_week > 3]
    assert not daily, f"strength work is 2-3 days a week: {daily}"


def test_every_stretch_is_daily_and_holds_at_least_10_seconds(library):
    stretches = [ex for ex in library if ex.category is Category.STRETCH]
    assert len(stretches) >= 7
    for ex in stretches:
        dose = ex.default_dose
        assert dose.hold_seconds is not None and 10 <= dose.hold_seconds <= 60, ex.id
        assert dose.days_per_week == 7, ex.id
        assert dose.reps is not None and 2 <= dose.reps <= 4, ex.id


def test_cardio_and_soft_tissue_are_dosed_in_minutes(library):
    timed = [ex for ex in library if ex.category in (Category.CARDIO, Category.SOFT_TISSUE)]
    assert {ex.id for ex in timed} >= {"stationary_cycling", "walk_run_intervals", "foam_roll_quads"}
    assert all(ex.default_dose.minutes for ex in timed), [ex.id for ex in timed if not ex.default_dose.minutes]


def test_rep_based_strength_work_stays_in_the_novice_range(library):
    for ex in library:
        dose = ex.default_dose
        if ex.is_strengthening and dose.hold_seconds is None:
            assert 1 <= dose.sets <= 3 and 8 <= (dose.reps or 0) <= 15, ex.id
            assert 30 <= dose.rest_seconds <= 90, ex.id


def test_two_leg_moves_are_not_marked_one_leg(library):
    two_legs = {"glute_bridge", "wall_sit", "squat_to_chair", "band_squat", "lateral_band_walk", "stationary_cycling"}
    one_leg = {"straight_leg_raise", "step_up", "clamshell", "single_leg_squat", "hamstring_stretch", "foam_roll_quads"}
    assert not [ex_id for ex_id in two_legs if library.get(ex_id).one_leg]
    assert all(library.get(ex_id).one_leg for ex_id in one_leg)


def test_every_phase_has_exercises(library):
    for phase in Phase:
        assert library.search(phase=phase), phase


# ---- the weekly rule and the one-line summary ---------------------------------------------------------


def test_every_exercise_has_a_plain_one_line_summary(library):
    for ex in library:
        assert ex.summary and ex.summary.endswith(".") and "\n" not in ex.summary, ex.id
        assert textstat.flesch_kincaid_grade(ex.summary) <= MAX_GRADE, ex.id


def test_stretches_foam_rolling_and_load_progressed_exercises_do_not_grow(library):
    for ex in library:
        if ex.category in (Category.STRETCH, Category.SOFT_TISSUE) or ex.id in ("knee_extension_90_45",
                                                                               "leg_press_0_45"):
            assert ex.weekly.grow is Growth.NONE, ex.id


def test_weekly_maxima_follow_the_clinical_reference(library):
    # reference §6/§7: cycling 20-30 min; wall sit holds up to 40 s; side plank up to 30 s; reps stay <= 20
    assert library.get("stationary_cycling").weekly.max == 30
    assert library.get("wall_sit").weekly.max <= 40
    assert library.get("side_plank").weekly.max <= 30
    for ex in library:
        if ex.weekly.grow is Growth.REPS:
            assert ex.weekly.max <= 20, ex.id
        if ex.weekly.grow is Growth.HOLD_SECONDS and ex.category is Category.STRETCH:
            assert ex.weekly.max <= 30, ex.id


def test_running_time_rises_at_most_30_percent_in_two_weeks(library):
    rule = library.get("walk_run_intervals").weekly
    assert (rule.grow, rule.max_rise_percent, rule.every_weeks) == (Growth.MINUTES, 30, 2)


def test_no_built_in_step_states_a_count_of_the_dose(library):
    for ex in library:
        for step in ex.steps:
            for count in stated_counts(step):
                dosed = getattr(ex.default_dose, count.field)
                assert dosed is None or (count.field == "minutes" and count.number < dosed), (ex.id, step)


def test_a_missing_weekly_rule_fails_naming_the_exercise(tmp_path):
    path = _one_entry_file(tmp_path, lambda entry: entry.pop("weekly"))
    with pytest.raises(LibraryError, match=r"exercise 'bad_entry': weekly is missing"):
        load_library_file(path)


def test_a_missing_summary_fails_naming_the_exercise(tmp_path):
    path = _one_entry_file(tmp_path, lambda entry: entry.pop("summary"))
    with pytest.raises(LibraryError, match=r"exercise 'bad_entry': summary is missing"):
        load_library_file(path)


def test_a_weekly_max_below_the_starting_dose_fails_naming_the_exercise(tmp_path):
    path = _one_entry_file(tmp_path, lambda entry: entry["weekly"].update(max=5))
    with pytest.raises(LibraryError, match=r"bad_entry.*weekly: max 5 is below the default_dose reps \(10\)"):
        load_library_file(path)


def test_a_weekly_rule_for_an_amount_the_dose_lacks_fails(tmp_path):
    path = _one_entry_file(tmp_path, lambda entry: entry.update(weekly={"grow": "minutes", "step": 5, "max": 30}))
    with pytest.raises(LibraryError, match=r"bad_entry.*grows minutes, but default_dose has no minutes"):
        load_library_file(path)


def test_a_growing_rule_without_a_step_fails(tmp_path):
    path = _one_entry_file(tmp_path, lambda entry: entry.update(weekly={"grow": "reps", "max": 15}))
    with pytest.raises(LibraryError, match=r"bad_entry.*needs a step and a max"):
        load_library_file(path)


def test_a_step_that_states_the_dose_count_fails_naming_the_exercise(tmp_path):
    path = _one_entry_file(tmp_path, lambda entry: entry["steps"].append("Do this 10 times."))
    with pytest.raises(LibraryError, match=r"exercise 'bad_entry': steps\[6\] says '10 times'"):
        load_library_file(path)
