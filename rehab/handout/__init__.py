"""The patient handout: a Program becomes a clinic-branded PDF (reportlab platypus).

``render_handout(program, clinic=None, *, paper=None, large_print=None, password=None, grayscale=False,
invariant=False, prepared=None, library=None, photos=None, layout=None) -> bytes``, layout "compact" or
"booklet"; both print the content model of rehab/handout_content. See rehab/handout/render.py and docs/handout.md.
"""

from .render import render_handout

__all__ = ["render_handout"]
