"""Who acts, and the audit log: every service that changes or shows a record names its actor here."""

from __future__ import annotations

import datetime as dt

from ..domain.records import AuditAction, AuditEntry
from ..storage.errors import InvalidRecord
from ..storage.repository import Repository

__all__ = ["VIEW_LOG_WINDOW", "audit_trail", "checked_actor", "log_access"]


def checked_actor(actor: str) -> str:
    """Who acts: a clinician's email or name (stored as version author and in the audit log)."""
    actor = actor.strip()
    if not 1 <= len(actor) <= 254:
        raise InvalidRecord(["actor: give the clinician's email or name (1-254 characters)"])
    return actor


# Streamlit redraws a page on every click; a person who keeps a record open is logged once per window.
VIEW_LOG_WINDOW = dt.timedelta(minutes=15)


def log_access(
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


def audit_trail(*, repo: Repository, patient_id: int | None = None, limit: int = 200) -> list[AuditEntry]:
    with repo.transaction() as tx:
        return tx.audit_entries(patient_id=patient_id, limit=limit)
