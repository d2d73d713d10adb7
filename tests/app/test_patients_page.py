"""The Patients page: search, details and edits, archive, program history with every version, copy, and outcomes."""

import datetime as dt
import re
from io import BytesIO

import pyarrow as pa
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from rehab import services
from rehab.config import Settings
from rehab.domain.clinic import Clinic
from rehab.program.templates import program_from_template
from tests.conftest import ROOT
from ui.context import CURRENT_PATIENT, CURRENT_PROGRAM
from ui.records import PDF_NAME
from ui.text import md

APP = str(ROOT / "app.py")
HOSTILE = ["O'Brien & <Sons>", "Łukasz Żółć", "Ολυμπία", "Юлия"]
LONG_NOTES = ("Line one with *stars* & <tags>.\n" + "x" * 5000)[:5000]


@pytest.fixture
def repo(app_database):
    return services.bootstrap.connect(Settings.from_env({"REHAB_DATABASE_URL": app_database}))


def add(repo, name, **details):
    return services.patients.add_patient({"name": name, **details}, repo=repo, actor="Test Physio")


def give_program(repo, patient, template="phase1_settle"):
    """A program with two versions: version 2 has 14 reps in its first item and a new note to the patient."""
    program = program_from_template(template, patient.as_patient(), start_date=dt.date(2026, 1, 5))
    first = services.programs.save_program(program, repo=repo, actor="Test Physio", patient_id=patient.id)
    changed = program.model_copy(update={"items": (program.items[0].model_copy(update={"reps": 14}),
                                                   *program.items[1:]), "notes": "Changed in version two."})
    services.programs.save_program(changed, repo=repo, actor="Other Physio", program_id=first.program_id,
                                   base_version=1)
    return first.program_id


