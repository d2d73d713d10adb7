"""Export/import round trips exactly (also across engines); SQLite online backup."""

from __future__ import annotations

import io
import json
import sqlite3
import threading

import pytest
from PIL import Image
from sqlalchemy import select

from rehab import services
from rehab.domain.clinic import Clinic
from rehab.domain.links import CheckInInput, CheckInKind
from rehab.domain.records import ReviewCheckIn
from rehab.services import clinic_templates
from rehab.services import patient_links as links
from rehab.storage import tables as t
from rehab.storage.db import make_engine
from rehab.storage.errors import DataNotEmpty, InvalidRecord, StorageError
from rehab.storage.repository import Repository
from rehab.storage.transfer import backup_sqlite, dumps_export, export_data, import_data, read_export, write_export
from tests.support.storage_samples import FAKE_NAMES, custom_exercise, sample_program

from .conftest import ENGINES, new_database_url

ACTOR = "t@example.org"


def populate(repo: Repository) -> None:
    """A bit of everything: accents, markup characters, logo bytes, outcomes, copies, archive flags."""
    png = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(png, format="PNG")
    services.clinic.save_clinic(Clinic(name="Knee & <Run>", logo=png.getvalue()), repo=repo, actor=ACTOR)
    with repo.transaction(write=True) as tx:
        tx.add_clinician("desk@example.org", "Desk", "$argon2id$fake", "admin")
    services.exercises.save_custom_exercise(custom_exercise("clinic_slide"), repo=repo, actor=ACTOR)
    template = clinic_templates.copy_builtin("phase1_settle", repo=repo, actor=ACTOR)
    clinic_templates.update_clinic_template(template.id, {"title": "O'Brien & <Sons> plan"}, repo=repo, actor=ACTOR)
    clinic_templates.retire_clinic_template(template.id, repo=repo, actor=ACTOR)
    first = None
    for name in FAKE_NAMES:
        info = services.programs.save_program(sample_program(name=name, email=None), repo=repo, actor=ACTOR)
        first = first or info
    services.programs.save_program(
        sample_program(name=FAKE_NAMES[0], email=None, notes='Line 1\nLine 2 "quoted"'),
        repo=repo,
        actor=ACTOR,
        program_id=first.program_id,
        base_version=1,
        review=[ReviewCheckIn(exercise="quad_set", pain_during=3, next_morning="same", good_form=True,
                              decision="progress"),
                ReviewCheckIn(exercise="clamshell", decision="hold")],
    )
    patient = services.patients.add_patient(
        {
            "name": "Юлия",
            "date_of_birth": "1988-07-06",
            "notes": "x" * 10_000,
            "email": "julia@example.org",
            "phone": "+7 000",
        },
        repo=repo,
        actor=ACTOR,
    )
    services.programs.copy_program(first.program_id, patient.id, repo=repo, actor=ACTOR)
    _, token = links.create_link(first.program_id, repo=repo, actor=ACTOR)
    resolved = links.resolve(token, repo=repo)
    links.record_check_in(resolved, CheckInInput(kind=CheckInKind.WEEK, pain=4), set())
    services.outcomes.add_outcome(
        patient.id,
        {"recorded_on": "2026-11-01", "worst_pain": 4, "function_score": 71, "instrument": "AKPS", "global_change": 2},
        repo=repo,
        actor=ACTOR,
    )
    services.patients.archive_patient(patient.id, repo=repo, actor=ACTOR)


@pytest.fixture
def populated(repo):
    populate(repo)
    return repo


def fresh_engine(request, tmp_path, kind):
    engine = make_engine(new_database_url(request, kind, tmp_path, name="target"))
    request.addfinalizer(engine.dispose)
    services.bootstrap.connect(engine=engine)
    return engine


@pytest.mark.parametrize("target_kind", ENGINES)
def test_export_then_import_round_trips_exactly_on_any_engine(request, tmp_path, populated, target_kind):
    _, token = links.create_link(1, repo=populated, actor=ACTOR)  # a new token for the link populate made
    exported = dumps_export(export_data(populated.engine))
    target = fresh_engine(request, tmp_path, target_kind)
    counts = import_data(target, json.loads(exported))
    assert (counts["programs"], counts["program_versions"], counts["patients"]) == (7, 8, 7)
    assert counts["review_visits"] == 1
    assert (counts["patient_links"], counts["link_check_ins"]) == (1, 1)
    assert dumps_export(export_data(target)) == exported
    # And the imported data works: same search, same programs, same clinic logo, new ids continue after the old.
    repo = Repository(target)
    assert [p.name for p in services.patients.find_patients("zoe", repo=repo)] == ["Zoë Ñúñez"]
    assert services.clinic.get_clinic(repo=repo) == services.clinic.get_clinic(repo=populated)
    assert services.programs.get_version(1, repo=repo) == services.programs.get_version(1, repo=populated)
    new = services.programs.save_program(sample_program(name="New Person", email=None), repo=repo, actor=ACTOR)
    assert new.program_id == 8
    # The patient's link still opens on the restored database, with what they recorded.
    assert links.resolve(token, repo=repo).link.program_id == 1
    assert [entry.pain for entry in links.check_ins([1], repo=repo)] == [4]


