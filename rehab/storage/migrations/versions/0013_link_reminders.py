"""Patient link reminders: the stop link's token and the day the last reminder was queued.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("patient_links") as batch:
        batch.add_column(sa.Column("reminder_stop", sa.String(64), nullable=True,
                                   comment="random id of the reminder emails' stop link: it can only stop them"))
        batch.add_column(sa.Column("last_reminded_on", sa.Date, nullable=True))
        batch.create_unique_constraint("uq_patient_links_reminder_stop", ["reminder_stop"])


def downgrade() -> None:
    with op.batch_alter_table("patient_links") as batch:
        batch.drop_constraint("uq_patient_links_reminder_stop", type_="unique")
        batch.drop_column("last_reminded_on")
        batch.drop_column("reminder_stop")
