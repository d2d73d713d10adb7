"""Right-to-left plain text lines (rehab/handout/rtl_lines.py) draw what reportlab's Paragraph drew for the same text
in an Arabic handout: the same glyphs, in the same font, at the same places, for any mix of Arabic, numbers, Latin
names and markup characters, with or without a bullet, in one run or several, made from runs (``Lines``) or from
a plain paragraph (``Paragraph``)."""

from __future__ import annotations

import re
from collections import Counter
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas

from rehab.handout.fonts import BOLD, REGULAR, arabic_fonts, register_fonts
from rehab.handout.lines import Lines, _bidi_markup
from rehab.handout.look import load_look
from rehab.handout.para import Paragraph
from rehab.handout.rtl_lines import RightToLeftLines
from rehab.words import speaking
from tests.conftest import missing

WORDS = ["اثنِ", "الركبة", "ببطء", "3", "مجموعات", "من", "12،", "كل", "ساق", "(ألم", "خفيف)", "Test", "O'Brien",
         "&", "<Sons>", "+44 20 7946 0958", "١٢", "10.", "\u00a0", "الاستطالةالطويلةجداجدا" * 2, "www.example.org",
         "Dr.", "مع", "شريط", "Théo", "—", "5-10", "ثانية."]


@pytest.fixture(scope="module", autouse=True)
def fonts():
    look = load_look()
    register_fonts(look.font.regular, look.font.bold)
    if arabic_fonts() is None:
        missing("Noto Sans Arabic is not installed; install it with: apt-get install -y fonts-noto-core")


def style(alignment: int, indent: float, bullet_indent: float, bold: bool) -> ParagraphStyle:
    return ParagraphStyle("t", fontName=BOLD if bold else REGULAR, fontSize=9, leading=11, alignment=alignment,
                          splitLongWords=1, allowWidows=0, allowOrphans=0, bulletFontName=BOLD, bulletFontSize=9,
                          leftIndent=indent, bulletIndent=bullet_indent, spaceAfter=2)


def shown(code: str) -> Counter:
    """Each string shown, with its font, word spacing, colour and place on the page (the moves added up)."""
    tokens = re.findall(r"\((?:\\.|[^\\)])*\)|/[^\s/(]+|[^\s(/]+", code)
    stack, ctm, line, leading, font, word_space, colour, args = [], (0.0, 0.0), (0.0, 0.0), 0.0, None, 0.0, None, []
    out: Counter = Counter()
    for t in tokens:
        if t == "q":
            stack.append((ctm, colour))
        elif t == "Q":
            ctm, colour = stack.pop()
        elif t == "cm":
            ctm = (ctm[0] + float(args[4]), ctm[1] + float(args[5]))
        elif t == "Tm":
            line = (float(args[4]), float(args[5]))
        elif t == "Td":
            line = (line[0] + float(args[0]), line[1] + float(args[1]))
        elif t == "T*":
            line = (line[0], line[1] - leading)
        elif t == "TL":
            leading = float(args[0])
        elif t == "Tf":
            font = tuple(args)
        elif t == "Tw":
            word_space = float(args[0])
        elif t == "rg":
            colour = tuple(args)
        elif t == "Tj":
            place = (round(ctm[0] + line[0], 4), round(ctm[1] + line[1], 4))
            out[(place, font, word_space, colour, args[0])] += 1
        if re.fullmatch(r"[-.\d]+", t) or t.startswith(("(", "/")):
            args.append(t)
        else:
            args = []
    return out


def drawn(canvas: Canvas, flowable, width: float) -> Counter:
    canvas._code = []
    _, height = flowable.wrapOn(canvas, width, 1e6)
    flowable.drawOn(canvas, 30, 700 - height)
    return shown(" ".join(canvas._code))


runs = st.lists(st.tuples(st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(" ".join), st.booleans()),
                min_size=1, max_size=3)


@settings(max_examples=120, deadline=None)
@given(runs=runs, inline=st.booleans(), width=st.floats(min_value=40, max_value=320),
       alignment=st.sampled_from([TA_LEFT, TA_RIGHT, TA_CENTER]), bold=st.booleans(),
       bullet=st.sampled_from([None, "•", "7."]), indent=st.sampled_from([(0, 0), (15.2, 0), (9.9, 1.2)]))
