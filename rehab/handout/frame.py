"""What every page carries: the header (a branded band on page 1, a slim line after), and the footer with
clinic contact, date prepared and "Page X of Y".

The total page count is only known at the end, so the canvas keeps each finished page's state and draws the
page numbers when the document is saved (reportlab's usual two-stage recipe, no second layout pass).
"""

from __future__ import annotations

from reportlab.graphics import renderPDF
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .context import Handout
from .logo import drawn_logo, prepared_logo
from .text import fit, fit_shrinking
from .words import long_date, w


class NumberedCanvas(Canvas):
    """A canvas that writes "Page X of Y" on every page once Y is known."""

    def __init__(self, *args, page_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._page_label = page_label
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 - reportlab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if self._page_label:
                self._page_label(self, self._pageNumber, total)
            super().showPage()
        super().save()


class PageDecor:
    """Header and footer painters for one handout (passed as onPage callbacks)."""

    def __init__(self, handout: Handout):
        self.h = handout
        clinic = handout.clinic
        self.clinic_name = handout.line(clinic.name)
        contact = []
        if clinic.phone:
            contact.append(w("footer_phone", phone=handout.line(clinic.phone)))
        if clinic.website:
            contact.append(handout.line(clinic.website))
        self.contact = "  ·  ".join(contact)
        self.prepared = w("footer_prepared", date=long_date(handout.prepared))
        self.note = handout.line(clinic.footer_note)
        self.patient = handout.line(handout.program.patient.name)
        details = [handout.line(part) for part in (clinic.address.replace("\n", ", "), clinic.phone, clinic.email)]
        self.details = "  ·  ".join(part for part in details if part)

    # --- geometry -------------------------------------------------------------------------------------
    @property
    def left(self) -> float:
        return self.h.look.page.margin_left

    @property
    def right(self) -> float:
        return self.h.pagesize[0] - self.h.look.page.margin_right

    @property
    def top(self) -> float:
        return self.h.pagesize[1] - self.h.look.page.margin_top

    def _footer_lines_y(self) -> tuple[float, float]:
        base = self.h.look.page.margin_bottom
        size = self.h.sizes.footer
        return base + size * 1.45, base  # upper line, lower line

    # --- painters ---------------------------------------------------------------------------------------
    def first_page(self, canvas: Canvas, doc) -> None:
        canvas.saveState()
        self._band(canvas)
        self._footer(canvas)
        canvas.restoreState()

    def later_page(self, canvas: Canvas, doc) -> None:
        canvas.saveState()
        self._slim_header(canvas)
        self._footer(canvas)
        canvas.restoreState()

    def page_label(self, canvas: Canvas, page: int, total: int) -> None:
        h, fonts = self.h, self.h.fonts
        canvas.saveState()
        canvas.setFillColor(h.palette.text)
        canvas.setFont(fonts.bold, h.sizes.footer)
        canvas.drawRightString(self.right, self._footer_lines_y()[0], w("footer_page", page=page, total=total))
        canvas.restoreState()

    def _band(self, canvas: Canvas) -> None:
        h, pal, fonts = self.h, self.h.palette, self.h.fonts
        height = h.look.page.first_header_height - 10
        bottom = self.top - height
        canvas.setFillColor(pal.brand_tint)
        canvas.roundRect(self.left, bottom, self.right - self.left, height, 6, stroke=0, fill=1)
        canvas.setFillColor(pal.brand)
        canvas.rect(self.left, bottom, self.right - self.left, 3, stroke=0, fill=1)
        pad = 10
        logo_h = min(h.sizes.logo_height, height - 2 * pad)
        logo_w = self._draw_logo(canvas, self.left + pad, bottom + (height - logo_h) / 2 + 1.5, logo_h)
        x = self.left + pad + logo_w + 12
        width = self.right - pad - x
        name, name_size = fit_shrinking(self.clinic_name, fonts.bold, h.sizes.clinic_name, width,
                                        h.sizes.clinic_name * 0.72)
        canvas.setFillColor(pal.brand_text)
        canvas.setFont(fonts.bold, name_size)
        middle = bottom + height / 2
        name_y = middle + (2 if self.details else -name_size * 0.35)
        canvas.drawString(x, name_y, name)
        if self.details:
            size = h.sizes.footer + 1
            canvas.setFillColor(pal.text)
            canvas.setFont(fonts.regular, size)
            details, size = fit_shrinking(self.details, fonts.regular, size, width, h.sizes.footer)
            canvas.setFont(fonts.regular, size)
            canvas.drawString(x, middle - size * 1.25, details)

    def _draw_logo(self, canvas: Canvas, x: float, y: float, height: float) -> float:
        """Draw the logo ``height`` points tall, keeping its aspect ratio; returns the width used."""
        h = self.h
        if h.clinic.logo is None:
            renderPDF.draw(drawn_logo(height, h.palette.brand, h.palette.page), canvas, x, y)
            return height
        image = prepared_logo(h.clinic.logo, h.grayscale)
        max_width = height * 3.2  # a wide word-mark may be wider than tall, but not crowd out the name
        width = min(max_width, height * image.width / image.height)
        draw_h = width * image.height / image.width
        canvas.drawImage(ImageReader(image), x, y + (height - draw_h) / 2, width, draw_h, mask="auto")
        return width

    def _slim_header(self, canvas: Canvas) -> None:
        h, pal, fonts = self.h, self.h.palette, self.h.fonts
        size = h.sizes.footer + 1
        y = self.top - size
        half = (self.right - self.left) / 2 - 8
        canvas.setFillColor(pal.brand_text)
        canvas.setFont(fonts.bold, size)
        canvas.drawString(self.left, y, fit(self.clinic_name, fonts.bold, size, half))
        canvas.setFillColor(pal.text)
        canvas.setFont(fonts.regular, size)
        canvas.drawRightString(self.right, y, fit(self.patient, fonts.regular, size, half))
        canvas.setStrokeColor(pal.brand)
        canvas.setLineWidth(1.5)
        rule_y = y - size * 0.7
        canvas.line(self.left, rule_y, self.right, rule_y)

    def _footer(self, canvas: Canvas) -> None:
        h, pal, fonts = self.h, self.h.palette, self.h.fonts
        size = h.sizes.footer
        upper, lower = self._footer_lines_y()
        canvas.setStrokeColor(pal.light_rule)
        canvas.setLineWidth(0.8)
        canvas.line(self.left, upper + size * 1.3, self.right, upper + size * 1.3)
        canvas.setFillColor(pal.text)
        page_room = stringWidth(w("footer_page", page=888, total=888), fonts.bold, size) + 12
        canvas.setFont(fonts.regular, size)
        canvas.drawString(self.left, upper, fit(self.contact, fonts.regular, size, self.right - self.left - page_room))
        canvas.drawString(self.left, lower, self.prepared)
        if self.note:
            room = self.right - self.left - stringWidth(self.prepared, fonts.regular, size) - 16
            canvas.setFillColor(pal.muted)
            canvas.drawRightString(self.right, lower, fit(self.note, fonts.regular, size, room))
