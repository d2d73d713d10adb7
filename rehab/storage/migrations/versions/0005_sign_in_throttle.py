"""Sign-in throttle: failed sign-ins per account and per client, so every app instance applies the same delay.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

Time = sa.DateTime(timezone=True)  # frozen copy of the column type at this revision


def upgrade() -> None:
    op.create_table(
        "sign_in_throttle",
        sa.Column("scope", sa.String(10)),
        sa.Column("key", sa.String(64), comment="SHA-256 of the email or client id, never the value itself"),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failed_at", Time, nullable=True),
        sa.Column("locked_until", Time, nullable=True),
        sa.PrimaryKeyConstraint("scope", "key", name="pk_sign_in_throttle"),
        sa.CheckConstraint("scope IN ('account', 'client')", name="ck_sign_in_throttle_scope_known"),
        sa.CheckConstraint("failures >= 0", name="ck_sign_in_throttle_failures_positive"),
    )


def downgrade() -> None:
    op.drop_table("sign_in_throttle")
