"""Exercise drawings: every library exercise has one, and each pose is physically plausible by construction."""

from __future__ import annotations

import io
import math
import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, Group, Polygon, PolyLine, Rect
from reportlab.lib import colors
from reportlab.pdfgen import canvas

from rehab.cli import main as cli_main
from rehab.content.library import load_library
from rehab.domain import Position
from rehab.errors import LibraryError
from rehab.illustrations import body as B
from rehab.illustrations import drawing_for, has_drawing, svg_for
from rehab.illustrations.checks import angle_problems, contact_problems, floor_problems, problems, segment_lengths
from rehab.illustrations.poses import load_poses, parse_poses
from rehab.illustrations.scene import TRUNK_FACES, panels, solve

BUILT_IN = [
    "quad_set", "straight_leg_raise", "terminal_knee_extension", "knee_extension_90_45", "leg_press_0_45",
    "wall_slide", "wall_sit", "squat_to_chair", "band_squat", "single_leg_squat", "step_up", "eccentric_step_down",
    "glute_bridge", "single_leg_bridge", "donkey_kick", "clamshell", "side_lying_hip_abduction",
    "standing_band_hip_abduction", "lateral_band_walk", "monster_walk", "side_plank", "single_leg_balance",
    "standing_quad_stretch", "prone_quad_stretch", "side_lying_quad_stretch", "hip_flexor_stretch",
    "standing_calf_stretch", "hamstring_stretch", "it_band_stretch", "foam_roll_it_band", "foam_roll_quads",
    "foam_roll_hamstrings", "glute_ball_release", "stationary_cycling", "walk_run_intervals",
]
ALL_POSES = sorted(load_poses())
FOOT_PARTS = ("_foot", "_toe", "_heel")
TRUNK_PARTS = (*TRUNK_FACES, "pelvis", "shoulders")


def _axis(frame, column: int) -> tuple[float, float, float]:
    m = frame.skeleton.basis
    return (m[0][column], m[1][column], m[2][column])


# ---- coverage --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", BUILT_IN)
def test_every_built_in_exercise_has_a_drawing(exercise_id):
    assert has_drawing(exercise_id)
    assert isinstance(drawing_for(exercise_id, 360, 150), Drawing)


def test_every_library_exercise_has_a_drawing_and_every_drawing_a_library_exercise():
    library_ids = {ex.id for ex in load_library() if not ex.custom}
    assert library_ids == set(load_poses())


def test_unknown_or_custom_exercises_have_no_drawing():
    assert not has_drawing("my_own_exercise")
    assert drawing_for("my_own_exercise", 300, 120) is None
    assert svg_for("my_own_exercise") is None


# ---- correct by construction ------------------------------------------------------------------------------


@pytest.mark.parametrize("exercise_id", ALL_POSES)
def test_pose_has_no_problems(exercise_id):
    assert problems(load_poses()[exercise_id]) == []


@pytest.mark.parametrize("exercise_id", ALL_POSES)
def test_segment_lengths_are_equal_in_every_frame(exercise_id):
    frames = solve(load_poses()[exercise_id])
    for frame in frames:
        for name, length in segment_lengths(frame).items():
            assert length == pytest.approx(B.SEGMENTS[name][2], abs=1e-6), (frame.name, name)


@pytest.mark.parametrize("exercise_id", ALL_POSES)
def test_joint_angles_stay_in_human_range(exercise_id):
    for frame in solve(load_poses()[exercise_id]):
        assert angle_problems(frame) == []
        for side in B.SIDES:
            lo, hi = B.LEG_RANGES["knee"]
            assert lo - 0.5 <= frame.pose.legs[side].knee <= hi + 0.5
            lo, hi = B.LEG_RANGES["hip"]
            assert lo - 0.5 <= frame.pose.legs[side].hip <= hi + 0.5


@pytest.mark.parametrize("exercise", [ex for ex in load_library() if ex.position is Position.STANDING],
                         ids=lambda ex: ex.id)
def test_standing_poses_keep_a_supporting_foot_on_the_floor(exercise):
    entry = load_poses()[exercise.id]
    for spec, frame in zip(entry.frames, solve(entry), strict=True):
        feet = [c for c in spec.contacts if c.endswith(FOOT_PARTS)]
        assert feet, f"{exercise.id} {spec.name}: no supporting foot listed"
        assert contact_problems(entry, frame) == []
        assert _axis(frame, 1)[1] > 0.6, "a standing trunk points mostly up"


