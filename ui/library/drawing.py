"""A built-in exercise's moving drawing for a page, with the still drawing swapped in by a CSS media query when the
reader's system asks for reduced motion (the browser decides, so no script is needed), and its text alternative.

The swap is done by the page, not inside the SVG: browsers do not pass the reader's motion setting into an SVG
shown as an image, and the page's HTML sanitizer drops ``<source srcset>`` data addresses."""

from __future__ import annotations

import base64
import html

from rehab.services.drawings import animation_svg, describe, svg_for


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def moving_drawing_html(exercise_id: str) -> str | None:
    """The markup, or None for an exercise without a drawing (the clinic's own)."""
    moving, still = animation_svg(exercise_id), svg_for(exercise_id)
    if moving is None or still is None:
        return None
    words = html.escape(describe(exercise_id) or "", quote=True)
    return (
        "<style>.exercise-drawing .still{display:none}"
        "@media (prefers-reduced-motion: reduce){.exercise-drawing .moving{display:none}"
        ".exercise-drawing .still{display:block}}</style>"
        '<div class="exercise-drawing">'
        f'<img class="moving" src="{_data_uri(moving)}" alt="{words}" style="width:100%;height:auto">'
        f'<img class="still" src="{_data_uri(still)}" alt="{words}" style="width:100%;height:auto">'
        "</div>"
    )
