"""Patient links: one web link per program (its token stored only as a SHA-256), and the patients' check-ins.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

Time = sa.DateTime(timezone=True)  # frozen copy of the column type at this revision


def upgrade() -> None:
    op.create_table(
        "patient_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("clinic_id", sa.Integer, nullable=False),
        sa.Column("program_id", sa.Integer, nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, comment="SHA-256 of the link's token"),
        sa.Column("created_at", Time, nullable=False),
        sa.Column("updated_at", Time, nullable=False),
        sa.Column("expires_at", Time, nullable=False),
        sa.Column("revoked_at", Time, nullable=True),
        sa.Column("reminder_days", sa.String(20), nullable=True,
                  comment="weekdays the patient chose for reminder emails (0 Monday … 6 Sunday), or NULL: none"),
        sa.Column("reminder_consent_at", Time, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_patient_links"),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinics.id"], name="fk_patient_links_clinic_id_clinics"),
        sa.ForeignKeyConstraint(["program_id"], ["programs.id"], name="fk_patient_links_program_id_programs"),
        sa.UniqueConstraint("program_id", name="uq_patient_links_program_id"),
        sa.UniqueConstraint("token_hash", name="uq_patient_links_token_hash"),
    )
    op.create_table(
        "link_check_ins",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("clinic_id", sa.Integer, nullable=False),
        sa.Column("link_id", sa.Integer, nullable=False),
        sa.Column("program_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("done", sa.Text, nullable=True, comment="JSON list of the exercise ids done (kind session)"),
        sa.Column("pain", sa.SmallInteger, nullable=True),
        sa.Column("morning", sa.String(6), nullable=True),
        sa.Column("created_at", Time, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_link_check_ins"),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinics.id"], name="fk_link_check_ins_clinic_id_clinics"),
        sa.ForeignKeyConstraint(["link_id"], ["patient_links.id"], name="fk_link_check_ins_link_id_patient_links"),
        sa.ForeignKeyConstraint(["program_id", "version"], ["program_versions.program_id", "program_versions.version"],
                                name="fk_link_check_ins_program_id_program_versions"),
        sa.CheckConstraint("kind IN ('session', 'morning', 'week')", name="ck_link_check_ins_kind_known"),
        sa.CheckConstraint("pain BETWEEN 0 AND 10", name="ck_link_check_ins_pain_range"),
        sa.CheckConstraint("morning IN ('better', 'same', 'worse')", name="ck_link_check_ins_morning_known"),
    )
    op.create_index("ix_link_check_ins_program_id_created_at", "link_check_ins", ["program_id", "created_at"])
    op.create_index("ix_link_check_ins_link_id_created_at", "link_check_ins", ["link_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_link_check_ins_link_id_created_at", table_name="link_check_ins")
    op.drop_index("ix_link_check_ins_program_id_created_at", table_name="link_check_ins")
    op.drop_table("link_check_ins")
    op.drop_table("patient_links")
