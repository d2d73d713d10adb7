"""Print rules read back from the PDF with pdfplumber: header and footer stay out of the page's content, large
print is large everywhere, brand-coloured graphics keep 3:1 on white, and the traffic light reads in grey."""

from __future__ import annotations

import functools
import io

import pdfplumber
import pytest
from hypothesis import given
from hypothesis import strategies as st
from reportlab.lib import colors

from rehab.content.library import load_library
from rehab.domain.clinic import Clinic
from rehab.handout.frame import page_heights, wrap, wrap_parts
from rehab.handout.look import contrast, lightness, load_look, make_palette
from rehab.handout.render import _paper, build_handout
from tests.integration.test_handout_branding import HOSTILE, LONG
from tests.support.handout_samples import PREPARED, render, sample_clinic, sample_program

COMBINATIONS = [(paper, large) for paper in ("a4", "letter") for large in (False, True)]
YELLOW = "#FFD500"
WHITE = colors.Color(1, 1, 1)


@functools.cache
def pdf_pages(clinic: Clinic, paper: str, large_print: bool, grayscale: bool = False) -> list[dict]:
    """Each page's size, characters and graphics, as plain dicts (pdfplumber's objects need the file open)."""
    pdf = render(sample_program(), clinic, paper=paper, large_print=large_print, grayscale=grayscale)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [{"height": p.height, "width": p.width, "chars": list(p.chars),
                 "graphics": [*p.rects, *p.curves, *p.lines]} for p in doc.pages]


def heights(clinic: Clinic, paper: str, large_print: bool):
    h = build_handout(sample_program(), clinic, paper=_paper(paper, clinic), large_print=large_print,
                      grayscale=False, prepared=PREPARED, library=load_library(), look=load_look())
    return page_heights(h)


def text(chars: list[dict]) -> str:
    return "".join(c["text"] for c in chars if not c["text"].isspace())


# --- header and footer ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("clinic", [LONG, HOSTILE], ids=["long", "hostile"])
@pytest.mark.parametrize("paper, large_print", COMBINATIONS)
def test_header_and_footer_stay_in_their_own_room_and_the_page_content_in_its_frame(clinic, paper, large_print):
    look, room = load_look().printed(large_print), heights(clinic, paper, large_print)
    pages = pdf_pages(clinic, paper, large_print)
    for number, page in enumerate(pages, start=1):
        header = room.first_header if number == 1 else room.header
        frame_top = look.page.margin_top + header  # pdfplumber measures from the top of the page
        frame_bottom = page["height"] - look.page.margin_bottom - room.footer
        above = [c for c in page["chars"] if c["bottom"] <= frame_top]
        below = [c for c in page["chars"] if c["top"] >= frame_bottom]
        inside = [c for c in page["chars"] if c["top"] >= frame_top - 0.5 and c["bottom"] <= frame_bottom + 0.5]
        assert len(above) + len(below) + len(inside) == len(page["chars"]), f"page {number}: text across a border"
        assert "".join(clinic.name.split()) in text(above), f"page {number}"
        footer = text(below)
        assert "".join(clinic.website.split()) in footer and "".join(clinic.email.split()) in footer
        assert f"Page{number}of{len(pages)}" in footer
        assert "Prepared" not in text(inside) and "Prepared" in footer
        right = page["width"] - look.page.margin_right
        assert all(look.page.margin_left - 0.5 <= c["x0"] and c["x1"] <= right + 0.5 for c in above + below)


def test_header_and_footer_grow_with_the_clinic_details_and_never_shrink_below_the_look():
    page = load_look().page
    short = heights(Clinic(name="Knee Clinic"), "a4", False)
    long = heights(LONG, "a4", True)
    assert (short.first_header, short.header, short.footer) >= (page.first_header_height, page.header_height,
                                                                 page.footer_height)
    assert long.first_header > short.first_header and long.header > short.header and long.footer > short.footer


@given(st.text(min_size=0, max_size=300), st.floats(min_value=20, max_value=500))
def test_wrapping_keeps_every_character_and_every_line_fits(value, width):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from rehab.handout.fonts import register_fonts

    look = load_look()
    fonts = register_fonts(look.font.regular, look.font.bold)
    lines = wrap(value, fonts.regular, 12, width)
    assert "".join("".join(lines).split()) == "".join(value.split())
    for line in lines:
        assert stringWidth(line, fonts.regular, 12) <= width or len(line) == 1


def test_parts_share_a_line_only_when_they_fit_whole():
    from rehab.handout.fonts import register_fonts

    look = load_look()
    fonts = register_fonts(look.font.regular, look.font.bold)
    assert wrap_parts(["0123 456", "desk@example.org"], fonts.regular, 11, 400) == ["0123 456  ·  desk@example.org"]
    lines = wrap_parts(["0123 456", "a-very-long-address@" + "x" * 60 + ".example.org"], fonts.regular, 11, 200)
    assert lines[0] == "0123 456" and "".join(lines[1:]) == "a-very-long-address@" + "x" * 60 + ".example.org"