@example(runs=[("اثنِ", False), ("الاستطالةالطويلةجداجدا" * 2, False)], inline=False, width=53.0, alignment=TA_LEFT,
         bold=True, bullet=None, indent=(0, 0))  # a word wider than the cell: the table's column width sums
@example(runs=[("\u00a0", False)], inline=False, width=40.0, alignment=TA_LEFT, bold=False, bullet="•",
         indent=(0, 0))  # nothing to print: no bullet either
def test_right_to_left_lines_draw_what_the_paragraph_drew(runs, inline, width, alignment, bold, bullet, indent):
    with speaking("ar"):
        s = style(alignment, indent[0], indent[1], bold)
        fast = Lines(runs, s, BOLD, bullet, inline)
        assert isinstance(fast, RightToLeftLines)
        paragraph = reportlabs(_bidi_markup(tuple(runs), inline, True), s, bullet)
        canvas = Canvas("unused.pdf")  # one document: both take the same subset codes
        expected = drawn(canvas, paragraph, width)
        assert drawn(canvas, fast, width) == expected
        assert fast.wrap(width, 1e6) == paragraph.wrap(width, 1e6)


def reportlabs(markup: str, s: ParagraphStyle, bullet: str | None):
    """The paragraph as reportlab lays it out (a table of paragraphs for several lines), never the lines."""
    with mock.patch("rehab.handout.para.plain_right_to_left", return_value=None):
        return Paragraph(markup, s, bulletText=bullet)


texts = st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(" ".join), min_size=1, max_size=3)


@settings(max_examples=80, deadline=None)
@given(lines=texts, width=st.floats(min_value=40, max_value=320),
       alignment=st.sampled_from([TA_LEFT, TA_RIGHT, TA_CENTER]), bold=st.booleans(),
       bullet=st.sampled_from([None, "•", "7."]), indent=st.sampled_from([(0, 0), (15.2, 0), (9.9, 1.2)]))
def test_a_plain_paragraph_in_an_arabic_handout_is_drawn_as_lines_the_same(lines, width, alignment, bold, bullet,
                                                                           indent):
    from xml.sax.saxutils import escape

    with speaking("ar"):
        s = style(alignment, indent[0], indent[1], bold)
        markup = "<br/>".join(escape(line) for line in lines)
        fast = Paragraph(markup, s, bulletText=bullet)
        assert isinstance(fast, RightToLeftLines)
        canvas = Canvas("unused.pdf")
        expected = drawn(canvas, reportlabs(markup, s, bullet), width)
        assert drawn(canvas, fast, width) == expected
        assert fast.wrap(width, 1e6) == reportlabs(markup, s, bullet).wrap(width, 1e6)
        assert fast.minWidth() == pytest.approx(reportlabs(markup, s, bullet).minWidth())


def test_a_paragraph_with_other_markup_stays_a_paragraph():
    with speaking("ar"):
        s = style(TA_LEFT, 0, 0, False)
        assert not isinstance(Paragraph("<b>الركبة</b> كل ساق", s), RightToLeftLines)
        assert isinstance(Paragraph("O&apos;Brien &amp; &lt;Sons&gt; الركبة", s), RightToLeftLines)
    assert not isinstance(Paragraph("Knee", s), RightToLeftLines)  # a left-to-right handout: reportlab's


def test_a_text_of_several_runs_splits_between_them_and_a_long_one_keeps_two_lines_each_side():
    with speaking("ar"):
        s = style(TA_LEFT, 0, 0, False)
        several = Lines([("الركبة", True), ("كل ساق", False)], s, BOLD)
        several.wrap(200, 1e6)
        first, rest = several.split(200, 12)
        assert (first.text, rest.text) == tuple(several.text.split("\n"))
        long = Lines([(" ".join(["مجموعات من 12 كل ساق"] * 12), False)], s, BOLD, "•")
        _, height = long.wrap(120, 1e6)
        lines = round(height / s.leading)
        assert long.split(120, s.leading * 1.5) == []  # one line would stand alone
        top, bottom = long.split(120, s.leading * 3.2)
        assert (top.wrap(120, 1e6)[1], bottom.wrap(120, 1e6)[1]) == (3 * s.leading, (lines - 3) * s.leading)

