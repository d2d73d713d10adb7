"""The handout's shortcuts around reportlab write what reportlab itself would: the same subset codes for a text,
the same QR code path."""

from __future__ import annotations

import io

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from rehab.handout.fonts import REGULAR, register_fonts
from rehab.handout.fridge import _qr_group, _qr_operators
from rehab.handout.look import grey_everything, load_look

TEXTS = ["", "Hold 5 seconds", "3\u00a0sets of 10", "Zażółć gęślą jaźń", "Hold 5 seconds", "café \u2022 naïve",
         "\u00a0", "مرحبا بالعالم", "snowman \u2603 and \U0001f600", "Zażółć", "Hold\u00a05", "x" * 300]


def test_fast_split_gives_reportlabs_codes_text_after_text():
    look = load_look()
    register_fonts(look.font.regular, look.font.bold)
    fast = getFont(REGULAR)
    plain = TTFont("plain_regular", fast.face.filename)  # reportlab's own, on a document of its own
    fast_doc, plain_doc = Canvas(io.BytesIO())._doc, Canvas(io.BytesIO())._doc
    for _ in range(2):  # the second time every character is known: the shortcut answers
        for text in TEXTS:
            assert fast.splitString(text, fast_doc) == plain.splitString(text, plain_doc), text
    assert fast.state[fast_doc].assignments == plain.state[plain_doc].assignments


def test_qr_operators_are_reportlabs_drawing_less_its_unused_font():
    for convert in (None, grey_everything):
        drawing = Drawing(60, 60)
        drawing.add(_qr_group("https://www.example.org", 60, "#1d2b36"))
        canvas = Canvas(io.BytesIO(), enforceColorSpace=convert)
        start = len(canvas._code)
        renderPDF.draw(drawing, canvas, 0, 0)
        drawn = [op for op in canvas._code[start:] if " Tf " not in op]
        assert _qr_operators("https://www.example.org", 60, "#1d2b36", convert).split("\n") == drawn
        assert " re" in " ".join(drawn) or " m " in " ".join(drawn)  # a path was drawn