LYING = {
    Position.LYING_ON_BACK: lambda f: _axis(f, 0)[1] > 0.7,  # front faces the ceiling
    Position.LYING_ON_FRONT: lambda f: _axis(f, 0)[1] < -0.7,
    Position.HANDS_AND_KNEES: lambda f: _axis(f, 0)[1] < -0.7,
    Position.LYING_ON_SIDE: lambda f: abs(_axis(f, 2)[1]) > 0.8,  # one hip above the other
}


@pytest.mark.parametrize("exercise", [ex for ex in load_library() if ex.position in LYING], ids=lambda ex: ex.id)
def test_lying_poses_face_the_right_way_and_rest_on_the_floor(exercise):
    entry = load_poses()[exercise.id]
    first = entry.frames[0]
    if exercise.position is not Position.HANDS_AND_KNEES:  # it starts lying: the trunk rests on something
        assert any(c in TRUNK_PARTS or c.endswith("_thigh") for c in first.contacts), exercise.id
    for spec, frame in zip(entry.frames, solve(entry), strict=True):
        assert LYING[exercise.position](frame), f"{exercise.id} {spec.name}: body faces the wrong way"
        assert len(spec.contacts) >= 1
        assert contact_problems(entry, frame) == []
        assert floor_problems(entry, frame) == []
        # still down on the floor when a bridge or plank lifts the hips: no higher than a kneeling hip
        assert frame.skeleton.points["pelvis"][1] < B.THIGH + 8, (exercise.id, spec.name)


def test_side_lying_exercises_work_the_top_leg():
    for exercise_id in ("clamshell", "side_lying_hip_abduction", "side_lying_quad_stretch"):
        entry = load_poses()[exercise_id]
        frame = solve(entry)[0]
        assert frame.skeleton.points["r_hip"][1] > frame.skeleton.points["l_hip"][1]
        assert entry.highlight == ("r_leg",)


def test_one_leg_exercises_highlight_exactly_one_leg():
    for exercise in load_library():
        legs = [part for part in load_poses()[exercise.id].highlight if part.endswith("_leg")]
        if exercise.one_leg:
            assert len(legs) == 1, exercise.id


def test_an_outlined_stance_leg_is_always_the_other_leg_than_the_coloured_one():
    for entry in load_poses().values():
        assert not set(entry.stance) & set(entry.highlight), entry.id
        for leg in entry.stance:
            assert ("l_leg" if leg == "r_leg" else "r_leg") in entry.highlight, entry.id


@pytest.mark.parametrize("exercise_id", ["single_leg_squat", "single_leg_balance", "single_leg_bridge", "step_up",
                                         "eccentric_step_down", "standing_band_hip_abduction",
                                         "standing_quad_stretch"])
def test_exercises_done_standing_or_pushing_on_one_leg_outline_that_leg(exercise_id):
    """The key everywhere: coloured moves, outlined is stood on (issue 13: teal marked the standing leg)."""
    entry = load_poses()[exercise_id]
    assert len(entry.stance) == 1
    drawn_roles = {s.role for p in panels(entry, None) for s in p.shapes}
    assert {"stance", "stance_core"} <= drawn_roles or {"stance_far", "stance_core"} <= drawn_roles


# ---- what the reader sees ------------------------------------------------------------------------------------


def _drawn_bounds(node, transform=(1, 0, 0, 1, 0, 0)):
    """Bounds of everything drawn, strokes included, through group transforms."""
    a, b, c, d, e, f = transform
    boxes = []
    if isinstance(node, (Drawing, Group)):
        inner = transform
        if isinstance(node, Group):
            ta, tb, tc, td, te, tf = node.transform
            inner = (a * ta + c * tb, b * ta + d * tb, a * tc + c * td, b * tc + d * td,
                     a * te + c * tf + e, b * te + d * tf + f)
        for child in node.contents:
            boxes += _drawn_bounds(child, inner)
        return boxes
    pad = (getattr(node, "strokeWidth", 0) or 0) / 2 if getattr(node, "strokeColor", None) is not None else 0
    if isinstance(node, (PolyLine, Polygon)):
        pts = list(zip(node.points[0::2], node.points[1::2], strict=True))
    elif isinstance(node, Circle):
        pad += node.r
        pts = [(node.cx, node.cy)]
    elif isinstance(node, Rect):
        pts = [(node.x, node.y), (node.x + node.width, node.y + node.height)]
    else:
        raise AssertionError(f"unexpected shape {type(node).__name__}")
    scale = math.hypot(a, b)
    for x, y in pts:
        px, py = a * x + c * y + e, b * x + d * y + f
        boxes.append((px - pad * scale, py - pad * scale, px + pad * scale, py + pad * scale))
    return boxes


