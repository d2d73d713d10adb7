"""Hostile input at the service layer: markup, scripts and SQL in every text field are stored and given back
literally; CR/LF in email fields, a megabyte of notes, bombs, polyglots, oversized images and non-UTF-8 CSV get a
clear message; and nothing already saved is lost or changed by any of it."""

from __future__ import annotations

import datetime as dt
import io
import time

import pytest
from argon2 import PasswordHasher, Type
from pypdf import PdfReader

from rehab import services
from rehab.config import Settings
from rehab.content.exercise_csv import CsvFileError, library_csv, read_exercise_csv
from rehab.content.library import load_library
from rehab.domain import Patient
from rehab.domain.clinic import Clinic, ClinicError
from rehab.errors import ProgramError
from rehab.handout import render_handout
from rehab.images import check_image
from rehab.mail import InvalidEmail
from rehab.program.document import load_program, program_to_dict
from rehab.program.templates import program_from_template
from rehab.security import passwords
from rehab.services import accounts, drafts
from rehab.services import email as outbox
from rehab.services.clinic import build_clinic
from rehab.storage.errors import InvalidRecord
from rehab.storage.search import search_key
from tests.support.storage_samples import custom_exercise

from .hostile import (
    CRLF_EMAILS,
    EVERY_TEXT,
    MARKUP,
    MEGABYTE_NOTES,
    POLYGLOTS,
    SCRIPTS,
    SQL,
    gif,
    oversized_png,
    png,
    png_header_bomb,
    png_zlib_bomb,
)

ACTOR = "physio@example.org"
TABLES = ("patients", "programs", "program_versions", "custom_exercises", "outcomes", "drafts", "outbox")


@pytest.fixture
def repo(app_database):
    repo = services.bootstrap.connect(Settings.from_env({"REHAB_DATABASE_URL": app_database}))
    yield repo
    repo.engine.dispose()


@pytest.fixture
def kept(repo):
    """A patient with a program, an outcome, a draft and a clinic exercise: what hostile input must not harm."""
    patient = services.patients.add_patient({"name": "Test Patient", "email": "test@example.org", "email_consent": True,
                                   "notes": "Kept notes."}, repo=repo, actor=ACTOR)
    program = program_from_template("phase1_settle", patient.as_patient(), start_date=dt.date(2026, 1, 5))
    info = services.programs.save_program(program, repo=repo, actor=ACTOR, patient_id=patient.id)
    services.outcomes.add_outcome(patient.id, {"recorded_on": dt.date(2026, 1, 5), "worst_pain": 5}, repo=repo,
                                  actor=ACTOR)
    drafts.save_draft('{"kept": true}', repo=repo, actor=ACTOR, patient_id=patient.id, program_id=info.program_id)
    services.exercises.save_custom_exercise(custom_exercise("clinic_kept"), repo=repo, actor=ACTOR)
    services.clinic.save_clinic(Clinic(name="Kept Clinic", logo=png()), repo=repo, actor=ACTOR)
    return patient, info.program_id


def everything(repo, kept) -> dict:
    patient, program_id = kept
    with repo.transaction() as tx:
        counts = {table: tx.count(table) for table in TABLES}
    return {
        "counts": counts,
        "patient": services.patients.get_patient(patient.id, repo=repo),
        "versions": services.programs.list_versions(program_id, repo=repo),
        "program": services.programs.get_version(program_id, repo=repo)[1],
        "outcomes": services.outcomes.list_outcomes(patient.id, repo=repo),
        "draft": drafts.get_draft(patient.id, program_id, repo=repo),
        "exercises": services.exercises.custom_exercises(repo=repo),
        "clinic": services.clinic.get_clinic(repo=repo),
    }


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


# --- markup, scripts and SQL are just text ---------------------------------------------------------------------


@pytest.mark.parametrize("text", EVERY_TEXT)
def test_patient_text_is_stored_and_found_literally(repo, kept, text):
    before = everything(repo, kept)
    patient = services.patients.add_patient({"name": text, "phone": text[:40], "notes": text}, repo=repo, actor=ACTOR)
    again = services.patients.get_patient(patient.id, repo=repo)
    assert (again.name, again.phone, again.notes) == (text, text[:40].strip(), text)
    assert patient.id in [p.id for p in services.patients.find_patients(text, repo=repo)]
    updated = services.patients.update_patient(patient.id, {"name": text + " 2", "notes": text * 2}, repo=repo,
                                               actor=ACTOR)
    assert (updated.name, updated.notes) == (text + " 2", text * 2)
    after = everything(repo, kept)
    assert after["counts"]["patients"] == before["counts"]["patients"] + 1
    assert {k: v for k, v in after.items() if k != "counts"} == {k: v for k, v in before.items() if k != "counts"}


