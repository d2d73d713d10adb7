"""Queries for patient links, their reminders and their check-ins.

A mixin of ``Tx``: it relies on ``self.connection`` and ``self.clinic_id`` from there. Every method works on this
clinic's links, except three that look across clinics because all a caller has is the link's own secret or the
daily run over every clinic: ``link_by_token_hash`` (the patient's browser), ``link_by_reminder_stop`` (the stop
link in a reminder email) and ``reminder_candidates`` (the reminders run). What they return names its clinic;
the caller goes on with ``tx.for_clinic(link.clinic_id)``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection, Row

from ..domain.links import LinkCheckIn, PatientLink
from . import tables as t

_l = t.patient_links.c
_k = t.link_check_ins.c
_LINK_COLUMNS = (_l.id, _l.clinic_id, _l.program_id, _l.created_at, _l.updated_at, _l.expires_at, _l.revoked_at,
                 _l.reminder_days, _l.reminder_consent_at)


def _link(row: Row) -> PatientLink:
    data = dict(row._mapping)
    days = data.pop("reminder_days")
    return PatientLink.model_validate({**data, "reminder_days": tuple(json.loads(days)) if days else ()})


class LinkQueries:
    connection: Connection
    clinic_id: int

    clinic_stamp: Callable[[], dt.datetime | None]  # from DraftQueries: the stamps a cached page depends on
    library_stamp: Callable[[], tuple[int, dt.datetime | None]]

    def _my_link(self, link_id: int):
        return (_l.id == link_id) & (_l.clinic_id == self.clinic_id)

    def link_of_program(self, program_id: int) -> PatientLink | None:
        row = self.connection.execute(select(*_LINK_COLUMNS).where(_l.program_id == program_id,
                                                                   _l.clinic_id == self.clinic_id)).first()
        return None if row is None else _link(row)

    def links_of_programs(self, program_ids: list[int]) -> dict[int, PatientLink]:
        if not program_ids:
            return {}
        rows = self.connection.execute(select(*_LINK_COLUMNS).where(_l.program_id.in_(program_ids),
                                                                    _l.clinic_id == self.clinic_id))
        return {row.program_id: _link(row) for row in rows}

    def content_stamp(self) -> tuple:
        """When the clinic's profile and its own exercises last changed: what a cached page of it depends on
        besides the (immutable) program version."""
        return self.clinic_stamp(), self.library_stamp()[1]

    def link_by_token_hash(self, token_hash: str) -> PatientLink | None:
        """The link whose token has this SHA-256, in whichever clinic (the token is all a patient's browser has)."""
        row = self.connection.execute(select(*_LINK_COLUMNS).where(_l.token_hash == token_hash)).first()
        return None if row is None else _link(row)

    def put_link(self, program_id: int, token_hash: str, expires_at: dt.datetime, now: dt.datetime) -> PatientLink:
        """The program's link with a new token (a new row, or the old row given the new token: the old link stops
        working); not revoked, reminders off."""
        values = {"token_hash": token_hash, "expires_at": expires_at, "revoked_at": None, "updated_at": now,
                  "reminder_days": None, "reminder_consent_at": None}
        changed = self.connection.execute(
            update(t.patient_links).where(_l.program_id == program_id, _l.clinic_id == self.clinic_id)
            .values(**values)
        ).rowcount
        if not changed:
            self.connection.execute(insert(t.patient_links).values(clinic_id=self.clinic_id, program_id=program_id,
                                                                   created_at=now, **values))
        found = self.link_of_program(program_id)
        assert found is not None  # written just above, in this transaction
        return found

    def set_link_expiry(self, link_id: int, expires_at: dt.datetime, now: dt.datetime) -> bool:
        """A new expiry for a link that is not revoked; False when there is no such link."""
        return self.connection.execute(
            update(t.patient_links)
            .where(self._my_link(link_id), _l.revoked_at.is_(None))
            .values(expires_at=expires_at, updated_at=now)
        ).rowcount == 1

    def revoke_link(self, link_id: int, now: dt.datetime) -> bool:
        return self.connection.execute(
            update(t.patient_links)
            .where(self._my_link(link_id), _l.revoked_at.is_(None))
            .values(revoked_at=now, updated_at=now, reminder_days=None)
        ).rowcount == 1

    # --- reminders --------------------------------------------------------------------------------------------

    def set_link_reminders(self, link_id: int, days: tuple[int, ...], stop: str | None, now: dt.datetime) -> bool:
        """The patient's reminder days with the time of consent and the stop link's id; empty days: reminders off."""
        values = ({"reminder_days": json.dumps(sorted(set(days))), "reminder_consent_at": now, "reminder_stop": stop}
                  if days else {"reminder_days": None, "reminder_consent_at": None, "reminder_stop": None})
        return self.connection.execute(
            update(t.patient_links).where(self._my_link(link_id)).values(updated_at=now, **values)
        ).rowcount == 1

    def link_by_reminder_stop(self, stop: str) -> PatientLink | None:
        """The link whose reminder emails this stop link stops, in whichever clinic."""
        row = self.connection.execute(select(*_LINK_COLUMNS).where(_l.reminder_stop == stop)).first()
        return None if row is None else _link(row)

    def reminder_stop_of(self, link_id: int) -> str | None:
        return self.connection.scalar(select(_l.reminder_stop).where(self._my_link(link_id)))

    def reminder_candidates(self, today: dt.date, now: dt.datetime) -> list[tuple[PatientLink, str]]:
        """Working links of every clinic with reminders on and none queued today, with their stop id."""
        rows = self.connection.execute(
            select(*_LINK_COLUMNS, _l.reminder_stop).where(
                _l.reminder_days.is_not(None), _l.revoked_at.is_(None), _l.expires_at > now,
                (_l.last_reminded_on.is_(None)) | (_l.last_reminded_on != today))
            .order_by(_l.id))
        found = []
        for row in rows:
            data = dict(row._mapping)
            stop = data.pop("reminder_stop")
            days = data.pop("reminder_days")
            found.append((PatientLink.model_validate({**data, "reminder_days": tuple(json.loads(days))}), stop))
        return found

    def claim_reminder(self, link_id: int, today: dt.date) -> bool:
        """Mark today's reminder as queued; False when another run got there first (so each day's email is one)."""
        return self.connection.execute(
            update(t.patient_links)
            .where(self._my_link(link_id), (_l.last_reminded_on.is_(None)) | (_l.last_reminded_on != today))
            .values(last_reminded_on=today)
        ).rowcount == 1

    # --- check-ins --------------------------------------------------------------------------------------------

    def add_check_in(self, link_id: int, program_id: int, version: int, kind: str, done: tuple[str, ...],
                     pain: int | None, morning: str | None, now: dt.datetime) -> int:
        return self.connection.execute(insert(t.link_check_ins).values(
            clinic_id=self.clinic_id, link_id=link_id, program_id=program_id, version=version, kind=kind,
            done=json.dumps(list(done)) if done else None, pain=pain, morning=morning, created_at=now,
        )).inserted_primary_key[0]

    def check_ins_since(self, link_id: int, since: dt.datetime) -> int:
        """How many check-ins came through this link since ``since`` (the per-link rate limit)."""
        return self.connection.scalar(select(func.count()).select_from(t.link_check_ins).where(
            _k.link_id == link_id, _k.clinic_id == self.clinic_id, _k.created_at >= since)) or 0

    def check_ins_of_programs(self, program_ids: list[int], since: dt.datetime | None = None) -> list[LinkCheckIn]:
        """The check-ins of these programs, oldest first."""
        if not program_ids:
            return []
        query = select(_k.id, _k.program_id, _k.version, _k.kind, _k.done, _k.pain, _k.morning, _k.created_at).where(
            _k.program_id.in_(program_ids), _k.clinic_id == self.clinic_id)
        if since is not None:
            query = query.where(_k.created_at >= since)
        rows = self.connection.execute(query.order_by(_k.created_at, _k.id))
        return [LinkCheckIn.model_validate({**dict(row._mapping), "done": tuple(json.loads(row.done or "[]"))})
                for row in rows]
