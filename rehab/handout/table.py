"""A reportlab Table that measures itself once per width.

Platypus wraps each table several times at the same width (KeepTogether measures a card, then the frame measures
each part again before drawing it). When the last measurement covered every row it does not depend on the height
offered, so it is reused; splitting always measures afresh.
"""

from __future__ import annotations

from reportlab.platypus import Table as _Table


class Table(_Table):
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
        return super().split(availWidth, availHeight)
