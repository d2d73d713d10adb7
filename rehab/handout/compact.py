"""The compact layout: page 1 is the whole fridge sheet, then the exercise cards two or three to a page, then
the week plan, the diary and the education topics, flowing on without empty half pages.

Everything printed comes from the HandoutContent (rehab/handout_content); this module only places it. Text in
tables and cards is the table size on a tighter line height (12 on 14 pt in normal print, the typographers'
floor in clinical/reference.md §9), so the fridge sheet fits one page.
"""

from __future__ import annotations

import functools
import io

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, Spacer, TableStyle

from ..handout_content.model import Card, HandoutContent, Section
from .bilingual import first_half, join, joined, second, text_width
from .blocks import (
    BoxesFirstWhenNoRoom,
    Flowables,
    LeavePageOne,
    Tight,
    UnderItsName,
    box,
    heading,
    plain_table,
    spaced,
)
from .cards import Picture
from .cards import picture as picture_of
from .context import Handout
from .frame import page_heights
from .fridge import _qr, fridge_body, fridge_head, fridge_sheet, help_is_whole
from .para import Paragraph
from .plan import week_plan
from .styles import derived
from .table import Table
from .words import w


def compact_story(h: Handout, c: HandoutContent) -> Flowables:
    t = Tight(h, 0 if h.large_print else 1)  # 11 pt on 13 in normal print: three cards to a page
    story = [*fitted_fridge_sheet(h, c), LeavePageOne(), *cards(h, c, t), *plan_and_sections(h, c, t)]
    return story + education(h, c, t)


def fitted_fridge_sheet(h: Handout, c: HandoutContent) -> Flowables:
    """The fridge sheet at 11 pt when it fits page 1 whole, else at 10.5 or 10 pt (a long program, many weeks):
    the whole sheet on one page matters more on a fridge than the half point. Large print: 16 pt, on as many
    pages as it needs."""
    if h.large_print:
        return fridge_sheet(h, c, Tight(h))
    room = page_one_height(h)
    options = ((1, True), (1.5, True), (2, True), (2, False))
    for smaller, beside in options:
        t = Tight(h, smaller)
        head = fridge_head(h, c, t, beside)
        if stacked_height(head, h.frame_width) + _body_height(h, c, smaller) <= room:
            return head + fridge_body(h, c, t)
    return head + fridge_body(h, c, t)


_BODY_HEIGHTS: dict = {}  # the fridge body's height by its content (no patient data) and text size


def _body_height(h: Handout, c: HandoutContent, smaller: float) -> float:
    """Measured once for a program's exercises, weeks and a clinic's help box: handout after handout of the
    same program (a new version, another patient) skips the building and measuring."""
    key = (c.kinds, c.calendar, c.pain, c.help, h.frame_width, h.look, smaller)
    height = _BODY_HEIGHTS.get(key)
    if height is None:
        if len(_BODY_HEIGHTS) > 1024:
            _BODY_HEIGHTS.clear()
        body = fridge_body(h, c, Tight(h, smaller))
        height = _BODY_HEIGHTS[key] = stacked_height(body, h.frame_width) + body[0].getSpaceBefore()
    return height


def page_one_height(h: Handout) -> float:
    room = page_heights(h)
    page = h.look.page
    return h.pagesize[1] - page.margin_top - room.first_header - page.margin_bottom - room.footer


@functools.cache
def _measuring_canvas() -> Canvas:
    """One canvas for measuring only (KeepTogether wants one to wrap on; nothing is ever drawn on it): making
    one is a third of a millisecond, and the compact layout measured about 30 times a handout."""
    return Canvas(io.BytesIO())


def stacked_height(story: Flowables, width: float) -> float:
    """How tall the flowables are one under the other (the first one's space above is dropped at a page top)."""
    canvas = _measuring_canvas()
    total = 0.0
    for n, flowable in enumerate(story):
        height = flowable.wrapOn(canvas, width, 1e6)[1]
        if isinstance(flowable, KeepTogether):  # it says "too tall" to force a split; its content's height
            height = flowable._H
        total += height + flowable.getSpaceAfter()
        total += flowable.getSpaceBefore() if n else 0
    return total


