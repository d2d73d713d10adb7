"""Right-to-left plain text lines: the Arabic handout's table cells and steps without a Paragraph per text.

In a right-to-left handout every plain text (``Lines``) used to become a reportlab Paragraph (bidi.py): its markup
parsed, its words ordered by python-bidi and broken into lines, each line drawn through reportlab's text object
inside a saved and restored canvas state; a text of several lines became a table of such paragraphs. That was
most of the Arabic handout's extra time against the English one. Here the same steps are done once per text and
drawn straight into the page (ink.py): the text reportlab would draw (the same markup steps: shaped letters,
numbers kept together, blank runs dropped), broken into lines by reportlab's own line breaker (the same words
on the same lines at the same widths, in visual order), placed where its drawing puts them (aligned right, the
bullet on the right), each of several runs one paragraph under the other as the table did. Only the work is new.

A style this does not follow (justified, a first-line indent, a border or background) keeps the Paragraph.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import unescape

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable
from reportlab.platypus.paragraph import Paragraph as _ReportlabParagraph
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaFrag

from .bidi import bidi_markup, paragraph_style
from .ink import Line, right_to_left_block, right_to_left_steps

_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


@dataclass(frozen=True)
class Part:
    """One paragraph of the text: what reportlab would draw, in the style it would draw it with."""

    text: str  # shaped, cleaned, in logical order
    style: ParagraphStyle  # laid out right to left (bidi.py), perhaps in the Arabic font
    bullet: str | None


@functools.lru_cache(maxsize=8192)  # the same cells and steps come back in every Arabic handout
def right_to_left_parts(markup: str, style: ParagraphStyle, bullet: str | None) -> tuple[Part, ...] | None:
    """The paragraphs a right-to-left handout makes of ``markup`` (para.py: one a line break), or None when a
    style needs reportlab's own drawing."""
    pieces = _BREAK.split(markup) if _BREAK.search(markup) else [markup]
    parts = []
    for number, piece in enumerate(pieces):
        piece = piece or " "
        laid_out = paragraph_style(piece, style)
        if not _followed(laid_out):
            return None
        text = bidi_markup(piece) if laid_out is not style else piece
        # as reportlab's parser leaves it: whitespace runs as one space, the entities of escaped text as letters
        parts.append(Part(unescape(cleanBlockQuotedText(text)), laid_out, bullet if number == 0 else None))
    return tuple(parts)


def plain_right_to_left(text: str, style: ParagraphStyle, bullet: str | None) -> RightToLeftLines | None:
    """A paragraph of plain text (line breaks at most) in a right-to-left handout, as these lines; None for one
    with other markup (bold runs, fonts) or a style they do not follow."""
    if "<" in _BREAK.sub("", text):
        return None
    parts = right_to_left_parts(text, style, bullet)
    return RightToLeftLines(parts, style) if parts is not None else None


def _followed(style: ParagraphStyle) -> bool:
    return (style.alignment in (TA_LEFT, TA_RIGHT, TA_CENTER) and not style.firstLineIndent
            and not style.backColor and not (style.borderWidth and style.borderColor) and not style.endDots
            and getattr(style, "autoLeading", "") in ("", "off", None) and style.bulletAnchor == "start"
            and not style.shaping and not getattr(style, "bulletOffsetY", 0) and style.wordWrap == "RTL")


