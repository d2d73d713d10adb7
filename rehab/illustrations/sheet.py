"""A contact sheet of every drawn exercise with its name, its frame captions and, on top, the colour key: a PDF page
built by reportlab, rasterised with pypdfium2.

Rasterising our own PDF keeps the PNG path free of system libraries (renderPM would need rlPyCairo) and shows
exactly what the handout will print.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from reportlab.lib import colors
from reportlab.pdfgen import canvas

from .key import KEY_TITLE, key_drawing
from .render import drawing_for

CELL_W, CELL_H, LABEL_H, MARGIN, KEY_H = 300.0, 125.0, 16.0, 18.0, 30.0


def sheet_pdf(entries: Sequence[tuple[str, str]], columns: int = 3, accent: colors.Color | None = None) -> bytes:
    """One page: a grid of (exercise id, caption) cells, each drawing with its caption underneath."""
    rows = max(1, -(-len(entries) // columns))
    width = 2 * MARGIN + columns * CELL_W
    height = 2 * MARGIN + rows * (CELL_H + LABEL_H) + KEY_H
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height), invariant=1)
    c.setFillColor(colors.HexColor("#2E3A45"))
    c.setFont("Helvetica-Bold", 9)
    c.drawString(MARGIN, height - MARGIN - 6, KEY_TITLE)
    key = key_drawing(width - 2 * MARGIN, accent, font="Helvetica", size=8.5)
    key.draw_on(c, MARGIN, height - MARGIN - KEY_H + 2 - key.height + 14)
    for i, (exercise_id, caption) in enumerate(entries):
        col, row = i % columns, i // columns
        x = MARGIN + col * CELL_W
        y = height - MARGIN - KEY_H - (row + 1) * (CELL_H + LABEL_H)
        c.setStrokeColor(colors.HexColor("#DDE3E8"))
        c.setLineWidth(0.5)
        c.rect(x + 2, y + 2, CELL_W - 4, CELL_H + LABEL_H - 4)
        drawing = drawing_for(exercise_id, CELL_W - 12, CELL_H - 8, accent, caption_font="Helvetica",
                              caption_size=7.5)
        if drawing is not None:
            drawing.draw_on(c, x + 6, y + LABEL_H + 4)
        c.setFillColor(colors.HexColor("#2E3A45"))
        c.setFont("Helvetica", 8.5)
        c.drawString(x + 8, y + 7, caption)
    c.showPage()
    c.save()
    return buf.getvalue()


def pdf_to_png(pdf: bytes, out: Path, dpi: float = 110) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        page = doc[0]
        image = page.render(scale=dpi / 72).to_pil()
        image.save(out)
        page.close()
    finally:
        doc.close()


def write_sheet(entries: Sequence[tuple[str, str]], out: Path, columns: int = 3) -> None:
    """Write the contact sheet as PNG (or PDF, if ``out`` ends in .pdf)."""
    pdf = sheet_pdf(entries, columns)
    if out.suffix.lower() == ".pdf":
        out.write_bytes(pdf)
    else:
        pdf_to_png(pdf, out)
