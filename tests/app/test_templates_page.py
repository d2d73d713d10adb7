"""The Templates page in AppTest: copy a built-in template to the clinic, edit, duplicate, retire and restore, export
and import JSON, and start a program from a clinic template on the Build page; the Build page saves a program as a
clinic template."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from rehab import services
from rehab.content.content import get_template
from rehab.domain.records import AuditAction
from rehab.services import clinic_templates
from rehab.storage.db import make_engine
from tests.conftest import ROOT

APP = str(ROOT / "app.py")
PAGE = "app_pages/templates.py"
HOSTILE = "O'Brien & <Sons> · Łukasz Żółć"


@pytest.fixture
def repo(app_database):
    engine = make_engine(app_database)
    yield services.bootstrap.connect(engine=engine)
    engine.dispose()


def templates_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception
    return at


def copied(at: AppTest, template_id: str = "phase2_strengthen") -> AppTest:
    at.selectbox(key="template_preview").set_value(template_id).run()
    return click(at, "templates_copy")


def test_a_new_clinic_has_no_templates_and_is_told_how_to_add_one():
    at = templates_page()
    assert any("No clinic templates yet" in info.value for info in at.info)
    assert [tab.label for tab in at.tabs] == ["Your clinic's templates", "Built-in templates", "Import JSON"]


def test_copy_to_clinic_adds_an_editable_copy_and_leaves_the_built_in_one_as_it_was(repo):
    at = copied(templates_page())
    (copy,) = clinic_templates.list_clinic_templates(repo=repo)
    built_in = get_template("phase2_strengthen")
    assert copy.document.items == built_in.items and copy.title == built_in.title
    assert at.session_state["templates_clinic_choice"] == copy.id
    assert any("Copied" in s.value for s in at.success)
    assert at.dataframe[0].value["Status"].tolist() == ["In use"]
    assert services.audit.audit_trail(repo=repo)[0].template_id == copy.id


def test_editing_changes_title_phase_purpose_criteria_education_and_notes(repo):
    at = copied(templates_page())
    form = f"templates_edit_{clinic_templates.list_clinic_templates(repo=repo)[0].id}"
    at.text_input[0].input(HOSTILE)
    at.text_area[0].input("Build strength in your hip and thigh, at home.")
    at.text_area[1].input("You can do 3 sets of 15 with good form.\n\nYour knee is calm the next morning.")
    at.multiselect[0].set_value(["runners_knee", "pain_monitoring"])
    at.text_area[2].input("Notes for us " * 100)
    at.button(key=f"FormSubmitter:{form}-Save changes").click().run()
    assert not at.exception
    (saved,) = clinic_templates.list_clinic_templates(repo=repo)
    assert saved.title == HOSTILE
    assert saved.document.move_on == ("You can do 3 sets of 15 with good form.", "Your knee is calm the next morning.")
    assert saved.document.education == ("runners_knee", "pain_monitoring")
    assert any(HOSTILE in s.value.replace("\\", "") for s in at.success)
    assert next(box for box in at.selectbox if box.label == "Clinic template").options == [HOSTILE]
    assert AuditAction.TEMPLATE_UPDATE in {e.action for e in services.audit.audit_trail(repo=repo)}


def test_a_bad_edit_is_refused_with_the_field_named_and_nothing_changes(repo):
    at = copied(templates_page())
    before = clinic_templates.list_clinic_templates(repo=repo)
    at.text_input[0].input("   ")
    at.text_area[1].input("")
    at.button(key=f"FormSubmitter:templates_edit_{before[0].id}-Save changes").click().run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "Title: must not be empty" in errors.replace("\\", "")
    assert "Criteria for the next stage: needs at least 1 entry" in errors.replace("\\", "")
    assert clinic_templates.list_clinic_templates(repo=repo) == before


def test_duplicate_retire_and_restore(repo):
    at = click(copied(templates_page()), "templates_duplicate")
    first, copy = sorted(clinic_templates.list_clinic_templates(repo=repo), key=lambda t: t.id)
    assert copy.title == f"{first.title} (copy)" and copy.document.items == first.document.items
    assert at.session_state["templates_clinic_choice"] == copy.id

    at = click(at, "templates_retire")
    assert [t.id for t in clinic_templates.list_clinic_templates(repo=repo)] == [first.id]
    assert at.session_state["templates_clinic_choice"] == first.id  # the retired one is off the list
    at.toggle(key="templates_show_retired").set_value(True).run()
    next(box for box in at.selectbox if box.label == "Clinic template").set_value(copy.id).run()
    assert any("retired" in info.value for info in at.info)
    assert at.button(key="templates_start").disabled
    at = click(at, "templates_restore")
    assert len(clinic_templates.list_clinic_templates(repo=repo)) == 2


def test_export_gives_the_template_file_and_pasting_it_back_imports_a_copy(repo):
    at = copied(templates_page())
    text = clinic_templates.export_template(clinic_templates.list_clinic_templates(repo=repo)[0].id, repo=repo)
    assert json.loads(text)["format"] == "rehab.template/1"
    at.text_area(key="templates_paste").input(text.replace("Phase 2: Build strength", "Imported")).run()
    at = click(at, "templates_import")
    assert sorted(t.title for t in clinic_templates.list_clinic_templates(repo=repo)) == [
        "Imported", "Phase 2: Build strength"]
    assert any("Imported" in s.value for s in at.success)


def test_a_broken_import_lists_each_problem_by_field_and_adds_nothing(repo):
    at = templates_page()
    at.text_area(key="templates_paste").input('{"format": "rehab.template/1", "title": "x", "phase": "fast"}').run()
    at = click(at, "templates_import")
    errors = at.error[0].value
    assert "phase" in errors and "items" in errors and "duration\\_weeks" in errors
    assert clinic_templates.list_clinic_templates(repo=repo) == []


def test_start_a_program_opens_the_build_page_with_the_clinic_template_chosen(repo):
    at = copied(templates_page())
    (template,) = clinic_templates.list_clinic_templates(repo=repo)
    at = click(at, "templates_start")
    assert at.title[0].value == "Build program"
    at.switch_page("app_pages/build.py")  # AppTest stays on the page it was given; a browser stays on Build
    at.text_input(key="build_np_name").input("Zoë Ñúñez")
    at.button(key="FormSubmitter:build_add_patient-Add patient").click().run()
    assert at.selectbox(key="build_start_template").value == template.ref
    at = click(at, "build_start_template_go")
    work = at.session_state["build_work"]
    assert work.template == template.ref and len(work.items) == len(template.document.items)
    assert work.notes == ""  # the physio's notes stay in the template


def test_the_build_page_saves_the_program_as_a_clinic_template(repo):
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.text_input(key="build_np_name").input("Юлия")
    at.button(key="FormSubmitter:build_add_patient-Add patient").click().run()
    at.selectbox(key="build_start_template").set_value("phase1_settle").run()
    at = click(at, "build_start_template_go")
    at.session_state["build_template_open"] = True
    at.run()
    assert not at.exception
    title = next(t for t in at.text_input if t.label == "Template title")
    assert title.value == "Phase 1: Settle your knee"  # the purpose and criteria start from the template's
    title.input("Our settle plan")
    at.button(key="FormSubmitter:build_template_form-Save template").click().run()
    assert not at.exception
    (saved,) = clinic_templates.list_clinic_templates(repo=repo)
    built_in = get_template("phase1_settle")
    assert saved.title == "Our settle plan" and saved.document.move_on == built_in.move_on
    assert saved.document.items == built_in.items
    assert "Юлия" not in clinic_templates.dumps_template(saved.document)


def test_saving_a_template_without_purpose_or_criteria_names_the_fields_and_saves_nothing(repo):
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.text_input(key="build_np_name").input("Test Patient")
    at.button(key="FormSubmitter:build_add_patient-Add patient").click().run()
    at = click(at, "build_start_template_go")
    at.session_state["build_template_open"] = True
    at.run()
    for label in ("Purpose (printed for the patient)", "Criteria for the next stage, one per line"):
        next(box for box in at.text_area if box.label == label).input("  ")
    at.button(key="FormSubmitter:build_template_form-Save template").click().run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error).replace("\\", "")
    assert "Purpose: must not be empty" in shown and "Criteria for the next stage: needs at least 1 entry" in shown
    assert clinic_templates.list_clinic_templates(repo=repo) == []
