"""Shapes to reportlab: one Drawing per exercise (vectors in the PDF), and the same Drawing as SVG for the browser.

The frames sit side by side at one common scale, so the props do not jump between them, with a small chevron
between frames to show the order and, when a caption font is given, the frame's caption (Start, Move, Finish or
Hold) under each one. ``key_drawing`` draws the colour key once for a whole handout.
"""

from __future__ import annotations

import functools

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Circle, Drawing, Group, Polygon, PolyLine, Rect, String
from reportlab.lib import colors

from ..words import p_
from .pdfops import FigureDrawing
from .poses import load_poses
from .props import Shape
from .scene import Panel, bounds, panels

DEFAULT_ACCENT = colors.HexColor("#0E7C86")
INK = colors.HexColor("#2E3A45")
INK_FAR = colors.HexColor("#A3AEB8")
PROP_FILL = colors.HexColor("#E4E9ED")
PROP_LINE = colors.HexColor("#9AA6B1")
PROP_DARK = colors.HexColor("#7D8A96")
TOWEL = colors.HexColor("#BCCBD6")
BAND = colors.HexColor("#E0892F")
STRAP = colors.HexColor("#7A3E0E")
WEIGHT = colors.HexColor("#56626E")
FLOOR = colors.HexColor("#B9C3CB")
FLOOR_AREA = colors.HexColor("#EEF1F4")
CHEVRON = colors.HexColor("#B9C3CB")

PAD = 4.0  # drawing units kept clear around each frame
FLOOR_W = 1.2


def _mix(c: colors.Color, k: float) -> colors.Color:
    """``c`` faded k of the way to white (far limbs of a highlighted pair)."""
    return colors.Color(c.red + (1 - c.red) * k, c.green + (1 - c.green) * k, c.blue + (1 - c.blue) * k)


def _contrast_on_white(c: colors.Color) -> float:
    """WCAG 2 contrast ratio of ``c`` on white."""
    def linear(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    y = 0.2126 * linear(c.red) + 0.7152 * linear(c.green) + 0.0722 * linear(c.blue)
    return 1.05 / (y + 0.05)


FAR_MIN_CONTRAST = 3.0  # the far limb is a graphic the patient must see: WCAG 1.4.11 on white paper


def far_accent(accent: colors.Color) -> colors.Color:
    """The far limb's shade of the accent: lighter while it keeps 3:1 on white, else darker, so a light brand
    (a yellow darkened just to 3:1) still gives a far limb that is both visible and unlike the near one."""
    for k in (0.5, 0.4, 0.3):
        lighter = _mix(accent, k)
        if _contrast_on_white(lighter) >= FAR_MIN_CONTRAST:
            return lighter
    return colors.Color(accent.red * 0.6, accent.green * 0.6, accent.blue * 0.6)


def _palette(accent: colors.Color) -> dict[str, tuple[colors.Color | None, colors.Color | None]]:
    """role -> (stroke, fill)."""
    return {
        "halo": (colors.white, None),
        "halo_fill": (None, colors.white),
        "body": (INK, INK),
        "body_far": (INK_FAR, INK_FAR),
        "accent": (accent, accent),
        "accent_far": (far_accent(accent), far_accent(accent)),
        "stance": (INK, INK),
        "stance_far": (INK_FAR, INK_FAR),
        "stance_core": (colors.white, None),
        "prop": (PROP_LINE, PROP_FILL),
        "floor_area": (None, FLOOR_AREA),
        "towel": (PROP_DARK, TOWEL),
        "prop_dark": (PROP_DARK, PROP_DARK),
        "band": (BAND, BAND),
        "strap": (STRAP, STRAP),
        "weight": (WEIGHT, WEIGHT),
        "arrow": (accent, None),
        "arrow_head": (accent, accent),
    }


def _to_reportlab(shape: Shape, palette) -> object:
    stroke, fill = palette[shape.role]
    if shape.kind == "rect":
        x0, y0, x1, y1 = shape.coords
        return Rect(min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0), rx=shape.radius, ry=shape.radius,
                    fillColor=fill, strokeColor=stroke, strokeWidth=0.6)
    if shape.kind == "circle":
        cx, cy, r = shape.coords
        return Circle(cx, cy, r, fillColor=fill, strokeColor=stroke, strokeWidth=0.6)
    pts = [round(c, 2) for c in shape.coords]
    if shape.closed:
        filled = shape.role not in ("band",)
        return Polygon(pts, fillColor=fill if filled else None, strokeColor=stroke, strokeWidth=shape.width,
                       strokeLineJoin=1, strokeLineCap=1)
    return PolyLine(pts, strokeColor=stroke, strokeWidth=shape.width, strokeLineCap=1, strokeLineJoin=1)


