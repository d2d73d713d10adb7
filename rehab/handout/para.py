"""A reportlab Paragraph that does repeated work once.

- Line breaking: platypus wraps the same paragraph several times (KeepTogether measures a whole card, a table
  measures its cells, the frame measures again before drawing); the lines only depend on the width.
- Line breaking across handouts: a plain paragraph (one font, kind 0 in reportlab's terms) breaks into the same
  lines at the same width every time, and drawing only reads those lines, so they are kept too. Paragraphs with
  mixed fonts (kind 1) hold fragment objects that drawing may touch, so they are broken afresh.
- Markup parsing: the exercise library's sentences come back in every handout with the same styles (styles are
  cached, see styles.py), so their parsed fragments are kept and each paragraph gets its own shallow copies.
  The cache key holds the style object itself, so a style cannot be replaced by another at the same address.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict

from reportlab.platypus import Paragraph as _Paragraph

from .bidi import bidi_markup, document_is_right_to_left, merged_frags, paragraph_style
from .bilingual import has_second, spaced_by_size
from .bilingual import markup as two_languages
from .rtl_lines import plain_right_to_left
from .two_directions import mixed_directions, two_paragraphs

_PARSED: OrderedDict[tuple, list] = OrderedDict()
_PARSED_MAX = 4096
_BROKEN: OrderedDict[tuple, object] = OrderedDict()
_BROKEN_MAX = 4096
_LOCK = threading.Lock()  # the app renders handouts for several sessions at once
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


class Paragraph(_Paragraph):
    _wrapped: tuple[float, tuple[float, float]] | None = None
    _parse_key: tuple | None = None  # set when the markup came from (or went into) the parse cache

    def __new__(cls, text="", style=None, *args, **kw):
        """In a right-to-left handout, a paragraph with line breaks becomes one paragraph a line, stacked:
        reportlab lays out the lines of a paragraph with breaks left to right (bidi.py). Arabic with a
        left-to-right language: a two-language text becomes two paragraphs, one per direction (bilingual.py)."""
        if style is not None and has_second(text) and mixed_directions():
            return two_paragraphs(text, style, kw.get("bulletText"))
        if style is not None and isinstance(text, str) and document_is_right_to_left():
            if not args and set(kw) <= {"bulletText"}:  # plain text: the lines without a Paragraph (rtl_lines.py)
                lines = plain_right_to_left(text, style, kw.get("bulletText"))
                if lines is not None:
                    return lines
            if _BREAK.search(text):
                return stacked([part for part in _BREAK.split(text)], style, kw.get("bulletText"))
        return super().__new__(cls)

    def __init__(self, text, style=None, *args, **kw):
        if style is not None and has_second(text):  # a two-language text: the second beneath (bilingual.py)
            text = two_languages(text, style.fontSize, style.textColor.hexval())
            style = spaced_by_size(style)
        # right-to-left handouts, and right-to-left names in any handout: shaped and ordered (bidi.py)
        laid_out = paragraph_style(text, style) if isinstance(text, str) else style  # a split piece: as it was
        if laid_out is not style:
            text = bidi_markup(text)
        super().__init__(text, laid_out, *args, **kw)
        if laid_out is not style:
            self.frags = merged_frags(self.frags)

    def _setup(self, text, style, bulletText, frags, cleaner):  # noqa: N803 - reportlab's names
        if frags is not None or "<para" in text or "<bullet" in text:  # these change style or bullet: no cache
            return super()._setup(text, style, bulletText, frags, cleaner)
        key = self._parse_key = (text, style)
        with _LOCK:
            parsed = _PARSED.get(key)
            if parsed is not None:
                _PARSED.move_to_end(key)
        if parsed is None:
            super()._setup(text, style, bulletText, frags, cleaner)
            with _LOCK:
                _PARSED[key] = [frag.clone() for frag in self.frags]
                if len(_PARSED) > _PARSED_MAX:
                    _PARSED.popitem(last=False)
            return None
        return super()._setup(cleaner(text), style, bulletText, [frag.clone() for frag in parsed], cleaner)

    def breakLines(self, width):  # noqa: N802 - reportlab's name
        if self._parse_key is None:
            return super().breakLines(width)
        key = (self._parse_key, self.bulletText, tuple(width) if isinstance(width, list) else width)
        with _LOCK:
            found = _BROKEN.get(key)
            if found is not None:
                _BROKEN.move_to_end(key)
        if found is not None:
            lines, widths = found
            if isinstance(width, list):  # as reportlab leaves them: a bullet shortens the first line, and a
                width[:] = widths        # right-to-left paragraph places its bullet by that width when drawn
            return lines
        lines = super().breakLines(width)
        if lines.kind == 0:
            with _LOCK:
                _BROKEN[key] = (lines, tuple(width) if isinstance(width, list) else width)
                if len(_BROKEN) > _BROKEN_MAX:
                    _BROKEN.popitem(last=False)
        return lines

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        if self._wrapped is not None and self._wrapped[0] == availWidth and "blPara" in self.__dict__:
            self.width, self.height = self._wrapped[1]
            return self._wrapped[1]
        size = super().wrap(availWidth, availHeight)
        if getattr(self.style, "autoLeading", "") == "max" and getattr(self.blPara, "kind", 0) == 1:
            drawn = _drawn_height(self.blPara.lines, self.style.leading)
            self._under = max(0.0, drawn - size[1])
            size = (size[0], drawn)
            self.height = size[1]
        self._wrapped = (availWidth, size)
        return size

    def split(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        """A two-language paragraph splits where its lines, as drawn, still fit (``wrap``'s measure)."""
        under = getattr(self, "_under", 0.0)
        return super().split(availWidth, availHeight - under if under else availHeight)


def _drawn_height(lines, leading: float) -> float:
    """The height reportlab draws lines of mixed sizes at (``autoLeading="max"``: each line's ascent against 5/6
    of the leading, its descent against 1/6), which its own ``wrap`` underestimates (bilingual.py)."""
    return sum(max(leading * 5 / 6, line.ascent) + max(leading / 6, -line.descent) for line in lines)


def stacked(parts: list[str], style, bullet: str | None):
    """Lines as paragraphs one under the other, in a one-column table without padding."""
    from .table import Table

    rows = [[Paragraph(part or " ", style, bulletText=bullet if n == 0 else None)] for n, part in enumerate(parts)]
    table = Table(rows, style=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])
    table.spaceBefore, table.spaceAfter = style.spaceBefore, style.spaceAfter
    return table
