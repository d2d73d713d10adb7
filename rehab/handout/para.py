"""A reportlab Paragraph that remembers its last line breaking.

Platypus wraps the same paragraph several times (KeepTogether measures a whole card, a table measures its cells,
the frame measures again before drawing); the lines only depend on the width, so a repeat costs nothing.
"""

from __future__ import annotations

from reportlab.platypus import Paragraph as _Paragraph


class Paragraph(_Paragraph):
    _wrapped: tuple[float, tuple[float, float]] | None = None

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        if self._wrapped is not None and self._wrapped[0] == availWidth and "blPara" in self.__dict__:
            self.width, self.height = self._wrapped[1]
            return self._wrapped[1]
        size = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, size)
        return size
