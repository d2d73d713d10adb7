"""Cheap change stamps for caching what a clinic sees: its exercise library and its profile.

Building the library with 1,000 custom exercises takes a while, so the app keeps one per stamp; the stamp is
one small query that changes whenever a custom exercise (or its photo) or the clinic profile is saved or archived.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sqlalchemy import func, select

from ..storage import tables as t
from ..storage.repository import Repository


class Stamps(NamedTuple):
    library: tuple[int, dt.datetime | None]  # (custom exercises, last change)
    clinic: dt.datetime | None  # last change to the clinic profile


def stamps(repo: Repository) -> Stamps:
    c = t.custom_exercises.c
    with repo.transaction() as tx:
        count, changed = tx.connection.execute(
            select(func.count(), func.max(c.updated_at)).where(c.clinic_id == tx.clinic_id)
        ).one()
        clinic = tx.connection.scalar(select(t.clinics.c.updated_at).where(t.clinics.c.id == tx.clinic_id))
    return Stamps(library=(count or 0, changed), clinic=clinic)
