"""Clinic templates: a clinic's own program templates, and the audit log's template id.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

Time = sa.DateTime(timezone=True)  # frozen copy of the column type at this revision


def upgrade() -> None:
    op.create_table(
        "clinic_templates",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("clinic_id", sa.Integer, nullable=False),
        sa.Column("title", sa.String(200), nullable=False,
                  comment="the document's title, for lists without parsing it"),
        sa.Column("document", sa.Text, nullable=False, comment="canonical rehab.template/1 JSON"),
        sa.Column("created_at", Time, nullable=False),
        sa.Column("updated_at", Time, nullable=False),
        sa.Column("retired_at", Time, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_clinic_templates"),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinics.id"], name="fk_clinic_templates_clinic_id_clinics"),
    )
    op.create_index("ix_clinic_templates_clinic_id_title", "clinic_templates", ["clinic_id", "title"])
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("template_id", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("template_id")
    op.drop_index("ix_clinic_templates_clinic_id_title", table_name="clinic_templates")
    op.drop_table("clinic_templates")
