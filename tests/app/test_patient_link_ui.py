"""The patient link on the clinician's pages (issue 16): make, renew and turn off the link on Patients and Build
program; the days done per week on Patients; the patient's answers pre-filled on Review visit; the weekly pain
on the outcome chart."""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from rehab import services
from rehab.config import Settings
from rehab.domain import NextMorning, Patient, Program, ProgramItem, Side
from rehab.domain.links import CheckInInput, CheckInKind
from rehab.services import patient_links as links
from tests.conftest import ROOT
from ui.context import CURRENT_PATIENT, CURRENT_PROGRAM

APP = str(ROOT / "app.py")
ITEMS = (
    ProgramItem(exercise="glute_bridge", sets=3, reps=12, days_per_week=3),
    ProgramItem(exercise="step_up", sets=3, reps=10, side=Side.BOTH),
    ProgramItem(exercise="clamshell", sets=2, reps=15, side=Side.LEFT),
)


@pytest.fixture
def repo(app_database):
    repo = services.bootstrap.connect(Settings.from_env({"REHAB_DATABASE_URL": app_database}))
    yield repo
    repo.engine.dispose()


def seed(repo, name="O'Brien & <Sons>", start=None):
    patient = services.patients.add_patient({"name": name}, repo=repo, actor="admin@example.org")
    start = start or dt.date.today() - dt.timedelta(days=8)
    program = Program(patient=Patient(name=name), phase="strengthen", start_date=start, items=ITEMS)
    info = services.programs.save_program(program, repo=repo, actor="admin@example.org", patient_id=patient.id)
    return patient, info.program_id


def page(path: str, state: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    return at.switch_page(path).run()


def check_in(repo, token, entry: CheckInInput):
    resolved = links.resolve(token, repo=repo)
    links.record_check_in(resolved, entry, {item.exercise for item in ITEMS})


def test_patients_page_makes_renews_and_turns_off_the_link_and_shows_the_address_once(repo):
    patient, program_id = seed(repo)
    at = page("app_pages/patients.py", {CURRENT_PATIENT: patient.id, CURRENT_PROGRAM: program_id})
    assert not at.exception
    assert any("No patient link yet" in m.value for m in at.markdown)
    key = f"patients_link_{program_id}"
    at.button(key=f"{key}_make").click().run()
    assert not at.exception
    [address] = [c.value for c in at.code if "/p/" in c.value]
    token = address.rsplit("/p/", 1)[1]
    assert links.resolve(token, repo=repo).link.program_id == program_id
    assert any("works until" in m.value for m in at.markdown)
    at.button(key=f"{key}_renew").click().run()
    assert not at.exception and links.resolve(token, repo=repo)
    at.button(key=f"{key}_revoke").click().run()
    assert not at.exception and not [c for c in at.code if "/p/" in c.value]
    assert any("turned off" in m.value for m in at.markdown)
    with pytest.raises(links.LinkUnavailable):
        links.resolve(token, repo=repo)


def test_patients_page_shows_days_done_per_week_and_the_weekly_pain(repo):
    patient, program_id = seed(repo, start=dt.date.today() - dt.timedelta(days=3))
    _, token = links.create_link(program_id, repo=repo, actor="admin@example.org")
    check_in(repo, token, CheckInInput(kind=CheckInKind.SESSION, done=("glute_bridge", "step_up"), pain=3))
    check_in(repo, token, CheckInInput(kind=CheckInKind.WEEK, pain=6))
    at = page("app_pages/patients.py", {CURRENT_PATIENT: patient.id, CURRENT_PROGRAM: program_id})
    assert not at.exception
    [table] = [d.value for d in at.dataframe if "Days done" in d.value.columns]
    assert list(table["Days done"]) == ["1 of 3"]
    assert list(table["Worst pain in sessions"]) == ["3/10"] and list(table["Worst pain of the week"]) == ["6/10"]
    assert any("as the patient gave it through their link" in c.value for c in at.caption)


def test_review_visit_starts_from_the_patients_answers(repo):
    patient, program_id = seed(repo)
    _, token = links.create_link(program_id, repo=repo, actor="admin@example.org")
    check_in(repo, token, CheckInInput(kind=CheckInKind.SESSION, done=("glute_bridge",), pain=2))
    check_in(repo, token, CheckInInput(kind=CheckInKind.SESSION, done=("glute_bridge", "step_up"), pain=5))
    check_in(repo, token, CheckInInput(kind=CheckInKind.MORNING, morning=NextMorning.WORSE))
    at = page("app_pages/review.py", {CURRENT_PATIENT: patient.id, CURRENT_PROGRAM: program_id})
    assert not at.exception
    rows = at.session_state["review_rows"][(program_id, 1)]
    assert list(rows["Pain (0-10)"].astype("object").where(rows["Pain (0-10)"].notna(), None)) == [5, 5, None]
    assert list(rows["Next morning"].astype("object").where(rows["Next morning"].notna(), None)) == [
        "Worse", "Worse", None]
    assert any("filled in from what the patient recorded" in i.value for i in at.info)


def test_build_page_offers_the_link_once_the_program_is_saved(repo):
    patient, program_id = seed(repo, name="Юлия")
    at = page("app_pages/patients.py", {CURRENT_PATIENT: patient.id, CURRENT_PROGRAM: program_id})
    at.button(key="patients_open_build").click().run()
    assert not at.exception
    assert any(e.label.startswith("Patient link") for e in at.expander)
    at.button(key=f"build_link_{program_id}_make").click().run()
    assert not at.exception and [c for c in at.code if "/p/" in c.value]
