"""The week-by-week plan (weeks across, exercises down, the scheduled dose in each cell) and the pain and
progress diary (one row per week with room to write)."""

from __future__ import annotations

import datetime as dt

from reportlab.platypus import KeepTogether

from ..domain import Dosage, Exercise
from ..progression import side_for
from ..wording import amount_in_words, side_in_words
from .blocks import Flowables, grid, heading
from .context import Handout
from .para import Paragraph
from .words import short_date, w


def week_plan(h: Handout) -> Flowables:
    s = h.styles
    story: Flowables = [heading(h, w("plan_heading")), Paragraph(w("plan_intro"), s.body)]
    weeks = h.program.duration_weeks
    per_table = 3 if h.large_print else 4
    # even chunks (6 weeks -> 3 + 3, not 4 + 2) so no table is left with one thin column
    chunks = -(-weeks // per_table)
    size = -(-weeks // chunks)
    for first in range(1, weeks + 1, size):
        table = _plan_table(h, list(range(first, min(weeks, first + size - 1) + 1)))
        table.spaceBefore = s.body.fontSize * 0.8  # dropped at the top of a page, unlike a Spacer
        story.append(table)
    return story


def _cell_text(dosage: Dosage, exercise: Exercise) -> str:
    text = amount_in_words(dosage, exercise.rep_unit)
    if dosage.load:
        text += f", with {dosage.load}"
    return text[0].upper() + text[1:]


def _plan_table(h: Handout, weeks: list[int]):
    s = h.styles
    name_w = h.frame_width * (0.3 if len(weeks) > 2 else 0.36)
    week_w = (h.frame_width - name_w) / len(weeks)
    start = h.program.start_date
    head = [Paragraph(w("plan_exercise"), s.cell_head)] + [
        Paragraph(f"{w('plan_week', n=n)}<br/>{short_date(start + dt.timedelta(weeks=n - 1))}", s.cell_head)
        for n in weeks
    ]
    rows = [head]
    for item, exercise, plan in zip(h.program.items, h.exercises, h.schedule, strict=True):
        side = side_in_words(exercise.one_leg, side_for(exercise, item), exercise.each_side)
        row = [h.lines([(exercise.name, True), (side, False)])]
        for n in weeks:
            dose = plan[n - 1]
            runs = [(_cell_text(dose.dosage, h.library.get(dose.exercise)), False)]
            if n > 1 and plan[n - 2].exercise != dose.exercise:
                runs.insert(0, (w("plan_new", name=h.library.get(dose.exercise).name), True))
            elif n > 1 and plan[n - 2].exercise != item.exercise and n == weeks[0]:
                # a table that starts after a change repeats which exercise is current
                runs.insert(0, (h.library.get(dose.exercise).name, True))
            row.append(h.lines(runs))
        rows.append(row)
    return grid(h, rows, [name_w] + [week_w] * len(weeks))


def diary(h: Handout) -> Flowables:
    s = h.styles
    start = h.program.start_date
    head = [Paragraph(text, s.cell_head) for text in
            (w("diary_week"), w("diary_pain"), w("diary_morning"), w("diary_notes"))]
    rows = [head]
    for n in range(1, h.program.duration_weeks + 1):
        label = f"<b>{w('plan_week', n=n)}</b><br/>{short_date(start + dt.timedelta(weeks=n - 1))}"
        rows.append([Paragraph(label, s.cell), "", Paragraph(w("diary_choices"), s.cell), ""])
    unit = h.sizes.table
    widths = [unit * 5.6, unit * 8.5, unit * 8.6]
    widths.append(h.frame_width - sum(widths))
    row_h = max(h.sizes.diary_row, unit * h.look.leading * 3 + 12)  # the three choices must fit
    table = grid(h, rows, widths, heights=[None] + [row_h] * h.program.duration_weeks,
                 extra=[("INNERGRID", (0, 0), (-1, -1), 0.6, h.palette.light_rule)])
    return [KeepTogether([heading(h, w("diary_heading")), Paragraph(w("diary_intro"), s.body)]), table]
