"""Handouts in the patient's language, checked as a reader's computer sees them (poppler's pdftotext).

Every template prints in Spanish, Polish and Arabic with no English left but names (the patient's, the
clinician's, the clinic's own details); names in every script still print literally. See docs/translations.md.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest
import yaml
from babel.dates import get_day_names, get_month_names

from rehab.content.content import load_templates
from rehab.domain import Language, Patient, Side
from rehab.domain.clinic import Clinic
from rehab.handout import render_handout
from rehab.handout.bidi import RIGHT_TO_LEFT
from rehab.program.templates import program_from_template
from rehab.words.catalog import po_path
from rehab.words.entries import TRANSLATIONS
from tests.conftest import require_tool
from tests.integration.test_handout_pdf import pdftotext, run
from tests.support.handout_samples import PREPARED, sample_clinic

TRANSLATED = ("es", "pl", "ar")
HOSTILE = ("O'Brien & <Sons>", "Łukasz Żółć", "Ολυμπία", "Юлия", "Nguyễn Thị Minh Khai", "محمد الأحمد")
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
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


def text_of(tmp_path: Path, pdf: bytes, name: str, *extra: str) -> str:
    """What a reader's computer extracts: Arabic presentation forms back to letters (NFKC), poppler's
    direction marks left out."""
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    return BIDI_MARKS.sub("", unicodedata.normalize("NFKC", pdftotext(path, *extra)))


def drawn_words(path: Path, page: int = 1) -> list[tuple[float, float, float, str]]:
    """(xMin, yMin, xMax, word) as drawn (pdftotext -bbox): a right-to-left word's letters come in drawing
    order, so it is read back by reversing it before the joined forms become letters again (NFKC)."""
    boxes = pdftotext(path, "-bbox", "-f", str(page), "-l", str(page))
    found = []
    for x0, y0, x1, raw in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', boxes):
        word = html.unescape(raw)
        if RIGHT_TO_LEFT.search(word):
            word = word[::-1]
        found.append((float(x0), float(y0), float(x1), unicodedata.normalize("NFKC", word)))
    return found


def drawn_lines(path: Path, page: int = 1) -> list[str]:
    """Each line as read: left to right for left-to-right text, right to left when it starts right to left."""
    rows: dict[int, list] = {}
    for x0, y0, _x1, word in drawn_words(path, page):
        rows.setdefault(round(y0), []).append((x0, word))
    lines = []
    for _y, words in sorted(rows.items()):
        ordered = [w for _x, w in sorted(words)]
        lines.append(" ".join(ordered))
        lines.append(" ".join(reversed(ordered)))  # the same line read right to left
    return lines


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
@pytest.mark.parametrize("name", HOSTILE)
def test_names_in_every_script_print_literally(tmp_path, language, name):
    clinic = sample_clinic(name="Clínica <Ñandú> & Żółć")
    made = program("phase1_settle", language, name).model_copy(update={"notes": name})
    path = tmp_path / "names.pdf"
    path.write_bytes(render_handout(made, clinic, prepared=PREPARED))
    # page 2's running header (one line, where page 1's narrow cell may wrap it), letter for letter, as drawn
    lines = drawn_lines(path, 2)
    assert any(name in line for line in lines), lines[:6]
    assert any("Clínica <Ñandú> & Żółć" in line for line in lines)


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_handout_asked_for_in_a_language_overrides_the_program_and_the_pdf_says_its_language(tmp_path, language):
    pdf = render_handout(program("phase1_settle", None), sample_clinic(), prepared=PREPARED, language=language)
    assert f"/Lang ({language})".encode() in pdf
    assert Language(language)  # a known code


def test_arabic_reads_right_to_left_letters_joined_and_the_page_is_mirrored(tmp_path):
    """Proof by extraction: the title's first word is drawn rightmost, at the right margin; its letters are the
    joined forms (presentation forms before NFKC), and the exercise number column is on the right."""
    pdf = render_handout(program("phase2_strengthen", "ar"), sample_clinic(), prepared=PREPARED, invariant=True)
    path = tmp_path / "ar.pdf"
    path.write_bytes(pdf)
    raw = pdftotext(path, "-f", "1", "-l", "1")
    assert re.search("[\ufe70-\ufefc]", raw), "no joined Arabic letter forms: shaping is off"
    page_width = float(re.search(r'<page width="([\d.]+)"', pdftotext(path, "-bbox", "-l", "1")).group(1))
    words = drawn_words(path)
    title = "برنامج تمارين ركبتك"  # "Your knee exercise program" in the Arabic catalogue
    first, *rest = title.split()
    placed = {text: (x0, y0, x1) for x0, y0, x1, text in words}
    assert first in placed, sorted(placed)[:40]
    x0, y0, x1 = placed[first]
    assert x1 > page_width * 0.85  # at the right margin
    same_line = [w for w in words if abs(w[1] - y0) < 2 and w[3] in rest]
    assert len(same_line) == len(rest) and all(w[2] <= x0 + 0.5 for w in same_line)  # every later word left of it
    assert [w[3] for w in sorted(same_line, key=lambda w: -w[0])] == rest  # and in reading order, right to left
    numbers = [w for w in words if w[3] == "1" and w[0] > page_width * 0.85]
    assert numbers, "the exercise list's number column is not on the right"


def test_arabic_digits_stay_western_and_phone_numbers_keep_their_order(tmp_path):
    text = text_of(tmp_path, render_handout(program("phase1_settle", "ar"), sample_clinic(), prepared=PREPARED),
                   "ar")
    assert "+44 20 7946 0958" in " ".join(text.split())
    assert not re.search("[\u0660-\u0669]", text)


def test_reportlab_loaded_with_python_bidi_as_its_right_to_left_module():
    import sys

    from rehab.handout.bidi import right_to_left_loaded

    assert right_to_left_loaded()
    assert sys.modules["rlbidi"].log2vis.__module__ == "rehab.words.rtl"


def test_arabic_paragraphs_are_set_in_noto_sans_arabic_and_every_font_is_embedded(tmp_path):
    path = tmp_path / "ar.pdf"
    path.write_bytes(render_handout(program("phase1_settle", "ar"), sample_clinic(), prepared=PREPARED))
    fonts = run(require_tool("pdffonts", "poppler-utils"), str(path)).stdout.decode()
    assert "NotoSansArabic-Regular" in fonts and "NotoSansArabic-Bold" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:] if "Noto" in line or "DejaVu" in line)


def test_the_arabic_tick_box_calendar_runs_right_to_left(tmp_path):
    """The fridge calendar mirrored like every table: Monday's column next to the labels on the right, Sunday's
    on the left of each week, and week 1 to the right of week 2."""
    from rehab.words import speaking
    from rehab.words.formats import WEEKDAYS_SHORT

    path = tmp_path / "ar.pdf"
    path.write_bytes(render_handout(program("phase2_strengthen", "ar"), sample_clinic(), prepared=PREPARED,
                                    paper="A4", layout="compact"))
    with speaking("ar"):
        monday, sunday = WEEKDAYS_SHORT[0], WEEKDAYS_SHORT[6]
    words = drawn_words(path)
    rows: dict[int, list[tuple[float, str]]] = {}
    for x0, y0, _x1, word in words:
        rows.setdefault(round(y0), []).append((x0, word))
    head_y, head = next((y, sorted(row)) for y, row in rows.items() if [w for _x, w in row].count(monday) == 2
                        and [w for _x, w in row].count(sunday) == 2)
    assert head[-1][1] == monday and head[0][1] == sunday  # Monday rightmost, Sunday leftmost
    order = [w for _x, w in head]
    with speaking("ar"):
        assert order[:7] == list(reversed(WEEKDAYS_SHORT)) and order[7:] == list(reversed(WEEKDAYS_SHORT))
    below = [(x, w) for x, y, _x1, w in words if 0 < y - head_y < 40]  # the calendar's first weeks
    first, second = (next(x for x, w in below if w == day) for day in ("23", "30"))  # weeks 1 and 2 start
    assert first > second
