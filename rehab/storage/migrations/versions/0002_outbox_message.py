"""Outbox: keep the whole email (PDF included) with each message; audit entries name the message they are about.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Both columns are nullable, so rows written before this revision stay valid.
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(
            sa.Column(
                "raw_message",
                sa.LargeBinary,
                nullable=True,
                comment="the whole email as queued (RFC 5322 bytes, PDF attached); sent as is on every try",
            )
        )
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("outbox_id", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("outbox_id")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("raw_message")