def test_an_export_made_before_links_were_exported_still_imports(request, tmp_path, populated):
    data = export_data(populated.engine)
    for name in ("patient_links", "link_check_ins"):
        del data["tables"][name]
    target = fresh_engine(request, tmp_path, populated.engine.dialect.name)
    counts = import_data(target, data)
    assert (counts["programs"], counts["patient_links"], counts["link_check_ins"]) == (7, 0, 0)


def test_a_check_in_cannot_be_filed_under_another_clinics_program(request, tmp_path, populated):
    data = export_data(populated.engine)
    row = data["tables"]["link_check_ins"]["rows"][0]
    row[data["tables"]["link_check_ins"]["columns"].index("clinic_id")] = 2
    target = fresh_engine(request, tmp_path, populated.engine.dialect.name)
    with pytest.raises(InvalidRecord) as caught:
        import_data(target, data)
    assert "tables.link_check_ins.rows[0].clinic_id: is 2, but programs 1 belongs to clinic 1" in str(caught.value)


def test_the_export_file_is_json_with_one_row_per_line_and_owner_only(tmp_path, populated):
    out = tmp_path / "export.json"
    counts = write_export(populated.engine, out)
    assert counts["audit_log"] > 0
    assert out.stat().st_mode & 0o777 == 0o600
    data = read_export(out)
    assert data["format"] == "rehab.export/1" and data == export_data(populated.engine)
    assert len(out.read_text(encoding="utf-8").splitlines()) > sum(counts.values())
    with pytest.raises(StorageError, match="already exists"):
        write_export(populated.engine, out)
    write_export(populated.engine, out, force=True)


def test_import_refuses_a_database_with_records_unless_forced(request, tmp_path, populated):
    data = export_data(populated.engine)
    target = fresh_engine(request, tmp_path, populated.engine.dialect.name)
    services.patients.add_patient({"name": "Test Patient"}, repo=Repository(target), actor=ACTOR)
    with pytest.raises(DataNotEmpty, match="use --force"):
        import_data(target, data)
    assert [p.name for p in services.patients.find_patients("", repo=Repository(target))] == ["Test Patient"]
    import_data(target, data, force=True)
    assert export_data(target) == data


def test_an_empty_database_exports_and_imports(request, tmp_path, engine):
    data = export_data(engine)
    target = fresh_engine(request, tmp_path, engine.dialect.name)
    import_data(target, data)
    assert export_data(target) == data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="other/1"), "format: expected 'rehab.export/1'"),
        (lambda d: d.update(schema_revision="9999"), "schema_revision: the export has '9999'"),
        (lambda d: d["tables"].pop("outbox"), "tables: must list exactly the tables"),
        (lambda d: d["tables"]["patients"]["columns"].reverse(), "tables.patients: expected columns"),
        (lambda d: d["tables"]["patients"]["rows"][0].__setitem__(0, "one"), "patients.rows[0].id: must be a whole"),
        (lambda d: d["tables"]["patients"]["rows"][0].__setitem__(2, "x" * 201), "rows[0].name: is too long"),
        (lambda d: d["tables"]["clinics"]["rows"][0].__setitem__(2, "%%%"), "clinics.rows[0].logo:"),
        (lambda d: d["tables"]["programs"]["rows"][0].__setitem__(5, "yesterday"), "rows[0].created_at:"),
        (lambda d: d["tables"]["programs"]["rows"][0].pop(), "tables.programs.rows[0]: expected 8 values"),
    ],
)
def test_a_damaged_export_is_refused_with_field_messages_and_nothing_imported(
    request, tmp_path, populated, change, message
):
    data = export_data(populated.engine)
    change(data)
    target = fresh_engine(request, tmp_path, populated.engine.dialect.name)
    before = export_data(target)
    with pytest.raises(InvalidRecord) as caught:
        import_data(target, data)
    assert message in str(caught.value)
    assert export_data(target) == before


def test_a_non_json_file_is_refused(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InvalidRecord, match="bad.json: not a JSON export"):
        read_export(bad)


def test_sqlite_backup_copies_the_live_database_consistently(tmp_path, populated):
    if populated.engine.dialect.name != "sqlite":
        with pytest.raises(StorageError, match="for PostgreSQL use `python -m rehab db export` or pg_dump"):
            backup_sqlite(populated.engine, tmp_path / "copy.sqlite")
        return
    # A writer keeps saving while the backup runs: the copy must still be a consistent database.
    stop = threading.Event()
    other = Repository(make_engine(populated.engine.url))

    def keep_writing() -> None:
        while not stop.is_set():
            services.patients.add_patient({"name": "Test Patient"}, repo=other, actor=ACTOR)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        size = backup_sqlite(populated.engine, tmp_path / "copy.sqlite")
    finally:
        stop.set()
        writer.join(10)
        other.engine.dispose()
    assert size > 0 and (tmp_path / "copy.sqlite").stat().st_mode & 0o777 == 0o600
    copy = make_engine(f"sqlite:///{tmp_path / 'copy.sqlite'}")
    try:
        with copy.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.scalar(select(t.clinics.c.logo)) is not None
        assert services.programs.get_version(1, repo=Repository(copy)) == services.programs.get_version(1,
                                                                                                        repo=populated)
    finally:
        copy.dispose()
    with pytest.raises(StorageError, match="already exists"):
        backup_sqlite(populated.engine, tmp_path / "copy.sqlite")
    sqlite3.connect(tmp_path / "copy.sqlite").close()
