"""Right-to-left handouts and right-to-left names, for reportlab: shaped letters and mirrored layout.

Arabic letters take their joined forms and their right-to-left order two ways. Lines drawn on the canvas
(header, footer) are shaped by reportlab's shaping support (uharfbuzz), word by word, and put in order here
(``visual_shaped``). Paragraphs cannot be: reportlab 5.1 shapes their words but leaves them in logical order (its
bidi sort is switched off for shaped text), so a paragraph's Arabic letters are given their joined forms as
Unicode presentation forms (arabic-reshaper, MIT) and reportlab's own right-to-left layout orders them, through
``rlbidi`` (python-bidi, see rehab/words/rtl.py). A paragraph in a right-to-left handout is aligned to the
right and wrapped right to left; a paragraph of a left-to-right handout that holds a right-to-left name keeps its
layout and only orders that name. Tables of a right-to-left handout are mirrored: the first column on the right.
Text without right-to-left letters in a left-to-right handout takes none of this work.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from ..words import current_language

RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_STYLES: dict[tuple[int, object], tuple[ParagraphStyle, ParagraphStyle]] = {}
_LAID_OUT: OrderedDict[tuple, ParagraphStyle] = OrderedDict()  # (text, style, right to left): the style to use
_LOCK = threading.Lock()


def document_is_right_to_left() -> bool:
    return current_language().right_to_left


def has_right_to_left(text: str) -> bool:
    return bool(RIGHT_TO_LEFT.search(text))


def bidi_style(style: ParagraphStyle, right_to_left: bool) -> ParagraphStyle:
    """``style`` shaped and ordered: mirrored (right aligned, indents swapped) for a right-to-left document."""
    if getattr(style, "wordWrap", None) in ("RTL", "LTR"):
        return style  # already laid out for its direction
    key = (id(style), right_to_left)
    with _LOCK:
        found = _STYLES.get(key)
    if found is not None and found[0] is style:
        return found[1]
    variant = ParagraphStyle(f"{style.name}-{'rtl' if right_to_left else 'bidi'}", parent=style)
    variant.wordWrap = "RTL" if right_to_left else "LTR"
    if right_to_left:
        variant.alignment = {TA_LEFT: TA_RIGHT, TA_RIGHT: TA_LEFT}.get(style.alignment, style.alignment)
        variant.leftIndent, variant.rightIndent = style.rightIndent, style.leftIndent
    with _LOCK:
        _STYLES[key] = (style, variant)  # the style itself is kept, so its id cannot be reused by another
    return variant


def paragraph_style(text: str, style: ParagraphStyle | None) -> ParagraphStyle | None:
    """The style a paragraph of ``text`` is laid out with in the language being written: in Noto Sans Arabic
    when all its letters are Arabic (and the font is installed)."""
    if style is None:
        return None
    if document_is_right_to_left():
        return _laid_out(text, style, True)
    return _laid_out(text, style, False) if has_right_to_left(text) else style


def _laid_out(text: str, style: ParagraphStyle, right_to_left: bool) -> ParagraphStyle:
    key = (text, style, right_to_left)  # the style itself in the key: its address cannot be reused meanwhile
    with _LOCK:
        found = _LAID_OUT.get(key)
        if found is not None:
            _LAID_OUT.move_to_end(key)
            return found
    found = _in_arabic_font(bidi_style(style, right_to_left), text)
    with _LOCK:
        _LAID_OUT[key] = found
        if len(_LAID_OUT) > 8192:
            _LAID_OUT.popitem(last=False)
    return found


_TAG = re.compile(r"<[^>]*>")


def _in_arabic_font(style: ParagraphStyle, text: str) -> ParagraphStyle:
    from xml.sax.saxutils import unescape

    from .fonts import arabic_fonts

    fonts = arabic_fonts()
    if fonts is None or not _drawable_in(unescape(_TAG.sub(" ", text)), fonts.glyphs):
        return style
    key = (id(style), "arabic")
    with _LOCK:
        found = _STYLES.get(key)
    if found is not None and found[0] is style:
        return found[1]
    bold = "Bold" in style.fontName
    variant = ParagraphStyle(f"{style.name}-arabic", parent=style,
                             fontName=fonts.bold if bold else fonts.regular)
    with _LOCK:
        _STYLES[key] = (style, variant)
    return variant


@functools.lru_cache(maxsize=8192)
def _drawable_in(plain: str, glyphs) -> bool:
    """Whether ``plain`` holds right-to-left letters and the Arabic font has a glyph for each of its letters."""
    return has_right_to_left(plain) and all(ord(ch) in glyphs or ch.isspace() for ch in reshaped(plain))


_INLINE_STYLE = re.compile(r"</?(?:b|i|u|strong|em|font)(?:\s[^>]*)?>", re.IGNORECASE)


_PHONE = re.compile(r"\+?\d[\d ]{5,}\d")


def numbers_kept_together(text: str) -> str:
    """A phone number's digit groups joined by no-break spaces: one left-to-right word, which right-to-left
    order would otherwise turn around group by group ("+44 20 7946 0958" as "0958 7946 20 +44")."""
    return _PHONE.sub(lambda m: m.group(0).replace(" ", "\u00a0"), text)


@functools.lru_cache(maxsize=8192)  # the same cells and steps come back in every right-to-left handout
def bidi_markup(text: str) -> str:
    """Paragraph markup for a shaped, ordered paragraph: Arabic letters in their joined forms (Unicode
    presentation forms, arabic-reshaper), without inline style changes (bold, colour), whose fragments
    reportlab's right-to-left layout joins without the space between them; line breaks stay."""
    plain = numbers_kept_together(_INLINE_STYLE.sub("", text))
    return reshaped(plain) if has_right_to_left(plain) else plain


