"""A reportlab Table that measures itself once per width.

Platypus wraps each table several times at the same width (KeepTogether measures a card, then the frame measures
each part again before drawing it). When the last measurement covered every row it does not depend on the height
offered, so it is reused; splitting always measures afresh.
"""

from __future__ import annotations

from reportlab.platypus import PageBreak
from reportlab.platypus import Table as _Table


class Table(_Table):
    min_rows = 0  # a split must leave at least this many body rows on each side, else the table moves on whole

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        cached = self.__dict__.get("_measured")
        if cached is not None and cached[0] == availWidth:
            self.availWidth = availWidth
            return cached[1]
        size = super().wrap(availWidth, availHeight)
        complete = getattr(self, "_hmax", None) == len(self._cellvalues)  # long tables may stop measuring early
        self._measured = (availWidth, size) if complete else None
        return size

    def split(self, availWidth, availHeight):  # noqa: N803
        self._measured = None  # splitting re-measures, possibly only part of the rows
        pieces = self._carry(super().split(availWidth, availHeight))
        if not self.min_rows or len(pieces) != 2:
            return pieces
        head = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
        first = len(pieces[0]._cellvalues) - head  # body rows that fit here
        total = len(self._cellvalues) - head
        keep = min(first, total - self.min_rows)  # leave enough rows for the next page
        frame = getattr(self, "_frame", None)
        if keep < self.min_rows:
            # rows so tall that three never fit even a whole page: split as they come
            fresh_page = frame is not None and availHeight >= frame._height * 0.95
            return pieces if fresh_page else []
        if keep == first:
            return pieces
        # split again where only ``keep`` body rows fit; the rest starts the next page, not the room left here
        self.wrap(availWidth, availHeight)
        height = sum(self._rowHeights[: head + keep]) + 0.01
        self._measured = None
        pieces = self._carry(super().split(availWidth, height))
        return [pieces[0], PageBreak(), *pieces[1:]] if len(pieces) == 2 else pieces

    def _carry(self, pieces: list) -> list:
        """Each piece keeps the rule on rows (reportlab makes the pieces without our attributes)."""
        for piece in pieces:
            if isinstance(piece, Table):
                piece.min_rows = self.min_rows
        return pieces