def _assert_inside(drawing: Drawing):
    for x0, y0, x1, y1 in _drawn_bounds(drawing):
        assert x0 >= -0.01 and y0 >= -0.01, (x0, y0)
        assert x1 <= drawing.width + 0.01 and y1 <= drawing.height + 0.01, (x1, y1)


@pytest.mark.parametrize("exercise_id", ALL_POSES)
def test_figures_stay_inside_their_box(exercise_id):
    for width, height in ((360, 150), (500, 130), (180, 140)):
        _assert_inside(drawing_for(exercise_id, width, height))


@settings(max_examples=40, deadline=None)
@given(exercise_id=st.sampled_from(ALL_POSES), width=st.floats(90, 700), height=st.floats(40, 320))
def test_any_box_size_holds_the_whole_drawing(exercise_id, width, height):
    drawing = drawing_for(exercise_id, width, height)
    assert (drawing.width, drawing.height) == (width, height)
    _assert_inside(drawing)


@pytest.mark.parametrize("exercise_id", ALL_POSES)
def test_svg_parses_as_xml_and_carries_no_text(exercise_id):
    root = ET.fromstring(svg_for(exercise_id))
    assert root.tag.endswith("svg")
    assert not [el for el in root.iter() if el.tag.endswith("text")]


def test_the_accent_colour_marks_the_working_leg_and_the_arrow():
    accent = "rgb(66%,20%,33%)"  # #AA3355 as reportlab writes it
    svg = svg_for("straight_leg_raise", accent=colors.HexColor("#AA3355"))
    assert svg.count(accent) >= 3  # the working leg, its foot, the arrow and its head
    assert accent not in svg_for("straight_leg_raise")


@pytest.mark.parametrize("exercise_id", ALL_POSES)
def test_each_drawing_has_two_or_three_frames_and_a_movement_arrow(exercise_id):
    drawn = panels(load_poses()[exercise_id], "light band")
    assert 2 <= len(drawn) <= 3
    assert any(s.role == "arrow" for p in drawn for s in p.shapes)


@pytest.mark.parametrize("exercise_id", ALL_POSES)
def test_drawings_stay_lean(exercise_id):
    """Few paths per drawing keeps the handout small (issue 4: at most 40 KB for ten cards)."""
    assert sum(len(p.shapes) for p in panels(load_poses()[exercise_id], "light band")) <= 90


def _raster(pdf: bytes):
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return doc[0].render(scale=2).to_pil().convert("L")
    finally:
        doc.close()


@pytest.mark.parametrize("exercise_id", ALL_POSES)
def test_the_fast_pdf_writer_paints_what_reportlab_paints(exercise_id):
    from PIL import ImageChops

    drawing = drawing_for(exercise_id, 300, 120, accent=colors.HexColor("#7A3E9D"), caption_font="Helvetica")
    generic = _raster(renderPDF.drawToString(drawing))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(300, 120))
    drawing.draw_on(page, 0, 0)
    page.showPage()
    page.save()
    fast = _raster(out.getvalue())
    diff = ImageChops.difference(generic, fast)
    # anti-aliased edges may differ by a shade; a missing or misplaced shape would differ in whole areas
    assert sum(diff.histogram()[64:]) < 0.001 * generic.width * generic.height


def test_the_fast_pdf_writer_honours_the_canvas_colour_hook():
    """A grey handout sets reportlab's enforceColorSpace hook; the drawings must turn grey with the rest."""
    drawing = drawing_for("clamshell", 300, 120, accent=colors.HexColor("#7A3E9D"))

    def grey(colour):
        level = 0.3 * colour.red + 0.59 * colour.green + 0.11 * colour.blue
        return colors.Color(level, level, level)

    def ink(colour):
        return colors.CMYKColor(0, 0, 0, 1 - colour.red)

    for hook in (grey, ink):
        out = io.BytesIO()
        page = canvas.Canvas(out, pagesize=(300, 120), enforceColorSpace=hook, pageCompression=0)
        drawing.draw_on(page, 0, 0)
        page.showPage()
        page.save()
        stream = out.getvalue().decode("latin-1")
        rgb = re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) (?:RG|rg)\n", stream)
        cmyk = re.findall(r"[\d.]+ [\d.]+ [\d.]+ [\d.]+ (?:K|k)\n", stream)
        if hook is grey:
            assert rgb and all(r == g == b for r, g, b in rgb)
        else:
            assert cmyk and not rgb


