"""Drafts: the unsaved working program, kept in the database so a closed tab or a crash loses nothing.

One draft per patient and program (``program_id`` None: a program not saved yet). The document is opaque
text to this module (the Build page stores ``rehab.builder.WorkingProgram`` JSON, which may be incomplete).
Saving the program or discarding the draft deletes it. Drafts are part of ``db export``: they are clinical
work in progress, and a restore should bring them back too.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict
from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..domain.records import AuditAction
from ..storage import tables as t
from ..storage.errors import InvalidRecord
from ..storage.repository import Repository, Tx
from .audit import VIEW_LOG_WINDOW

MAX_DOCUMENT_CHARS = 1_000_000  # 40 items with 2,000-character notes and 10,000 characters of notes fit easily
NEW_PROGRAM = 0


class DraftInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    patient_id: int
    program_id: int | None
    base_version: int | None
    author: str
    updated_at: dt.datetime


def _key(program_id: int | None) -> int:
    return NEW_PROGRAM if program_id is None else program_id


def _where(tx: Tx, patient_id: int, program_id: int | None):
    d = t.drafts.c
    return and_(d.clinic_id == tx.clinic_id, d.patient_id == patient_id, d.program_key == _key(program_id))


def _info(row) -> DraftInfo:
    return DraftInfo(
        patient_id=row.patient_id,
        program_id=None if row.program_key == NEW_PROGRAM else row.program_key,
        base_version=row.base_version,
        author=row.author,
        updated_at=row.updated_at,
    )


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
        values = {"base_version": base_version, "document": document, "author": author, "updated_at": tx.now}
        changed = tx.connection.execute(update(t.drafts).where(_where(tx, patient_id, program_id)).values(**values))
        if not changed.rowcount:
            row = {
                "clinic_id": tx.clinic_id,
                "patient_id": patient_id,
                "program_key": _key(program_id),
                "created_at": tx.now,
                **values,
            }
            try:
                with tx.connection.begin_nested():
                    tx.connection.execute(insert(t.drafts).values(**row))
            except IntegrityError:  # another session inserted it first (PostgreSQL): replace theirs
                tx.connection.execute(update(t.drafts).where(_where(tx, patient_id, program_id)).values(**values))
        # Autosave runs on every change: one audit entry per person, patient and program in VIEW_LOG_WINDOW.
        ids = {"patient_id": patient_id, "program_id": program_id}
        if not tx.audited_since(author, AuditAction.DRAFT_SAVE, tx.now - VIEW_LOG_WINDOW, **ids):
            tx.audit(author, AuditAction.DRAFT_SAVE, **ids)
    return DraftInfo(
        patient_id=patient_id, program_id=program_id, base_version=base_version, author=author, updated_at=tx.now
    )


def get_draft(patient_id: int, program_id: int | None = None, *, repo: Repository) -> tuple[DraftInfo, str] | None:
    """The draft and its document, or None."""
    with repo.transaction() as tx:
        row = tx.connection.execute(select(t.drafts).where(_where(tx, patient_id, program_id))).first()
    return None if row is None else (_info(row), row.document)


def list_drafts(patient_id: int, *, repo: Repository) -> list[DraftInfo]:
    """This patient's drafts, newest first (without the documents)."""
    d = t.drafts.c
    columns = [c for c in t.drafts.c if c.name != "document"]
    with repo.transaction() as tx:
        rows = tx.connection.execute(
            select(*columns)
            .where(d.clinic_id == tx.clinic_id, d.patient_id == patient_id)
            .order_by(d.updated_at.desc(), d.program_key)
        ).all()
    return [_info(row) for row in rows]


def discard_draft(patient_id: int, program_id: int | None = None, *, repo: Repository) -> bool:
    """Delete the draft; True if there was one."""
    with repo.transaction(write=True) as tx:
        return bool(tx.connection.execute(delete(t.drafts).where(_where(tx, patient_id, program_id))).rowcount)