@pytest.mark.parametrize("text", SQL + ["%", "_", "\\", "' --", '"', "\x00"])
def test_search_text_is_never_sql(repo, kept, text):
    before = everything(repo, kept)
    found = services.patients.find_patients(text, repo=repo)
    # Only letters and digits are searched for: text of symbols alone lists everyone, like an empty search.
    assert found == ([] if search_key(text) else services.patients.find_patients("", repo=repo))
    services.programs.list_programs(repo=repo, patient_text=text)
    assert everything(repo, kept) == before


@pytest.mark.parametrize("text", [*MARKUP, *SCRIPTS, SQL[0]])
def test_program_text_is_stored_and_printed_literally(repo, kept, text):
    patient = services.patients.add_patient({"name": text}, repo=repo, actor=ACTOR)
    program = program_from_template("phase2_strengthen", Patient(name=text), start_date=dt.date(2026, 1, 5))
    items = (program.items[0].model_copy(update={"notes": text, "load": text[:100]}), *program.items[1:])
    program = program.model_copy(update={"title": text, "clinician": text, "notes": text, "items": items})
    info = services.programs.save_program(program, repo=repo, actor=ACTOR, patient_id=patient.id)
    assert services.programs.get_version(info.program_id, repo=repo)[1] == program
    text_in_pdf = pdf_text(render_handout(program))
    assert text in text_in_pdf  # escaped for reportlab, so printed as typed and not read as markup


@pytest.mark.parametrize("text", [*MARKUP, *SCRIPTS])
def test_clinic_and_exercise_text_is_stored_literally(repo, kept, text):
    clinic = Clinic(name=text, address=text, footer_note=text)
    services.clinic.save_clinic(clinic, repo=repo, actor=ACTOR)
    assert services.clinic.get_clinic(repo=repo).model_dump(include={"name", "address", "footer_note"}) == {
        "name": text, "address": text, "footer_note": text}
    steps = (text, "Slide down a little.", "Slide back up.")
    exercise = custom_exercise("clinic_hostile").model_copy(update={"name": text, "steps": steps})
    services.exercises.save_custom_exercise(exercise, repo=repo, actor=ACTOR)
    stored = services.exercises.clinic_library(repo=repo).get("clinic_hostile")
    assert (stored.name, stored.steps[0]) == (text, text)


def test_sign_in_with_sql_or_markup_is_one_plain_failure(repo, kept, monkeypatch):
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1,
                                                            type=Type.ID))
    accounts.add_user("ana@example.org", "Ana", "a long test passphrase", role="clinician", clinic_id=1, repo=repo,
                      actor="test")
    before = everything(repo, kept)
    for email, password in [(SQL[2], SQL[2]), ("ana@example.org' --", "x"), (MARKUP[0], MARKUP[0]),
                            ("ana@example.org\r\n", "x" * 2000), ("\udcff@example.org", "\udcff")]:
        with pytest.raises(accounts.SignInFailed) as caught:
            accounts.sign_in(email, password, client_id=f"client {email!r}", repo=repo)
        assert str(caught.value) == "Email or password is not right."
    assert everything(repo, kept) == before


# --- line breaks in email fields ---------------------------------------------------------------------------------


@pytest.mark.parametrize("address", [*CRLF_EMAILS, "zoe@ex\r\nample.org", "zoe\r\nBcc:x@example.org"])
def test_line_breaks_in_email_fields_are_refused_everywhere(repo, kept, address, monkeypatch):
    before = everything(repo, kept)
    patient, program_id = kept
    if address.strip() != "zoe@example.org":  # a break at the very end is trimmed like any other space
        with pytest.raises(InvalidRecord, match="email"):
            services.patients.add_patient({"name": "Zoë", "email": address}, repo=repo, actor=ACTOR)
        with pytest.raises(InvalidRecord, match="email"):
            services.patients.update_patient(patient.id, {"name": "Test Patient", "email": address}, repo=repo,
                                             actor=ACTOR)
        with pytest.raises(ClinicError, match="line break"):
            build_clinic({"name": "Clinic", "email": address})
        with pytest.raises(accounts.AccountError, match="Email"):
            accounts.add_user(address, "Cleo", "a long test passphrase", role="clinician", clinic_id=1, repo=repo,
                              actor="test")
    settings = Settings(smtp_host="127.0.0.1", smtp_port=25, smtp_security="none", mail_from="desk@example.org")
    with pytest.raises(InvalidEmail):
        outbox.queue_handout_email(program_id, 1, repo=repo, actor=ACTOR, settings=settings, to=address + "\n")
    for header in ("Clinic\r\nBcc: evil@example.org <desk@example.org>", "desk@example.org\nX: y"):
        with pytest.raises(InvalidEmail):
            outbox.queue_handout_email(program_id, 1, repo=repo, actor=ACTOR, settings=Settings(
                smtp_host="127.0.0.1", smtp_port=25, smtp_security="none", mail_from=header))
    assert everything(repo, kept) == before  # nothing queued, added or changed


