"""The outbox table: insert a message, claim it for one worker, record how a try went. Rows are never deleted.

A mixin of ``Tx``: it relies on ``self.connection``, ``self.clinic_id`` and ``self.now`` from there. Every method
works on this clinic's messages, except ``due_outbox_messages``: the worker's scan serves every clinic.

Claiming is one conditional UPDATE (``... WHERE id = ? AND <still claimable>``): on PostgreSQL a second worker
blocks on the row lock, then re-checks the condition against the committed row and updates nothing; on SQLite
writers are serialised by BEGIN IMMEDIATE. Either way exactly one worker gets ``rowcount == 1``.
A claim is the status ``sending`` with ``claimed_by``/``claimed_at``; a claim older than ``stale_before`` belongs
to a worker that died mid-send and may be taken over. Just before the server is told to take the message (the
final "." of DATA), the worker turns its claim into ``unknown`` (``hand_over_outbox_message``): from then on no
worker claims the message again, even one that finds the first worker dead, because the server may have it. The
answer, when it comes, makes it sent, queued or failed; without one it stays unknown until a person presses Retry.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.engine import Connection

from ..domain.records import HANDED_OVER, OutboxMessage, OutboxStatus
from . import tables as t
from .errors import NotFound

# Everything but the stored email itself, which can be megabytes.
_COLUMNS = [c for c in t.outbox.c if c.name not in ("raw_message", "clinic_id")]
_RETRYABLE = (OutboxStatus.QUEUED, OutboxStatus.FAILED, OutboxStatus.UNKNOWN)


class Due(NamedTuple):
    clinic_id: int
    message_id: int


def _claimable(now: dt.datetime, stale_before: dt.datetime, *, due_only: bool):
    queued = t.outbox.c.status == OutboxStatus.QUEUED
    if due_only:
        queued = and_(queued, t.outbox.c.next_attempt_at <= now)
    abandoned = and_(t.outbox.c.status == OutboxStatus.SENDING, t.outbox.c.claimed_at < stale_before)
    return or_(queued, abandoned)


class OutboxQueries:
    connection: Connection
    clinic_id: int
    now: dt.datetime

    def _my_message(self, message_id: int):
        return and_(t.outbox.c.id == message_id, t.outbox.c.clinic_id == self.clinic_id)

    def add_outbox_message(
        self, *, patient_id: int, program_id: int, version: int, recipient: str, subject: str, body: str, raw: bytes
    ) -> int:
        """Queue a message, due now; its id."""
        return self.connection.execute(
            insert(t.outbox).values(
                clinic_id=self.clinic_id,
                patient_id=patient_id,
                program_id=program_id,
                program_version=version,
                recipient=recipient,
                subject=subject[:200],  # the listing column; the full subject is in raw_message
                body=body,
                status=OutboxStatus.QUEUED,
                attempts=0,
                next_attempt_at=self.now,
                created_at=self.now,
                raw_message=raw,
            )
        ).inserted_primary_key[0]

    def get_outbox_message(self, message_id: int) -> OutboxMessage:
        row = self.connection.execute(select(*_COLUMNS).where(self._my_message(message_id))).first()
        if row is None:
            raise NotFound(f"outbox message {message_id} does not exist")
        return OutboxMessage.model_validate(dict(row._mapping))

    def outbox_raw_message(self, message_id: int) -> bytes | None:
        """The email exactly as queued; NotFound when there is no such message."""
        self.get_outbox_message(message_id)
        return self.connection.scalar(select(t.outbox.c.raw_message).where(self._my_message(message_id)))

    def list_outbox_messages(
        self,
        *,
        status: str | None = None,
        patient_id: int | None = None,
        program_id: int | None = None,
        limit: int = 100,
    ) -> list[OutboxMessage]:
        query = select(*_COLUMNS).where(t.outbox.c.clinic_id == self.clinic_id)
        if status is not None:
            query = query.where(t.outbox.c.status == status)
        if patient_id is not None:
            query = query.where(t.outbox.c.patient_id == patient_id)
        if program_id is not None:
            query = query.where(t.outbox.c.program_id == program_id)
        rows = self.connection.execute(query.order_by(t.outbox.c.id.desc()).limit(limit))
        return [OutboxMessage.model_validate(dict(row._mapping)) for row in rows]

    def due_outbox_messages(self, now: dt.datetime, stale_before: dt.datetime, limit: int) -> list[Due]:
        """Messages due now (oldest due first), and any whose claim is stale, of every clinic.

        The one outbox query that is not scoped to this clinic: the worker serves them all. It returns ids only;
        each message is then claimed, read and updated through its own clinic's transaction.
        """
        query = (
            select(t.outbox.c.clinic_id, t.outbox.c.id)
            .where(_claimable(now, stale_before, due_only=True))
            .order_by(t.outbox.c.next_attempt_at, t.outbox.c.id)
            .limit(limit)
        )
        return [Due(row.clinic_id, row.id) for row in self.connection.execute(query)]

    def claim_outbox_message(
        self, message_id: int, worker: str, now: dt.datetime, stale_before: dt.datetime, *, due_only: bool = True
    ) -> bool:
        """Take the message for ``worker``; False if another worker has it, or it is sent, failed or not due."""
        result = self.connection.execute(
            update(t.outbox)
            .where(self._my_message(message_id), _claimable(now, stale_before, due_only=due_only))
            .values(status=OutboxStatus.SENDING, claimed_by=worker[:100], claimed_at=now)
        )
        return result.rowcount == 1

    def hand_over_outbox_message(self, message_id: int, worker: str, attempts: int) -> bool:
        """The point of no return: ``sending`` → ``unknown`` while ``worker`` still holds the claim; False if it
        lost the claim (then it must not hand the message over)."""
        result = self.connection.execute(
            update(t.outbox)
            .where(self._my_message(message_id), t.outbox.c.status == OutboxStatus.SENDING,
                   t.outbox.c.claimed_by == worker[:100])
            .values(status=OutboxStatus.UNKNOWN, attempts=attempts, last_error=HANDED_OVER)
        )
        return result.rowcount == 1

    def mark_outbox_sent(self, message_id: int, attempts: int, now: dt.datetime) -> None:
        # Delivered is delivered: recorded even if a slow try lost its claim to another worker meanwhile.
        self.connection.execute(
            update(t.outbox)
            .where(self._my_message(message_id), t.outbox.c.status != OutboxStatus.SENT)
            .values(status=OutboxStatus.SENT, attempts=attempts, sent_at=now, last_error=None)
        )

    def mark_outbox_unsent(
        self, message_id: int, worker: str, *, status: OutboxStatus, attempts: int, reason: str,
        next_at: dt.datetime | None,
    ) -> bool:
        """Back to queued (``next_at`` set), failed or unknown, only while ``worker`` still holds the claim
        (sending, or unknown after it handed the message over and the server answered, or never did)."""
        values: dict = {"status": status, "attempts": attempts, "last_error": reason}
        if status is OutboxStatus.QUEUED:
            values.update(next_attempt_at=next_at, claimed_by=None, claimed_at=None)
        result = self.connection.execute(
            update(t.outbox)
            .where(
                self._my_message(message_id),
                t.outbox.c.status.in_((OutboxStatus.SENDING, OutboxStatus.UNKNOWN)),
                t.outbox.c.claimed_by == worker[:100],
            )
            .values(**values)
        )
        return result.rowcount == 1

    def requeue_outbox_message(self, message_id: int) -> bool:
        """Failed, waiting or unknown (a person checked it did not arrive) → queued and due now, with a fresh retry
        schedule; False if sending or sent."""
        result = self.connection.execute(
            update(t.outbox)
            .where(self._my_message(message_id), t.outbox.c.status.in_(_RETRYABLE))
            .values(status=OutboxStatus.QUEUED, attempts=0, next_attempt_at=self.now, claimed_by=None,
                    claimed_at=None)
        )
        return result.rowcount == 1
