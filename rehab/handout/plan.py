"""The week-by-week plan (weeks across, exercises down, the scheduled dose in each cell) and the pain and
progress diary (one row per week with room to write), both printed from the content model."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle

from ..handout_content.model import Diary, WeekPlan
from .blocks import Flowables, Tight, grid, heading
from .context import Handout
from .para import Paragraph
from .words import w


def week_plan(h: Handout, plan: WeekPlan, t: Tight | None = None) -> Flowables:
    """The heading and its text stay with the first rows of the plan (keepWithNext). ``t``: the compact
    layout's tight table text."""
    intro = lead_in(h) if t is None else t.body.clone("tight_lead_in", keepWithNext=1)
    return [heading(h, plan.heading), Paragraph(h.safe(plan.intro), intro), *plan_tables(h, plan, t)]


def lead_in(h: Handout) -> ParagraphStyle:
    """Body text that stays on the page of what follows it."""
    return h.styles.body.clone("lead_in", keepWithNext=1)


def plan_tables(h: Handout, plan: WeekPlan, t: Tight | None = None) -> Flowables:
    """One table per few weeks; a table breaks between rows only where three or more stay on each page."""
    weeks = len(plan.weeks)
    # the compact layout's 11 pt fits six weeks across: one table, not two, for a 6-week program
    per_table = 2 if h.large_print else (6 if t is not None else 4)
    # even chunks (6 weeks -> 3 + 3, not 4 + 2) so no table is left with one thin column
    chunks = -(-weeks // per_table)
    size = -(-weeks // chunks)
    tables: Flowables = []
    for first in range(0, weeks, size):
        table = _plan_table(h, plan, list(range(first, min(weeks, first + size))), t)
        table.spaceBefore = h.styles.body.fontSize * 0.8  # dropped at the top of a page, unlike a Spacer
        tables.append(table)
    return tables


def _plan_table(h: Handout, plan: WeekPlan, columns: list[int], t: Tight | None = None):
    s = t or h.styles
    head_style = t.head if t else s.cell_head
    lines = t.lines if t else h.lines
    name_w = h.frame_width * (0.22 if len(columns) > 4 else 0.3 if len(columns) > 2 else 0.36)
    week_w = (h.frame_width - name_w) / len(columns)
    head = [Paragraph(w("plan_exercise"), head_style)] + [
        Paragraph(f"{h.safe(plan.weeks[n].label)}<br/>{h.safe(plan.weeks[n].value)}", head_style) for n in columns
    ]
    rows = [head]
    for row in plan.rows:
        cells = [lines([(row.name, True), (row.side, False)])]
        current = row.name
        for n in columns:
            cell = row.cells[n]
            runs = [(cell.text, False)]
            if cell.new_name:
                runs.insert(0, (w("plan_new", name=cell.new_name), True))
            elif n == columns[0] and n > 0:
                # a table that starts after a change repeats which exercise is current
                current = next((c.new_name for c in reversed(row.cells[:n]) if c.new_name), row.name)
                if current != row.name:
                    runs.insert(0, (current, True))
            cells.append(lines(runs))
        rows.append(cells)
    extra = [("TOPPADDING", (0, 1), (-1, -1), 2), ("BOTTOMPADDING", (0, 1), (-1, -1), 3)] if t else []
    return grid(h, rows, [name_w] + [week_w] * len(columns), extra=extra)


def diary(h: Handout, diary: Diary) -> Flowables:
    return [heading(h, diary.heading), Paragraph(h.safe(diary.intro), lead_in(h)), diary_table(h, diary)]


def diary_table(h: Handout, diary: Diary):
    s = h.styles
    head = [Paragraph(h.safe(text), s.cell_head) for text in diary.columns]
    rows = [head]
    choices = h.lines([(c, False) for c in diary.choices])
    for week in diary.weeks:
        rows.append([h.lines([(week.label, True), (week.value, False)]), "", choices, ""])
    unit = h.sizes.table
    widths = [unit * 5.6, unit * 8.5, unit * 8.6]
    widths.append(h.frame_width - sum(widths))
    row_h = max(h.sizes.diary_row, unit * h.look.leading * 3 + 12)  # the three choices must fit
    return grid(h, rows, widths, heights=[None] + [row_h] * len(diary.weeks),
                extra=[("INNERGRID", (0, 0), (-1, -1), 0.6, h.palette.light_rule)])