def placed_height(story: Flowables, width: float) -> float:
    """How much of a page the flowables take from its top, as platypus places them: the first one's space above
    dropped, the larger of one's space below and the next one's space above between them, the last one's space
    below not needed."""
    canvas = _measuring_canvas()
    total, after = 0.0, None
    for flowable in story:
        height = flowable.wrapOn(canvas, width, 1e6)[1]
        if isinstance(flowable, KeepTogether):
            height = flowable._H
        total += height + (0 if after is None else max(after, flowable.getSpaceBefore()))
        after = flowable.getSpaceAfter()
    return total


# --- cards ----------------------------------------------------------------------------------------------------


def cards(h: Handout, c: HandoutContent, t: Tight, page_after: bool = False) -> Flowables:
    """The cards as tight as they stay readable (three to a page in normal print), each kept whole.
    ``page_after``: what follows the last card starts a new page (the booklet's week plan), so a last card
    alone on its page grows like any other (LoneCard)."""
    opening = [heading(h, c.cards_heading), *drawing_key(h, t), _rules_box(h, c.cards_rules, t)]
    story: Flowables = []
    every = [card_flowables(h, card, t) for card in c.cards]
    for n, (card, parts) in enumerate(zip(c.cards, every, strict=True)):
        if card.number == 1 and (h.large_print or second() is not None):  # a large or two-language card rarely
            story.append(KeepTogether(opening))  # fits under them: they may end a page
        elif card.number == 1:  # the heading, the key and the shared rules never stand alone at a page's foot
            parts = [*opening, *parts]
        if second() is not None:  # two languages: the advice and the note may start the next page, under the
            head = len(parts) - len(card_flowables_tail(card))  # card's name again: never away from it
            story.extend([KeepTogether(parts[:head]), *(UnderItsName(name_bar(h, card, t), p) for p in parts[head:])])
        elif h.large_print and (n + 1 < len(every) or page_after):
            following = every[n + 1] if n + 1 < len(every) else [Spacer(1, h.pagesize[1])]
            story.append(LoneCard(parts, following, functools.partial(card_flowables, h, card, t)))
        else:
            story.append(KeepTogether(parts))
    return story


class LoneCard(KeepTogether):
    """A large-print card that starts a page where the next card will not fit below it: alone on its page, it
    gets a bigger drawing (as the booklet's cards do), the biggest that keeps the card within most of the page;
    so no page with a short card alone is left more than half empty, and a reader with low vision sees the
    movement larger wherever there is room."""

    SCALES = (2.6, 2.2, 1.8, 1.4)  # the drawing's size against the one it has beside another card
    FULL = 0.85  # of the page, at most

    def __init__(self, parts: Flowables, following: Flowables, remake):
        super().__init__(parts)
        self._following, self._remake = following, remake

    def split(self, avail_width, avail_height):
        frame = getattr(self, "_frame", None)
        height = placed_height(self._content, avail_width)
        # it starts a page: at the top of this one, or on the next because it does not fit here
        if frame is not None and self._remake is not None and (getattr(frame, "_atTop", 0) or height > avail_height):
            if placed_height([*self._content, *self._following], avail_width) > frame._height:
                # the drawing's own shape first; a taller box (the figure keeps its shape inside it) when the card
                # would still leave half of the page empty
                for keep_shape in (True, False):
                    for scale in self.SCALES:
                        bigger = self._remake(picture_scale=scale, keep_shape=keep_shape)
                        if placed_height(bigger, avail_width) <= frame._height * self.FULL:
                            self._content = bigger
                            break
                    if placed_height(self._content, avail_width) >= frame._height * 0.55:
                        break
                self._wrapInfo = None
            self._remake = None  # decided once
        return super().split(avail_width, avail_height)


