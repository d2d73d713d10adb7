"""Paragraph styles for one handout, built once from the look, the print size and the palette."""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from dataclasses import dataclass

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from .fonts import FontSet
from .look import Look, Palette, Sizes


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    body_bold: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    box_heading: ParagraphStyle
    card_title: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_head: ParagraphStyle
    cell_head_center: ParagraphStyle
    cell_center: ParagraphStyle
    cell_bullet: ParagraphStyle
    bullet: ParagraphStyle
    step: ParagraphStyle
    caption: ParagraphStyle


@functools.lru_cache(maxsize=32)  # the same styles for the same look: parsed paragraphs can be reused (para.py)
def build_styles(look: Look, sizes: Sizes, palette: Palette, fonts: FontSet) -> Styles:
    lead = look.leading
    after = sizes.body * look.space.paragraph
    before = sizes.body * look.space.section

    def style(name: str, size: float, *, bold: bool = False, colour=None, **extra) -> ParagraphStyle:
        settings = {
            "fontName": fonts.bold if bold else fonts.regular,
            "fontSize": size,
            "leading": round(size * lead, 1),
            "textColor": colour or palette.text,
            "alignment": TA_LEFT,
            "splitLongWords": 1,  # a 60-letter "word" wraps instead of running off the page
            "allowWidows": 0,
            "allowOrphans": 0,
            "bulletFontName": fonts.regular,
            "bulletFontSize": size,
        }
        return ParagraphStyle(name, **{**settings, **extra})

    body = style("body", sizes.body, spaceAfter=after)
    # a hanging indent wide enough for "10." keeps wrapped lines under the text, not under the number
    indent = sizes.body * 1.9
    return Styles(
        body=body,
        body_bold=style("body_bold", sizes.body, bold=True, spaceAfter=after),
        title=style("title", sizes.title, bold=True, colour=palette.brand_text, leading=round(sizes.title * 1.2, 1),
                    spaceAfter=sizes.body * 0.5),
        heading=style("heading", sizes.heading, bold=True, colour=palette.brand_text,
                      leading=round(sizes.heading * 1.25, 1), spaceBefore=before, spaceAfter=after * 1.4,
                      keepWithNext=1),
        subheading=style("subheading", sizes.subheading, bold=True, spaceBefore=after * 1.2, spaceAfter=after * 0.6,
                         leading=round(sizes.subheading * 1.3, 1), keepWithNext=1),
        box_heading=style("box_heading", sizes.subheading, bold=True, spaceAfter=after * 0.6,
                          leading=round(sizes.subheading * 1.3, 1)),
        card_title=style("card_title", sizes.card_title, bold=True, colour=palette.on_brand_text,
                         leading=round(sizes.card_title * 1.25, 1)),
        cell=style("cell", sizes.table, spaceAfter=2),
        cell_bold=style("cell_bold", sizes.table, bold=True),
        cell_head=style("cell_head", sizes.table, bold=True, colour=palette.on_brand_text),
        cell_head_center=style("cell_head_center", sizes.table, bold=True, colour=palette.on_brand_text,
                               alignment=TA_CENTER),
        cell_center=style("cell_center", sizes.table, alignment=TA_CENTER),
        cell_bullet=style("cell_bullet", sizes.table, leftIndent=sizes.table * 1.1, bulletIndent=0,
                          spaceAfter=2),
        bullet=style("bullet", sizes.body, leftIndent=indent * 0.8, bulletIndent=indent * 0.15,
                     spaceAfter=after * 0.6),
        step=style("step", sizes.body, leftIndent=indent, bulletIndent=0, spaceAfter=after * 0.6,
                   bulletFontName=fonts.bold),
        caption=style("caption", sizes.table, alignment=TA_CENTER, colour=palette.muted),
    )


_DERIVED: OrderedDict[tuple, ParagraphStyle] = OrderedDict()
_DERIVED_MAX = 2048
_LOCK = threading.Lock()


def derived(base: ParagraphStyle, name: str, **changes) -> ParagraphStyle:
    """``base.clone(name, **changes)``, the same object for the same base and changes in every handout: the
    parsed and broken paragraphs (para.py) and the right-to-left variants (bidi.py) are kept per style object, so
    a style made afresh for each handout would make each of them afresh too. The key holds the base itself, so
    its address cannot be reused by another style while the derived one is kept."""
    key = (base, name, tuple(sorted(changes.items())))
    with _LOCK:
        found = _DERIVED.get(key)
        if found is not None:
            _DERIVED.move_to_end(key)
            return found
    made = base.clone(name, **changes)
    with _LOCK:
        made = _DERIVED.setdefault(key, made)
        if len(_DERIVED) > _DERIVED_MAX:
            _DERIVED.popitem(last=False)
    return made