# --- a megabyte of notes ---------------------------------------------------------------------------------------


def test_a_megabyte_of_notes_is_refused_with_the_limit_and_nothing_changes(repo, kept):
    before = everything(repo, kept)
    patient, program_id = kept
    with pytest.raises(InvalidRecord, match="notes.*10000"):
        services.patients.add_patient({"name": "Zoë", "notes": MEGABYTE_NOTES}, repo=repo, actor=ACTOR)
    with pytest.raises(InvalidRecord, match="notes"):
        services.patients.update_patient(patient.id, {"name": "Test Patient", "notes": MEGABYTE_NOTES},
                                         repo=repo, actor=ACTOR)
    program = services.programs.get_version(program_id, repo=repo)[1]
    with pytest.raises(ProgramError, match="notes"):
        load_program({**program_to_dict(program), "notes": MEGABYTE_NOTES})
    with pytest.raises(InvalidRecord, match="draft: is too long"):
        drafts.save_draft(MEGABYTE_NOTES + "x", repo=repo, actor=ACTOR, patient_id=patient.id, program_id=program_id)
    assert everything(repo, kept) == before


# --- images ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(POLYGLOTS))
def test_polyglot_images_are_refused(repo, kept, name):
    before = everything(repo, kept)
    data = POLYGLOTS[name]()
    with pytest.raises(ValueError, match="other data after the picture"):
        check_image(data)
    with pytest.raises(ClinicError, match="other data after the picture"):
        build_clinic({"name": "Clinic", "logo": data})
    with pytest.raises(InvalidRecord, match="other data after the picture"):
        services.exercises.save_custom_exercises([custom_exercise("clinic_poly")], repo=repo, actor=ACTOR,
                                      photos={"clinic_poly": data})
    assert everything(repo, kept) == before


@pytest.mark.parametrize("make", [png_header_bomb, png_zlib_bomb], ids=["header bomb", "zlib bomb"])
def test_decompression_bombs_are_refused_quickly(repo, kept, make):
    before = everything(repo, kept)
    data = make()
    assert len(data) < 200_000
    started = time.perf_counter()
    with pytest.raises(ValueError, match="too many pixels"):
        check_image(data)
    assert time.perf_counter() - started < 1.0  # refused from the header, before any pixel is decoded
    with pytest.raises(InvalidRecord, match="too many pixels"):
        services.exercises.save_custom_exercises([custom_exercise("clinic_bomb")], repo=repo, actor=ACTOR,
                                      photos={"clinic_bomb": data})
    assert everything(repo, kept) == before


def test_oversized_damaged_and_fake_images_get_a_clear_message(repo, kept):
    before = everything(repo, kept)
    big = oversized_png()
    assert len(big) > 5 * 1024 * 1024
    cases = {
        big: "at most 5 MB",
        png()[:-30]: "damaged or cut off",
        b"<html><script>alert(1)</script></html>": "not an image",
        gif(): "GIF images are not supported",
        b"": "empty",
    }
    for data, message in cases.items():
        with pytest.raises(ValueError, match=message):
            check_image(data)
    assert everything(repo, kept) == before


# --- CSV -------------------------------------------------------------------------------------------------------


def test_a_csv_that_is_not_utf8_or_too_big_is_refused_with_a_clear_message(repo, kept):
    library = load_library()
    exported = library_csv(services.exercises.clinic_library(repo=repo))
    cases = {
        exported.decode("utf-8-sig").replace("Clinic wall slide", "Clínic wall slide").encode("latin-1"):
            "not saved as UTF-8 text",
        b"\xff\xfe" + "id,name\n".encode("utf-16-le"): "not saved as UTF-8",
        exported + b"x" * (2 * 1024 * 1024): "import at most 2 MB",
        b"": "empty",
    }
    for data, message in cases.items():
        with pytest.raises(CsvFileError, match=message):
            read_exercise_csv(data, library)


def test_markup_in_a_csv_is_read_as_plain_text(repo, kept):
    library = services.exercises.clinic_library(repo=repo)
    text = library_csv(library).decode("utf-8-sig").replace("Clinic wall slide", MARKUP[0].replace(",", " "))
    result = read_exercise_csv(text.encode("utf-8"), library)
    assert result.ok and [ex.name for ex in result.exercises] == [MARKUP[0]]
