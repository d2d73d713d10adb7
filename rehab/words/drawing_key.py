"""The words of the exercise drawings a patient reads: the key's title and lines, and the frames' captions.

English here; the handout prints them in its language through the catalogue (the title with the context
``drawing_key``, each caption with ``drawing_caption``). ``rehab.illustrations`` draws them.
"""

from __future__ import annotations

from .catalog import N_

KEY_TITLE = "How to read the drawings"
KEY_WORDS = {
    "moves": N_("Coloured: the leg (or body) you move or stretch."),
    "stance": N_("Outlined leg: the leg you stand or push on."),
    "arrow": N_("Arrow: the way that part moves."),
}
CAPTIONS = ("Start", "Move", "Finish", "Hold", "Walk", "Jog")  # rehab.illustrations.poses.Caption
