"""Initial schema: clinic, clinicians, patients, versioned programs, custom exercises, outcomes, outbox, audit.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen copies of the column types at this revision; later revisions must not change these lines.
Time = sa.DateTime(timezone=True)
SearchKey = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def _stamps() -> list[sa.Column]:
    return [sa.Column("created_at", Time, nullable=False), sa.Column("updated_at", Time, nullable=False)]


def upgrade() -> None:
    op.create_table(
        "clinics",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("profile", sa.Text, nullable=False, comment="rehab.clinic/1 fields as JSON, without the logo"),
        sa.Column("logo", sa.LargeBinary, nullable=True),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_clinics"),
    )
    op.create_table(
        "clinicians",
        sa.Column("id", sa.Integer),
        sa.Column("clinic_id", sa.Integer, nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name="pk_clinicians"),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinics.id"], name="fk_clinicians_clinic_id_clinics"),
        sa.UniqueConstraint("email", name="uq_clinicians_email"),
    )
    op.create_index("ix_clinicians_clinic_id", "clinicians", ["clinic_id"])
    op.create_table(
        "patients",
        sa.Column("id", sa.Integer),
        sa.Column("clinic_id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", SearchKey, nullable=False, comment="folded name: lower case, no accents"),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("phone", sa.String(40), nullable=True),
        sa.Column("date_of_birth", sa.Date, nullable=True),
        sa.Column("email_consent", sa.Boolean, nullable=False),
        sa.Column("affected_side", sa.String(5), nullable=True),
        sa.Column("notes", sa.Text, nullable=False),
        *_stamps(),
        sa.Column("archived_at", Time, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_patients"),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinics.id"], name="fk_patients_clinic_id_clinics"),
        sa.CheckConstraint("length(notes) <= 10000", name="ck_patients_notes_length"),
    )
    op.create_index("ix_patients_clinic_id_name_key", "patients", ["clinic_id", "name_key"])
    op.create_table(
        "patient_terms",
        sa.Column("patient_id", sa.Integer),
        sa.Column("term", SearchKey),
        sa.Column("clinic_id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("patient_id", "term", name="pk_patient_terms"),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name="fk_patient_terms_patient_id_patients", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_patient_terms_clinic_id_term_patient_id", "patient_terms", ["clinic_id", "term", "patient_id"])
    op.create_table(
        "programs",
        sa.Column("id", sa.Integer),
        sa.Column("clinic_id", sa.Integer, nullable=False),
        sa.Column("patient_id", sa.Integer, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("current_version", sa.Integer, nullable=False, comment="the optimistic-concurrency token"),
        *_stamps(),
        sa.Column("archived_at", Time, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_programs"),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinics.id"], name="fk_programs_clinic_id_clinics"),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name="fk_programs_patient_id_patients"),
        sa.CheckConstraint("current_version >= 1", name="ck_programs_current_version_positive"),
    )
    op.create_index("ix_programs_patient_id", "programs", ["patient_id"])
    op.create_table(
        "program_versions",
        sa.Column("program_id", sa.Integer),
        sa.Column("version", sa.Integer),
        sa.Column("document", sa.Text, nullable=False, comment="canonical rehab.program/1 JSON, never changed"),
        sa.Column("author", sa.String(254), nullable=False),
        sa.Column("created_at", Time, nullable=False),
        sa.Column("copied_from_program_id", sa.Integer, nullable=True),
        sa.Column("copied_from_version", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("program_id", "version", name="pk_program_versions"),
        sa.ForeignKeyConstraint(["program_id"], ["programs.id"], name="fk_program_versions_program_id_programs"),
        sa.CheckConstraint("version >= 1", name="ck_program_versions_version_positive"),
    )
    op.create_table(
        "custom_exercises",
        sa.Column("clinic_id", sa.Integer),
        sa.Column("exercise_id", sa.String(64)),
        sa.Column("document", sa.Text, nullable=False, comment="the Exercise as JSON"),
        *_stamps(),
        sa.Column("archived_at", Time, nullable=True),
        sa.PrimaryKeyConstraint("clinic_id", "exercise_id", name="pk_custom_exercises"),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinics.id"], name="fk_custom_exercises_clinic_id_clinics"),
    )
    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer),
        sa.Column("clinic_id", sa.Integer, nullable=False),
        sa.Column("patient_id", sa.Integer, nullable=False),
        sa.Column("recorded_on", sa.Date, nullable=False),
        sa.Column("worst_pain", sa.SmallInteger, nullable=False),
        sa.Column("function_score", sa.SmallInteger, nullable=True),
        sa.Column("instrument", sa.String(60), nullable=True),
        sa.Column("global_change", sa.SmallInteger, nullable=True),
        sa.Column("author", sa.String(254), nullable=False),
        sa.Column("created_at", Time, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_outcomes"),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinics.id"], name="fk_outcomes_clinic_id_clinics"),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name="fk_outcomes_patient_id_patients"),
        sa.CheckConstraint("worst_pain BETWEEN 0 AND 10", name="ck_outcomes_worst_pain_range"),
        sa.CheckConstraint("function_score BETWEEN 0 AND 100", name="ck_outcomes_function_score_range"),
        sa.CheckConstraint("global_change BETWEEN -3 AND 3", name="ck_outcomes_global_change_range"),
        sa.CheckConstraint("(function_score IS NULL) = (instrument IS NULL)", name="ck_outcomes_score_has_instrument"),
    )
    op.create_index("ix_outcomes_patient_id_recorded_on", "outcomes", ["patient_id", "recorded_on"])
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer),
        sa.Column("clinic_id", sa.Integer, nullable=False),
        sa.Column("patient_id", sa.Integer, nullable=False),
        sa.Column("program_id", sa.Integer, nullable=False),
        sa.Column("program_version", sa.Integer, nullable=False),
        sa.Column("recipient", sa.String(254), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("next_attempt_at", Time, nullable=False),
        sa.Column("claimed_by", sa.String(100), nullable=True),
        sa.Column("claimed_at", Time, nullable=True),
        sa.Column("created_at", Time, nullable=False),
        sa.Column("sent_at", Time, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.ForeignKeyConstraint(["clinic_id"], ["clinics.id"], name="fk_outbox_clinic_id_clinics"),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], name="fk_outbox_patient_id_patients"),
        sa.ForeignKeyConstraint(
            ["program_id", "program_version"],
            ["program_versions.program_id", "program_versions.version"],
            name="fk_outbox_program_id_program_versions",
        ),
        sa.CheckConstraint("status IN ('queued', 'sending', 'sent', 'failed')", name="ck_outbox_status_known"),
        sa.CheckConstraint("attempts >= 0", name="ck_outbox_attempts_positive"),
    )
    op.create_index("ix_outbox_status_next_attempt_at", "outbox", ["status", "next_attempt_at"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer),
        sa.Column("clinic_id", sa.Integer, nullable=False),
        sa.Column("at", Time, nullable=False),
        sa.Column("actor", sa.String(254), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("patient_id", sa.Integer, nullable=True),
        sa.Column("program_id", sa.Integer, nullable=True),
        sa.Column("version", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_patient_id", "audit_log", ["patient_id"])

    # The single clinic every row belongs to until accounts add more.
    now = dt.datetime.now(dt.UTC)
    clinics = sa.table(
        "clinics",
        sa.column("id", sa.Integer),
        sa.column("profile", sa.Text),
        sa.column("created_at", Time),
        sa.column("updated_at", Time),
    )
    if op.get_bind().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # SQLite stores naive UTC, like rehab.storage.tables.UtcDateTime
    op.bulk_insert(clinics, [{"id": 1, "profile": "{}", "created_at": now, "updated_at": now}])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('clinics', 'id'), 1)")


def downgrade() -> None:
    for table in (
        "audit_log",
        "outbox",
        "outcomes",
        "custom_exercises",
        "program_versions",
        "programs",
        "patient_terms",
        "patients",
        "clinicians",
        "clinics",
    ):
        op.drop_table(table)
