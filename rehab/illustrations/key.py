"""The drawings' colour key, said once per handout, and a drawing's text alternative in words.

Every drawing follows one key: the accent colour marks the leg that moves (or is stretched), an outlined leg is
the one you stand or push on, and the arrow starts at the moving part and follows its path.
"""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Polygon, PolyLine, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from ..words import gettext
from ..words.drawing_key import KEY_TITLE, KEY_WORDS  # noqa: F401 - KEY_TITLE is part of this module's API
from .load import uses_band, uses_weight
from .pdfops import FigureDrawing
from .poses import load_poses
from .render import DEFAULT_ACCENT, INK, LIBRARY_LOAD, _LibraryLoad, resolve_load
from .scene import STANCE_EDGE

# KEY_TITLE and KEY_WORDS live with the other words a patient reads (rehab/words/drawing_key.py)
SWATCH_W = 20.0
LEG_W = 5.0  # a leg at handout scale, about as thick as in the drawings


def key_drawing(
    width: float,
    accent: colors.Color | None = None,
    *,
    font: str = "Helvetica",
    size: float = 8.0,
    color: colors.Color = INK,
) -> Drawing:
    """The key as a small Drawing, ``width`` points wide: a sample of each mark with its words, in one row when
    it fits and one line per mark otherwise. Its height is what the text needs."""
    accent = accent or DEFAULT_ACCENT
    items = [(mark, gettext(text)) for mark, text in KEY_WORDS.items()]
    gap = size * 1.4
    widths = [SWATCH_W + size * 0.6 + stringWidth(text, font, size) for _, text in items]
    one_row = sum(widths) + gap * (len(items) - 1) <= width
    line_h = max(size * 1.5, LEG_W + 4)
    height = line_h if one_row else line_h * len(items)
    d = FigureDrawing(width, height)
    x, y = 0.0, height - line_h
    for (mark, text), w in zip(items, widths, strict=True):
        mid = y + line_h / 2
        sw = [x + LEG_W / 2, mid, x + SWATCH_W - LEG_W / 2, mid]
        if mark == "moves":
            d.add(PolyLine(sw, strokeColor=accent, strokeWidth=LEG_W, strokeLineCap=1))
        elif mark == "stance":
            d.add(PolyLine(sw, strokeColor=INK, strokeWidth=LEG_W, strokeLineCap=1))
            d.add(PolyLine(sw, strokeColor=colors.white, strokeWidth=LEG_W - 2 * STANCE_EDGE * 0.6, strokeLineCap=1))
        else:
            d.add(PolyLine([x + 1, mid, x + SWATCH_W - 5, mid], strokeColor=accent, strokeWidth=1.4,
                           strokeLineCap=1))
            tip = x + SWATCH_W - 1
            d.add(Polygon([tip, mid, tip - 5, mid + 2.8, tip - 5, mid - 2.8], fillColor=accent, strokeColor=accent,
                          strokeWidth=0.6))
        d.add(String(x + SWATCH_W + size * 0.6, mid - size * 0.35, text, fontName=font, fontSize=size,
                     fillColor=color))
        if one_row:
            x += w + gap
        else:
            y -= line_h
    return d


def _limb_words(limbs: tuple[str, ...]) -> str:
    """Which leg is not named left or right: the patient works each side in turn."""
    legs = sum(1 for limb in limbs if limb.endswith("_leg"))
    words = ["legs" if legs == 2 else "leg"] if legs else []
    if "trunk" in limbs:
        words.append("body")
    return " and ".join(words)


def describe(exercise_id: str, load: str | None | _LibraryLoad = LIBRARY_LOAD) -> str | None:
    """The drawing in words, for its text alternative: the frames' captions in order, what is coloured, what is
    outlined, and the band or weight when one is drawn. None when the exercise has no drawing."""
    entry = load_poses().get(exercise_id)
    if entry is None:
        return None
    load = resolve_load(exercise_id, load)
    captions = entry.captions
    count = {2: "Two", 3: "Three"}[len(captions)]
    parts = [f"{count} pictures, left to right: {', then '.join(captions)}."]
    moving = _limb_words(entry.highlight)
    if moving:
        plural = moving.startswith("legs") or " and " in moving
        parts.append(f"The coloured {moving} {'are' if plural else 'is'} the part that moves or stretches.")
    if entry.stance:
        parts.append("The outlined leg is the one you stand or push on.")
    kinds = {p.kind for f in entry.frames for p in (*entry.props, *f.props)}
    if kinds & {"loop_band", "long_band"} and uses_band(load):
        parts.append("A band is shown where it goes.")
    if "weight" in kinds and uses_weight(load):
        parts.append("An ankle weight is shown.")
    parts.append("The arrow shows the way it moves.")
    return " ".join(parts)
