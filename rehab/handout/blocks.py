"""Small layout pieces shared by the sections: tables with the house style, boxes that may split by row."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, TableStyle

from .context import Handout
from .lines import Lines
from .para import Paragraph
from .styles import derived
from .table import Table


def grid(
    h: Handout,
    rows: list[list],
    widths: Sequence[float],
    *,
    header: bool = True,
    stripes: bool = True,
    heights: Sequence[float] | None = None,
    extra: Sequence[tuple] = (),
    cls: type[Table] = Table,
) -> Table:
    """A table with a brand-coloured header row, light stripes and readable padding; splits by row."""
    pad = h.look.space.cell_padding
    pal = h.palette
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad + 1),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad + 1),
        ("TOPPADDING", (0, 0), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 1),
        ("LINEBELOW", (0, 0), (-1, -1), 0.6, pal.light_rule),
        ("BOX", (0, 0), (-1, -1), 0.8, pal.rule),
    ]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), pal.brand_text), ("VALIGN", (0, 0), (-1, 0), "MIDDLE")]
    if stripes:
        first = 1 if header else 0
        style.append(("ROWBACKGROUNDS", (0, first), (-1, -1), [pal.page, pal.brand_tint]))
    style.extend(extra)
    table = cls(rows, colWidths=list(widths), rowHeights=heights, style=TableStyle(style),
                repeatRows=1 if header else 0, hAlign="LEFT")
    table.min_rows = 3  # a page never ends or starts with a fragment of one or two rows
    return table


def box(
    h: Handout,
    rows: list[list],
    widths: Sequence[float],
    *,
    background: colors.Color,
    border: colors.Color,
    extra: Sequence[tuple] = (),
    keep: bool = False,
    space_before: float = 0,
) -> Flowable:
    """A framed, tinted box; one row per paragraph so a long box can still break between rows.

    ``keep``: move the whole box to the next page rather than split it, unless it is taller than a page.
    """
    pad = h.look.space.cell_padding
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, -1), background),
        ("BOX", (0, 0), (-1, -1), 1.4, border),
        ("LEFTPADDING", (0, 0), (-1, -1), pad + 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad + 4),
        ("TOPPADDING", (0, 0), (-1, -1), pad * 0.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad * 0.6),
        ("TOPPADDING", (0, 0), (-1, 0), pad + 2),
        ("BOTTOMPADDING", (0, -1), (-1, -1), pad + 3),
        *extra,
    ]
    table = Table(rows, colWidths=list(widths), style=TableStyle(style), hAlign="LEFT")
    table.spaceBefore = space_before  # dropped at the top of a page, unlike a Spacer
    return KeepTogether([table]) if keep else table


def bullets(h: Handout, items: Sequence[str], style: str = "bullet") -> list[Lines]:
    return [h.lines([(item, False)], style, bullet="•") for item in items]


def numbered(h: Handout, items: Sequence[str]) -> list[Lines]:
    return [h.lines([(item, False)], "step", bullet=f"{n}.") for n, item in enumerate(items, start=1)]


def heading(h: Handout, text: str, style: str = "heading") -> Paragraph:
    return Paragraph(h.safe(text), getattr(h.styles, style))


class LeavePageOne(Flowable):
    """A page break only while still on page 1, so page 1 stays the fridge sheet alone; when the fridge sheet
    already ran over, the exercise cards follow on the same page."""

    def wrap(self, avail_width, avail_height):
        if self.canv.getPageNumber() == 1:
            return avail_width, avail_height + 1  # too tall for what is left: the frame ends here
        return 0, 0

    def split(self, avail_width, avail_height):
        return []

    def draw(self):
        pass


def least_start(content: list, width: float) -> float:
    """The height the heading, its text and the smallest allowed first piece of the last flowable (a table's
    header and first ``min_rows`` rows) take: less room than that, and the group moves on whole."""
    total = 0.0
    for f in content[:-1]:
        total += f.wrap(width, 1e6)[1] + f.getSpaceBefore() + f.getSpaceAfter()
    last = content[-1]
    height = last.wrap(width, 1e6)[1]
    rows = getattr(last, "_rowHeights", None)
    # unless no split leaves enough rows on both pages: then it moves whole
    if isinstance(last, Table) and last.min_rows and rows and last.units() >= 2 * last.min_rows:
        height = sum(rows[: last.head_rows + last.rows_in(last.min_rows)])
    return total + last.getSpaceBefore() + height


class BoxesFirstWhenNoRoom(Flowable):
    """A headed table and the short boxes that follow it (the week plan, then what the stage is for and what you
    need): where the heading, its text and the table's first rows do not fit the rest of the page, the boxes
    that fit go first, so the page is not left half empty (the two-language handout's taller rows)."""

    def __init__(self, headed: list[Flowable], boxes: list[Flowable]):
        super().__init__()
        self.headed, self.boxes = headed, boxes

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, avail_height + 1  # always split: the room left decides the order
        return self.width, self.height

    def split(self, avail_width, avail_height):
        if least_start(self.headed[:3], avail_width) <= avail_height:
            return [*self.headed, *self.boxes]
        first: list[Flowable] = []
        room = avail_height
        for box in self.boxes:
            height = box.wrapOn(self.canv, avail_width, 1e6)[1] + (box.getSpaceBefore() if first else 0)
            if height > room:
                break
            first.append(box)
            room -= height
        if first:
            return [*first, *self.headed, *self.boxes[len(first):]]
        frame = getattr(self, "_frame", None)
        at_top = frame is not None and getattr(frame, "_atTop", 0)
        return [*self.headed, *self.boxes] if at_top else []  # else all of it on the next page

    def draw(self):  # never drawn: always split into its parts
        pass


class UnderItsName(Flowable):
    """A part of a card that may go to the next page (``part``), with the card's name (``name``) above it when it
    starts a page: a part of a card never stands apart from its name. Where it starts is known only once the
    part is added to a frame (reportlab sets ``_frame``, whose ``_atTop`` says whether anything is on it yet);
    a part too tall for the rest of a page moves whole to the next one, and splits only when a page cannot hold
    it (a long note)."""

    def __init__(self, name: Flowable, part: Flowable):
        super().__init__()
        self.name, self.part = name, part
        self.spaceBefore, self.spaceAfter = part.getSpaceBefore(), part.getSpaceAfter()
        self._named = False

    def _at_top(self) -> bool:
        frame = getattr(self, "_frame", None)
        return bool(frame is not None and getattr(frame, "_atTop", 0))

    def wrap(self, avail_width, avail_height):
        self._named = self._at_top()
        self._name_h = self.name.wrapOn(self.canv, avail_width, avail_height)[1] if self._named else 0.0
        self._part_h = self.part.wrapOn(self.canv, avail_width, max(0.0, avail_height - self._name_h))[1]
        self.width, self.height = avail_width, self._name_h + self._part_h
        return self.width, self.height

    def split(self, avail_width, avail_height):
        if not self._at_top():
            return []  # to the next page, where it starts under its name
        self.wrap(avail_width, avail_height)
        pieces = self.part.split(avail_width, avail_height - self._name_h)
        if not pieces:
            return []
        return [UnderItsName(self.name, pieces[0]), *(UnderItsName(self.name, piece) for piece in pieces[1:])]

    def draw(self):
        if self._named:
            self.name.drawOn(self.canv, 0, self._part_h)
        self.part.drawOn(self.canv, 0, 0)


class Tight:
    """Styles on a line height of 7/6 of the font size (12 on 14 pt): the table size for cards, one point less
    on the fridge sheet in normal print, where a whole program has to fit one page."""

    def __init__(self, h: Handout, smaller: float = 0):
        s, size = h.styles, h.sizes.table - smaller
        lead = round(size * (1.15 if h.large_print else 7 / 6), 1)  # large print: the 1.15 floor, 16 on 18.4

        def like(base: ParagraphStyle, name: str, **extra) -> ParagraphStyle:
            return derived(base, f"tight_{name}", fontSize=size, leading=lead, spaceBefore=0, **extra)

        self.cell = like(s.cell, "cell", spaceAfter=1)
        self.bold = like(s.cell_bold, "bold", spaceAfter=1)
        self.head = like(s.cell_head, "head")
        self.head_center = like(s.cell_head_center, "head_center")
        self.bullet = like(s.cell_bullet, "bullet", spaceAfter=2)
        self.step = like(s.step, "step", leftIndent=size * 1.6, bulletIndent=0, bulletFontSize=size, spaceAfter=2)
        self.box_heading = derived(s.box_heading, "tight_box_heading", spaceBefore=0, spaceAfter=3,
                                               fontSize=h.sizes.subheading - smaller * 1.5,
                                               leading=round((h.sizes.subheading - smaller * 1.5) * 1.2, 1))
        self.body = derived(s.body, "tight_body", fontSize=size, leading=round(size * 1.25, 1), spaceBefore=0,
                                 spaceAfter=4)  # running text on a looser line than table cells
        self.heading = derived(s.heading, "tight_heading", spaceBefore=min(s.heading.spaceBefore, 10))
        self.title = derived(s.card_title, "tight_title", fontSize=size + 3, leading=round((size + 3) * 1.2, 1))
        self.leading = lead
        self._bold_font = h.fonts.bold
        self._glyphs = h.fonts.glyphs

    def lines(self, runs, style: ParagraphStyle | None = None, bullet: str | None = None,
              inline: bool = False) -> Lines:
        """Plain text (no markup), each (text, bold) run on a new line (``inline``: one after another), in a
        tight style: far faster than a Paragraph for the many small cells of the fridge sheet and the cards."""
        from .text import drawable

        return Lines([(drawable(text, self._glyphs), bold) for text, bold in runs], style or self.cell,
                     self._bold_font, bullet, inline)


def spaced(flowable: Flowable, before: float) -> Flowable:
    flowable.spaceBefore = before  # dropped at the top of a page, unlike a Spacer
    return flowable


def plain_table(rows, widths, extra=()) -> Table:
    style = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 1),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 1), *extra])
    return Table(rows, colWidths=list(widths), style=style, hAlign="LEFT")


Flowables = list[Flowable]
