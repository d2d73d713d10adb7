"""Hostile input through the pages (AppTest): uploads with traversal names, bombs, polyglots, oversized files and
non-UTF-8 CSV get a clear message and change nothing; hostile names are shown escaped on every page; the app keeps
serving after each."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from rehab import services
from rehab.config import Settings
from rehab.domain.clinic import Clinic
from rehab.program.templates import program_from_template
from tests.conftest import ROOT

from .hostile import (
    EVERY_TEXT,
    POLYGLOTS,
    TRAVERSAL_NAME,
    live_markdown,
    oversized_png,
    page,
    png,
    png_header_bomb,
    png_zlib_bomb,
)

APP = str(ROOT / "app.py")
PAGES = ["build", "review", "patients", "library", "templates", "settings", "accounts", "audit"]
RAW_MARKUP = re.compile(r"(?<!\\)<(script|img|b>)")  # a tag whose "<" is not escaped for Markdown


@pytest.fixture
def repo(app_database):
    repo = services.bootstrap.connect(Settings.from_env({"REHAB_DATABASE_URL": app_database}))
    yield repo
    repo.engine.dispose()


def errors(at: AppTest) -> list[str]:
    """Error messages as read on screen (Markdown escapes removed)."""
    return [e.value.replace("\\", "") for e in at.error]


def keeps_serving(at: AppTest) -> None:
    """After the hostile input the same session still runs every page."""
    for name in PAGES:
        at.switch_page(f"app_pages/{name}.py").run()
        assert not at.exception, name


def shown_as_markdown(at: AppTest) -> list[str]:
    """Every text Streamlit renders as Markdown (where raw HTML would be a risk)."""
    elements = [*at.markdown, *at.caption, *at.title, *at.subheader, *at.header, *at.success, *at.info,
                *at.warning, *at.error]
    return [str(e.value) for e in elements]


# --- uploads -----------------------------------------------------------------------------------------------------


def logo_upload(at: AppTest, name: str, data: bytes) -> AppTest:
    return at.file_uploader(key="settings_logo_upload").set_value((name, data, "image/png")).run()


def test_a_logo_with_a_traversal_file_name_is_read_as_bytes_only(repo, tmp_path):
    target = (ROOT / TRAVERSAL_NAME).resolve()
    assert not target.exists()
    at = logo_upload(page("settings"), TRAVERSAL_NAME, png())
    assert not at.exception and not at.error
    at.text_input(key="settings_name").input("Knee Clinic").run()
    at.button(key="settings_save").click().run()
    assert services.clinic.get_clinic(repo=repo).logo == png()
    assert not target.exists() and not (Path.cwd() / TRAVERSAL_NAME).resolve().exists()
    database = Path(Settings.from_env().database_url.removeprefix("sqlite:///")).read_bytes()
    assert b"passwd" not in database  # the file name is never stored
    keeps_serving(at)


@pytest.mark.parametrize(
    ("make", "message"),
    [(png_header_bomb, "too many pixels"), (png_zlib_bomb, "too many pixels"), (oversized_png, "at most 5 MB"),
     *[(POLYGLOTS[k], "other data after the picture") for k in ("PNG + ZIP", "JPEG + HTML")],
     (lambda: b"\x00" * 100, "not an image")],
    ids=["header bomb", "zlib bomb", "oversized", "png+zip", "jpeg+html", "zeros"],
)
def test_a_bad_logo_gets_a_clear_message_and_the_saved_one_stays(repo, make, message):
    services.clinic.save_clinic(Clinic(name="Knee Clinic", logo=png()), repo=repo, actor="test")
    at = logo_upload(page("settings"), TRAVERSAL_NAME, make())
    assert not at.exception
    assert any(message in e and "The logo you had is kept." in e for e in errors(at))
    at.button(key="settings_save").click().run()
    assert services.clinic.get_clinic(repo=repo).logo == png()
    keeps_serving(at)


def test_a_polyglot_exercise_photo_is_refused(repo):
    at = page("library", library_tab="Add or edit your own")
    at.file_uploader(key="library_f_photo_upload").set_value(
        (TRAVERSAL_NAME, POLYGLOTS["PNG + HTML"](), "image/png")).run()
    assert not at.exception
    assert any("This photo cannot be used" in e and "other data after the picture" in e for e in errors(at))
    keeps_serving(at)


@pytest.mark.parametrize(
    ("data", "message"),
    [("id,name\nclinic_x,Clínic\n".encode("latin-1"), "not saved as UTF-8 text"),
     (b"id,name\n" + b"x" * (2 * 1024 * 1024 + 1), "import at most 2 MB"),
     (b"\x89PNG\r\n\x1a\n" + b"\xff" * 100, "not saved as UTF-8 text")],
    ids=["latin-1", "oversized", "binary"],
)
def test_a_bad_csv_imports_nothing_and_says_why(repo, data, message):
    at = page("library", library_tab="Import or export CSV")
    at.file_uploader(key="library_csv_upload").set_value(("../../exercises.csv", data, "text/csv")).run()
    assert not at.exception
    assert any(e.startswith("Nothing was imported.") and message in e for e in errors(at))
    assert services.exercises.custom_exercises(repo=repo) == []
    keeps_serving(at)


# --- hostile text on every page -------------------------------------------------------------------------------


def test_hostile_names_and_notes_are_escaped_on_every_page(repo):
    ids = []
    for number, text in enumerate(EVERY_TEXT):
        patient = services.patients.add_patient({"name": text, "notes": text * 3, "phone": "555 0100",
                                       "email": f"p{number}@example.org"}, repo=repo, actor="test")
        program = program_from_template("phase1_settle", patient.as_patient(), start_date=dt.date(2026, 1, 5))
        program = program.model_copy(update={"notes": text, "clinician": text})
        ids.append((patient.id, services.programs.save_program(program, repo=repo, actor="test",
                                                     patient_id=patient.id).program_id))
    for patient_id, program_id in ids:
        for name in ("build", "patients", "review"):
            at = page(name, current_patient_id=patient_id, current_program_id=program_id)
            shown = shown_as_markdown(at)
            assert not [s for s in shown if RAW_MARKUP.search(s) or live_markdown(s)], name
    at = page("audit")
    assert not any(text in str(at.dataframe[0].value.to_dict()) for text in EVERY_TEXT)  # ids only
