"""The compact layout: page 1 is the whole fridge sheet, then the exercise cards two or three to a page, then
the week plan, the diary and the education topics, flowing on without empty half pages.

Everything printed comes from the HandoutContent (rehab/handout_content); this module only places it. Text in
tables and cards is the table size on a tighter line height (12 on 14 pt in normal print, the typographers'
floor in clinical/reference.md §9), so the fridge sheet fits one page.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Spacer, TableStyle

from ..handout_content.model import Card, HandoutContent, Section
from .blocks import Flowables, LeavePageOne, Tight, box, heading, plain_table, spaced
from .context import Handout
from .fridge import _qr, fridge_sheet, thumbnail
from .para import Paragraph
from .plan import diary, week_plan
from .table import Table
from .words import w


def compact_story(h: Handout, c: HandoutContent) -> Flowables:
    t = Tight(h)
    fridge = Tight(h, 0 if h.large_print else 2)
    story = [*fridge_sheet(h, c, fridge), LeavePageOne(), *cards(h, c, t), *plan_and_diary(h, c, t)]
    return story + education(h, c, t)


# --- cards ----------------------------------------------------------------------------------------------------


def cards(h: Handout, c: HandoutContent, t: Tight) -> Flowables:
    """The cards as tight as they stay readable, each kept whole."""
    rules = _rules_box(h, c.cards_rules, t)
    story: Flowables = []
    for card in c.cards:
        parts = card_flowables(h, card, t)
        if card.number == 1 and h.large_print:  # a large card rarely fits under them: they may end a page
            story.append(KeepTogether([heading(h, c.cards_heading), rules]))
        elif card.number == 1:  # the section heading and the shared rules never stand alone at the foot of a page
            parts = [heading(h, c.cards_heading), rules, *parts]
        story.append(KeepTogether(parts))
    return story


def _opening_sections(h: Handout, c: HandoutContent, t: Tight) -> Flowables:
    """What this stage is for and what you need."""
    sections = ((c.purpose, h.palette.brand_tint, h.palette.brand), (c.equipment, h.palette.page, h.palette.rule))
    return [_section_box(h, s, t, bg, border) for s, bg, border in sections if s is not None]


def _rules_box(h: Handout, rules: Section, t: Tight) -> Flowable:
    text = [Paragraph(f"<b>{h.safe(rules.heading)}.</b> {h.safe(rules.paragraphs[0])}", t.cell),
            *(h.lines([(p, False)], "cell_bullet", bullet="•") for p in rules.points)]
    flowable = box(h, [[text]], [h.frame_width], background=h.palette.green_tint, border=h.palette.green)
    flowable.spaceAfter = 4
    return flowable


def card_flowables(h: Handout, card: Card, t: Tight) -> Flowables:
    pal = h.palette
    pad = h.look.space.cell_padding
    title = h.lines([(f"{card.number}.\u00a0\u00a0{card.name}", True)], "card_title")
    bar = Table([[title]], colWidths=[h.frame_width], hAlign="LEFT", style=TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), pal.brand_text), ("LEFTPADDING", (0, 0), (-1, -1), pad + 3),
        ("TOPPADDING", (0, 0), (-1, -1), pad - 1), ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 1)]))
    bar.spaceBefore = h.look.space.card_gap * 0.6
    dose = f"<b>{h.safe(card.dose)}.</b>" + (f" {h.safe(card.rest)}" if card.rest else "")
    dose += f" <b>{h.safe(card.often)}.</b>"
    strip_rows = [[Paragraph(dose, t.cell)]]
    if card.summary:
        strip_rows.insert(0, [Paragraph(h.safe(card.summary), t.cell)])
    if card.later:
        strip_rows.append([Paragraph(h.safe(w("later_note")), t.bold)])
    strip = Table(strip_rows, colWidths=[h.frame_width], hAlign="LEFT", style=TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), pal.brand_tint), ("LEFTPADDING", (0, 0), (-1, -1), pad + 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, -1), (-1, -1), pad), ("LINEBELOW", (0, -1), (-1, -1), 1.2, pal.brand)]))
    body = _large_body(h, card, t) if h.large_print else _body(h, card, t)
    advice = _advice(h, card, t)
    parts: Flowables = [bar, strip, *body, advice]
    if card.note:
        parts.append(box(h, [[Paragraph(f"<b>{h.safe(w('item_note'))}:</b> {h.safe(card.note)}", t.cell)]],
                         [h.frame_width], background=pal.page, border=pal.rule, space_before=4))
    return parts


def _tips(h: Handout, card: Card, t: Tight) -> Flowables:
    tips = [spaced(_run_in(h, w("cues"), card.tips, t), 3)]
    if card.cautions:
        tips.append(_run_in(h, w("cautions"), card.cautions, t))
    return tips


def _large_body(h: Handout, card: Card, t: Tight) -> Flowables:
    picture = thumbnail(h, card.exercise_id, h.frame_width * 0.6, h.sizes.illustration_height * 0.8)
    steps = [_step(h, n, text, t) for n, text in enumerate(card.steps, start=1)]
    return ([picture, Spacer(1, 4)] if picture else []) + steps + _tips(h, card, t)


def _body(h: Handout, card: Card, t: Tight) -> Flowables:
    """The picture with the tips under it on the left, the steps on the right: the widths that make the two
    columns most even, so the card is as short as it can be."""
    gap = 10

    def columns(share: float) -> tuple[float, Table]:
        left_w = h.frame_width * share
        picture = thumbnail(h, card.exercise_id, left_w, h.sizes.illustration_height * 0.6)
        left = ([picture, Spacer(1, 2)] if picture else []) + _tips(h, card, t)
        steps = [_step(h, n, text, t) for n, text in enumerate(card.steps, start=1)]
        table = plain_table([[left, "", steps]], [left_w, gap, h.frame_width - left_w - gap],
                            extra=[("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 6)])
        return table.wrap(h.frame_width, 1e6)[1], table

    # exercise text only (never the patient's note): the cache holds no patient data
    key = (card.exercise_id, card.steps, card.tips, card.cautions, h.frame_width, h.sizes.table,
           card.exercise_id in h.photos)
    best = _BEST_SHARE.get(key)
    if best is None:  # the same card comes back in handout after handout: measure its three splits once
        best = _BEST_SHARE[key] = min((0.3, 0.36, 0.42), key=lambda share: columns(share)[0])
        if len(_BEST_SHARE) > 4096:
            _BEST_SHARE.clear()
    height, table = columns(best)
    if height > h.pagesize[1] * 0.45:  # long custom text: one column that may break between paragraphs
        return _large_body(h, card, t)
    return [table]


_BEST_SHARE: dict = {}  # the best picture-column share of a card, by its exercise text and page width


def _run_in(h: Handout, label: str, sentences, t: Tight) -> Flowable:
    """"Tips: one. Two." as one paragraph: a few short sentences need no list of their own."""
    return Paragraph(f"<b>{h.safe(label)}:</b> " + " ".join(h.safe(x) for x in sentences), t.cell)


def _step(h: Handout, n: int, text: str, t: Tight) -> Flowable:
    return t.lines([(text, False)], t.step, f"{n}.")


def _advice(h: Handout, card: Card, t: Tight) -> Flowable:
    pal = h.palette
    easy = Paragraph(f"<b>{h.safe(w('easy_short'))}</b> {h.safe(card.easy.short)}", t.cell)
    hurts = Paragraph(f"<b>{h.safe(w('hurts_short'))}</b> {h.safe(card.hurts.short)}", t.cell)
    if h.large_print:
        rows, widths = [[easy], [hurts]], [h.frame_width]
        extra = [("BACKGROUND", (0, 0), (0, 0), pal.green_tint), ("BACKGROUND", (0, 1), (0, 1), pal.amber_tint),
                 ("LINEBELOW", (0, 0), (0, 0), 1.4, pal.page)]
    else:
        easy_w = h.frame_width * 0.4  # "if it hurts" says more: the wider side
        rows, widths = [[easy, hurts]], [easy_w, h.frame_width - easy_w]
        extra = [("BACKGROUND", (0, 0), (0, 0), pal.green_tint), ("BACKGROUND", (1, 0), (1, 0), pal.amber_tint),
                 ("LINEAFTER", (0, 0), (0, 0), 2, pal.page)]
    flowable = box(h, rows, widths, background=pal.page, border=pal.rule, extra=extra)
    flowable.spaceBefore = 5
    return flowable




# --- after the cards ------------------------------------------------------------------------------------------


def _section_box(h: Handout, section: Section, t: Tight, background, border, keep: bool = True) -> Flowable:
    parts: Flowables = [Paragraph(h.safe(section.heading), t.box_heading)]
    parts += [Paragraph(h.safe(p), t.cell) for p in section.paragraphs]
    parts += [h.lines([(p, False)], "cell_bullet", bullet="•") for p in section.points]
    return box(h, [[parts]], [h.frame_width], background=background, border=border, keep=keep, space_before=8)


def plan_and_diary(h: Handout, c: HandoutContent, t: Tight) -> Flowables:
    """The week plan, what the stage is for and when it ends, what you need, and the diary. Tables may break
    between rows (never leaving fewer than three on a page); a heading always keeps its text below it."""
    story = _opening_sections(h, c, t)  # they fill the page the last card leaves
    if c.next_stage is not None:
        story.append(_section_box(h, c.next_stage, t, h.palette.green_tint, h.palette.green))
    return story + week_plan(h, c.plan) + diary(h, c.diary)


def booklet_sections(h: Handout, c: HandoutContent) -> Flowables:
    """What the stage is for, when it ends and what you need, after the booklet's week plan."""
    t = Tight(h)
    sections = ((c.purpose, h.palette.brand_tint, h.palette.brand), (c.next_stage, h.palette.green_tint,
                h.palette.green), (c.equipment, h.palette.page, h.palette.rule))
    return [_section_box(h, s, t, bg, border) for s, bg, border in sections if s is not None]


def education(h: Handout, c: HandoutContent, t: Tight) -> Flowables:
    """The short version: each topic's title and first paragraph; the red-flag topic whole, since page 1 gives
    only the first sentence of each sign. The booklet prints every paragraph and point."""
    story: Flowables = []
    for n, topic in enumerate(c.education):
        whole = topic.points and topic.points == c.help.source_points
        head: Flowables = [heading(h, topic.title, "subheading"), h.text(topic.paragraphs[0])]
        if n == 0:
            head.insert(0, heading(h, c.education_heading))
        points = [h.lines([(p, False)], "bullet", bullet="•") for p in topic.points] if whole else []
        story.append(KeepTogether(head + points[:2]))  # a title never ends a page, nor a list start alone
        story += points[2:]
    if c.notes:
        story.append(KeepTogether([heading(h, c.notes_heading), h.text(c.notes[0])]))
        story += [h.text(p) for p in c.notes[1:]]
    qr = _qr(h)
    if qr is not None:
        qr.hAlign = "LEFT"
        story.append(spaced(KeepTogether([qr, Paragraph(w("qr_caption"), t.cell)]), 12))
    return story
