"""The handout PDF, read back in-process with pypdf: content, order, text safety, metadata, password, grayscale."""

from __future__ import annotations

import io
import re
from typing import get_args

import pypdf
import pytest

from rehab import render_handout as exported_render_handout
from rehab.content.library import load_library
from rehab.domain import Dosage, Exercise, Patient, PlannedSwitch, ProgramItem, Side
from rehab.domain.clinic import default_clinic
from rehab.errors import RehabError
from rehab.handout import render_handout
from rehab.handout.encrypt import PasswordError
from rehab.illustrations.poses import Caption
from rehab.program.progression import side_for
from rehab.words.dose import dose_in_words
from tests.support.handout_samples import PREPARED, render, sample_clinic, sample_program


def pages_text(pdf: bytes, password: str | None = None) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    if password is not None:
        reader.decrypt(password)
    return [page.extract_text() or "" for page in reader.pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_handout_starts_with_pdf_header_and_names_clinic_and_patient_on_page_one():
    pdf = render()
    assert pdf.startswith(b"%PDF-")
    first = flat(pages_text(pdf)[0])
    assert "Riverside Physio" in first
    assert "Zoë Ñúñez" in first
    assert "Your knee exercise program" in first
    assert "20 November 2026" in first and "23 November 2026, for 4 weeks" in first


def test_handout_lists_every_exercise_with_its_dose_in_program_order():
    program = sample_program()
    library = load_library()
    text = flat(" ".join(pages_text(render(program))[1:]))  # the cards come after the fridge sheet
    position = 0
    for number, item in enumerate(program.items, start=1):
        exercise = library.get(item.exercise)
        title = f"{number}. {exercise.name}"
        dose = dose_in_words(item.dosage, exercise.one_leg, side_for(exercise, item))
        found = text.find(title, position)
        assert found >= 0, f"card '{title}' missing or out of order"
        dose_at = text.find(dose, found)
        assert dose_at > found, f"dose '{dose}' missing after '{title}'"
        position = dose_at


def test_fridge_sheet_has_minutes_calendar_pain_light_and_help_box():
    text = flat(pages_text(render())[0])
    assert re.search(r"About \d+ minutes each time\.", text)
    assert "Tick each day you exercise." in text
    assert all(f"Week {n}" in text for n in range(1, 5))
    assert "Green: 0 to 2" in text and "Amber: 3 to 5" in text and "Red: above 5" in text
    assert "Call us or get help if" in text and "Call us on +44 20 7946 0958" in text


def test_pain_light_numbers_come_from_the_programs_pain_rule():
    program = sample_program(pain_rule={"green_max": 3, "amber_max": 4, "settle_minutes": 120})
    text = flat(" ".join(pages_text(render(program))))
    assert "Green: 0 to 3" in text and "Amber: 4 to 4" in text and "Red: above 4" in text
    assert "settle within 2 hours" in text
    assert "Your pain stays at 3 out of 10 or less." in text
    assert "Stop if your pain goes above 4 out of 10." in text


@pytest.mark.parametrize("layout", ["compact", "booklet"])
def test_cards_name_another_exercise_only_when_the_handout_has_its_card(layout):
    text = flat(" ".join(pages_text(render(layout=layout))))
    assert "Eccentric step-down" not in text and "Squat to chair" not in text  # step_up's ladder: no cards
    assert "If it still hurts, stop this exercise and call us." in text
    program = sample_program()
    step_up = program.items[3].model_copy(
        update={"switch": PlannedSwitch(from_week=3, exercise="eccentric_step_down"), "side": Side.BOTH})
    squat = ProgramItem(exercise="squat_to_chair", sets=3, reps=10, days_per_week=3)
    program = program.model_copy(update={"items": (*program.items[:3], step_up, program.items[4], squat)})
    text = flat(" ".join(pages_text(render(program, layout=layout))))
    assert "If it still hurts, do this one instead: Squat to chair." in text  # step_up's easier one, carded
    assert "From week 3, your plan moves you on to Eccentric step-down." in text
    assert "7. Eccentric step-down" in text  # the planned exercise gets its own card after the items


@pytest.mark.parametrize("layout", ["compact", "booklet"])
def test_week_plan_diary_education_and_notes_follow_the_cards(layout):
    """The booklet has the pain diary after the plan; the compact handout is the short one, without it."""
    pages = [flat(t) for t in pages_text(render(layout=layout))]
    joined = " ".join(pages)
    order = ["How to do each exercise", "Your plan, week by week", "Your pain and progress diary",
             "Learn more about your knee", "How much pain is okay?", "Notes from your physio"]
    if layout == "compact":
        assert "Your pain and progress diary" not in joined
        order.remove("Your pain and progress diary")
        # the pain topic says what page 1's traffic light says: the short handout does not repeat it
        assert joined.count("How much pain is okay?") == 1 and "How much pain is okay?" in pages[0]
        order.remove("How much pain is okay?")
        # so is the warning-signs topic (page 1 prints every sign whole): no topic is left to print
        assert "Learn more about your knee" not in joined
        order.remove("Learn more about your knee")
    positions = [joined.find(heading, joined.find("How to do each exercise")) for heading in order]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    # the note's lines as typed: one paragraph may end a page and the next start the following one
    assert "First line Second line" in joined
    assert joined.index("A new paragraph.") > joined.index("First line Second line")


def test_every_page_has_footer_with_page_x_of_y_phone_website_and_date():
    pages = pages_text(render())
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
        assert "Phone +44 20 7946 0958" in text and "www.example.org" in text
        assert "Prepared 20 November 2026" in text


def test_metadata_title_and_author_are_the_program_title_and_clinic():
    meta = pypdf.PdfReader(io.BytesIO(render())).metadata
    assert meta.title == "Your knee exercise program"
    assert meta.author == "Riverside Physio"
    assert "Zoë" not in (meta.title or "") + (meta.subject or "")


@pytest.mark.parametrize(
    "name",
    ["O'Brien & <Sons>", "Łukasz Żółć", "Nguyễn Thị Minh Khai", "Ολυμπία Παπαδοπούλου", "Юлия Иванова",
     "a <b>bold</b> & <script>x</script> name", "x </b> stray & <para>"],
)
def test_user_text_prints_literally_with_real_glyphs(name):
    program = sample_program(patient=Patient(name=name), clinician=name, notes=name)
    text = flat(" ".join(pages_text(render(program, sample_clinic(name=name, footer_note=name)))))
    assert text.count(name) >= 4  # page 1, the header of later pages, the notes, the clinic


def test_glyphs_the_font_lacks_are_dropped_and_the_rest_stays():
    program = sample_program(patient=Patient(name="Zoë 🏃‍♀️ Ñúñez 🎉"), notes="Well done 👍 keep going")
    text = flat(" ".join(pages_text(render(program))))
    assert "Zoë Ñúñez" in text
    assert "Well done keep going" in text


def test_long_words_wrap_instead_of_running_off_the_page():
    word = "Supercalifragilistic" * 8
    program = sample_program(patient=Patient(name=word), notes=word)
    pages = pages_text(render(program))
    last = pages[-1]
    assert "".join(last.split()).count(word) == 1
    assert max(len(line) for line in last.splitlines()) < len(word)


def test_invariant_mode_gives_identical_bytes():
    assert render() == render()


def test_render_handout_is_exported_from_the_package():
    pdf = exported_render_handout(sample_program(), sample_clinic(), paper="letter", large_print=True)
    box = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792)), ("LETTER", (612, 792))])
