"""Every bullet a handout prints in English it prints in every language. Noto Sans Arabic has no "•": a bullet set
in it came out as nothing, so the Arabic "make it harder when" list lost its bullets (bullets stay in DejaVu)."""

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


def bullets(template_id: str, language: str) -> int:
    program = program_from_template(template_id, Patient(name="Test Patient", affected_side=Side.LEFT),
                                    start_date=dt.date(2026, 11, 23))
    pdf = render_handout(program, None, language=language, prepared=PREPARED)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return sum(char["text"] == "•" for page in document.pages for char in page.chars)


@pytest.mark.parametrize("template_id", sorted(load_templates()))
def test_every_language_prints_the_bullets_english_prints(template_id):
    english = bullets(template_id, "en")
    assert english > 0
    assert {language: bullets(template_id, language) for language in ("es", "pl", "ar")} == dict.fromkeys(
        ("es", "pl", "ar"), english)
