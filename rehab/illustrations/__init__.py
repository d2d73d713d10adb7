"""Exercise illustrations: vector figures drawn from pose data (assets/poses.yaml), for the PDF and the browser.

    drawing_for(exercise_id, width, height, accent=None) -> reportlab Drawing | None
    svg_for(exercise_id, width=360, height=150, accent=None) -> str | None
    has_drawing(exercise_id) -> bool
"""

from .render import drawing_for, has_drawing, svg_for

__all__ = ["drawing_for", "has_drawing", "svg_for"]
