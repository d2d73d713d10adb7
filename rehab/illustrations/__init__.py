"""Exercise illustrations: vector figures drawn from pose data (assets/poses.yaml), for the PDF and the browser.

    drawing_for(exercise_id, width, height, accent=None, *, load=LIBRARY_LOAD, caption_font=None,
                caption_size=7.5, caption_color=INK) -> reportlab Drawing | None
    svg_for(exercise_id, width=360, height=150, accent=None, *, load=LIBRARY_LOAD) -> str | None
    animation_svg(exercise_id, width=360, height=150, accent=None, *, load=LIBRARY_LOAD) -> str | None
    describe(exercise_id, load=LIBRARY_LOAD) -> str | None     # the drawing in words (text alternative)
    key_drawing(width, accent=None, *, font, size, color) -> Drawing   # the colour key, once per handout
    KEY_TITLE, KEY_WORDS                                              # the key's words
    has_drawing(exercise_id) -> bool

The Drawing is a ``FigureDrawing``: besides working as a platypus flowable, ``drawing.draw_on(canvas, x, y)``
writes it to a PDF canvas about three times faster than ``renderPDF.draw`` and sets nothing on the drawing.
See docs/illustrations.md.
"""

from .animate import animation_svg
from .key import KEY_TITLE, KEY_WORDS, describe, key_drawing
from .load import uses_band, uses_weight
from .pdfops import FigureDrawing
from .render import LIBRARY_LOAD, drawing_for, has_drawing, svg_for

__all__ = ["KEY_TITLE", "KEY_WORDS", "LIBRARY_LOAD", "FigureDrawing", "animation_svg", "describe", "drawing_for",
           "has_drawing", "key_drawing", "svg_for", "uses_band", "uses_weight"]
