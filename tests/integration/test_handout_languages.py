"""Handouts in the patient's language, checked as a reader's computer sees them (poppler's pdftotext).

Every template prints in Spanish, Polish and Arabic with no English left but names (the patient's, the
clinician's, the clinic's own details); names in every script still print literally. See docs/translations.md.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

import pytest
import yaml
from babel.dates import get_day_names, get_month_names

from rehab.clinic import Clinic
from rehab.content import load_templates
from rehab.domain import Language, Patient, Side
from rehab.handout import render_handout
from rehab.templates import program_from_template
from rehab.words.catalog import po_path
from rehab.words.entries import TRANSLATIONS
from tests.integration.test_handout_pdf import pdftotext
from tests.unit.test_handout_render import PREPARED, sample_clinic

TRANSLATED = ("es", "pl")  # Arabic: below, once right-to-left is done
HOSTILE = ("O'Brien & <Sons>", "Łukasz Żółć", "Ολυμπία", "Юлия", "Nguyễn Thị Minh Khai")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def words(text: str) -> set[str]:
    return {word.casefold() for word in WORD.findall(text) if len(word) > 1}


@cache
def vocabulary(language: str) -> frozenset[str]:
    """Every word the language's own text uses: its catalogue and its translated content."""
    text = po_path(language).read_text(encoding="utf-8").split('msgstr ""', 1)[1]
    found = words(" ".join(re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', text, re.MULTILINE)))
    for kind in ("exercises", "education", "templates"):
        data = yaml.safe_load((TRANSLATIONS / language / f"{kind}.yaml").read_text(encoding="utf-8"))
        found |= words(yaml.safe_dump(data, allow_unicode=True))
    # CLDR's month and weekday names (Babel), and the calendar's two-letter weekdays ("do", "so")
    names = [*get_month_names("abbreviated", locale=language).values(), *get_month_names("wide", locale=language,
             context="format").values(), *get_day_names("abbreviated", locale=language).values()]
    found |= words(" ".join(names)) | {name[:2].casefold() for name in names}
    return frozenset(found)


def program(template_id: str, language: str | None, name: str = "Test Patient"):
    patient = Patient(name=name, affected_side=Side.LEFT, language=language)
    return program_from_template(template_id, patient, start_date=dt.date(2026, 11, 23), clinician="Alex Physio")


def text_of(tmp_path: Path, pdf: bytes, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    return pdftotext(path)


def names_of(clinic: Clinic, *more: str) -> set[str]:
    return words(" ".join([clinic.name, clinic.address, clinic.footer_note, clinic.website, clinic.email, *more]))


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("template_id", sorted(load_templates()))
def test_every_template_prints_in_the_language_with_no_english_left(tmp_path, template_id, language):
    clinic = sample_clinic()
    english = words(text_of(tmp_path, render_handout(program(template_id, None), clinic, prepared=PREPARED), "en"))
    pdf = render_handout(program(template_id, language), clinic, prepared=PREPARED)
    translated = words(text_of(tmp_path, pdf, language))
    left = translated & english - vocabulary(language) - names_of(clinic, "Test Patient", "Alex Physio")
    assert not left, f"English left in the {language} handout of {template_id}: {sorted(left)}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_names_in_every_script_print_literally(tmp_path, language):
    names = " · ".join(HOSTILE)
    clinic = sample_clinic(name="Clínica <Ñandú> & Żółć")
    made = program("phase2_strengthen", language, names).model_copy(update={"notes": names})
    text = " ".join(text_of(tmp_path, render_handout(made, clinic, prepared=PREPARED), language).split())
    for name in HOSTILE:
        assert text.count(name) >= 2, name  # the patient line and the notes, letter for letter
    assert "Clínica <Ñandú> & Żółć" in text


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_handout_asked_for_in_a_language_overrides_the_program_and_the_pdf_says_its_language(tmp_path, language):
    pdf = render_handout(program("phase1_settle", None), sample_clinic(), prepared=PREPARED, language=language)
    assert f"/Lang ({language})".encode() in pdf
    assert Language(language)  # a known code
