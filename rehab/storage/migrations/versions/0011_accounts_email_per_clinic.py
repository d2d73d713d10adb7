"""An email is unique within a clinic, not in the whole database: a clinic's admin adding an address that another
clinic uses must not be refused (a refusal would tell them that the other clinic has an account for it). Sign-in
looks the email up in every clinic and the password decides (rehab.services.accounts.sign_in).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("clinicians") as batch:
        batch.drop_constraint("uq_clinicians_email", type_="unique")
        batch.create_unique_constraint("uq_clinicians_clinic_id_email", ["clinic_id", "email"])
    op.create_index("ix_clinicians_email", "clinicians", ["email"])


def downgrade() -> None:
    """Refused while an email has accounts in two clinics (the old unique rule cannot hold them)."""
    op.drop_index("ix_clinicians_email", table_name="clinicians")
    with op.batch_alter_table("clinicians") as batch:
        batch.drop_constraint("uq_clinicians_clinic_id_email", type_="unique")
        batch.create_unique_constraint("uq_clinicians_email", ["email"])
