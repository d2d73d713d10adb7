"""Each drawing shows what its steps say: geometric rules over the pose data (issue 13), and a broken pose is caught."""

from __future__ import annotations

import copy

import pytest
import yaml

from rehab.content.library import load_library
from rehab.illustrations.checks import STEP_RULES, picture_problems, problems
from rehab.illustrations.poses import POSES_FILE, load_poses, parse_poses

ALL_POSES = sorted(load_poses())
RAW = yaml.safe_load(POSES_FILE.read_text(encoding="utf-8"))


def _changed(exercise_id: str, frame: str, **changes):
    """The built-in pose with one frame's keys replaced, parsed afresh (like a careless edit of poses.yaml)."""
    data = copy.deepcopy(RAW)
    entry = next(e for e in data["poses"] if e["id"] == exercise_id)
    target = next(f for f in entry["frames"] if f["name"] == frame)
    target.update(changes)
    return parse_poses(data)[exercise_id]


@pytest.mark.parametrize("exercise_id", ALL_POSES)
def test_every_picture_follows_the_rules_its_steps_set(exercise_id):
    assert picture_problems(load_poses()[exercise_id]) == []


def test_the_exercises_named_in_issue_13_have_their_own_rules():
    named = {"straight_leg_raise", "wall_sit", "wall_slide", "side_lying_quad_stretch", "single_leg_squat",
             "single_leg_balance", "lateral_band_walk", "monster_walk", "hip_flexor_stretch", "standing_calf_stretch",
             "side_plank", "leg_press_0_45", "terminal_knee_extension", "walk_run_intervals"}
    assert named <= set(STEP_RULES)
    assert set(STEP_RULES) <= {ex.id for ex in load_library()}


def test_hold_exercises_end_on_a_frame_captioned_hold():
    for exercise in load_library():
        if (exercise.default_dose.hold_seconds or 0) >= 10:
            assert load_poses()[exercise.id].captions[-1] == "Hold", exercise.id


def test_a_straight_leg_raised_above_the_bent_knee_is_reported():
    entry = _changed("straight_leg_raise", "end", r_leg={"hip": 45, "knee": 0, "ankle": 0}, like="start")
    assert any("higher than the bent knee" in p for p in picture_problems(entry))


def test_knees_apart_in_the_side_lying_quad_stretch_are_reported():
    entry = _changed("side_lying_quad_stretch", "start", l_leg={"hip": 45, "knee": 70})
    assert any("knees are apart" in p for p in picture_problems(entry))


def test_a_wall_sit_held_too_deep_or_with_knees_past_the_ankles_is_reported():
    entry = _changed("wall_sit", "hold", pelvis=[-7.2, 38], like="start", caption="Hold")
    found = picture_problems(entry)
    assert any("half a right angle" in p or "over the ankles" in p for p in found)


def test_a_lifted_foot_resting_near_the_floor_is_reported():
    entry = _changed("single_leg_squat", "start", l_leg={"hip": -10, "knee": 25, "ankle": 0})
    assert any("lifted foot is not clear" in p for p in picture_problems(entry))


def test_a_frame_that_does_not_differ_from_the_start_is_reported():
    data = copy.deepcopy(RAW)
    entry = next(e for e in data["poses"] if e["id"] == "terminal_knee_extension")
    entry["frames"][1] = {"name": "end", "like": "start"}
    found = picture_problems(parse_poses(data)["terminal_knee_extension"])
    assert any("differs visibly" in p for p in found)


def test_an_arrow_below_the_floor_is_reported():
    data = copy.deepcopy(RAW)
    entry = next(e for e in data["poses"] if e["id"] == "step_up")
    entry["arrows"] = [{"path": [[0, -4], [20, -4]]}]
    assert any("below the floor" in p for p in picture_problems(parse_poses(data)["step_up"]))


def test_an_arrow_on_a_leg_that_stays_still_is_reported():
    data = copy.deepcopy(RAW)
    entry = next(e for e in data["poses"] if e["id"] == "single_leg_balance")
    entry["arrows"] = [{"path": [[2, 12], [2, 30]]}]  # up the standing shank
    assert any("does not move" in p for p in picture_problems(parse_poses(data)["single_leg_balance"]))


def test_a_lifted_foot_inside_the_chair_is_reported():
    data = copy.deepcopy(RAW)
    entry = next(e for e in data["poses"] if e["id"] == "single_leg_balance")
    entry["frames"][1]["l_leg"] = {"hip": 70, "knee": 90, "ankle": 0}  # knee up in front, into the chair
    entry["props"] = [{"kind": "chair", "x": 30, "facing": "right"}]
    assert any("overlaps a prop" in p for p in picture_problems(parse_poses(data)["single_leg_balance"]))


def test_a_hand_that_cannot_reach_the_ankle_it_holds_is_reported():
    entry = _changed("standing_quad_stretch", "end", r_leg={"hip": -5, "knee": 60, "ankle": 0})
    assert any("short of r_shank" in p for p in problems(entry))


def test_a_side_plank_on_a_straight_arm_is_reported():
    entry = _changed("side_plank", "hold", l_arm={"abd": 65, "elbow": 0})
    assert any("not on the elbow" in p for p in picture_problems(entry))
