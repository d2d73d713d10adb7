"""Use cases over stored records: patients, versioned programs, outcomes, the clinic profile.

Plain functions taking the repository as a keyword (``repo=``); the UI and the CLI call these, never SQL.
Each call is one transaction, and none of them changes the objects passed in: when a save fails (conflict,
database down, locked or read-only) the caller still holds the unsaved Program and can retry with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from .config import Settings
from .document import load_program, program_to_dict
from .domain import Exercise, Program
from .errors import ProgramError
from .library import ExerciseLibrary, load_library
from .storage.db import make_engine, upgrade
from .storage.entities import (
    AuditAction,
    AuditEntry,
    OutcomeInput,
    OutcomeRecord,
    PatientDetails,
    PatientRecord,
    ProgramSummary,
    ReviewCheckIn,
    ReviewVisit,
    StoredVersion,
    VersionInfo,
    validated,
)
from .storage.errors import (
    ArchivedRecord,
    ConflictError,
    InvalidRecord,
    NotFound,
    StorageError,
    StorageUnavailable,
)
from .storage.repository import Repository, Tx
from .storage.search import search_key

if TYPE_CHECKING:
    from .clinic import Clinic

__all__ = [
    "ArchivedRecord",
    "ConflictError",
    "InvalidRecord",
    "NotFound",
    "StorageError",
    "StorageUnavailable",
    "add_outcome",
    "add_patient",
    "archive_patient",
    "archive_program",
    "audit_trail",
    "connect",
    "clinic_library",
    "copy_program",
    "custom_exercise_photo",
    "program_photos",
    "custom_exercises",
    "find_patients",
    "get_clinic",
    "get_patient",
    "get_version",
    "library_for",
    "list_outcomes",
    "list_programs",
    "list_review_visits",
    "version_handout",
    "list_versions",
    "restore_patient",
    "restore_program",
    "save_clinic",
    "save_custom_exercise",
    "save_custom_exercises",
    "save_program",
    "update_patient",
    "view_patient",
    "view_version",
    "record_render",
]


def connect(settings: Settings | None = None, *, engine: Engine | None = None, migrate: bool = True) -> Repository:
    """The repository for REHAB_DATABASE_URL (or ``engine``), with the schema upgraded first by default."""
    if engine is None:
        engine = make_engine((settings or Settings.from_env()).database_url)
    if migrate:
        upgrade(engine)
    return Repository(engine)


def _actor(actor: str) -> str:
    """Who acts: a clinician's email or name (stored as version author and in the audit log)."""
    actor = actor.strip()
    if not 1 <= len(actor) <= 254:
        raise InvalidRecord(["actor: give the clinician's email or name (1-254 characters)"])
    return actor


# --- patients -------------------------------------------------------------------------------------------------


def _details(details: PatientDetails | dict[str, Any]) -> PatientDetails:
    if isinstance(details, PatientDetails):
        return details
    return validated(PatientDetails, details)  # type: ignore[return-value]


def add_patient(details: PatientDetails | dict[str, Any], *, repo: Repository, actor: str) -> PatientRecord:
    actor = _actor(actor)
    checked = _details(details)
    with repo.transaction(write=True) as tx:
        patient = tx.add_patient(checked)
        tx.audit(actor, AuditAction.PATIENT_ADD, patient_id=patient.id)
    return patient


def update_patient(
    patient_id: int, details: PatientDetails | dict[str, Any], *, repo: Repository, actor: str
) -> PatientRecord:
    actor = _actor(actor)
    checked = _details(details)
    with repo.transaction(write=True) as tx:
        patient = tx.update_patient(patient_id, checked)
        tx.audit(actor, AuditAction.PATIENT_UPDATE, patient_id=patient_id)
    return patient


def get_patient(patient_id: int, *, repo: Repository) -> PatientRecord:
    with repo.transaction() as tx:
        return tx.get_patient(patient_id)


def view_patient(patient_id: int, *, repo: Repository, actor: str) -> PatientRecord:
    """``get_patient`` for showing the record to a person: the view goes to the audit log (``patient.view``)."""
    actor = _actor(actor)
    patient = get_patient(patient_id, repo=repo)
    _log_access(repo, actor, AuditAction.PATIENT_VIEW, patient_id=patient.id)
    return patient


def find_patients(
    text: str = "", *, repo: Repository, include_archived: bool = False, limit: int = 50
) -> list[PatientRecord]:
    """Patients with a name part starting with ``text``, ignoring case and accents ('zoe' finds 'Zoë')."""
    with repo.transaction() as tx:
        return tx.find_patients(text, include_archived=include_archived, limit=limit)


