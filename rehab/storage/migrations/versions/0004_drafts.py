"""Drafts: the unsaved program on the Build page, autosaved so no work is lost.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

Time = sa.DateTime(timezone=True)  # frozen copy of the column type at this revision


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("clinic_id", sa.Integer),
        sa.Column("patient_id", sa.Integer),
        sa.Column("program_key", sa.Integer, comment="the stored program being edited, or 0 for a new program"),
        sa.Column("base_version", sa.Integer, nullable=True),
        sa.Column("document", sa.Text, nullable=False, comment="the working program as JSON; may be incomplete"),
        sa.Column("author", sa.String(254), nullable=False),
        sa.Column("created_at", Time, nullable=False),
        sa.Column("updated_at", Time, nullable=False),
        sa.PrimaryKeyConstraint("clinic_id", "patient_id", "program_key", name="pk_drafts"),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinics.id"], name="fk_drafts_clinic_id_clinics"),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name="fk_drafts_patient_id_patients"),
        sa.CheckConstraint("program_key >= 0", name="ck_drafts_program_key_positive"),
    )


def downgrade() -> None:
    op.drop_table("drafts")
