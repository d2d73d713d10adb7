"""The drawings' key, captions, text alternative and load-aware props: what the handout and the page rely on."""

from __future__ import annotations

import io

import pytest
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.pdfgen import canvas

from rehab.illustrations import (
    KEY_TITLE,
    KEY_WORDS,
    describe,
    drawing_for,
    key_drawing,
    svg_for,
    uses_band,
    uses_weight,
)
from rehab.illustrations.poses import load_poses
from rehab.illustrations.scene import panels

BANDED = sorted(i for i, e in load_poses().items()
                if any(p.kind in ("loop_band", "long_band") for p in e.props))


def _strings(drawing: Drawing) -> list[str]:
    return [node.text for node in drawing.contents if isinstance(node, String)]


def _roles(exercise_id: str, load: str | None) -> set[str]:
    return {s.role for p in panels(load_poses()[exercise_id], load) for s in p.shapes}


@pytest.mark.parametrize(("load", "band", "weight"), [
    ("light band", True, False), ("Red Theraband", True, False), ("loop band, medium", True, False),
    ("ankle weight you can lift 12 times", False, True), ("2 kg", False, True), ("5 lb cuff", False, True),
    (None, False, False), ("", False, False), ("bodyweight only", False, False), ("bandage on the knee", False, False),
])
def test_the_load_in_words_says_whether_a_band_or_a_weight_is_drawn(load, band, weight):
    assert uses_band(load) is band
    assert uses_weight(load) is weight


@pytest.mark.parametrize("exercise_id", BANDED)
def test_a_band_is_drawn_only_when_the_load_uses_one(exercise_id):
    assert "band" in _roles(exercise_id, "light band")
    assert "band" not in _roles(exercise_id, None)
    assert "band" not in _roles(exercise_id, "2 kg ankle weight")


def test_the_ankle_weight_follows_the_load_too():
    assert "weight" in _roles("knee_extension_90_45", "1 kg ankle weight")
    assert "weight" not in _roles("knee_extension_90_45", None)


def test_without_a_load_the_drawing_follows_the_library_starting_dose():
    """Clamshell starts without a band (issue 13: the drawing showed one); band walks start with one."""
    assert "band" not in _roles("clamshell", None)
    clam, walk = svg_for("clamshell"), svg_for("lateral_band_walk")
    band = "rgb(87%,53%,18%)"  # the band colour as reportlab writes it
    assert band not in clam and band in walk
    assert band in svg_for("clamshell", load="light band")


def test_captions_are_written_under_the_frames_only_when_a_font_is_given():
    assert _strings(drawing_for("wall_sit", 400, 120)) == []
    captioned = drawing_for("wall_sit", 400, 120, caption_font="Helvetica-Bold", caption_size=9)
    assert _strings(captioned) == ["Start", "Hold"]
    assert all(n.fontName == "Helvetica-Bold" and n.fontSize == 9 for n in captioned.contents
               if isinstance(n, String))
    assert _strings(drawing_for("wall_slide", 400, 120, caption_font="Helvetica")) == ["Start", "Move", "Hold"]


def test_captioned_drawings_embed_the_font_through_the_canvas():
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(400, 120), pageCompression=0)
    drawing_for("hip_flexor_stretch", 400, 120, caption_font="Times-Roman").draw_on(page, 0, 0)
    page.showPage()
    page.save()
    assert b"Times-Roman" in out.getvalue() and b"(Hold) Tj" in out.getvalue()


@pytest.mark.parametrize("exercise_id", sorted(load_poses()))
def test_the_text_alternative_says_the_captions_in_order(exercise_id):
    words = describe(exercise_id)
    captions = load_poses()[exercise_id].captions
    assert ", then ".join(captions) in words
    assert "coloured" in words
    assert ("outlined" in words) == bool(load_poses()[exercise_id].stance)


def test_the_text_alternative_names_the_band_only_when_it_is_drawn():
    assert "band" in describe("lateral_band_walk")
    assert "band" not in describe("lateral_band_walk", load=None)
    assert describe("my_own_exercise") is None


def test_the_key_drawing_carries_every_key_sentence_and_fits_its_width():
    for width in (900, 200):
        key = key_drawing(width, colors.HexColor("#1F6FA3"), font="Helvetica", size=8)
        assert _strings(key) == list(KEY_WORDS.values())
        assert key.width == width
    wide, narrow = key_drawing(900, size=8), key_drawing(200, size=8)
    assert narrow.height > wide.height  # one line per mark when the row does not fit
    assert KEY_TITLE


@pytest.mark.parametrize("brand", ["#F2C94C", "#FFFF00", "#0E7C86", "#7FDBFF", "#E0E0E0", "#000000"])
def test_the_far_limb_keeps_three_to_one_on_white_for_any_brand_darkened_for_graphics(brand):
    from rehab.handout.look import contrast, load_look, make_palette
    from rehab.illustrations.render import far_accent

    accent = make_palette(load_look(), brand).brand
    far = far_accent(accent)
    assert contrast(far, colors.white) >= 3.0
    assert contrast(far, accent) >= 1.15  # a different shade from the near limb
