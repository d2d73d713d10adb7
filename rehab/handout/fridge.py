"""Page 1, the fridge sheet: who and when, every exercise with its dose in words, minutes per session,
a tick-box calendar, the pain traffic light and when to call.

Everything flows in that order; with many exercises or weeks the later boxes move on to page 2, each box
kept whole. The "call us" box is last because its list of warning signs is long.
"""

from __future__ import annotations

import datetime as dt
import functools
import math

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing, Group, Path
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, TableStyle

from ..content import load_education
from ..progression import side_for
from ..timing import session_minutes
from ..wording import dose_in_words, frequency_in_words
from .blocks import Flowables, box, bullets, grid, heading, spans_each_row
from .context import Handout
from .look import contrast
from .para import Paragraph
from .table import Table
from .words import WEEKDAYS_SHORT, long_date, settle_time, short_date, w, weeks_in_words


def fridge_sheet(h: Handout) -> Flowables:
    gap = h.sizes.body * 0.7
    minutes = Paragraph(w("minutes", minutes=_rounded_minutes(h)), h.styles.body_bold)
    calendar = _calendar(h)
    # space above, not Spacers: space before a flowable is dropped when it lands at the top of a page
    minutes.spaceBefore, calendar[0].spaceBefore = gap * 0.5, gap * 0.3
    return [
        Paragraph(h.safe(h.program.title or w("your_exercises")), h.styles.title),
        _who_and_when(h),
        heading(h, w("your_exercises"), "subheading"),
        _exercise_table(h),
        minutes,
        KeepTogether(calendar),
        _pain_box(h, gap),
        _help_box(h, gap),
    ]


def _rounded_minutes(h: Handout) -> int:
    """Up to the next 5 minutes: an estimate should not promise less time than it takes."""
    return max(5, 5 * math.ceil(session_minutes(h.program, h.library) / 5 - 1e-9))


def _who_and_when(h: Handout) -> Table:
    program, s = h.program, h.styles
    pairs = [
        (w("for"), h.safe(program.patient.name)),
        (w("prepared"), long_date(h.prepared)),
    ]
    if program.clinician.strip():
        pairs.append((w("from"), h.safe(program.clinician)))
    pairs.append((w("start"), w("start_value", date=long_date(program.start_date),
                                  weeks=weeks_in_words(program.duration_weeks))))
    label_w = max(stringWidth(label, h.fonts.bold, h.sizes.table) for label, _ in pairs) + 10
    if h.large_print:
        rows = [[Paragraph(label, s.cell_bold), Paragraph(value, s.cell)] for label, value in pairs]
        widths = [label_w, h.frame_width - label_w]
    else:
        left = h.frame_width * 0.46
        rows = []
        for i in range(0, len(pairs), 2):
            row = []
            for label, value in pairs[i:i + 2]:
                row += [Paragraph(label, s.cell_bold), Paragraph(value, s.cell)]
            rows.append(row + [""] * (4 - len(row)))
        widths = [label_w, left - label_w, label_w, h.frame_width - left - label_w]
    style = TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ])
    return Table(rows, colWidths=widths, style=style, hAlign="LEFT")


def _exercise_table(h: Handout) -> Table:
    s = h.styles
    head = [Paragraph("", s.cell_head), Paragraph(w("col_exercise"), s.cell_head),
            Paragraph(w("col_how_much"), s.cell_head), Paragraph(w("col_how_often"), s.cell_head)]
    rows = [head]
    for number, (item, exercise) in enumerate(zip(h.program.items, h.exercises, strict=True), start=1):
        dose = dose_in_words(item.dosage, exercise.one_leg, side_for(exercise, item))
        rows.append([
            h.lines([(str(number), True)]),
            h.lines([(exercise.name, True)]),
            h.lines([(dose, False)]),
            h.lines([(frequency_in_words(item.dosage), False)]),
        ])
    pad = 2 * (h.look.space.cell_padding + 1)
    num = stringWidth(str(len(h.program.items)), h.fonts.bold, h.sizes.table) + pad + 2
    often = stringWidth("3 days a week", h.fonts.regular, h.sizes.table) + pad + 4
    rest = h.frame_width - num - often
    compact = [("TOPPADDING", (0, 1), (-1, -1), 4), ("BOTTOMPADDING", (0, 1), (-1, -1), 4)]
    return grid(h, rows, [num, rest * 0.47, rest * 0.53, often], extra=compact)


def _calendar(h: Handout) -> Flowables:
    """Weeks down, days across, starting on the weekday the program starts, each week dated."""
    s, start = h.styles, h.program.start_date
    days = [WEEKDAYS_SHORT[(start.weekday() + i) % 7] for i in range(7)]
    pad = 2 * (h.look.space.cell_padding + 1) + 2
    label_w = stringWidth(f"{w('calendar_week', n=h.program.duration_weeks)}  28 Sep", h.fonts.bold,
                          h.sizes.table) + pad
    cell = (h.frame_width - label_w) / 7
    rows = [[Paragraph("", s.cell_head)] + [Paragraph(d, s.cell_head_center) for d in days]]
    for week in range(h.program.duration_weeks):
        first_day = start + dt.timedelta(weeks=week)
        rows.append([Paragraph(f"<b>{w('calendar_week', n=week + 1)}</b>  {short_date(first_day)}", s.cell)]
                    + [""] * 7)
    box_size = h.sizes.tick_box
    style = [
        ("ALIGN", (1, 0), (-1, 0), "CENTER"),
        ("VALIGN", (0, 1), (0, -1), "MIDDLE"),
        ("TOPPADDING", (0, 1), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 0),
        ("INNERGRID", (1, 1), (-1, -1), 0.6, h.palette.light_rule),
    ]
    # table splits rebuild the table through its class, so the box geometry travels as class attributes
    calendar_cls = type("Calendar", (TickBoxCalendar,), {"box_size": box_size, "box_colour": h.palette.text})
    row_h = max(box_size + 7, h.sizes.table * h.look.leading + 6)
    table = grid(h, rows, [label_w] + [cell] * 7, heights=[None] + [row_h] * h.program.duration_weeks,
                 extra=style, cls=calendar_cls)
    return [heading(h, w("calendar_heading"), "box_heading"), table]


