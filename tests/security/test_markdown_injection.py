"""Markdown injection (issue 14, hole 3): a patient name, exercise name, account name or version author written as
Markdown, e.g. ``![i](http://host/x.png)``, or holding a bare web or email address, reaches a colleague's page as
plain text: never an image the browser loads, never a live link. Checked in every widget text Streamlit renders
as Markdown (labels, radio options, captions, messages, tooltips); the browser check is in tests/e2e."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from rehab import services
from rehab.config import Settings
from rehab.program.templates import program_from_template
from tests.conftest import ROOT
from ui.context import CURRENT_PATIENT, CURRENT_PROGRAM

from .hostile import live_markdown, page

APP = str(ROOT / "app.py")
HOSTILE = "![i](http://127.0.0.1:9/x.png) [l](http://evil.example) http://evil.example www.evil.example bo@evil.org"
def test_the_check_itself_spots_raw_and_escape_only_markdown():
    assert live_markdown(HOSTILE)
    assert live_markdown(r"http\://evil\.example")  # escaping alone does not stop an autolink
    assert not live_markdown(r"O'Brien \& \<Sons\>")


@pytest.fixture
def repo(app_database):
    repo = services.bootstrap.connect(Settings.from_env({"REHAB_DATABASE_URL": app_database}))
    yield repo
    repo.engine.dispose()


def saved_program(repo):
    patient = services.patients.add_patient({"name": HOSTILE, "email": "zoe@example.org"}, repo=repo, actor="test")
    program = program_from_template("phase1_settle", patient.as_patient(), start_date=dt.date(2026, 1, 5))
    info = services.programs.save_program(program, repo=repo, actor=HOSTILE, patient_id=patient.id)  # author as written
    return patient, info.program_id


def markdown_texts(at: AppTest) -> list[str]:
    """Every text of the page that Streamlit renders as Markdown: bodies, captions, messages, widget labels and
    tooltips, radio options."""
    texts = [str(e.value) for e in [*at.markdown, *at.caption, *at.success, *at.info, *at.warning, *at.error]]
    for widget in [*at.radio, *at.selectbox, *at.multiselect, *at.text_input, *at.text_area, *at.checkbox,
                   *at.toggle, *at.button, *at.number_input, *at.date_input]:
        texts += [widget.label, getattr(widget, "help", None) or ""]
    for radio in at.radio:
        texts += [str(option) for option in radio.options]
    texts += [e.label for e in at.expander] + [t.label for t in at.tabs]
    return texts


@pytest.mark.parametrize("name", ["patients", "review", "build"])
def test_a_markdown_patient_name_and_version_author_show_as_plain_text(repo, name):
    patient, program_id = saved_program(repo)
    at = page(name, **{CURRENT_PATIENT: patient.id, CURRENT_PROGRAM: program_id})
    texts = markdown_texts(at)
    assert [t for t in texts if "x.png" in t.replace("\\", "")], "the hostile text is shown somewhere on the page"
    assert [t for t in texts if live_markdown(t)] == []


def test_the_patient_list_options_and_the_version_caption_carry_the_name_and_author_escaped(repo):
    from ui.text import md

    patient, program_id = saved_program(repo)
    at = page("patients", **{CURRENT_PATIENT: patient.id, CURRENT_PROGRAM: program_id})
    assert any(md(HOSTILE) in option for option in at.radio(key="patients_selected").options)
    assert any(f"saved by {md(HOSTILE)} on" in c.value for c in at.caption)
    at = page("review", **{CURRENT_PATIENT: patient.id, CURRENT_PROGRAM: program_id})
    assert any(f"saved by {md(HOSTILE)} on" in c.value for c in at.caption)


def test_a_markdown_account_name_shows_as_plain_text_on_accounts(repo):
    from rehab.services import accounts

    accounts.add_user("bo@example.org", HOSTILE, "a long test passphrase", role="clinician", clinic_id=1,
                      repo=repo, actor="test")
    at = page("accounts")
    texts = markdown_texts(at)
    assert [t for t in texts if "x.png" in t.replace("\\", "")]
    assert [t for t in texts if live_markdown(t)] == []
