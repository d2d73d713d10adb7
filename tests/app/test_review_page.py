"""The Review visit page: answers per exercise, proposals with reasons, overrides, and saving the next version."""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from rehab import services
from rehab.config import Settings
from rehab.domain import Patient, Program, ProgramItem, Side
from tests.conftest import ROOT
from ui.context import CURRENT_PATIENT, CURRENT_PROGRAM
from ui.text import md

APP = str(ROOT / "app.py")
ITEMS = (
    ProgramItem(exercise="glute_bridge", sets=3, reps=12, days_per_week=3),  # no easier exercise
    ProgramItem(exercise="step_up", sets=3, reps=10, side=Side.BOTH),  # easier: squat_to_chair
    ProgramItem(exercise="clamshell", sets=2, reps=15, side=Side.LEFT),
)


@pytest.fixture
def repo(app_database):
    return services.bootstrap.connect(Settings.from_env({"REHAB_DATABASE_URL": app_database}))


def seed(repo, name="O'Brien & <Sons>"):
    patient = services.patients.add_patient({"name": name}, repo=repo, actor="Test Physio")
    program = Program(patient=patient.as_patient(), phase="strengthen", start_date=dt.date(2026, 1, 5), items=ITEMS)
    info = services.programs.save_program(program, repo=repo, actor="Test Physio", patient_id=patient.id)
    return patient, info.program_id


