"""The schema as SQLAlchemy Core tables. Migrations in ``migrations/versions`` create exactly this.

Conventions: integer ids; times are timezone-aware UTC on both engines; every clinic-owned row has a
``clinic_id`` so a later accounts change can scope each query to one clinic; program versions are immutable
(rows are only ever inserted); the audit log holds ids, never names or notes.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)

from ..domain.records import OutboxStatus

DEFAULT_CLINIC_ID = 1

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UtcDateTime(TypeDecorator):
    """Aware UTC datetimes in and out; SQLite would otherwise hand back naive values."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store aware UTC times only")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def search_key_type() -> String:
    # Prefix search is a range scan on this column; PostgreSQL must compare code points ("C"), not the
    # database locale, or a range like ['zoe', 'zof') misses rows. SQLite's default BINARY order already does.
    return Text().with_variant(Text(collation="C"), "postgresql")


def _now_cols() -> list[Column]:
    return [
        Column("created_at", UtcDateTime(), nullable=False),
        Column("updated_at", UtcDateTime(), nullable=False),
    ]


clinics = Table(
    "clinics",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("profile", Text, nullable=False, comment="rehab.clinic/1 fields as JSON, without the logo"),
    Column("logo", LargeBinary, nullable=True),
    *_now_cols(),
)

clinicians = Table(
    "clinicians",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("clinic_id", Integer, ForeignKey("clinics.id"), nullable=False, index=True),
    Column("email", String(254), nullable=False, index=True),  # unique per clinic: see the constraint
    Column("name", String(200), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(20), nullable=False),
    Column("active", Boolean, nullable=False),
    *_now_cols(),
    UniqueConstraint("clinic_id", "email"),  # one account per email in a clinic; other clinics may use it too
)

# Failed sign-ins per account (keyed by the email, known or not), per client and per known browser of an
# account (device), shared by every app instance.
# Not exported: it is short-lived security state, and its keys are hashes that mean nothing elsewhere.
sign_in_throttle = Table(
    "sign_in_throttle",
    metadata,
    Column("scope", String(10), primary_key=True),
    Column("key", String(64), primary_key=True, comment="SHA-256 of the email or client id, never the value itself"),
    Column("failures", Integer, nullable=False),
    Column("last_failed_at", UtcDateTime(), nullable=True),
    Column("locked_until", UtcDateTime(), nullable=True),
    CheckConstraint("scope IN ('account', 'client', 'device')", name="scope_known"),
    CheckConstraint("failures >= 0", name="failures_positive"),
)

# Signed-in browsers: the cookie holds a random id, this table only its SHA-256. A row is the session: deleting it
# signs that browser out at its next click. Not exported, like the throttle: sessions belong to this database.
sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True, comment="SHA-256 of the cookie's id"),
    Column("clinician_id", Integer, ForeignKey("clinicians.id"), nullable=False, index=True),
    Column("clinic_id", Integer, ForeignKey("clinics.id"), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("last_seen_at", UtcDateTime(), nullable=False),
    Column("user_agent", String(200), nullable=False),
)

# Browsers that signed in to an account before (the long-lived device cookie, hashed): their failed sign-ins are
# counted apart, so guesses from elsewhere cannot lock the real person out. Not exported.
sign_in_devices = Table(
    "sign_in_devices",
    metadata,
    Column("clinician_id", Integer, ForeignKey("clinicians.id"), primary_key=True),
    Column("device_hash", String(64), primary_key=True, comment="SHA-256 of the device cookie"),
    Column("last_sign_in_at", UtcDateTime(), nullable=False),
)

