"""The two-language handout: every patient-facing block in the patient's language, and beneath it, smaller, in a
second language (``render_handout(language="es", second_language="en")``).

What the handout says is decided twice, once in each language (``build_content``), and the two are laid over each
other field by field: a text that differs becomes ``first + SECOND + second``. The layout code then prints it as
usual; a paragraph or a line of text that holds the mark prints the second part beneath the first, smaller
(``para.py`` and ``lines.py``), and a line drawn on the canvas joins the two with " · ". The layout code's own
words (``rehab/handout/words.py``'s ``w``) are given in both languages the same way.

Two languages of one direction (en, es, pl) share one paragraph: the second part after a line break, in a smaller
``<font>``. Arabic with one of the others cannot: see two_directions.py.
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

from ..content.library import ExerciseLibrary
from ..domain import Language, Program
from ..words import speaking

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