def name_bar(h: Handout, card: Card, t: Tight) -> Table:
    """The card's number and name on the brand colour, as its title bar prints them, in the handout's language
    alone (one line: the name in both languages is on the card's head, a page before)."""
    title = t.lines([(f"{card.number}.\u00a0\u00a0{first_half(card.name)}", True)], t.title)
    return Table([[title]], colWidths=[h.frame_width], hAlign="LEFT", style=TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), h.palette.brand_text), ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))


def card_flowables_tail(card: Card) -> range:
    """Which of ``card_flowables``' parts follow the card's head (title, strip, picture and steps): the advice
    boxes, and the physio's note when there is one."""
    return range(2 if card.note else 1)


def drawing_key(h: Handout, t: Tight) -> Flowables:
    """How to read the drawings, once in the handout, above the first card; nothing when it has no drawing."""
    if h.drawing_for is None:
        return []
    from ..illustrations import KEY_TITLE, key_drawing
    from ..words import p_

    key = key_drawing(h.frame_width, h.palette.brand, font=h.fonts.regular, size=t.cell.fontSize,
                      color=h.palette.text)
    return [t.lines([(p_("drawing_key", KEY_TITLE), True)]), spaced(Picture(key), 1), Spacer(1, 4)]


def _opening_sections(h: Handout, c: HandoutContent, t: Tight) -> Flowables:
    """What this stage is for and what you need: side by side in normal print, where both are a few lines."""
    sections = [(s, bg, border) for s, bg, border in ((c.purpose, h.palette.brand_tint, h.palette.brand),
                                                       (c.equipment, h.palette.page, h.palette.rule)) if s]
    if len(sections) < 2 or h.large_print or second() is not None:  # two languages: each box fills a gap alone
        return [_section_box(h, s, t, bg, border) for s, bg, border in sections]
    gap, first_w = 8, h.frame_width * 0.62
    boxes = [_section_box(h, s, t, bg, border, keep=False, width=w) for (s, bg, border), w in
             zip(sections, (first_w, h.frame_width - first_w - gap), strict=True)]
    row = plain_table([[boxes[0], "", boxes[1]]], [first_w, gap, h.frame_width - first_w - gap],
                      extra=[("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0)])
    return [spaced(row, 8)]


def _rules_box(h: Handout, rules: Section, t: Tight) -> Flowable:
    text = [Paragraph(f"<b>{h.safe(joined('{}.', rules.heading))}</b> {h.safe(rules.paragraphs[0])}", t.cell),
            *(h.lines([(p, False)], "cell_bullet", bullet="•") for p in rules.points)]
    flowable = box(h, [[text]], [h.frame_width], background=h.palette.green_tint, border=h.palette.green)
    flowable.spaceAfter = 2
    return flowable


def card_flowables(h: Handout, card: Card, t: Tight, picture_scale: float = 1, keep_shape: bool = True) -> Flowables:
    """A tight grid: the title bar; a strip with the one-line summary and the dose, side and how often; the
    captioned picture at the left with "Take care" under it, the numbered steps beside it; then "Feels easy"
    and "If it hurts" side by side. The form tips are left to the booklet; the cautions stay (safety)."""
    pal = h.palette
    title = t.lines([(f"{card.number}.\u00a0\u00a0{card.name}", True)], t.title)
    dose = t.lines([(joined("{}. {}.", card.dose, card.often), True), (f" {card.rest}", False)], inline=True)
    strip_rows = [[dose]]
    if card.summary:
        strip_rows.insert(0, [t.lines([(card.summary, False)])])
    if card.later:
        strip_rows.append([Paragraph(h.safe(w("later_note")), t.bold)])
    if h.large_print:  # the drawing beside the summary and dose, the steps across the whole width below
        bar = spaced(Table([[title]], colWidths=[h.frame_width], hAlign="LEFT", style=TableStyle([
            ("BACKGROUND", (0, 0), (-1, -1), pal.brand_text), ("LEFTPADDING", (0, 0), (-1, -1), 6),
            ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)])),
            h.look.space.card_gap * 0.35)
        parts = [bar, *_large_top(h, card, t, strip_rows, picture_scale, keep_shape), *_large_steps(h, card, t),
                 _advice(h, card, t)]
    else:  # the bar and the strip as one table: the same rows, one table less to build, measure and draw
        top = Table([[title], *strip_rows], colWidths=[h.frame_width], hAlign="LEFT", style=TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), pal.brand_text), ("BACKGROUND", (0, 1), (-1, -1), pal.brand_tint),
            ("LEFTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, 0), 2),
            ("BOTTOMPADDING", (0, 0), (-1, 0), 4), ("TOPPADDING", (0, 1), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 1), (-1, -1), 0), ("BOTTOMPADDING", (0, -1), (-1, -1), 3),
            ("LINEBELOW", (0, -1), (-1, -1), 1.2, pal.brand)]))
        top.spaceBefore = h.look.space.card_gap * 0.35
        parts = [top, *_body(h, card, t), _advice(h, card, t)]
    if card.note:  # a bordered paragraph, not a table cell: a 5,000-character note breaks across pages
        note = derived(t.cell, "tight_note", borderWidth=0.8, borderColor=pal.rule, borderPadding=(3, 5, 4, 5),
                            spaceBefore=8, leftIndent=5, rightIndent=5)
        parts.append(Paragraph(f"<b>{h.safe(joined('{}:', w('item_note')))}</b> {h.safe(card.note)}", note))
    return parts


