"""A reportlab Table that measures itself once per width.

Platypus wraps each table several times at the same width (KeepTogether measures a card, then the frame measures
each part again before drawing it). When the last measurement covered every row it does not depend on the height
offered, so it is reused; splitting always measures afresh.

Applying a style (reportlab's setStyle: every command over every cell it covers) is done once per shape and style:
a handout makes the same small tables card after card, and handout after handout.
"""

from __future__ import annotations

from contextvars import ContextVar

from reportlab.platypus import Flowable, PageBreak, TableStyle
from reportlab.platypus import Table as _Table
from reportlab.platypus.tables import CellStyle

from .bidi import document_is_right_to_left, mirrored_command

_SPLITTING: ContextVar[bool] = ContextVar("rehab_table_splitting", default=False)


class Table(_Table):
    min_rows = 0  # a split must leave at least this many body rows on each side, else the table moves on whole
    # where body rows come in groups (an exercise's name row and its dose row): the body row each group starts
    # at; a split then falls only between groups, and ``min_rows`` counts groups
    groups: tuple[int, ...] = ()
    mirrors = True  # in a right-to-left handout the columns run from the right (bidi.py)

    def __init__(self, data, colWidths=None, *args, style=None, **kw):  # noqa: N803 - reportlab's names
        self._mirrored = self.mirrors and document_is_right_to_left() and bool(data)
        mirrored_here = self._mirrored and not _SPLITTING.get()  # a split's pieces get rows already mirrored
        if mirrored_here:
            data = [list(reversed(row)) for row in data]
            if isinstance(colWidths, (list, tuple)):
                colWidths = list(reversed(colWidths))
        own = (self._mirrored and not mirrored_here) or args or "cellStyles" in kw or "cornerRadii" in kw
        key = None if own else _style_key(data, style)
        if key is not None and mirrored_here:  # the style as given, for mirrored columns
            key = (*key, "mirrored")
        styled = _STYLED.get(key) if key is not None else None
        spans: tuple = ()
        if mirrored_here and style is not None:  # mirrored the first time only; spanned cells moved every time
            if styled is not None:
                spans = styled.spans
                for start, end in spans:
                    _span_content_to_start(data, start, end)
            else:
                style, spans = _mirrored(style, data)
        if styled is not None:  # cell styles as setStyle made them for another table of this shape and style
            kw["cellStyles"] = styled.cell_styles()
        super().__init__(data, colWidths, *args, **kw)
        if styled is not None:
            styled.apply(self)
        elif style is not None:
            if mirrored_here:
                _Table.setStyle(self, style)  # mirrored already
            else:
                self.setStyle(style)
            if key is not None and self._cellStyles and len(_STYLED) < _STYLED_MAX:
                _STYLED[key] = _Styled(self, spans)

    def setStyle(self, tblstyle):  # noqa: N802 - reportlab's name
        if getattr(self, "_mirrored", False):
            tblstyle = _mirrored(tblstyle, self._cellvalues)[0]
        return super().setStyle(tblstyle)

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        cached = self.__dict__.get("_measured")
        if cached is not None and cached[0] == availWidth:
            self.availWidth = availWidth
            return cached[1]
        size = super().wrap(availWidth, availHeight)
        complete = getattr(self, "_hmax", None) == len(self._cellvalues)  # long tables may stop measuring early
        self._measured = (availWidth, size) if complete else None
        return size

    def _drawCell(self, cellval, cellstyle, pos, size):  # noqa: N802 - reportlab's name
        """An empty cell (a tick-box day, a spanned label's neighbour) shows nothing: reportlab would still set the
        cell's colour and font and write an empty text object for it, hundreds of times in a calendar. A cell of
        flowables gets no colour and font of the cell style either (nothing in it draws with them)."""
        if isinstance(cellval, str) and not cellval and not (cellstyle.href or cellstyle.destination):
            return None
        if not isinstance(cellval, (Flowable, list, tuple)):
            return super()._drawCell(cellval, cellstyle, pos, size)
        # flowables set their own colour and font: reportlab's "this cell's style is already set" skips writing
        # the cell style's, and the next text cell writes its own again
        self._curcellstyle = cellstyle
        super()._drawCell(cellval, cellstyle, pos, size)
        self._curcellstyle = None
        return None

    def split(self, availWidth, availHeight):  # noqa: N803
        self._measured = None  # splitting re-measures, possibly only part of the rows
        pieces = self._carry(self._pieces(availWidth, availHeight))
        if not self.min_rows or len(pieces) != 2:
            return pieces
        head = self.head_rows
        first = len(pieces[0]._cellvalues) - head  # body rows that fit here
        total = len(self._cellvalues) - head
        if self.groups:  # whole groups only: those that fit, less those the next page needs
            whole = sum(1 for end in [*self.groups[1:], total] if end <= first)
            keep_groups = min(whole, len(self.groups) - self.min_rows)
            keep = self.rows_in(max(0, keep_groups))
            enough = keep_groups >= self.min_rows
        else:
            keep = min(first, total - self.min_rows)  # leave enough rows for the next page
            enough = keep >= self.min_rows
        frame = getattr(self, "_frame", None)
        if not enough:
            # rows so tall that three never fit even a whole page: split as they come
            fresh_page = frame is not None and availHeight >= frame._height * 0.95
            return pieces if fresh_page else []
        if keep == first:
            return pieces
        # split again where only ``keep`` body rows fit; the rest starts the next page, not the room left here
        self.wrap(availWidth, availHeight)
        height = sum(self._rowHeights[: head + keep]) + 0.01
        self._measured = None
        pieces = self._carry(self._pieces(availWidth, height))
        return [pieces[0], PageBreak(), *pieces[1:]] if len(pieces) == 2 else pieces

    def _pieces(self, avail_width: float, avail_height: float) -> list:
        """reportlab's split, whose pieces are made from this table's rows and style commands as they are: in a
        right-to-left handout both already mirrored, so the pieces must not mirror them again."""
        token = _SPLITTING.set(True)
        try:
            return super().split(avail_width, avail_height)
        finally:
            _SPLITTING.reset(token)

    @property
    def head_rows(self) -> int:
        return self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)

    def rows_in(self, groups: int) -> int:
        """Body rows in the first ``groups`` groups (rows, when the table has no groups)."""
        if not self.groups:
            return groups
        starts = [*self.groups, len(self._cellvalues) - self.head_rows]
        return starts[min(groups, len(self.groups))]

    def units(self) -> int:
        """What ``min_rows`` counts: groups, or body rows."""
        return len(self.groups) if self.groups else len(self._cellvalues) - self.head_rows

    def _carry(self, pieces: list) -> list:
        """Each piece keeps the rule on rows (reportlab makes the pieces without our attributes)."""
        before = 0
        for piece in pieces:
            if isinstance(piece, Table):
                piece.min_rows = self.min_rows
                if self.groups:
                    body = len(piece._cellvalues) - self.head_rows
                    piece.groups = tuple(g - before for g in self.groups if before <= g < before + body)
                    before += body
        return pieces


