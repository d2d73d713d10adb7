"""A two-language handout with Arabic and a left-to-right language (en, es, pl): each block as two paragraphs.

A reportlab paragraph has one direction for all its lines (``wordWrap="RTL"`` or not), and its right-to-left layout
drops inline font changes (bidi.py), so the one-paragraph form of bilingual.py (the second language after a line
break, in a smaller ``<font>``) serves only two languages of one direction. Here each block is two paragraphs
stacked (``Stack``): the first in the handout's language and direction, the second made while the second language
is spoken, so the right-to-left machinery (bidi.py: order, joined letters, Noto Sans Arabic, right alignment) lays
it out in its own direction and font, in the same column as the first. The page and its tables are mirrored by the
first language only (the handout's language is spoken while the page is laid out); a line on the canvas (the
footer) shapes and orders each half in its own direction.
"""

from __future__ import annotations

import re

from reportlab.platypus import Flowable

from ..words import current_language, speaking
from .bilingual import SECOND, SECOND_LEADING, SECOND_SIZE, first_half, second


def mixed_directions() -> bool:
    """Whether the handout's two languages run in different directions (Arabic with English, Spanish or Polish)."""
    extra = second()
    return extra is not None and extra.language.right_to_left != current_language().right_to_left


_TAG = re.compile(r"(<[^>]*>)")
_BREAKS = re.compile(r"^(?:\s*<br\s*/?>)+|(?:<br\s*/?>\s*)+$")
_EMBEDDING = re.compile("[\u202a\u202c]")


def halves(text: str) -> tuple[str, str]:
    """Paragraph markup as two: the handout's language's and the second language's. Tags go to both (so each is
    well formed); a text between tags that holds no mark (a date, a name) to the first only, as one line prints
    it today. A line break left at either end of a half is dropped."""
    first, other = [], []
    for piece in _TAG.split(text):
        if piece.startswith("<"):
            first.append(piece)
            other.append(piece)
        elif SECOND in piece:
            one, _, two = piece.partition(SECOND)
            first.append(one)
            other.append(one[:len(one) - len(one.lstrip())] + first_half(two))  # the space before it too
        else:
            first.append(piece)
            other.append(piece if not piece.strip() else "")
    return _tidy("".join(first)), _tidy("".join(other))


def _tidy(markup: str) -> str:
    markup = _BREAKS.sub("", markup)
    if markup.count("\u202a") != markup.count("\u202c"):  # a left-to-right embedding cut in two by the mark
        markup = _EMBEDDING.sub("", markup)
    return markup


def _has_words(markup: str) -> bool:
    return bool(_TAG.sub("", markup).strip())


def second_style(style):
    """The second language's paragraph style: smaller, no space around it (its block has it), and its indents
    where the first language's paragraph has them after the mirroring of a right-to-left one (bidi.py swaps them
    for right-to-left text), so both lines stand in one column."""
    from .styles import derived

    size = round(style.fontSize * SECOND_SIZE, 1)
    leading = round(min(size * SECOND_LEADING, style.leading * SECOND_SIZE), 1)  # as the one-paragraph kind's
    return derived(style, f"{style.name}_second", fontSize=size, leading=leading,
                   spaceBefore=0, spaceAfter=0, keepWithNext=0, bulletFontSize=size,
                   leftIndent=style.rightIndent, rightIndent=style.leftIndent)


def two_paragraphs(text: str, style, bullet: str | None) -> Flowable:
    """A two-language paragraph as two: the first in the handout's language, the second beneath it."""
    from .para import Paragraph
    from .styles import derived

    first, other = halves(text)
    if not _has_words(other):
        return Paragraph(first, style, bulletText=bullet)
    framed = bool(style.borderWidth and style.borderColor) or style.backColor is not None
    inner = derived(style, f"{style.name}_unframed", borderWidth=0, backColor=None) if framed else style
    top = Paragraph(first, inner, bulletText=bullet)
    with speaking(second().language):
        return Stack([top, Paragraph(other, second_style(inner))], style, framed=framed)


