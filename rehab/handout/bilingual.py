"""The two-language handout: every patient-facing block in the patient's language, and beneath it, smaller, in a
second language (``render_handout(language="es", second_language="en")``).

What the handout says is decided twice, once in each language (``build_content``), and the two are laid over each
other field by field: a text that differs becomes ``first + SECOND + second``. The layout code then prints it as
usual; a paragraph or a line of text that holds the mark prints the second part beneath the first, smaller
(``para.py`` and ``lines.py``), and a line drawn on the canvas joins the two with " · ". The layout code's own
words (``rehab/handout/words.py``'s ``w``) are given in both languages the same way.

Two languages of one direction (en, es, pl) share one paragraph: the second part after a line break, in a smaller
``<font>``. A right-to-left and a left-to-right language cannot (a reportlab paragraph has one direction, and the
right-to-left layout drops inline font changes), so there each block is two paragraphs stacked (``Stack``): the
first in the handout's language and direction, the second made while the second language is spoken, so the
right-to-left machinery (bidi.py) lays it out in its own direction and font, in the same column as the first. The
page and its tables are mirrored by the first language only.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable

from ..content.library import ExerciseLibrary
from ..domain import Language, Program
from ..words import current_language, speaking

SECOND = "\ue000"  # a private-use mark between the two languages of one text; never typed by anyone
SECOND_SIZE = 0.8  # the second language's size, as a share of the first's
SECOND_LEADING = 1.2  # a second-language line's height, as a share of its size


@dataclass(frozen=True)
class Second:
    """The second language, with the program and library as they are before translation."""

    language: Language
    program: Program
    library: ExerciseLibrary


_second: ContextVar[Second | None] = ContextVar("rehab_second_language", default=None)


def second() -> Second | None:
    return _second.get()


@contextlib.contextmanager
def with_second(value: Second | None) -> Iterator[None]:
    token = _second.set(value)
    try:
        yield
    finally:
        _second.reset(token)


def both(first: str, other: str) -> str:
    return first if not other or other == first else f"{first}{SECOND}{other}"


def first_half(text: str) -> str:
    """The handout's language's part of a text (a date or a number that reads the same in both)."""
    return text.partition(SECOND)[0]


def joined(template: str, *texts: str) -> str:
    """Texts put into one sentence (``"{}. {}."``), each language's halves with its own: a plain f-string would
    leave the first text's second half in the middle of the first language's sentence."""
    halves = [text.partition(SECOND) for text in texts]
    first = template.format(*(one for one, _, _ in halves))
    return both(first, template.format(*(other or one for one, _, other in halves)))


def join(separator: str, texts) -> str:
    """``separator.join(texts)`` with each language's halves joined with its own (see ``joined``)."""
    texts = list(texts)
    return joined(separator.join("{}" for _ in texts), *texts)


def per_half(change, text: str) -> str:
    """``change`` made to each language's half of a text on its own (a sentence cut in one language)."""
    first, mark, other = text.partition(SECOND)
    return both(change(first), change(other)) if mark else change(text)


def laid_over(first, other):
    """Two versions of the same content, one per language: strings joined by the mark, the rest from ``first``."""
    if isinstance(first, str) and isinstance(other, str):
        return both(first, other)
    if isinstance(first, tuple) and isinstance(other, tuple) and len(first) == len(other):
        return tuple(laid_over(a, b) for a, b in zip(first, other, strict=True))
    if dataclasses.is_dataclass(first) and type(first) is type(other):
        single = _SINGLE.get(type(first).__name__, ())
        return dataclasses.replace(first, **{f.name: laid_over(getattr(first, f.name), getattr(other, f.name))
                                             for f in dataclasses.fields(first) if f.init and f.name not in single})
    return first


# Printed once, in the handout's language, so the two-language handout stays within 1.6 times the pages: labels
# in cells of a fixed size, which the second language would overflow (the calendar's weekdays, week labels and
# tick rows; its heading and hint are in both), and the week plan's dose cells, whose numbers read the same in
# both (its heading, intro and exercise names are in both; each card gives the dose in both languages).
_SINGLE = {"Calendar": ("weekdays", "weeks", "kinds"), "PlanCell": ("text", "new_name"), "PlanRow": ("side",)}