_STYLED: dict = {}  # (rows, columns, style commands) -> _Styled
_STYLED_MAX = 4096  # shapes and styles of a few hundred handouts' tables; then new ones are styled afresh


def _style_key(data, style) -> tuple | None:
    """What setStyle's result depends on: the table's shape and the commands (None: not worth or able to keep)."""
    if isinstance(style, TableStyle):
        if style._opts or hasattr(style, "spaceBefore") or hasattr(style, "spaceAfter"):
            return None
        commands = style.getCommands()
    elif isinstance(style, (list, tuple)):
        commands = style
    else:
        return None
    if not data or not commands:
        return None
    key = (len(data), max(map(len, data)), tuple(commands))
    try:
        hash(key)
    except TypeError:  # a list in a command (ROWBACKGROUNDS' colours)
        key = key[:2] + (tuple(_frozen(command) for command in commands),)
        try:
            hash(key)
        except TypeError:
            return None
    return key


def _frozen(value):
    return tuple(_frozen(v) for v in value) if isinstance(value, (list, tuple)) else value


class _Styled:
    """What setStyle made of a style for a table of one shape: each cell's style, and the drawing commands."""

    LISTS = ("_bkgrndcmds", "_linecmds", "_spanCmds", "_nosplitCmds", "_srflcmds", "_sircmds")

    def __init__(self, table: Table, spans: tuple = ()):
        """``spans``: where a mirrored table's spans run (its spanned cells' content is moved there)."""
        self.spans = spans
        self.cells = [[dict(cell.__dict__) for cell in row] for row in table._cellStyles]
        self.lists = {name: list(getattr(table, name)) for name in self.LISTS}
        self.corners = getattr(table, "_cornerRadii", None)  # only a style's ROUNDEDCORNERS sets it here

    def cell_styles(self) -> list[list[CellStyle]]:
        """Fresh CellStyle objects (a table may change its own), as setStyle left them."""
        new = CellStyle.__new__
        rows = []
        for row in self.cells:
            out = []
            for values in row:
                cell = new(CellStyle)
                cell.__dict__.update(values)
                out.append(cell)
            rows.append(out)
        return rows

    def apply(self, table: Table) -> None:
        for name, commands in self.lists.items():
            setattr(table, name, list(commands))
        if self.corners is not None:
            table._cornerRadii = list(self.corners)


def _mirrored(tblstyle, rows: list) -> tuple[list, tuple]:
    """The style's commands for the columns in reverse order, and where each span now runs; a spanned cell's
    content moved to where its span now starts (``rows``: the cells, already mirrored)."""
    commands = tblstyle.getCommands() if hasattr(tblstyle, "getCommands") else list(tblstyle)
    columns = max(map(len, rows)) if rows else 0
    mirrored = [mirrored_command(tuple(c), columns) for c in commands]
    spans = tuple((c[1], c[2]) for c in mirrored if str(c[0]).upper() == "SPAN")
    for start, end in spans:
        _span_content_to_start(rows, start, end)
    return mirrored, spans


def _span_content_to_start(rows: list, start: tuple[int, int], end: tuple[int, int]) -> None:
    """A spanned cell shows its first cell; mirrored, the content sits in the span's last one: move it."""
    first, last = start[1] % len(rows), end[1] % len(rows)
    for row in range(first, last + 1):
        cells = rows[row]
        if start[0] != end[0] and cells[end[0]] not in ("", None):
            cells[start[0]], cells[end[0]] = cells[end[0]], cells[start[0]]
