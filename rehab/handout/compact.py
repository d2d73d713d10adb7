"""The compact layout: page 1 is the whole fridge sheet, then the exercise cards two or three to a page, then
the week plan, the diary and the education topics, flowing on without empty half pages.

Everything printed comes from the HandoutContent (rehab/handout_content); this module only places it. Text in
tables and cards is the table size on a tighter line height (12 on 14 pt in normal print, the typographers'
floor in clinical/reference.md §9), so the fridge sheet fits one page.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Spacer, TableStyle

from ..handout_content.model import Card, HandoutContent, HelpBox, PainLight, Section
from .blocks import Flowables, LeavePageOne, box, grid, heading
from .cards import Picture, _drawing
from .context import Handout
from .fridge import TickBoxCalendar, _on, _qr
from .lines import Lines
from .para import Paragraph
from .photo import Photo
from .plan import diary_table, plan_tables
from .table import Table
from .text import drawable
from .words import w


class Tight:
    """Styles on a line height of 7/6 of the font size (12 on 14 pt): the table size for cards, one point less
    on the fridge sheet in normal print, where a whole program has to fit one page."""

    def __init__(self, h: Handout, smaller: float = 0):
        s, size = h.styles, h.sizes.table - smaller
        lead = round(size * 7 / 6, 1)

        def like(base: ParagraphStyle, name: str, **extra) -> ParagraphStyle:
            return base.clone(f"tight_{name}", fontSize=size, leading=lead, spaceBefore=0, **extra)

        self.cell = like(s.cell, "cell", spaceAfter=1)
        self.bold = like(s.cell_bold, "bold", spaceAfter=1)
        self.head = like(s.cell_head, "head")
        self.head_center = like(s.cell_head_center, "head_center")
        self.bullet = like(s.cell_bullet, "bullet", spaceAfter=2)
        self.step = like(s.step, "step", leftIndent=size * 1.6, bulletIndent=0, bulletFontSize=size, spaceAfter=2)
        self.box_heading = s.box_heading.clone("tight_box_heading", spaceBefore=0, spaceAfter=3,
                                               fontSize=h.sizes.subheading - smaller * 1.5,
                                               leading=round((h.sizes.subheading - smaller * 1.5) * 1.2, 1))
        self.leading = lead


def compact_story(h: Handout, c: HandoutContent) -> Flowables:
    t = Tight(h)
    fridge = Tight(h, 0 if h.large_print else 2)
    story = [*fridge_sheet(h, c, fridge), LeavePageOne(), *cards(h, c, t), *plan_and_diary(h, c, t)]
    return story + education(h, c, t)


# --- page 1 ---------------------------------------------------------------------------------------------------


def fridge_sheet(h: Handout, c: HandoutContent, t: Tight) -> Flowables:
    title_size = h.sizes.title if h.large_print else h.sizes.card_title
    title = Paragraph(h.safe(c.title), h.styles.title.clone("fridge_title", spaceAfter=0, fontSize=title_size,
                                                            leading=round(title_size * 1.2, 1)))
    condition = Paragraph(h.safe(c.condition), t.bold.clone("fridge_condition", spaceBefore=2, spaceAfter=2,
                                                            fontSize=t.bold.fontSize + 1))
    if h.large_print:  # the date prepared is in every page's footer
        story: Flowables = [title, condition, _who(h, c, t)]
    else:  # who and when beside the title, where the title's short lines leave room
        who_w = h.frame_width * 0.38
        story = [_plain_table([[[title, condition], _who(h, c, t, who_w)]], [h.frame_width - who_w, who_w],
                              extra=[("BOTTOMPADDING", (0, 0), (-1, -1), 4)])]
    story.append(_exercise_table(h, c, t))
    story += [_spaced(_calendar(h, c, t), 5), _spaced(_pain_and_help(h, c, t), 6)]
    return story


def _spaced(flowable: Flowable, before: float) -> Flowable:
    flowable.spaceBefore = before  # dropped at the top of a page, unlike a Spacer
    return flowable


def _plain_table(rows, widths, extra=()) -> Table:
    style = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 1),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 1), *extra])
    return Table(rows, colWidths=list(widths), style=style, hAlign="LEFT")


def _who(h: Handout, c: HandoutContent, t: Tight, width: float | None = None) -> Table:
    pairs = list(c.who)
    label_w = max(stringWidth(p.label, h.fonts.bold, t.cell.fontSize) for p in pairs) + 8
    if h.large_print or width is not None:
        rows = [[Paragraph(h.safe(p.label), t.bold), Paragraph(h.safe(p.value), t.cell)] for p in pairs]
        return _plain_table(rows, [label_w, (width or h.frame_width) - label_w],
                            extra=[("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])
    left = h.frame_width * 0.5
    rows = []
    for i in range(0, len(pairs), 2):
        row = []
        for p in pairs[i:i + 2]:
            row += [Paragraph(h.safe(p.label), t.bold), Paragraph(h.safe(p.value), t.cell)]
        rows.append(row + [""] * (4 - len(row)))
    return _plain_table(rows, [label_w, left - label_w, label_w, h.frame_width - left - label_w])


def thumbnail(h: Handout, exercise_id: str, width: float, height: float) -> Flowable | None:
    """The card's picture, scaled down for a table row."""
    photo = h.photos.get(exercise_id)
    if photo is not None:
        return Photo(photo, width, height, h.grayscale)
    if h.drawing_for is None:
        return None
    drawing = _drawing(h.drawing_for, exercise_id, width, height, h.palette.brand.hexval())
    return None if drawing is None else Picture(drawing)