def archive_patient(patient_id: int, *, repo: Repository, actor: str) -> PatientRecord:
    """Hide a patient and their programs from lists; nothing is deleted."""
    actor = _actor(actor)
    return _set_patient_archived(patient_id, True, repo=repo, actor=actor)


def restore_patient(patient_id: int, *, repo: Repository, actor: str) -> PatientRecord:
    actor = _actor(actor)
    return _set_patient_archived(patient_id, False, repo=repo, actor=actor)


def _set_patient_archived(patient_id: int, archived: bool, *, repo: Repository, actor: str) -> PatientRecord:
    with repo.transaction(write=True) as tx:
        patient = tx.set_patient_archived(patient_id, archived)
        action = AuditAction.PATIENT_ARCHIVE if archived else AuditAction.PATIENT_RESTORE
        tx.audit(actor, action, patient_id=patient_id)
    return patient


# --- programs -------------------------------------------------------------------------------------------------


def library_for(tx: Tx, base: ExerciseLibrary | None = None) -> ExerciseLibrary:
    """The built-in library plus the clinic's custom exercises (archived ones too, so old versions load)."""
    base = base or load_library()
    documents = tx.custom_exercise_documents()
    if not documents:
        return base
    return base.with_custom(Exercise.model_validate_json(doc) for doc in documents)


def _own_exercises(program: Program, library: ExerciseLibrary) -> list[Exercise]:
    """The clinic's own exercises a handout of ``program`` can name: its items, their planned switch-ins and every
    step of their ladders (the cards may name the easier one). Built-in ladders stay built-in."""
    found: dict[str, Exercise] = {}
    todo = [item.exercise for item in program.items]
    todo += [item.switch.exercise for item in program.items if item.switch is not None]  # planned switch-ins
    while todo:
        exercise_id = todo.pop()
        if exercise_id in found or exercise_id not in library or not library.get(exercise_id).custom:
            continue
        exercise = found[exercise_id] = library.get(exercise_id)
        todo += [linked for linked in (exercise.progression, exercise.regression) if linked]
    return [found[exercise_id] for exercise_id in sorted(found)]


def _snapshot(tx: Tx, program: Program, library: ExerciseLibrary) -> str | None:
    """The clinic's own exercises ``program`` uses, as they are now, with their photos kept by content: stored
    with the version, so it re-renders the same handout after the clinic edits an exercise or its photo."""
    own = _own_exercises(program, library)
    if not own:
        return None
    photos = {}
    for exercise in own:
        photo = tx.custom_exercise_photo(exercise.id)
        if photo is not None:
            photos[exercise.id] = hashlib.sha256(photo).hexdigest()
            tx.keep_photo(photos[exercise.id], photo)
    snapshot = {"exercises": [exercise.model_dump(mode="json") for exercise in own], "photos": photos}
    return json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _version_parts(tx: Tx, stored: StoredVersion) -> tuple[Program, ExerciseLibrary, dict[str, bytes]]:
    """A stored version with the library and photos it was saved with (versions saved before 0007, or without
    clinic exercises: today's)."""
    if stored.exercises is None:
        library = library_for(tx)
        program = load_program(stored.document, library=library)
        return program, library, photos_for(tx, program)
    saved = json.loads(stored.exercises)
    own = {exercise.id: exercise for exercise in library_for(tx) if exercise.custom}
    own.update((doc["id"], Exercise.model_validate(doc)) for doc in saved["exercises"])
    library = load_library().with_custom(own.values())
    photos = {exercise_id: tx.kept_photo(sha) for exercise_id, sha in saved["photos"].items()}
    program = load_program(stored.document, library=library)
    return program, library, {exercise_id: photo for exercise_id, photo in photos.items() if photo is not None}


def version_handout(
    program_id: int, version: int | None = None, *, repo: Repository
) -> tuple[VersionInfo, Program, ExerciseLibrary, dict[str, bytes]]:
    """What ``render_handout(program, clinic, library=..., photos=...)`` needs to give a stored version's handout
    as it was: the program, and the clinic's own exercises and photos as they were when it was saved."""
    with repo.transaction() as tx:
        stored = tx.get_version(program_id, version)
        program, library, photos = _version_parts(tx, stored)
    return stored.info, program, library, photos


def canonical_document(program: Program) -> str:
    """The stored form of a version: compact JSON that loads back to an equal Program."""
    return json.dumps(program_to_dict(program), ensure_ascii=False, separators=(",", ":"))


def _checked(program: Program, library: ExerciseLibrary) -> str:
    """Validate as a freshly loaded document would be (exercise ids, topics), then serialise."""
    document = canonical_document(program)
    if load_program(document, library=library) != program:
        raise ProgramError(["document: does not load back to the same program; report this as a bug"])
    return document


