"""The moving drawing: one self-contained SVG per exercise, joint angles blended between the frames."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest

from rehab.illustrations import animation_svg
from rehab.illustrations.animate import HOLD_S, PAUSE_S, _timeline
from rehab.illustrations.poses import load_poses

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("exercise_id", sorted(load_poses()))
def test_every_exercise_has_a_self_contained_looping_animation(exercise_id):
    svg = animation_svg(exercise_id)
    root = ET.fromstring(svg)
    animations = list(root.iter(f"{SVG}animate"))
    assert animations, "nothing moves"
    for anim in animations:
        values, times = anim.get("values").split(";"), anim.get("keyTimes").split(";")
        assert len(values) == len(times) and times[0] == "0" and float(times[-1]) == 1.0
        assert anim.get("repeatCount") == "indefinite"
    assert "<script" not in svg and "href" not in svg  # nothing to fetch, nothing to run
    assert len(svg.encode()) < 40_000


def test_the_animation_blends_joint_angles_so_the_knee_travels_an_arc():
    """A straight line between two ankle positions would be a morph; blended angles swing the foot on an arc."""
    svg = animation_svg("knee_extension_90_45")
    leg = next(a for a in ET.fromstring(svg).iter(f"{SVG}animate") if a.get("attributeName") == "points"
               and len(a.get("values").split(";")[0].split()) == 5)  # hip, knee, ankle and the foot
    ankles = [tuple(map(float, v.split()[2].split(","))) for v in leg.get("values").split(";")]
    (x0, y0), (x1, y1) = ankles[0], max(ankles, key=lambda p: abs(p[0] - ankles[0][0]))
    mid = ankles[len(ankles) // 4]
    chord = math.hypot(x1 - x0, y1 - y0)
    off_chord = abs((x1 - x0) * (y0 - mid[1]) - (x0 - mid[0]) * (y1 - y0)) / chord
    assert len(set(ankles)) > 4 and off_chord > 0.3


def test_reduced_motion_gets_the_still_last_frame_with_its_arrow():
    svg = animation_svg("wall_sit")
    assert "@media (prefers-reduced-motion: reduce)" in svg
    root = ET.fromstring(svg)
    still = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "still")
    assert not list(still.iter(f"{SVG}animate"))
    assert len(list(still)) > 5


def test_the_animation_carries_its_text_alternative():
    root = ET.fromstring(animation_svg("single_leg_squat"))
    assert root.get("role") == "img"
    desc = root.find(f"{SVG}desc").text
    assert "Start, then Finish" in desc and "outlined" in desc


def _longest_rest_s(exercise_id: str) -> float:
    svg = animation_svg(exercise_id)
    dur = float(re.search(r'dur="([\d.]+)s"', svg).group(1))
    times = [float(t) * dur for t in re.search(r'keyTimes="([^"]+)"', svg).group(1).split(";")]
    return max(b - a for a, b in zip(times, times[1:], strict=False))


def test_holds_rest_longer_on_the_held_frame():
    assert _longest_rest_s("wall_sit") == pytest.approx(HOLD_S, abs=0.01)
    assert _longest_rest_s("squat_to_chair") == pytest.approx(PAUSE_S, abs=0.01)


def test_pedalling_goes_round_and_other_movements_go_back_and_forth():
    assert [a for a, b, t, _ in _timeline(load_poses()["stationary_cycling"]) if t == 0] == [0, 0, 1, 2]
    assert [a for a, b, t, _ in _timeline(load_poses()["wall_slide"]) if t == 0] == [0, 0, 1, 2, 1]


def test_custom_exercises_have_no_animation():
    assert animation_svg("my_own_exercise") is None
