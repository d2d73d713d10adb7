"""Page 1, the fridge sheet, in both layouts: who and when, the condition and the sore side, every exercise by
kind of day (strength days, daily stretches) with a small picture and its dose, minutes per kind of day, a tick
calendar with one row per kind, the pain traffic light and when to get help.

It prints the HandoutContent (rehab/handout_content). Tables and boxes use the table size on a tight line height,
one point smaller again in normal print, so the whole sheet fits one page of A4 or Letter.
"""

from __future__ import annotations

import functools
import io

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing, Group, Path
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether, TableStyle

from ..handout_content.model import HandoutContent, HelpBox, PainLight
from .bilingual import join, joined, per_half, text_width
from .blocks import Flowables, Tight, box, grid, plain_table, spaced
from .cards import picture as picture_of
from .context import Handout
from .para import Paragraph
from .styles import derived
from .table import Table


def fridge_sheet(h: Handout, c: HandoutContent, t: Tight, who_beside: bool = True) -> Flowables:
    """``who_beside``: who and when beside the title (normal print); else under it, two pairs to a line, which
    is shorter when a long name wraps in the narrow column."""
    return fridge_head(h, c, t, who_beside) + fridge_body(h, c, t)


def fridge_head(h: Handout, c: HandoutContent, t: Tight, who_beside: bool = True) -> Flowables:
    """The title, the condition, and who it is for: the only part with the patient's name."""
    title_size = h.sizes.title if h.large_print else h.sizes.card_title
    title = Paragraph(h.safe(c.title), derived(h.styles.title, "fridge_title", spaceAfter=0, fontSize=title_size,
                                                            leading=round(title_size * 1.2, 1)))
    condition = Paragraph(h.safe(c.condition), derived(t.bold, "fridge_condition", spaceBefore=2, spaceAfter=2,
                                                            fontSize=t.bold.fontSize + 1))
    if h.large_print or not who_beside:  # the date prepared is in every page's footer
        return [title, condition, _who(h, c, t)]
    who_w = h.frame_width * 0.42  # who and when beside the title, where the title's short lines leave room
    return [plain_table([[[title, condition], _who(h, c, t, who_w)]], [h.frame_width - who_w, who_w],
                        extra=[("BOTTOMPADDING", (0, 0), (-1, -1), 4)])]


def fridge_body(h: Handout, c: HandoutContent, t: Tight) -> Flowables:
    """The exercise table, the tick calendar, the pain light and the help box."""
    story: Flowables = [_exercise_table(h, c, t)]
    if h.large_print:  # pages enough anyway: each box whole, one after the other
        story += _large_boxes(h, c, t, story[0])
    else:
        story += [spaced(_calendar(h, c, t), 5), spaced(_pain_and_help(h, c, t), 6)]
    return story


def _large_boxes(h: Handout, c: HandoutContent, t: Tight, table: Flowable) -> Flowables:
    """Large print: the calendar, the pain light and the help box, each whole. In that order, unless a page
    would then be left more than half empty (a short calendar and the pain light, the long help box not fitting
    below them): then the help box comes before the pain light."""
    from .compact import page_one_height, stacked_height
    from .frame import page_heights

    calendar, pain, help_box = (_gap(f, 8) for f in (_calendar(h, c, t), _pain(h, c.pain, t, h.frame_width, keep=True),
                                                      _help(h, c.help, t, h.frame_width)))
    room = page_heights(h)
    page = h.pagesize[1] - h.look.page.margin_top - room.header - h.look.page.margin_bottom - room.footer
    first = stacked_height([*fridge_head(h, c, t), table], h.frame_width)
    tall = {id(f): stacked_height([f], h.frame_width) for f in (calendar, pain, help_box)}

    def half_empty(order: Flowables) -> bool:
        fills, left = [first], page_one_height(h) - first
        for block in order:
            if tall[id(block)] + block.getSpaceBefore() <= left:
                left -= tall[id(block)] + block.getSpaceBefore()
                fills[-1] += tall[id(block)] + block.getSpaceBefore()
            else:
                fills.append(tall[id(block)])
                left = page - tall[id(block)]
        return any(fill < page * 0.55 for fill in fills[1:-1])  # half, and a little; the last page goes on

    usual = [calendar, pain, help_box]
    return [calendar, help_box, pain] if half_empty(usual) else usual


