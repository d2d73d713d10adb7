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
    # two documents written in turn (two handouts at once): each keeps its own codes
    docs = [(Canvas(io.BytesIO())._doc, Canvas(io.BytesIO())._doc) for _ in range(2)]
    for n in range(2):  # the second time every character is known: the shortcut answers
        for text in TEXTS:
            for fast_doc, plain_doc in docs[: n + 1]:
                assert fast.splitString(text, fast_doc) == plain.splitString(text, plain_doc), text
    for fast_doc, plain_doc in docs:
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


def test_a_tables_style_is_applied_once_per_shape_and_the_same_as_reportlabs():
    from reportlab.lib import colors
    from reportlab.platypus import Table as ReportlabTable
    from reportlab.platypus import TableStyle

    from rehab.handout.table import Table

    def style():  # a new list and new colours each time, as the handout's builders make them
        return TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (1, 0), (1, -1), 7),
                           ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#123456")),
                           ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#eeeeee")]),
                           ("LINEBELOW", (0, -1), (-1, -1), 1.2, colors.red), ("SPAN", (0, 2), (1, 2))])

    rows = [["a", "b"], ["c", "d"], ["e", ""]]
    first, second, plain = Table(rows, style=style()), Table(rows, style=style()), ReportlabTable(rows, style=style())
    for table in (first, second):
        assert [[c.__dict__ for c in row] for row in table._cellStyles] == \
            [[c.__dict__ for c in row] for row in plain._cellStyles]
        for name in ("_bkgrndcmds", "_linecmds", "_spanCmds", "_nosplitCmds"):
            assert getattr(table, name) == getattr(plain, name)
    assert all(a is not b for r1, r2 in zip(first._cellStyles, second._cellStyles, strict=True)
               for a, b in zip(r1, r2, strict=True))  # each table its own cell styles
    assert second._linecmds is not first._linecmds
    third = Table([["a", "b"], ["c", "d"]], style=style())  # another shape: styled afresh
    assert len(third._cellStyles) == 2 and third._cellStyles[1][1].leftPadding == 7


def test_font_objects_written_from_the_cache_are_reportlabs_bytes(monkeypatch):
    look = load_look()
    register_fonts(look.font.regular, look.font.bold)
    font = getFont(REGULAR)

    def pdf() -> bytes:
        canvas = Canvas(io.BytesIO(), invariant=1)
        canvas.setFont(REGULAR, 11)
        cyrillic = "".join(map(chr, range(0x410, 0x4a0)))
        canvas.drawString(40, 700, "Zażółć gęślą jaźń \u2022 3\u00a0sets of 10 " + cyrillic)
        return canvas.getpdfdata()

    cached = [pdf(), pdf()]  # the second one from the cache
    with monkeypatch.context() as patch:
        patch.setattr(font, "addObjects", TTFont.addObjects.__get__(font))  # reportlab's own
        plain = pdf()
    assert b"/Widths" in plain and b"/ToUnicode" in plain
    assert cached == [plain, plain]