_PW, _PH = 0.25, 0.45  # the drawing at most a quarter of the width, 63 pt tall (plus its captions)
_PW_ALONE = 0.45  # a bigger drawing, for a card alone on its page, leaves the summary and dose over half the width


def _large_top(h: Handout, card: Card, t: Tight, strip_rows: list, scale: float = 1,
               keep_shape: bool = True) -> Flowables:
    """Large print: the summary and the dose on the brand tint at the left, the drawing at the right of them,
    so the steps below get the whole width (fewer, longer lines: two large cards fit one page). ``scale``: a
    bigger drawing, for a card alone on its page."""
    pal = h.palette
    width, height = h.frame_width * _PW, h.sizes.illustration_height * _PH
    picture = picture_of(h, card.exercise_id, width, height, card.load)
    if picture is not None and scale != 1:  # as much bigger as the width allows, keeping the drawing's shape
        w1, h1 = picture.wrap(width, height)
        width = h.frame_width * min(_PW * scale, _PW_ALONE)
        tall = min(height * scale, width * h1 / max(w1, 1)) if keep_shape else height * scale
        picture = picture_of(h, card.exercise_id, width, tall, card.load)
    pic_w = picture.wrap(h.frame_width, 1e6)[0] if picture is not None else 0
    strip_style = [("BACKGROUND", (0, 0), (0, -1), pal.brand_tint), ("LEFTPADDING", (0, 0), (-1, -1), 6),
                   ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                   ("BOTTOMPADDING", (0, -1), (-1, -1), 3), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    if picture is None:
        strip = Table(strip_rows, colWidths=[h.frame_width], hAlign="LEFT", style=TableStyle(
            [*strip_style, ("LINEBELOW", (0, -1), (-1, -1), 1.2, pal.brand)]))
        return [strip]
    text_w = h.frame_width - pic_w - 8
    # the text in one cell: when the drawing is the taller, the room is left below the dose, not between lines
    text = [row[0] for row in strip_rows]
    strip = Table([[text, picture]], colWidths=[text_w, pic_w + 8], hAlign="LEFT", style=TableStyle([
        *strip_style, ("ALIGN", (1, 0), (1, -1), "RIGHT"), ("RIGHTPADDING", (1, 0), (1, -1), 0),
        ("LINEBELOW", (0, -1), (-1, -1), 1.2, pal.brand)]))
    return [strip]


def _large_steps(h: Handout, card: Card, t: Tight) -> Flowables:
    steps = [_step(h, n, text, t) for n, text in enumerate(card.steps, start=1)]
    for step in steps:  # the hanging numbers part the steps; two cards share an A4 page more often
        step.spaceAfter = 0
    care = [spaced(_run_in(h, w("cautions"), card.cautions, t), 2)] if card.cautions else []
    return [spaced(s, 2) if n == 0 else s for n, s in enumerate([*steps, *care])]


def _body(h: Handout, card: Card, t: Tight) -> Flowables:
    """The picture in the left third, the steps in the rest; "Take care" under the picture or under the steps,
    whichever makes the card shorter."""
    gap = 8
    left_w = h.frame_width * (0.36 if h.large_print else 0.32)
    height = h.sizes.illustration_height * (0.7 if h.large_print else 0.56)
    picture = picture_of(h, card.exercise_id, left_w, height, card.load)

    def care(before: float) -> list[Flowable]:
        return [spaced(_run_in(h, w("cautions"), card.cautions, t), before)] if card.cautions else []

    def steps() -> Flowables:
        return [_step(h, n, text, t) for n, text in enumerate(card.steps, start=1)]

    if not picture:
        return [spaced(s, 4) if n == 0 else s for n, s in enumerate([*steps(), *care(3)])]
    widths = [left_w, gap, h.frame_width - left_w - gap]
    extra = [("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 4)]
    left, right = [picture, *care(3)], steps()
    if card.cautions:  # under the steps instead, when that column then stays shorter than the picture's
        side, under = stacked_height(left[1:], left_w) + 3, stacked_height(care(4), widths[2]) + 4
        picture_h, steps_h = picture.wrap(left_w, 1e6)[1], stacked_height(right, widths[2])
        if max(picture_h, steps_h + under) < max(picture_h + side, steps_h):
            left, right = [picture], [*right, *care(4)]
    table = plain_table([[left, "", right]], widths, extra=extra)
    if table.wrap(h.frame_width, 1e6)[1] > h.pagesize[1] * 0.45:  # long custom text: one column, may break
        return [picture, *care(3), *steps()]
    return [table]


def _run_in(h: Handout, label: str, sentences, t: Tight) -> Flowable:
    """"Take care: one. Two." as one paragraph: a few short sentences need no list of their own."""
    return t.lines([(joined("{}:", label), True), (" " + join(" ", sentences), False)], inline=True)


def _step(h: Handout, n: int, text: str, t: Tight) -> Flowable:
    return t.lines([(text, False)], t.step, f"{n}.")


def _advice(h: Handout, card: Card, t: Tight) -> Flowable:
    """"Feels easy?" and "Hurts?" side by side, each on its colour; the wider side for the longer text."""
    pal = h.palette
    easy = t.lines([(w("easy_short"), True), (f" {card.easy.short}", False)], inline=True)
    hurts = t.lines([(w("hurts_short"), True), (f" {card.hurts.short}", False)], inline=True)
    longer = len(card.hurts.short) / max(1, len(card.easy.short) + len(card.hurts.short))
    easy_w = h.frame_width * min(0.5, max(0.3, 1 - longer))
    if h.large_print:  # few words a line at 16 pt: the split that makes the taller box the shortest
        pad = 2 * h.look.space.cell_padding + 8  # box() pads each side with cell_padding + 4
        easy_w = min((h.frame_width * share for share in (0.3, 0.34, 0.38, 0.42, 0.46, 0.5)),
                     key=lambda width: max(easy.wrap(width - pad, 1e6)[1],
                                           hurts.wrap(h.frame_width - width - pad, 1e6)[1]))
    extra = [("BACKGROUND", (0, 0), (0, 0), pal.green_tint), ("BACKGROUND", (1, 0), (1, 0), pal.amber_tint),
             ("LINEAFTER", (0, 0), (0, 0), 2, pal.page), ("TOPPADDING", (0, 0), (-1, -1), 2),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    return box(h, [[easy, hurts]], [easy_w, h.frame_width - easy_w], background=pal.page, border=pal.rule,
               extra=extra, space_before=2 if h.large_print else 4)


# --- after the cards ------------------------------------------------------------------------------------------


def _section_box(h: Handout, section: Section, t: Tight, background, border, keep: bool = True,
                 width: float | None = None) -> Flowable:
    parts: Flowables = [Paragraph(h.safe(section.heading), t.box_heading)]
    parts += [Paragraph(h.safe(p), t.cell) for p in section.paragraphs]
    parts += [h.lines([(p, False)], "cell_bullet", bullet="•") for p in section.points]
    return box(h, [[parts]], [width or h.frame_width], background=background, border=border, keep=keep,
               space_before=0 if width else 8)


def plan_and_sections(h: Handout, c: HandoutContent, t: Tight) -> Flowables:
    """The week plan, then what the stage is for, what you need and when it ends (large print: the first two
    before the plan, under the last card). The table may break between rows
    (never leaving fewer than three on a page); a heading always keeps its text below it. The pain diary is the
    booklet's: the compact handout is the short one (issue 12), and the fridge calendar is its daily record."""
    if h.large_print:  # what the stage is for and what you need fill what the last card leaves, where the plan's
        story = _opening_sections(h, c, t) + week_plan(h, c.plan, t)  # heading and first rows rarely fit
    elif second() is not None:  # two languages: the boxes fill the page the plan's first rows do not fit
        story = [BoxesFirstWhenNoRoom(week_plan(h, c.plan, t), _opening_sections(h, c, t))]
    else:
        story = week_plan(h, c.plan, t) + _opening_sections(h, c, t)  # the short boxes fill what the plan leaves
    if c.next_stage is not None:
        story.append(_section_box(h, c.next_stage, t, h.palette.green_tint, h.palette.green))
    return story


def booklet_sections(h: Handout, c: HandoutContent) -> Flowables:
    """What the stage is for, when it ends and what you need, after the booklet's week plan."""
    t = Tight(h)
    sections = ((c.purpose, h.palette.brand_tint, h.palette.brand), (c.next_stage, h.palette.green_tint,
                h.palette.green), (c.equipment, h.palette.page, h.palette.rule))
    return [_section_box(h, s, t, bg, border) for s, bg, border in sections if s is not None]


def education(h: Handout, c: HandoutContent, t: Tight) -> Flowables:
    """The short version: each topic's title and first paragraph, but for what page 1 already says (the pain
    traffic light, and every warning sign when it printed them whole). The booklet prints every paragraph and
    point. The QR code to the clinic's website stands beside the last topic (or the physio's last note), not on a
    line of its own."""
    story: Flowables = []
    whole = help_is_whole(c.help)
    # the warning-signs topic only points back to page 1 when page 1 printed every sign whole: left out then
    topics = [topic for topic in c.education if not topic.on_page_one
              and not (whole and topic.points and topic.points == c.help.source_points)]
    for n, topic in enumerate(topics):
        head: Flowables = [Paragraph(h.safe(topic.title), t.box_heading), Paragraph(h.safe(topic.paragraphs[0]),
                                                                                   t.body)]
        if n == 0:
            head.insert(0, heading(h, c.education_heading))
        signs = topic.points == c.help.source_points and not whole
        points = [t.lines([(p, False)], t.bullet, bullet="•") for p in topic.points] if signs else []
        story.append(KeepTogether(head + points[:2]))  # a title never ends a page, nor a list start alone
        story += points[2:]
    if c.notes:
        story.append(KeepTogether([heading(h, c.notes_heading), h.text(c.notes[0])]))
        story += [h.text(p) for p in c.notes[1:]]
    qr = _qr(h)
    if qr is None:
        return story
    qr.hAlign = "LEFT"
    code = [qr, Paragraph(w("qr_caption"), t.cell)]
    last = story[-1] if story else None
    if isinstance(last, KeepTogether) and stacked_height(last._content, h.frame_width) < h.pagesize[1] / 5:
        # beside the last few lines: [title, paragraph] (or a heading with them) on the left, the code right
        code_w = max(h.sizes.qr_size, text_width(w("qr_caption"), t.cell.fontName, t.cell.fontSize) + 2)
        row = plain_table([[list(last._content), "", code]], [h.frame_width - code_w - 8, 8, code_w],
                          extra=[("RIGHTPADDING", (0, 0), (-1, -1), 0)])
        return [*story[:-1], spaced(row, last._content[0].getSpaceBefore())]
    return [*story, spaced(KeepTogether(code), 12)]
