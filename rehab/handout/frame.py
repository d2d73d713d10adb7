"""What every page carries: the header (a branded band on page 1, a slim line after), and the footer with the
clinic's contact details, the date prepared, the footer note and "Page X of Y".

Nothing here is ever cut short: a long clinic name, address, email or web address wraps onto more lines, and
the header and footer grow to hold them. ``page_heights`` says how much room they take, so the page frames
(render.py) start below the header and end above the footer.

The total page count is only known at the end, so the canvas keeps each finished page's state and draws the
page numbers when the document is saved (reportlab's usual two-stage recipe, no second layout pass).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.graphics import renderPDF
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from .bidi import canvas_direction, canvas_text
from .bilingual import SECOND, plain
from .context import Handout
from .logo import drawn_logo, prepared_logo
from .text import fit
from .two_directions import halves_in_line, mixed_directions
from .words import long_date, one_language, w

SEPARATOR = "  ·  "
BAND_PAD = 10  # inside the page-1 band, around the logo and the text
BAND_GAP = 10  # between the page-1 band and the page's content
LOGO_GAP = 12  # between the logo and the clinic name
HEADER_GAP = 10  # between the slim header's rule and the page's content
FOOTER_GAP = 10  # between the page's content and the footer's rule
PATIENT_LINES = 2
ROOM_SHARE = 0.3  # later pages' header and footer together take at most this share of the page, if they can
LINE = 1.25  # line height of header and footer text, as a multiple of its size


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines at most ``width`` points wide: at spaces, and inside a word (a long web or
    email address) only when the word alone is too wide. Every character is kept."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if stringWidth(trial, font, size) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        while stringWidth(word, font, size) > width:
            cut = _longest_prefix(word, font, size, width)
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


BREAK_AFTER = "./-_@?&=#"  # where a web or email address may break, so no line holds a lone letter


def _longest_prefix(word: str, font: str, size: float, width: float) -> int:
    """How many characters of ``word`` go on this line: as many as fit, ending after a break mark when one is
    in the second half."""
    low, high = 1, len(word)  # at least one character per line, however narrow the room
    while low < high:
        mid = (low + high + 1) // 2
        if stringWidth(word[:mid], font, size) <= width:
            low = mid
        else:
            high = mid - 1
    marks = [i + 1 for i, ch in enumerate(word[:low]) if ch in BREAK_AFTER and i + 1 >= low / 2]
    return marks[-1] if marks else low


def wrap_parts(parts: list[str], font: str, size: float, width: float) -> list[str]:
    """Parts joined by a middle dot, a line break only between parts where one fits, each part wrapped alone
    when it is wider than a line."""
    lines: list[str] = []
    for part in parts:
        if lines and stringWidth(lines[-1] + SEPARATOR + part, font, size) <= width:
            lines[-1] += SEPARATOR + part
        else:
            lines += wrap(part, font, size, width)
    return lines


@dataclass(frozen=True)
class PageHeights:
    """Room taken at the top of page 1, at the top of later pages, and at the foot of every page (points; the
    gap to the content included)."""

    first_header: float
    header: float
    footer: float


def page_heights(h: Handout) -> PageHeights:
    """How tall this handout's header and footer are, for its clinic, paper and print size."""
    return PageDecor(h).heights


