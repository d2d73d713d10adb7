"""The booklet: one card per exercise, one card a page: picture, dose, steps, tips, cautions, and what to do when it
feels easy or when it hurts."""

from __future__ import annotations

import functools

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, Spacer, TableStyle

from ..handout_content.model import Card, HandoutContent
from ..words import current_language
from .blocks import Flowables, Tight, box, bullets, heading, numbered
from .context import Handout
from .frame import page_heights
from .para import Paragraph
from .photo import Photo
from .table import Table
from .words import w


def exercise_cards(h: Handout, content: HandoutContent) -> Flowables:
    """The booklet's cards: big enough that one fills most of a page; two short ones may share one."""
    from .compact import drawing_key

    room = page_heights(h)  # the header and footer grow with long clinic details
    page = h.pagesize[1] - h.look.page.margin_top - room.header - h.look.page.margin_bottom - room.footer
    opening = [heading(h, content.cards_heading), *drawing_key(h, Tight(h))]  # the key once, above card 1
    chosen: list[tuple[Flowables, Flowables, bool]] = []  # (head, rest, compact) per card
    for model in content.cards:
        head, rest = card(h, model)
        first = opening if model.number == 1 else []
        tall = _height(h, [*first, *head, *rest])
        compact = False
        if tall > page * 0.97:  # a smaller picture, or else the compact card: never a card over two pages
            smaller = h.sizes.illustration_height - (tall - page * 0.95)
            # the first card also carries the heading and the drawing key: its picture may shrink further
            if smaller >= h.sizes.illustration_height * (0.4 if model.number == 1 else 0.6):
                head, rest = card(h, model, smaller)
            else:
                head, rest, compact = card_flowables(h, model, Tight(h)), [], True
        elif tall < page * 0.55:  # one card a page: a short card gets a bigger picture, not half a page of white
            bigger = h.sizes.illustration_height + min(page * 0.56 - tall, h.sizes.illustration_height)
            head, rest = card(h, model, bigger)
        chosen.append((head, rest, compact))
    _pair_short_cards(h, content, chosen, page, opening)
    story: Flowables = []
    for model, (head, rest, _) in zip(content.cards, chosen, strict=True):
        if model.number == 1:  # the section heading and the key never stand alone at the foot of a page
            head[:0] = opening
        story.append(KeepCard(head, rest))
    return story


def card_flowables(h: Handout, model: Card, t: Tight) -> Flowables:
    from .compact import card_flowables as compact_card  # the compact card, for a card too tall for its own page

    return compact_card(h, model, t)


def _pair_short_cards(h: Handout, content: HandoutContent, chosen: list, page: float, opening: Flowables) -> None:
    """A compact card (a booklet card too tall for a page) is short: alone it would leave half a page white, and
    the booklet card after it does not fit below it. Cards are placed page by page as platypus will place them;
    where a page would hold only compact cards and be less than 55 % full, the next card becomes a compact card
    too when it then fits on that page."""
    def height(n: int, parts: Flowables) -> float:
        return _height(h, [*(opening if n == 0 else []), *parts])

    heights = [height(n, [*head, *rest]) for n, (head, rest, _) in enumerate(chosen)]
    changed = True
    while changed:
        changed = False
        pages: list[list[int]] = []
        room = 0.0
        for n, tall in enumerate(heights):
            if not pages or tall > room:
                pages.append([])
                room = page
            pages[-1].append(n)
            room -= tall
        for cards_on, after in zip(pages, pages[1:], strict=False):
            used = sum(heights[n] for n in cards_on)
            if used >= page * 0.55 or not all(chosen[n][2] for n in cards_on):
                continue
            nxt = after[0]
            partner = card_flowables(h, content.cards[nxt], Tight(h))
            if chosen[nxt][2] or used + height(nxt, partner) > page * 0.97:
                continue
            chosen[nxt] = (partner, [], True)
            heights[nxt] = height(nxt, partner)
            changed = True
            break


def _height(h: Handout, flowables: Flowables) -> float:
    return sum(f.wrap(h.frame_width, 1e6)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)


class KeepCard(KeepTogether):
    """KeepTogether, except that a card taller than a whole page (large print) flows on from where it is,
    instead of first leaving a half-empty page it could not fit on anyway; its head still stays together."""

    def __init__(self, head: Flowables, rest: Flowables):
        super().__init__([*head, *rest])
        self._head, self._rest = head, rest

    def split(self, avail_width, avail_height):
        if getattr(self, "_wrapInfo", None) != (avail_width, avail_height):
            self.wrap(avail_width, avail_height)
        frame = getattr(self, "_frame", None)
        if frame is not None and frame._height < self._H:  # the parts go back on the list, the head kept whole
            return [self.NullActionFlowable(), KeepTogether(self._head), *self._rest]
        return super().split(avail_width, avail_height)


