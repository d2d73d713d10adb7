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
