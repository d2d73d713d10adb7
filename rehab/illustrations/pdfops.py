"""A fast PDF path for figure drawings: the same node tree, written as PDF operators in one pass.

reportlab's generic renderer saves and restores the whole graphics state and re-applies every style property
for each node, which made ten drawings cost about a third of a handout's render time. A figure uses only
polylines, polygons, circles and rects with solid colours, round caps and joins, so this writer sets a colour
or a width only when it changes. SVG and other renderers still walk the same tree through reportlab; the
tests rasterise both PDF paths and compare them pixel by pixel.
"""

from __future__ import annotations

from reportlab.graphics.shapes import Circle, Drawing, Group, Polygon, PolyLine, Rect, String
from reportlab.lib.colors import CMYKColor

KAPPA = 0.5523  # cubic Bezier handle length for a quarter circle, as reportlab uses
ROUND = 0.4472  # reportlab's handle factor for rounded rect corners


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _colour(colour, convert) -> tuple[str, bool]:
    """PDF colour operands, and whether they are CMYK (a canvas colour-space hook may ask for either)."""
    if convert is not None:
        colour = convert(colour)
    if isinstance(colour, CMYKColor):
        return f"{colour.cyan:.3f} {colour.magenta:.3f} {colour.yellow:.3f} {colour.black:.3f}", True
    return f"{colour.red:.3f} {colour.green:.3f} {colour.blue:.3f}", False


class _Writer:
    def __init__(self, convert=None) -> None:
        self.convert = convert
        self.ops: list[str] = []
        self.state = {"RG": None, "rg": None, "w": None}
        self.saved: list[dict] = []

    def push(self, transform) -> None:
        self.saved.append(dict(self.state))
        self.ops.append("q")
        if tuple(transform) != (1, 0, 0, 1, 0, 0):
            # the scale factors need more places than coordinates: a rounded scale shifts the whole figure
            self.ops.append(" ".join(f"{v:.5f}".rstrip("0").rstrip(".") for v in transform) + " cm")

    def pop(self) -> None:
        self.ops.append("Q")
        self.state = self.saved.pop()

    def style(self, node) -> tuple[bool, bool]:
        """Set stroke and fill for a node; returns (stroke, fill)."""
        stroke = getattr(node, "strokeColor", None) is not None and (node.strokeWidth or 0) > 0
        fill = getattr(node, "fillColor", None) is not None
        wanted: dict[str, str] = {}
        if stroke:
            operands, cmyk = _colour(node.strokeColor, self.convert)
            wanted["RG"] = f"{operands} {'K' if cmyk else 'RG'}"
            wanted["w"] = f"{_n(node.strokeWidth)} w"
        if fill:
            operands, cmyk = _colour(node.fillColor, self.convert)
            wanted["rg"] = f"{operands} {'k' if cmyk else 'rg'}"
        for key, op in wanted.items():
            if self.state[key] != op:
                self.ops.append(op)
                self.state[key] = op
        return stroke, fill

    def paint(self, path: str, stroke: bool, fill: bool, closed: bool) -> None:
        if not (stroke or fill):
            return
        op = "B" if stroke and fill else ("f" if fill else "S")
        self.ops.append(path + (" h " if closed and not path.endswith(" h") else " ") + op)

    def node(self, node) -> None:
        if isinstance(node, Group):
            self.push(node.transform)
            for child in node.contents:
                self.node(child)
            self.pop()
        elif isinstance(node, (PolyLine, Polygon)):
            pts = node.points
            path = " ".join(f"{_n(pts[i])} {_n(pts[i + 1])} {'m' if i == 0 else 'l'}" for i in range(0, len(pts), 2))
            closed = isinstance(node, Polygon)
            stroke, fill = self.style(node)
            self.paint(path, stroke, fill and closed, closed)
        elif isinstance(node, Circle):
            stroke, fill = self.style(node)
            self.paint(_circle(node.cx, node.cy, node.r), stroke, fill, closed=True)
        elif isinstance(node, Rect):
            stroke, fill = self.style(node)
            self.paint(_rect(node), stroke, fill, closed=True)
        elif isinstance(node, String):
            pass  # captions go through the canvas (FigureDrawing.draw_on), which embeds the font
        else:
            raise TypeError(f"figure drawings hold no {type(node).__name__}")


