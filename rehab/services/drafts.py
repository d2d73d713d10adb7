"""Drafts: the unsaved working program, kept in the database so a closed tab or a crash loses nothing.

One draft per patient and program (``program_id`` None: a program not saved yet). The document is opaque
text to this module (the Build page stores ``rehab.program.builder.WorkingProgram`` JSON, which may be incomplete).
Saving the program or discarding the draft deletes it. Drafts are part of ``db export``: they are clinical
work in progress, and a restore should bring them back too.
"""

from __future__ import annotations

from ..domain.records import NEW_PROGRAM, AuditAction, DraftInfo
from ..errors import InvalidRecord
from ..storage.repository import Repository
from .audit import VIEW_LOG_WINDOW

__all__ = ["MAX_DOCUMENT_CHARS", "NEW_PROGRAM", "DraftInfo", "discard_draft", "get_draft", "list_drafts", "save_draft"]

MAX_DOCUMENT_CHARS = 1_000_000  # 40 items with 2,000-character notes and 10,000 characters of notes fit easily


def save_draft(
    document: str,
    *,
    repo: Repository,
    actor: str,
    patient_id: int,
    program_id: int | None = None,
    base_version: int | None = None,
) -> DraftInfo:
    """Store (or replace) the draft for this patient and program."""
    if len(document) > MAX_DOCUMENT_CHARS:
        raise InvalidRecord([f"draft: is too long ({len(document)} characters; at most {MAX_DOCUMENT_CHARS})"])
    author = actor.strip()[:254] or "clinician"
    with repo.transaction(write=True) as tx:
        tx.get_patient(patient_id)  # NotFound in plain words, rather than a foreign-key error
        info = tx.put_draft(patient_id, program_id, document=document, author=author, base_version=base_version)
        # Autosave runs on every change: one audit entry per person, patient and program in VIEW_LOG_WINDOW.
        ids = {"patient_id": patient_id, "program_id": program_id}
        if not tx.audited_since(author, AuditAction.DRAFT_SAVE, tx.now - VIEW_LOG_WINDOW, **ids):
            tx.audit(author, AuditAction.DRAFT_SAVE, **ids)
    return info


def get_draft(patient_id: int, program_id: int | None = None, *, repo: Repository) -> tuple[DraftInfo, str] | None:
    """The draft and its document, or None."""
    with repo.transaction() as tx:
        return tx.draft(patient_id, program_id)


def list_drafts(patient_id: int, *, repo: Repository) -> list[DraftInfo]:
    """This patient's drafts, newest first (without the documents)."""
    with repo.transaction() as tx:
        return tx.drafts_of(patient_id)


def discard_draft(patient_id: int, program_id: int | None = None, *, repo: Repository) -> bool:
    """Delete the draft; True if there was one."""
    with repo.transaction(write=True) as tx:
        return tx.delete_draft(patient_id, program_id)