@functools.lru_cache(maxsize=8192)  # the library's sentences come back in every Arabic handout
def reshaped(text: str) -> str:
    import arabic_reshaper

    return arabic_reshaper.reshape(text)


def _first_strong_is_left_to_right(text: str) -> bool:
    for ch in text:
        if RIGHT_TO_LEFT.match(ch):
            return False
        if ch.isalpha():
            return True
    return False


def kept_left_to_right(text: str) -> str:
    """In a right-to-left handout, a name or note that starts in a left-to-right script is embedded as one
    left-to-right run (LRE … PDF), so its own punctuation stays where it was typed: "O'Brien & <Sons>", not
    "<O'Brien & <Sons". Elsewhere the text as it is."""
    if text and document_is_right_to_left() and _first_strong_is_left_to_right(text):
        return f"\u202a{text}\u202c"
    return text


def merged_frags(frags: list) -> list:
    """Neighbouring fragments of one style as one: reportlab's parser splits "&amp;", "&lt;" into fragments of
    their own, and its right-to-left layout of several fragments loses the spaces between them."""
    out: list = []
    for frag in frags:
        last = out[-1] if out else None
        if (last is not None and _plain(frag) and _plain(last)
                and {k: v for k, v in last.__dict__.items() if k != "text"}
                == {k: v for k, v in frag.__dict__.items() if k != "text"}):
            last.text += frag.text
            continue
        out.append(frag)
    return out


def _plain(frag) -> bool:
    return hasattr(frag, "text") and not any(hasattr(frag, k) for k in ("cbDefn", "lineBreak", "_selfClosingTag"))


def canvas_direction(text: str) -> str | None:
    """"RTL" or "LTR" for a string drawn on the canvas that needs shaping and ordering; None when it does not."""
    if document_is_right_to_left():
        return "RTL"
    return "LTR" if has_right_to_left(text) else None


@functools.lru_cache(maxsize=4096)  # the footer and the calendar's labels come back on every page
def visual_shaped(text: str, direction: str, font_name: str, font_size: float) -> str:
    """One line for the canvas: its words in visual order, each shaped. reportlab's own canvas path takes the
    word order the wrong way round when left-to-right words sit in right-to-left text (a clinic's English note
    in an Arabic footer); its paragraphs get it right, and this follows them."""
    from reportlab.pdfbase.ttfonts import shapeStr
    from reportlab.pdfgen.textobject import bidiWordList

    words = numbers_kept_together(text).split(" ")
    words = [word for word in words if word]
    if not words:
        return text
    visual_index = bidiWordList(words, direction=direction, wx=True)  # the visual place of each logical word
    if len(visual_index) != len(words):
        return text
    order = sorted(range(len(words)), key=visual_index.__getitem__)
    line = shapeStr(words[order[0]], font_name, font_size, force=True)
    for index in order[1:]:
        line += shapeStr(" ", font_name, font_size, force=True)
        line += shapeStr(words[index], font_name, font_size, force=True)
    return line


@functools.lru_cache(maxsize=4096)
def canvas_text(text: str, direction: str, font_name: str, font_size: float) -> str:
    """``visual_shaped`` for drawing on the canvas: a plain string of the same glyphs when shaping moved none of
    them (no offsets, each advance the glyph's own width), which reportlab writes with the same operators
    without its pass over each glyph's position; the shaped string otherwise."""
    shaped = visual_shaped(text, direction, font_name, font_size)
    data = getattr(shaped, "__shapeData__", None)
    if data is None or len(data) != len(shaped):
        return shaped
    if any(d.x_offset or d.y_offset or d.width != d.x_advance for d in data):
        return shaped
    return str(shaped)


# --- mirrored tables ----------------------------------------------------------------------------------------

_SWAPPED = {"LINEBEFORE": "LINEAFTER", "LINEAFTER": "LINEBEFORE", "LEFTPADDING": "RIGHTPADDING",
            "RIGHTPADDING": "LEFTPADDING"}
_ALIGN = {"LEFT": "RIGHT", "RIGHT": "LEFT"}


def mirrored_command(command: tuple, columns: int) -> tuple:
    """One TableStyle command for the table with its columns in reverse order."""
    try:
        return _mirrored_command(command, columns)
    except TypeError:  # a command holding something unhashable: worked out afresh
        return _mirrored_command.__wrapped__(command, columns)


@functools.lru_cache(maxsize=4096)  # every table of every Arabic handout has the same few commands
def _mirrored_command(command: tuple, columns: int) -> tuple:
    name, (c0, r0), (c1, r1), *rest = command
    a, b = (c0 if c0 >= 0 else columns + c0), (c1 if c1 >= 0 else columns + c1)
    a, b = columns - 1 - a, columns - 1 - b
    if name.upper() in ("ALIGN", "ALIGNMENT") and rest:
        rest = [_ALIGN.get(str(rest[0]).upper(), rest[0]), *rest[1:]]
    return (_SWAPPED.get(name.upper(), name), (min(a, b), r0), (max(a, b), r1), *rest)


def right_to_left_loaded() -> bool:
    """Whether reportlab loaded with right-to-left support (rehab.words.rtl installs it before reportlab loads)."""
    from reportlab.pdfgen import textobject

    return bool(textobject.rtlSupport)
