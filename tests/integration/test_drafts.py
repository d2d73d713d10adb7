"""Drafts of unsaved programs on SQLite and PostgreSQL: one per patient and program, replaced on change,
kept through export/import; and the change stamps the app caches the library and clinic profile by."""

from __future__ import annotations

import json
import threading

import pytest

from rehab import services
from rehab.domain.clinic import Clinic
from rehab.services import catalog, drafts
from rehab.storage.db import make_engine
from rehab.storage.errors import InvalidRecord, NotFound
from rehab.storage.repository import Repository
from rehab.storage.transfer import dumps_export, export_data, import_data
from tests.support.storage_samples import FAKE_NAMES, custom_exercise, sample_program

from .conftest import ENGINES, new_database_url

ACTOR = "t@example.org"
HOSTILE = json.dumps({"notes": "O'Brien & <Sons> Łukasz Żółć Ολυμπία Юлия " + "x" * 5000}, ensure_ascii=False)


@pytest.fixture
def patient_id(repo) -> int:
    return services.patients.add_patient({"name": FAKE_NAMES[0]}, repo=repo, actor=ACTOR).id


def test_a_draft_is_stored_exactly_and_replaced_on_the_next_change(repo, patient_id):
    assert drafts.get_draft(patient_id, repo=repo) is None
    first = drafts.save_draft('{"v": 1}', repo=repo, actor=ACTOR, patient_id=patient_id)
    second = drafts.save_draft(HOSTILE, repo=repo, actor=ACTOR, patient_id=patient_id)
    info, document = drafts.get_draft(patient_id, repo=repo)
    assert document == HOSTILE
    assert info.program_id is None and info.author == ACTOR
    assert info.updated_at == second.updated_at >= first.updated_at
    assert len(drafts.list_drafts(patient_id, repo=repo)) == 1


def test_each_program_of_a_patient_has_its_own_draft_newest_first(repo, patient_id):
    saved = services.programs.save_program(sample_program(name=FAKE_NAMES[0], email=None), repo=repo, actor=ACTOR,
                                 patient_id=patient_id)
    drafts.save_draft("new", repo=repo, actor=ACTOR, patient_id=patient_id)
    drafts.save_draft("edit", repo=repo, actor=ACTOR, patient_id=patient_id, program_id=saved.program_id,
                      base_version=1)
    listed = drafts.list_drafts(patient_id, repo=repo)
    assert [(d.program_id, d.base_version) for d in listed] == [(saved.program_id, 1), (None, None)]
    assert drafts.get_draft(patient_id, saved.program_id, repo=repo)[1] == "edit"
    assert drafts.discard_draft(patient_id, saved.program_id, repo=repo) is True
    assert drafts.discard_draft(patient_id, saved.program_id, repo=repo) is False
    assert [d.program_id for d in drafts.list_drafts(patient_id, repo=repo)] == [None]


def test_drafts_are_kept_per_patient(repo, patient_id):
    other = services.patients.add_patient({"name": FAKE_NAMES[1]}, repo=repo, actor=ACTOR).id
    drafts.save_draft("mine", repo=repo, actor=ACTOR, patient_id=patient_id)
    drafts.save_draft("theirs", repo=repo, actor=ACTOR, patient_id=other)
    assert drafts.get_draft(patient_id, repo=repo)[1] == "mine"
    assert drafts.get_draft(other, repo=repo)[1] == "theirs"


def test_a_draft_for_an_unknown_patient_or_too_long_is_refused(repo, patient_id):
    with pytest.raises(NotFound, match="patient 999"):
        drafts.save_draft("x", repo=repo, actor=ACTOR, patient_id=999)
    with pytest.raises(InvalidRecord, match="draft: is too long"):
        drafts.save_draft("x" * (drafts.MAX_DOCUMENT_CHARS + 1), repo=repo, actor=ACTOR, patient_id=patient_id)
    assert drafts.list_drafts(patient_id, repo=repo) == []


def test_two_sessions_saving_the_same_draft_at_once_leave_one_row(make_repo, patient_id):
    repos = [make_repo() for _ in range(4)]
    errors: list[Exception] = []

    def save(index: int) -> None:
        try:
            for step in range(5):
                drafts.save_draft(f"{index}-{step}", repo=repos[index], actor=ACTOR, patient_id=patient_id)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(repos))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert len(drafts.list_drafts(patient_id, repo=repos[0])) == 1
    assert drafts.get_draft(patient_id, repo=repos[0])[1].endswith("-4")


@pytest.mark.parametrize("target_kind", ENGINES)
def test_drafts_survive_export_and_import(request, tmp_path, repo, patient_id, target_kind):
    drafts.save_draft(HOSTILE, repo=repo, actor=ACTOR, patient_id=patient_id)
    exported = dumps_export(export_data(repo.engine))
    target = make_engine(new_database_url(request, target_kind, tmp_path, name="target"))
    request.addfinalizer(target.dispose)
    services.bootstrap.connect(engine=target)
    counts = import_data(target, json.loads(exported))
    assert counts["drafts"] == 1
    assert dumps_export(export_data(target)) == exported
    assert drafts.get_draft(patient_id, repo=Repository(target))[1] == HOSTILE


def test_stamps_change_when_a_custom_exercise_or_the_clinic_profile_changes(repo):
    before = catalog.stamps(repo)
    assert before.library[0] == 0
    services.exercises.save_custom_exercise(custom_exercise("clinic_slide"), repo=repo, actor=ACTOR)
    after_exercise = catalog.stamps(repo)
    assert after_exercise.library[0] == 1 and after_exercise.library != before.library
    assert after_exercise.clinic == before.clinic
    services.clinic.save_clinic(Clinic(name="Knee & <Run>"), repo=repo, actor=ACTOR)
    assert catalog.stamps(repo).clinic != before.clinic
    with repo.transaction(write=True) as tx:  # archiving (or a new photo) bumps the stamp too
        tx.set_custom_exercise_archived("clinic_slide", True)
    archived = catalog.stamps(repo).library
    assert archived[0] == 1 and archived != after_exercise.library
