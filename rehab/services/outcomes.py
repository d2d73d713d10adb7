"""Outcome measures of a patient (pain, function scores) over time."""

from __future__ import annotations

from typing import Any

from ..domain.records import AuditAction, OutcomeInput, OutcomeRecord, validated
from ..storage.repository import Repository
from .audit import checked_actor

__all__ = ["add_outcome", "list_outcomes"]


def add_outcome(
    patient_id: int, entry: OutcomeInput | dict[str, Any], *, repo: Repository, actor: str
) -> OutcomeRecord:
    actor = checked_actor(actor)
    checked = entry if isinstance(entry, OutcomeInput) else validated(OutcomeInput, entry)
    with repo.transaction(write=True) as tx:
        record = tx.add_outcome(patient_id, checked, actor)  # type: ignore[arg-type]
        tx.audit(actor, AuditAction.OUTCOME_ADD, patient_id=patient_id)
    return record


def list_outcomes(patient_id: int, *, repo: Repository) -> list[OutcomeRecord]:
    with repo.transaction() as tx:
        return tx.list_outcomes(patient_id)
