"""Queries for accounts: clinics, clinician rows, the sign-in throttle, sessions and known browsers.

A mixin of ``Tx``: it relies on ``self.connection`` and ``self.clinic_id`` from there. Unlike the other mixins most
of it works across clinics, because that is what sign-in is: an email is unique within a clinic and may have an
account in several, so sign-in looks it up in every clinic, and a session cookie names its account, not a
clinic. The two queries that list or change one clinic's accounts (``clinicians``, ``set_clinician_active``) are
scoped to ``self.clinic_id``, so a caller cannot reach another clinic's accounts by accident.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Row

from ..domain.records import Clinician, Throttle
from . import tables as t


def _clinician(row: Row) -> Clinician:
    return Clinician.model_validate({k: v for k, v in row._mapping.items() if k != "updated_at"})


@dataclass(frozen=True)
class SessionRow:
    """A signed-in browser as stored: never the cookie's id, only its hash."""

    id: int
    clinician_id: int
    clinic_id: int
    created_at: dt.datetime
    last_seen_at: dt.datetime
    user_agent: str


class AccountQueries:
    connection: Connection
    clinic_id: int

    def clinician_count(self) -> int:
        return self.connection.scalar(select(func.count()).select_from(t.clinicians)) or 0

    def lock_accounts_table(self) -> None:
        """Make "no account yet? then add the first admin" atomic across app instances.

        SQLite writers already hold the database write lock (BEGIN IMMEDIATE); PostgreSQL gets a table lock that
        lets readers through but makes a second first-run setup wait, then see the first one's account.
        """
        if self.connection.dialect.name == "postgresql":
            self.connection.execute(text("LOCK TABLE clinicians IN EXCLUSIVE MODE"))

    def clinician_by_id(self, clinician_id: int) -> Clinician | None:
        row = self.connection.execute(select(t.clinicians).where(t.clinicians.c.id == clinician_id)).first()
        return None if row is None else _clinician(row)

    def clinicians_by_email(self, email: str) -> list[Clinician]:
        """Every clinic's account for ``email``, oldest first: only sign-in and operators' tools look across
        clinics."""
        table = t.clinicians
        rows = self.connection.execute(
            select(table).where(table.c.email == email.strip().lower()).order_by(table.c.id)
        )
        return [_clinician(row) for row in rows]

    def most_accounts_per_email(self) -> int:
        """How many clinics the most widely used email has accounts in (0 with no account)."""
        per_email = (
            select(func.count().label("n")).select_from(t.clinicians).group_by(t.clinicians.c.email).subquery()
        )
        return self.connection.scalar(select(func.max(per_email.c.n))) or 0

    def clinicians(self) -> list[Clinician]:
        table = t.clinicians
        rows = self.connection.execute(
            select(table).where(table.c.clinic_id == self.clinic_id).order_by(table.c.name, table.c.id)
        )
        return [_clinician(row) for row in rows]

    def set_clinician_active(self, clinician_id: int, active: bool, now: dt.datetime) -> bool:
        changed = self.connection.execute(
            update(t.clinicians)
            .where(t.clinicians.c.id == clinician_id, t.clinicians.c.clinic_id == self.clinic_id)
            .values(active=active, updated_at=now)
        ).rowcount
        return changed == 1

    def set_password_hash(self, clinician_id: int, password_hash: str, now: dt.datetime) -> None:
        self.connection.execute(
            update(t.clinicians)
            .where(t.clinicians.c.id == clinician_id)
            .values(password_hash=password_hash, updated_at=now)
        )

    # --- clinics ------------------------------------------------------------------------------------------------------

    def clinic_ids(self) -> list[int]:
        return list(self.connection.scalars(select(t.clinics.c.id).order_by(t.clinics.c.id)))

    def clinic_names(self) -> dict[int, str]:
        """Clinic id to the name in its profile ("" before a profile is saved)."""
        rows = self.connection.execute(select(t.clinics.c.id, t.clinics.c.profile).order_by(t.clinics.c.id))
        return {row.id: str(json.loads(row.profile).get("name", "")) for row in rows}

    def insert_clinic(self, profile: dict, now: dt.datetime) -> int:
        document = json.dumps(profile, ensure_ascii=False, sort_keys=True)
        return self.connection.execute(
            insert(t.clinics).values(profile=document, logo=None, created_at=now, updated_at=now)
        ).inserted_primary_key[0]

    # --- sign-in throttle ---------------------------------------------------------------------------------------------

    def _insert_missing(self, scope: str, key: str) -> None:
        dialect = postgresql if self.connection.dialect.name == "postgresql" else sqlite
        self.connection.execute(
            dialect.insert(t.sign_in_throttle)
            .values(scope=scope, key=key, failures=0)
            .on_conflict_do_nothing(index_elements=["scope", "key"])
        )

    def lock_throttles(self, keys: list[tuple[str, str]]) -> list[Throttle]:
        """The rows for ``keys`` (created when missing), locked until the transaction ends, in the order given.

        PostgreSQL row locks make concurrent attempts on one account or client take turns, so parallel guesses
        cannot all slip in before the first failure is counted. Callers pass keys in one fixed order (account, then
        client), which rules out lock cycles.
        """
        table = t.sign_in_throttle
        found = []
        for scope, key in keys:
            self._insert_missing(scope, key)
            row = self.connection.execute(
                select(table).where(table.c.scope == scope, table.c.key == key).with_for_update()
            ).one()
            found.append(Throttle(**row._mapping))
        return found

    def save_throttle(self, state: Throttle) -> None:
        table = t.sign_in_throttle
        self.connection.execute(
            update(table)
            .where(table.c.scope == state.scope, table.c.key == state.key)
            .values(failures=state.failures, last_failed_at=state.last_failed_at, locked_until=state.locked_until)
        )

    def clear_throttle(self, scope: str, key: str) -> None:
        table = t.sign_in_throttle
        self.connection.execute(delete(table).where(table.c.scope == scope, table.c.key == key))

    def uncount_failure(self, scope: str, key: str) -> None:
        """Take back one counted attempt (it succeeded); any lock already set stays until it runs out."""
        table = t.sign_in_throttle
        self.connection.execute(
            update(table)
            .where(table.c.scope == scope, table.c.key == key, table.c.failures > 0)
            .values(failures=table.c.failures - 1)
        )

    # --- sessions and known browsers ----------------------------------------------------------------------------------

    def insert_session(self, token_hash: str, clinician_id: int, clinic_id: int, user_agent: str,
                       now: dt.datetime) -> int:
        return self.connection.execute(
            insert(t.sessions).values(token_hash=token_hash, clinician_id=clinician_id, clinic_id=clinic_id,
                                      created_at=now, last_seen_at=now, user_agent=user_agent)
        ).inserted_primary_key[0]

    def session_by_hash(self, token_hash: str) -> SessionRow | None:
        table = t.sessions
        row = self.connection.execute(select(table).where(table.c.token_hash == token_hash)).first()
        return None if row is None else SessionRow(**{k: v for k, v in row._mapping.items() if k != "token_hash"})

    def sessions_of(self, clinician_id: int) -> list[SessionRow]:
        table = t.sessions
        rows = self.connection.execute(
            select(table).where(table.c.clinician_id == clinician_id).order_by(table.c.last_seen_at.desc(), table.c.id)
        )
        return [SessionRow(**{k: v for k, v in row._mapping.items() if k != "token_hash"}) for row in rows]

    def touch_session(self, session_id: int, now: dt.datetime) -> None:
        self.connection.execute(update(t.sessions).where(t.sessions.c.id == session_id).values(last_seen_at=now))

    def delete_session(self, session_id: int, clinician_id: int) -> bool:
        """Only the owner's: a session id from one account never ends another account's session."""
        table = t.sessions
        return self.connection.execute(
            delete(table).where(table.c.id == session_id, table.c.clinician_id == clinician_id)
        ).rowcount == 1

    def delete_sessions_of(self, clinician_id: int, keep: int | None = None) -> int:
        table = t.sessions
        statement = delete(table).where(table.c.clinician_id == clinician_id)
        if keep is not None:
            statement = statement.where(table.c.id != keep)
        return self.connection.execute(statement).rowcount

    def delete_sessions_seen_before(self, moment: dt.datetime) -> int:
        return self.connection.execute(delete(t.sessions).where(t.sessions.c.last_seen_at < moment)).rowcount

    def known_device_sign_ins(self, clinician_ids: list[int], device_hash: str) -> dict[int, dt.datetime]:
        """Which of these accounts the browser signed in to before, with when it last did."""
        table = t.sign_in_devices
        if not clinician_ids:
            return {}
        rows = self.connection.execute(select(table.c.clinician_id, table.c.last_sign_in_at).where(
            table.c.clinician_id.in_(clinician_ids), table.c.device_hash == device_hash))
        return {row.clinician_id: row.last_sign_in_at for row in rows}

    def remember_device(self, clinician_id: int, device_hash: str, now: dt.datetime) -> None:
        dialect = postgresql if self.connection.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(t.sign_in_devices).values(
            clinician_id=clinician_id, device_hash=device_hash, last_sign_in_at=now
        )
        self.connection.execute(statement.on_conflict_do_update(
            index_elements=["clinician_id", "device_hash"], set_={"last_sign_in_at": now}
        ))

    def forget_devices_before(self, moment: dt.datetime) -> None:
        self.connection.execute(delete(t.sign_in_devices).where(t.sign_in_devices.c.last_sign_in_at < moment))

    def throttles_with_failures(self, scope: str, keys: list[str], at_least: int) -> list[Throttle]:
        table = t.sign_in_throttle
        if not keys:
            return []
        rows = self.connection.execute(
            select(table).where(table.c.scope == scope, table.c.key.in_(keys), table.c.failures >= at_least)
        )
        return [Throttle(**row._mapping) for row in rows]
