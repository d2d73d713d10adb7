"""The glyphs a handout prints, in every language: every bullet English prints (Noto Sans Arabic has no "•": a
bullet set in it came out as nothing, so bullets stay in DejaVu), and Latin names in an Arabic handout without the
discretionary ligatures reportlab's shaping turned on ("Teﬆ" for "Test")."""

from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pytest

from rehab.content.content import load_templates
from rehab.domain import Patient, Side
from rehab.handout import render_handout
from rehab.program.templates import program_from_template
from tests.support.handout_samples import PREPARED


def handout(template_id: str, language: str, name: str = "Test Patient", **options) -> bytes:
    program = program_from_template(template_id, Patient(name=name, affected_side=Side.LEFT),
                                    start_date=dt.date(2026, 11, 23), clinician="Kristen Westcott")
    return render_handout(program, None, language=language, prepared=PREPARED, **options)


def bullets(template_id: str, language: str) -> int:
    with pdfplumber.open(io.BytesIO(handout(template_id, language))) as document:
        return sum(char["text"] == "•" for page in document.pages for char in page.chars)


@pytest.mark.parametrize("template_id", sorted(load_templates()))
def test_every_language_prints_the_bullets_english_prints(template_id):
    english = bullets(template_id, "en")
    assert english > 0
    assert {language: bullets(template_id, language) for language in ("es", "pl", "ar")} == dict.fromkeys(
        ("es", "pl", "ar"), english)


@pytest.mark.parametrize("second_language", [None, "en"])
def test_latin_names_in_an_arabic_handout_print_without_ligatures(second_language):
    pdf = handout("phase2_strengthen", "ar", name="Christine Foster", second_language=second_language)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = "".join(char["text"] for page in document.pages for char in page.chars)
    assert "\ufb06" not in text and "\ufb05" not in text  # the st and long-s t ligatures
    assert "Christine Foster" in text and "Kristen Westcott" in text
