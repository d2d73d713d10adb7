"""Plain text lines (rehab/handout/lines.py) break where reportlab's Paragraph breaks, never run past their
column, and split like the handout's paragraphs (never one line alone)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from rehab.handout.fonts import BOLD, REGULAR, register_fonts
from rehab.handout.lines import Lines
from rehab.handout.look import load_look

SIZE = 12


@pytest.fixture(scope="module", autouse=True)
def fonts():
    look = load_look()
    register_fonts(look.font.regular, look.font.bold)


def style(**extra) -> ParagraphStyle:
    return ParagraphStyle("t", fontName=REGULAR, fontSize=SIZE, leading=16, splitLongWords=1, bulletFontName=REGULAR,
                          bulletFontSize=SIZE, **extra)


def lines_of(text: str, width: float, **extra) -> list[str]:
    flowable = Lines([(text, False)], style(**extra), BOLD)
    flowable.wrap(width, 1e6)
    return [line for _, line in flowable._lines]


@settings(max_examples=60, deadline=None)
@given(words=st.lists(st.sampled_from(["knee", "hold", "3", "sets", "of", "10,", "each", "leg", "seconds", "band"]),
                      min_size=1, max_size=30),
       width=st.floats(min_value=60, max_value=400))
def test_lines_break_where_a_paragraph_breaks(words, width):
    text = " ".join(words)
    paragraph = Paragraph(text, style())
    paragraph.wrap(width, 1e6)
    expected = [" ".join(words) for _, words in paragraph.blPara.lines]
    assert lines_of(text, width) == expected


def test_a_word_wider_than_the_column_is_cut_between_letters_and_nothing_runs_past():
    text = "Ask " + "x" * 80 + " at the desk"
    got = lines_of(text, 100)
    assert "".join(got).replace(" ", "") == text.replace(" ", "")
    assert all(stringWidth(line, REGULAR, SIZE) <= 100 for line in got)


def test_newlines_start_lines_and_a_no_break_space_keeps_words_together():
    assert lines_of("Walk 10 minutes.\nRest.", 400) == ["Walk 10 minutes.", "Rest."]
    assert lines_of("1.\u00a0\u00a0Quad set", 60) == ["1.\u00a0\u00a0Quad", "set"]


def test_runs_each_start_a_line_in_their_own_font():
    flowable = Lines([("3 sets of 12", True), ("Rest 1 minute.", False), ("", False)], style(), BOLD)
    flowable.wrap(300, 1e6)
    assert flowable._lines == ((BOLD, "3 sets of 12"), (REGULAR, "Rest 1 minute."))
    assert flowable.height == 2 * 16


def test_a_wide_bullet_pushes_the_first_line_as_paragraph_does():
    text = "Tap the floor lightly with your heel, then push back up to the start."
    paragraph = Paragraph(text, style(leftIndent=20, bulletIndent=0), bulletText="10.")
    paragraph.wrap(150, 1e6)
    flowable = Lines([(text, False)], style(leftIndent=20, bulletIndent=0), BOLD, bullet="10.")
    flowable.wrap(150, 1e6)
    assert [line for _, line in flowable._lines] == [" ".join(w) for _, w in paragraph.blPara.lines]


def test_a_split_keeps_two_lines_on_each_side_and_the_bullet_on_the_first_part():
    text = " ".join(["word"] * 60)
    flowable = Lines([(text, False)], style(), BOLD, bullet="•")
    _, height = flowable.wrap(100, 1e6)
    total = len(flowable._lines)
    assert flowable.split(100, 16 * 1.5) == []  # one line would be left alone
    first, rest = flowable.split(100, 16 * 3)
    assert (first.bullet, rest.bullet) == ("•", None)
    assert first.wrap(100, 1e6)[1] + rest.wrap(100, 1e6)[1] == height
    first, rest = flowable.split(100, 16 * (total - 1))
    rest.wrap(100, 1e6)
    assert len(rest._lines) == 2


def inline_lines(runs, width: float) -> tuple:
    flowable = Lines(runs, style(), BOLD, inline=True)
    flowable.wrap(width, 1e6)
    return flowable._lines


@settings(max_examples=60, deadline=None)
@given(lead=st.lists(st.sampled_from(["Feels", "easy?", "Take", "care:"]), min_size=1, max_size=3),
       words=st.lists(st.sampled_from(["knee", "hold", "3", "sets", "of", "10,", "each", "leg", "seconds", "band"]),
                      min_size=1, max_size=30),
       width=st.floats(min_value=60, max_value=400))
def test_inline_runs_break_where_a_paragraph_with_a_bold_lead_in_breaks(lead, words, width):
    bold, plain = " ".join(lead), " ".join(words)
    paragraph = Paragraph(f"<b>{bold}</b> {plain}", style())
    paragraph.wrap(width, 1e6)
    expected = [[w for frag in line.words for w in frag.text.split()] for line in paragraph.blPara.lines]
    got = inline_lines([(bold, True), (f" {plain}", False)], width)
    assert ["".join(text for _, text in line).split() for line in got] == expected
    # within the column, but for the share of each space Paragraph lets a line shrink (spaceShrinkage)
    assert all(sum(stringWidth(text, font, SIZE) for font, text in line) <= width * 1.01 + 0.5 for line in got)


def test_inline_runs_keep_their_fonts_on_one_line_and_cut_a_word_wider_than_the_column():
    assert inline_lines([("Take care:", True), (" Go slowly.", False)], 300) == (
        ((BOLD, "Take care:"), (REGULAR, " Go slowly.")),)
    got = inline_lines([("Note:", True), (" " + "x" * 80, False)], 100)
    assert "".join(text for line in got for _, text in line).replace(" ", "") == "Note:" + "x" * 80
    assert all(sum(stringWidth(text, font, SIZE) for font, text in line) <= 100 for line in got)