patients = Table(
    "patients",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("clinic_id", Integer, ForeignKey("clinics.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("name_key", search_key_type(), nullable=False, comment="folded name: lower case, no accents"),
    Column("email", String(254), nullable=True),
    Column("phone", String(40), nullable=True),
    Column("date_of_birth", Date, nullable=True),
    Column("email_consent", Boolean, nullable=False),
    Column("affected_side", String(5), nullable=True),
    Column("notes", Text, nullable=False),
    *_now_cols(),
    Column("archived_at", UtcDateTime(), nullable=True),
    CheckConstraint("length(notes) <= 10000", name="notes_length"),
    Index(None, "clinic_id", "name_key"),
)

# One row per word start of each name ("zoe nunez", "nunez"), so a prefix finds a patient by any name part.
patient_terms = Table(
    "patient_terms",
    metadata,
    Column("patient_id", Integer, ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True),
    Column("term", search_key_type(), primary_key=True),
    Column("clinic_id", Integer, nullable=False),
    Index(None, "clinic_id", "term", "patient_id"),
)

programs = Table(
    "programs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("clinic_id", Integer, ForeignKey("clinics.id"), nullable=False),
    Column("patient_id", Integer, ForeignKey("patients.id"), nullable=False, index=True),
    Column("title", String(200), nullable=False),
    Column("current_version", Integer, nullable=False, comment="the optimistic-concurrency token"),
    *_now_cols(),
    Column("archived_at", UtcDateTime(), nullable=True),
    CheckConstraint("current_version >= 1", name="current_version_positive"),
)

program_versions = Table(
    "program_versions",
    metadata,
    Column("program_id", Integer, ForeignKey("programs.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("document", Text, nullable=False, comment="canonical rehab.program/1 JSON, never changed"),
    Column("author", String(254), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("copied_from_program_id", Integer, nullable=True),
    Column("copied_from_version", Integer, nullable=True),
    Column("exercises", Text, nullable=True,
           comment="JSON: the clinic's own exercises this version uses, as saved, with their photo's SHA-256"),
    CheckConstraint("version >= 1", name="version_positive"),
)

custom_exercises = Table(
    "custom_exercises",
    metadata,
    Column("clinic_id", Integer, ForeignKey("clinics.id"), primary_key=True),
    Column("exercise_id", String(64), primary_key=True),
    Column("document", Text, nullable=False, comment="the Exercise as JSON"),
    *_now_cols(),
    Column("archived_at", UtcDateTime(), nullable=True),
    Column("photo", LargeBinary, nullable=True, comment="PNG or JPEG, checked like the clinic logo"),
)

outcomes = Table(
    "outcomes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("clinic_id", Integer, ForeignKey("clinics.id"), nullable=False),
    Column("patient_id", Integer, ForeignKey("patients.id"), nullable=False),
    Column("recorded_on", Date, nullable=False),
    Column("worst_pain", SmallInteger, nullable=False),
    Column("function_score", SmallInteger, nullable=True),
    Column("instrument", String(60), nullable=True),
    Column("global_change", SmallInteger, nullable=True),
    Column("author", String(254), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    CheckConstraint("worst_pain BETWEEN 0 AND 10", name="worst_pain_range"),
    CheckConstraint("function_score BETWEEN 0 AND 100", name="function_score_range"),
    CheckConstraint("global_change BETWEEN -3 AND 3", name="global_change_range"),
    CheckConstraint("(function_score IS NULL) = (instrument IS NULL)", name="score_has_instrument"),
    Index(None, "patient_id", "recorded_on"),
)

# unknown: handed to the mail server in full, its answer never came; it may have arrived, so never resent by itself.
OUTBOX_STATUSES = tuple(status.value for status in OutboxStatus)  # the CHECK constraint's list

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("clinic_id", Integer, ForeignKey("clinics.id"), nullable=False),
    Column("patient_id", Integer, ForeignKey("patients.id"), nullable=False),
    Column("program_id", Integer, nullable=False),
    Column("program_version", Integer, nullable=False),
    Column("recipient", String(254), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(10), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text, nullable=True),
    Column("next_attempt_at", UtcDateTime(), nullable=False),
    Column("claimed_by", String(100), nullable=True),
    Column("claimed_at", UtcDateTime(), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("sent_at", UtcDateTime(), nullable=True),
    Column(
        "raw_message",
        LargeBinary,
        nullable=True,
        comment="the whole email as queued (RFC 5322 bytes, PDF attached); sent as is on every try",
    ),
    ForeignKeyConstraint(
        ["program_id", "program_version"], ["program_versions.program_id", "program_versions.version"]
    ),
    CheckConstraint(f"status IN ({', '.join(repr(status) for status in OUTBOX_STATUSES)})", name="status_known"),
    CheckConstraint("attempts >= 0", name="attempts_positive"),
    Index(None, "status", "next_attempt_at"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("clinic_id", Integer, nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor", String(254), nullable=False),
    Column("action", String(40), nullable=False),
    # No foreign keys: the trail must outlive anything it points at.
    Column("patient_id", Integer, nullable=True, index=True),
    Column("program_id", Integer, nullable=True),
    Column("version", Integer, nullable=True),
    Column("outbox_id", Integer, nullable=True),
    Column("template_id", Integer, nullable=True),
)

# The unsaved program on the Build page, one per patient and program (program_key 0: a program not saved yet).
# Rows are replaced on every change and deleted when the program is saved or the draft discarded.
drafts = Table(
    "drafts",
    metadata,
    Column("clinic_id", Integer, ForeignKey("clinics.id"), primary_key=True),
    Column("patient_id", Integer, ForeignKey("patients.id"), primary_key=True),
    Column("program_key", Integer, primary_key=True, comment="the stored program being edited, or 0 for a new program"),
    Column("base_version", Integer, nullable=True),
    Column("document", Text, nullable=False, comment="the working program as JSON; may be incomplete"),
    Column("author", String(254), nullable=False),
    *_now_cols(),
    CheckConstraint("program_key >= 0", name="program_key_positive"),
)

exercise_photos = Table(  # every photo a saved version showed, kept by content so versions re-render the same
    "exercise_photos",
    metadata,
    Column("clinic_id", Integer, ForeignKey("clinics.id"), primary_key=True),
    Column("sha256", String(64), primary_key=True),
    Column("photo", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

review_visits = Table(
    "review_visits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("clinic_id", Integer, ForeignKey("clinics.id"), nullable=False),
    Column("program_id", Integer, nullable=False),
    Column("version", Integer, nullable=False, comment="the version this review saved"),
    Column("check_ins", Text, nullable=False,
           comment="JSON: per exercise of the reviewed version, the answers and the decision; no free text"),
    Column("author", String(254), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    ForeignKeyConstraint(["program_id", "version"], [program_versions.c.program_id, program_versions.c.version]),
    Index(None, "program_id"),
)

# A clinic's own program templates (``rehab.template/1`` documents), shared by everyone in that clinic only.
# Retired ones stay, so the programs started from them can still say where they came from.
clinic_templates = Table(
    "clinic_templates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("clinic_id", Integer, ForeignKey("clinics.id"), nullable=False),
    Column("title", String(200), nullable=False, comment="the document's title, for lists without parsing it"),
    Column("document", Text, nullable=False, comment="canonical rehab.template/1 JSON"),
    *_now_cols(),
    Column("retired_at", UtcDateTime(), nullable=True),
    Index(None, "clinic_id", "title"),
)

# A patient's web link to a program (issue 16): one row per program; the token itself is only in the link the
# clinician handed out, the row holds its SHA-256 (so a backup opens no link). Exported with its check-ins: a
# restored database keeps the patients' links working and what they recorded.
patient_links = Table(
    "patient_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("clinic_id", Integer, ForeignKey("clinics.id"), nullable=False),
    Column("program_id", Integer, ForeignKey("programs.id"), nullable=False, unique=True),
    Column("token_hash", String(64), nullable=False, unique=True, comment="SHA-256 of the link's token"),
    *_now_cols(),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("revoked_at", UtcDateTime(), nullable=True),
    Column("reminder_days", String(20), nullable=True,
           comment="weekdays the patient chose for reminder emails (0 Monday … 6 Sunday), or NULL: none"),
    Column("reminder_consent_at", UtcDateTime(), nullable=True),
    Column("reminder_stop", String(64), nullable=True, unique=True,
           comment="random id of the reminder emails' stop link: it can only stop them"),
    Column("last_reminded_on", Date, nullable=True),
)

# What patients record on their link page, kept with the version they were shown. Numbers and ids only.
link_check_ins = Table(
    "link_check_ins",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("clinic_id", Integer, ForeignKey("clinics.id"), nullable=False),
    Column("link_id", Integer, ForeignKey("patient_links.id"), nullable=False),
    Column("program_id", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("done", Text, nullable=True, comment="JSON list of the exercise ids done (kind session)"),
    Column("pain", SmallInteger, nullable=True),
    Column("morning", String(6), nullable=True),
    Column("created_at", UtcDateTime(), nullable=False),
    ForeignKeyConstraint(["program_id", "version"], [program_versions.c.program_id, program_versions.c.version]),
    CheckConstraint("kind IN ('session', 'morning', 'week')", name="kind_known"),
    CheckConstraint("pain BETWEEN 0 AND 10", name="pain_range"),
    CheckConstraint("morning IN ('better', 'same', 'worse')", name="morning_known"),
    Index(None, "program_id", "created_at"),
    Index(None, "link_id", "created_at"),
)

# Parents before children: the order export writes and import inserts.
TABLE_ORDER = (
    clinics,
    clinicians,
    patients,
    patient_terms,
    programs,
    program_versions,
    review_visits,
    custom_exercises,
    clinic_templates,
    exercise_photos,
    outcomes,
    patient_links,
    link_check_ins,
    outbox,
    drafts,
    audit_log,
)