def review_page(state=None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.run()
    return at.switch_page("app_pages/review.py").run()


def answer(at, program_id, version, rows) -> AppTest:
    """Type answers into the check-in table the way the browser reports data_editor edits."""
    at.session_state[f"review_grid_{program_id}_{version}"] = {
        "edited_rows": {i: {"Pain (0-10)": p, "Next morning": m, "Good form": f} for i, (p, m, f) in rows.items()},
        "added_rows": [],
        "deleted_rows": [],
    }
    return at.run()


def test_with_no_patients_the_page_says_to_add_one_on_build_program(repo):
    at = review_page()
    assert not at.exception
    assert "no patients yet" in at.info[0].value
    at.button(key="review_go_build").click().run()
    assert "Review visit" not in [t.value for t in at.title]


def test_a_patient_without_a_program_is_sent_to_build_program(repo):
    patient = services.patients.add_patient({"name": "Łukasz Żółć & <Sons>"}, repo=repo, actor="Test Physio")
    at = review_page()
    assert not at.exception
    assert at.info[0].value.startswith(md("Łukasz Żółć & <Sons>") + " has no program yet")
    at.button(key="review_build_first").click().run()
    assert at.session_state[CURRENT_PATIENT] == patient.id


def test_the_current_patient_and_program_are_taken_from_the_session(repo):
    seed(repo, "Ann Test")
    patient, program_id = seed(repo, "Юлия")
    at = review_page({CURRENT_PATIENT: patient.id, CURRENT_PROGRAM: program_id})
    assert not at.exception
    assert at.selectbox(key="review_patient").value == patient.id
    assert at.selectbox(key="review_program").value == program_id
    assert len(at.get("data_editor")) == 1
    assert any("Reviewing version 1" in c.value for c in at.caption)


def test_nothing_can_be_saved_before_answers_or_decisions(repo):
    patient, program_id = seed(repo)
    at = review_page({CURRENT_PATIENT: patient.id})
    assert not at.exception
    assert any("Enter pain, the next morning and form" in i.value for i in at.info)
    assert not [b for b in at.button if b.key == "review_save"]


def test_answers_give_proposals_with_reasons_and_saving_builds_the_next_version(repo):
    patient, program_id = seed(repo)
    at = review_page({CURRENT_PATIENT: patient.id})
    at = answer(at, program_id, 1, {0: (1, "Same", "Yes"), 1: (7, "Same", "Yes"), 2: (1, "Worse", "Yes")})
    assert not at.exception
    proposals = [m.value for m in at.markdown if "-badge[" in m.value]
    assert proposals[0].startswith(":green-badge[Progress] Pain stayed at 1/10")
    assert proposals[1].startswith(":red-badge[Regress: easier exercise] Pain reached 7/10")
    assert proposals[2].startswith(":red-badge[Regress: do less] The knee was worse the next morning")
    changes = at.table[0].value
    assert list(changes["Exercise"]) == ["Glute bridge", "Step-up", "Clamshell"]
    assert list(changes["Before"]) == ["3 sets of 12, 3 days a week", "3 sets of 10, each leg, 3 days a week",
                                       "2 sets of 15, left leg only, 3 days a week"]
    assert list(changes["After"]) == [
        "3 sets of 14, 3 days a week",
        "Squat to chair: 3 sets of 10, 3 days a week",  # another exercise is named
        "2 sets of 13, left leg only, 3 days a week",
    ]
    at.date_input(key=f"review_start_{program_id}_1").set_value(dt.date(2026, 2, 2)).run()
    at.button(key="review_save").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Saved version 2")
    info, saved = services.programs.get_version(program_id, repo=repo)
    assert info.version == 2 and saved.start_date == dt.date(2026, 2, 2)
    assert [(i.exercise, i.sets, i.reps) for i in saved.items] == [
        ("glute_bridge", 3, 14), ("squat_to_chair", 3, 10), ("clamshell", 2, 13)]
    assert saved.patient == Patient(name="O'Brien & <Sons>")
    (visit,) = services.programs.list_review_visits(program_id, repo=repo)  # the answers and decisions are kept too
    assert visit.version == 2
    assert [(c.exercise, c.pain_during, c.next_morning, c.good_form, c.decision) for c in visit.check_ins] == [
        ("glute_bridge", 1, "same", True, "progress"), ("step_up", 7, "same", True, "easier"),
        ("clamshell", 1, "worse", True, "less")]
    # after saving: the new version is under review with empty answers, and its PDF can be downloaded
    assert any("Reviewing version 2" in c.value for c in at.caption)
    assert at.get("download_button")[0].proto.label == "Download PDF of version 2"
    assert [b for b in at.button if b.key == "review_open_build"]


def test_the_clinician_can_override_a_proposal(repo):
    patient, program_id = seed(repo)
    at = review_page({CURRENT_PATIENT: patient.id})
    at = answer(at, program_id, 1, {0: (1, "Same", "Yes"), 1: (1, "Same", "Yes"), 2: (1, "Same", "Yes")})
    at.segmented_control(key=f"review_decision_{program_id}_1_0").set_value("hold").run()
    at.segmented_control(key=f"review_decision_{program_id}_1_2").set_value("less").run()
    changes = at.table[0].value
    assert list(changes["Decision"]) == ["Hold", "Progress", "Regress: do less"]
    assert changes["After"][0] == "No change"
    at.button(key="review_save").click().run()
    _, saved = services.programs.get_version(program_id, repo=repo)
    assert [i.reps for i in saved.items] == [12, 12, 13]


def test_each_proposal_is_accepted_or_changed_with_one_click_beside_it(repo):
    patient, program_id = seed(repo)
    at = review_page({CURRENT_PATIENT: patient.id})
    choice = at.segmented_control(key=f"review_decision_{program_id}_1_1")
    assert choice.value == "As proposed" and choice.label == "Decision for Step-up"
    assert choice.options == ["As proposed", "Progress", "Hold", "Do less", "Easier exercise"]
    choice.set_value("easier").run()
    assert not at.exception
    assert at.session_state[f"review_decision_{program_id}_1_1"] == "easier"


def test_a_decision_alone_is_enough_for_an_exercise_without_answers(repo):
    patient, program_id = seed(repo)
    at = review_page({CURRENT_PATIENT: patient.id})
    at = answer(at, program_id, 1, {0: (1, "Same", "Yes"), 1: (1, "Same", "Yes")})
    assert any("Still to do" in i.value and "Clamshell" in i.value for i in at.info)
    at.segmented_control(key=f"review_decision_{program_id}_1_2").set_value("hold").run()
    assert len(at.table[0].value) == 3


def test_answers_survive_a_page_switch(repo):
    patient, program_id = seed(repo)
    at = review_page({CURRENT_PATIENT: patient.id})
    at = answer(at, program_id, 1, {0: (1, "Same", "Yes"), 1: (4, "Same", "Yes"), 2: (1, "Same", "No")})
    at.segmented_control(key=f"review_decision_{program_id}_1_0").set_value("hold").run()
    at.switch_page("app_pages/templates.py").run()
    grid = f"review_grid_{program_id}_1"
    if grid in at.session_state:  # as in the browser: a widget that was not shown has no state of its own
        del at.session_state[grid]
    at.switch_page("app_pages/review.py").run()
    assert not at.exception
    assert list(at.table[0].value["Decision"]) == ["Hold", "Hold", "Regress: do less"]


def test_a_conflicting_save_is_explained_and_the_answers_carry_over(repo):
    patient, program_id = seed(repo)
    at = review_page({CURRENT_PATIENT: patient.id})
    at = answer(at, program_id, 1, {0: (1, "Same", "Yes"), 1: (1, "Same", "Yes"), 2: (1, "Same", "Yes")})
    at.segmented_control(key=f"review_decision_{program_id}_1_1").set_value("hold").run()
    # someone else saves version 2 meanwhile, with the first exercise changed
    _, current = services.programs.get_version(program_id, repo=repo)
    other = current.model_copy(update={"items": (current.items[0].model_copy(update={"sets": 2}), *current.items[1:])})
    services.programs.save_program(other, repo=repo, actor="Other Physio", program_id=program_id, base_version=1)
    at.button(key="review_save").click().run()
    assert not at.exception
    warning = at.warning[0].value
    assert "not saved" in warning and "version 2" in warning and "Nothing was overwritten" in warning
    assert services.programs.get_version(program_id, repo=repo)[0].version == 2
    at.button(key="review_carry").click().run()
    assert not at.exception
    assert any("Reviewing version 2" in c.value for c in at.caption)
    changes = at.table[0].value
    assert list(changes["Decision"]) == ["Progress", "Hold", "Progress"]
    assert changes["After"][0] == "2 sets of 14, 3 days a week"
    at.button(key="review_save").click().run()
    info, saved = services.programs.get_version(program_id, repo=repo)
    assert info.version == 3 and [(i.sets, i.reps) for i in saved.items] == [(2, 14), (3, 10), (3, 15)]


def test_a_newer_version_replaces_the_review_when_nothing_was_entered(repo):
    patient, program_id = seed(repo)
    at = review_page({CURRENT_PATIENT: patient.id})
    _, current = services.programs.get_version(program_id, repo=repo)
    services.programs.save_program(current, repo=repo, actor="Other Physio", program_id=program_id, base_version=1)
    at.run()
    assert not at.warning
    assert any("Reviewing version 2" in c.value for c in at.caption)


def test_a_patient_handed_over_later_replaces_the_earlier_choice(repo):
    first, _ = seed(repo, "Ann Test")
    second, program_id = seed(repo, "Zed Test")
    at = review_page({CURRENT_PATIENT: first.id})
    assert at.selectbox(key="review_patient").value == first.id
    at.switch_page("app_pages/templates.py").run()
    at.session_state[CURRENT_PATIENT] = second.id
    at.session_state[CURRENT_PROGRAM] = program_id
    at.switch_page("app_pages/review.py").run()
    assert at.selectbox(key="review_patient").value == second.id
    assert at.selectbox(key="review_program").value == program_id


def test_two_programs_with_the_same_title_stay_apart_while_answers_are_typed(repo):
    patient, first_id = seed(repo, "Ann Test")
    program = Program(patient=patient.as_patient(), phase="strengthen", start_date=dt.date(2026, 1, 5),
                      items=ITEMS[:2])
    second_id = services.programs.save_program(program, repo=repo, actor="Test Physio",
                                               patient_id=patient.id).program_id
    at = review_page({CURRENT_PATIENT: patient.id, CURRENT_PROGRAM: first_id})
    picker = at.selectbox(key="review_program")
    assert len(set(picker.options)) == 2  # the words differ, so the browser can tell the two apart
    picker.set_value(second_id).run()
    at = answer(at, second_id, 1, {0: (2, "Same", "Yes")})
    assert not at.exception
    assert at.selectbox(key="review_program").value == second_id
    assert at.session_state["review_rows"][(second_id, 1)]["Pain (0-10)"][0] == 2


def test_one_answer_fills_every_exercise_and_single_rows_can_then_differ(repo):
    patient, program_id = seed(repo)
    at = review_page({CURRENT_PATIENT: patient.id})
    prefix = f"review_same_{program_id}_1"
    at.number_input(key=f"{prefix}_pain").set_value(1)
    at.selectbox(key=f"{prefix}_morning").set_value("Same")
    at.selectbox(key=f"{prefix}_form").set_value("Yes").run()
    at.button(key=f"{prefix}_go").click().run()
    assert not at.exception
    rows = at.session_state["review_rows"][(program_id, 1)]
    assert list(rows["Pain (0-10)"]) == [1, 1, 1] and list(rows["Next morning"]) == ["Same"] * 3
    at = answer(at, program_id, 1, {2: (7, "Same", "Yes")})  # one exercise went differently
    proposals = [m.value for m in at.markdown if "-badge[" in m.value]
    assert proposals[0].startswith(":green-badge[Progress]") and proposals[2].startswith(":red-badge[")
    at.button(key="review_save").click().run()
    assert not at.exception
    # the saved version can be downloaded or emailed right here
    assert at.get("download_button")[0].proto.label == "Download PDF of version 2"
    assert any(e.label == "Email version 2 to the patient" for e in at.expander)


def test_one_answer_can_go_to_some_exercises_only(repo):
    patient, program_id = seed(repo)
    at = review_page({CURRENT_PATIENT: patient.id})
    prefix = f"review_same_{program_id}_1"
    at.get("button_group")[0].set_value([0, 2])  # Glute bridge and Clamshell, not Step-up
    at.number_input(key=f"{prefix}_pain").set_value(2).run()
    assert at.button(key=f"{prefix}_go").label == "Same answer for these 2"
    at.button(key=f"{prefix}_go").click().run()
    assert not at.exception
    rows = at.session_state["review_rows"][(program_id, 1)]
    assert list(rows["Pain (0-10)"].astype("object").where(rows["Pain (0-10)"].notna(), None)) == [2, None, 2]
    assert rows["Next morning"].isna().all()  # answers not given stay empty: nothing is made up