# --- large print ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("clinic", [sample_clinic(), LONG], ids=["sample", "long"])
def test_large_print_sets_every_text_at_16_pt_and_the_footer_at_14(clinic, paper):
    look, room = load_look(), heights(clinic, paper, True)
    for number, page in enumerate(pdf_pages(clinic, paper, True), start=1):
        footer_top = page["height"] - look.page.margin_bottom - room.footer
        for c in page["chars"]:
            floor = 14 if c["top"] >= footer_top else 16
            assert c["size"] >= floor - 0.01, f"page {number}: {c['text']!r} at {c['size']:.1f} pt"


def test_large_print_sizes_in_the_look_keep_the_rule():
    large = load_look().sizes.large
    sizes = large.model_dump()
    assert sizes.pop("footer") >= 14
    for name in ("body", "table", "header", "title", "heading", "subheading", "card_title", "clinic_name"):
        assert sizes[name] >= 16, name


# --- colours ------------------------------------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=0xFFFFFF), st.booleans())
def test_brand_graphics_keep_3_to_1_on_white_for_any_brand_colour(value, grayscale):
    palette = make_palette(load_look(), f"#{value:06X}", grayscale=grayscale)
    assert contrast(palette.brand, palette.page) >= 3.0
    assert contrast(palette.brand_text, palette.page) >= 4.5 and contrast(palette.brand_text, palette.brand_tint) >= 4.5


def test_a_dark_brand_colour_is_used_as_given():
    palette = make_palette(load_look(), "#1F5F8B")
    assert palette.brand.hexval() == colors.HexColor("#1F5F8B").hexval()


def _rgb(value) -> tuple[float, ...] | None:
    if not isinstance(value, (tuple, list)) or len(value) != 3:
        return None
    return tuple(round(float(v), 2) for v in value)


def test_a_yellow_brand_draws_limbs_arrows_and_rules_in_its_darkened_colour():
    clinic = sample_clinic(primary_color=YELLOW)
    palette = make_palette(load_look(), YELLOW)
    darkened, raw = _rgb(palette.brand.rgb()), _rgb(colors.HexColor(YELLOW).rgb())
    strokes = [_rgb(g.get("stroking_color")) for page in pdf_pages(clinic, "a4", False) for g in page["graphics"]]
    fills = [_rgb(g.get("non_stroking_color")) for page in pdf_pages(clinic, "a4", False) for g in page["graphics"]]
    assert raw not in strokes and raw not in fills  # the light yellow itself is never a line or a shape
    assert strokes.count(darkened) >= 10  # the drawings' highlighted limbs and arrows, and the rules
    assert contrast(colors.Color(*darkened), WHITE) >= 3.0 - 0.02  # rounded to 2 places above


def test_the_traffic_light_greys_differ_by_at_least_20_in_lightness():
    look = load_look()
    palette = make_palette(look, "#1F5F8B", grayscale=True)
    greys = sorted(lightness(c) for c in (palette.green, palette.amber, palette.red))
    assert greys[1] - greys[0] >= 20 and greys[2] - greys[1] >= 20
    assert look.traffic_light_grey_gap >= 20


def test_the_grayscale_pdf_paints_the_three_zone_headers_in_three_distinct_greys():
    palette = make_palette(load_look(), "#1F5F8B", grayscale=True)
    expected = {_rgb(c.rgb()) for c in (palette.green, palette.amber, palette.red)}
    # a zone's colour is a filled band or a thick bar beside its words: either way, painted
    painted = {_rgb(g.get(key)) for page in pdf_pages(sample_clinic(), "a4", False, True)
               for g in page["graphics"] for key in ("non_stroking_color", "stroking_color")}
    assert expected <= painted and len(expected) == 3
    page_text = "".join(text(p["chars"]) for p in pdf_pages(sample_clinic(), "a4", False, True))
    assert all(label in page_text for label in ("Green:0to2", "Amber:3to5", "Red:above5"))  # named, not only shaded


def test_a_look_file_whose_traffic_light_greys_are_too_close_is_refused(tmp_path):
    import yaml

    from rehab.errors import LibraryError
    from rehab.handout.look import LOOK_FILE, load_look_file

    data = yaml.safe_load(LOOK_FILE.read_text(encoding="utf-8"))
    data["colours"].update(green="#2E7D32", red="#C62828")  # the old pair: one grey in print
    path = tmp_path / "handout_look.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(LibraryError, match="red and green are 3 apart in grey"):
        load_look_file(path)
