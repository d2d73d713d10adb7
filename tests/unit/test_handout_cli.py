"""`python -m rehab render`: exit codes, messages naming the problem, a default file name without patient data."""

from __future__ import annotations

import io
import json

import pypdf
import pytest

from rehab.cli import main
from rehab.program.document import dump_program
from tests.support.handout_samples import sample_program


@pytest.fixture
def program_file(tmp_path):
    path = tmp_path / "program.json"
    path.write_text(dump_program(sample_program()), encoding="utf-8")
    return path


def test_render_writes_a_pdf_named_without_patient_data(program_file, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["render", str(program_file)]) == 0
    written = tmp_path / "exercise-program.pdf"
    assert written.read_bytes().startswith(b"%PDF-")
    assert "Zoë" not in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".pdf"] == ["exercise-program.pdf"]


def test_render_with_every_option(program_file, tmp_path, capsys):
    clinic = tmp_path / "clinic.json"
    clinic.write_text(json.dumps({"format": "rehab.clinic/1", "name": "Riverside Physio", "default_paper": "a4"}),
                      encoding="utf-8")
    out = tmp_path / "handout.pdf"
    args = ["render", str(program_file), "-o", str(out), "--clinic", str(clinic), "--paper", "letter",
            "--large-print", "--grayscale", "--password", "pw"]
    assert main(args) == 0
    assert "wrote" in capsys.readouterr().out
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    assert reader.is_encrypted and reader.decrypt("pw")
    assert round(float(reader.pages[0].mediabox.width)) == 612
    assert reader.metadata.author == "Riverside Physio"


@pytest.mark.parametrize(("setup", "expected"), [
    (lambda d: ["render", str(d / "missing.json")], "missing.json: file not found"),
    (lambda d: ["render", str(d / "program.json"), "--clinic", str(d / "none.json")], "none.json: file not found"),
    (lambda d: ["render", str(d / "program.json"), "--clinic", str(d / "bad.json")],
     "bad.json: primary_color: 'red' is not allowed here"),
    (lambda d: ["render", str(d / "program.json"), "-o", str(d)], "is a folder"),
    (lambda d: ["render", str(d / "program.json"), "-o", str(d / "no" / "such" / "dir.pdf")], "cannot write"),
    (lambda d: ["render", str(d / "program.json"), "--password", ""], "password: must not be empty"),
])
def test_bad_input_exits_1_with_a_clear_message_and_no_traceback(program_file, tmp_path, capsys, setup, expected):
    (tmp_path / "bad.json").write_text(json.dumps({"format": "rehab.clinic/1", "name": "X", "primary_color": "red"}),
                                       encoding="utf-8")
    assert main(setup(tmp_path)) == 1
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


def test_an_invalid_program_names_the_field(tmp_path, capsys):
    path = tmp_path / "p.json"
    doc = json.loads(dump_program(sample_program()))
    doc["items"][0]["sets"] = 0
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["render", str(path)]) == 1
    assert "items[0].sets: 0 is below the minimum 1" in capsys.readouterr().err


def test_unknown_paper_is_a_usage_error(program_file, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["render", str(program_file), "--paper", "a5"])
    assert caught.value.code == 2
    assert "invalid choice: 'a5'" in capsys.readouterr().err


@pytest.mark.parametrize(("layout", "more_pages"), [("compact", False), ("booklet", True)])
def test_render_layout_option_chooses_the_layout(program_file, tmp_path, layout, more_pages):
    compact, chosen = tmp_path / "compact.pdf", tmp_path / f"{layout}.pdf"
    assert main(["render", str(program_file), "-o", str(compact)]) == 0  # the default clinic's: compact
    assert main(["render", str(program_file), "-o", str(chosen), "--layout", layout]) == 0
    pages = [len(pypdf.PdfReader(io.BytesIO(p.read_bytes())).pages) for p in (compact, chosen)]
    assert (pages[1] > pages[0]) is more_pages


def test_page1_draws_a_png_of_a_templates_page_for_a_made_up_patient(tmp_path, capsys):
    out = tmp_path / "docs" / "page.png"
    assert main(["page1", "-o", str(out), "--template", "phase1_settle", "--dpi", "30"]) == 0
    assert out.read_bytes().startswith(b"\x89PNG")
    assert "wrote" in capsys.readouterr().out


def test_page1_names_a_wrong_template_or_page(tmp_path, capsys):
    assert main(["page1", "-o", str(tmp_path / "x.png"), "--template", "nope"]) == 1
    assert "--template nope: not a template" in capsys.readouterr().err
    assert main(["page1", "-o", str(tmp_path / "x.png"), "--page", "99", "--dpi", "20"]) == 1
    assert "--page 99: the handout has pages 1 to" in capsys.readouterr().err


def test_page1_shows_a_made_up_clinic_with_its_phone_and_emergency_number(tmp_path):
    import datetime as dt

    from rehab.content.library import load_library
    from rehab.domain import Patient
    from rehab.handout.words import w
    from rehab.handout_content import build_content
    from rehab.program.templates import program_from_template
    from rehab.services.handouts import sample_clinic

    clinic = sample_clinic()
    program = program_from_template("phase2_strengthen", Patient(name="Sam Example"), start_date=dt.date(2026, 11, 23))
    help_box = build_content(program, clinic, load_library(), prepared=dt.date(2026, 11, 23)).help
    text = " ".join(str(part) for part in vars(help_box).values())
    assert w("help_phone", phone=clinic.phone) in text and "999" in text
    bad = tmp_path / "clinic.json"
    bad.write_text('{"format": "rehab.clinic/1"}', encoding="utf-8")
    assert main(["page1", "-o", str(tmp_path / "x.png"), "--clinic", str(bad), "--dpi", "20"]) == 1


def pdf_text(path) -> str:
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(path).pages).split())


def test_new_second_language_is_kept_in_the_program_and_render_prints_both(tmp_path, capsys):
    program = tmp_path / "two.json"
    assert main(["new", "--template", "phase2_strengthen", "--patient", "Test Patient", "--side", "left",
                 "--language", "es", "--second-language", "en", "-o", str(program)]) == 0
    assert json.loads(program.read_text(encoding="utf-8"))["patient"]["second_language"] == "en"
    both, english = tmp_path / "both.pdf", tmp_path / "english.pdf"
    assert main(["render", str(program), "-o", str(both)]) == 0
    text = pdf_text(both)
    assert "Cómo hacer cada ejercicio" in text and "How to do each exercise" in text
    # Asked for English first, the stored second language (English) is the handout's own: one language.
    assert main(["render", str(program), "--language", "en", "-o", str(english)]) == 0
    text = pdf_text(english)
    assert "How to do each exercise" in text and "Cómo hacer cada ejercicio" not in text
    assert main(["new", "--template", "phase2_strengthen", "--patient", "Test Patient", "--language", "es",
                 "--second-language", "es", "-o", str(tmp_path / "same.json")]) == 1
    assert "choose a language other than the handout's own (es)" in capsys.readouterr().err
