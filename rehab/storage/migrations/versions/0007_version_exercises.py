"""Versions keep the clinic's own exercises as they were: a version re-renders the same handout after the clinic
edits one of its exercises or replaces its photo.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

Time = sa.DateTime(timezone=True)  # frozen copy of the column type at this revision


def upgrade() -> None:
    with op.batch_alter_table("program_versions") as batch:
        batch.add_column(sa.Column(
            "exercises", sa.Text, nullable=True,
            comment="JSON: the clinic's own exercises this version uses, as saved, with their photo's SHA-256",
        ))
    op.create_table(
        "exercise_photos",
        sa.Column("clinic_id", sa.Integer),
        sa.Column("sha256", sa.String(64)),
        sa.Column("photo", sa.LargeBinary, nullable=False),
        sa.Column("created_at", Time, nullable=False),
        sa.PrimaryKeyConstraint("clinic_id", "sha256", name="pk_exercise_photos"),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinics.id"], name="fk_exercise_photos_clinic_id_clinics"),
    )


def downgrade() -> None:
    op.drop_table("exercise_photos")
    with op.batch_alter_table("program_versions") as batch:
        batch.drop_column("exercises")