class RightToLeftLines(Flowable):
    """The parts one under the other, each as reportlab lays out a right-to-left paragraph."""

    def __init__(self, parts: Sequence[Part], style: ParagraphStyle, kept: Broken | None = None):
        """``kept``: a piece of a split paragraph keeps its lines as they were broken."""
        super().__init__()
        self.parts = tuple(parts)
        self.style = style
        self.spaceBefore, self.spaceAfter = style.spaceBefore, style.spaceAfter
        self._kept = kept
        self._broken: tuple[Broken, ...] = (kept,) if kept is not None else ()
        self._wrapped_at: float | None = None
        self._rows: tuple[float, ...] | None = None  # several parts: each one's place, as a table's row
        if len(self.parts) > 1:
            self.hAlign = "CENTER"  # as the table's

    @property
    def text(self) -> str:
        return "\n".join(part.text for part in self.parts)

    def wrap(self, avail_width, avail_height):
        if self._wrapped_at is not None and (avail_width == self._wrapped_at or len(self.parts) > 1):
            return self.width, self.height  # a table's columns keep the width it first had (reportlab's Table)
        if len(self.parts) > 1:  # the table's one column, as wide as reportlab makes it
            avail_width = _column_width(avail_width, max(_min_width(part) for part in self.parts))
        if self._kept is None:
            self._broken = tuple(broken(part.text, part.style, part.bullet, avail_width) for part in self.parts)
        self._wrapped_at = self.width = avail_width
        heights = [len(b.lines) * part.style.leading for b, part in zip(self._broken, self.parts, strict=True)]
        if len(heights) == 1:
            self.height, self._rows = heights[0], None
        else:
            self.height, self._rows = _stacked(heights)
        return self.width, self.height

    def minWidth(self):  # noqa: N802 - reportlab's name
        """As the Paragraph it stands for (its widest word) or the table of paragraphs (the widest of theirs): what a
        table sizes a column of these by."""
        return max(_min_width(part) for part in self.parts)

    def split(self, avail_width, avail_height):
        """As reportlab splits the paragraph (one part: at least two lines each side) or the table of paragraphs
        (several: between its rows)."""
        self.wrap(avail_width, avail_height)
        if len(self.parts) == 1:
            return self._split_lines(avail_height)
        used, fit = 0.0, 0
        for b, part in zip(self._broken, self.parts, strict=True):
            used += len(b.lines) * part.style.leading
            if used > avail_height:
                break
            fit += 1
        if fit == 0 or fit == len(self.parts):
            return []
        first, rest = RightToLeftLines(self.parts[:fit], self.style), RightToLeftLines(self.parts[fit:], self.style)
        first.spaceAfter, rest.spaceBefore = 0, 0
        return [first, rest]

    def _split_lines(self, avail_height):
        (b,), (part,) = self._broken, self.parts
        fit = min(int(avail_height // part.style.leading), len(b.lines) - 2)
        if fit < 2:
            return []
        first = RightToLeftLines(self.parts, self.style, Broken(b.lines[:fit], b.first_width, b.later_width))
        rest = RightToLeftLines((Part(part.text, part.style, None),), self.style,
                                Broken(b.lines[fit:], b.later_width, b.later_width))
        first.spaceAfter, rest.spaceBefore = 0, 0
        return [first, rest]

    def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802 - reportlab's name
        """Each part where reportlab's paragraph draws it: its lines aligned within the width it broke them at,
        the bullet right of the first line (ink.py)."""
        origin = (self._hAlignAdjust(x, _sW), y)
        if self._rows is None:
            if self._broken[0].lines:  # no lines, no bullet either
                _draw(canvas, origin, self.parts[0], self._broken[0], self.height)
            return
        for b, part, row in zip(self._broken, self.parts, self._rows, strict=True):
            if b.lines:
                _draw(canvas, origin, part, b, len(b.lines) * part.style.leading, row)

    def draw(self):
        self.drawOn(self.canv, 0, 0)


@dataclass(frozen=True)
class Broken:
    """A paragraph's lines as drawn (in visual order, each placed as reportlab's alignment places it); the first
    line's width (a bullet narrows it, and is placed by it); and the width of the others."""

    lines: tuple[Line, ...]
    first_width: float
    later_width: float = 0.0

    @functools.cached_property
    def texts(self) -> tuple[str, ...]:
        return tuple(line.text for line in self.lines)

    @functools.cached_property
    def steps(self) -> tuple[tuple[tuple[str, str], ...], str]:
        return right_to_left_steps(self.lines)


class _Measured:
    """What reportlab's Paragraph.breakLines reads of a paragraph of one plain fragment."""

    encoding = "utf8"

    def __init__(self, text: str, style: ParagraphStyle, bullet: str | None):
        self.style, self.bulletText = style, bullet
        self.frags = [ParaFrag(text=text, fontName=style.fontName, fontSize=style.fontSize,
                               textColor=style.textColor, rise=0, us_lines=[], link=None)]


@functools.lru_cache(maxsize=8192)
def broken(text: str, style: ParagraphStyle, bullet: str | None, avail_width: float) -> Broken:
    """The lines reportlab's right-to-left Paragraph breaks ``text`` into at ``avail_width``: its own breaker."""
    later = avail_width - style.leftIndent - style.rightIndent
    widths = [later, later]
    lines = _ReportlabParagraph.breakLines(_Measured(text, style, bullet), widths)
    # widths[0]: the first line as the breaker left it, less a bullet's overrun (it places the bullet by it)
    drawn = tuple(Line(_offset(style.alignment, room, words), " ".join(words), _word_space(room, words))
                  for room, words in lines.lines)
    return Broken(drawn, widths[0], later)


def _min_width(part: Part) -> float:
    """Paragraph.minWidth: its widest word."""
    s = part.style
    return max(stringWidth(word, s.fontName, s.fontSize) for word in part.text.split(" "))


def _column_width(avail_width: float, minimum: float) -> float:
    """The width reportlab's Table gives its one column of paragraphs (tables.py, _calcPreliminaryWidths: the
    room shared out in proportion, or the widest word stretched to the room), by the same sums."""
    remaining = avail_width - (minimum + 0.0)
    if remaining > 0:
        return ((remaining + minimum) / float(avail_width)) * avail_width
    return minimum * (avail_width / minimum)


def _stacked(heights: list[float]) -> tuple[float, tuple[float, ...]]:
    """The height of a table of these rows and where each row's paragraph sits in it, by reportlab's sums
    (tables.py: row positions summed from the bottom with Kahan's compensation; a cell placed at its row's
    bottom plus its height, less its height)."""
    bottoms, height, carry = [], 0.0, 0.0
    for h in reversed(heights):
        bottoms.append(height)
        y = h - carry
        total = height + y
        carry = (total - height) - y
        height = total
    bottoms.reverse()
    return height, tuple((bottom + h) - h for bottom, h in zip(bottoms, heights, strict=True))


def _draw(canvas, origin, part: Part, b: Broken, height: float, row: float | None = None) -> None:
    s = part.style
    bullet = None
    if part.bullet:
        bullet_width = stringWidth(part.bullet, s.bulletFontName, s.bulletFontSize)
        bullet = (b.first_width + s.rightIndent - (s.bulletIndent + bullet_width), s.bulletFontName,
                  s.bulletFontSize, part.bullet)
    right_to_left_block(canvas, origin, s.textColor, s.fontName, s.fontSize, s.leading, s.leftIndent,
                        height - s.fontSize, b.texts, b.steps, bullet, row)


def _offset(alignment, room: float, words) -> float:
    """Where reportlab's line drawers start the line (paragraph.py: _rightDrawParaLine and its siblings)."""
    if room > -1e-8 or _spaces(words) <= 0:
        return {TA_RIGHT: room, TA_CENTER: 0.5 * room}.get(alignment, 0.0)
    return 0.0  # too long by a shrunk space or two: drawn from the start, the spaces narrowed (_word_space)


def _word_space(room: float, words) -> float:
    if room > -1e-8:
        return 0.0
    spaces = _spaces(words)
    return room / spaces if spaces > 0 else 0.0


def _spaces(words) -> int:
    return len(words) + " ".join(words).count("\xa0") - 1

