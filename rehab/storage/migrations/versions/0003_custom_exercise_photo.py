"""Custom exercises: an optional photo (the clinic's own exercises have no drawing).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable, so exercises saved before this revision simply have no photo.
    with op.batch_alter_table("custom_exercises") as batch:
        batch.add_column(
            sa.Column("photo", sa.LargeBinary, nullable=True, comment="PNG or JPEG, checked like the clinic logo")
        )


def downgrade() -> None:
    with op.batch_alter_table("custom_exercises") as batch:
        batch.drop_column("photo")
