"""Plain text lines written straight into the page's content stream, as one PDF text object.

reportlab draws a flowable by saving the canvas state (a copy of every setting), moving the origin, building a
text object line by line (each colour, font and line going through its general machinery) and restoring the state.
For the hundreds of small cells of a compact handout that machinery cost more than the text itself. Here the same
operators are written at once: ``q``, the text object at the flowable's own position, ``Q``. The page looks the same
(the same glyphs, fonts, sizes, colour and positions); only the bytes that say it differ (no ``cm``, one ``Tm``).

The canvas's own settings are not touched, and ``q``/``Q`` keep the colour set here from leaking to what is drawn
next, so whatever follows (a table's next cell, a background) sees the state it expects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from reportlab.lib.colors import CMYKColor, Color
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfgen.canvas import Canvas

Segment = tuple[str, str]  # (font name, text)


def text_block(canvas: Canvas, origin: tuple[float, float], color, size: float, leading: float, x: float,
               y: float, lines: Iterable[Sequence[Segment]], *, second_x: float | None = None,
               bullet: tuple[float, str, float, str] | None = None) -> None:
    """Draw ``lines`` (each a sequence of (font, text) segments) from the first baseline at (``x``, ``y``), one
    ``leading`` apart, measured from ``origin`` (the flowable's place on the canvas, where reportlab moves the
    origin to: the same sums give the same device pixels); ``second_x``: where the second and later lines start,
    when not at ``x``. ``bullet``: (x, font, size, text) drawn on the first baseline in the same colour."""
    doc = canvas._doc
    out = [f"q 1 0 0 1 {fp_str(*origin)} cm BT", _color(canvas, color)]
    current: tuple[str, int] | None = None  # (font, subset) last set
    tl = fp_str(leading)
    if bullet is not None:
        bx, bfont, bsize, btext = bullet
        out.append(f"1 0 0 1 {fp_str(bx, y)} Tm")
        out.extend(_shown(canvas, doc, getFont(bfont), f"{fp_str(bsize)} Tf {fp_str(bsize * 1.2)} TL", btext,
                          None))
        current = None
    out.append(f"1 0 0 1 {fp_str(x, y)} Tm")
    tf = f"{fp_str(size)} Tf {tl} TL"
    for number, line in enumerate(lines):
        if number == 1 and second_x is not None and second_x != x:
            out.append(f"1 0 0 1 {fp_str(second_x, y - leading)} Tm")
        for font_name, text in line:
            font = getFont(font_name)
            for subset, chunk in font.splitString(text, doc):
                if current != (font_name, subset):
                    out.append(f"{font.getSubsetInternalName(subset, doc)} {tf}")
                    current = (font_name, subset)
                out.append(f"({canvas._escape(chunk)}) Tj")
        out.append("T*")
    out.append("ET Q")
    canvas._code.append(" ".join(out))


class Line(NamedTuple):
    """A line of one font: ``offset`` from the line start (alignment), ``word_space`` added to each space."""

    offset: float
    text: str
    word_space: float = 0.0


def right_to_left_steps(lines: Sequence[Line]) -> tuple[tuple[tuple[str, str], ...], str]:
    """The operators reportlab's paragraph writes around each line of a right-to-left paragraph: before the text,
    the move to the line's offset (joined with the move back from the line before, as its text object joins
    successive moves) and the word spacing; after it, the spacing reset and the next line; and the last move
    back. Worked out once per paragraph's lines, written for every drawing of them."""
    steps = []
    back: str | None = None  # the move back after the line before, not yet followed by anything else

    def move(dx: float, pending: str | None) -> str:
        if pending is not None:
            dx += float(pending.split()[0])
        return f"{fp_str(dx, 0)} Td"

    for line in lines:
        before = []
        if line.offset > 1e-6 or line.offset < -1e-6:  # as its setXPos
            before.append(move(line.offset, back))
        elif back is not None:
            before.append(back)
        if line.word_space:
            before.append(f"{fp_str(line.word_space)} Tw")
        after = "0 Tw T*" if line.word_space else "T*"
        back = move(-line.offset, None) if line.offset > 1e-6 or line.offset < -1e-6 else None
        steps.append((" ".join(before), after))
    return tuple(steps), back or ""


def right_to_left_block(canvas: Canvas, origin: tuple[float, float], color, font_name: str, size: float,
                        leading: float, x: float, y: float, texts: Sequence[str],
                        steps: tuple[tuple[tuple[str, str], ...], str],
                        bullet: tuple[float, str, float, str] | None = None, row: float | None = None) -> None:
    """Lines of a right-to-left paragraph (already in visual order) with the operators ``right_to_left_steps``
    worked out for them, the first baseline at (``x``, ``y``) from ``origin``: the same moves as reportlab's
    paragraph, so the glyphs land where they did. ``bullet`` as in ``text_block``. ``row``: the paragraph is a
    row in a table at ``origin``, this far up (its position a second move, as the table makes it: the same sums
    to the last bit, which decide which pixel row a baseline on a pixel's edge falls in)."""
    doc = canvas._doc
    inner = f" q 1 0 0 1 {fp_str(0, row)} cm" if row is not None else ""
    out = [f"q 1 0 0 1 {fp_str(*origin)} cm{inner} BT", _color(canvas, color)]
    if bullet is not None:
        bx, bfont, bsize, btext = bullet
        out.append(f"1 0 0 1 {fp_str(bx, y)} Tm")
        out.extend(_shown(canvas, doc, getFont(bfont), f"{fp_str(bsize)} Tf {fp_str(bsize * 1.2)} TL", btext,
                          None))
    out.append(f"1 0 0 1 {fp_str(x, y)} Tm")
    font = getFont(font_name)
    tf = f"{fp_str(size)} Tf {fp_str(leading)} TL"
    current = None  # the subset last set
    line_steps, tail = steps
    for text, (before, after) in zip(texts, line_steps, strict=True):
        if before:
            out.append(before)
        for subset, chunk in font.splitString(text, doc):
            if current != subset:
                out.append(f"{font.getSubsetInternalName(subset, doc)} {tf}")
                current = subset
            out.append(f"({canvas._escape(chunk)}) Tj")
        out.append(after)
    if tail:
        out.append(tail)
    out.append("ET Q Q" if row is not None else "ET Q")
    canvas._code.append(" ".join(out))


def _shown(canvas: Canvas, doc, font, tf: str, text: str, current) -> list[str]:
    out = []
    for subset, chunk in font.splitString(text, doc):
        if current != subset:
            out.append(f"{font.getSubsetInternalName(subset, doc)} {tf}")
            current = subset
        out.append(f"({canvas._escape(chunk)}) Tj")
    return out


def _color(canvas: Canvas, color) -> str:
    """The fill-colour operator reportlab would write for ``color`` on this canvas (grey when it enforces it)."""
    enforce = getattr(canvas, "_enforceColorSpace", None)
    if enforce:
        color = enforce(color)
    if isinstance(color, CMYKColor) or not isinstance(color, Color):  # spot colours register with the document
        text = canvas.beginText()
        text.setFillColor(color)
        return " ".join(text._code[2:])
    return f"{fp_str(color.red, color.green, color.blue)} rg"
