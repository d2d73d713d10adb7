"""Hostile text in clinic templates is shown escaped on the Templates and Build pages, and hostile template files
(not JSON, not UTF-8, too big, another format) are refused with a clear message and add nothing."""

from __future__ import annotations

import json

import pytest

from rehab import services
from rehab.config import Settings
from rehab.content.content import get_template
from rehab.services import clinic_templates

from .hostile import EVERY_TEXT, MEGABYTE_NOTES
from .test_hostile_pages import RAW_MARKUP, errors, keeps_serving, page, shown_as_markdown

ACTOR = "test@example.org"


@pytest.fixture
def repo(app_database):
    repo = services.bootstrap.connect(Settings.from_env({"REHAB_DATABASE_URL": app_database}))
    yield repo
    repo.engine.dispose()


def hostile_template(repo, text: str) -> clinic_templates.ClinicTemplate:
    copy = clinic_templates.copy_builtin("phase2_strengthen", repo=repo, actor=ACTOR)
    return clinic_templates.update_clinic_template(
        copy.id, {"title": text[:200], "summary": text, "move_on": [text], "notes": text}, repo=repo, actor=ACTOR)


def test_hostile_template_text_is_escaped_on_the_templates_and_build_pages(repo):
    made = [hostile_template(repo, text) for text in EVERY_TEXT]
    at = page("templates")
    for template in made:
        next(box for box in at.selectbox if box.label == "Clinic template").set_value(template.id).run()
        assert not at.exception
        shown = shown_as_markdown(at)
        assert not [s for s in shown if RAW_MARKUP.search(s)]
        assert any(template.document.notes[:5] in s.replace("\\", "") for s in shown)  # shown, escaped
    at = page("build")
    at.text_input(key="build_np_name").input("Test Patient")
    at.button(key="FormSubmitter:build_add_patient-Add patient").click().run()
    for template in made:
        at.selectbox(key="build_start_template").set_value(template.ref).run()
        assert not at.exception
        assert not [s for s in shown_as_markdown(at) if RAW_MARKUP.search(s)]


def test_hostile_template_files_are_refused_with_a_reason_and_add_nothing(repo):
    good = json.loads(clinic_templates.dumps_template(clinic_templates.from_builtin(get_template("phase1_settle"))))
    files = {
        "not-json.json": (b"<script>alert(1)</script>", "not valid JSON"),
        "latin1.json": ("{\"title\": \"Zoë\"}".encode("latin-1"), "not UTF-8"),
        "program.json": (json.dumps({**good, "format": "rehab.program/1"}).encode(), "format:"),
        "huge.json": (json.dumps({**good, "notes": MEGABYTE_NOTES * 3}).encode(), "at most 2,097,152 bytes"),
        "long-notes.json": (json.dumps({**good, "notes": MEGABYTE_NOTES}).encode(), "notes: is too long"),
        "../../etc/passwd.json": (json.dumps({**good, "items": [{"exercise": "../../etc", "sets": 1, "reps": 1}]})
                                  .encode(), "items[0].exercise"),
    }
    at = page("templates")
    for name, (data, message) in files.items():
        at.file_uploader(key="templates_upload").set_value((name, data, "application/json")).run()
        at.button(key="templates_import").click().run()
        assert not at.exception, name
        assert any(message in e for e in errors(at)), (name, errors(at))
    assert clinic_templates.list_clinic_templates(repo=repo, include_retired=True) == []
    keeps_serving(at)