def _circle(cx: float, cy: float, r: float) -> str:
    k = KAPPA * r
    n = _n
    return (f"{n(cx + r)} {n(cy)} m "
            f"{n(cx + r)} {n(cy + k)} {n(cx + k)} {n(cy + r)} {n(cx)} {n(cy + r)} c "
            f"{n(cx - k)} {n(cy + r)} {n(cx - r)} {n(cy + k)} {n(cx - r)} {n(cy)} c "
            f"{n(cx - r)} {n(cy - k)} {n(cx - k)} {n(cy - r)} {n(cx)} {n(cy - r)} c "
            f"{n(cx + k)} {n(cy - r)} {n(cx + r)} {n(cy - k)} {n(cx + r)} {n(cy)} c h")


def _rect(rect: Rect) -> str:
    x0, y0 = min(rect.x, rect.x + rect.width), min(rect.y, rect.y + rect.height)
    x1, y1 = max(rect.x, rect.x + rect.width), max(rect.y, rect.y + rect.height)
    r = min(rect.rx or 0, (x1 - x0) / 2, (y1 - y0) / 2)
    n = _n
    if r <= 0:
        return f"{n(x0)} {n(y0)} {n(x1 - x0)} {n(y1 - y0)} re"
    t = ROUND * r
    return (f"{n(x0 + r)} {n(y0)} m {n(x1 - r)} {n(y0)} l "
            f"{n(x1 - t)} {n(y0)} {n(x1)} {n(y0 + t)} {n(x1)} {n(y0 + r)} c {n(x1)} {n(y1 - r)} l "
            f"{n(x1)} {n(y1 - t)} {n(x1 - t)} {n(y1)} {n(x1 - r)} {n(y1)} c {n(x0 + r)} {n(y1)} l "
            f"{n(x0 + t)} {n(y1)} {n(x0)} {n(y1 - t)} {n(x0)} {n(y1 - r)} c {n(x0)} {n(y0 + r)} l "
            f"{n(x0)} {n(y0 + t)} {n(x0 + t)} {n(y0)} {n(x0 + r)} {n(y0)} c h")


def pdf_operators(drawing: Drawing, convert=None) -> str:
    """The drawing's content stream (origin at its lower left corner), wrapped in q ... Q. ``convert`` maps each
    colour first, like a canvas's ``enforceColorSpace`` hook (a grey handout turns the drawings grey too)."""
    writer = _Writer(convert)
    writer.push(drawing.transform)
    writer.ops.append("1 J 1 j")  # round caps and joins throughout
    for child in drawing.contents:
        writer.node(child)
    writer.pop()
    return "\n".join(writer.ops)


class FigureDrawing(Drawing):
    """A reportlab Drawing whose PDF output takes the fast path above: as a platypus flowable, or through
    ``draw_on(canvas, x, y)``, which sets nothing on the drawing, so one cached drawing can serve handouts
    rendered at the same time."""

    def draw(self, showBoundary=None):
        self.draw_on(self.canv)

    def draw_on(self, canvas, x: float = 0, y: float = 0) -> None:
        canvas.saveState()
        canvas.translate(x, y)
        canvas.addLiteral(pdf_operators(self, getattr(canvas, "_enforceColorSpace", None)))
        self.draw_captions(canvas)
        canvas.restoreState()

    def draw_captions(self, canvas) -> None:
        """The captions and any other text, through the canvas (it embeds the font); after the shapes."""
        captions = [node for node in self.contents if isinstance(node, String)]
        if captions:
            canvas.saveState()
            canvas.transform(*self.transform)
            for text in captions:
                canvas.setFont(text.fontName, text.fontSize)
                canvas.setFillColor(text.fillColor)
                draw = {"middle": canvas.drawCentredString, "end": canvas.drawRightString}.get(
                    text.textAnchor, canvas.drawString)
                draw(text.x, text.y, text.text)
            canvas.restoreState()
