"""Two clinics in one database, on SQLite and PostgreSQL: every use case run as clinic B finds nothing of clinic A
(NotFound or empty) and changes nothing of it: patients, programs and versions, custom exercises and photos,
outcomes, drafts, the outbox and the audit log. The email worker still serves both clinics."""

# ruff: noqa: F811 - the SMTP fixtures are imported and requested by name

from __future__ import annotations

import datetime as dt
import io

import pytest
from argon2 import PasswordHasher, Type
from PIL import Image

from rehab import services
from rehab.config import Settings
from rehab.domain.clinic import Clinic as Profile
from rehab.domain.records import AuditAction
from rehab.errors import RehabError
from rehab.mail import SmtpMailer
from rehab.security import passwords
from rehab.services import accounts, catalog, drafts
from rehab.services import email as outbox
from rehab.storage.errors import NotFound
from rehab.storage.repository import Repository
from tests.support.servers import smtp_server  # noqa: F401 - a fixture, used by name
from tests.support.storage_samples import custom_exercise, sample_program

PASSWORD = "a long test passphrase"  # noqa: S105 - test accounts
NAME = "Zoë Ñúñez"  # the same patient name in both clinics: search must still keep them apart
EMAIL = "zoe@example.org"


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch):
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1,
                                                            type=Type.ID))


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def mail_settings(port: int = 25) -> Settings:
    return Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_security="none", mail_from="desk@example.org")


class Clinic:
    """A clinic with its admin and everything a clinic keeps, made through the use cases."""

    def __init__(self, repo: Repository, account: accounts.Account, name: str):
        self.repo = Repository(repo.engine, account.clinic_id)
        self.actor = account.email
        services.clinic.save_clinic(Profile(name=name), repo=self.repo, actor=self.actor)
        exercise = custom_exercise("clinic_wall_slide").model_copy(update={"name": f"{name} wall slide"})
        services.exercises.save_custom_exercises([exercise], repo=self.repo, actor=self.actor,
                                      photos={"clinic_wall_slide": photo()})
        program = sample_program(NAME, EMAIL)
        first = services.programs.save_program(program, repo=self.repo, actor=self.actor)
        self.program_id = first.program_id
        second = program.model_copy(update={"notes": f"Notes of {name}."})
        services.programs.save_program(second, repo=self.repo, actor=self.actor, program_id=self.program_id,
                                       base_version=1)
        patient_id = services.programs.list_programs(repo=self.repo)[0].patient_id
        self.patient = services.patients.get_patient(patient_id, repo=self.repo)
        services.outcomes.add_outcome(self.patient.id, {"recorded_on": dt.date(2026, 1, 5), "worst_pain": 6},
                            repo=self.repo, actor=self.actor)
        drafts.save_draft(f'{{"draft of": "{name}"}}', repo=self.repo, actor=self.actor, patient_id=self.patient.id,
                          program_id=self.program_id, base_version=2)
        services.patients.view_patient(self.patient.id, repo=self.repo, actor=self.actor)
        self.message_id = outbox.queue_handout_email(self.program_id, 2, repo=self.repo, actor=self.actor,
                                                     settings=mail_settings())


@pytest.fixture
def clinics(repo):
    a = accounts.create_clinic_with_admin("Clinic A", "ana@example.org", "Ana", PASSWORD, repo=repo)
    b = accounts.add_clinic_with_admin("Clinic B", "bo@example.org", "Bo", PASSWORD, repo=repo, actor="test")
    assert a.clinic_id != b.clinic_id
    return Clinic(repo, a, "Clinic A"), Clinic(repo, b, "Clinic B")


def snapshot(clinic: Clinic) -> dict:
    """Everything clinic A keeps, read as clinic A: it must be the same after clinic B has tried everything."""
    repo = clinic.repo
    return {
        "patients": services.patients.find_patients("", repo=repo, include_archived=True),
        "programs": services.programs.list_programs(repo=repo, include_archived=True),
        "versions": [services.programs.get_version(clinic.program_id, v, repo=repo) for v in (1, 2)],
        "exercises": services.exercises.custom_exercises(repo=repo),
        "photo": services.exercises.custom_exercise_photo("clinic_wall_slide", repo=repo),
        "outcomes": services.outcomes.list_outcomes(clinic.patient.id, repo=repo),
        "drafts": drafts.get_draft(clinic.patient.id, clinic.program_id, repo=repo),
        "outbox": outbox.list_outbox(repo=repo),
        "clinic": services.clinic.get_clinic(repo=repo),
    }