def _patient_for_new_program(tx: Tx, program: Program, patient_id: int | None, actor: str) -> PatientRecord:
    details = PatientDetails.from_patient(program.patient)
    if patient_id is not None:
        patient = tx.get_patient(patient_id)
        _require_same_patient(program, patient)
        return patient
    matches = tx.patients_named(details)
    if not matches:
        patient = tx.add_patient(details)
        tx.audit(actor, AuditAction.PATIENT_ADD, patient_id=patient.id)
        return patient
    if len(matches) > 1:
        ids = ", ".join(str(p.id) for p in matches)
        raise InvalidRecord([f"patient: several patients match this name and email (ids {ids}); choose one by id"])
    return matches[0]


def _require_same_patient(program: Program, patient: PatientRecord) -> None:
    if search_key(program.patient.name) != search_key(patient.name):
        raise InvalidRecord(
            [
                f"patient.name: does not match patient {patient.id}'s name; "
                "to give this program to another patient, copy it instead"
            ]
        )
    if patient.archived:
        raise ArchivedRecord(f"patient {patient.id} is archived; restore the patient before saving programs")


def save_program(
    program: Program,
    *,
    repo: Repository,
    actor: str,
    program_id: int | None = None,
    base_version: int | None = None,
    patient_id: int | None = None,
    review: Sequence[ReviewCheckIn] | None = None,
) -> VersionInfo:
    """Store ``program`` as a new immutable version.

    Without ``program_id`` it starts a new program (version 1) for ``patient_id``, or for the stored patient
    with the same name and email, adding that patient when new. With ``program_id`` it needs the
    ``base_version`` the edit started from; if someone saved since, ConflictError and nothing is written.
    ``review``: the review visit that made this version (answers and decision per exercise of the base version),
    kept with it in the same transaction.
    """
    actor = _actor(actor)
    if (program_id is None) != (base_version is None):
        raise InvalidRecord(["base_version: give both program_id and base_version to save a new version"])
    if review is not None and program_id is None:
        raise InvalidRecord(["review: a review visit saves a new version of an existing program"])
    with repo.transaction(write=True) as tx:
        library = library_for(tx)
        document = _checked(program, library)
        if program_id is None:
            patient = _patient_for_new_program(tx, program, patient_id, actor)
            if patient.archived:
                raise ArchivedRecord(f"patient {patient.id} is archived; restore the patient before saving programs")
            info = tx.create_program(patient.id, program.title, document, actor,
                                     exercises=_snapshot(tx, program, library))
        else:
            current = tx.get_program(program_id)
            _require_same_patient(program, tx.get_patient(current.patient_id))
            info = tx.add_version(program_id, base_version, program.title, document, actor,  # type: ignore[arg-type]
                                  _snapshot(tx, program, library))
            patient = tx.get_patient(current.patient_id)
            if review is not None:
                tx.add_review_visit(info.program_id, info.version, list(review), actor)
        tx.audit(
            actor, AuditAction.PROGRAM_SAVE, patient_id=patient.id, program_id=info.program_id, version=info.version
        )
    return info


def list_review_visits(program_id: int, *, repo: Repository) -> list[ReviewVisit]:
    """The program's review visits (answers and decisions), oldest first."""
    with repo.transaction() as tx:
        return tx.review_visits(program_id)


def list_programs(
    *,
    repo: Repository,
    patient_id: int | None = None,
    patient_text: str | None = None,
    include_archived: bool = False,
) -> list[ProgramSummary]:
    """Programs, newest change first; of one patient, or of patients whose name matches ``patient_text``."""
    with repo.transaction() as tx:
        patient_ids = None
        if patient_id is not None:
            patient_ids = [tx.get_patient(patient_id).id]
        elif patient_text:
            found = tx.find_patients(patient_text, include_archived=include_archived, limit=200)
            patient_ids = [p.id for p in found]
        return tx.list_programs(patient_ids=patient_ids, include_archived=include_archived)


def list_versions(program_id: int, *, repo: Repository) -> list[VersionInfo]:
    with repo.transaction() as tx:
        return tx.list_versions(program_id)


def get_version(program_id: int, version: int | None = None, *, repo: Repository) -> tuple[VersionInfo, Program]:
    """A stored version (default: the newest), re-validated into a Program equal to the one saved."""
    with repo.transaction() as tx:
        stored = tx.get_version(program_id, version)
        program, _, _ = _version_parts(tx, stored)
    return stored.info, program


