"""Clinic templates on SQLite and PostgreSQL: stored, changed, duplicated, retired and audited; shared within one
clinic and never seen, changed, exported or imported across clinics; kept by the database export and import."""

from __future__ import annotations

import json

import pytest
from argon2 import PasswordHasher, Type
from sqlalchemy import select

from rehab import services
from rehab.content.content import get_template
from rehab.domain import PlannedSwitch
from rehab.domain.records import AuditAction
from rehab.errors import UnknownTemplate
from rehab.program.templates import program_from_template
from rehab.security import passwords
from rehab.services import accounts, clinic_templates
from rehab.services.clinic_templates import TemplateDocument
from rehab.storage import tables as t
from rehab.storage.errors import ArchivedRecord, InvalidRecord, NotFound, StorageError
from rehab.storage.repository import Repository
from rehab.storage.transfer import export_data, import_data
from tests.support.storage_samples import custom_exercise, sample_program

from .conftest import new_database_url

ACTOR = "physio@example.org"
PASSWORD = "a long test passphrase"  # noqa: S105 - test accounts


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1,
                                                            type=Type.ID))


@pytest.fixture
def two_clinics(repo) -> tuple[Repository, Repository]:
    a = accounts.create_clinic_with_admin("Clinic A", "ana@example.org", "Ana", PASSWORD, repo=repo)
    b = accounts.add_clinic_with_admin("Clinic B", "bo@example.org", "Bo", PASSWORD, repo=repo, actor="test")
    return Repository(repo.engine, a.clinic_id), Repository(repo.engine, b.clinic_id)


def program_with_plan_settings():
    """A program whose rows use every week-plan setting a template must keep: grow off, and a planned switch."""
    program = sample_program()
    first, second, *rest = program.items
    first = first.model_copy(update={"switch": PlannedSwitch(from_week=3, exercise="clamshell")})  # side: both
    second = second.model_copy(update={"grow": False})
    return program.model_copy(update={"items": (first, second, *rest)})


def save_own(repo: Repository, title: str = "Our strength plan") -> clinic_templates.ClinicTemplate:
    return clinic_templates.save_program_as_template(
        program_with_plan_settings(), title=title, summary="Make your hip and thigh stronger.",
        move_on=["You can do 3 sets of 15 with good form."], notes="Check form at week 2.", repo=repo, actor=ACTOR)


def test_a_program_saved_as_a_template_keeps_doses_plan_settings_and_topics_but_no_patient(repo):
    program = program_with_plan_settings()
    saved = save_own(repo)
    assert saved.document.items == program.items
    assert saved.document.items[1].grow is False and saved.document.items[0].switch.exercise == "clamshell"
    assert (saved.document.phase, saved.document.duration_weeks, saved.document.education) == (
        program.phase, program.duration_weeks, program.education)
    stored = clinic_templates.export_template(saved.id, repo=repo)
    assert program.patient.name not in stored and "zoe@example.org" not in stored
    started = program_from_template(clinic_templates.resolve_template(saved.ref, repo=repo), program.patient,
                                    start_date=program.start_date)
    assert started.items == program.items and started.template == saved.ref and started.notes == ""


