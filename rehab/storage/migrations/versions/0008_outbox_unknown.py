"""Outbox status ``unknown``: the whole email was handed to the mail server, but its answer never came. It may
have arrived, so no worker sends it again by itself; a person decides with Retry.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_WITH_UNKNOWN = "status IN ('queued', 'sending', 'sent', 'failed', 'unknown')"
_WITHOUT = "status IN ('queued', 'sending', 'sent', 'failed')"


def _replace_status_check(allowed: str) -> None:
    # The old check's name differs by how 0001 ran (the naming convention was applied twice there), so it is
    # found by what it checks and dropped by its exact name.
    checks = sa.inspect(op.get_bind()).get_check_constraints("outbox")
    names = [check["name"] for check in checks if "status" in check["sqltext"] and "attempts" not in check["sqltext"]]
    with op.batch_alter_table("outbox") as batch:
        for name in names:
            batch.drop_constraint(op.f(name), type_="check")
        batch.create_check_constraint(op.f("ck_outbox_status_known"), allowed)


def upgrade() -> None:
    _replace_status_check(_WITH_UNKNOWN)


def downgrade() -> None:
    # Unknown messages may have arrived: failed (with their reason) keeps them from being sent again.
    op.execute("UPDATE outbox SET status = 'failed' WHERE status = 'unknown'")
    _replace_status_check(_WITHOUT)
