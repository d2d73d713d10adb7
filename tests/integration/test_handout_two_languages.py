"""The two-language handout (docs/translations.md): every block in the handout's language and, beneath it,
smaller, in a second language, for any two of English, Spanish, Polish and Arabic.

Checked as a reader's computer sees the pages: pypdfium2 for the text inside the frame per page and how full each
page is (as the layout tests do), poppler's ``pdftotext -bbox`` for the order of the lines and of the words in
them (an Arabic line read right to left).
"""

from __future__ import annotations

import io
from functools import cache

import pytest

from rehab.content.content import load_templates
from rehab.content.library import load_library
from rehab.domain import Language
from rehab.domain.clinic import Paper
from rehab.errors import RehabError
from rehab.handout import render_handout
from rehab.handout.bilingual import Second, with_second
from rehab.handout.frame import page_heights
from rehab.handout.look import load_look
from rehab.handout.render import build_handout
from rehab.handout_content import HandoutContent, build_content
from rehab.words import speaking
from rehab.words.catalog import gettext
from rehab.words.entries import translate_library, translate_program
from rehab.words.handout import w
from tests.integration.test_handout_languages import drawn_lines, program, text_of
from tests.integration.test_handout_layouts import read_pages
from tests.support.handout_samples import PREPARED, sample_clinic

TEMPLATES = sorted(load_templates())
PAPERS = ("A4", "Letter")
LANGUAGES = ("en", "es", "pl", "ar")
PAIRS = [(first, other) for first in LANGUAGES for other in LANGUAGES if first != other]
WITH_ARABIC = [(first, other) for first, other in PAIRS if "ar" in (first, other)]


def pair_id(pair: tuple[str, str]) -> str:
    return "+".join(pair)


@cache
def compact(template_id: str, paper: str, first: str, other: str | None) -> bytes:
    return render_handout(program(template_id, first), sample_clinic(), prepared=PREPARED, paper=paper,
                          layout="compact", second_language=other)


@cache
def content(template_id: str, language: str) -> HandoutContent:
    with speaking(language):
        return build_content(translate_program(program(template_id, language), Language(language)), sample_clinic(),
                             translate_library(load_library(), Language(language)), prepared=PREPARED)


@cache
def pages(template_id: str, paper: str, first: str, other: str) -> tuple[list[str], list[float]]:
    """Per page: the text inside the frame (spaces as one) and the share of the frame used, with the header and
    footer heights this two-language handout has."""
    made = program(template_id, first)
    with speaking(first), with_second(Second(Language(other), made, load_library())):
        h = build_handout(translate_program(made, Language(first)), sample_clinic(), paper=Paper(paper.lower()),
                          large_print=False, grayscale=False, prepared=PREPARED,
                          library=translate_library(load_library(), Language(first)), look=load_look())
        room = page_heights(h)
    texts, used = read_pages(compact(template_id, paper, first, other), False, room)
    return [" ".join(text.replace("\u00a0", " ").split()) for text in texts], used


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def titles(template_id: str, language: str) -> list[tuple[str, ...]]:
    """Each card's number and name as its title bar prints them, as extracted: "1. Name", or for Arabic ".1 Name"
    (the full stop read at the end of a right-to-left run)."""
    return [(f"{card.number}. {card.name}", f".{card.number} {card.name}")
            for card in content(template_id, language).cards]


def stop_words(language: str) -> str:
    """The start of each card's last box ("Stop if your pain goes above"), in the language."""
    with speaking(language):
        return gettext("Stop if your pain goes above {n} out of 10.").partition("{n}")[0].strip()


def test_a_two_language_handout_prints_each_block_in_both_languages(tmp_path):
    """Spanish first, English beneath: headings, doses and the layout's own words in both (pages: BENCHMARKS.md)."""
    made = program("phase2_strengthen", "es")
    text = " ".join(text_of(tmp_path, render_handout(made, sample_clinic(), prepared=PREPARED,
                                                     second_language="en"), "es-en").split())
    for spanish, english in (("Tus ejercicios para la rodilla", "Your knee exercise program"),
                             ("Cómo hacer cada ejercicio", "How to do each exercise"),
                             ("3 series de 12, cada pierna", "3 sets of 12, each leg"),
                             ("Página 1 de", "Page 1 of")):
        assert spanish in text and english in text, (spanish, english)
    assert "\ue000" not in text


def test_a_second_language_must_differ_from_the_first():
    with pytest.raises(RehabError) as refused:
        render_handout(program("phase1_settle", "es"), sample_clinic(), second_language="es")
    assert str(refused.value) == ("second_language: use one of: en, pl, ar (not the handout's own language, es)")


@pytest.mark.parametrize("template_id", TEMPLATES)
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize(("first", "other"), PAIRS, ids=map(pair_id, PAIRS))
def test_a_two_language_handout_takes_at_most_1_6_times_the_pages(template_id, paper, first, other):
    """The compact two-language handout within the issue's page rule, against the one-language compact handout in
    its first language: the second language on a smaller line beneath the first (with Arabic, a paragraph of its
    own), the week plan's doses and the calendar once, the footer's date once (bilingual.py)."""
    single = page_count(compact(template_id, paper, first, None))
    two = page_count(compact(template_id, paper, first, other))
    assert two <= 1.6 * single, f"{template_id} {first}+{other} on {paper}: {two} pages against {single}"


