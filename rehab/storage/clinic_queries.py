"""Queries for the clinic's side records: custom exercises, outcomes, profile, clinicians and the audit log.

A mixin of ``Tx``: it relies on ``self.connection``, ``self.clinic_id`` and ``self.now`` from there.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from sqlalchemy import and_, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from ..domain.records import AuditAction, AuditEntry, Clinician, OutcomeInput, OutcomeRecord, PatientRecord
from . import tables as t
from .errors import InvalidRecord, NotFound


class ClinicQueries:
    connection: Connection
    clinic_id: int
    now: dt.datetime

    get_patient: Callable[[int], PatientRecord]  # from Tx: outcomes belong to an existing patient

    # --- custom exercises -----------------------------------------------------------------------------------

    def save_custom_exercise(self, exercise_id: str, document: str) -> None:
        key = and_(t.custom_exercises.c.clinic_id == self.clinic_id, t.custom_exercises.c.exercise_id == exercise_id)
        changed = self.connection.execute(
            update(t.custom_exercises).where(key).values(document=document, updated_at=self.now, archived_at=None)
        ).rowcount
        if not changed:
            self.connection.execute(
                insert(t.custom_exercises).values(
                    clinic_id=self.clinic_id,
                    exercise_id=exercise_id,
                    document=document,
                    created_at=self.now,
                    updated_at=self.now,
                )
            )

    def custom_exercise_documents(self, *, include_archived: bool = True) -> list[str]:
        """Archived ones too by default: old program versions that use them must still load."""
        query = select(t.custom_exercises.c.document).where(t.custom_exercises.c.clinic_id == self.clinic_id)
        if not include_archived:
            query = query.where(t.custom_exercises.c.archived_at.is_(None))
        return list(self.connection.scalars(query.order_by(t.custom_exercises.c.exercise_id)))

    def set_custom_exercise_archived(self, exercise_id: str, archived: bool) -> None:
        changed = self.connection.execute(
            update(t.custom_exercises)
            .where(t.custom_exercises.c.clinic_id == self.clinic_id, t.custom_exercises.c.exercise_id == exercise_id)
            .values(archived_at=self.now if archived else None, updated_at=self.now)
        ).rowcount
        if not changed:
            raise NotFound(f"custom exercise '{exercise_id}' does not exist")

    def set_custom_exercise_photo(self, exercise_id: str, photo: bytes | None) -> None:
        """Store (or, with None, remove) the photo of a saved custom exercise; the caller checks the image."""
        changed = self.connection.execute(
            update(t.custom_exercises)
            .where(t.custom_exercises.c.clinic_id == self.clinic_id, t.custom_exercises.c.exercise_id == exercise_id)
            .values(photo=photo, updated_at=self.now)
        ).rowcount
        if not changed:
            raise NotFound(f"custom exercise '{exercise_id}' does not exist")

    def custom_exercise_photo(self, exercise_id: str) -> bytes | None:
        return self.connection.scalar(
            select(t.custom_exercises.c.photo).where(
                t.custom_exercises.c.clinic_id == self.clinic_id, t.custom_exercises.c.exercise_id == exercise_id
            )
        )

    # --- outcomes -------------------------------------------------------------------------------------------

    def add_outcome(self, patient_id: int, entry: OutcomeInput, author: str) -> OutcomeRecord:
        self.get_patient(patient_id)
        values = {**entry.model_dump(), "patient_id": patient_id, "author": author, "created_at": self.now}
        outcome_id = self.connection.execute(
            insert(t.outcomes).values(clinic_id=self.clinic_id, **values)
        ).inserted_primary_key[0]
        return OutcomeRecord(id=outcome_id, **values)

    def list_outcomes(self, patient_id: int) -> list[OutcomeRecord]:
        self.get_patient(patient_id)
        rows = self.connection.execute(
            select(t.outcomes)
            .where(t.outcomes.c.patient_id == patient_id, t.outcomes.c.clinic_id == self.clinic_id)
            .order_by(t.outcomes.c.recorded_on, t.outcomes.c.id)
        )
        return [
            OutcomeRecord.model_validate({k: v for k, v in row._mapping.items() if k != "clinic_id"}) for row in rows
        ]

    # --- clinic profile -------------------------------------------------------------------------------------

    def get_clinic_profile(self) -> tuple[dict, bytes | None]:
        """The profile fields (empty until first saved) and the logo bytes."""
        row = self.connection.execute(
            select(t.clinics.c.profile, t.clinics.c.logo).where(t.clinics.c.id == self.clinic_id)
        ).first()
        if row is None:
            raise NotFound(f"clinic {self.clinic_id} does not exist")
        return json.loads(row.profile), row.logo

    def save_clinic_profile(self, fields: dict, logo: bytes | None) -> None:
        document = json.dumps(fields, ensure_ascii=False, sort_keys=True)
        changed = self.connection.execute(
            update(t.clinics)
            .where(t.clinics.c.id == self.clinic_id)
            .values(profile=document, logo=logo, updated_at=self.now)
        ).rowcount
        if not changed:
            raise NotFound(f"clinic {self.clinic_id} does not exist")

    # --- clinicians -----------------------------------------------------------------------------------------

    def add_clinician(self, email: str, name: str, password_hash: str, role: str, active: bool = True) -> Clinician:
        values = {
            "clinic_id": self.clinic_id,
            "email": email.strip().lower(),
            "name": name,
            "password_hash": password_hash,
            "role": role,
            "active": active,
            "created_at": self.now,
            "updated_at": self.now,
        }
        try:
            with self.connection.begin_nested():
                clinician_id = self.connection.execute(insert(t.clinicians).values(**values)).inserted_primary_key[0]
        except IntegrityError:
            raise InvalidRecord([f"email: {values['email']} already has an account"]) from None
        values.pop("updated_at")
        return Clinician(id=clinician_id, **values)

    def clinician_by_email(self, email: str) -> Clinician | None:
        """This clinic's account for ``email`` (another clinic may have one for the same address)."""
        row = self.connection.execute(select(t.clinicians).where(
            t.clinicians.c.email == email.strip().lower(), t.clinicians.c.clinic_id == self.clinic_id)).first()
        return (
            None
            if row is None
            else Clinician.model_validate({k: v for k, v in row._mapping.items() if k != "updated_at"})
        )

    # --- audit ----------------------------------------------------------------------------------------------

    def audit(
        self,
        actor: str,
        action: AuditAction,
        *,
        patient_id: int | None = None,
        program_id: int | None = None,
        version: int | None = None,
        outbox_id: int | None = None,
        template_id: int | None = None,
    ) -> None:
        self.connection.execute(
            insert(t.audit_log).values(
                clinic_id=self.clinic_id,
                at=self.now,
                actor=actor[:254],
                action=action.value,
                patient_id=patient_id,
                program_id=program_id,
                version=version,
                outbox_id=outbox_id,
                template_id=template_id,
            )
        )

    def audited_since(
        self,
        actor: str,
        action: AuditAction,
        since: dt.datetime,
        *,
        patient_id: int | None = None,
        program_id: int | None = None,
        version: int | None = None,
    ) -> bool:
        """True when this clinic logged the same entry (actor, action and ids) at ``since`` or later."""
        c = t.audit_log.c

        def same(column, value):
            return column.is_(None) if value is None else column == value

        query = select(c.id).where(
            c.clinic_id == self.clinic_id,
            c.actor == actor[:254],
            c.action == action.value,
            c.at >= since,
            same(c.patient_id, patient_id),
            same(c.program_id, program_id),
            same(c.version, version),
        )
        return self.connection.scalar(query.limit(1)) is not None

    def audit_entries(self, *, patient_id: int | None = None, limit: int = 200) -> list[AuditEntry]:
        query = select(t.audit_log).where(t.audit_log.c.clinic_id == self.clinic_id)
        if patient_id is not None:
            query = query.where(t.audit_log.c.patient_id == patient_id)
        rows = self.connection.execute(query.order_by(t.audit_log.c.id.desc()).limit(limit))
        return [AuditEntry.model_validate({k: v for k, v in row._mapping.items() if k != "clinic_id"}) for row in rows]
