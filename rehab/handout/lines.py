"""Plain text lines: a fast stand-in for Paragraph wherever the text holds no markup (table cells, steps, bullets).

The week plan for 40 exercises has about 300 cells. As Paragraphs, each one went through reportlab's general
paragraph machinery (markup, fragments, a text object per cell), which made the plan the slowest part of the
handout per page; the same held for an exercise card's steps and tips. Here a text is a few runs, each starting on
a new line in one font (bold or regular), broken at spaces (a word wider than the column between letters) and
drawn as plain strings, with an optional bullet or step number hanging to the left as the style places it.
Like the project's paragraphs, a split never leaves one line alone at the foot or top of a page. In a right-to-left
handout the text takes reportlab's right-to-left line breaking and order instead (rtl_lines.py).

Text must already be drawable (``text.drawable``): nothing here is parsed as markup, so nothing needs escaping.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from .bidi import document_is_right_to_left, has_right_to_left, kept_left_to_right
from .bilingual import escaped_markup, has_second, spaced_by_size
from .ink import text_block
from .para import Paragraph
from .rtl_lines import RightToLeftLines, right_to_left_parts
from .two_directions import mixed_directions, two_lines

Run = tuple[str, bool]  # (text, bold)


class Lines(Flowable):
    """``inline``: the runs follow one another on the same lines (a bold lead-in, then plain text), instead of
    each starting a new line."""

    def __new__(cls, runs: Sequence[Run], style: ParagraphStyle, bold_font: str, bullet: str | None = None,
                inline: bool = False):
        """Right-to-left text is shaped and ordered as reportlab's Paragraph does it (bidi.py): in a right-to-left
        handout as the same lines drawn without the Paragraph (rtl_lines.py); a right-to-left name in a
        left-to-right handout as a Paragraph."""
        if any(has_second(text) for text, _ in runs):  # a two-language text (bilingual.py)
            if mixed_directions():  # Arabic with a left-to-right language: each in its own lines
                return two_lines(runs, style, bold_font, bullet, inline)
            return Paragraph(escaped_markup(runs, style.fontSize, style.textColor.hexval(), inline),
                             spaced_by_size(style), bulletText=bullet)
        if document_is_right_to_left() or any(has_right_to_left(text) for text, _ in runs):
            return bidi_lines(runs, style, bullet, inline)
        return super().__new__(cls)

    def __init__(self, runs: Sequence[Run], style: ParagraphStyle, bold_font: str, bullet: str | None = None,
                 inline: bool = False):
        super().__init__()
        self.runs = tuple((text, bool(bold)) for text, bold in runs if text)
        self.style = style
        self.bold_font = bold_font
        self.bullet = bullet
        self.inline = inline
        self.spaceBefore, self.spaceAfter = style.spaceBefore, style.spaceAfter
        self._lines: tuple[tuple[str, str], ...] = ()
        self._kept: tuple[tuple[str, str], ...] | None = None  # a piece of a split keeps its lines

    @property
    def text(self) -> str:
        return "\n".join(text for text, _ in self.runs)

    def wrap(self, avail_width, avail_height):
        s = self.style
        if self._kept is not None:
            self._lines = self._kept
        else:
            width = avail_width - s.leftIndent - s.rightIndent
            if self.inline:
                self._lines = flowed(self.runs, s.fontName, self.bold_font, s.fontSize, width, s.spaceShrinkage)
            else:
                self._lines = broken(self.runs, s.fontName, self.bold_font, s.fontSize, width, s.spaceShrinkage,
                                     self._bullet_overrun())
        self.width, self.height = avail_width, len(self._lines) * s.leading
        return self.width, self.height

    def _bullet_overrun(self) -> float:
        """How far a wide bullet ("10.") pushes the first line right, by Paragraph's rule."""
        s = self.style
        if not self.bullet:
            return 0.0
        reach = s.bulletIndent + stringWidth(self.bullet, s.bulletFontName, s.bulletFontSize) + 0.6 * s.bulletFontSize
        return max(0.0, reach - s.leftIndent)

    def split(self, avail_width, avail_height):
        self.wrap(avail_width, avail_height)
        fit = min(int(avail_height // self.style.leading), len(self._lines) - 2)  # two lines at least each side
        if fit < 2:
            return []
        return [self._piece(self._lines[:fit], self.bullet, self.spaceBefore, 0),
                self._piece(self._lines[fit:], None, 0, self.spaceAfter)]

    def _piece(self, lines, bullet, before, after) -> Lines:
        piece = Lines(self.runs, self.style, self.bold_font, bullet, self.inline)
        piece._kept, piece.spaceBefore, piece.spaceAfter = lines, before, after
        return piece

    def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802 - reportlab's name
        """The lines as one text object at (x, y), without reportlab's save, move and restore around a flowable
        (ink.py): the same glyphs at the same places, for a fraction of the work."""
        s = self.style
        origin = (self._hAlignAdjust(x, _sW), y)
        first = self.height - s.fontSize  # the first baseline, where Paragraph puts it
        overrun = self._bullet_overrun()
        lines = self._lines if self.inline else [(line,) for line in self._lines]  # segments of a line
        bullet = (s.bulletIndent, s.bulletFontName, s.bulletFontSize, self.bullet) if self.bullet else None
        text_block(canvas, origin, s.textColor, s.fontSize, s.leading, s.leftIndent + overrun, first, lines,
                   second_x=s.leftIndent, bullet=bullet)

    def draw(self):  # drawOn writes the lines itself; a caller of draw() gets the same through it
        self.drawOn(self.canv, 0, 0)


@functools.lru_cache(maxsize=8192)  # the same doses and names come back in every handout
def broken(
    runs: tuple[Run, ...], regular: str, bold: str, size: float, width: float, shrink: float = 0.0, cut: float = 0.0
) -> tuple[tuple[str, str], ...]:
    """(font, line) pairs: each run (and each newline in it) starts a line; lines break at spaces.

    ``shrink``: the share of a space each gap may give up so one more word fits, as Paragraph allows
    (ParagraphStyle.spaceShrinkage), so a cell breaks where a Paragraph would. ``cut``: the first line is this
    much shorter (a wide bullet)."""
    out: list[tuple[str, str]] = []
    for text, is_bold in runs:
        font = bold if is_bold else regular
        for part in text.split("\n"):
            out += [(font, line) for line in _wrap(part, font, size, width, shrink, cut if not out else 0.0)]
    return tuple(out)


@functools.lru_cache(maxsize=4096)
def flowed(runs: tuple[Run, ...], regular: str, bold: str, size: float, width: float, shrink: float = 0.0) -> tuple:
    """Lines of (font, text) segments: the runs' words one after another, broken at spaces (``shrink`` as in
    ``broken``)."""
    lines: list[list[tuple[str, str]]] = []
    line: list[tuple[str, str]] = []
    used, gaps = 0.0, 0.0  # gaps: the width of the spaces on the line, which may shrink
    for text, is_bold in runs:
        font = bold if is_bold else regular
        space = stringWidth(" ", font, size)
        for position, word in enumerate(text.split(" ")):
            if not word:
                continue
            gap = space if line and (position > 0 or text.startswith(" ")) else 0.0
            word_w = stringWidth(word, font, size)
            if word_w > width:  # a word wider than the column, cut between letters on lines of its own
                if line:
                    lines.append(line)
                *whole, word = _split_long(word, font, size, width)
                lines += [[(font, piece)] for piece in whole]
                line, used, gap, word_w, gaps = [], 0.0, 0.0, stringWidth(word, font, size), 0.0
            if line and used + gap + word_w > width + shrink * (gaps + space):  # Paragraph's rule
                lines.append(line)
                line, used, gap, gaps = [], 0.0, 0.0, 0.0
            segment = (" " if gap else "") + word
            if line and line[-1][0] == font:
                line[-1] = (font, line[-1][1] + segment)
            else:
                line.append((font, segment))
            used += gap + word_w
            gaps += gap
    if line:
        lines.append(line)
    return tuple(tuple(line) for line in lines) or ((),)


def _wrap(text: str, font: str, size: float, width: float, shrink: float, cut: float) -> list[str]:
    space = stringWidth(" ", font, size)
    room = width - cut  # the first line's width
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    for word in filter(None, text.split(" ")):  # not split(): a no-break space joins words
        word_w = stringWidth(word, font, size)
        if line and used + space + word_w <= room + shrink * space * len(line):
            line.append(word)
            used += space + word_w
            continue
        if line:
            lines.append(" ".join(line))
            room = width
        pieces = _split_long(word, font, size, room) if word_w > room else [word]
        room = width if len(pieces) > 1 else room
        lines += pieces[:-1]
        line, used = [pieces[-1]], stringWidth(pieces[-1], font, size)
    if line:
        lines.append(" ".join(line))
    return lines or [""]


def _split_long(word: str, font: str, size: float, width: float) -> list[str]:
    """A word wider than the cell, cut between letters (at least one letter per line)."""
    pieces, piece = [], ""
    for ch in word:
        if piece and stringWidth(piece + ch, font, size) > width:
            pieces.append(piece)
            piece = ""
        piece += ch
    return [*pieces, piece]


def bidi_lines(runs: Sequence[Run], style: ParagraphStyle, bullet: str | None, inline: bool):
    """The runs as a Paragraph would lay them out: bold runs in <b>, each run on its own line unless ``inline``.
    In a right-to-left handout, without the Paragraph (rtl_lines.py)."""
    right_to_left = document_is_right_to_left()
    markup = _bidi_markup(tuple(runs), inline, right_to_left)
    if right_to_left:
        parts = right_to_left_parts(markup, style, bullet)
        if parts is not None:
            return RightToLeftLines(parts, style)
    return Paragraph(markup, style, bulletText=bullet)


@functools.lru_cache(maxsize=8192)  # the same cells come back in every right-to-left handout
def _bidi_markup(runs: tuple[Run, ...], inline: bool, right_to_left: bool) -> str:
    """``right_to_left``: the document's direction, which ``kept_left_to_right`` reads (part of the key)."""
    from xml.sax.saxutils import escape

    parts = [f"<b>{escape(kept_left_to_right(text.strip()))}</b>" if bold else escape(kept_left_to_right(text.strip()))
             for text, bold in runs if text.strip()]
    markup = (" " if inline else "<br/>").join(part.strip() for part in parts)
    # a no-break space keeps "1." with a name in left-to-right text; ordered right to left it splits them badly
    return re.sub(r"(?<=\D)\u00a0+|\u00a0+(?=\D)", " ", markup.replace("\n", "<br/>"))
