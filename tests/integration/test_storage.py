"""Patients, versioned programs, outcomes, clinic profile, clinicians and audit on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from PIL import Image
from sqlalchemy import insert, inspect, select, text
from sqlalchemy.exc import IntegrityError

from rehab import services
from rehab.domain import Language
from rehab.domain.clinic import Clinic
from rehab.domain.records import AuditAction
from rehab.errors import ProgramError
from rehab.program.document import load_program
from rehab.storage import tables as t
from rehab.storage.errors import ArchivedRecord, ConflictError, InvalidRecord, NotFound
from tests.support.storage_samples import FAKE_NAMES, custom_exercise, sample_program

ACTOR = "clinician@example.org"


def add(repo, name, **details):
    return services.patients.add_patient({"name": name, **details}, repo=repo, actor=ACTOR)


def names(found):
    return [p.name for p in found]


# --- patients --------------------------------------------------------------------------------------------------


def test_a_name_prefix_finds_patients_ignoring_case_and_accents(repo):
    for name in FAKE_NAMES:
        add(repo, name)
    assert names(services.patients.find_patients("zoe", repo=repo)) == ["Zoë Ñúñez"]
    assert names(services.patients.find_patients("ZOË", repo=repo)) == ["Zoë Ñúñez"]
    assert names(services.patients.find_patients("lukasz zo", repo=repo)) == ["Łukasz Żółć"]
    assert names(services.patients.find_patients("obrien", repo=repo)) == ["O'Brien & <Sons>"]
    assert names(services.patients.find_patients("ολυ", repo=repo)) == ["Ολυμπία"]
    assert names(services.patients.find_patients("юл", repo=repo)) == ["Юлия"]


def test_any_name_part_matches_but_only_at_its_start(repo):
    add(repo, "Zoë Ñúñez")
    add(repo, "Anna-Maria Smith-Jones")
    assert names(services.patients.find_patients("nunez", repo=repo)) == ["Zoë Ñúñez"]
    assert names(services.patients.find_patients("jones", repo=repo)) == ["Anna-Maria Smith-Jones"]
    assert services.patients.find_patients("oe", repo=repo) == []
    assert services.patients.find_patients("unez", repo=repo) == []


def test_prefix_search_returns_exactly_the_names_that_start_with_it(repo):
    # Neighbours in sort order on both sides of the prefix, and a character outside the BMP.
    for name in ["Zoe", "Zoë Adams", "Zoezoe", "Zoé-Ann", "Zoe\U0001f600", "Zof", "Zod", "Zo", "Zoƒ"]:
        add(repo, name)
    found = names(services.patients.find_patients("zoe", repo=repo))
    assert sorted(found) == sorted(["Zoe", "Zoë Adams", "Zoezoe", "Zoé-Ann", "Zoe\U0001f600"])


def test_an_empty_search_lists_patients_alphabetically_by_folded_name(repo):
    for name in ["zed", "Émile", "adam"]:
        add(repo, name)
    assert names(services.patients.find_patients("", repo=repo)) == ["adam", "Émile", "zed"]


def test_search_results_are_limited_and_each_patient_appears_once(repo):
    for i in range(8):
        add(repo, f"Ann Annabel {i}")  # two name parts match 'ann'
    found = services.patients.find_patients("ann", repo=repo, limit=5)
    assert len(found) == 5 and len({p.id for p in found}) == 5
    assert len(services.patients.find_patients("ann", repo=repo)) == 8


def test_patient_details_round_trip_and_update_reindexes_the_name(repo):
    patient = add(
        repo,
        "Юлия",
        email="julia@example.org",
        phone="+44 20 7946 0000",
        date_of_birth="1990-02-03",
        email_consent=True,
        affected_side="left",
        notes="Runs 30 km a week.\nPrefers mornings.",
    )
    again = services.patients.get_patient(patient.id, repo=repo)
    assert again == patient
    assert again.date_of_birth == dt.date(1990, 2, 3) and again.affected_side.value == "left"
    services.patients.update_patient(patient.id, {"name": "Ολυμπία"}, repo=repo, actor=ACTOR)
    assert services.patients.find_patients("юл", repo=repo) == []
    assert names(services.patients.find_patients("ολ", repo=repo)) == ["Ολυμπία"]


@pytest.mark.parametrize(
    ("details", "message"),
    [
        ({"name": "x" * 201}, "name: is too long (201 characters; at most 200)"),
        ({"name": "   "}, "name: must not be empty"),
        ({"name": "A", "notes": "x" * 10_001}, "notes: is too long (10001 characters; at most 10000)"),
        ({"name": "A", "email": "a@" + "b" * 250 + ".org"}, "email: is too long"),
        ({"name": "A", "email": "not an email"}, "email: 'not an email' is not an email address"),
        ({"name": "A", "date_of_birth": "2999-01-01"}, "date_of_birth: 2999-01-01 must be between"),
    ],
)
def test_patient_limits_are_enforced_with_messages_naming_the_field(repo, details, message):
    with pytest.raises(InvalidRecord) as caught:
        services.patients.add_patient(details, repo=repo, actor=ACTOR)
    assert message in str(caught.value)
    assert services.patients.find_patients("", repo=repo) == []


def test_the_longest_allowed_values_are_stored_whole(repo):
    longest_email = "a@" + ("b" * 63 + ".") * 3 + "b" * 56 + ".org"  # domain labels hold at most 63 characters
    patient = add(repo, "N" * 200, notes="n" * 10_000, email=longest_email)
    stored = services.patients.get_patient(patient.id, repo=repo)
    assert len(stored.name) == 200 and len(stored.notes) == 10_000 and len(stored.email) == 254


def test_the_database_itself_rejects_over_long_notes(repo, engine):
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            insert(t.patients).values(
                clinic_id=1,
                name="A",
                name_key="a",
                notes="x" * 10_001,
                email_consent=False,
                created_at=dt.datetime.now(dt.UTC),
                updated_at=dt.datetime.now(dt.UTC),
            )
        )


def test_archived_patients_and_their_programs_leave_lists_until_restored(repo):
    info = services.programs.save_program(sample_program(), repo=repo, actor=ACTOR)
    patient_id = services.patients.find_patients("zoe", repo=repo)[0].id
    services.patients.archive_patient(patient_id, repo=repo, actor=ACTOR)
    assert services.patients.find_patients("zoe", repo=repo) == []
    assert names(services.patients.find_patients("zoe", repo=repo, include_archived=True)) == ["Zoë Ñúñez"]
    assert services.programs.list_programs(repo=repo) == []
    with pytest.raises(ArchivedRecord):
        services.programs.save_program(
            sample_program(notes="x"), repo=repo, actor=ACTOR, program_id=info.program_id, base_version=1
        )
    services.patients.restore_patient(patient_id, repo=repo, actor=ACTOR)
    assert [p.id for p in services.programs.list_programs(repo=repo)] == [info.program_id]


# --- programs --------------------------------------------------------------------------------------------------


def test_saving_a_program_adds_the_patient_and_stores_version_1(repo):
    program = sample_program()
    info = services.programs.save_program(program, repo=repo, actor=ACTOR)
    assert (info.version, info.author) == (1, ACTOR)
    (patient,) = services.patients.find_patients("zoe", repo=repo)
    assert patient.email == "zoe@example.org" and patient.email_consent
    stored_info, stored = services.programs.get_version(info.program_id, repo=repo)
    assert stored == program and stored_info == info


def test_a_second_program_for_the_same_patient_reuses_the_patient(repo):
    first = services.programs.save_program(sample_program(), repo=repo, actor=ACTOR)
    second = services.programs.save_program(sample_program(title="Running plan"), repo=repo, actor=ACTOR)
    assert first.program_id != second.program_id
    assert len(services.patients.find_patients("zoe", repo=repo)) == 1
    assert {p.title for p in services.programs.list_programs(repo=repo)} == {"Your knee exercise program",
                                                                             "Running plan"}


def test_same_name_with_a_different_email_is_a_different_patient(repo):
    services.programs.save_program(sample_program(email="one@example.org"), repo=repo, actor=ACTOR)
    services.programs.save_program(sample_program(email="two@example.org"), repo=repo, actor=ACTOR)
    assert len(services.patients.find_patients("zoe", repo=repo)) == 2
    add(repo, "Zoë Ñúñez", email="one@example.org")
    with pytest.raises(InvalidRecord, match="several patients match"):
        services.programs.save_program(sample_program(email="one@example.org"), repo=repo, actor=ACTOR)


def test_versions_are_immutable_and_each_reloads_to_the_program_saved(repo):
    v1 = sample_program()
    v2 = sample_program(notes="Walk 20 minutes on rest days.")
    v3 = sample_program(notes="Add a third set when the bridge feels easy.", duration_weeks=8)
    info = services.programs.save_program(v1, repo=repo, actor=ACTOR)
    services.programs.save_program(v2, repo=repo, actor="second@example.org", program_id=info.program_id,
                                   base_version=1)
    services.programs.save_program(v3, repo=repo, actor=ACTOR, program_id=info.program_id, base_version=2)
    versions = services.programs.list_versions(info.program_id, repo=repo)
    assert [(v.version, v.author) for v in versions] == [(1, ACTOR), (2, "second@example.org"), (3, ACTOR)]
    for number, expected in [(1, v1), (2, v2), (3, v3)]:
        assert services.programs.get_version(info.program_id, number, repo=repo)[1] == expected
    assert services.programs.get_version(info.program_id, repo=repo)[1] == v3
    (summary,) = services.programs.list_programs(repo=repo)
    assert summary.current_version == 3


def test_the_stored_document_is_canonical_program_json(repo, engine):
    program = sample_program(name="O'Brien & <Sons>", email=None)
    info = services.programs.save_program(program, repo=repo, actor=ACTOR)
    with engine.connect() as conn:
        document = conn.scalar(select(t.program_versions.c.document).where(t.program_versions.c.program_id == 1))
    data = json.loads(document)
    assert data["format"] == "rehab.program/1" and data["patient"]["name"] == "O'Brien & <Sons>"
    assert load_program(document) == program
    assert services.programs.get_version(info.program_id, 1, repo=repo)[1] == program


def test_a_missing_program_or_version_is_not_found(repo):
    info = services.programs.save_program(sample_program(), repo=repo, actor=ACTOR)
    with pytest.raises(NotFound, match="program 99 does not exist"):
        services.programs.get_version(99, repo=repo)
    with pytest.raises(NotFound, match="has no version 5"):
        services.programs.get_version(info.program_id, 5, repo=repo)
    with pytest.raises(NotFound):
        services.programs.save_program(sample_program(), repo=repo, actor=ACTOR, program_id=99, base_version=1)


def test_a_program_with_an_unknown_exercise_is_refused_before_saving(repo):
    bad = sample_program()
    item = bad.items[0].model_copy(update={"exercise": "no_such_exercise"})
    bad = bad.model_copy(update={"items": (item, *bad.items[1:])})
    with pytest.raises(ProgramError, match=r"items\[0\].exercise: 'no_such_exercise' is not in the exercise library"):
        services.programs.save_program(bad, repo=repo, actor=ACTOR)
    assert services.programs.list_programs(repo=repo) == [] and services.patients.find_patients("", repo=repo) == []


def test_a_new_version_must_be_for_the_same_patient(repo):
    info = services.programs.save_program(sample_program(), repo=repo, actor=ACTOR)
    with pytest.raises(InvalidRecord, match="patient.name: does not match"):
        services.programs.save_program(
            sample_program(name="Test Patient"), repo=repo, actor=ACTOR, program_id=info.program_id, base_version=1
        )


def test_program_id_and_base_version_go_together(repo):
    with pytest.raises(InvalidRecord, match="base_version"):
        services.programs.save_program(sample_program(), repo=repo, actor=ACTOR, program_id=1)


def test_copying_gives_another_patient_their_own_program(repo):
    source = services.programs.save_program(sample_program(), repo=repo, actor=ACTOR)
    services.programs.save_program(
        sample_program(notes="v2"), repo=repo, actor=ACTOR, program_id=source.program_id, base_version=1
    )
    other = add(repo, "Łukasz Żółć", email="lukasz@example.org", affected_side="right")
    copy = services.programs.copy_program(source.program_id, other.id, repo=repo, actor=ACTOR, version=1)
    assert (copy.version, copy.copied_from_program_id, copy.copied_from_version) == (1, source.program_id, 1)
    _, copied = services.programs.get_version(copy.program_id, repo=repo)
    assert copied.patient.name == "Łukasz Żółć" and copied.patient.affected_side.value == "right"
    assert copied.items == sample_program().items and copied.notes == sample_program().notes
    assert services.programs.get_version(source.program_id, repo=repo)[1].notes == "v2"
    assert [p.id for p in services.programs.list_programs(repo=repo, patient_id=other.id)] == [copy.program_id]


def test_a_copy_keeps_the_programs_handout_languages(repo):
    """The languages belong to the program, not the patient record: a Spanish + English program copied to a family
    member prints in Spanish and English for them too (issue 17: nothing changes silently on the way)."""
    source = sample_program()
    source = source.model_copy(update={"patient": source.patient.model_copy(
        update={"language": Language.ES, "second_language": Language.EN})})
    info = services.programs.save_program(source, repo=repo, actor=ACTOR)
    other = add(repo, "Юлия O'Brien & <Sons>", email="julia@example.org", affected_side="left")
    copy = services.programs.copy_program(info.program_id, other.id, repo=repo, actor=ACTOR)
    _, copied = services.programs.get_version(copy.program_id, repo=repo)
    assert (copied.patient.language, copied.patient.second_language) == (Language.ES, Language.EN)
    assert copied.patient.name == "Юлия O'Brien & <Sons>" and copied.patient.affected_side.value == "left"
    assert services.patients.get_patient(other.id, repo=repo).as_patient().language is None  # not the record's


def test_archived_programs_refuse_new_versions_until_restored(repo):
    info = services.programs.save_program(sample_program(), repo=repo, actor=ACTOR)
    services.programs.archive_program(info.program_id, repo=repo, actor=ACTOR)
    assert services.programs.list_programs(repo=repo) == []
    assert services.programs.list_programs(repo=repo, include_archived=True)[0].archived
    with pytest.raises(ArchivedRecord, match="restore it"):
        services.programs.save_program(
            sample_program(notes="x"), repo=repo, actor=ACTOR, program_id=info.program_id, base_version=1
        )
    services.programs.restore_program(info.program_id, repo=repo, actor=ACTOR)
    assert (
        services.programs.save_program(
            sample_program(notes="x"), repo=repo, actor=ACTOR, program_id=info.program_id, base_version=1
        ).version
        == 2
    )


def test_programs_can_be_listed_by_patient_name(repo):
    services.programs.save_program(sample_program(), repo=repo, actor=ACTOR)
    services.programs.save_program(sample_program(name="Юлия", email=None), repo=repo, actor=ACTOR)
    assert [p.patient_name for p in services.programs.list_programs(repo=repo, patient_text="юл")] == ["Юлия"]
    assert services.programs.list_programs(repo=repo, patient_text="nobody") == []
    assert len(services.programs.list_programs(repo=repo)) == 2


# --- optimistic concurrency ------------------------------------------------------------------------------------


def test_two_sessions_saving_from_the_same_base_the_second_gets_a_conflict(repo, make_repo):
    info = services.programs.save_program(sample_program(), repo=repo, actor=ACTOR)
    alice, bob = make_repo(), make_repo()
    # Both open version 1 in their own sessions.
    base_a, _ = services.programs.get_version(info.program_id, repo=alice)
    base_b, _ = services.programs.get_version(info.program_id, repo=bob)
    mine = sample_program(notes="Alice's change")
    theirs = sample_program(notes="Bob's change")
    services.programs.save_program(mine, repo=alice, actor="alice", program_id=info.program_id,
                                   base_version=base_a.version)
    with pytest.raises(ConflictError) as caught:
        services.programs.save_program(theirs, repo=bob, actor="bob", program_id=info.program_id,
                                       base_version=base_b.version)
    assert "program 1 is now at version 2" in str(caught.value) and "nothing was overwritten" in str(caught.value)
    assert [v.author for v in services.programs.list_versions(info.program_id, repo=repo)] == [ACTOR, "alice"]
    assert services.programs.get_version(info.program_id, repo=repo)[1] == mine
    assert theirs.notes == "Bob's change"  # still in Bob's hands to merge and retry
    again = services.programs.save_program(theirs, repo=bob, actor="bob", program_id=info.program_id, base_version=2)
    assert again.version == 3


def test_a_save_waiting_on_an_uncommitted_save_from_the_same_base_gets_a_conflict(repo, make_repo):
    import threading

    info = services.programs.save_program(sample_program(), repo=repo, actor=ACTOR)
    alice, bob = make_repo(), make_repo()
    outcome: dict = {}
    started = threading.Event()

    def bob_saves() -> None:
        started.set()
        try:
            services.programs.save_program(
                sample_program(notes="Bob"), repo=bob, actor="bob", program_id=info.program_id, base_version=1
            )
            outcome["result"] = "saved"
        except ConflictError as exc:
            outcome["result"] = exc

    with alice.transaction(write=True) as tx:
        document = services.programs.canonical_document(sample_program(notes="Alice"))
        tx.add_version(info.program_id, 1, "Alice", document, "alice")
        worker = threading.Thread(target=bob_saves)
        worker.start()
        started.wait(5)
        worker.join(0.5)  # Bob is now blocked on Alice's lock (row lock or SQLite write lock)
        assert worker.is_alive()
    worker.join(10)
    assert isinstance(outcome["result"], ConflictError)
    assert [v.author for v in services.programs.list_versions(info.program_id, repo=repo)] == [ACTOR, "alice"]


# --- custom exercises, outcomes, clinic, clinicians, audit -----------------------------------------------------


def test_outcomes_store_scores_per_patient_in_date_order(repo):
    patient = add(repo, "Test Patient")
    services.outcomes.add_outcome(patient.id, {"recorded_on": "2026-11-20", "worst_pain": 6}, repo=repo, actor=ACTOR)
    services.outcomes.add_outcome(
        patient.id,
        {"recorded_on": "2026-10-01", "worst_pain": 7, "function_score": 62, "instrument": "AKPS", "global_change": 0},
        repo=repo,
        actor=ACTOR,
    )
    entries = services.outcomes.list_outcomes(patient.id, repo=repo)
    assert [(e.recorded_on, e.worst_pain, e.function_score, e.global_change) for e in entries] == [
        (dt.date(2026, 10, 1), 7, 62, 0),
        (dt.date(2026, 11, 20), 6, None, None),
    ]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"worst_pain": 11}, "worst_pain: 11 is above the maximum 10"),
        ({"worst_pain": -1}, "worst_pain: -1 is below the minimum 0"),
        ({"worst_pain": 2, "function_score": 101, "instrument": "AKPS"}, "function_score: 101 is above the maximum"),
        ({"worst_pain": 2, "global_change": 4}, "global_change: 4 is above the maximum 3"),
        ({"worst_pain": 2, "function_score": 50}, "function_score and instrument go together"),
        ({"worst_pain": 2, "instrument": "x" * 61, "function_score": 5}, "instrument: is too long"),
    ],
)
def test_outcome_limits_are_enforced_with_messages_naming_the_field(repo, entry, message):
    patient = add(repo, "Test Patient")
    with pytest.raises(InvalidRecord) as caught:
        services.outcomes.add_outcome(patient.id, {"recorded_on": "2026-11-01", **entry}, repo=repo, actor=ACTOR)
    assert message in str(caught.value)
    assert services.outcomes.list_outcomes(patient.id, repo=repo) == []


def test_the_database_checks_outcome_ranges_too(engine):
    row = {
        "clinic_id": 1,
        "patient_id": None,
        "recorded_on": dt.date(2026, 1, 1),
        "worst_pain": 12,
        "author": "x",
        "created_at": dt.datetime.now(dt.UTC),
    }
    with engine.begin() as conn:
        patient_id = conn.execute(
            insert(t.patients).values(
                clinic_id=1,
                name="A",
                name_key="a",
                notes="",
                email_consent=False,
                created_at=row["created_at"],
                updated_at=row["created_at"],
            )
        ).inserted_primary_key[0]
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(t.outcomes).values(**{**row, "patient_id": patient_id}))


def test_outcomes_have_no_column_for_questionnaire_wording(engine):
    columns = {c["name"] for c in inspect(engine).get_columns("outcomes")}
    assert columns == {
        "id",
        "clinic_id",
        "patient_id",
        "recorded_on",
        "worst_pain",
        "function_score",
        "instrument",
        "global_change",
        "author",
        "created_at",
    }


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (31, 95, 139)).save(out, format="PNG")
    return out.getvalue()


def test_the_clinic_profile_round_trips_with_its_logo_bytes(repo):
    assert services.clinic.get_clinic(repo=repo) is None
    clinic = Clinic(
        name="Knee & Run <Clinic>",
        address="1 High St\nTown",
        phone="+1 555 0100",
        email="desk@example.org",
        website="example.org",
        primary_color="#1F5F8B",
        logo=_png(),
        footer_note="Call us if pain gets worse.",
        default_paper="letter",
    )
    services.clinic.save_clinic(clinic, repo=repo, actor=ACTOR)
    assert services.clinic.get_clinic(repo=repo) == clinic
    services.clinic.save_clinic(clinic.model_copy(update={"logo": None}), repo=repo, actor=ACTOR)
    assert services.clinic.get_clinic(repo=repo).logo is None


def test_a_profile_saved_under_an_older_email_rule_still_loads_with_its_address(repo):
    fields = Clinic(name="Older Clinic").model_dump(mode="json", exclude={"logo"}) | {"email": "desk@localhost"}
    with repo.transaction(write=True) as tx:
        tx.save_clinic_profile(fields, None)  # as an earlier release stored it, before the one email rule
    loaded = services.clinic.get_clinic(repo=repo)
    assert loaded.name == "Older Clinic" and loaded.email == "desk@localhost"
    with pytest.raises(ValueError, match="email"):
        Clinic.model_validate(loaded.model_dump())  # the settings form asks for a valid one when saved again


def test_clinicians_are_stored_with_unique_emails(repo):
    with repo.transaction(write=True) as tx:
        added = tx.add_clinician("Ana@Example.org", "Ana Test", "$argon2id$fake", "clinician")
    with repo.transaction() as tx:
        assert tx.clinician_by_email("ana@example.org") == added
        assert tx.clinician_by_email("nobody@example.org") is None
    with (
        pytest.raises(InvalidRecord, match="email: ana@example.org already has an account"),
        repo.transaction(write=True) as tx,
    ):
        tx.add_clinician("ana@example.org", "Other", "$argon2id$fake", "admin")


def test_the_audit_log_records_who_did_what_without_patient_text(repo, engine):
    info = services.programs.save_program(sample_program(notes="Private note about work"), repo=repo, actor=ACTOR)
    patient_id = services.patients.find_patients("zoe", repo=repo)[0].id
    services.programs.save_program(
        sample_program(notes="v2"), repo=repo, actor="b@example.org", program_id=info.program_id, base_version=1
    )
    services.outcomes.add_outcome(patient_id, {"recorded_on": "2026-11-01", "worst_pain": 3}, repo=repo, actor=ACTOR)
    services.patients.archive_patient(patient_id, repo=repo, actor=ACTOR)
    trail = list(reversed(services.audit.audit_trail(repo=repo, patient_id=patient_id)))
    assert [(e.action, e.actor, e.program_id, e.version) for e in trail] == [
        (AuditAction.PATIENT_ADD, ACTOR, None, None),
        (AuditAction.PROGRAM_SAVE, ACTOR, info.program_id, 1),
        (AuditAction.PROGRAM_SAVE, "b@example.org", info.program_id, 2),
        (AuditAction.OUTCOME_ADD, ACTOR, None, None),
        (AuditAction.PATIENT_ARCHIVE, ACTOR, None, None),
    ]
    with engine.connect() as conn:
        dumped = json.dumps([list(r) for r in conn.execute(select(t.audit_log))], default=str)
    for private in ["Zoë", "zoe", "Ñúñez", "zoe@example.org", "Private note"]:
        assert private not in dumped


def test_custom_exercises_can_be_used_in_saved_programs(repo):
    services.exercises.save_custom_exercise(custom_exercise("wall_slide_clinic"), repo=repo, actor=ACTOR)
    program = sample_program()
    item = program.items[0].model_copy(update={"exercise": "wall_slide_clinic"})
    program = program.model_copy(update={"items": (item, *program.items[1:])})
    info = services.programs.save_program(program, repo=repo, actor=ACTOR)
    assert services.programs.get_version(info.program_id, repo=repo)[1] == program
    assert [e.id for e in services.exercises.custom_exercises(repo=repo)] == ["wall_slide_clinic"]
    with pytest.raises(InvalidRecord, match="is a built-in exercise"):
        services.exercises.save_custom_exercise(custom_exercise(program.items[1].exercise), repo=repo, actor=ACTOR)


def test_every_clinic_owned_table_has_a_clinic_id(engine):
    inspector = inspect(engine)
    for table in ["patients", "programs", "custom_exercises", "outcomes", "outbox", "clinicians", "audit_log"]:
        assert "clinic_id" in {c["name"] for c in inspector.get_columns(table)}, table


def test_the_outbox_keeps_a_message_for_a_stored_program_version(repo, engine):
    info = services.programs.save_program(sample_program(), repo=repo, actor=ACTOR)
    now = dt.datetime.now(dt.UTC)
    message = {
        "clinic_id": 1,
        "patient_id": 1,
        "program_id": info.program_id,
        "program_version": 1,
        "recipient": "zoe@example.org",
        "subject": "Your exercises",
        "body": "Hi",
        "status": "queued",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }
    with engine.begin() as conn:
        conn.execute(insert(t.outbox).values(**message))
    with engine.connect() as conn:
        row = conn.execute(select(t.outbox)).one()
    assert (row.status, row.next_attempt_at, row.sent_at) == ("queued", now, None)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(t.outbox).values(**{**message, "status": "lost"}))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(t.outbox).values(**{**message, "program_version": 9}))


def test_times_come_back_as_aware_utc_on_both_engines(repo):
    info = services.programs.save_program(sample_program(), repo=repo, actor=ACTOR)
    assert info.created_at.tzinfo is dt.UTC
    stored = services.programs.list_versions(info.program_id, repo=repo)[0].created_at
    assert stored == info.created_at and stored.utcoffset() == dt.timedelta(0)


def test_engine_settings_are_in_place(engine):
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        else:  # search keys compare by code point whatever the database locale
            query = text(
                "SELECT collation_name FROM information_schema.columns "
                "WHERE table_name = 'patient_terms' AND column_name = 'term'"
            )
            assert conn.scalar(query) == "C"


def test_the_actor_is_required_and_limited(repo):
    for actor in ["", "   ", "x" * 255]:
        with pytest.raises(InvalidRecord, match="actor: give the clinician's email or name"):
            services.programs.save_program(sample_program(), repo=repo, actor=actor)
    assert services.programs.list_programs(repo=repo) == []


def test_the_default_database_is_an_owner_only_file_under_data(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REHAB_DATABASE_URL", raising=False)
    repo = services.bootstrap.connect()
    try:
        services.patients.add_patient({"name": "Test Patient"}, repo=repo, actor=ACTOR)
    finally:
        repo.engine.dispose()
    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "data" / "rehab.db").stat().st_mode & 0o777 == 0o600


def test_a_review_visit_is_kept_with_the_version_it_saved_or_not_at_all(repo):
    from rehab.domain.records import ReviewCheckIn

    first = services.programs.save_program(sample_program(), repo=repo, actor="ana@example.org")
    visit = [ReviewCheckIn(exercise="clamshell", pain_during=6, next_morning="worse", good_form=False,
                           decision="easier"),
             ReviewCheckIn(exercise="glute_bridge", decision="hold")]  # answers not given stay empty
    with pytest.raises(InvalidRecord, match="review: a review visit saves a new version"):
        services.programs.save_program(sample_program(), repo=repo, actor="ana@example.org", review=visit)
    second = services.programs.save_program(sample_program(notes="v2"), repo=repo, actor="bo@example.org",
                                  program_id=first.program_id, base_version=1, review=visit)
    with pytest.raises(ConflictError):  # a stale review saves nothing: no version, no visit
        services.programs.save_program(sample_program(notes="v2b"), repo=repo, actor="cy@example.org",
                             program_id=first.program_id, base_version=1, review=visit)
    (stored,) = services.programs.list_review_visits(first.program_id, repo=repo)
    assert (stored.version, stored.author, stored.check_ins) == (second.version, "bo@example.org", tuple(visit))
    assert stored.check_ins[1].pain_during is None and stored.check_ins[0].next_morning == "worse"
    with pytest.raises(NotFound):
        services.programs.list_review_visits(first.program_id + 99, repo=repo)
