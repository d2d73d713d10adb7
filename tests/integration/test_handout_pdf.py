"""The handout PDF checked with the tools a reader's computer uses: qpdf, poppler (pdftotext, pdffonts, pdftoppm).

Golden page images live beside this file, in golden/. A page that differs is saved with a diff image in
golden/failures/ (not committed), and the failure names both. After an intended change of the look, regenerate
them with
    REHAB_UPDATE_GOLDEN=1 .venv/bin/pytest tests/integration/test_handout_pdf.py -k golden
and review the new PNGs before committing (see docs/handout.md).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageDraw

from rehab.content.content import load_templates
from rehab.content.library import load_library
from rehab.domain import Dosage, Exercise, Patient, Phase, Program, ProgramItem, Side
from rehab.domain.clinic import Clinic
from rehab.handout import render_handout
from rehab.program.templates import program_from_template
from tests.conftest import require_tool
from tests.support.handout_samples import PREPARED, sample_clinic, sample_program

GOLDEN = Path(__file__).resolve().parent / "golden"
FAILURES = GOLDEN / "failures"  # the actual and diff images of a page that differs (.gitignore)
GOLDEN_DPI = 40
CHANGED_LEVEL = 40  # a pixel counts as changed when its grey level moves by more than this (of 255)
CHANGED_SHARE = 0.006  # and the page fails when more than 0.6 % of its pixels changed


def run(*args: str, ok: int | tuple[int, ...] = 0) -> subprocess.CompletedProcess:
    done = subprocess.run(args, capture_output=True, timeout=120)
    assert done.returncode in ((ok,) if isinstance(ok, int) else ok), done.stderr.decode(errors="replace")
    return done


def qpdf_check(path: Path) -> None:
    done = run(require_tool("qpdf"), "--check", str(path), ok=(0, 3))
    assert done.returncode == 0, done.stdout.decode(errors="replace")  # 3 would mean warnings


def pdftotext(path: Path, *extra: str) -> str:
    return run(require_tool("pdftotext", "poppler-utils"), *extra, str(path), "-").stdout.decode("utf-8")


def write(tmp_path: Path, pdf: bytes, name: str = "handout.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


@pytest.mark.parametrize("template_id", sorted(load_templates()))
@pytest.mark.parametrize("variant", [dict(paper="a4"), dict(paper="letter"), dict(large_print=True)],
                         ids=["a4", "letter", "large"])
def test_every_template_renders_a_pdf_qpdf_accepts(tmp_path, template_id, variant):
    program = program_from_template(template_id, Patient(name="Test Patient"), start_date=dt.date(2026, 11, 23))
    path = write(tmp_path, render_handout(program, sample_clinic(), prepared=PREPARED, **variant))
    qpdf_check(path)
    text = " ".join(pdftotext(path).split())
    library = load_library()
    for item in program.items:
        assert library.get(item.exercise).name in text


def test_poppler_extracts_every_script_and_the_font_is_embedded(tmp_path):
    names = "Łukasz Żółć · Nguyễn Thị Minh Khai · Ολυμπία · Юлия · O'Brien & <Sons>"
    program = sample_program(patient=Patient(name=names), notes=names)
    path = write(tmp_path, render_handout(program, sample_clinic(), prepared=PREPARED))
    text = " ".join(pdftotext(path).split())
    assert names in text  # the notes
    assert all(text.count(name) >= 2 for name in names.split(" · "))  # page 1 and the notes
    fonts = run(require_tool("pdffonts", "poppler-utils"), str(path)).stdout.decode()
    rows = [line.split() for line in fonts.splitlines() if "DejaVuSans" in line]
    assert rows and all(row[-5:-2] == ["yes", "yes", "yes"] for row in rows)  # embedded, subset, unicode map


def test_password_pdf_is_aes_256_for_qpdf_and_poppler(tmp_path):
    path = write(tmp_path, render_handout(sample_program(), sample_clinic(), password="s3cret", prepared=PREPARED))
    qpdf = require_tool("qpdf")
    shown = run(qpdf, "--show-encryption", "--password=s3cret", str(path)).stdout.decode()
    assert "R = 6" in shown and "AESv3" in shown
    run(qpdf, "--check", "--password=s3cret", str(path))
    assert "Zoë Ñúñez" in pdftotext(path, "-upw", "s3cret")
    refused = subprocess.run([require_tool("pdftotext", "poppler-utils"), str(path), "-"], capture_output=True)
    assert refused.returncode != 0


def test_longest_allowed_inputs_never_break_the_layout(tmp_path):
    long_step = ("Move slowly and keep your knee in line with your toes the whole time. " * 6)[:400]
    custom = Exercise(
        id="long_custom", name="A custom exercise with a very long name " * 5, category="strength",
        target_areas=["knee"], target_muscles=["quadriceps"], position="standing", one_leg=True,
        steps=[long_step] * 6, cues=[long_step] * 3, cautions=[long_step] * 3,
        default_dose=Dosage(sets=3, reps=10), progression="step_up", regression="squat_to_chair",
        progress_tip=long_step, ease_tip=long_step, phases=["strengthen"], evidence="Clinic text.", custom=True,
    )
    library = load_library().with_custom([custom])
    items = [ProgramItem(exercise="long_custom", sets=3, reps=10, side=Side.RIGHT, notes="Note line. " * 180,
                         load="a heavy band " * 7)] * 3
    items += [ProgramItem(exercise=e.id, sets=2, reps=10, hold_seconds=5)
              for e in list(library)[:37] if e.default_dose.minutes is None]
    program = Program(patient=Patient(name="W" * 200), clinician="C" * 200, title="T" * 200, phase=Phase.STRENGTHEN,
                      start_date=dt.date(2026, 11, 23), duration_weeks=52, items=items[:40],
                      education=tuple(t for t in ("runners_knee", "pain_monitoring", "red_flags")),
                      notes=("A long note from the physio. " * 40 + "\n") * 8)
    clinic = Clinic(name="N" * 120, address="A" * 400, phone="9" * 40, website="www." + "x" * 190 + ".org",
                    footer_note="F" * 200, primary_color="#FFFF00")
    for variant in (dict(paper="letter", large_print=True), dict(paper="a4")):
        path = write(tmp_path, render_handout(program, clinic, library=library, prepared=PREPARED, **variant))
        qpdf_check(path)


# every code point except lone surrogates, which the models refuse before text could reach the PDF
chars = st.characters(exclude_categories=["Cs"])
printable = st.text(chars, max_size=80)
sentence = st.text(chars, min_size=1, max_size=400).filter(lambda s: s.strip())


def test_a_long_exercise_list_starts_on_page_one_and_every_exercise_is_listed(tmp_path):
    """40 exercises do not fit page 1: the table starts under the title and runs on, rather than leaving page 1
    empty below the title."""
    exercises = [e for e in load_library() if e.default_dose.minutes is None][:30]
    items = tuple(ProgramItem(exercise=e.id, **e.default_dose.model_dump()) for e in exercises)
    program = Program(patient=Patient(name="Test Patient"), phase=Phase.STRENGTHEN, start_date=dt.date(2026, 11, 23),
                      duration_weeks=6, items=items)
    path = write(tmp_path, render_handout(program, prepared=PREPARED))
    qpdf_check(path)
    page_one = pdftotext(path, "-f", "1", "-l", "1")
    assert "Strength exercises" in page_one and exercises[0].name in page_one and exercises[5].name in page_one
    # long names wrap inside their cell; -raw reads each cell's lines in the order they are drawn
    fridge = " ".join(pdftotext(path, "-raw", "-f", "1", "-l", "3").split())
    assert [e.name for e in exercises if e.name not in fridge] == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    patient=st.text(chars, min_size=1, max_size=200).filter(lambda s: s.strip()),
    clinician=printable, title=printable, notes=st.text(chars, max_size=600),
    item_note=st.text(chars, max_size=300), load=st.none() | st.text(chars, max_size=100),
    clinic_name=st.text(chars, min_size=1, max_size=120).filter(lambda s: s.strip()),
    address=printable, phone=st.text(chars, max_size=40), website=printable, footer=printable,
    name=st.text(chars, min_size=1, max_size=200), steps=st.lists(sentence, min_size=3, max_size=4),
    tip=sentence, large=st.booleans(),
)
def test_any_unicode_in_any_text_field_gives_a_pdf_qpdf_accepts(
    tmp_path_factory, patient, clinician, title, notes, item_note, load, clinic_name, address, phone, website,
    footer, name, steps, tip, large,
):
    custom = Exercise(
        id="fuzzed", name=name, category="strength", target_areas=["knee"], target_muscles=[tip[:200]],
        position="sitting", one_leg=True, steps=steps, cues=[tip], cautions=[tip], default_dose=Dosage(reps=5),
        regression="quad_set", progress_tip=tip, ease_tip=tip, phases=["settle"], evidence=tip, custom=True,
    )
    library = load_library().with_custom([custom])
    program = Program(
        patient=Patient(name=patient), clinician=clinician, title=title, phase=Phase.SETTLE,
        start_date=dt.date(2026, 11, 23), duration_weeks=2, notes=notes, education=("red_flags",),
        items=(ProgramItem(exercise="fuzzed", reps=5, notes=item_note, load=load),
               ProgramItem(exercise="quad_set", reps=10, hold_seconds=5)),
    )
    clinic = Clinic(name=clinic_name, address=address, phone=phone, website=website, footer_note=footer)
    pdf = render_handout(program, clinic, library=library, large_print=large, prepared=PREPARED)
    qpdf_check(write(tmp_path_factory.mktemp("fuzz"), pdf))


# --- golden page images -------------------------------------------------------------------------------------


def _logo() -> bytes:
    image = Image.new("RGBA", (240, 80), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, 76, 76), fill=(200, 30, 90, 255))
    draw.rectangle((90, 24, 236, 56), fill=(40, 40, 160, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


HOSTILE = "O'Brien & <Sons> Łukasz Żółć Ολυμπία Юлия"


def _template(template_id: str, name: str = "Sam Example") -> Program:
    return program_from_template(template_id, Patient(name=name, affected_side=Side.RIGHT),
                                 start_date=dt.date(2026, 11, 23), clinician="Alex Physio")


# case: (render options, pages, program, clinic options); both layouts over templates, paper, large print, grey
# and hostile names
GOLDEN_CASES = {
    "a4": (dict(paper="a4"), (1, 2, 3), None, {}),
    "letter": (dict(paper="letter"), (1, 3), None, {}),
    "large": (dict(large_print=True), (1, 4, 5), None, {}),
    "grayscale": (dict(grayscale=True), (1,), None, {}),
    "booklet": (dict(paper="a4", layout="booklet"), (2, 3), None, {}),
    "strengthen_letter": (dict(paper="letter"), (2, 5, 6), "phase2_strengthen", {}),
    "strengthen_booklet_letter": (dict(paper="letter", layout="booklet"), (6, 8), "phase2_strengthen", {}),
    "running_large_grey": (dict(paper="a4", large_print=True, grayscale=True), (2, 4), "phase3_return_to_running",
                           {}),
    "home_booklet_large": (dict(paper="letter", large_print=True, layout="booklet"), (4,), "home_routine", {}),
    "hostile_letter": (dict(paper="letter"), (1, 2), "phase1_settle", dict(name=HOSTILE)),
    "hostile_booklet_grey": (dict(paper="a4", layout="booklet", grayscale=True), (1, 3), "phase1_settle",
                             dict(name=HOSTILE)),
    # the patient's language (docs/translations.md): Arabic right to left, mirrored tables
    "arabic": (dict(paper="a4", language="ar"), (1, 2), None, {}),
    "spanish": (dict(paper="a4", language="es"), (1,), None, {}),
}


@pytest.mark.parametrize("case", sorted(GOLDEN_CASES))
def test_golden_page_images(tmp_path, case):
    options, pages, template_id, clinic_options = GOLDEN_CASES[case]
    name = clinic_options.get("name", "Sam Example")
    program = sample_program() if template_id is None else _template(template_id, name)
    pdf = render_handout(program, sample_clinic(logo=_logo(), **clinic_options), prepared=PREPARED, invariant=True,
                         **options)
    path = write(tmp_path, pdf)
    pdftoppm = require_tool("pdftoppm", "poppler-utils")
    update = os.environ.get("REHAB_UPDATE_GOLDEN") == "1"
    failures = []
    for page in pages:
        prefix = tmp_path / f"p{page}"
        run(pdftoppm, "-gray", "-png", "-r", str(GOLDEN_DPI), "-f", str(page), "-l", str(page), "-singlefile",
            str(path), str(prefix))
        actual = Image.open(f"{prefix}.png").convert("L")
        golden = GOLDEN / f"handout_{case}_p{page}.png"
        if update or not golden.exists():
            if not update:
                failures.append(f"{golden.name} is missing; create it with REHAB_UPDATE_GOLDEN=1")
                continue
            GOLDEN.mkdir(exist_ok=True)
            actual.save(golden, optimize=True)
            continue
        message = _compare(actual, Image.open(golden).convert("L"), FAILURES / f"handout_{case}_p{page}")
        if message:
            failures.append(f"{golden.name}: {message}")
    assert not failures, "\n".join(failures) + "\nIf the change is intended: REHAB_UPDATE_GOLDEN=1 .venv/bin/pytest " \
        "tests/integration/test_handout_pdf.py -k golden, then review the PNGs in tests/integration/golden/"


def _compare(actual: Image.Image, expected: Image.Image, stem: Path) -> str | None:
    """None when the pages match within the tolerance; otherwise saves actual and diff images and says where."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    if actual.size != expected.size:
        actual.save(f"{stem}-actual.png")
        return f"size {actual.size} != {expected.size}; actual saved at {stem}-actual.png"
    diff = ImageChops.difference(actual, expected)
    changed = sum(diff.point(lambda v: 255 if v > CHANGED_LEVEL else 0).histogram()[255:])
    share = changed / (actual.width * actual.height)
    if share <= CHANGED_SHARE:
        return None
    actual.save(f"{stem}-actual.png")
    diff.point(lambda v: 255 - min(255, v * 4)).save(f"{stem}-diff.png")  # dark where the pages differ
    return f"{share:.2%} of pixels changed (at most {CHANGED_SHARE:.1%}); see {stem}-actual.png and {stem}-diff.png"


def test_a_page_that_differs_from_its_golden_is_saved_beside_it_with_a_diff(tmp_path):
    golden = Image.new("L", (100, 100), 255)
    changed = golden.copy()
    ImageDraw.Draw(changed).rectangle((10, 10, 60, 60), fill=0)
    stem = tmp_path / "failures" / "handout_case_p1"
    assert _compare(golden, golden.copy(), stem) is None and list(stem.parent.glob("*.png")) == []
    message = _compare(changed, golden, stem)
    assert message is not None and f"{stem}-actual.png" in message and f"{stem}-diff.png" in message
    assert Image.open(f"{stem}-actual.png").getpixel((30, 30)) == 0
    assert Image.open(f"{stem}-diff.png").getpixel((30, 30)) < 128 < Image.open(f"{stem}-diff.png").getpixel((90, 90))
    message = _compare(changed.resize((50, 50)), golden, stem)
    assert message is not None and message.startswith("size (50, 50) != (100, 100)")
