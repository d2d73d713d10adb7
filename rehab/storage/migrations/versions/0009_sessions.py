"""Server-side sessions (the sign-in cookie's id, hashed) and known browsers per account; the sign-in throttle
learns a third scope, ``device``: failures of a browser that signed in to the account before.

The throttle table is dropped and made again: it holds only short-lived failure counts, and SQLite cannot change
a CHECK constraint in place.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

Time = sa.DateTime(timezone=True)  # frozen copy of the column type at this revision


def _throttle(scopes: str) -> None:
    op.create_table(
        "sign_in_throttle",
        sa.Column("scope", sa.String(10)),
        sa.Column("key", sa.String(64), comment="SHA-256 of the email or client id, never the value itself"),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_failed_at", Time, nullable=True),
        sa.Column("locked_until", Time, nullable=True),
        sa.PrimaryKeyConstraint("scope", "key", name="pk_sign_in_throttle"),
        sa.CheckConstraint(f"scope IN ({scopes})", name="ck_sign_in_throttle_scope_known"),
        sa.CheckConstraint("failures >= 0", name="ck_sign_in_throttle_failures_positive"),
    )


def upgrade() -> None:
    op.drop_table("sign_in_throttle")
    _throttle("'account', 'client', 'device'")
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer),
        sa.Column("token_hash", sa.String(64), nullable=False, comment="SHA-256 of the cookie's id"),
        sa.Column("clinician_id", sa.Integer, nullable=False),
        sa.Column("clinic_id", sa.Integer, nullable=False),
        sa.Column("created_at", Time, nullable=False),
        sa.Column("last_seen_at", Time, nullable=False),
        sa.Column("user_agent", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_sessions_token_hash"),
        sa.ForeignKeyConstraint(["clinician_id"], ["clinicians.id"], name="fk_sessions_clinician_id_clinicians"),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinics.id"], name="fk_sessions_clinic_id_clinics"),
    )
    op.create_index("ix_sessions_clinician_id", "sessions", ["clinician_id"])
    op.create_table(
        "sign_in_devices",
        sa.Column("clinician_id", sa.Integer),
        sa.Column("device_hash", sa.String(64), comment="SHA-256 of the device cookie"),
        sa.Column("last_sign_in_at", Time, nullable=False),
        sa.PrimaryKeyConstraint("clinician_id", "device_hash", name="pk_sign_in_devices"),
        sa.ForeignKeyConstraint(["clinician_id"], ["clinicians.id"],
                                name="fk_sign_in_devices_clinician_id_clinicians"),
    )


def downgrade() -> None:
    op.drop_table("sign_in_devices")
    op.drop_index("ix_sessions_clinician_id", table_name="sessions")
    op.drop_table("sessions")
    op.drop_table("sign_in_throttle")
    _throttle("'account', 'client'")