# ---- the data file ---------------------------------------------------------------------------------------------


def _entry(**overrides):
    frame = {"name": "start", "pelvis": [0, 51], "contacts": []}
    entry = {"id": "test_pose", "frames": [frame, {"like": "start", "name": "end"}], "arrows": [{"follow": "r_ankle"}]}
    entry.update(overrides)
    return {"poses": [entry]}


def test_a_minimal_pose_entry_parses_and_like_copies_the_earlier_frame():
    entry = parse_poses(_entry())["test_pose"]
    assert [f.name for f in entry.frames] == ["start", "end"]
    assert entry.frames[1].pelvis == entry.frames[0].pelvis


@pytest.mark.parametrize(("overrides", "message"), [
    ({"frames": [{"name": "start", "pelvis": [0, 51]}]}, "frames"),
    ({"arrows": []}, "arrows"),
    ({"props": [{"kind": "trampoline", "x": 0}]}, "props"),
    ({"frames": [{"name": "start", "pelvis": [0]}, {"name": "end", "pelvis": [0, 50]}]}, "rest"),
    ({"frames": [{"name": "a", "pelvis": [0, 50], "body": {"up": "up", "front": "down"}},
                 {"name": "b", "pelvis": [0, 50]}]}, "right angles"),
    ({"frames": [{"name": "a", "pelvis": [0, 50], "r_leg": {"hip": 10, "ankle_at": [0, 4]}},
                 {"name": "b", "pelvis": [0, 50]}]}, "ankle_at"),
    ({"frames": [{"name": "a", "pelvis": [0, 50], "elbow": 3}, {"name": "b", "pelvis": [0, 50]}]}, "elbow"),
    ({"frames": [{"name": "a", "pelvis": [0, 50]}, {"like": "nope", "name": "b"}]}, "nope"),
])
def test_bad_pose_data_fails_loudly_naming_the_entry(overrides, message):
    with pytest.raises(LibraryError, match="test_pose") as err:
        parse_poses(_entry(**overrides))
    assert message in str(err.value)


def test_a_pose_outside_human_range_is_reported():
    data = _entry(frames=[{"name": "start", "pelvis": [0, 51], "r_leg": {"knee": 170}},
                          {"name": "end", "pelvis": [0, 51]}])
    assert any("r_leg.knee = 170.0" in p for p in problems(parse_poses(data)["test_pose"]))


def test_a_floating_contact_is_reported():
    data = _entry(frames=[{"name": "start", "pelvis": [0, 70], "contacts": ["r_foot"]},
                          {"name": "end", "pelvis": [0, 51]}])
    assert any("r_foot is +" in p for p in problems(parse_poses(data)["test_pose"]))


# ---- command line ----------------------------------------------------------------------------------------------


def test_cli_writes_one_svg_per_exercise(tmp_path):
    assert cli_main(["illustrations", "--svg", str(tmp_path), "--only", "quad_set", "clamshell"]) == 0
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["clamshell.svg", "quad_set.svg"]
    ET.fromstring((tmp_path / "clamshell.svg").read_text(encoding="utf-8"))


def test_cli_renders_a_contact_sheet_png(tmp_path):
    out = tmp_path / "sheet.png"
    assert cli_main(["illustrations", "--sheet", str(out), "--only", "wall_sit", "step_up"]) == 0
    assert out.read_bytes().startswith(b"\x89PNG")


def test_cli_check_reports_every_drawing_clean(capsys):
    assert cli_main(["illustrations", "--check"]) == 0
    assert f"checked {len(ALL_POSES)} drawings: 0 problems" in capsys.readouterr().out


def test_cli_without_an_output_is_a_usage_error(capsys):
    assert cli_main(["illustrations"]) == 2
    assert "--sheet" in capsys.readouterr().err


def test_cli_names_an_unknown_exercise(capsys):
    assert cli_main(["illustrations", "--svg", "unused", "--only", "no_such_thing"]) == 1
    assert "no_such_thing" in capsys.readouterr().err