def _gap(flowable: Flowable, before: float) -> Flowable:
    """Space above a flowable, or above a KeepTogether's first part (a KeepTogether reports its first part's)."""
    spaced(flowable._content[0] if isinstance(flowable, KeepTogether) else flowable, before)
    return flowable


def _who(h: Handout, c: HandoutContent, t: Tight, width: float | None = None) -> Table:
    pairs = list(c.who)
    label_w = max(text_width(p.label, h.fonts.bold, t.cell.fontSize) for p in pairs) + 8
    one_pair = h.large_print or width is not None  # one label and its value a row, else two
    label_w = min(label_w, (width or h.frame_width) * (0.6 if one_pair else 0.3))  # longer ones wrap
    if one_pair:
        rows = [[t.lines([(p.label, True)]), t.lines([(p.value, False)])] for p in pairs]
        return plain_table(rows, [label_w, (width or h.frame_width) - label_w],
                            extra=[("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])
    left = h.frame_width * 0.5
    rows = []
    for i in range(0, len(pairs), 2):
        row = []
        for p in pairs[i:i + 2]:
            row += [t.lines([(p.label, True)]), t.lines([(p.value, False)])]
        rows.append(row + [""] * (4 - len(row)))
    return plain_table(rows, [label_w, left - label_w, label_w, h.frame_width - left - label_w])


def _exercise_table(h: Handout, c: HandoutContent, t: Tight) -> Table:
    pad = 2 * (h.look.space.cell_padding + 1)
    num_w = stringWidth(str(len(c.cards)), h.fonts.bold, t.cell.fontSize) + pad + 2
    thumb_w, thumb_h = (40, 12) if not h.large_print else (72, 32)
    rest = h.frame_width - num_w - thumb_w - pad
    rows: list[list] = []
    extra: list[tuple] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                          ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                          ("LEFTPADDING", (1, 0), (1, -1), 2), ("RIGHTPADDING", (1, 0), (1, -1), 2)]
    for kind in c.kinds:
        r = len(rows)
        label = t.lines([(joined("{}: {}.", kind.label, kind.often.lower()), True),
                         (f" {kind.minutes_text}", False)], t.head, inline=True)
        rows.append([label, "", "", ""])
        extra += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), h.palette.brand_text),
                  ("TOPPADDING", (0, r), (-1, r), 2), ("BOTTOMPADDING", (0, r), (-1, r), 2)]
        for row in kind.rows:
            picture = picture_of(h, row.exercise_id, thumb_w - 4, thumb_h, row.load, captions=False)
            rows.append([t.lines([(str(row.card), True)]), picture or "",
                         t.lines([(row.name, True)]), t.lines([(row.dose, False)])])
    widths = [num_w, thumb_w, rest * 0.42, rest * 0.58 + pad]
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
    day_style = derived(t.head_center, "tight_day", fontName=h.fonts.regular, splitLongWords=0)
    pal = h.palette
    head: list = [""]
    for _ in range(per_line):
        # two weeks to a line leave about 26 pt a day: "Mo Tu We" keeps a gap that "MonTueWed" does not
        head += [""] + [Paragraph(d if per_line == 1 else d[:2], day_style) for d in cal.weekdays]
    rows: list[list] = [head]
    extra: list[tuple] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 0),
                          ("BOTTOMPADDING", (0, 0), (-1, -1), 1), ("TOPPADDING", (0, 0), (-1, 0), 1),
                          ("BOTTOMPADDING", (0, 0), (-1, 0), 2), ("LEFTPADDING", (0, 0), (-1, -1), 3),
                          ("RIGHTPADDING", (0, 0), (-1, -1), 1), ("BACKGROUND", (0, 0), (-1, 0), pal.brand_text),
                          ("LEFTPADDING", (1, 0), (-1, 0), 0), ("RIGHTPADDING", (1, 0), (-1, 0), 0),
                          ("BACKGROUND", (0, 1), (0, -1), pal.brand_tint)]
    for first in range(0, len(cal.weeks), per_line):
        weeks = cal.weeks[first:first + per_line]
        top = len(rows)
        for n, kind in enumerate(kinds):
            row: list = [t.lines([(kind, False)])]
            for week in weeks:
                label = t.lines([(week.label, True), (week.value, False)]) if n == 0 else ""
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
    advice = join(" ", (k.advice for k in c.kinds if k.advice))
    heading_line = t.lines([(cal.heading, True), (f" {advice}", False)],
                           derived(t.cell, "tight_cal_head", spaceAfter=3), inline=True)
    return KeepTogether([heading_line, table])


