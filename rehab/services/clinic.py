"""The clinic profile (name, contact, colours, logo) the handouts and emails are branded with."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError

from ..domain.records import AuditAction
from ..storage.repository import Repository
from .audit import checked_actor

if TYPE_CHECKING:
    from ..domain.clinic import Clinic

__all__ = ["get_clinic", "save_clinic"]


def get_clinic(*, repo: Repository) -> Clinic | None:
    """The stored clinic profile, or None before one is saved."""
    from ..domain.clinic import Clinic  # the Pillow-backed model loads only when a profile is used

    with repo.transaction() as tx:
        fields, logo = tx.get_clinic_profile()
    if not fields:
        return None
    try:
        return Clinic.model_validate({**fields, "logo": logo})
    except ValidationError as exc:
        # A contact email saved under an older, looser rule is read as it is (like a patient's stored address):
        # the profile still loads, and the settings form asks for a valid one on the next save.
        if not fields.get("email") or {error["loc"][0] for error in exc.errors()} != {"email"}:
            raise
        loaded = Clinic.model_validate({**fields, "email": "", "logo": logo})
        return loaded.model_copy(update={"email": fields["email"]})


def save_clinic(clinic: Clinic, *, repo: Repository, actor: str) -> None:
    actor = checked_actor(actor)
    fields = clinic.model_dump(mode="json", exclude={"logo"})
    with repo.transaction(write=True) as tx:
        tx.save_clinic_profile(fields, clinic.logo)
        tx.audit(actor, AuditAction.CLINIC_SAVE)
