"""The patient handout: a Program becomes a clinic-branded PDF (reportlab platypus).

``render_handout(program, clinic=None, *, paper=None, large_print=None, password=None, grayscale=False,
invariant=False, prepared=None, library=None, photos=None) -> bytes``; see rehab/handout/render.py and docs/handout.md.
"""

from .render import render_handout

__all__ = ["render_handout"]
