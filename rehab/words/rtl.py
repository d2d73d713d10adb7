"""Right-to-left order for reportlab: python-bidi's Unicode Bidirectional Algorithm as reportlab's optional
``rlbidi`` module, which the package registry these machines reach does not have.

reportlab looks for ``rlbidi`` once, when ``reportlab.pdfgen.textobject`` is first imported, and with it lays out
paragraphs whose style says ``wordWrap="RTL"``: it breaks lines in logical order and then asks ``log2vis`` for each
line's visual order (with the visual-to-logical positions, to keep each word's font and size). ``install()`` puts
this module's ``log2vis`` there; ``rehab/__init__.py`` calls it before anything imports reportlab, and
``rehab.handout.bidi.right_to_left_loaded()`` says whether it worked (it cannot if reportlab came first).

python-bidi (LGPL-3.0, used unmodified as a library) has a Rust implementation without positions and the
reference one in pure Python, whose per-character records this module follows through the reordering.
"""

from __future__ import annotations

import functools
import sys
import types

_CONTROLS = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def log2vis(text: str, base_direction: str | None = None, clean: bool = True,
            positions_V_to_L: list[int] | None = None, **_ignored) -> str:  # noqa: N803 - reportlab's name
    """``text`` in visual (left-to-right drawing) order; ``base_direction`` "RTL" or "LTR" (None: from the text).
    ``positions_V_to_L`` is filled with the logical index of each visual character."""
    visual, positions = _ordered(str(text), (base_direction or "").upper(), bool(clean))
    if positions_V_to_L is not None:
        positions_V_to_L[:] = positions
    return visual


@functools.lru_cache(maxsize=16384)  # reportlab asks again for every wrap of the same paragraph
def _ordered(text: str, direction: str, clean: bool) -> tuple[str, tuple[int, ...]]:
    from bidi import algorithm

    storage = algorithm.get_empty_storage()
    if direction in ("RTL", "LTR"):
        level = algorithm.PARAGRAPH_LEVELS["R" if direction == "RTL" else "L"]
    else:
        level = algorithm.get_base_level(text)
    storage["base_level"], storage["base_dir"] = level, ("L", "R")[level]
    algorithm.get_embedding_levels(text, storage)
    for index, record in enumerate(storage["chars"]):
        record["index"] = index
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    algorithm.reorder_resolved_levels(storage, False)
    algorithm.apply_mirroring(storage, False)
    records = [r for r in storage["chars"] if not (clean and r["ch"] in _CONTROLS)]
    return "".join(r["ch"] for r in records), tuple(r["index"] for r in records)


def install() -> None:
    """Offer ``log2vis`` to reportlab as the ``rlbidi`` module, unless one is there already."""
    if "rlbidi" not in sys.modules:
        module = types.ModuleType("rlbidi", "python-bidi for reportlab (rehab.words.rtl)")
        module.log2vis = log2vis  # type: ignore[attr-defined]
        sys.modules["rlbidi"] = module
