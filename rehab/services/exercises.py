"""The clinic's own exercises (with their photos) on top of the built-in library."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..content.library import ExerciseLibrary, load_library
from ..domain import Exercise, Program
from ..domain.records import AuditAction
from ..images import check_image
from ..storage.errors import InvalidRecord
from ..storage.repository import Repository, Tx
from .audit import checked_actor

__all__ = ["clinic_library", "custom_exercise_photo", "custom_exercises", "library_for", "photos_for",
           "program_photos", "save_custom_exercise", "save_custom_exercises"]


def library_for(tx: Tx, base: ExerciseLibrary | None = None) -> ExerciseLibrary:
    """The built-in library plus the clinic's custom exercises (archived ones too, so old versions load)."""
    base = base or load_library()
    documents = tx.custom_exercise_documents()
    if not documents:
        return base
    return base.with_custom(Exercise.model_validate_json(doc) for doc in documents)


def save_custom_exercise(exercise: Exercise, *, repo: Repository, actor: str) -> Exercise:
    """Add or replace one of the clinic's own exercises; its id must not clash with the built-in library."""
    actor = checked_actor(actor)
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
    actor = checked_actor(actor)
    builtin = load_library()
    problems = [f"id: '{ex.id}' is a built-in exercise; choose another id" for ex in exercises if ex.id in builtin]
    for photo in (photos or {}).values():
        if photo is not None:
            try:
                check_image(photo)
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
