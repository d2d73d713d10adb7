"""Exercise illustrations: vector figures drawn from pose data (assets/poses.yaml), for the PDF and the browser.

    drawing_for(exercise_id, width, height, accent=None) -> reportlab Drawing | None
    svg_for(exercise_id, width=360, height=150, accent=None) -> str | None
    has_drawing(exercise_id) -> bool

The Drawing is a ``FigureDrawing``: besides working as a platypus flowable, ``drawing.draw_on(canvas, x, y)``
writes it to a PDF canvas about three times faster than ``renderPDF.draw`` and sets nothing on the drawing.
See docs/illustrations.md.
"""

from .pdfops import FigureDrawing
from .render import drawing_for, has_drawing, svg_for

__all__ = ["FigureDrawing", "drawing_for", "has_drawing", "svg_for"]