def view_version(
    program_id: int, version: int | None = None, *, repo: Repository, actor: str
) -> tuple[VersionInfo, Program]:
    """``get_version`` for showing the program to a person: the view goes to the audit log (``program.view``)."""
    actor = _actor(actor)
    with repo.transaction() as tx:
        stored = tx.get_version(program_id, version)
        program, _, _ = _version_parts(tx, stored)
    ids = {"patient_id": stored.patient_id, "program_id": program_id, "version": stored.info.version}
    _log_access(repo, actor, AuditAction.PROGRAM_VIEW, **ids)
    return stored.info, program


def record_render(
    *,
    repo: Repository,
    actor: str,
    patient_id: int,
    program_id: int | None = None,
    version: int | None = None,
    once_within: dt.timedelta | None = None,
) -> None:
    """Log that a handout of this patient's program was made (``program.render``): a download, or a preview.

    ``program_id`` and ``version`` are None for a program not saved yet. A preview that redraws as the program
    is edited passes ``once_within`` (e.g. VIEW_LOG_WINDOW) to be logged once in that time; a download is
    logged every time.
    """
    actor = _actor(actor)
    with repo.transaction() as tx:
        tx.get_patient(patient_id)  # another clinic's patient is NotFound here, as everywhere
    ids = {"patient_id": patient_id, "program_id": program_id, "version": version}
    _log_access(repo, actor, AuditAction.PROGRAM_RENDER, once_within=once_within, **ids)


# Streamlit redraws a page on every click; a person who keeps a record open is logged once per window.
VIEW_LOG_WINDOW = dt.timedelta(minutes=15)


def _log_access(
    repo: Repository,
    actor: str,
    action: AuditAction,
    *,
    once_within: dt.timedelta | None = VIEW_LOG_WINDOW,
    **ids: int | None,
) -> None:
    """One audit entry; none when ``once_within`` is set and the same entry was logged that recently."""
    if once_within is not None:
        with repo.transaction() as tx:
            if tx.audited_since(actor, action, tx.now - once_within, **ids):
                return
    with repo.transaction(write=True) as tx:
        tx.audit(actor, action, **ids)


def copy_program(
    program_id: int, to_patient_id: int, *, repo: Repository, actor: str, version: int | None = None
) -> VersionInfo:
    """A new program for another patient, starting from a version of this one (default: the newest)."""
    actor = _actor(actor)
    with repo.transaction(write=True) as tx:
        stored = tx.get_version(program_id, version)
        source, _, _ = _version_parts(tx, stored)
        target = tx.get_patient(to_patient_id)
        if target.archived:
            raise ArchivedRecord(f"patient {target.id} is archived; restore the patient before copying to them")
        copy = Program.model_validate({**program_to_dict(source), "patient": target.as_patient().model_dump()})
        info = tx.create_program(
            target.id,
            copy.title,
            _checked(copy, library_for(tx)),
            actor,
            copied_from=(stored.info.program_id, stored.info.version),
            exercises=stored.exercises,  # the copy starts from the source version as it was
        )
        tx.audit(actor, AuditAction.PROGRAM_COPY, patient_id=target.id, program_id=info.program_id, version=1)
    return info


def archive_program(program_id: int, *, repo: Repository, actor: str) -> ProgramSummary:
    actor = _actor(actor)
    return _set_program_archived(program_id, True, repo=repo, actor=actor)


def restore_program(program_id: int, *, repo: Repository, actor: str) -> ProgramSummary:
    actor = _actor(actor)
    return _set_program_archived(program_id, False, repo=repo, actor=actor)


def _set_program_archived(program_id: int, archived: bool, *, repo: Repository, actor: str) -> ProgramSummary:
    with repo.transaction(write=True) as tx:
        program = tx.set_program_archived(program_id, archived)
        action = AuditAction.PROGRAM_ARCHIVE if archived else AuditAction.PROGRAM_RESTORE
        tx.audit(actor, action, patient_id=program.patient_id, program_id=program_id)
    return program


# --- custom exercises -----------------------------------------------------------------------------------------


def save_custom_exercise(exercise: Exercise, *, repo: Repository, actor: str) -> Exercise:
    """Add or replace one of the clinic's own exercises; its id must not clash with the built-in library."""
    actor = _actor(actor)
    if exercise.id in load_library():
        raise InvalidRecord([f"id: '{exercise.id}' is a built-in exercise; choose another id"])
    stored = exercise.model_copy(update={"custom": True})
    with repo.transaction(write=True) as tx:
        tx.save_custom_exercise(stored.id, stored.model_dump_json())
        library_for(tx)  # ladder links to missing or looping exercises fail here, before commit
        tx.audit(actor, AuditAction.EXERCISE_SAVE)
    return stored