def two_lines(runs, style, bold_font: str, bullet: str | None, inline: bool) -> Flowable:
    """``Lines`` runs as the first language's lines and, beneath, the second's (``inline``: one block each;
    else each run with its own translation under it)."""
    from .lines import Lines

    language = second().language

    def other(text: str) -> str:  # with the space before the first part, which parts the runs' words
        one, _, two = text.partition(SECOND)
        return one[:len(one) - len(one.lstrip(" "))] + first_half(two) if two else ""

    if inline:  # a name or number without a second part reads the same in both
        blocks = [([(first_half(text), bold) for text, bold in runs],
                   [(other(text) or text, bold) for text, bold in runs])]
    else:
        blocks = [([(first_half(text), bold)], [(other(text), bold)]) for text, bold in runs]
    parts: list[Flowable] = []
    for first, other in blocks:
        parts.append(Lines(first, style, bold_font, bullet if not parts else None, inline))
        if any(text.strip() for text, _ in other):
            with speaking(language):
                parts.append(Lines(other, second_style(style), bold_font, None, inline))
    return parts[0] if len(parts) == 1 else Stack(parts, style)


class Stack(Flowable):
    """Flowables one under the other as one block, with the space before and after of ``style``. It splits
    only inside one of its parts (a long paragraph), never between a text and its translation."""

    def __init__(self, parts: list[Flowable], style=None, *, before: float | None = None,
                 after: float | None = None, framed: bool = False):
        super().__init__()
        self.parts = parts
        self.style = style
        self.framed = framed  # the style's border and background around the whole block, as a paragraph has
        self.spaceBefore = style.spaceBefore if before is None else before
        self.spaceAfter = style.spaceAfter if after is None else after
        self.keepWithNext = getattr(style, "keepWithNext", 0)
        self._heights: list[float] = []

    def wrap(self, avail_width, avail_height):
        self._heights = [part.wrap(avail_width, avail_height)[1] for part in self.parts]
        self.width, self.height = avail_width, sum(self._heights)
        return self.width, self.height

    def minWidth(self):  # noqa: N802 - reportlab's name
        return max(part.minWidth() for part in self.parts)

    def drawOn(self, canvas, x, y, _sW=0):  # noqa: N802, N803 - reportlab's names
        x = self._hAlignAdjust(x, _sW)
        if self.framed:
            self._frame_on(canvas, x, y)
        top = y + self.height
        for part, height in zip(self.parts, self._heights, strict=True):
            top -= height
            part.drawOn(canvas, x, top)

    def split(self, avail_width, avail_height):
        self.wrap(avail_width, avail_height)
        used = 0.0
        for index, (part, height) in enumerate(zip(self.parts, self._heights, strict=True)):
            if used + height <= avail_height + 1e-6:
                used += height
                continue
            pieces = part.split(avail_width, avail_height - used)
            if len(pieces) < 2:
                return []
            return [Stack([*self.parts[:index], pieces[0]], self.style, after=0, framed=self.framed),
                    Stack([*pieces[1:], *self.parts[index + 1:]], self.style, before=0, framed=self.framed)]
        return [self]

    def _frame_on(self, canvas, x: float, y: float) -> None:
        """The border and background reportlab draws around a paragraph of this style, around the block."""
        from reportlab.lib.geomutils import normalizeTRBL

        s = self.style
        top, right, bottom, left = normalizeTRBL(s.borderPadding)
        canvas.saveState()
        if s.backColor is not None:
            canvas.setFillColor(s.backColor)
        if s.borderWidth and s.borderColor:
            canvas.setStrokeColor(s.borderColor)
            canvas.setLineWidth(s.borderWidth)
        canvas.rect(x + s.leftIndent - left, y - bottom, self.width - s.leftIndent - s.rightIndent + left + right,
                    self.height + top + bottom, stroke=1 if s.borderWidth and s.borderColor else 0,
                    fill=1 if s.backColor is not None else 0)
        canvas.restoreState()


def halves_in_line(text: str, font_name: str, font_size: float) -> str:
    """A two-language line for the canvas when one language runs right to left: each half shaped and ordered in
    its own direction (bidi.py), the first language's half where its reader starts ("Page 1 of 4 · ..." with
    English first, the Arabic half on the right with Arabic first)."""
    from reportlab.pdfbase.ttfonts import shapeStr

    from .bidi import visual_shaped

    first, _, other = text.partition(SECOND)
    first_way = "RTL" if current_language().right_to_left else "LTR"
    other_way = "RTL" if first_way == "LTR" else "LTR"
    parts = [visual_shaped(first, first_way, font_name, font_size),
             visual_shaped(first_half(other), other_way, font_name, font_size)]
    if first_way == "RTL":
        parts.reverse()
    return parts[0] + shapeStr(" · ", font_name, font_size, force=True) + parts[1]