def in_both(words, *args, **values) -> str:
    """A layout word (``w``) in the handout's language and, when there is one, the second language."""
    first = words(*args, **values)
    extra = second()
    if extra is None:
        return first
    with speaking(extra.language):
        return both(first, words(*args, **values))


@functools.lru_cache(maxsize=256)
def spaced_by_size(style):
    """The style with each line as tall as its own letters need, but never less than the smaller size's line
    (reportlab's ``autoLeading="max"`` over a leading of ``SECOND_LEADING`` times the second size): a line of
    the second language takes less height than a line of the first, and no letters touch."""
    return style.clone(f"{style.name}_two", autoLeading="max",
                       leading=round(style.fontSize * SECOND_SIZE * SECOND_LEADING, 1))


def text_width(text: str, font: str, size: float) -> float:
    """How wide ``text`` prints: a two-language text as wide as the wider of its lines (the second smaller)."""
    first, _, other = text.partition(SECOND)
    return max(_width(first, font, size), _width(other, font, size * SECOND_SIZE) if other else 0.0)


def _width(text: str, font: str, size: float) -> float:
    """As printed: Arabic in its joined forms and, where the Arabic font has every letter, in that font (bidi.py)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from .bidi import has_right_to_left, reshaped
    from .fonts import arabic_fonts

    fonts = arabic_fonts()
    if not has_right_to_left(text):
        return stringWidth(text, font, size)
    text = reshaped(text)
    if fonts is not None and all(ord(ch) in fonts.glyphs or ch.isspace() for ch in text):
        font = fonts.bold if "Bold" in font else fonts.regular
    return stringWidth(text, font, size)


def has_second(text) -> bool:
    return isinstance(text, str) and SECOND in text


_MARKED = re.compile(f"{SECOND}([^<{SECOND}]*)")


def markup(text: str, font_size: float, colour_hex: str) -> str:
    """Paragraph markup with each second-language part on a line of its own, smaller and muted. A part runs up
    to the next tag (user text in markup is escaped, so a tag is always ours)."""
    size = round(font_size * SECOND_SIZE, 1)
    return _MARKED.sub(lambda m: f'<br/><font size="{size}" color="{colour_hex}">{m.group(1)}</font>', text)


def plain(text: str) -> str:
    """One line for the canvas: both languages, joined by a middle dot."""
    return text.replace(SECOND, " · ")


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


def escaped_markup(runs, font_size: float, colour_hex: str, inline: bool) -> str:
    """Lines' (text, bold) runs as Paragraph markup, each run's second language beneath it."""
    size = round(font_size * SECOND_SIZE, 1)

    def small(text: str) -> str:
        return f'<font size="{size}" color="{colour_hex}">{text}</font>'

    if inline:  # a bold lead-in and its text: the first language's runs on their lines, the second's beneath
        def run(text: str, bold: bool) -> str:
            return f"<b>{escape(text)}</b>" if bold else escape(text)

        halves = [(text.partition(SECOND)[0], text.partition(SECOND)[2], bold) for text, bold in runs]
        firsts = " ".join(run(first, bold) for first, _, bold in halves)
        if not any(other for _, other, _ in halves):
            return firsts.replace("\n", "<br/>")
        others = " ".join(run(other or first, bold) for first, other, bold in halves)  # a name reads the same
        return f"{firsts}<br/>{small(others)}".replace("\n", "<br/>")
    parts = []
    for text, bold in runs:
        first, _, other = text.partition(SECOND)
        part = f"<b>{escape(first)}</b>" if bold else escape(first)
        if other:
            part += "<br/>" + small(escape(other))
        parts.append(part)
    return "<br/>".join(parts).replace("\n", "<br/>")



# --- a right-to-left and a left-to-right language: two paragraphs a block ---------------------------------------


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
