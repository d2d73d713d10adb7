"""The header logo: the clinic's own image, or the project's drawn mark when a clinic has none.

``write_svg("assets/logo.svg")`` writes the drawn mark as SVG for the web app and README.
"""

from __future__ import annotations

import functools

from reportlab.graphics.shapes import Circle, Drawing, PolyLine, Rect
from reportlab.lib import colors

from .images import shrunk

MAX_LOGO_PIXELS_SIDE = 600  # plenty for a ~2 inch header logo at 300 dpi; keeps the PDF small and fast


def drawn_logo(size: float, colour: colors.Color, paper: colors.Color = colors.white) -> Drawing:
    """A rounded square with a bent leg and its kneecap: neutral, and legible at 1 cm."""
    d = Drawing(size, size)
    k = size / 100
    d.add(Rect(0, 0, 100 * k, 100 * k, rx=22 * k, ry=22 * k, fillColor=colour, strokeColor=None))
    # hip, knee, ankle, toe: a leg bent as in a step-down, drawn as one stroke
    leg = PolyLine([24 * k, 84 * k, 58 * k, 56 * k, 40 * k, 20 * k, 66 * k, 20 * k], strokeColor=paper,
                   strokeWidth=12 * k, strokeLineCap=1, strokeLineJoin=1)
    d.add(leg)
    d.add(Circle(69 * k, 61 * k, 9 * k, fillColor=paper, strokeColor=colour, strokeWidth=3 * k))
    return d


@functools.lru_cache(maxsize=8)
def prepared_logo(data: bytes, grayscale: bool):
    """The logo as a small PIL image, transparency kept (RGBA/LA) and grey when asked.

    Decoded once per distinct logo: re-rendering a handout for the same clinic costs nothing here.
    """
    return shrunk(data, grayscale, MAX_LOGO_PIXELS_SIDE)[0]


def write_svg(path: str, colour: str = "#1F5F8B") -> None:
    from reportlab.graphics import renderSVG

    renderSVG.drawToFile(drawn_logo(96, colors.HexColor(colour)), path)