def patients_page(state=None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.run()
    return at.switch_page("app_pages/patients.py").run()


def choose(at, patient) -> AppTest:
    return at.radio(key="patients_selected").set_value(patient.id).run()


def test_with_no_patients_the_page_says_to_add_one_on_build_program(repo):
    at = patients_page()
    assert not at.exception
    assert "no patients yet" in at.info[0].value
    at.button(key="patients_go_build").click().run()
    assert "Patients" not in [t.value for t in at.title]


def test_search_ignores_accents_and_case(repo):
    zoe = add(repo, "Zoë Ñúñez")
    for name in HOSTILE:
        add(repo, name)
    at = patients_page()
    assert len(at.radio(key="patients_selected").options) == 5
    at.text_input(key="patients_search").input("zoe").run()
    assert not at.exception
    assert at.radio(key="patients_selected").options == ["Zoë Ñúñez"]
    assert at.subheader[0].value == md(zoe.name)
    at.text_input(key="patients_search").input("ЮЛИЯ").run()
    assert at.radio(key="patients_selected").options == ["Юлия"]
    at.text_input(key="patients_search").input("nobody").run()
    assert "No patient matches" in at.info[0].value


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_and_long_notes_are_shown_literally(repo, name):
    patient = add(repo, name, notes=LONG_NOTES, email="someone@example.org")
    at = choose(patients_page(), patient)
    assert not at.exception
    assert at.subheader[0].value == md(name)
    assert any(m.value == md(LONG_NOTES) for m in at.markdown)
    assert at.text_input(key=f"patients_edit_{patient.id}_name").value == name


def test_the_current_patient_from_another_page_is_selected(repo):
    add(repo, "Ann Test")
    second = add(repo, "Zed Test")
    at = patients_page({CURRENT_PATIENT: second.id})
    assert at.subheader[0].value == md("Zed Test")


def test_editing_details_names_bad_fields_in_plain_words_and_saves_good_ones(repo):
    patient = add(repo, "Test Patient")
    at = patients_page()
    prefix = f"patients_edit_{patient.id}"
    at.text_input(key=f"{prefix}_email").input("not an email").run()
    assert any("unsaved changes" in c.value for c in at.caption)
    at.button(key=f"{prefix}_save").click().run()
    assert not at.exception
    message = at.error[0].value
    assert message.startswith("Could not save the details: " + md("Email:")) and md("email:") not in message
    assert services.patients.get_patient(patient.id, repo=repo).email is None
    at.text_input(key=f"{prefix}_email").input("test@example.org").run()
    at.checkbox(key=f"{prefix}_consent").check().run()
    at.selectbox(key=f"{prefix}_side").set_value("left").run()
    at.date_input(key=f"{prefix}_born").set_value(dt.date(1990, 4, 2)).run()
    at.text_area(key=f"{prefix}_notes").input(LONG_NOTES).run()
    at.button(key=f"{prefix}_save").click().run()
    assert not at.exception
    assert at.success[0].value == "Details saved."
    stored = services.patients.get_patient(patient.id, repo=repo)
    assert (stored.email, stored.email_consent, stored.affected_side, stored.date_of_birth, stored.notes) == (
        "test@example.org", True, "left", dt.date(1990, 4, 2), LONG_NOTES)
    assert any(md("test@example.org") in m.value for m in at.markdown)


def test_an_edit_in_progress_survives_a_page_switch(repo):
    patient = add(repo, "Test Patient")
    at = patients_page()
    key = f"patients_edit_{patient.id}_name"
    at.text_input(key=key).input("Test Patient Renamed").run()
    at.switch_page("app_pages/templates.py").run()
    at.switch_page("app_pages/patients.py").run()
    assert at.text_input(key=key).value == "Test Patient Renamed"
    assert services.patients.get_patient(patient.id, repo=repo).name == "Test Patient"


def test_archive_hides_the_patient_and_restore_brings_them_back(repo):
    patient = add(repo, "Test Patient")
    add(repo, "Other Patient")
    at = choose(patients_page(), patient)
    at.button(key="patients_archive").click().run()
    assert not at.exception
    assert services.patients.get_patient(patient.id, repo=repo).archived
    assert "Test Patient" not in at.radio(key="patients_selected").options
    at.toggle(key="patients_include_archived").set_value(True).run()
    at = choose(at, patient)
    assert "archived" in at.warning[0].value
    at.button(key="patients_restore").click().run()
    assert not services.patients.get_patient(patient.id, repo=repo).archived


def test_program_history_lists_every_version_and_shows_each_one(repo):
    patient = add(repo, "Test Patient")
    program_id = give_program(repo, patient)
    at = patients_page()
    assert not at.exception
    versions = at.dataframe[0].value
    assert list(versions["Version"]) == [2, 1]
    assert list(versions["Saved by"]) == ["Other Physio", "Test Physio"]
    key = f"patients_version_{program_id}"
    assert "14" in at.table[0].value["How much"][0]
    shown = pa.ipc.open_stream(at.table[0].proto.arrow_data.styler.display_values).read_all().to_pandas()
    assert all(re.fullmatch(r"\d+(\.\d)?", text) for text in shown["Minutes"])  # "5.2", never "5.200000"
    at.selectbox(key=key).set_value(1).run()
    assert not at.exception
    assert "14" not in at.table[0].value["How much"][0]
    button = at.get("download_button")[0]
    assert button.proto.label == "Download PDF of version 1"


def test_a_version_made_at_a_review_visit_shows_what_the_patient_reported(repo):
    from rehab.domain.records import ReviewCheckIn

    patient = add(repo, "Test Patient")
    program = program_from_template("phase1_settle", patient.as_patient(), start_date=dt.date(2026, 1, 5))
    first = services.programs.save_program(program, repo=repo, actor="Test Physio", patient_id=patient.id)
    visit = [ReviewCheckIn(exercise=program.items[0].exercise, pain_during=2, next_morning="same", good_form=True,
                           decision="progress"),
             *(ReviewCheckIn(exercise=item.exercise, decision="hold") for item in program.items[1:])]
    services.programs.save_program(program, repo=repo, actor="Test Physio", program_id=first.program_id, base_version=1,
                         review=visit)
    at = patients_page()
    assert not at.exception
    assert list(at.dataframe[0].value["Made at"]) == ["review visit", ""]
    assert any("Review visit that made this version" in m.value for m in at.markdown)
    reported = at.table[1].value
    assert list(reported.iloc[0]) == ["Quad set", "2", "Same", "Yes", "Progress"]
    assert list(reported.iloc[1])[1:] == ["–", "–", "–", "Hold"]
    at.selectbox(key=f"patients_version_{first.program_id}").set_value(1).run()
    assert not any("Review visit that made this version" in m.value for m in at.markdown)


def test_open_in_build_program_hands_over_the_patient_and_program(repo):
    patient = add(repo, "Test Patient")
    program_id = give_program(repo, patient)
    at = patients_page()
    at.button(key="patients_open_build").click().run()
    assert at.session_state[CURRENT_PATIENT] == patient.id
    assert at.session_state[CURRENT_PROGRAM] == program_id
    assert "Patients" not in [t.value for t in at.title]


def test_a_version_is_copied_to_another_patient_found_by_search(repo):
    patient = add(repo, "Test Patient")
    target = add(repo, "Юлия")
    program_id = give_program(repo, patient)
    at = choose(patients_page(), patient)
    at.selectbox(key=f"patients_version_{program_id}").set_value(1).run()
    at.text_input(key="patients_copy_search").input("юл").run()
    target_box = at.selectbox(key="patients_copy_target")
    assert target_box.options == ["Юлия"] and target_box.value is None
    assert at.button(key="patients_copy").disabled  # nobody is chosen for the user
    target_box.set_value(target.id).run()
    at.button(key="patients_copy").click().run()
    assert not at.exception
    (copy,) = services.programs.list_programs(repo=repo, patient_id=target.id)
    (info,) = services.programs.list_versions(copy.id, repo=repo)
    assert (info.copied_from_program_id, info.copied_from_version) == (program_id, 1)
    assert any("Copied" in s.value for s in at.success)


def test_archiving_a_program_hides_it_until_shown(repo):
    patient = add(repo, "Test Patient")
    program_id = give_program(repo, patient)
    at = patients_page()
    at.button(key="patients_program_archive").click().run()
    assert services.programs.list_programs(repo=repo, patient_id=patient.id) == []
    assert "archived program hidden" in at.info[0].value
    at.toggle(key="patients_show_archived_programs").set_value(True).run()
    at.button(key="patients_program_restore").click().run()
    assert [p.id for p in services.programs.list_programs(repo=repo, patient_id=patient.id)] == [program_id]


def test_a_patient_without_programs_is_sent_to_build_program(repo):
    patient = add(repo, "Test Patient")
    at = patients_page()
    assert any("No programs yet" in i.value for i in at.info)
    at.button(key="patients_build_first").click().run()
    assert at.session_state[CURRENT_PATIENT] == patient.id


def test_an_outcome_entry_is_added_with_scores_only(repo):
    patient = add(repo, "Test Patient")
    at = patients_page()
    prefix = f"patients_outcome_{patient.id}"
    at.button(key=f"{prefix}_add").click().run()
    assert "Enter the worst pain" in at.error[0].value
    at.number_input(key=f"{prefix}_pain").set_value(6).run()
    at.selectbox(key=f"{prefix}_instrument").set_value("Kujala (AKPS)").run()
    at.button(key=f"{prefix}_add").click().run()
    assert "Enter the Kujala (AKPS) score" in at.error[0].value
    at.number_input(key=f"{prefix}_score").set_value(58).run()
    at.selectbox(key=f"{prefix}_change").set_value(1).run()
    at.date_input(key=f"{prefix}_date").set_value(dt.date.today() - dt.timedelta(days=14)).run()
    at.button(key=f"{prefix}_add").click().run()
    assert not at.exception
    (entry,) = services.outcomes.list_outcomes(patient.id, repo=repo)
    assert (entry.worst_pain, entry.function_score, entry.instrument, entry.global_change) == (
        6, 58, "Kujala (AKPS)", 1)
    assert at.number_input(key=f"{prefix}_pain").value is None  # the form starts again empty
    assert any("Add another entry" in m.value for m in at.markdown)


def test_outcomes_say_whether_the_change_reaches_the_minimal_important_change(repo):
    patient = add(repo, "Test Patient")
    today = dt.date.today()
    for days, pain, score in [(42, 6, 58), (21, 5, 60), (0, 5, 66)]:
        services.outcomes.add_outcome(patient.id, {"recorded_on": today - dt.timedelta(days=days), "worst_pain": pain,
                                         "function_score": score, "instrument": "Kujala (AKPS)"},
                            repo=repo, actor="Test Physio")
    at = patients_page()
    assert not at.exception
    texts = [m.value for m in at.markdown]
    assert any(t.startswith("Worst pain went down 1 point (6 to 5)") and "less than the minimal important change"
               in t for t in texts)
    assert any("went up 8 points" in t and "less than" in t for t in texts)
    charts = at.get("vega_lite_chart")
    assert len(charts) == 2 and all('"rect"' in chart.proto.spec for chart in charts)  # the MIC band
    entries = at.dataframe[-1].value
    assert list(entries["Worst pain"]) == [5, 5, 6]


def test_the_downloaded_handout_is_the_chosen_version_with_the_stored_clinic_profile(repo):
    services.clinic.save_clinic(Clinic(name="Test Clinic & <Physio>"), repo=repo, actor="Test Physio")
    patient = add(repo, "Zoë Ñúñez")
    program_id = give_program(repo, patient)
    at = patients_page()
    at.selectbox(key=f"patients_version_{program_id}").set_value(1).run()
    button = at.get("download_button")[0].proto
    assert button.label == "Download PDF of version 1" and button.deferred_file_id  # made only when pressed
    pdf = services.programs.handout_pdf(program_id, 1, repo=repo, actor="Test Physio")
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "Test Clinic & <Physio>" in text and "Zoë Ñúñez" in text
    assert "Changed in version two" not in text.replace("\n", " ")  # version 1, not the newest
    assert PDF_NAME == "exercise-program.pdf"  # never the patient's name


def test_a_patient_handed_over_later_replaces_the_earlier_choice(repo):
    first = add(repo, "Ann Test")
    second = add(repo, "Zed Test")
    at = choose(patients_page(), first)
    at.text_input(key="patients_search").input("ann").run()
    at.switch_page("app_pages/templates.py").run()
    at.session_state[CURRENT_PATIENT] = second.id  # as Build program does when the user picks a patient there
    at.switch_page("app_pages/patients.py").run()
    assert at.subheader[0].value == md("Zed Test")
    assert at.text_input(key="patients_search").value == ""


def test_two_programs_with_the_same_title_each_open_their_own_versions(repo):
    patient = add(repo, "Test Patient")
    first_id = give_program(repo, patient, "phase1_settle")  # two versions
    services.programs.save_program(services.programs.get_version(first_id, repo=repo)[1].model_copy(
        update={"title": "Your knee exercise program"}), repo=repo, actor="Test Physio", program_id=first_id,
        base_version=2)
    other = program_from_template("phase3_return_to_running", patient.as_patient(), start_date=dt.date(2026, 1, 5))
    other = other.model_copy(update={"title": "Your knee exercise program"})
    other_id = services.programs.save_program(other, repo=repo, actor="Test Physio", patient_id=patient.id).program_id
    at = patients_page()
    picker = at.selectbox(key="patients_program")
    assert len(set(picker.options)) == 2
    picker.set_value(other_id).run()
    assert not at.exception
    assert list(at.dataframe[0].value["Version"]) == [1]  # the other program has one version only
    assert at.selectbox(key="patients_program").value == other_id


TABS_OUTCOMES = 2  # Details, Programs, Outcomes, Emails


def test_adding_an_outcome_keeps_the_outcomes_tab_open(repo):
    patient = add(repo, "Test Patient")
    at = patients_page({"patients_tab": "Outcomes"})  # as when the clinician clicks the tab
    prefix = f"patients_outcome_{patient.id}"
    at.number_input(key=f"{prefix}_pain").set_value(4).run()
    at.button(key=f"{prefix}_add").click().run()
    assert not at.exception and services.outcomes.list_outcomes(patient.id, repo=repo)
    (container,) = [node.proto.tab_container for node in _blocks(at.main)
                    if getattr(node.proto, "DESCRIPTOR", None) is not None and node.proto.DESCRIPTOR.name == "Block"
                    and node.proto.WhichOneof("type") == "tab_container"]
    assert container.id  # a tracked tab container: the browser keeps it (and its open tab) across reruns
    assert container.default_tab_index == TABS_OUTCOMES


def _blocks(node):
    """Every layout block under ``node``."""
    for child in getattr(node, "children", {}).values():
        if hasattr(child, "children"):
            yield child
            yield from _blocks(child)


def test_versions_and_outcome_entries_name_their_authors_not_their_emails(repo, signed_in_app):
    patient = add(repo, "Test Patient")
    program = program_from_template("phase1_settle", patient.as_patient(), start_date=dt.date(2026, 1, 5))
    services.programs.save_program(program, repo=repo, actor=signed_in_app.email, patient_id=patient.id)
    services.outcomes.add_outcome(patient.id, {"recorded_on": dt.date(2026, 1, 5), "worst_pain": 5}, repo=repo,
                        actor=signed_in_app.email)
    at = patients_page()
    assert not at.exception
    assert list(at.dataframe[0].value["Saved by"]) == ["Test Admin"]
    entries = next(frame.value for frame in at.dataframe if "Entered by" in frame.value.columns)
    assert list(entries["Entered by"]) == ["Test Admin"]
    assert any("saved by Test Admin" in c.value for c in at.caption)


def test_the_patient_chosen_here_is_the_one_build_program_opens(repo):
    add(repo, "Ann Test")
    other = add(repo, "Ολυμπία")
    at = choose(patients_page(), other)
    at.switch_page("app_pages/build.py").run()
    assert not at.exception
    assert at.session_state["build_patient_id"] == other.id
    assert any("Ολυμπία" in m.value for m in at.markdown)
