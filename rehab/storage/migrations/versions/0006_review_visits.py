"""Review visits: what the patient reported per exercise at a review, and what was decided, kept with the version
the review saved.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

Time = sa.DateTime(timezone=True)  # frozen copy of the column type at this revision


def upgrade() -> None:
    op.create_table(
        "review_visits",
        sa.Column("id", sa.Integer),
        sa.Column("clinic_id", sa.Integer, nullable=False),
        sa.Column("program_id", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False, comment="the version this review saved"),
        sa.Column("check_ins", sa.Text, nullable=False,
                  comment="JSON: per exercise of the reviewed version, the answers and the decision; no free text"),
        sa.Column("author", sa.String(254), nullable=False),
        sa.Column("created_at", Time, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_review_visits"),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinics.id"], name="fk_review_visits_clinic_id_clinics"),
        sa.ForeignKeyConstraint(["program_id", "version"], ["program_versions.program_id", "program_versions.version"],
                                name="fk_review_visits_program_id_program_versions"),
    )
    op.create_index("ix_review_visits_program_id", "review_visits", ["program_id"])


def downgrade() -> None:
    op.drop_index("ix_review_visits_program_id", table_name="review_visits")
    op.drop_table("review_visits")