_SHARES: dict = {}  # best pain/help split by content and page; a few entries per clinic


def _pain_and_help(h: Handout, c: HandoutContent, t: Tight) -> Flowable:
    """The traffic light beside the help box: side by side they take least room."""
    gap = 8

    def height(flowable: Flowable, width: float) -> float:
        return flowable.wrap(width, 1e6)[1]

    def taller(share: float) -> float:
        pain_w = h.frame_width * share
        help_w = h.frame_width - pain_w - gap
        return max(height(_pain(h, c.pain, t, pain_w), pain_w), height(_help(h, c.help, t, help_w, False), help_w))

    key = (c.pain, c.help, h.frame_width, t.cell.fontSize, h.look.page)
    share = _SHARES.get(key)
    if share is None:  # the split where the taller box is least tall; the same for every handout of a clinic
        share = _SHARES[key] = min([0.26 + 0.03 * i for i in range(9)], key=taller)
    pain_w = h.frame_width * share
    help_w = h.frame_width - pain_w - gap
    style = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])
    return Table([[_pain(h, c.pain, t, pain_w), "", _help(h, c.help, t, help_w, keep=False)]],
                 colWidths=[pain_w, gap, help_w], style=style, hAlign="LEFT")


def _pain(h: Handout, pain: PainLight, t: Tight, width: float, keep: bool = False) -> Flowable:
    """The pain traffic light, one row per zone; ``keep``: whole on one page."""
    pal = h.palette
    colours = {"green": (pal.green, pal.green_tint), "amber": (pal.amber, pal.amber_tint),
               "red": (pal.red, pal.red_tint)}
    rows = [[Paragraph(h.safe(pain.heading), t.box_heading)], [Paragraph(h.safe(pain.intro), t.cell)]]
    extra: list[tuple] = []
    for zone in pain.zones:
        colour, tint = colours[zone.colour]
        r = len(rows)
        # one row per zone: its name, numbers and advice on the zone's tint behind a bar of its colour
        rows.append([t.lines([(joined("{}: {}.", zone.name, zone.numbers), True), (f" {zone.text}", False)],
                             inline=True)])
        extra += [("BACKGROUND", (0, r), (0, r), tint), ("LINEBEFORE", (0, r), (0, r), 7, colour),
                  ("LINEBELOW", (0, r), (0, r), 1.5, pal.page),
                  ("TOPPADDING", (0, r), (0, r), 3), ("BOTTOMPADDING", (0, r), (0, r), 3)]
    rows.append([Paragraph(h.safe(pain.settle), t.cell)])
    extra += [("TOPPADDING", (0, -1), (0, -1), 5)]
    return box(h, rows, [width], background=pal.page, border=pal.rule, extra=extra, keep=keep)


def _help(h: Handout, help_box: HelpBox, t: Tight, width: float, keep: bool = True) -> Flowable:
    """Each group as one run-in paragraph of first sentences ("Get urgent care now if: … • …"). Every sign is
    one sentence today, so the box holds the whole list; should a sign grow a second sentence, the compact
    education part prints the whole list again (``help_is_whole``)."""
    pal = h.palette
    rows: list[list] = [[Paragraph(h.safe(help_box.heading), t.box_heading)]]
    for group in help_box.groups:
        points = join(" \u2022 ", (per_half(_first_sentence, p) for p in group.points))
        lead = [(joined("{}:", group.lead), True)] if group.lead else []
        rows.append([t.lines([*lead, (f" {points}", False)], inline=True)])
    # one line when they fit: "Call us on …   Emergency: call …"
    contacts = t.lines([(join("\u2003 ", help_box.contacts), True)], t.bold, inline=True)
    rows.append([contacts])  # the website's QR code is on the last page, where it takes no room from the sheet
    return box(h, rows, [width], background=pal.red_tint, border=pal.red, keep=keep,
               extra=[("TOPPADDING", (0, -1), (-1, -1), 5)])