def test_paper_sizes(paper, size):
    reader = pypdf.PdfReader(io.BytesIO(render(paper=paper)))
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages} == {size}


def test_paper_defaults_to_the_clinics_choice():
    reader = pypdf.PdfReader(io.BytesIO(render(clinic=sample_clinic(default_paper="letter"))))
    assert round(float(reader.pages[0].mediabox.width)) == 612


def test_unknown_paper_is_a_clear_error():
    with pytest.raises(RehabError, match="paper: 'a5' is not a paper size; use one of: a4, letter"):
        render(paper="a5")


def test_large_print_uses_bigger_body_text_and_more_pages():
    normal, large = render(), render(large_print=True)
    assert len(pages_text(large)) > len(pages_text(normal))
    sizes = _font_sizes(large)
    assert min(sizes) >= 12 and 16 in sizes


def test_booklet_normal_print_text_is_at_least_12_points_except_the_footer_and_the_drawing_captions():
    pdf = render(layout="booklet")
    sizes = _font_sizes(pdf, pages=slice(1, None))
    assert 13 in sizes  # body
    assert min(sizes) == 11
    small = _texts_at(pdf, 11, pages=slice(1, None))
    captions = set(get_args(Caption))
    assert small and all(re.match(r"(Page \d+ of \d+|Prepared |Phone |Ask us)", text) or text in captions
                         for text in small)
    assert min(_font_sizes(pdf, pages=slice(0, 1))) >= 10


