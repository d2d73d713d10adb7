"""The embedded font: DejaVu Sans, which has Latin Extended, Greek, Cyrillic and Vietnamese glyphs.

Looked up in REHAB_FONT_DIR, then Debian's fonts-dejavu-core, then the copy inside matplotlib (if installed).
reportlab's own Vera lacks ą, Greek and Cyrillic, so there is no silent fallback: a clear error instead.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from ..errors import RehabError
from .subsets import cache_subsets, fast_split

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
SYSTEM_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/TTF"), Path("/usr/share/fonts/dejavu"))


class FontNotFound(RehabError):
    pass


@dataclass(frozen=True)
class FontSet:
    regular: str
    bold: str
    glyphs: frozenset[int]  # code points both faces can draw


def font_dirs() -> list[Path]:
    dirs = []
    if os.environ.get("REHAB_FONT_DIR"):
        dirs.append(Path(os.environ["REHAB_FONT_DIR"]))
    dirs.extend(SYSTEM_DIRS)
    spec = importlib.util.find_spec("matplotlib")  # locate without importing it
    if spec and spec.origin:
        dirs.append(Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf")
    return dirs


def find_font(filename: str) -> Path:
    searched = font_dirs()
    for folder in searched:
        candidate = folder / filename
        if candidate.is_file():
            return candidate
    raise FontNotFound(
        f"font {filename} not found (looked in {', '.join(str(d) for d in searched)}); "
        "install it with: apt-get install -y fonts-dejavu-core, or set REHAB_FONT_DIR to a folder that has it"
    )


def _register(name: str, filename: str) -> TTFont:
    if name in pdfmetrics.getRegisteredFontNames():
        return pdfmetrics.getFont(name)
    path = find_font(filename)
    try:
        font = TTFont(name, str(path))
    except TTFError as exc:
        raise FontNotFound(f"font file {path} cannot be used: {exc}") from None
    cache_subsets(font)
    fast_split(font)
    pdfmetrics.registerFont(font)
    return font


@functools.cache
def register_fonts(regular_file: str, bold_file: str) -> FontSet:
    """Register both faces once per process; italic maps to upright because the handout never uses italics."""
    regular = _register(REGULAR, regular_file)
    bold = _register(BOLD, bold_file)
    for bold_flag, italic_flag, face in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR), (1, 1, BOLD)):
        addMapping(REGULAR, bold_flag, italic_flag, face)
    glyphs = frozenset(regular.face.charToGlyph) & frozenset(bold.face.charToGlyph)
    # the two-language mark (bilingual.py) passes the glyph filter; it never reaches the page itself
    return FontSet(REGULAR, BOLD, glyphs | {0xE000})


ARABIC = "NotoSansArabic"
ARABIC_BOLD = "NotoSansArabic-Bold"
ARABIC_DIRS = (Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/noto"))


@dataclass(frozen=True)
class ArabicFonts:
    regular: str
    bold: str
    glyphs: frozenset[int]


@functools.cache
def arabic_fonts() -> ArabicFonts | None:
    """Noto Sans Arabic (Debian's fonts-noto-core) for paragraphs written in Arabic letters only; None when it is
    not installed (DejaVu Sans then draws them, less well). It has no Latin letters, so mixed text keeps DejaVu."""
    dirs = [Path(os.environ["REHAB_FONT_DIR"])] if os.environ.get("REHAB_FONT_DIR") else []
    paths = {}
    for name, filename in ((ARABIC, "NotoSansArabic-Regular.ttf"), (ARABIC_BOLD, "NotoSansArabic-Bold.ttf")):
        found = next((d / filename for d in (*dirs, *ARABIC_DIRS) if (d / filename).is_file()), None)
        if found is None:
            return None
        paths[name] = found
    faces = []
    for name, path in paths.items():
        if name not in pdfmetrics.getRegisteredFontNames():
            font = TTFont(name, str(path))
            cache_subsets(font)  # like DejaVu's: an Arabic handout's subsets come back handout after handout
            fast_split(font)
            pdfmetrics.registerFont(font)
        faces.append(pdfmetrics.getFont(name))
    for bold_flag, italic_flag, face in ((0, 0, ARABIC), (1, 0, ARABIC_BOLD), (0, 1, ARABIC), (1, 1, ARABIC_BOLD)):
        addMapping(ARABIC, bold_flag, italic_flag, face)
    return ArabicFonts(ARABIC, ARABIC_BOLD, frozenset(faces[0].face.charToGlyph) & frozenset(faces[1].face.charToGlyph))