class NumberedCanvas(Canvas):
    """A canvas that writes "Page X of Y" on every page once Y is known."""

    def __init__(self, *args, page_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._page_label = page_label
        self._pages: list[dict] = []

    def drawString(self, x, y, text, *args, **kw):  # noqa: N802 - reportlab's names
        return super().drawString(x, y, self._shaped(text), *args, **kw)

    def drawRightString(self, x, y, text, *args, **kw):  # noqa: N802
        return super().drawRightString(x, y, self._shaped(text), *args, **kw)

    def drawCentredString(self, x, y, text, *args, **kw):  # noqa: N802
        return super().drawCentredString(x, y, self._shaped(text), *args, **kw)

    def _shaped(self, text: str) -> str:
        """Right-to-left letters drawn on the canvas are shaped and ordered (bidi.py); other text as it was."""
        if isinstance(text, str) and SECOND in text:
            if mixed_directions():  # each half shaped and ordered in its own direction
                return halves_in_line(text, self._fontname, self._fontsize)
            text = plain(text)  # a two-language line on the canvas: "Página 1 de 4 · Page 1 of 4"
        direction = canvas_direction(text) if isinstance(text, str) else None
        return canvas_text(text, direction, self._fontname, self._fontsize) if direction else text

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
    """Header and footer painters for one handout (passed as onPage callbacks), their lines wrapped once."""

    def __init__(self, handout: Handout):
        self.h = h = handout
        self._later_page: tuple[Canvas, list[str]] | None = None  # (canvas, what later_page wrote on it)
        clinic, fonts, sizes = h.clinic, h.fonts, h.sizes
        full = self.right - self.left

        # page-1 band: logo, then the clinic name and its details beside it
        self.logo_height = sizes.logo_height
        self.logo_width = self._logo_width(self.logo_height)
        text_w = full - 2 * BAND_PAD - self.logo_width - LOGO_GAP
        self.name_lines = wrap(h.line(clinic.name), fonts.bold, sizes.clinic_name, text_w)
        # the address and phone, as on a letterhead; the email and website are in every page's footer
        details = [h.line(line) for line in [*clinic.address.splitlines(), clinic.phone] if line.strip()]
        self.detail_lines = wrap_parts(details, fonts.regular, sizes.header, text_w)
        text_h = len(self.name_lines) * sizes.clinic_name * 1.2 + len(self.detail_lines) * sizes.header * LINE
        if self.detail_lines:
            text_h += sizes.header * 0.4
        page = h.look.page
        self.band_height = max(page.first_header_height - BAND_GAP, self.logo_height + 2 * BAND_PAD,
                               text_h + 2 * BAND_PAD + 3)

        # later pages and the footer: at their own size while they leave most of the page to the content; only
        # the longest details the profile allows make them step down, never below the normal-print sizes
        normal = h.look.sizes.normal
        header_size, footer_size = sizes.header, sizes.footer
        while True:
            self._slim_and_footer(header_size, footer_size)
            used = self.slim_height + HEADER_GAP + self.footer_rule + FOOTER_GAP
            if used <= h.pagesize[1] * ROOM_SHARE or (header_size <= normal.header and footer_size <= normal.footer):
                break
            header_size, footer_size = max(normal.header, header_size - 1), max(normal.footer, footer_size - 1)
        self.heights = PageHeights(
            first_header=self.band_height + BAND_GAP,
            header=max(page.header_height, self.slim_height + HEADER_GAP),
            footer=max(page.footer_height, self.footer_rule + FOOTER_GAP),
        )

    def _slim_and_footer(self, header_size: float, footer_size: float) -> None:
        """Lines and heights of the later pages' header and of every footer, at these sizes."""
        h, clinic, fonts = self.h, self.h.clinic, self.h.fonts
        full = self.right - self.left
        self.header_size, self.footer_size = header_size, footer_size

        # the clinic name, whole, on the left; the patient's name on the right, in at most a third of the width
        # and two lines (page 1 prints it whole), so a long one cannot crowd the page out
        patient = h.line(h.program.patient.name)
        patient_w = min(stringWidth(patient, fonts.regular, header_size), full / 3)
        self.slim_name = wrap(h.line(clinic.name), fonts.bold, header_size, full - patient_w - 16)
        self.slim_patient = wrap(patient, fonts.regular, header_size, patient_w)
        if len(self.slim_patient) > PATIENT_LINES:
            rest = " ".join(self.slim_patient[PATIENT_LINES - 1:])
            self.slim_patient[PATIENT_LINES - 1:] = [fit(rest, fonts.regular, header_size, patient_w)]
        slim_lines = max(len(self.slim_name), len(self.slim_patient), 1)
        self.slim_height = slim_lines * header_size * LINE + header_size * 0.3

        # footer, top to bottom: the contact lines, then the date prepared and the footer note, with the page
        # number on the right of the last line
        size = footer_size
        # the contact line and the date in the handout's language only, in a two-language handout too: the
        # number and the date are the same in both, and two of each would take two more lines on every page
        parts = [one_language("footer_phone", phone=h.line(clinic.phone)) if clinic.phone.strip() else "",
                 h.line(clinic.email), h.line(clinic.website)]
        self.contact_lines = wrap_parts([p for p in parts if p], fonts.regular, size, full)
        page_room = stringWidth(w("footer_page", page=888, total=888), fonts.bold, size) + 12
        prepared = one_language("footer_prepared", date=long_date(h.prepared))
        notes = [p for p in (prepared, h.line(clinic.footer_note)) if p]
        self.note_lines = wrap_parts(notes, fonts.regular, size, full - page_room)
        self.page_on_line = len(self.contact_lines) + len(self.note_lines) - 1  # "Page X of Y" beside the last line
        if self.contact_lines:  # or beside the last contact line, when the note then takes a line less (16 pt)
            whole = wrap_parts(notes, fonts.regular, size, full)
            if (len(whole) < len(self.note_lines)
                    and stringWidth(self.contact_lines[-1], fonts.regular, size) + page_room <= full):
                self.note_lines = whole
                self.page_on_line = len(self.contact_lines) - 1
        above = len(self.contact_lines) + len(self.note_lines) - 1  # lines above the last one
        self.footer_rule = above * size * LINE + size * 1.1  # from the last baseline up to the rule

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

    @property
    def bottom(self) -> float:
        """The baseline of the footer's last line."""
        return self.h.look.page.margin_bottom

    def _logo_width(self, height: float) -> float:
        if self.h.clinic.logo is None:
            return height
        image = prepared_logo(self.h.clinic.logo, self.h.grayscale)
        return min(height * 3.2, height * image.width / image.height)  # a word-mark must not crowd the name out

    # --- painters ---------------------------------------------------------------------------------------
    def first_page(self, canvas: Canvas, doc) -> None:
        canvas.saveState()
        self._band(canvas)
        self._footer(canvas)
        canvas.restoreState()

    def later_page(self, canvas: Canvas, doc) -> None:
        """Every later page has the same header and footer (the page number is written at the end): drawn once,
        then the same operators again, inside their own q ... Q."""
        drawn = self._later_page
        if drawn is not None and drawn[0] is canvas:
            canvas._code.extend(drawn[1])
            return
        start = len(canvas._code)
        canvas.saveState()
        self._slim_header(canvas)
        self._footer(canvas)
        canvas.restoreState()
        self._later_page = (canvas, canvas._code[start:])

    def page_label(self, canvas: Canvas, page: int, total: int) -> None:
        h = self.h
        canvas.saveState()
        canvas.setFillColor(h.palette.text)
        canvas.setFont(h.fonts.bold, self.footer_size)
        lines = len(self.contact_lines) + len(self.note_lines)
        y = self.bottom + self.footer_size * LINE * (lines - 1 - self.page_on_line)
        canvas.drawRightString(self.right, y, w("footer_page", page=page, total=total))
        canvas.restoreState()

    def _band(self, canvas: Canvas) -> None:
        pal, fonts, sizes = self.h.palette, self.h.fonts, self.h.sizes
        height = self.band_height
        bottom = self.top - height
        canvas.setFillColor(pal.brand_tint)
        canvas.roundRect(self.left, bottom, self.right - self.left, height, 6, stroke=0, fill=1)
        canvas.setFillColor(pal.brand)
        canvas.rect(self.left, bottom, self.right - self.left, 3, stroke=0, fill=1)
        self._draw_logo(canvas, self.left + BAND_PAD, self.top - BAND_PAD - self.logo_height, self.logo_height)
        x = self.left + BAND_PAD + self.logo_width + LOGO_GAP
        name_step, detail_step = sizes.clinic_name * 1.2, sizes.header * LINE
        gap = sizes.header * 0.4 if self.detail_lines else 0
        block = len(self.name_lines) * name_step + gap + len(self.detail_lines) * detail_step
        cursor = bottom + 3 + (height - 3 + block) / 2  # the text block sits in the middle, above the brand rule
        canvas.setFillColor(pal.brand_text)
        canvas.setFont(fonts.bold, sizes.clinic_name)
        for line in self.name_lines:
            canvas.drawString(x, cursor - sizes.clinic_name * 0.95, line)
            cursor -= name_step
        cursor -= gap
        canvas.setFillColor(pal.text)
        canvas.setFont(fonts.regular, sizes.header)
        for line in self.detail_lines:
            canvas.drawString(x, cursor - sizes.header * 1.05, line)
            cursor -= detail_step

    def _draw_logo(self, canvas: Canvas, x: float, y: float, height: float) -> None:
        """Draw the logo ``height`` points tall, keeping its aspect ratio."""
        h = self.h
        if h.clinic.logo is None:
            renderPDF.draw(drawn_logo(height, h.palette.brand, h.palette.page), canvas, x, y)
            return
        image = prepared_logo(h.clinic.logo, h.grayscale)
        width = self.logo_width
        draw_h = width * image.height / image.width
        canvas.drawImage(ImageReader(image), x, y + (height - draw_h) / 2, width, draw_h, mask="auto")

    def _slim_header(self, canvas: Canvas) -> None:
        pal, fonts = self.h.palette, self.h.fonts
        size = self.header_size
        y = self.top - size
        canvas.setFillColor(pal.brand_text)
        canvas.setFont(fonts.bold, size)
        for i, line in enumerate(self.slim_name):
            canvas.drawString(self.left, y - i * size * LINE, line)
        canvas.setFillColor(pal.text)
        canvas.setFont(fonts.regular, size)
        for i, line in enumerate(self.slim_patient):
            canvas.drawRightString(self.right, y - i * size * LINE, line)
        canvas.setStrokeColor(pal.brand)
        canvas.setLineWidth(1.5)
        rule_y = self.top - self.slim_height
        canvas.line(self.left, rule_y, self.right, rule_y)

    def _footer(self, canvas: Canvas) -> None:
        pal, fonts = self.h.palette, self.h.fonts
        size = self.footer_size
        step = size * LINE
        y = self.bottom + step * (len(self.contact_lines) + len(self.note_lines) - 1)  # the first baseline
        canvas.setStrokeColor(pal.light_rule)
        canvas.setLineWidth(0.8)
        canvas.line(self.left, self.bottom + self.footer_rule, self.right, self.bottom + self.footer_rule)
        canvas.setFont(fonts.regular, size)
        canvas.setFillColor(pal.text)
        for line in self.contact_lines:
            canvas.drawString(self.left, y, line)
            y -= step
        canvas.setFillColor(pal.muted)
        for line in self.note_lines:  # "Page X of Y" goes on the right of the last line, or of the last contact
            # line when the note needs the whole width (page_label)
            canvas.drawString(self.left, y, line)
            y -= step