class TickBoxCalendar(Table):
    """A table with an empty square for a pen tick in every cell after the first column (header row excepted)."""

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
            for col in range(self.first_tick, len(self._colpositions) - 1):
                if self.skip_every and (col - self.first_tick) % self.skip_every == 7:
                    continue
                left, right = self._colpositions[col], self._colpositions[col + 1]
                x = left + (right - left - size) / 2
                canv.roundRect(x, bottom + (top - bottom - size) / 2, size, size, 2, stroke=1, fill=0)
        canv.restoreState()


def _on(fill: colors.Color, h: Handout) -> colors.Color:
    """White or the text colour, whichever reads on ``fill``."""
    white = colors.Color(1, 1, 1)
    return white if contrast(white, fill) >= h.look.min_contrast else h.palette.text


def _pain_box(h: Handout, space_before: float) -> Flowable:
    """The traffic light across the page: each zone's colour, its numbers from the program's pain rule, and
    what to do. The colour name is printed too, so the box still works in grey."""
    rule, s, pal = h.program.pain_rule, h.styles, h.palette
    zones = [
        (pal.green, pal.green_tint, w("green"), w("green_range", high=rule.green_max), w("green_text")),
        (pal.amber, pal.amber_tint, w("amber"),
         w("amber_range", low=rule.green_max + 1, high=rule.amber_max), w("amber_text")),
        (pal.red, pal.red_tint, w("red"), w("red_range", high=rule.amber_max), w("red_text")),
    ]
    heads, texts, extra = [], [], []
    for col, (colour, tint, name, numbers, text) in enumerate(zones):
        head_style = s.cell_bold.clone(f"zone{col}", textColor=_on(colour, h))
        heads.append(Paragraph(f"{name}: {numbers}", head_style))
        texts.append(Paragraph(text, s.cell))
        extra += [("BACKGROUND", (col, 2), (col, 2), colour), ("BACKGROUND", (col, 3), (col, 3), tint),
                  ("LINEAFTER", (col, 2), (col, 3), 2, pal.page)]
    rows = [[heading(h, w("pain_heading"), "box_heading"), "", ""],
            [Paragraph(w("pain_intro"), s.cell), "", ""],
            heads, texts,
            [Paragraph(w("settle", time=settle_time(rule.settle_minutes)), s.cell), "", ""]]
    extra += [*spans_each_row(2), *spans_each_row(1, first=4), ("TOPPADDING", (0, 2), (-1, 3), 5),
              ("BOTTOMPADDING", (0, 2), (-1, 3), 6), ("TOPPADDING", (0, 4), (-1, 4), 7)]
    third = h.frame_width / 3
    return box(h, rows, [third] * 3, background=pal.page, border=pal.rule, extra=extra, keep=True,
               space_before=space_before)


def _help_box(h: Handout, space_before: float) -> Flowable:
    s, pal, clinic = h.styles, h.palette, h.clinic
    topic = load_education().get("red_flags")
    points = list(topic.points) if topic else []
    phone = (w("help_phone", phone=h.safe(clinic.phone)) if clinic.phone.strip() else w("help_no_phone"))
    qr = _qr(h)
    rows = [[heading(h, w("help_heading"), "box_heading"), ""]]
    rows += [[p, ""] for p in bullets(h, points, "cell_bullet")]
    rows.append([Paragraph(f"<b>{phone}</b>", h.styles.body), ""])
    extra = spans_each_row(len(rows) - 1) + [("TOPPADDING", (0, -1), (-1, -1), 6)]
    if qr is None:
        extra += spans_each_row(1, first=len(rows) - 1)
        widths = [h.frame_width * 0.75, h.frame_width * 0.25]
    else:
        rows[-1][1] = [qr, Paragraph(w("qr_caption"), s.caption)]
        pad = 2 * (h.look.space.cell_padding + 4)
        qr_w = max(qr.width, stringWidth(w("qr_caption"), h.fonts.regular, h.sizes.table) * 0.62) + pad
        widths = [h.frame_width - qr_w, qr_w]
        extra += [("VALIGN", (0, -1), (0, -1), "MIDDLE"), ("ALIGN", (1, -1), (1, -1), "CENTER")]
    return box(h, rows, widths, background=pal.red_tint, border=pal.red, extra=extra, keep=True,
               space_before=space_before)


def _qr(h: Handout) -> Drawing | None:
    url = h.clinic.qr_url()
    if not url:
        return None
    drawing = Drawing(h.sizes.qr_size, h.sizes.qr_size)
    drawing.add(_qr_group(url, h.sizes.qr_size, h.palette.text.hexval()))
    drawing.hAlign = "CENTER"
    return drawing


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
