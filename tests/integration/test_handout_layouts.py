"""Layout invariants of both handout layouts, over every template × A4/Letter × normal/large print × colour/grey,
and over hostile patient and clinic names: page counts, a one-page fridge sheet (compact, normal print), no card
split across pages, no heading at the foot of a page, no page more than half empty but the last, every exercise
named has a card, user text printed as typed.

Pages are read back with pypdfium2: text per page (inside the frame, without header and footer) and how far down
the page anything is drawn.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

import pypdfium2 as pdfium
import pytest

from rehab.content.content import load_templates
from rehab.content.library import load_library
from rehab.domain import Patient, Side
from rehab.domain.clinic import Clinic, Paper
from rehab.handout import render_handout
from rehab.handout.frame import PageHeights, page_heights
from rehab.handout.look import load_look
from rehab.handout.render import build_handout
from rehab.handout_content import build_content
from rehab.program.templates import program_from_template
from rehab.words.handout import w
from tests.security.hostile import EVERY_TEXT
from tests.support.handout_samples import PREPARED, sample_clinic

TEMPLATES = sorted(load_templates())
LAYOUTS = ("compact", "booklet")
PAPERS = ("a4", "letter")
SCALE = 0.25  # pixels per point when measuring how full a page is


@functools.cache
def program_of(template_id: str, name: str = "Test Patient"):
    return program_from_template(template_id, Patient(name=name, affected_side=Side.LEFT),
                                 start_date=dt.date(2026, 11, 23), clinician="Alex Physio")


@functools.cache
def rendered(template_id: str, layout: str, paper: str, large: bool, grey: bool, name: str = "Test Patient",
             clinic: Clinic | None = None) -> tuple[bytes, list[str], list[float]]:
    """(pdf, text inside the frame per page, share of the frame height used per page)."""
    program, clinic = program_of(template_id, name), clinic or sample_clinic()
    pdf = render_handout(program, clinic, paper=paper, large_print=large, grayscale=grey, layout=layout,
                         prepared=PREPARED)
    return pdf, *read_pages(pdf, large, room_of(program, clinic, paper, large))


def room_of(program, clinic: Clinic, paper: str, large: bool) -> PageHeights:
    """The room this handout's header and footer take (they grow with the clinic's details and the print size):
    the frame is what lies between, and a footer's ink must not count as a full page."""
    h = build_handout(program, clinic, paper=Paper(paper), large_print=large, grayscale=False, prepared=PREPARED,
                      library=load_library(), look=load_look())
    return page_heights(h)


def read_pages(pdf: bytes, large: bool = False, room: PageHeights | None = None) -> tuple[list[str], list[float]]:
    page_look = load_look().printed(large).page  # large print has margins of its own
    if room is None:  # the least room the look gives
        room = PageHeights(page_look.first_header_height, page_look.header_height, page_look.footer_height)
    document = pdfium.PdfDocument(pdf)
    texts, used = [], []
    try:
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            header = room.first_header if index == 0 else room.header
            top = height - page_look.margin_top - header
            bottom = page_look.margin_bottom + room.footer
            textpage = page.get_textpage()
            texts.append(" ".join(textpage.get_text_bounded(0, bottom, width, top).split()))
            textpage.close()
            image = page.render(scale=SCALE, grayscale=True).to_pil()
            page.close()
            # the lowest row inside the frame with ink on it
            first, last = int((height - top) * SCALE) + 1, int((height - bottom) * SCALE) - 1
            pixels = image.load()
            lowest = first
            for y in range(last, first, -1):
                if any(pixels[x, y] < 235 for x in range(0, image.width, 2)):
                    lowest = y
                    break
            used.append((lowest - first) / (last - first))
    finally:
        document.close()
    return texts, used


def cases():
    for template_id in TEMPLATES:
        for layout in LAYOUTS:
            for paper in PAPERS:
                for large in (False, True):
                    yield pytest.param(template_id, layout, paper, large,
                                       id=f"{template_id}-{layout}-{paper}-{'large' if large else 'normal'}")


def card_titles(template_id: str) -> list[str]:
    content = build_content(program_of(template_id), sample_clinic(), load_library(), prepared=PREPARED)
    return [f"{card.number}. {card.name}" for card in content.cards]


STOP = "Stop if your pain goes above"  # once per card, in its last box, in both layouts


@pytest.mark.parametrize(("template_id", "layout", "paper", "large"), list(cases()))
def test_no_card_is_split_and_no_page_is_more_than_half_empty(template_id, layout, paper, large):
    _, texts, used = rendered(template_id, layout, paper, large, False)
    titles = card_titles(template_id)
    pages_with = {title: [i for i, text in enumerate(texts) if title in text.replace("\u00a0", " ")]
                  for title in titles}
    for title, pages in pages_with.items():
        assert len(pages) == 1, f"{title!r} is on pages {[p + 1 for p in pages]}"
    for index, text in enumerate(texts):
        starts = sum(1 for pages in pages_with.values() if index in pages)
        assert starts == text.count(STOP), f"page {index + 1}: {starts} card titles but {text.count(STOP)} last boxes"
    least = least_used(layout, large)
    half_empty = [i + 1 for i, share in enumerate(used[:-1]) if share < least]
    assert not half_empty, f"pages less than {least:.0%} full: {half_empty} ({[round(u, 2) for u in used]})"


