"""The save rules live in the programs service, so the Build page, the Review page and the command line save the
same way: a program whose checks find errors is refused everywhere (the command line may override with
``db save --force``), and a save from the Build page discards the drafts of that work."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader

from rehab import services
from rehab.cli import main
from rehab.content.library import load_library
from rehab.domain import Program
from rehab.domain.records import AuditAction
from rehab.errors import ProgramError
from rehab.program.checks import check_program, has_errors
from rehab.program.document import dump_program
from rehab.services import drafts
from tests.support.storage_samples import sample_program


def program_with_an_error() -> Program:
    """A one-leg exercise with no side chosen: an error finding, as the Build page marks in red."""
    program = sample_program()
    one_leg = next(i for i, item in enumerate(program.items) if item.side is not None)
    items = list(program.items)
    items[one_leg] = items[one_leg].model_copy(update={"side": None})
    return program.model_copy(update={"items": tuple(items)})


def test_the_sample_with_an_error_has_an_error_finding():
    program = program_with_an_error()
    assert has_errors(check_program(program, load_library()))


def test_the_service_refuses_a_program_with_error_findings_and_stores_nothing(repo):
    with pytest.raises(ProgramError) as refused:
        services.programs.save_program(program_with_an_error(), repo=repo, actor="Test Physio")
    assert any("one leg at a time" in problem for problem in refused.value.problems)
    assert refused.value.problems[-1] == "Not saved: fix the errors first."
    assert services.patients.find_patients(repo=repo) == []  # not even the patient was added


def test_allow_errors_stores_the_program_as_it_is(repo):
    info = services.programs.save_program(program_with_an_error(), repo=repo, actor="Test Physio", allow_errors=True)
    assert services.programs.get_version(info.program_id, repo=repo)[1] == program_with_an_error()


def test_a_program_with_only_warnings_is_saved(repo):
    program = sample_program()
    assert not has_errors(check_program(program, services.exercises.clinic_library(repo=repo)))
    assert services.programs.save_program(program, repo=repo, actor="Test Physio").version == 1


def test_db_save_refuses_error_findings_unless_forced(db_url, repo, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("REHAB_DATABASE_URL", db_url)
    path = tmp_path / "program.json"
    path.write_text(dump_program(program_with_an_error()), encoding="utf-8")
    assert main(["save", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "one leg at a time" in err and "Not saved: fix the errors first." in err
    assert services.programs.list_programs(repo=repo) == []
    assert main(["save", str(path), "--force"]) == 0
    assert capsys.readouterr().out == "program 1 version 1\n"


def test_the_email_command_refuses_error_findings_before_sending(db_url, repo, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("REHAB_DATABASE_URL", db_url)
    monkeypatch.setenv("REHAB_SMTP_HOST", "localhost")
    monkeypatch.setenv("REHAB_MAIL_FROM", "clinic@example.org")
    path = tmp_path / "program.json"
    path.write_text(dump_program(program_with_an_error()), encoding="utf-8")
    assert main(["email", str(path), "--to", "zoe@example.org"]) == 1
    assert "one leg at a time" in capsys.readouterr().err
    assert services.programs.list_programs(repo=repo) == []


def test_a_build_page_save_discards_the_drafts_of_that_work(repo):
    patient = services.patients.add_patient({"name": "Zoë Ñúñez", "email": "zoe@example.org"}, repo=repo,
                                            actor="Test Physio")
    program = sample_program()
    drafts.save_draft(dump_program(program), repo=repo, actor="Test Physio", patient_id=patient.id)
    info = services.programs.save_working_program(program, repo=repo, actor="Test Physio", patient_id=patient.id)
    assert drafts.get_draft(patient.id, repo=repo) is None
    drafts.save_draft(dump_program(program), repo=repo, actor="Test Physio", patient_id=patient.id,
                      program_id=info.program_id, base_version=1)
    services.programs.save_working_program(program.model_copy(update={"notes": "v2"}), repo=repo,
                                           actor="Test Physio", patient_id=patient.id,
                                           program_id=info.program_id, base_version=1)
    assert drafts.list_drafts(patient.id, repo=repo) == []


def test_a_command_line_save_keeps_the_clinicians_drafts(repo):
    """The command line's document is not the work a draft holds: a draft stays to be opened and compared."""
    patient = services.patients.add_patient({"name": "Zoë Ñúñez", "email": "zoe@example.org"}, repo=repo,
                                            actor="Test Physio")
    drafts.save_draft(dump_program(sample_program()), repo=repo, actor="Test Physio", patient_id=patient.id)
    services.programs.save_program(sample_program(), repo=repo, actor="command line", patient_id=patient.id)
    assert drafts.get_draft(patient.id, repo=repo) is not None


def test_the_handout_of_a_stored_version_is_that_version_and_each_download_is_logged(repo):
    info = services.programs.save_program(sample_program(notes="First notes"), repo=repo, actor="Test Physio")
    services.programs.save_program(sample_program(notes="Second notes"), repo=repo, actor="Test Physio",
                                   program_id=info.program_id, base_version=1)
    for _ in range(2):
        pdf = services.programs.handout_pdf(info.program_id, 1, repo=repo, actor="Test Physio")
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).replace("\n", " ")
    assert "Zoë Ñúñez" in text and "First notes" in text and "Second notes" not in text
    renders = [e for e in services.audit.audit_trail(repo=repo) if e.action is AuditAction.PROGRAM_RENDER]
    assert [(e.program_id, e.version) for e in renders] == [(info.program_id, 1)] * 2
