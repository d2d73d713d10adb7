"""Text safety for the PDF: glyph filtering, markup escaping, fitting one-line text; fonts and the look file."""

from __future__ import annotations

import pytest
import yaml
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from rehab.errors import LibraryError
from rehab.handout import fonts
from rehab.handout.look import contrast, load_look, load_look_file, make_palette, readable_on, to_grey
from rehab.handout.text import drawable, fit, fit_shrinking, markup, one_line


@pytest.fixture(scope="module")
def glyphs() -> frozenset[int]:
    look = load_look()
    return fonts.register_fonts(look.font.regular, look.font.bold).glyphs


@pytest.mark.parametrize("text", ["Łukasz Żółć", "Nguyễn Thị Minh Khai", "Ολυμπία", "Юлия", "Zoë Ñúñez", "O'Brien"])
def test_the_font_draws_every_letter_of_these_scripts(text, glyphs):
    assert drawable(text, glyphs) == text


def test_decomposed_vietnamese_is_composed_so_each_letter_is_one_glyph(glyphs):
    assert drawable("Nguye\u0302\u0303n", glyphs) == "Nguyễn"


@pytest.mark.parametrize(("text", "expected"), [
    ("Zoë 🏃‍♀️ Ñúñez 🎉", "Zoë Ñúñez "),
    ("👨‍👩‍👧 family", " family"),
    ("a ♀ b", "a ♀ b"),  # a symbol the font has stays
    ("王伟 Li", "?? Li"),  # letters the font lacks are marked, not erased
    ("tab\there", "tab here"),
    ("bell\x07 and nul\x00", "bell and nul"),
    ("a\r\nb\rc", "a\nb\nc"),
])
def test_drawable_drops_what_the_font_lacks_and_keeps_the_rest(text, expected, glyphs):
    assert drawable(text, glyphs) == expected


def test_markup_escapes_and_turns_newlines_into_breaks(glyphs):
    assert markup("O'Brien & <Sons>\nline 2", glyphs) == "O'Brien &amp; &lt;Sons&gt;<br/>line 2"


@pytest.mark.parametrize("text", ["x <b>bold", "a stray </b>", "<para>q", "<font name=x>", "&amp; &#0; &bogus;"])
def test_escaped_text_never_breaks_reportlab_markup(text, glyphs):
    style = ParagraphStyle("t", fontName=fonts.REGULAR)
    paragraph = Paragraph(markup(text, glyphs), style)
    paragraph.wrap(300, 1000)
    assert paragraph.getPlainText() == text


def test_one_line_joins_lines_and_spaces(glyphs):
    assert one_line("  12 Example Street\n London  ", glyphs) == "12 Example Street London"


def test_fit_adds_an_ellipsis_only_when_needed():
    assert fit("Short", fonts.REGULAR, 12, 200) == "Short"
    long = "A very long clinic name that does not fit"
    shortened = fit(long, fonts.REGULAR, 12, 100)
    assert shortened.endswith("…") and stringWidth(shortened, fonts.REGULAR, 12) <= 100


def test_fit_shrinking_tries_a_smaller_size_before_cutting():
    text, size = fit_shrinking("Riverside Physiotherapy", fonts.BOLD, 20, 200, 14)
    assert size < 20 and not text.endswith("…")
    text, size = fit_shrinking("Riverside Physiotherapy and Sports Medicine Clinic", fonts.BOLD, 20, 200, 14)
    assert size == 14 and text.endswith("…")


def test_missing_font_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(fonts, "font_dirs", lambda: [tmp_path])
    with pytest.raises(fonts.FontNotFound, match="apt-get install -y fonts-dejavu-core"):
        fonts.find_font("DejaVuSans.ttf")


def test_rehab_font_dir_is_searched_first(monkeypatch, tmp_path):
    monkeypatch.setenv("REHAB_FONT_DIR", str(tmp_path))
    assert fonts.font_dirs()[0] == tmp_path


def test_the_look_file_keeps_body_text_at_readable_sizes():
    look = load_look()
    assert look.sizes.normal.body >= 12 and look.sizes.large.body >= 16
    assert 1.3 <= look.leading <= 1.6


def test_a_bad_look_file_names_the_field(tmp_path):
    data = load_look().model_dump()
    data["sizes"]["normal"]["body"] = 9
    bad = tmp_path / "look.yaml"
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(LibraryError, match=r"look.yaml: sizes.normal.body: 9 is below the minimum 12"):
        load_look_file(bad)


@pytest.mark.parametrize("brand", ["#1F5F8B", "#FFD700", "#E8A317", "#00FF00", "#FFFFFF", "#777777", "#000000"])
def test_brand_text_always_reaches_the_contrast_minimum(brand):
    look = load_look()
    palette = make_palette(look, brand)
    for background in (palette.page, palette.brand_tint):
        assert contrast(palette.brand_text, background) >= look.min_contrast
    assert contrast(palette.on_brand_text, palette.brand_text) >= look.min_contrast


def test_a_readable_brand_colour_is_kept_as_it_is():
    dark = colors.HexColor("#1F5F8B")
    assert readable_on(dark, colors.white, ratio=4.5).hexval() == dark.hexval()


def test_grayscale_palette_is_grey_and_keeps_contrast():
    look = load_look()
    grey = make_palette(look, "#C2185B", grayscale=True)
    for name in ("brand", "brand_text", "brand_tint", "green", "amber", "red", "text"):
        c = getattr(grey, name)
        assert round(c.red, 6) == round(c.green, 6) == round(c.blue, 6), name
    colour = colors.HexColor("#C2185B")
    assert contrast(to_grey(colour), colors.white) == pytest.approx(contrast(colour, colors.white), rel=1e-3)
