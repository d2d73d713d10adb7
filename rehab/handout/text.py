"""Making any user text safe for the PDF: drawable glyphs only, then escaped for reportlab's markup.

reportlab silently drops unknown tags (``<Sons>``) and draws empty boxes for glyphs the font lacks, so both
steps are needed for ``O'Brien & <Sons> 🏃`` to print as ``O'Brien & <Sons>``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfmetrics import stringWidth

from .bidi import kept_left_to_right

_DROP_WHEN_MISSING = ("S", "M", "C")  # symbols and emoji, combining marks, format characters: leave them out


_JOINERS = {0x200D} | set(range(0xFE00, 0xFE10)) | set(range(0x1F3FB, 0x1F400))  # ZWJ, variation, skin tone


_ASCII_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@functools.lru_cache(maxsize=8192)  # library text repeats in every handout
def drawable(text: str, glyphs: frozenset[int]) -> str:
    """NFC text the font can draw: controls and lone surrogates removed, tabs as spaces, newlines kept.

    A missing letter becomes '?' so a name in an unsupported script is not silently erased; a missing
    symbol (emoji) is left out so the words around it stay as they were, together with what is joined to it
    (🏃‍♀️ is four code points, and DejaVu happens to have ♀ and the joiners).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    if text.isascii():  # the common case: every printable ASCII character is in the font
        return re.sub(r" {2,}", " ", _ASCII_CONTROLS.sub("", text))
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    dropping = joined = False
    for ch in text:
        code, category = ord(ch), unicodedata.category(ch)
        if dropping and (code in _JOINERS or joined):
            joined = code == 0x200D
            continue
        dropping = joined = False
        if ch == "\n":
            out.append(ch)
        elif category in ("Cc", "Cs"):
            continue
        elif code in glyphs:
            out.append(ch)
        elif category.startswith("Z"):
            out.append(" ")  # a space the font lacks still separates words
        elif category.startswith(_DROP_WHEN_MISSING):
            dropping = True
        else:
            out.append("?")
    return re.sub(r" {2,}", " ", "".join(out))


def markup(text: str, glyphs: frozenset[int]) -> str:
    """Escaped paragraph text; each newline becomes a line break."""
    lines = drawable(text, glyphs).split("\n")
    return "<br/>".join(escape(kept_left_to_right(line)) for line in lines)


def one_line(text: str, glyphs: frozenset[int]) -> str:
    """For text drawn straight on the canvas (headers, footers): no markup, one line."""
    return kept_left_to_right(" ".join(drawable(text, glyphs).split()))


def fit(text: str, font: str, size: float, width: float) -> str:
    """Shorten with an ellipsis until the text fits ``width`` points."""
    if stringWidth(text, font, size) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # longest prefix that fits together with the ellipsis
        mid = (low + high + 1) // 2
        if stringWidth(text[:mid].rstrip() + "…", font, size) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…"


def fit_shrinking(text: str, font: str, size: float, width: float, smallest: float) -> tuple[str, float]:
    """A long line first gets a smaller font (down to ``smallest``), and only then an ellipsis."""
    natural = stringWidth(text, font, size)
    if natural <= width:
        return text, size
    smaller = max(smallest, size * width / natural)
    return fit(text, font, smaller, width), smaller
