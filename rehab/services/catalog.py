"""Cheap change stamps for caching what a clinic sees: its exercise library and its profile.

Building the library with 1,000 custom exercises takes a while, so the app keeps one per stamp; the stamp is
one small query that changes whenever a custom exercise (or its photo) or the clinic profile is saved or archived.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from ..storage.repository import Repository


class Stamps(NamedTuple):
    library: tuple[int, dt.datetime | None]  # (custom exercises, last change)
    clinic: dt.datetime | None  # last change to the clinic profile


def stamps(repo: Repository) -> Stamps:
    with repo.transaction() as tx:
        return Stamps(library=tx.library_stamp(), clinic=tx.clinic_stamp())