def least_used(layout: str, large: bool) -> float:
    """Half a page, in every layout and print size (issue 12)."""
    return 0.5


HEADINGS = [w("cards_heading"), w("plan_heading"), w("diary_heading"), w("education_heading"),
            w("notes_heading"), w("next_stage_heading"), w("purpose_heading")]


@pytest.mark.parametrize(("template_id", "layout", "paper", "large"), list(cases()))
def test_no_page_ends_with_a_heading(template_id, layout, paper, large):
    _, texts, _ = rendered(template_id, layout, paper, large, False)
    topics = [t.title for t in build_content(program_of(template_id), sample_clinic(), load_library(),
                                             prepared=PREPARED).education]
    for index, text in enumerate(texts[:-1]):
        for heading in [*HEADINGS, *topics]:
            assert not text.endswith(heading), f"page {index + 1} ends with the heading {heading!r}"
        for intro in (w("plan_intro"), w("diary_intro")):  # a heading and its lead-in without the table
            assert not text.endswith(intro), f"page {index + 1} ends with {intro[:30]!r}…"


PLAN_HEAD = re.compile(re.escape(w("plan_exercise")) + r" " + re.escape(w("plan_week", n=1)) + r"|"
                       + re.escape(w("plan_exercise")) + r" Week \d+ \d+ \w+"
                       # large print: the weeks alone across the top (not the rest of a header with "Exercise")
                       + r"|(?<![A-Za-z]{3} )Week \d+ \d+ \w+(?: Week \d+ \d+ \w+)+")


@pytest.mark.parametrize(("template_id", "layout", "paper", "large"), list(cases()))
def test_no_page_holds_a_week_plan_fragment_of_fewer_than_three_rows(template_id, layout, paper, large):
    """Each piece of a plan table (it starts with the repeated header row) holds three exercise rows or more,
    unless the whole table has fewer."""
    _, texts, _ = rendered(template_id, layout, paper, large, False)
    names = [row.name for row in build_content(program_of(template_id), sample_clinic(), load_library(),
                                               prepared=PREPARED).plan.rows]
    for index, text in enumerate(texts):
        starts = [m.start() for m in PLAN_HEAD.finditer(text)]
        for n, start in enumerate(starts):
            piece = text[start: starts[n + 1] if n + 1 < len(starts) else len(text)]
            rows = sum(1 for name in names if name in piece)
            assert rows >= min(3, len(names)), f"page {index + 1}: a plan piece of {rows} rows"


@pytest.mark.parametrize("template_id", TEMPLATES)
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("grey", [False, True], ids=["colour", "grey"])
def test_compact_fridge_sheet_is_all_on_page_one(template_id, paper, grey):
    _, texts, _ = rendered(template_id, "compact", paper, False, grey)
    first = texts[0]
    program = program_of(template_id)
    library = load_library()
    for item in program.items:
        assert library.get(item.exercise).name in first
    for words in (w("condition"), w("sore_knee"), w("calendar_heading_short"), w("pain_heading"), w("help_heading"),
                  w("help_urgent_lead"), w("help_phone", phone=sample_clinic().phone)):
        assert words in first, f"{words!r} is not on page 1"
    assert w("cards_heading") not in first  # page 1 is the fridge sheet alone


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("template_id", TEMPLATES)
def test_compact_is_shorter_than_the_booklet_and_within_its_page_limits(template_id, paper):
    compact = len(rendered(template_id, "compact", paper, False, False)[1])
    booklet = len(rendered(template_id, "booklet", paper, False, False)[1])
    compact_large = len(rendered(template_id, "compact", paper, True, False)[1])
    booklet_large = len(rendered(template_id, "booklet", paper, True, False)[1])
    assert compact < booklet and compact_large < booklet_large
    # issue 12: six pages in normal print on A4 and Letter (page 1, three cards a page, the plan and a short
    # education page), twelve in large print, every text at 16 pt (footer 14), on A4 and on Letter
    assert compact <= 6, (paper, compact)
    assert compact_large <= 12, (paper, compact_large)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("template_id", TEMPLATES)