def _exercise_table(h: Handout, c: HandoutContent, t: Tight) -> Table:
    pad = 2 * (h.look.space.cell_padding + 1)
    num_w = stringWidth(str(len(c.cards)), h.fonts.bold, t.cell.fontSize) + pad + 2
    thumb_w, thumb_h = (42, 15) if not h.large_print else (72, 32)
    rest = h.frame_width - num_w - thumb_w - pad
    rows: list[list] = []
    extra: list[tuple] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                          ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                          ("LEFTPADDING", (1, 0), (1, -1), 2), ("RIGHTPADDING", (1, 0), (1, -1), 2)]
    for kind in c.kinds:
        r = len(rows)
        label = f"<b>{h.safe(kind.label)}: {h.safe(kind.often.lower())}.</b> {h.safe(kind.minutes_text)}"
        rows.append([Paragraph(label, t.head), "", "", ""])
        extra += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), h.palette.brand_text),
                  ("TOPPADDING", (0, r), (-1, r), 3), ("BOTTOMPADDING", (0, r), (-1, r), 3)]
        for row in kind.rows:
            picture = thumbnail(h, row.exercise_id, thumb_w - 4, thumb_h)
            rows.append([h.lines([(str(row.card), True)], "cell"), picture or "",
                         Paragraph(f"<b>{h.safe(row.name)}</b>", t.cell), Paragraph(h.safe(row.dose), t.cell)])
    widths = [num_w, thumb_w, rest * 0.38, rest * 0.62 + pad]
    return grid(h, rows, widths, header=False, stripes=False, extra=extra)


