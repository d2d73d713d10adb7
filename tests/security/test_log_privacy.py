"""Logs carry no patient names or emails: a full AppTest flow with hostile names, every logger at DEBUG, and a bug
whose exception message quotes the patient. The server log of the browser test is checked in tests/e2e."""

from __future__ import annotations

import logging

import pytest
from streamlit.testing.v1 import AppTest

from rehab import services
from rehab.security import log_privacy
from rehab.security.log_privacy import ROWS_NOTE
from tests.conftest import ROOT

APP = str(ROOT / "app.py")
PATIENTS = [("O'Brien & <Sons>", "obrien.sons@example.org"), ("Łukasz Żółć", "lukasz.zolc@example.org"),
            ("Ολυμπία", "olympia@example.org"), ("Юлия", "yulia@example.org")]
NOTES = "Knee hurts after <script>alert(1)</script> runs; call O'Brien & <Sons>"


def secrets_in(text: str) -> list[str]:
    """The patient names, emails and notes that appear in ``text``."""
    found = [value for name, email in PATIENTS for value in (name, email) if value in text]
    return found + ([NOTES] if NOTES in text else [])


def test_an_exception_is_logged_with_its_type_and_place_but_not_its_message(caplog):
    log_privacy.install()
    log_privacy.install()  # a second call changes nothing
    with caplog.at_level(logging.DEBUG):
        name = "Łukasz Żółć"
        try:
            {}[name]
        except KeyError:
            logging.getLogger("rehab.app").exception("unexpected error while trying to %s", "open the patient")
        try:
            raise ValueError("other library: Юлия")
        except ValueError:
            logging.getLogger("somelibrary").exception("kept as is")  # not ours: untouched
    ours, theirs = caplog.records
    text = caplog.text
    assert "Łukasz Żółć" not in text
    assert "builtins.KeyError (message withheld: it may quote patient data)" in text
    assert "test_log_privacy.py" in ours.exc_text and ours.exc_info is None
    assert theirs.exc_info is not None and "Юлия" in text


def run_the_whole_app(monkeypatch) -> None:
    """Every page, with hostile patients: add, build, save, view, edit, outcomes, review, audit, accounts."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    for name, email in PATIENTS:
        at.text_input(key="build_np_name").input(name)
        at.text_input(key="build_np_email").input(email)
        at.button(key="FormSubmitter:build_add_patient-Add patient").click().run()
        at.selectbox(key="build_start_template").set_value("phase1_settle")
        at.button(key="build_start_template_go").click().run()
        at.button(key="build_save").click().run()
        at.button(key="build_change_patient").click().run()
        assert not at.exception
    at.switch_page("app_pages/patients.py").run()
    patient = services.patients.find_patients("lukasz", repo=services.bootstrap.connect())[0]
    at.radio(key="patients_selected").set_value(patient.id).run()
    at.text_area(key=f"patients_edit_{patient.id}_notes").input(NOTES).run()
    at.button(key=f"patients_edit_{patient.id}_save").click().run()
    at.number_input(key=f"patients_outcome_{patient.id}_pain").set_value(4)
    at.button(key=f"patients_outcome_{patient.id}_add").click().run()
    assert not at.exception
    # A bug whose message quotes the patient: the user gets a plain message, the log gets no name.
    monkeypatch.setattr(services.patients, "update_patient",
                        lambda *a, **k: (_ for _ in ()).throw(RuntimeError(f"bug with {PATIENTS[1]}")))
    at.text_input(key=f"patients_edit_{patient.id}_phone").input("555 0100").run()
    at.button(key=f"patients_edit_{patient.id}_save").click().run()
    assert any("unexpected problem" in e.value for e in at.error)
    for page in ("review", "library", "templates", "settings", "accounts", "audit", "build"):
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, page


def test_a_full_app_flow_logs_no_patient_names_emails_or_notes(monkeypatch, caplog, capfd):
    with caplog.at_level(logging.DEBUG):  # the root logger and every library that propagates to it
        for name in ("streamlit", "sqlalchemy"):
            monkeypatch.setattr(logging.getLogger(name), "level", logging.DEBUG)
        run_the_whole_app(monkeypatch)
    out, err = capfd.readouterr()
    assert "RuntimeError (message withheld" in caplog.text  # the bug above was logged, without its message
    assert len(caplog.records) > 0
    assert "SELECT" in caplog.text and ROWS_NOTE in caplog.text  # SQL and row logging were on
    assert secrets_in(caplog.text) == []
    assert secrets_in(out + err) == []


@pytest.mark.parametrize("level", [logging.INFO, logging.DEBUG])
def test_sql_logging_turned_on_shows_no_values(caplog, monkeypatch, level):
    """SQLAlchemy logs statements at INFO (values hidden: hide_parameters) and fetched rows at DEBUG (withheld)."""
    log_privacy.install()
    monkeypatch.setattr(logging.getLogger("sqlalchemy.engine"), "level", level)
    with caplog.at_level(level):
        services.patients.add_patient({"name": PATIENTS[2][0], "email": PATIENTS[2][1]},
                                      repo=services.bootstrap.connect(), actor="t")
        services.patients.find_patients("", repo=services.bootstrap.connect())
    assert secrets_in(caplog.text) == []
    assert "SELECT" in caplog.text and (ROWS_NOTE in caplog.text) == (level == logging.DEBUG)
