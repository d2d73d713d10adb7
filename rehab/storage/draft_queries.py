"""Queries for drafts (the unsaved working program) and the change stamps the app caches by; all of one clinic.

A mixin of ``Tx``: it relies on ``self.connection``, ``self.clinic_id`` and ``self.now`` from there.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import IntegrityError

from ..domain.records import NEW_PROGRAM, DraftInfo
from . import tables as t

_d = t.drafts.c


def _key(program_id: int | None) -> int:
    return NEW_PROGRAM if program_id is None else program_id


def _info(row: Row) -> DraftInfo:
    return DraftInfo(
        patient_id=row.patient_id,
        program_id=None if row.program_key == NEW_PROGRAM else row.program_key,
        base_version=row.base_version,
        author=row.author,
        updated_at=row.updated_at,
    )


class DraftQueries:
    connection: Connection
    clinic_id: int
    now: dt.datetime

    def _draft(self, patient_id: int, program_id: int | None):
        return and_(_d.clinic_id == self.clinic_id, _d.patient_id == patient_id, _d.program_key == _key(program_id))

    def put_draft(
        self, patient_id: int, program_id: int | None, *, document: str, author: str, base_version: int | None
    ) -> DraftInfo:
        """Store or replace the draft of this patient and program (one per pair), stamped with ``self.now``."""
        values = {"base_version": base_version, "document": document, "author": author, "updated_at": self.now}
        where = self._draft(patient_id, program_id)
        if not self.connection.execute(update(t.drafts).where(where).values(**values)).rowcount:
            row = {"clinic_id": self.clinic_id, "patient_id": patient_id, "program_key": _key(program_id),
                   "created_at": self.now, **values}
            try:
                with self.connection.begin_nested():
                    self.connection.execute(insert(t.drafts).values(**row))
            except IntegrityError:  # another session inserted it first (PostgreSQL): replace theirs
                self.connection.execute(update(t.drafts).where(where).values(**values))
        return DraftInfo(patient_id=patient_id, program_id=program_id, base_version=base_version, author=author,
                         updated_at=self.now)

    def draft(self, patient_id: int, program_id: int | None) -> tuple[DraftInfo, str] | None:
        """The draft and its document, or None."""
        row = self.connection.execute(select(t.drafts).where(self._draft(patient_id, program_id))).first()
        return None if row is None else (_info(row), row.document)

    def drafts_of(self, patient_id: int) -> list[DraftInfo]:
        """This patient's drafts, newest first (without the documents)."""
        columns = [c for c in t.drafts.c if c.name != "document"]
        rows = self.connection.execute(
            select(*columns)
            .where(_d.clinic_id == self.clinic_id, _d.patient_id == patient_id)
            .order_by(_d.updated_at.desc(), _d.program_key)
        ).all()
        return [_info(row) for row in rows]

    def delete_draft(self, patient_id: int, program_id: int | None) -> bool:
        """Delete the draft; True if there was one."""
        return bool(self.connection.execute(delete(t.drafts).where(self._draft(patient_id, program_id))).rowcount)

    # --- change stamps --------------------------------------------------------------------------------------

    def library_stamp(self) -> tuple[int, dt.datetime | None]:
        """(custom exercises, last change): changes whenever a custom exercise or its photo is saved or archived."""
        c = t.custom_exercises.c
        count, changed = self.connection.execute(
            select(func.count(), func.max(c.updated_at)).where(c.clinic_id == self.clinic_id)
        ).one()
        return count or 0, changed

    def clinic_stamp(self) -> dt.datetime | None:
        """When the clinic profile last changed."""
        return self.connection.scalar(select(t.clinics.c.updated_at).where(t.clinics.c.id == self.clinic_id))