def card(h: Handout, model: Card, picture_height: float | None = None) -> tuple[Flowables, Flowables]:
    """(head, rest): the head (title, dose, picture and steps) is never split; a card taller than a page (large
    print) may break after it, so the boxes that follow name the exercise themselves."""
    title = _title_bar(h, model)
    title.spaceBefore = h.look.space.card_gap  # dropped at the top of a page, unlike a Spacer
    head: Flowables = [title, _dose_strip(h, model)]
    picture = _picture(h, model.exercise_id, picture_height, model.load)
    if picture is not None:
        head += [Spacer(1, 6), picture]
    how = [heading(h, w("steps"), "subheading"), *numbered(h, model.steps)]
    tips = [heading(h, w("cues"), "subheading"), *bullets(h, model.tips)]
    if model.cautions:
        tips += [heading(h, w("cautions"), "subheading"), *bullets(h, model.cautions)]
    body = _side_by_side(h, how, tips)
    side_by_side = len(body) == 1
    head += body if side_by_side else how
    rest: Flowables = [] if side_by_side else tips
    rest += [Spacer(1, h.styles.body.fontSize * 0.6), *_easy_and_hurts(h, model)]
    if model.note:
        rest += [heading(h, w("item_note"), "subheading"), h.text(model.note)]
    return head, rest


def _side_by_side(h: Handout, left: Flowables, right: Flowables) -> Flowables:
    """Steps beside tips in normal print, saving a third of a page per card. One column in large print, or
    when long custom text would make the pair taller than half a page (a table row cannot break)."""
    gap = 14
    left_w = (h.frame_width - gap) * 0.57
    right_w = h.frame_width - gap - left_w
    if h.large_print or _too_tall(h, left, left_w) or _too_tall(h, right, right_w):
        return [*left, *right]
    style = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])
    return [Table([[left, "", right]], colWidths=[left_w, gap, right_w], style=style, hAlign="LEFT")]


def _too_tall(h: Handout, flowables: Flowables, width: float) -> bool:
    """Taller than half a page? Measured only when the text is long enough to possibly be."""
    limit = h.pagesize[1] * 0.45
    chars_per_line = width / (h.sizes.body * 0.45)  # narrowest plausible average glyph
    chars = sum(len(getattr(f, "text", "")) + chars_per_line for f in flowables)  # each paragraph: one line more
    if chars / chars_per_line * h.styles.body.leading * 1.3 < limit:
        return False
    total = sum(f.wrap(width, 1e6)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)
    return total > limit


def _title_bar(h: Handout, model: Card) -> Table:
    title = h.lines([(f"{model.number}.\u00a0\u00a0{model.name}", True)], "card_title")
    pad = h.look.space.cell_padding
    style = TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), h.palette.brand_text),
        ("LEFTPADDING", (0, 0), (-1, -1), pad + 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad + 4),
        ("TOPPADDING", (0, 0), (-1, -1), pad + 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 3),
    ])
    return Table([[title]], colWidths=[h.frame_width], style=style, hAlign="LEFT")


def _dose_strip(h: Handout, model: Card) -> Table:
    rows = [[h.lines([(w("how_much"), True)]), h.lines([(model.dose, True), (model.rest, False)])],
            [h.lines([(w("how_often"), True)]), h.lines([(model.often, False)])]]
    if model.summary:
        rows.insert(0, [h.lines([(model.summary, False)]), ""])
    if model.later:
        rows.append([h.lines([(w("later_note"), True)]), ""])
    label_w = h.sizes.table * 7.2
    pad = h.look.space.cell_padding
    style = [
        ("BACKGROUND", (0, 0), (-1, -1), h.palette.brand_tint),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad + 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, 0), pad + 1),
        ("BOTTOMPADDING", (0, -1), (-1, -1), pad + 2),
        ("LINEBELOW", (0, -1), (-1, -1), 1.5, h.palette.brand),
    ]
    if model.summary:
        style.append(("SPAN", (0, 0), (-1, 0)))
    if model.later:
        style.append(("SPAN", (0, -1), (-1, -1)))
    return Table(rows, colWidths=[label_w, h.frame_width - label_w], style=TableStyle(style), hAlign="LEFT")


def _picture(h: Handout, exercise_id: str, height: float | None = None, load: str | None = None) -> Flowable | None:
    """Our drawing of a built-in exercise, or the clinic's photo of its own exercise; None when there is neither."""
    return picture(h, exercise_id, h.frame_width, height or h.sizes.illustration_height, load)