def test_clinic_b_finds_nothing_of_clinic_a(clinics):
    a, b = clinics
    before = snapshot(a)
    them, program_id = a.patient.id, a.program_id
    repo, actor = b.repo, b.actor

    # Lists and searches: only B's own records, though both clinics have a patient of the same name.
    assert [p.id for p in services.patients.find_patients("", repo=repo, include_archived=True)] == [b.patient.id]
    assert [p.id for p in services.patients.find_patients("zoe", repo=repo)] == [b.patient.id]
    assert [p.id for p in services.programs.list_programs(repo=repo, include_archived=True)] == [b.program_id]
    assert [p.id for p in services.programs.list_programs(repo=repo, patient_text="zoe")] == [b.program_id]
    assert [ex.name for ex in services.exercises.custom_exercises(repo=repo)] == ["Clinic B wall slide"]
    assert services.exercises.clinic_library(repo=repo).get("clinic_wall_slide").name == "Clinic B wall slide"
    assert services.clinic.get_clinic(repo=repo).name == "Clinic B"
    assert [m.id for m in outbox.list_outbox(repo=repo)] == [b.message_id]
    assert [d.patient_id for d in drafts.list_drafts(b.patient.id, repo=repo)] == [b.patient.id]
    assert drafts.list_drafts(them, repo=repo) == []
    assert drafts.get_draft(them, program_id, repo=repo) is None
    assert them != b.patient.id and services.audit.audit_trail(repo=repo, patient_id=them) == []
    assert {e.actor for e in services.audit.audit_trail(repo=repo)} <= {b.actor, "test"}

    # Every use case that names one of A's records by id: NotFound, and nothing written.
    program = sample_program(NAME, EMAIL)
    reads_and_writes = [
        lambda: services.patients.get_patient(them, repo=repo),
        lambda: services.patients.view_patient(them, repo=repo, actor=actor),
        lambda: services.patients.update_patient(them, {"name": "Changed"}, repo=repo, actor=actor),
        lambda: services.patients.archive_patient(them, repo=repo, actor=actor),
        lambda: services.patients.restore_patient(them, repo=repo, actor=actor),
        lambda: services.programs.list_programs(repo=repo, patient_id=them),
        lambda: services.programs.list_versions(program_id, repo=repo),
        lambda: services.programs.list_review_visits(program_id, repo=repo),
        lambda: services.programs.get_version(program_id, repo=repo),
        lambda: services.programs.view_version(program_id, 1, repo=repo, actor=actor),
        lambda: services.programs.save_program(program, repo=repo, actor=actor, program_id=program_id, base_version=2),
        lambda: services.programs.save_program(program, repo=repo, actor=actor, patient_id=them),
        lambda: services.programs.copy_program(program_id, b.patient.id, repo=repo, actor=actor),
        lambda: services.programs.copy_program(b.program_id, them, repo=repo, actor=actor),
        lambda: services.programs.archive_program(program_id, repo=repo, actor=actor),
        lambda: services.programs.restore_program(program_id, repo=repo, actor=actor),
        lambda: services.outcomes.add_outcome(them, {"recorded_on": dt.date(2026, 1, 6), "worst_pain": 1}, repo=repo,
                                    actor=actor),
        lambda: services.outcomes.list_outcomes(them, repo=repo),
        lambda: services.programs.record_render(repo=repo, actor=actor, patient_id=them),
        lambda: drafts.save_draft("{}", repo=repo, actor=actor, patient_id=them, program_id=program_id),
        lambda: outbox.get_message(a.message_id, repo=repo),
        lambda: outbox.stored_email(a.message_id, repo=repo),
        lambda: outbox.retry_message(a.message_id, repo=repo, actor=actor),
        lambda: outbox.render_version(program_id, repo=repo),
        lambda: outbox.queue_handout_email(program_id, 2, repo=repo, actor=actor, settings=mail_settings()),
    ]
    for number, attempt in enumerate(reads_and_writes):
        with pytest.raises(NotFound):
            attempt()
        assert snapshot(a) == before, f"use case {number} changed clinic A's records"
    assert drafts.discard_draft(them, program_id, repo=repo) is False
    assert snapshot(a) == before

    # The change stamps the app caches by are B's own, and counts are per clinic.
    assert catalog.stamps(repo).library[0] == 1
    with repo.transaction() as tx:
        counts_b = {name: tx.count(name) for name in ("patients", "programs", "program_versions", "outbox")}
    assert counts_b == {"patients": 1, "programs": 1, "program_versions": 2, "outbox": 1}


def test_clinic_a_sees_none_of_what_clinic_b_did_in_the_audit_log(clinics):
    a, b = clinics
    with pytest.raises(NotFound):
        services.patients.view_patient(a.patient.id + 1000, repo=b.repo, actor=b.actor)
    services.patients.view_patient(b.patient.id, repo=b.repo, actor=b.actor)
    seen_by_a = services.audit.audit_trail(repo=a.repo, limit=1000)
    seen_by_b = services.audit.audit_trail(repo=b.repo, limit=1000)
    assert {e.id for e in seen_by_a}.isdisjoint({e.id for e in seen_by_b})
    assert {e.actor for e in seen_by_a} <= {a.actor, "first-run setup"}
    assert {e.actor for e in seen_by_b} <= {b.actor, "test"}
    assert {e.patient_id for e in seen_by_a} <= {a.patient.id, None}
    assert {e.patient_id for e in seen_by_b} <= {b.patient.id, None}


