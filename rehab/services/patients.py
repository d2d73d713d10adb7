"""Patients: add, change, find, show (logged), archive and restore."""

from __future__ import annotations

from typing import Any

from ..domain.records import AuditAction, PatientDetails, PatientRecord, validated
from ..storage.repository import Repository
from .audit import checked_actor, log_access

__all__ = ["add_patient", "archive_patient", "find_patients", "get_patient", "restore_patient", "update_patient",
           "view_patient"]


def _details(details: PatientDetails | dict[str, Any]) -> PatientDetails:
    if isinstance(details, PatientDetails):
        return details
    return validated(PatientDetails, details)  # type: ignore[return-value]


def add_patient(details: PatientDetails | dict[str, Any], *, repo: Repository, actor: str) -> PatientRecord:
    actor = checked_actor(actor)
    checked = _details(details)
    with repo.transaction(write=True) as tx:
        patient = tx.add_patient(checked)
        tx.audit(actor, AuditAction.PATIENT_ADD, patient_id=patient.id)
    return patient


def update_patient(
    patient_id: int, details: PatientDetails | dict[str, Any], *, repo: Repository, actor: str
) -> PatientRecord:
    actor = checked_actor(actor)
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
    actor = checked_actor(actor)
    patient = get_patient(patient_id, repo=repo)
    log_access(repo, actor, AuditAction.PATIENT_VIEW, patient_id=patient.id)
    return patient


def find_patients(
    text: str = "", *, repo: Repository, include_archived: bool = False, limit: int = 50
) -> list[PatientRecord]:
    """Patients with a name part starting with ``text``, ignoring case and accents ('zoe' finds 'Zoë')."""
    with repo.transaction() as tx:
        return tx.find_patients(text, include_archived=include_archived, limit=limit)


def archive_patient(patient_id: int, *, repo: Repository, actor: str) -> PatientRecord:
    """Hide a patient and their programs from lists; nothing is deleted."""
    actor = checked_actor(actor)
    return _set_patient_archived(patient_id, True, repo=repo, actor=actor)


def restore_patient(patient_id: int, *, repo: Repository, actor: str) -> PatientRecord:
    actor = checked_actor(actor)
    return _set_patient_archived(patient_id, False, repo=repo, actor=actor)


def _set_patient_archived(patient_id: int, archived: bool, *, repo: Repository, actor: str) -> PatientRecord:
    with repo.transaction(write=True) as tx:
        patient = tx.set_patient_archived(patient_id, archived)
        action = AuditAction.PATIENT_ARCHIVE if archived else AuditAction.PATIENT_RESTORE
        tx.audit(actor, action, patient_id=patient_id)
    return patient