def _calendar(h: Handout, c: HandoutContent, t: Tight) -> Flowable:
    """One table: the kinds of day down the left, then two weeks side by side (one in large print), each week
    a dated label and seven days of tick boxes, one row per kind, so strength days and daily stretches are
    ticked apart. The day names head the table once."""
    cal = c.calendar
    per_line = 1 if h.large_print or len(cal.weeks) == 1 else 2
    kinds = list(cal.kinds)
    kind_w = max(stringWidth(k, h.fonts.regular, t.cell.fontSize) for k in kinds) + 8
    week_w = max(max(stringWidth(week.label, h.fonts.bold, t.cell.fontSize),
                     stringWidth(week.value, h.fonts.regular, t.cell.fontSize)) for week in cal.weeks) + 8
    day_w = (h.frame_width - kind_w - week_w * per_line) / (7 * per_line)
    box_size = min(h.sizes.tick_box * (0.62 if not h.large_print else 0.8), day_w - 8)
    row_h = box_size + 3
    day_style = t.head_center.clone("tight_day", fontName=h.fonts.regular, splitLongWords=0)
    pal = h.palette
    head: list = [""]
    for _ in range(per_line):
        head += [""] + [Paragraph(d, day_style) for d in cal.weekdays]
    rows: list[list] = [head]
    extra: list[tuple] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 1),
                          ("BOTTOMPADDING", (0, 0), (-1, -1), 2), ("LEFTPADDING", (0, 0), (-1, -1), 3),
                          ("RIGHTPADDING", (0, 0), (-1, -1), 1), ("BACKGROUND", (0, 0), (-1, 0), pal.brand_text),
                          ("LEFTPADDING", (1, 0), (-1, 0), 0), ("RIGHTPADDING", (1, 0), (-1, 0), 0),
                          ("BACKGROUND", (0, 1), (0, -1), pal.brand_tint)]
    for first in range(0, len(cal.weeks), per_line):
        weeks = cal.weeks[first:first + per_line]
        top = len(rows)
        for n, kind in enumerate(kinds):
            row: list = [Paragraph(h.safe(kind), t.cell)]
            for week in weeks:
                label = (Paragraph(f"<b>{h.safe(week.label)}</b><br/>{h.safe(week.value)}", t.cell) if n == 0
                         else "")
                row += [label] + [""] * 7
            rows.append(row + [""] * (len(head) - len(row)))
        bottom = len(rows) - 1
        extra.append(("LINEABOVE", (0, top), (-1, top), 1.2, pal.rule))
        for i in range(len(weeks)):
            col = 1 + 8 * i
            extra += [("SPAN", (col, top), (col, bottom)), ("VALIGN", (col, top), (col, top), "TOP"),
                      ("BACKGROUND", (col, top), (col, bottom), pal.brand_tint),
                      ("INNERGRID", (col + 1, top), (col + 7, bottom), 0.5, pal.light_rule),
                      ("LINEBEFORE", (col, top), (col, bottom), 1.2, pal.rule)]
    heights = [None] + [max(row_h, (2 * t.leading + 4) / len(kinds))] * (len(rows) - 1)
    cls = type("WeekCalendar", (TickBoxCalendar,), {"box_size": box_size, "box_colour": pal.text,
                                                    "first_tick": 2, "first_row": 1, "skip_every": 8})
    table = grid(h, rows, [kind_w] + ([week_w] + [day_w] * 7) * per_line, header=False, stripes=False,
                 heights=heights, extra=extra, cls=cls)
    advice = " ".join(h.safe(k.advice) for k in c.kinds if k.advice)
    heading_line = Paragraph(f"<b>{h.safe(cal.heading)}.</b> {advice}", t.cell.clone("tight_cal_head", spaceAfter=3))
    return KeepTogether([heading_line, table])


def _pain_and_help(h: Handout, c: HandoutContent, t: Tight) -> Flowable:
    """The traffic light beside the help box in normal print (side by side they take least room); one under the
    other in large print."""
    if h.large_print:
        return KeepTogether([_pain(h, c.pain, t, h.frame_width), _spaced(_help(h, c.help, t, h.frame_width), 8)])
    gap = 8

    def height(flowable: Flowable, width: float) -> float:
        return flowable.wrap(width, 1e6)[1]

    def taller(share: float) -> float:
        pain_w = h.frame_width * share
        help_w = h.frame_width - pain_w - gap
        return max(height(_pain(h, c.pain, t, pain_w), pain_w), height(_help(h, c.help, t, help_w, False), help_w))

    share = min((0.3, 0.34, 0.38, 0.42, 0.46), key=taller)  # the split where the taller box is least tall
    pain_w = h.frame_width * share
    help_w = h.frame_width - pain_w - gap
    style = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])
    return Table([[_pain(h, c.pain, t, pain_w), "", _help(h, c.help, t, help_w, keep=False)]],
                 colWidths=[pain_w, gap, help_w], style=style, hAlign="LEFT")