def test_accounts_of_one_clinic_cannot_be_listed_or_changed_by_the_other(repo, clinics):
    a, b = clinics
    admin_a = accounts.account_for(1, repo=repo)
    admin_b = accounts.sign_in("bo@example.org", PASSWORD, client_id="test", repo=repo)
    assert [u.email for u in accounts.list_users(repo=repo, actor=admin_b)] == ["bo@example.org"]
    with pytest.raises(accounts.AccountError):
        accounts.set_user_active(admin_a.clinician_id, False, repo=repo, actor=admin_b)
    with pytest.raises(accounts.AccountError):
        accounts.add_user("cleo@example.org", "Cleo", PASSWORD, role="clinician", clinic_id=a.repo.clinic_id,
                          repo=repo, actor=admin_b)
    assert accounts.account_for(admin_a.clinician_id, repo=repo) is not None


def test_the_email_worker_sends_every_clinics_messages_and_audits_each_in_its_own_clinic(clinics, smtp_server):
    a, b = clinics
    mailer = SmtpMailer("127.0.0.1", smtp_server.port, "none", timeout=5)
    summary = outbox.send_due(repo=a.repo, mailer=mailer, worker_id="worker:1")
    assert sorted(summary.sent) == sorted([a.message_id, b.message_id])
    assert outbox.get_message(a.message_id, repo=a.repo).status == "sent"
    assert outbox.get_message(b.message_id, repo=b.repo).status == "sent"
    for clinic in (a, b):
        sent = [e for e in services.audit.audit_trail(repo=clinic.repo) if e.action == AuditAction.EMAIL_SENT]
        assert [e.outbox_id for e in sent] == [clinic.message_id]


def test_errors_name_no_other_clinics_data(clinics):
    a, b = clinics
    with pytest.raises(RehabError) as caught:
        services.programs.get_version(a.program_id, repo=b.repo)
    assert NAME not in str(caught.value) and "Clinic A" not in str(caught.value)


def column_index(data: dict, table: str, column: str) -> int:
    return data["tables"][table]["columns"].index(column)


def row_where(data: dict, table: str, column: str, value) -> list:
    index = column_index(data, table, column)
    return next(row for row in data["tables"][table]["rows"] if row[index] == value)


# Each edit files a row of clinic A under clinic B while it still points at clinic A's patient or program.
CROSS_CLINIC_EDITS = [
    ("patient_terms", "patient_id"),  # B's search would find A's patient
    ("programs", "patient_id"),  # B's program list would show A's patient
    ("outcomes", "patient_id"),
    ("outbox", "patient_id"),
    ("drafts", "patient_id"),
]


@pytest.mark.parametrize(("table", "link"), CROSS_CLINIC_EDITS)
def test_an_edited_export_cannot_hand_one_clinics_patient_to_another(request, tmp_path, clinics, table, link):
    from rehab.storage.db import make_engine
    from rehab.storage.errors import InvalidRecord
    from rehab.storage.transfer import export_data, import_data

    from .conftest import new_database_url

    a, b = clinics
    data = export_data(a.repo.engine)
    row = row_where(data, table, link, a.patient.id)
    row[column_index(data, table, "clinic_id")] = b.repo.clinic_id
    target = make_engine(new_database_url(request, a.repo.engine.dialect.name, tmp_path, name="target"))
    request.addfinalizer(target.dispose)
    services.bootstrap.connect(engine=target)
    with pytest.raises(InvalidRecord, match=rf"tables\.{table}\.rows\[\d+\]\.clinic_id: is {b.repo.clinic_id}, "
                                            rf"but patients {a.patient.id} belongs to clinic {a.repo.clinic_id}"):
        import_data(target, data)
    assert services.patients.find_patients("", repo=Repository(target, b.repo.clinic_id)) == []  # nothing imported


def test_a_row_filed_under_the_wrong_clinic_still_shows_clinic_b_nothing_of_clinic_a(clinics):
    from sqlalchemy import update

    from rehab.storage import tables as t

    a, b = clinics
    with a.repo.engine.begin() as connection:  # what a bad import or a hand edit of the database could leave
        connection.execute(update(t.patient_terms).where(t.patient_terms.c.patient_id == a.patient.id)
                           .values(clinic_id=b.repo.clinic_id))
        connection.execute(update(t.programs).where(t.programs.c.id == a.program_id)
                           .values(clinic_id=b.repo.clinic_id))
    assert [p.id for p in services.patients.find_patients("zoe", repo=b.repo)] == [b.patient.id]
    assert [p.id for p in services.programs.list_programs(repo=b.repo)] == [b.program_id]
    with pytest.raises(NotFound):
        services.programs.list_versions(a.program_id, repo=b.repo)