def test_compact_normal_print_text_is_at_least_11_points_and_the_fridge_sheet_at_least_10():
    """Three cards to a page at 11 on 13 pt; the fridge sheet at 11 pt when the whole sheet fits page 1, else
    10.5 or 10 (docs/handout.md)."""
    pdf = render(layout="compact")
    assert min(_font_sizes(pdf, pages=slice(1, None))) == 11
    assert min(_font_sizes(pdf, pages=slice(0, 1))) >= 10


def _texts_at(pdf: bytes, size: float, pages: slice = slice(None)) -> list[str]:
    found = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages[pages]:
        def visit(text, cm, tm, font_dict, font_size):
            if text.strip() and round(font_size * tm[0], 1) == size:
                found.append(text.strip())
        page.extract_text(visitor_text=visit)
    return found


def _font_sizes(pdf: bytes, pages: slice = slice(None)) -> set[float]:
    sizes: set[float] = set()
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages[pages]:
        def visit(text, cm, tm, font_dict, font_size):
            if text.strip():
                sizes.add(round(font_size * tm[0], 1))
        page.extract_text(visitor_text=visit)
    return sizes


def test_default_clinic_is_used_when_none_is_given():
    pdf = render_handout(sample_program(), prepared=PREPARED, invariant=True)
    assert default_clinic().name in pages_text(pdf)[0]
    assert "Call your physio." in flat(" ".join(pages_text(pdf)[:2]))


def test_program_may_be_given_as_a_document_dict():
    pdf = render_handout(sample_program().model_dump(mode="json"), sample_clinic(), prepared=PREPARED)
    assert "Zoë Ñúñez" in pages_text(pdf)[0]


def test_custom_exercises_come_from_the_library_passed_in():
    custom = Exercise(
        id="towel_squeeze", name="Towel squeeze & <hold>", category="strength", target_areas=["knee"],
        target_muscles=["quadriceps"], position="sitting", one_leg=False,
        steps=["Sit down.", "Squeeze the towel.", "Let go."], cues=["Breathe."],
        default_dose=Dosage(sets=2, reps=10), progress_tip="Hold longer.", ease_tip="Squeeze less.",
        phases=["settle"], evidence="A clinic favourite.", custom=True,
    )
    library = load_library().with_custom([custom])
    program = sample_program(items=(ProgramItem(exercise="towel_squeeze", sets=2, reps=10),))
    text = flat(" ".join(pages_text(render(program, library=library, layout="booklet"))))
    assert "1. Towel squeeze & <hold>" in text and "Make it harder when" in text and "How: Hold longer." in text
    compact = flat(" ".join(pages_text(render(program, library=library))))
    assert "1. Towel squeeze & <hold>" in compact and "Feels easy? Hold longer." in compact


def test_qr_code_is_drawn_only_when_the_clinic_has_a_website():
    with_site = render()
    without = render(clinic=sample_clinic(website=""))
    assert "Scan for our website" in flat(pages_text(with_site)[-1])  # on the last page, out of the fridge sheet
    assert "Scan for our website" not in flat(" ".join(pages_text(without)))