def _pain_strip(h: Handout, pain: PainLight, t: Tight) -> Flowable:
    """The traffic light across the page: the three zones side by side, as on a real traffic light's legend."""
    if h.large_print:
        return _pain(h, pain, t, h.frame_width)
    pal = h.palette
    colours = {"green": (pal.green, pal.green_tint), "amber": (pal.amber, pal.amber_tint),
               "red": (pal.red, pal.red_tint)}
    heads, texts, extra = [], [], []
    for col, zone in enumerate(pain.zones):
        colour, tint = colours[zone.colour]
        style = t.bold.clone(f"tight_strip_{zone.colour}", textColor=_on(colour, h))
        heads.append(Paragraph(f"{h.safe(zone.name)}: {h.safe(zone.numbers)}", style))
        texts.append(Paragraph(h.safe(zone.text), t.cell))
        extra += [("BACKGROUND", (col, 1), (col, 1), colour), ("BACKGROUND", (col, 2), (col, 2), tint),
                  ("LINEAFTER", (col, 1), (col, 2), 2, pal.page)]
    rows = [[Paragraph(f"<b>{h.safe(pain.heading)}</b> {h.safe(pain.intro)}", t.cell), "", ""], heads, texts,
            [Paragraph(h.safe(pain.settle), t.cell), "", ""]]
    extra += [("SPAN", (0, 0), (-1, 0)), ("SPAN", (0, 3), (-1, 3)), ("TOPPADDING", (0, 1), (-1, 2), 2),
              ("BOTTOMPADDING", (0, 1), (-1, 2), 3), ("TOPPADDING", (0, 3), (-1, 3), 4)]
    third = h.frame_width / 3
    return box(h, rows, [third] * 3, background=pal.page, border=pal.rule, extra=extra)


def _pain(h: Handout, pain: PainLight, t: Tight, width: float) -> Flowable:
    pal = h.palette
    colours = {"green": (pal.green, pal.green_tint), "amber": (pal.amber, pal.amber_tint),
               "red": (pal.red, pal.red_tint)}
    rows = [[Paragraph(h.safe(pain.heading), t.box_heading)], [Paragraph(h.safe(pain.intro), t.cell)]]
    extra: list[tuple] = []
    for zone in pain.zones:
        colour, tint = colours[zone.colour]
        r = len(rows)
        # one row per zone: its name, numbers and advice on the zone's tint behind a bar of its colour
        rows.append([Paragraph(f"<b>{h.safe(zone.name)}: {h.safe(zone.numbers)}.</b> {h.safe(zone.text)}", t.cell)])
        extra += [("BACKGROUND", (0, r), (0, r), tint), ("LINEBEFORE", (0, r), (0, r), 7, colour),
                  ("LINEBELOW", (0, r), (0, r), 1.5, pal.page),
                  ("TOPPADDING", (0, r), (0, r), 3), ("BOTTOMPADDING", (0, r), (0, r), 3)]
    rows.append([Paragraph(h.safe(pain.settle), t.cell)])
    extra += [("TOPPADDING", (0, -1), (0, -1), 5)]
    return box(h, rows, [width], background=pal.page, border=pal.rule, extra=extra)


def _help(h: Handout, help_box: HelpBox, t: Tight, width: float, keep: bool = True) -> Flowable:
    """Each group as one run-in paragraph of first sentences ("Get urgent care now if: … • …"): the full
    list, with the reasons, is on the education page "When should I call you?"."""
    pal = h.palette
    rows: list[list] = [[Paragraph(h.safe(help_box.heading), t.box_heading)]]
    for group in help_box.groups:
        points = " \u2022 ".join(h.safe(_first_sentence(p)) for p in group.points)
        lead = f"<b>{h.safe(group.lead)}:</b> " if group.lead else ""
        rows.append([Paragraph(lead + points, t.cell)])
    contacts = Paragraph("<br/>".join(f"<b>{h.safe(line)}</b>" for line in help_box.contacts), t.bold)
    rows.append([contacts])  # the website's QR code is on the last page, where it takes no room from the sheet
    return box(h, rows, [width], background=pal.red_tint, border=pal.red, keep=keep,
               extra=[("TOPPADDING", (0, -1), (-1, -1), 5)])


def _first_sentence(text: str) -> str:
    head, dot, rest = text.partition(". ")
    return head + "." if dot and rest else text.rstrip(".") + "."


# --- cards ----------------------------------------------------------------------------------------------------


