"""The week-by-week plan (weeks across, exercises down, the scheduled dose in each cell) and the pain and
progress diary (one row per week with room to write), both printed from the content model."""

from __future__ import annotations

import re

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth

from ..handout_content.model import Diary, PlanRow, WeekPlan
from .bilingual import first_half, joined
from .blocks import Flowables, Tight, grid, heading
from .context import Handout
from .para import Paragraph
from .styles import derived
from .words import w


def week_plan(h: Handout, plan: WeekPlan, t: Tight | None = None) -> Flowables:
    """The heading and its text stay with the first rows of the plan (keepWithNext). ``t``: the compact
    layout's tight table text."""
    intro = lead_in(h) if t is None else derived(t.body, "tight_lead_in", keepWithNext=1)
    title = heading(h, plan.heading) if t is None else Paragraph(h.safe(plan.heading), t.heading)
    return [title, Paragraph(h.safe(plan.intro), intro), *plan_tables(h, plan, t)]


def lead_in(h: Handout) -> ParagraphStyle:
    """Body text that stays on the page of what follows it."""
    return derived(h.styles.body, "lead_in", keepWithNext=1)


def plan_tables(h: Handout, plan: WeekPlan, t: Tight | None = None) -> Flowables:
    """One table per few weeks; a table breaks between rows only where three or more stay on each page. A dose
    that is the same every week is said once: across the week columns when one table holds every week, else in
    a table of its own after the week tables (not once in each)."""
    weeks = len(plan.weeks)
    # the compact layout's 11 pt fits six weeks across: one table, not two, for a 6-week program; so does its
    # large print, where each exercise's name has a row of its own above its doses (_grouped_table)
    per_table = (6 if t is not None else 2) if h.large_print else (6 if t is not None else 4)
    # even chunks (6 weeks -> 3 + 3, not 4 + 2) so no table is left with one thin column
    chunks = -(-weeks // per_table)
    size = -(-weeks // chunks)
    tables: Flowables = []
    if chunks == 1:
        tables.append(_plan_table(h, plan, plan.rows, list(range(weeks)), t))
        plan_rows, steady = (), ()
    else:
        plan_rows, steady = plan.changing, plan.steady
    if plan_rows:
        for first in range(0, weeks, size):
            tables.append(_plan_table(h, plan, plan_rows, list(range(first, min(weeks, first + size))), t))
    if steady:
        tables.append(_steady_table(h, plan, min(size, weeks), t))
    for table in tables:
        table.spaceBefore = h.styles.body.fontSize * 0.8  # dropped at the top of a page, unlike a Spacer
    return tables


def _name_width(h: Handout, columns: int) -> float:
    return h.frame_width * (0.28 if columns > 4 else 0.32 if columns > 2 else 0.44)


def _steady_table(h: Handout, plan: WeekPlan, columns: int, t: Tight | None):
    """Exercise and dose, with "Every week" over the dose; two pairs to a row in normal print (a short dose
    needs little room), one in large print."""
    head_style = t.head if t else h.styles.cell_head
    lines = t.lines if t else h.lines
    pairs = 1 if h.large_print or len(plan.steady) < 2 else 2
    name_w = _name_width(h, columns) if pairs == 1 else h.frame_width * 0.25
    if t is not None and h.large_print:  # one pair a row: the name gets half, a dose said once is short
        name_w = h.frame_width * 0.5
    dose_w = h.frame_width / pairs - name_w
    head = [Paragraph(w("plan_exercise"), head_style), Paragraph(h.safe(plan.steady_heading), head_style)]
    cells = [[lines([(row.name, True), (row.side, False)]), lines([(row.cells[0].text, False)])]
             for row in plan.steady]
    if len(cells) % pairs:
        cells.append(["", ""])
    half = len(cells) // pairs
    rows = [head * pairs] + [sum((cells[n + k * half] for k in range(pairs)), []) for n in range(half)]
    extra = [("TOPPADDING", (0, 1), (-1, -1), 2), ("BOTTOMPADDING", (0, 1), (-1, -1), 3)] if t else []
    if pairs > 1:
        extra.append(("LINEBEFORE", (2, 0), (2, -1), 0.8, h.palette.rule))
    return grid(h, rows, [name_w, dose_w] * pairs, extra=extra)


def _plan_table(h: Handout, plan: WeekPlan, rows_of: tuple[PlanRow, ...], columns: list[int],
                t: Tight | None = None):
    if t is not None and h.large_print:
        return _grouped_table(h, plan, rows_of, columns, t)
    s = t or h.styles
    head_style = t.head if t else s.cell_head
    lines = t.lines if t else h.lines
    name_w = _name_width(h, len(columns))
    head = [Paragraph(w("plan_exercise"), head_style)] + [
        Paragraph(f"{h.safe(plan.weeks[n].label)}<br/>{h.safe(first_half(plan.weeks[n].value))}", head_style)
        for n in columns  # the date once: it reads the same in both languages of a two-language handout
    ]
    rows = [head]
    spans = []
    for row in rows_of:
        cells = [lines([(row.name, True), (row.side, False)])]
        if row.steady and len(columns) == len(plan.weeks) > 1:  # said once, across the weeks, side and load too
            spans.append(("SPAN", (1, len(rows)), (-1, len(rows))))
            dose = ", ".join(part for part in (row.cells[0].text, row.side) if part)
            rows.append([lines([(row.name, True)]), lines([(w("plan_every_week_cell", dose=dose), False)]),
                         *[""] * (len(columns) - 1)])
            continue
        current = row.name
        for n in columns:
            cell = row.cells[n]
            runs = [(_glued(cell.text) if h.large_print else cell.text, False)]
            if cell.new_name:
                runs.insert(0, (w("plan_new", name=cell.new_name), True))
            elif n == columns[0] and n > 0:
                # a table that starts after a change repeats which exercise is current
                current = next((c.new_name for c in reversed(row.cells[:n]) if c.new_name), row.name)
                if current != row.name:
                    runs.insert(0, (current, True))
            cells.append(lines(runs))
        rows.append(cells)
    extra = [("TOPPADDING", (0, 1), (-1, -1), 2), ("BOTTOMPADDING", (0, 1), (-1, -1), 3),
             ("LEFTPADDING", (1, 0), (-1, -1), 4), ("RIGHTPADDING", (1, 0), (-1, -1), 2)] if t else []
    if t is not None and h.large_print:  # 16 pt: the name column as wide as makes the table shortest
        name_w = min((h.frame_width * share for share in (0.32, 0.36, 0.4, 0.44)), key=lambda width: (
            _rows_height(h, rows, width, (h.frame_width - width) / len(columns)), width))
    week_w = (h.frame_width - name_w) / len(columns)
    return grid(h, rows, [name_w] + [week_w] * len(columns), extra=[*extra, *spans])


def _grouped_table(h: Handout, plan: WeekPlan, rows_of: tuple[PlanRow, ...], columns: list[int], t: Tight):
    """Large print: the weeks take the whole width, and each exercise's name (with its side and hold) is a row of
    its own above its doses, so no narrow name column makes every row three lines tall at 16 pt; a dose that
    never changes follows the name on its row. The table breaks only between exercises, never between a name
    and its doses, and leaves three exercises or more on each page."""
    week_w = h.frame_width / len(columns)
    head = [Paragraph(f"{h.safe(plan.weeks[n].label)}<br/>{h.safe(first_half(plan.weeks[n].value))}", t.head)
            for n in columns]
    rows: list[list] = [head]
    extra: list[tuple] = [("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                          ("TOPPADDING", (0, 1), (-1, -1), 2), ("BOTTOMPADDING", (0, 1), (-1, -1), 3)]
    blank = [""] * (len(columns) - 1)
    starts: list[int] = []
    for row in rows_of:
        r = len(rows)
        starts.append(r - 1)
        current = row.name
        if columns[0] > 0:  # a table that starts after a change says which exercise is current
            current = next((c.new_name for c in reversed(row.cells[: columns[0]]) if c.new_name), row.name)
        name = [(current, True), (f" {row.side}" if row.side else "", False)]
        extra.append(("SPAN", (0, r), (-1, r)))
        if row.steady and len(columns) == len(plan.weeks) > 1:  # said once, on the name's own row
            dose = w("plan_every_week_cell", dose=row.cells[0].text)
            rows.append([t.lines([*name, (joined(": {}", dose), False)], inline=True), *blank])
            extra.append(("BACKGROUND", (0, r), (-1, r), h.palette.brand_tint))
            continue
        rows.append([t.lines(name, inline=True), *blank])
        extra += [("BACKGROUND", (0, r), (-1, r), h.palette.brand_tint),
                  ("LINEBELOW", (0, r), (-1, r), 0.6, h.palette.brand_tint),
                  ("INNERGRID", (0, r + 1), (-1, r + 1), 0.6, h.palette.light_rule)]
        cells = []
        for n in columns:
            cell = row.cells[n]
            runs = [(_glued(cell.text), False)]
            if cell.new_name:
                runs.insert(0, (w("plan_new", name=cell.new_name), True))
            cells.append(t.lines(runs))
        rows.append(cells)
    table = grid(h, rows, [week_w] * len(columns), stripes=False, extra=extra)
    table.groups = tuple(starts)
    table.min_rows = 3  # exercises
    return table


def _glued(text: str) -> str:
    """"3 sets of 10" never ends a line with "of" and the number alone below, nor "…, 3 times" a line with the
    "3": a narrow large-print column."""
    return re.sub(r" (\d+) (\w+)$", " \\1\u00a0\\2", re.sub(r" (\d+)$", "\u00a0\\1", text))


def _rows_height(h: Handout, rows: list[list], name_w: float, week_w: float) -> float:
    """The text height of a plan table's rows for these column widths (the padding is the same for every choice;
    a cell spanning the weeks is measured across them)."""
    pad = 2 * h.look.space.cell_padding + 2
    total = 0.0
    for row in rows:
        spanned = len(row) > 2 and all(cell == "" for cell in row[2:])
        widths = [name_w, week_w * (len(row) - 1) if spanned else week_w]
        total += max(cell.wrap(widths[min(n, 1)] - pad, 1e6)[1] for n, cell in enumerate(row) if cell != "")
    return total


def diary(h: Handout, diary: Diary) -> Flowables:
    return [heading(h, diary.heading), Paragraph(h.safe(diary.intro), lead_in(h)), diary_table(h, diary)]


def diary_table(h: Handout, diary: Diary):
    s = h.styles
    head = [Paragraph(h.safe(text), s.cell_head) for text in diary.columns]
    rows = [head]
    unit = h.sizes.table
    # the choices to circle side by side when the notes column keeps a third of the width, else one per line
    in_line = "   ".join(diary.choices)
    line_w = stringWidth(in_line, h.fonts.regular, unit) + 2 * h.look.space.cell_padding + 6
    widths = [unit * 5.6, unit * 8.5]
    beside = h.frame_width - sum(widths) - line_w >= h.frame_width / 3
    widths.append(line_w if beside else unit * 8.6)
    widths.append(h.frame_width - sum(widths))
    choices = h.lines([(in_line, False)]) if beside else h.lines([(c, False) for c in diary.choices])
    for week in diary.weeks:
        rows.append([h.lines([(week.label, True), (week.value, False)]), "", choices, ""])
    lines = 1 if beside else 3
    row_h = max(h.sizes.diary_row, unit * h.look.leading * lines + 12)  # the choices must fit
    return grid(h, rows, widths, heights=[None] + [row_h] * len(diary.weeks),
                extra=[("INNERGRID", (0, 0), (-1, -1), 0.6, h.palette.light_rule)])