def test_copy_edit_duplicate_retire_and_restore_are_each_audited_with_the_template_id(repo):
    copy = clinic_templates.copy_builtin("phase1_settle", repo=repo, actor=ACTOR)
    assert copy.document.items == get_template("phase1_settle").items
    edited = clinic_templates.update_clinic_template(
        copy.id, {"title": "Łukasz's settle plan", "summary": "Calm the knee.", "move_on": ["Pain 3 or less."]},
        repo=repo, actor=ACTOR)
    assert (edited.title, edited.document.summary, edited.document.move_on) == (
        "Łukasz's settle plan", "Calm the knee.", ("Pain 3 or less.",))
    assert edited.document.items == copy.document.items and edited.updated_at >= copy.updated_at
    twin = clinic_templates.duplicate_clinic_template(copy.id, repo=repo, actor=ACTOR)
    assert twin.title == "Łukasz's settle plan (copy)" and twin.id != copy.id
    clinic_templates.retire_clinic_template(copy.id, repo=repo, actor=ACTOR)
    assert [x.id for x in clinic_templates.list_clinic_templates(repo=repo)] == [twin.id]
    assert clinic_templates.clinic_template_titles(repo=repo) == {twin.ref: twin.title}
    with pytest.raises(ArchivedRecord, match="restore it"):
        clinic_templates.update_clinic_template(copy.id, {"title": "x"}, repo=repo, actor=ACTOR)
    with pytest.raises(UnknownTemplate, match="retired"):
        clinic_templates.resolve_template(copy.ref, repo=repo)
    clinic_templates.restore_clinic_template(copy.id, repo=repo, actor=ACTOR)
    assert len(clinic_templates.list_clinic_templates(repo=repo)) == 2
    trail = [(e.action, e.template_id) for e in reversed(services.audit.audit_trail(repo=repo))]
    assert trail == [(AuditAction.TEMPLATE_ADD, copy.id), (AuditAction.TEMPLATE_UPDATE, copy.id),
                     (AuditAction.TEMPLATE_ADD, twin.id), (AuditAction.TEMPLATE_RETIRE, copy.id),
                     (AuditAction.TEMPLATE_RESTORE, copy.id)]
    assert get_template("phase1_settle").title == "Phase 1: Settle your knee"  # the built-in one is untouched


def test_bad_changes_are_refused_naming_the_field_and_nothing_is_written(repo):
    copy = clinic_templates.copy_builtin("phase2_strengthen", repo=repo, actor=ACTOR)
    cases = [
        ({"title": ""}, "title: must not be empty"),
        ({"move_on": []}, "move_on: needs at least 1 entry"),
        ({"duration_weeks": 53}, "duration_weeks: 53 is above the maximum 52"),
        ({"education": ["no_such_topic"]}, "education[0]: 'no_such_topic' is not a known topic"),
        ({"items": [{"exercise": "quad_set", "sets": 0, "reps": 10}]}, "items[0].sets: 0 is below the minimum 1"),
        ({"items": [{"exercise": "clamshell", "sets": 2, "reps": 10}]}, "items[0]: Clamshell"),  # side is missing
        ({"colour": "red"}, "colour: is not a field of a template"),
    ]
    for changes, message in cases:
        with pytest.raises(InvalidRecord) as caught:
            clinic_templates.update_clinic_template(copy.id, changes, repo=repo, actor=ACTOR)
        assert any(p.startswith(message) for p in caught.value.problems), caught.value.problems
    assert clinic_templates.get_clinic_template(copy.id, repo=repo) == copy


def test_one_clinic_never_sees_changes_exports_or_starts_from_another_clinics_templates(two_clinics):
    a, b = two_clinics
    services.exercises.save_custom_exercise(custom_exercise("clinic_wall_slide"), repo=a, actor=ACTOR)
    own = save_own(a)
    twin = clinic_templates.duplicate_clinic_template(own.id, repo=a, actor=ACTOR)
    with_own_exercise = clinic_templates.update_clinic_template(
        twin.id, {"items": [*own.document.model_dump(mode="json")["items"],
                           {"exercise": "clinic_wall_slide", "sets": 2, "reps": 10}]}, repo=a, actor=ACTOR)
    before = clinic_templates.list_clinic_templates(repo=a, include_retired=True)

    assert clinic_templates.list_clinic_templates(repo=b, include_retired=True) == []
    assert clinic_templates.clinic_template_titles(repo=b) == {}
    for attempt in (
        lambda: clinic_templates.get_clinic_template(own.id, repo=b),
        lambda: clinic_templates.export_template(own.id, repo=b),
        lambda: clinic_templates.update_clinic_template(own.id, {"title": "Mine now"}, repo=b, actor="bo"),
        lambda: clinic_templates.duplicate_clinic_template(own.id, repo=b, actor="bo"),
        lambda: clinic_templates.retire_clinic_template(own.id, repo=b, actor="bo"),
        lambda: clinic_templates.restore_clinic_template(own.id, repo=b, actor="bo"),
        lambda: clinic_templates.resolve_template(own.ref, repo=b),
    ):
        with pytest.raises(NotFound):
            attempt()
    # A's file imported into B: B has no clinic_wall_slide, so it is refused, naming the row.
    exported = clinic_templates.export_template(with_own_exercise.id, repo=a)
    with pytest.raises(InvalidRecord, match=r"items\[\d+\]\.exercise: 'clinic_wall_slide' is not in this clinic"):
        clinic_templates.import_template(exported, repo=b, actor="bo")
    # Without it, the same file is welcome: it becomes B's own template, with its own id.
    plain = clinic_templates.export_template(own.id, repo=a)
    imported = clinic_templates.import_template(plain, repo=b, actor="bo")
    assert imported.document == own.document and imported.id != own.id
    assert clinic_templates.list_clinic_templates(repo=a, include_retired=True) == before
    assert {e.template_id for e in services.audit.audit_trail(repo=b) if e.template_id} == {imported.id}
    assert imported.id not in {e.template_id for e in services.audit.audit_trail(repo=a)}