def cards(h: Handout, c: HandoutContent, t: Tight) -> Flowables:
    rules = _rules_box(h, c.cards_rules, t)
    story: Flowables = []
    for card in c.cards:
        parts = card_flowables(h, card, t)
        if card.number == 1:  # the section heading and the shared rules never stand alone at the foot of a page
            parts = [heading(h, c.cards_heading), rules, *parts]
            if c.equipment is not None:
                parts.insert(0, _section_box(h, c.equipment, t, h.palette.page, h.palette.rule, keep=False))
            if c.purpose is not None:
                parts.insert(0, _section_box(h, c.purpose, t, h.palette.brand_tint, h.palette.brand, keep=False))
        story.append(KeepTogether(parts))
    return story


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
    bar.spaceBefore = h.look.space.card_gap * 0.75
    dose = f"<b>{h.safe(card.dose)}</b>" + (f" {h.safe(card.rest)}" if card.rest else "")
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
    steps = [_step(h, n, text, t) for n, text in enumerate(card.steps, start=1)]
    wide = h.large_print
    pic_w = h.frame_width * (0.3 if not wide else 0.6)
    picture = thumbnail(h, card.exercise_id, pic_w, h.sizes.illustration_height * (0.6 if not wide else 0.8))
    if wide:
        body: Flowables = ([picture, Spacer(1, 4)] if picture else []) + steps
    else:
        gap = 10
        body = [_plain_table([[picture or "", "", steps]], [pic_w, gap, h.frame_width - pic_w - gap],
                             extra=[("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 6)])]
    body.append(_spaced(_run_in(h, w("cues"), card.tips, t), 3))
    if card.cautions:
        body.append(_run_in(h, w("cautions"), card.cautions, t))
    advice = _advice(h, card, t)
    parts: Flowables = [bar, strip, *body, advice]
    if card.note:
        parts.append(box(h, [[Paragraph(f"<b>{h.safe(w('item_note'))}:</b> {h.safe(card.note)}", t.cell)]],
                         [h.frame_width], background=pal.page, border=pal.rule, space_before=4))
    return parts


def _run_in(h: Handout, label: str, sentences, t: Tight) -> Flowable:
    """"Tips: one. Two." as one paragraph: a few short sentences need no list of their own."""
    return Paragraph(f"<b>{h.safe(label)}:</b> " + " ".join(h.safe(x) for x in sentences), t.cell)


def _step(h: Handout, n: int, text: str, t: Tight) -> Flowable:
    return Lines([(drawable(text, h.fonts.glyphs), False)], t.step, h.fonts.bold, f"{n}.")


def _advice(h: Handout, card: Card, t: Tight) -> Flowable:
    pal = h.palette
    easy = Paragraph(f"<b>{h.safe(w('easy_short'))}</b> {h.safe(card.easy.short)}", t.cell)
    hurts = Paragraph(f"<b>{h.safe(w('hurts_short'))}</b> {h.safe(card.hurts.short)}", t.cell)
    if h.large_print:
        rows, widths = [[easy], [hurts]], [h.frame_width]
        extra = [("BACKGROUND", (0, 0), (0, 0), pal.green_tint), ("BACKGROUND", (0, 1), (0, 1), pal.amber_tint),
                 ("LINEBELOW", (0, 0), (0, 0), 1.4, pal.page)]
    else:
        half = h.frame_width / 2
        rows, widths = [[easy, hurts]], [half, half]
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
    lead_in = h.styles.body.clone("compact_lead_in", keepWithNext=1)
    story: Flowables = [heading(h, c.plan.heading), Paragraph(h.safe(c.plan.intro), lead_in), *plan_tables(h, c.plan)]
    if c.next_stage is not None:
        story.append(_section_box(h, c.next_stage, t, h.palette.green_tint, h.palette.green))
    story += [heading(h, c.diary.heading), Paragraph(h.safe(c.diary.intro), lead_in), diary_table(h, c.diary)]
    return story


def education(h: Handout, c: HandoutContent, t: Tight) -> Flowables:
    """The short version: each topic's title, first paragraph and points; the booklet prints every paragraph."""
    story: Flowables = []
    for n, topic in enumerate(c.education):
        head: Flowables = [heading(h, topic.title, "subheading"), h.text(topic.paragraphs[0])]
        if n == 0:
            head.insert(0, heading(h, c.education_heading))
        points = [h.lines([(p, False)], "bullet", bullet="•") for p in topic.points]
        story.append(KeepTogether(head + points[:2]))  # a title never ends a page, nor a list start alone
        story += points[2:]
    if c.notes:
        story.append(KeepTogether([heading(h, c.notes_heading), h.text(c.notes[0])]))
        story += [h.text(p) for p in c.notes[1:]]
    qr = _qr(h)
    if qr is not None:
        qr.hAlign = "LEFT"
        story.append(_spaced(KeepTogether([qr, Paragraph(w("qr_caption"), t.cell)]), 12))
    return story