def help_is_whole(help_box: HelpBox) -> bool:
    """Whether page 1's help box prints every warning sign whole (each is one sentence)."""
    return all(per_half(_first_sentence, p) == per_half(lambda x: x.rstrip(".") + ".", p)
               for g in help_box.groups for p in g.points)


def _first_sentence(text: str) -> str:
    head, dot, rest = text.partition(". ")
    return head + "." if dot and rest else text.rstrip(".") + "."


class TickBoxCalendar(Table):
    """A table with an empty square for a pen tick in every cell after the first column (header row excepted)."""

    # in a right-to-left handout its columns run from the right like every table's (table.py): the labels on
    # the right, Monday's boxes next to them; the boxes are placed by each drawn column's place in the data
    mirrors = True
    box_size = 18.0
    box_colour = None
    first_tick = 1  # the first column with tick boxes
    first_row = 1  # the first row with tick boxes
    skip_every = 0  # with several weeks side by side: every this many columns is a label column, not ticks

    def draw(self):
        super().draw()
        canv, size = self.canv, self.box_size
        canv.saveState()
        canv.setStrokeColor(self.box_colour)
        canv.setLineWidth(1.1)
        for row in range(self.first_row, len(self._rowpositions) - 1):
            top, bottom = self._rowpositions[row], self._rowpositions[row + 1]
            columns = len(self._colpositions) - 1
            for col in range(columns):
                data_col = columns - 1 - col if self._mirrored else col  # its column before mirroring
                if data_col < self.first_tick or (
                        self.skip_every and (data_col - self.first_tick) % self.skip_every == 7):
                    continue
                left, right = self._colpositions[col], self._colpositions[col + 1]
                x = left + (right - left - size) / 2
                canv.roundRect(x, bottom + (top - bottom - size) / 2, size, size, 2, stroke=1, fill=0)
        canv.restoreState()


def _qr(h: Handout) -> Flowable | None:
    url = h.clinic.qr_url()
    if not url:
        return None
    return QrCode(url, h.sizes.qr_size, h.palette.text.hexval())


class QrCode(Flowable):
    """The clinic website's QR code, drawn from PDF operators made once per website, size, colour and colour
    mode: reportlab's drawing renderer took a millisecond a handout to write the same path again."""

    def __init__(self, url: str, size: float, colour: str):
        super().__init__()
        self.url, self.size, self.colour = url, size, colour
        self.hAlign = "CENTER"

    def wrap(self, avail_width, avail_height):
        return self.size, self.size

    def draw(self):
        self.canv.addLiteral(_qr_operators(self.url, self.size, self.colour,
                                           getattr(self.canv, "_enforceColorSpace", None)))


@functools.lru_cache(maxsize=16)
def _qr_operators(url: str, size: float, colour: str, convert) -> str:
    """What reportlab's renderer writes for the code (inside its own q ... Q), less the text objects that only
    set its default font: nothing in the code is text, and Q forgets a font set inside it anyway."""
    drawing = Drawing(size, size)
    drawing.add(_qr_group(url, size, colour))
    canvas = Canvas(io.BytesIO(), enforceColorSpace=convert)
    start = len(canvas._code)
    renderPDF.draw(drawing, canvas, 0, 0)
    return "\n".join(op for op in canvas._code[start:] if not (op.startswith("BT ") and op.endswith(" ET")))


@functools.lru_cache(maxsize=16)
def _qr_group(url: str, size: float, colour: str) -> Group:
    """reportlab's QR widget, encoded once per clinic website and merged into one filled path: a few hundred
    separate squares cost more to draw than the rest of the page."""
    widget = QrCodeWidget(url, barLevel="M", barBorder=2)
    x0, y0, x1, y1 = widget.getBounds()
    path = Path(fillColor=colors.HexColor(colour), strokeColor=None)
    for square in widget.draw().contents:
        if square.fillColor is not None:
            x, y, w, h = square.x, square.y, square.width, square.height
            path.moveTo(x, y)
            path.lineTo(x + w, y)
            path.lineTo(x + w, y + h)
            path.lineTo(x, y + h)
            path.closePath()
    group = Group(path)
    group.transform = (size / (x1 - x0), 0, 0, size / (y1 - y0), -x0 * size / (x1 - x0), -y0 * size / (y1 - y0))
    return group