def custom_exercises(*, repo: Repository) -> list[Exercise]:
    with repo.transaction() as tx:
        documents = tx.custom_exercise_documents(include_archived=False)
    return [Exercise.model_validate_json(doc) for doc in documents]


def save_custom_exercises(
    exercises: Sequence[Exercise],
    *,
    repo: Repository,
    actor: str,
    photos: Mapping[str, bytes | None] | None = None,
) -> list[Exercise]:
    """Add or replace several custom exercises in one transaction: all are saved, or none.

    ``photos`` maps an exercise id to new photo bytes (PNG or JPEG, checked like the logo) or to None to remove
    its photo; exercises not in it keep the photo they have. Ladder links may point between the exercises given.
    """
    from .clinic import check_logo  # Pillow loads only when photos are saved

    actor = _actor(actor)
    builtin = load_library()
    problems = [f"id: '{ex.id}' is a built-in exercise; choose another id" for ex in exercises if ex.id in builtin]
    for photo in (photos or {}).values():
        if photo is not None:
            try:
                check_logo(photo)
            except ValueError as exc:
                problems.append(f"photo: {exc}")
    if problems:
        raise InvalidRecord(problems)
    stored = [ex.model_copy(update={"custom": True}) for ex in exercises]
    with repo.transaction(write=True) as tx:
        for exercise in stored:
            tx.save_custom_exercise(exercise.id, exercise.model_dump_json())
            tx.audit(actor, AuditAction.EXERCISE_SAVE)
        for exercise_id, photo in (photos or {}).items():
            tx.set_custom_exercise_photo(exercise_id, photo)
        library_for(tx)  # ladder links to missing or looping exercises fail here, before commit
    return stored


def custom_exercise_photo(exercise_id: str, *, repo: Repository) -> bytes | None:
    """The photo of a custom exercise, or None when it has none."""
    with repo.transaction() as tx:
        return tx.custom_exercise_photo(exercise_id)


def program_photos(program: Program, *, repo: Repository) -> dict[str, bytes]:
    """The clinic's photos of the custom exercises in ``program``, by exercise id, for ``render_handout``."""
    with repo.transaction() as tx:
        return photos_for(tx, program)


def photos_for(tx: Tx, program: Program) -> dict[str, bytes]:
    built_in = load_library()
    custom = sorted({item.exercise for item in program.items if item.exercise not in built_in})
    photos = {exercise_id: tx.custom_exercise_photo(exercise_id) for exercise_id in custom}
    return {exercise_id: photo for exercise_id, photo in photos.items() if photo is not None}


def clinic_library(*, repo: Repository) -> ExerciseLibrary:
    """The built-in library plus this clinic's custom exercises, read in one transaction."""
    with repo.transaction() as tx:
        return library_for(tx)


# --- outcomes -------------------------------------------------------------------------------------------------


def add_outcome(
    patient_id: int, entry: OutcomeInput | dict[str, Any], *, repo: Repository, actor: str
) -> OutcomeRecord:
    actor = _actor(actor)
    checked = entry if isinstance(entry, OutcomeInput) else validated(OutcomeInput, entry)
    with repo.transaction(write=True) as tx:
        record = tx.add_outcome(patient_id, checked, actor)  # type: ignore[arg-type]
        tx.audit(actor, AuditAction.OUTCOME_ADD, patient_id=patient_id)
    return record


def list_outcomes(patient_id: int, *, repo: Repository) -> list[OutcomeRecord]:
    with repo.transaction() as tx:
        return tx.list_outcomes(patient_id)


# --- clinic profile -------------------------------------------------------------------------------------------


def get_clinic(*, repo: Repository) -> Clinic | None:
    """The stored clinic profile, or None before one is saved."""
    from .clinic import Clinic  # the Pillow-backed model loads only when a profile is used

    with repo.transaction() as tx:
        fields, logo = tx.get_clinic_profile()
    if not fields:
        return None
    return Clinic.model_validate({**fields, "logo": logo})


def save_clinic(clinic: Clinic, *, repo: Repository, actor: str) -> None:
    actor = _actor(actor)
    fields = clinic.model_dump(mode="json", exclude={"logo"})
    with repo.transaction(write=True) as tx:
        tx.save_clinic_profile(fields, clinic.logo)
        tx.audit(actor, AuditAction.CLINIC_SAVE)


def audit_trail(*, repo: Repository, patient_id: int | None = None, limit: int = 200) -> list[AuditEntry]:
    with repo.transaction() as tx:
        return tx.audit_entries(patient_id=patient_id, limit=limit)
