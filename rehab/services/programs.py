"""Programs: versioned saves (with the checks), copies, archive, and a stored version as it was saved."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..content.library import ExerciseLibrary, load_library
from ..domain import Exercise, Program, Severity
from ..domain.program import HANDOUT_LANGUAGES
from ..domain.records import (
    AuditAction,
    PatientDetails,
    PatientRecord,
    ProgramSummary,
    ReviewCheckIn,
    ReviewVisit,
    StoredVersion,
    VersionInfo,
)
from ..errors import ProgramError, StorageError
from ..program.checks import check_program
from ..program.document import load_program, program_to_dict
from ..storage.errors import ArchivedRecord, InvalidRecord
from ..storage.repository import Repository, Tx
from ..storage.search import search_key
from .audit import VIEW_LOG_WINDOW, checked_actor, log_access
from .clinic import get_clinic
from .exercises import library_for, photos_for, program_photos

if TYPE_CHECKING:
    from ..domain.clinic import Clinic

__all__ = ["VIEW_LOG_WINDOW", "archive_program", "author_names", "canonical_document", "copy_program",
           "get_version", "handout_pdf", "list_programs", "list_review_visits", "list_versions", "program_handout_pdf",
           "record_render", "refuse_error_findings", "restore_program", "save_program", "save_unless_stored",
           "save_working_program", "version_handout", "view_version"]

log = logging.getLogger(__name__)


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


def handout_pdf(program_id: int, version: int | None = None, *, repo: Repository, actor: str,
                layout: str | None = None) -> bytes:
    """The handout PDF of a stored version as it was saved (the clinic's own exercises and photos then), branded
    with the clinic profile now, in ``layout`` (None: the clinic's); logged as a render (``program.render``) each
    time."""
    from ..handout import render_handout  # reportlab loads when a handout is made, not with the services

    actor = checked_actor(actor)
    with repo.transaction() as tx:
        stored = tx.get_version(program_id, version)
        program, library, photos = _version_parts(tx, stored)
    pdf = render_handout(program, get_clinic(repo=repo), library=library, photos=photos, layout=layout)
    record_render(repo=repo, actor=actor, patient_id=stored.patient_id, program_id=program_id,
                  version=stored.info.version)
    return pdf


def program_handout_pdf(program: Program, clinic: Clinic | None, *, repo: Repository,
                        library: ExerciseLibrary | None = None, layout: str | None = None) -> bytes:
    """The handout PDF of a program being edited (not stored yet, or changed since), with the clinic's photos of
    its own exercises, branded with ``clinic`` (None: the neutral default), in ``layout`` (None: the clinic's).
    Not logged: the caller logs what the
    person saw with ``record_render`` (a preview once in a while, a download every time)."""
    from ..handout import render_handout

    if library is None:
        with repo.transaction() as tx:
            library = library_for(tx)
    return render_handout(program, clinic, library=library, photos=program_photos(program, repo=repo),
                          layout=layout)


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
    allow_errors: bool = False,
) -> VersionInfo:
    """Store ``program`` as a new immutable version.

    A program whose checks find errors (``check_program``) is refused with a ProgramError listing them, on every
    path (the Build and Review pages, ``db save``, ``email``); ``allow_errors`` stores it anyway, for
    ``python -m rehab db save --force`` only (a document kept for the record, never handed to a patient unseen).

    Without ``program_id`` it starts a new program (version 1) for ``patient_id``, or for the stored patient
    with the same name and email, adding that patient when new. With ``program_id`` it needs the
    ``base_version`` the edit started from; if someone saved since, ConflictError and nothing is written.
    ``review``: the review visit that made this version (answers and decision per exercise of the base version),
    kept with it in the same transaction.
    """
    actor = checked_actor(actor)
    if (program_id is None) != (base_version is None):
        raise InvalidRecord(["base_version: give both program_id and base_version to save a new version"])
    if review is not None and program_id is None:
        raise InvalidRecord(["review: a review visit saves a new version of an existing program"])
    with repo.transaction(write=True) as tx:
        library = library_for(tx)
        document = _checked(program, library)  # unknown exercises and topics first, by field
        if not allow_errors:
            refuse_error_findings(program, library)
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


def refuse_error_findings(program: Program, library: ExerciseLibrary) -> None:
    """ProgramError listing the error findings of ``program``'s checks, if it has any (warnings pass)."""
    errors = [f for f in check_program(program, library) if f.severity is Severity.ERROR]
    if errors:
        raise ProgramError([f"{f.severity.value}: {f.message}" for f in errors] + ["Not saved: fix the errors first."])


def save_working_program(
    program: Program,
    *,
    repo: Repository,
    actor: str,
    patient_id: int,
    program_id: int | None = None,
    base_version: int | None = None,
) -> VersionInfo:
    """Save the program a clinician was editing (the Build page): ``save_program``'s rules, then the drafts that
    kept this work (``patient_id``'s, of ``program_id`` or of a new program) are discarded, as the version holds
    it now. A draft that cannot be discarded is left: it is only a safety copy.

    The command line saves with ``save_program`` and keeps drafts: its document is not the work a draft holds.
    """
    from . import drafts  # imported here: rehab.services.drafts imports rehab.services (a cycle at import time)

    info = save_program(program, repo=repo, actor=actor, program_id=program_id, base_version=base_version,
                        patient_id=None if program_id else patient_id)
    for kept in {program_id, info.program_id}:
        try:
            drafts.discard_draft(patient_id, kept, repo=repo)
        except StorageError:
            log.warning("a draft could not be discarded after a save; it stays as a safety copy")
    return info


def save_unless_stored(program: Program, *, repo: Repository, actor: str) -> tuple[VersionInfo, bool]:
    """The stored version holding exactly this document (the newest version of one of the patient's programs),
    else a new program saved by ``save_program``'s rules: (its version, True if it was already stored).
    ``python -m rehab email`` sends a stored version, never an unsaved document."""
    document = canonical_document(program)
    with repo.transaction() as tx:
        for patient in tx.patients_named(PatientDetails.from_patient(program.patient)):
            for summary in tx.list_programs(patient_ids=[patient.id]):
                stored = tx.get_version(summary.id)
                if stored.document == document:
                    return stored.info, True
    return save_program(program, repo=repo, actor=actor), False


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


def author_names(*, repo: Repository) -> dict[str, str]:
    """Each clinic account's email → its name: versions and outcome entries keep the email as their author
    (unique and unchanging), and pages show the name people know each other by."""
    with repo.transaction() as tx:
        return {row.email: row.name for row in tx.clinicians()}


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
    actor = checked_actor(actor)
    with repo.transaction() as tx:
        stored = tx.get_version(program_id, version)
        program, _, _ = _version_parts(tx, stored)
    ids = {"patient_id": stored.patient_id, "program_id": program_id, "version": stored.info.version}
    log_access(repo, actor, AuditAction.PROGRAM_VIEW, **ids)
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
    actor = checked_actor(actor)
    with repo.transaction() as tx:
        tx.get_patient(patient_id)  # another clinic's patient is NotFound here, as everywhere
    ids = {"patient_id": patient_id, "program_id": program_id, "version": version}
    log_access(repo, actor, AuditAction.PROGRAM_RENDER, once_within=once_within, **ids)


def copy_program(
    program_id: int, to_patient_id: int, *, repo: Repository, actor: str, version: int | None = None
) -> VersionInfo:
    """A new program for another patient, starting from a version of this one (default: the newest): the same
    exercises, doses, notes and handout languages, with the other patient's name, contact details and sore side."""
    actor = checked_actor(actor)
    with repo.transaction(write=True) as tx:
        stored = tx.get_version(program_id, version)
        source, _, _ = _version_parts(tx, stored)
        target = tx.get_patient(to_patient_id)
        if target.archived:
            raise ArchivedRecord(f"patient {target.id} is archived; restore the patient before copying to them")
        # The other patient's own details; the handout's languages belong to the program, so they come along with
        # its exercises, doses and notes (the clinician changes them on Build program if need be).
        patient = {**target.as_patient().model_dump(), **source.patient.model_dump(include=HANDOUT_LANGUAGES)}
        copy = Program.model_validate({**program_to_dict(source), "patient": patient})
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
    actor = checked_actor(actor)
    return _set_program_archived(program_id, True, repo=repo, actor=actor)


def restore_program(program_id: int, *, repo: Repository, actor: str) -> ProgramSummary:
    actor = checked_actor(actor)
    return _set_program_archived(program_id, False, repo=repo, actor=actor)


def _set_program_archived(program_id: int, archived: bool, *, repo: Repository, actor: str) -> ProgramSummary:
    with repo.transaction(write=True) as tx:
        program = tx.set_program_archived(program_id, archived)
        action = AuditAction.PROGRAM_ARCHIVE if archived else AuditAction.PROGRAM_RESTORE
        tx.audit(actor, action, patient_id=program.patient_id, program_id=program_id)
    return program