def test_a_template_cannot_bring_back_an_archived_clinic_exercise(repo):
    services.exercises.save_custom_exercise(custom_exercise("clinic_wall_slide"), repo=repo, actor=ACTOR)
    document = TemplateDocument.model_validate({
        **clinic_templates.from_builtin(get_template("phase2_strengthen")).model_dump(mode="json"),
        "items": [{"exercise": "clinic_wall_slide", "sets": 2, "reps": 10}],
    })
    saved = clinic_templates.add_clinic_template(document, repo=repo, actor=ACTOR)
    with repo.transaction(write=True) as tx:
        tx.set_custom_exercise_archived("clinic_wall_slide", True)
    with pytest.raises(InvalidRecord, match="clinic_wall_slide"):
        clinic_templates.import_template(clinic_templates.export_template(saved.id, repo=repo), repo=repo,
                                         actor=ACTOR)


def test_the_database_export_keeps_clinic_templates_and_refuses_one_using_another_clinics_exercise(
        two_clinics, request, tmp_path, db_url):
    a, b = two_clinics
    services.exercises.save_custom_exercise(custom_exercise("clinic_wall_slide"), repo=a, actor=ACTOR)
    save_own(a)
    clinic_templates.retire_clinic_template(save_own(b, "B's plan").id, repo=b, actor=ACTOR)
    data = export_data(a.engine)
    assert len(data["tables"]["clinic_templates"]["rows"]) == 2

    kind = "postgresql" if db_url.startswith("postgresql") else "sqlite"
    from rehab.storage.db import make_engine, upgrade

    target = make_engine(new_database_url(request, kind, tmp_path, name="copy"))
    request.addfinalizer(target.dispose)
    upgrade(target)
    import_data(target, data)
    assert export_data(target) == data

    # A hand-edited export that gives clinic B a template using clinic A's own exercise is refused as a whole.
    columns = data["tables"]["clinic_templates"]["columns"]
    row = dict(zip(columns, data["tables"]["clinic_templates"]["rows"][1], strict=True))
    document = json.loads(row["document"])
    document["items"].append({"exercise": "clinic_wall_slide", "sets": 2, "reps": 10})
    row["document"] = json.dumps(document)
    data["tables"]["clinic_templates"]["rows"][1] = [row[c] for c in columns]
    with pytest.raises(InvalidRecord, match=r"clinic_templates\.rows\[1\]\.document: exercise 'clinic_wall_slide' "
                                            r"is not built in and not an exercise of clinic"):
        import_data(target, data, force=True)
    with target.connect() as connection:
        assert len(connection.execute(select(t.clinic_templates)).all()) == 2


def test_an_edit_started_before_someone_elses_change_overwrites_nothing(repo):
    opened = clinic_templates.copy_builtin("phase3_return_to_running", repo=repo, actor=ACTOR)
    theirs = clinic_templates.update_clinic_template(opened.id, {"notes": "Theirs."}, repo=repo, actor="other",
                                                     seen_at=opened.updated_at)
    with pytest.raises(StorageError, match="nothing was overwritten"):
        clinic_templates.update_clinic_template(opened.id, {"notes": "Mine."}, repo=repo, actor=ACTOR,
                                                seen_at=opened.updated_at)
    assert clinic_templates.get_clinic_template(opened.id, repo=repo) == theirs