@pytest.mark.parametrize("template_id", TEMPLATES)
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize(("first", "other"), PAIRS, ids=map(pair_id, PAIRS))
def test_no_part_of_a_two_language_card_starts_a_page_without_the_cards_name(template_id, paper, first, other):
    """A two-language card's advice boxes may go to the next page (the page rule), but under the card's name
    again: on every page with a card's last box ("Stop if your pain goes above …") the card's name is printed,
    and every card's last box is printed once."""
    texts, _ = pages(template_id, paper, first, other)
    stop = stop_words(first)
    cards = titles(template_id, first)
    seen = 0
    for index, text in enumerate(texts):
        here = text.count(stop)
        for forms in cards[seen:seen + here]:
            assert any(form in text for form in forms), f"page {index + 1}: the last box of {forms[0]!r} alone"
        seen += here
    assert seen == len(cards)


@pytest.mark.parametrize("template_id", TEMPLATES)
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize(("first", "other"), WITH_ARABIC, ids=map(pair_id, WITH_ARABIC))
def test_the_compact_page_rules_hold_with_arabic(template_id, paper, first, other):
    """The compact layout's rules (tests/integration/test_handout_layouts.py) for Arabic with another language: no
    page but the last less than half full, no page ending with a heading (in either language), and no piece of
    the week plan of fewer than three exercises."""
    texts, used = pages(template_id, paper, first, other)
    half_empty = [i + 1 for i, share in enumerate(used[:-1]) if share < 0.5]
    assert not half_empty, f"pages less than half full: {half_empty} ({[round(u, 2) for u in used]})"

    headings = []
    for language in (first, other):
        with speaking(language):
            headings += [w(key) for key in ("cards_heading", "plan_heading", "diary_heading", "education_heading",
                                            "notes_heading", "next_stage_heading", "purpose_heading")]
        headings += [topic.title for topic in content(template_id, language).education]
    for index, text in enumerate(texts[:-1]):
        for heading in headings:
            assert not text.endswith(heading), f"page {index + 1} ends with the heading {heading!r}"

    with speaking(first):
        exercise, week = w("plan_exercise"), w("plan_week", n=1)
    names = [row.name for row in content(template_id, first).plan.rows]
    for index, text in enumerate(texts[1:], start=2):  # page 1 is the fridge sheet, with its own week labels
        if exercise in text and week in text:  # the plan's header row, repeated over each of its pieces
            rows = sum(1 for name in names if name in text[text.index(exercise):])
            assert rows == 0 or rows >= min(3, len(names)), f"page {index}: a plan piece of {rows} rows"


def _line_of(lines: list[str], text: str) -> int | None:
    """The line (top to bottom) that holds ``text``, read either way (``drawn_lines`` gives each line twice)."""
    found = next((n for n, line in enumerate(lines) if text in line), None)
    return None if found is None else found // 2


@pytest.mark.parametrize(("first", "other"), [("ar", "en"), ("en", "ar"), ("es", "ar"), ("ar", "pl")],
                         ids=pair_id)
def test_each_language_reads_in_its_own_order_the_first_above(tmp_path, first, other):
    """The title, the cards' heading and the first card's name, in both languages, each letter for letter in its
    own reading order (Arabic right to left), the second language on a line below the first; the footer's page
    number in both."""
    path = tmp_path / f"{first}-{other}.pdf"
    pdf = compact("phase2_strengthen", "A4", first, other)
    path.write_bytes(pdf)
    texts = {}
    for language in (first, other):
        with speaking(language):
            texts[language] = [content("phase2_strengthen", language).title, w("cards_heading"),
                               content("phase2_strengthen", language).cards[0].name,
                               w("footer_page", page=1, total=page_count(pdf))]
    page_lines = [drawn_lines(path, page) for page in range(1, page_count(pdf) + 1)]
    for upper, lower in zip(texts[first][:3], texts[other][:3], strict=True):
        lines = next((lines for lines in page_lines if _line_of(lines, upper) is not None), None)
        assert lines is not None, f"{upper!r} is not printed as it reads"
        top, below = _line_of(lines, upper), _line_of(lines, lower)
        assert below is not None, f"{lower!r} is not on the page of {upper!r}"
        assert top < below <= top + 3, (upper, lower, top, below)
    footer = page_lines[0][-2:]  # the footer's last line, read both ways
    assert any(texts[first][3] in line for line in footer) and any(texts[other][3] in line for line in footer)


HOSTILE = ("O'Brien & <Sons>", "Łukasz Żółć", "محمد الأحمد")


@pytest.mark.parametrize(("first", "other"), [("ar", "en"), ("en", "ar")], ids=pair_id)
@pytest.mark.parametrize("name", HOSTILE)
def test_names_print_literally_in_a_handout_with_arabic(tmp_path, first, other, name):
    clinic = sample_clinic(name="Clínica <Ñandú> & Żółć")
    made = program("phase1_settle", first, name).model_copy(update={"notes": name})
    path = tmp_path / "names.pdf"
    path.write_bytes(render_handout(made, clinic, prepared=PREPARED, second_language=other))
    lines = drawn_lines(path, 2)  # page 2's running header: one line, letter for letter, as drawn
    assert any(name in line for line in lines), lines[:6]
    assert any("Clínica <Ñandú> & Żółć" in line for line in lines)
    assert name.replace(" ", "") in "".join(drawn_lines(path, 1)).replace(" ", "")  # page 1 too