def test_every_exercise_the_handout_names_has_a_card(template_id, layout):
    _, texts, _ = rendered(template_id, layout, "a4", False, False)
    text = " ".join(texts)
    titles = " ".join(card_titles(template_id))
    names = sorted({e.name for e in load_library()}, key=len, reverse=True)
    for name in names:
        # an occurrence that is part of a longer exercise name does not count
        longer = [other for other in names if name in other and other != name]
        count = text.count(name) - sum(text.count(other) for other in longer)
        if count > 0:
            assert re.search(rf"\d+\. {re.escape(name)}(?!\w)", titles), f"{name!r} is named but has no card"


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("hostile", EVERY_TEXT)
def test_hostile_names_print_as_typed_and_keep_the_layout(layout, hostile):
    clinic = sample_clinic(name=hostile[:120])
    _, texts, used = rendered("phase2_strengthen", layout, "letter", False, False, name=hostile, clinic=clinic)
    assert hostile.replace(" ", "") in texts[0].replace(" ", "")  # as typed, wherever a line breaks
    if layout == "compact":
        assert w("help_heading") in texts[0] and w("cards_heading") not in texts[0]
    assert all(share >= least_used(layout, False) for share in used[:-1]), [round(u, 2) for u in used]


@pytest.mark.skipif("emergency_number" not in Clinic.model_fields,
                    reason="the clinic profile's emergency_number comes with the clinic-settings work")
@pytest.mark.parametrize("template_id", TEMPLATES)
@pytest.mark.parametrize("paper", PAPERS)
def test_the_emergency_number_is_on_page_one_and_the_sheet_still_fits(template_id, paper):
    clinic = sample_clinic(emergency_number="112")
    _, texts, _ = rendered(template_id, "compact", paper, False, False, clinic=clinic)
    assert w("help_urgent", number="112") in texts[0] and w("cards_heading") not in texts[0]


@pytest.mark.parametrize(("template_id", "layout", "paper", "large"), list(cases()))
def test_the_drawing_key_is_printed_once_before_the_first_card(template_id, layout, paper, large):
    from rehab.illustrations import KEY_TITLE

    _, texts, _ = rendered(template_id, layout, paper, large, False)
    joined = " ".join(texts)
    assert joined.count(KEY_TITLE) == 1
    assert joined.index(KEY_TITLE) < joined.replace("\u00a0", " ").index(card_titles(template_id)[0])


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("template_id", TEMPLATES)
def test_a_dose_that_never_changes_is_printed_once_in_the_week_plan(template_id, layout):
    _, texts, _ = rendered(template_id, layout, "a4", False, False)
    text = " ".join(texts).replace("\u00a0", " ")
    start = text.index(w("plan_heading"))
    plan_text = text[start: min(i for i in (text.find(w(k), start) for k in ("purpose_heading", "diary_heading",
                                                                             "next_stage_heading")) if i > 0)]
    plan = build_content(program_of(template_id), sample_clinic(), load_library(), prepared=PREPARED).plan
    assert plan.steady, "every template has a dose that stays the same"
    for row in plan.steady:
        same = sum(1 for other in plan.steady if other.cells[0].text == row.cells[0].text)
        assert plan_text.count(row.cells[0].text) == same, (row.name, plan_text)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_says_which_morning_to_check(layout):
    _, texts, _ = rendered("phase2_strengthen", layout, "letter", False, False)
    assert "the morning after each exercise day" in " ".join(texts)


@pytest.mark.parametrize("paper", PAPERS)
def test_the_10_exercise_benchmark_program_fits_6_pages_with_a_one_page_fridge_sheet(paper):
    """issue 12's target program: 10 exercises, 6 weeks (benchmarks/bench_handout.py)."""
    from benchmarks.bench_handout import CLINIC, program_with

    program = program_with(10)
    pdf = render_handout(program, CLINIC, paper=paper, large_print=False, layout="compact", prepared=PREPARED)
    texts, used = read_pages(pdf, room=room_of(program, CLINIC, paper, False))
    assert len(texts) <= 6, len(texts)
    assert w("help_heading") in texts[0] and w("cards_heading") not in texts[0]
    assert all(share >= 0.5 for share in used[:-1]), [round(u, 2) for u in used]


@pytest.mark.parametrize("paper", PAPERS)
def test_the_10_exercise_benchmark_program_in_large_print(paper):
    """Large print, every text 16 pt (footer 14): at most 12 pages on A4 and Letter (issue 12); no card split, no
    page more than half empty but the last."""
    from benchmarks.bench_handout import CLINIC, program_with

    program = program_with(10)
    pdf = render_handout(program, CLINIC, paper=paper, large_print=True, layout="compact", prepared=PREPARED)
    texts, used = read_pages(pdf, large=True, room=room_of(program, CLINIC, paper, True))
    assert len(texts) <= 12, len(texts)
    assert all(share >= least_used("compact", True) for share in used[:-1]), [round(u, 2) for u in used]
    content = build_content(program, CLINIC, load_library(), prepared=PREPARED)
    for card in content.cards:
        title = f"{card.number}. {card.name}"
        assert sum(title in text.replace("\u00a0", " ") for text in texts) == 1, title