class _LibraryLoad:
    """The default for ``load``: the load of the exercise's starting dose in the built-in library."""

    def __repr__(self) -> str:
        return "LIBRARY_LOAD"


LIBRARY_LOAD = _LibraryLoad()


def resolve_load(exercise_id: str, load: str | None | _LibraryLoad) -> str | None:
    if not isinstance(load, _LibraryLoad):
        return load
    from ..content.library import load_library  # late: the library is only needed when no load is given

    library = load_library()
    return library.get(exercise_id).default_dose.load if exercise_id in library else None


@functools.lru_cache(maxsize=512)
def _panels(exercise_id: str, load: str | None) -> tuple[Panel, ...] | None:
    entry = load_poses().get(exercise_id)
    return tuple(panels(entry, load)) if entry else None


def has_drawing(exercise_id: str) -> bool:
    return exercise_id in load_poses()


def layout(frames: tuple[Panel, ...], width: float, height: float, gap: float) -> tuple[float, list[tuple]]:
    """Common scale and each panel's (x offset, y offset) so every frame fits its slot with ``PAD`` to spare."""
    x0, y0, x1, y1 = bounds([s for p in frames for s in p.shapes])
    y0 = min(y0, -FLOOR_W)
    n = len(frames)
    slot = (width - gap * (n - 1)) / n
    k = min((slot - 2 * PAD) / (x1 - x0), (height - 2 * PAD) / (y1 - y0))
    offsets = []
    for i in range(n):
        left = i * (slot + gap)
        tx = left + (slot - k * (x1 - x0)) / 2 - k * x0
        ty = (height - k * (y1 - y0)) / 2 - k * y0
        offsets.append((tx, ty, left, slot))
    return k, offsets


def drawing_for(
    exercise_id: str,
    width: float,
    height: float,
    accent: colors.Color | None = None,
    *,
    load: str | None | _LibraryLoad = LIBRARY_LOAD,
    caption_font: str | None = None,
    caption_size: float = 7.5,
    caption_color: colors.Color = INK,
) -> Drawing | None:
    """The exercise's frames side by side in a ``width`` x ``height`` Drawing (points); None if not drawn.

    ``load`` is the dose's load in words: a band is drawn only when it names a band, an ankle weight only when
    it names a weight (default: the library's starting dose). With ``caption_font`` (a registered font name),
    each frame's caption is written under it in ``caption_size`` points, inside the same box.
    """
    frames = _panels(exercise_id, resolve_load(exercise_id, load))
    if frames is None:
        return None
    entry = load_poses()[exercise_id]
    palette = _palette(accent or DEFAULT_ACCENT)
    gap = min(14.0, width * 0.05)
    band = caption_size * 1.45 if caption_font else 0.0
    k, offsets = layout(frames, width, height - band, gap)
    d = FigureDrawing(width, height)
    for i, (panel, (tx, ty, left, slot)) in enumerate(zip(frames, offsets, strict=True)):
        g = Group()
        for shape in panel.shapes:
            g.add(_to_reportlab(shape, palette))
        if entry.mirror:
            g.transform = (-k, 0, 0, k, 2 * left + slot - tx, ty)
        else:
            g.transform = (k, 0, 0, k, tx, ty)
        ty += band
        g.transform = (*g.transform[:5], g.transform[5] + band)
        if caption_font:
            caption = p_("drawing_caption", panel.caption)  # in the handout's language
            d.add(String(left + slot / 2, caption_size * 0.3, caption, fontName=caption_font, fontSize=caption_size,
                         fillColor=caption_color, textAnchor="middle"))
        if not entry.pitch:  # seen from above, the mat is the floor
            d.add(PolyLine([left + 2, ty, left + slot - 2, ty], strokeColor=FLOOR, strokeWidth=FLOOR_W,
                           strokeLineCap=1))
        d.add(g)
        if i < len(frames) - 1:
            cx, cy, r = left + slot + gap / 2, band + (height - band) / 2, min(gap * 0.28, 4.0)
            d.add(PolyLine([cx - r / 2, cy + r, cx + r / 2, cy, cx - r / 2, cy - r], strokeColor=CHEVRON,
                           strokeWidth=1.4, strokeLineCap=1, strokeLineJoin=1))
    return d


def svg_for(
    exercise_id: str,
    width: float = 360,
    height: float = 150,
    accent: colors.Color | None = None,
    *,
    load: str | None | _LibraryLoad = LIBRARY_LOAD,
) -> str | None:
    """The same drawing as an SVG document string, for the browser (no text inside: captions are the page's)."""
    d = drawing_for(exercise_id, width, height, accent, load=load)
    return None if d is None else renderSVG.drawToString(d)