def picture(h: Handout, exercise_id: str, width: float, height: float, load: str | None,
            captions: bool = True) -> Flowable | None:
    """The exercise's photo or drawing fitted in width × height; the drawing's frames captioned (Start, Move,
    Hold…) in the handout's font, at the card's text size, unless ``captions`` is off (a fridge-sheet row)."""
    photo = h.photos.get(exercise_id)
    if photo is not None:
        return Photo(photo, width, height, h.grayscale)
    if h.drawing_for is None:
        return None
    font, size = (h.fonts.regular, caption_size(h)) if captions else (None, 0.0)
    drawing = _drawing(h.drawing_for, exercise_id, width, height, h.palette.brand.hexval(), load, font, size,
                       current_language())
    if drawing is None:
        return None
    if drawing.width > width + 0.01 or drawing.height > height + 0.01:
        scale = min(width / drawing.width, height / drawing.height)  # never trust a size to fit the page
        drawing = drawing.copy()  # the cached one stays as it was made
        drawing.scale(scale, scale)
        drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
    return Picture(drawing)


def caption_size(h: Handout) -> float:
    """Captions are labels of one word: 11 pt in normal print (the compact card text), 16 pt in large print."""
    return h.sizes.table if h.large_print else h.sizes.table - 1


class Picture(Flowable):
    """Draws a shared Drawing on this handout's canvas without setting anything on the Drawing itself, so two
    handouts rendered at the same time in two threads cannot draw on each other's canvas."""

    def __init__(self, drawing: Drawing):
        super().__init__()
        self.drawing = drawing
        self.hAlign = "CENTER"

    def wrap(self, avail_width, avail_height):
        return self.drawing.width, self.drawing.height

    def draw(self):
        if getattr(self.drawing, "draw_on", None) is not None:  # exercise figures write their paths directly
            canv = self.canv
            canv.saveState()
            canv.addLiteral(_operators(self.drawing, getattr(canv, "_enforceColorSpace", None)))
            self.drawing.draw_captions(canv)
            canv.restoreState()
        else:
            renderPDF.draw(self.drawing, self.canv, 0, 0)


@functools.lru_cache(maxsize=512)
def _operators(drawing: Drawing, convert) -> str:
    """A cached drawing's PDF operators, written once per colour mode: the same figure comes back on the
    fridge sheet, on its card, and in handout after handout."""
    from importlib import import_module

    return import_module("rehab.illustrations.pdfops").pdf_operators(drawing, convert)


@functools.lru_cache(maxsize=256)
def _drawing(drawing_for, exercise_id: str, width: float, height: float, accent: str, load: str | None,
             caption_font: str | None, caption_size: float, language: str = "en") -> Drawing | None:
    """Building a drawing costs more than drawing it, and the same exercise comes back in handout after handout;
    platypus only reads a Drawing, so one can serve every handout (the key holds all that changes it: the
    ``language`` its captions are written in, too)."""
    kw = {"caption_font": caption_font, "caption_size": caption_size} if caption_font else {}
    drawing = drawing_for(exercise_id, width, height, accent=colors.HexColor(accent), load=load, **kw)
    if drawing is None:
        return None
    if not isinstance(drawing, Drawing):
        raise TypeError(f"rehab.illustrations.drawing_for returned {type(drawing).__name__}, not a Drawing")
    return drawing


def _easy_and_hurts(h: Handout, model: Card) -> Flowables:
    name = h.safe(model.name)
    easy_title, hurts_title = (
        (w("easy_heading_named", name=name), w("hurts_heading_named", name=name)) if h.large_print
        else (h.safe(model.easy.heading), h.safe(model.hurts.heading))
    )
    easy = [Paragraph(easy_title, h.styles.box_heading), Paragraph(h.safe(model.easy.lead), h.styles.cell),
            *bullets(h, model.easy.points, "cell_bullet"), *(h.text(x, "cell") for x in model.easy.then)]
    hurts = [Paragraph(hurts_title, h.styles.box_heading), Paragraph(h.safe(model.hurts.lead), h.styles.cell_bold),
             *(h.text(x, "cell") for x in model.hurts.then)]
    pal = h.palette
    if h.large_print:
        hurts_box = box(h, [[hurts]], [h.frame_width], background=pal.amber_tint, border=pal.amber)
        hurts_box.spaceBefore = 8
        return [box(h, [[easy]], [h.frame_width], background=pal.green_tint, border=pal.green), hurts_box]
    gap = 10
    half = (h.frame_width - gap) / 2
    extra = [("BACKGROUND", (0, 0), (0, 0), pal.green_tint), ("BACKGROUND", (2, 0), (2, 0), pal.amber_tint),
             ("BOX", (0, 0), (0, 0), 1.4, pal.green), ("BOX", (2, 0), (2, 0), 1.4, pal.amber),
             ("BACKGROUND", (1, 0), (1, 0), pal.page), ("LEFTPADDING", (1, 0), (1, 0), 0),
             ("RIGHTPADDING", (1, 0), (1, 0), 0), ("BOX", (1, 0), (1, 0), 0, pal.page)]
    return [box(h, [[easy, "", hurts]], [half, gap, half], background=pal.page, border=pal.page, extra=extra)]