def test_password_protected_handout_is_aes_256_and_opens_only_with_the_password():
    pdf = render(password="s3cret ü")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert reader.is_encrypted
    encrypt = reader.trailer["/Encrypt"]
    assert (encrypt["/V"], encrypt["/R"]) == (5, 6)
    assert encrypt["/CF"]["/StdCF"]["/CFM"] == "/AESV3"
    assert reader.decrypt("wrong") == pypdf.PasswordType.NOT_DECRYPTED
    assert "Zoë Ñúñez" in pages_text(pdf, password="s3cret ü")[0]


@pytest.mark.parametrize("password", ["", "x" * 128])
def test_bad_passwords_are_refused_before_rendering(password):
    with pytest.raises(PasswordError, match="password"):
        render(password=password)


def test_png_logo_keeps_its_transparency(logo_png_with_alpha):
    pdf = render(clinic=sample_clinic(logo=logo_png_with_alpha))
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    images = [obj.get_object() for obj in page["/Resources"]["/XObject"].values()]
    assert any("/SMask" in image for image in images if image["/Subtype"] == "/Image")


def test_a_logos_comment_xmp_and_exif_stay_out_of_the_pdf():
    from PIL import Image

    marker = b"LOGO-SECRET-52ab"
    exif = Image.Exif()
    exif[0x013B] = marker.decode()  # Artist
    out = io.BytesIO()
    Image.radial_gradient("L").convert("RGB").save(
        out, "JPEG", comment=marker, exif=exif, xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + marker + b"</x:xmpmeta>"
    )
    assert out.getvalue().count(marker) == 3
    pdf = render(clinic=sample_clinic(logo=out.getvalue()))
    images = [ref.get_object() for ref in pypdf.PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/XObject"].values()]
    assert [image for image in images if image["/Subtype"] == "/Image"]  # the logo is there
    assert marker not in pdf and not any(marker in image.get_data() for image in images)


def test_grayscale_renders_every_pixel_grey(logo_png_with_alpha):
    pdfium = pytest.importorskip("pypdfium2")
    pdf = render(clinic=sample_clinic(logo=logo_png_with_alpha, primary_color="#C2185B"), grayscale=True)
    document = pdfium.PdfDocument(pdf)
    for index in (0, 1, 2):
        spread = _channel_spread(document[index].render(scale=0.5).to_pil())
        assert spread <= 3, f"page {index + 1} has colour (channel spread {spread})"
    colour = pdfium.PdfDocument(render(clinic=sample_clinic(primary_color="#C2185B")))
    assert _channel_spread(colour[0].render(scale=0.5).to_pil()) > 50  # the same page in colour is not grey


def _channel_spread(image) -> int:
    """The largest difference between two colour channels of any pixel: 0 for a grey image."""
    from PIL import ImageChops

    r, g, b = image.convert("RGB").split()
    return max(ImageChops.difference(x, y).getextrema()[1] for x, y in ((r, g), (g, b), (r, b)))


@pytest.fixture
def logo_png_with_alpha() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((5, 5, 95, 95), fill=(200, 30, 90, 255))
    draw.rectangle((110, 30, 290, 70), fill=(40, 40, 160, 180))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_page_one_prints_every_warning_sign_whole_and_would_send_the_reader_to_the_full_list_otherwise():
    from dataclasses import replace

    from rehab.content.library import load_library
    from rehab.handout.fridge import help_is_whole
    from rehab.handout_content import build_content

    content = build_content(sample_program(), sample_clinic(), load_library(), prepared=PREPARED)
    assert help_is_whole(content.help)  # each shipped sign is one sentence: the box holds them all
    group = content.help.groups[0]
    longer = replace(group, points=(group.points[0] + " It may also swell.", *group.points[1:]))
    assert not help_is_whole(replace(content.help, groups=(longer, *content.help.groups[1:])))
