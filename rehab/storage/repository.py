"""The repository: one object per database, one transaction per use case, domain records in and out.

``Repository.transaction()`` opens a connection and a transaction and yields a ``Tx`` whose methods read and
write rows of one clinic. Anything raised inside rolls the whole transaction back, so a failed save leaves
no half-written version behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterator

from sqlalchemy import Engine, delete, func, insert, make_url, select, update
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import IntegrityError

from ..domain.records import (
    PatientDetails,
    PatientRecord,
    ProgramSummary,
    ReviewCheckIn,
    ReviewVisit,
    StoredVersion,
    VersionInfo,
)
from . import tables as t
from .accounts_queries import AccountQueries
from .clinic_queries import ClinicQueries
from .db import describe, make_engine, sqlite_path, translate_errors, upgrade, write_options
from .draft_queries import DraftQueries
from .errors import ArchivedRecord, ConflictError, NotFound
from .link_queries import LinkQueries
from .outbox_queries import OutboxQueries
from .search import name_terms, prefix_range, search_key
from .tables import DEFAULT_CLINIC_ID
from .template_queries import TemplateQueries


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Repository:
    """Records of one clinic in the database behind ``engine``."""

    def __init__(self, engine: Engine, clinic_id: int = DEFAULT_CLINIC_ID):
        self.engine = engine
        self.clinic_id = clinic_id

    @contextlib.contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[Tx]:
        """One transaction; ``write=True`` takes SQLite's write lock at the start so writers queue, not fail."""
        options = write_options(self.engine) if write else {}
        with (
            translate_errors(self.engine),
            self.engine.connect().execution_options(**options) as connection,
            connection.begin(),
        ):
            yield Tx(connection, self.clinic_id)


def _patient(row: Row) -> PatientRecord:
    data = dict(row._mapping)
    for column in ("clinic_id", "name_key"):
        data.pop(column, None)
    return PatientRecord.model_validate(data)


def _version(row: Row) -> VersionInfo:
    return VersionInfo(
        program_id=row.program_id,
        version=row.version,
        author=row.author,
        created_at=row.created_at,
        copied_from_program_id=row.copied_from_program_id,
        copied_from_version=row.copied_from_version,
    )


_SUMMARY_COLUMNS = (
    t.programs.c.id,
    t.programs.c.patient_id,
    t.patients.c.name.label("patient_name"),
    t.programs.c.title,
    t.programs.c.current_version,
    t.programs.c.created_at,
    t.programs.c.updated_at,
    t.programs.c.archived_at,
)


class Tx(ClinicQueries, TemplateQueries, DraftQueries, LinkQueries, OutboxQueries, AccountQueries):
    """Reads and writes inside one open transaction, always scoped to one clinic."""

    def __init__(self, connection: Connection, clinic_id: int):
        self.connection = connection
        self.clinic_id = clinic_id
        self.now = utc_now()  # one timestamp per transaction: rows written together share it

    def for_clinic(self, clinic_id: int) -> Tx:
        """The same transaction, scoped to another clinic (sign-in and accounts work across clinics)."""
        return Tx(self.connection, clinic_id)

    # --- patients -------------------------------------------------------------------------------------------

    def add_patient(self, details: PatientDetails) -> PatientRecord:
        values = self._patient_values(details)
        patient_id = self.connection.execute(
            insert(t.patients).values(
                clinic_id=self.clinic_id, created_at=self.now, updated_at=self.now, archived_at=None, **values
            )
        ).inserted_primary_key[0]
        self._index_name(patient_id, details.name)
        return self.get_patient(patient_id)

    def update_patient(self, patient_id: int, details: PatientDetails) -> PatientRecord:
        current = self.get_patient(patient_id)
        if current.archived:
            raise ArchivedRecord(f"patient {patient_id} is archived; restore the patient before changing details")
        self.connection.execute(
            update(t.patients)
            .where(t.patients.c.id == patient_id)
            .values(updated_at=self.now, **self._patient_values(details))
        )
        self.connection.execute(delete(t.patient_terms).where(t.patient_terms.c.patient_id == patient_id))
        self._index_name(patient_id, details.name)
        return self.get_patient(patient_id)

    @staticmethod
    def _patient_values(details: PatientDetails) -> dict:
        values = details.model_dump()
        values["affected_side"] = details.affected_side.value if details.affected_side else None
        values["name_key"] = search_key(details.name)
        return values

    def _index_name(self, patient_id: int, name: str) -> None:
        rows = [{"patient_id": patient_id, "term": term, "clinic_id": self.clinic_id} for term in name_terms(name)]
        if rows:
            self.connection.execute(insert(t.patient_terms), rows)

    def get_patient(self, patient_id: int) -> PatientRecord:
        row = self.connection.execute(
            select(t.patients).where(t.patients.c.id == patient_id, t.patients.c.clinic_id == self.clinic_id)
        ).first()
        if row is None:
            raise NotFound(f"patient {patient_id} does not exist")
        return _patient(row)

    def find_patients(self, text: str = "", *, include_archived: bool = False, limit: int = 50) -> list[PatientRecord]:
        """Patients whose name has a word starting with ``text`` (folded), best-matching word order first."""
        key = search_key(text)
        if not key:
            query = select(t.patients).where(t.patients.c.clinic_id == self.clinic_id)
            if not include_archived:
                query = query.where(t.patients.c.archived_at.is_(None))
            rows = self.connection.execute(query.order_by(t.patients.c.name_key, t.patients.c.id).limit(limit))
            return [_patient(row) for row in rows]
        low, high = prefix_range(key)
        term = t.patient_terms.c.term
        # Both tables filtered by clinic: a search term never finds another clinic's patient, whatever a row says.
        conditions = [t.patient_terms.c.clinic_id == self.clinic_id, t.patients.c.clinic_id == self.clinic_id,
                      term >= low]
        if high is not None:
            conditions.append(term < high)
        if not include_archived:
            conditions.append(t.patients.c.archived_at.is_(None))
        query = (
            select(t.patients)
            .join(t.patient_terms, t.patient_terms.c.patient_id == t.patients.c.id)
            .where(*conditions)
            .order_by(term, t.patients.c.id)
            .limit(limit * 2)  # a name can match on two words; duplicates are dropped below
        )
        found: dict[int, PatientRecord] = {}
        for row in self.connection.execute(query):
            found.setdefault(row.id, _patient(row))
        return list(found.values())[:limit]

    def patients_named(self, details: PatientDetails) -> list[PatientRecord]:
        """Patients (archived too) with the same folded name, email and, when given, date of birth."""
        query = select(t.patients).where(
            t.patients.c.clinic_id == self.clinic_id,
            t.patients.c.name_key == search_key(details.name),
            t.patients.c.email.is_(None) if details.email is None else t.patients.c.email == details.email,
        )
        if details.date_of_birth is not None:
            query = query.where(t.patients.c.date_of_birth == details.date_of_birth)
        return [_patient(row) for row in self.connection.execute(query.order_by(t.patients.c.id))]

    def set_patient_archived(self, patient_id: int, archived: bool) -> PatientRecord:
        self.get_patient(patient_id)
        self.connection.execute(
            update(t.patients)
            .where(t.patients.c.id == patient_id)
            .values(archived_at=self.now if archived else None, updated_at=self.now)
        )
        return self.get_patient(patient_id)

    # --- programs and versions -----------------------------------------------------------------------------

    def create_program(
        self,
        patient_id: int,
        title: str,
        document: str,
        author: str,
        *,
        copied_from: tuple[int, int] | None = None,
        exercises: str | None = None,
    ) -> VersionInfo:
        program_id = self.connection.execute(
            insert(t.programs).values(
                clinic_id=self.clinic_id,
                patient_id=patient_id,
                title=title,
                current_version=1,
                created_at=self.now,
                updated_at=self.now,
                archived_at=None,
            )
        ).inserted_primary_key[0]
        return self._insert_version(program_id, 1, document, author, copied_from, exercises)

    def add_version(
        self, program_id: int, base_version: int, title: str, document: str, author: str, exercises: str | None = None
    ) -> VersionInfo:
        """Version ``base_version + 1``, only if nobody saved since ``base_version`` (else ConflictError)."""
        # The compare-and-set is one UPDATE: on PostgreSQL a concurrent saver blocks on the row lock and then
        # sees the new version; on SQLite writers are serialised by BEGIN IMMEDIATE.
        result = self.connection.execute(
            update(t.programs)
            .where(
                t.programs.c.id == program_id,
                t.programs.c.clinic_id == self.clinic_id,
                t.programs.c.current_version == base_version,
                t.programs.c.archived_at.is_(None),
            )
            .values(current_version=base_version + 1, title=title, updated_at=self.now)
        )
        if result.rowcount != 1:
            program = self.get_program(program_id)
            if program.archived:
                raise ArchivedRecord(f"program {program_id} is archived; restore it before saving a new version")
            raise ConflictError(program_id, base_version, program.current_version)
        return self._insert_version(program_id, base_version + 1, document, author, None, exercises)

    def _insert_version(
        self,
        program_id: int,
        version: int,
        document: str,
        author: str,
        copied_from: tuple[int, int] | None,
        exercises: str | None,
    ) -> VersionInfo:
        values = {
            "program_id": program_id,
            "version": version,
            "document": document,
            "author": author,
            "created_at": self.now,
            "copied_from_program_id": copied_from[0] if copied_from else None,
            "copied_from_version": copied_from[1] if copied_from else None,
            "exercises": exercises,
        }
        try:
            with self.connection.begin_nested():
                self.connection.execute(insert(t.program_versions).values(**values))
        except IntegrityError:
            current = self.get_program(program_id).current_version
            raise ConflictError(program_id, version - 1, current) from None
        return VersionInfo(**{k: v for k, v in values.items() if k not in ("document", "exercises")})

    def add_review_visit(self, program_id: int, version: int, check_ins: list[ReviewCheckIn], author: str) -> None:
        """Keep a review's answers and decisions with the version it saved (in the same transaction)."""
        self.get_program(program_id)  # another clinic's program is NotFound
        document = json.dumps([c.model_dump(mode="json") for c in check_ins], ensure_ascii=False, sort_keys=True)
        self.connection.execute(insert(t.review_visits).values(
            clinic_id=self.clinic_id, program_id=program_id, version=version, check_ins=document, author=author,
            created_at=self.now,
        ))

    def review_visits(self, program_id: int) -> list[ReviewVisit]:
        """The program's review visits, oldest first."""
        self.get_program(program_id)
        rows = self.connection.execute(
            select(t.review_visits)
            .where(t.review_visits.c.program_id == program_id, t.review_visits.c.clinic_id == self.clinic_id)
            .order_by(t.review_visits.c.version, t.review_visits.c.id)
        )
        return [
            ReviewVisit(id=row.id, program_id=row.program_id, version=row.version, author=row.author,
                        created_at=row.created_at,
                        check_ins=tuple(ReviewCheckIn.model_validate(c) for c in json.loads(row.check_ins)))
            for row in rows
        ]

    def _summaries(self):
        return (
            select(*_SUMMARY_COLUMNS)
            .join(t.patients, t.patients.c.id == t.programs.c.patient_id)
            .where(t.programs.c.clinic_id == self.clinic_id, t.patients.c.clinic_id == self.clinic_id)
        )

    def get_program(self, program_id: int) -> ProgramSummary:
        row = self.connection.execute(self._summaries().where(t.programs.c.id == program_id)).first()
        if row is None:
            raise NotFound(f"program {program_id} does not exist")
        return ProgramSummary.model_validate(dict(row._mapping))

    def list_programs(
        self, *, patient_ids: list[int] | None = None, include_archived: bool = False, limit: int = 500
    ) -> list[ProgramSummary]:
        query = self._summaries()
        if patient_ids is not None:
            query = query.where(t.programs.c.patient_id.in_(patient_ids))
        if not include_archived:
            query = query.where(t.programs.c.archived_at.is_(None), t.patients.c.archived_at.is_(None))
        query = query.order_by(t.programs.c.updated_at.desc(), t.programs.c.id.desc()).limit(limit)
        return [ProgramSummary.model_validate(dict(row._mapping)) for row in self.connection.execute(query)]

    def list_versions(self, program_id: int) -> list[VersionInfo]:
        self.get_program(program_id)
        columns = [c for c in t.program_versions.c if c.name not in ("document", "exercises")]
        rows = self.connection.execute(
            select(*columns).where(t.program_versions.c.program_id == program_id).order_by(t.program_versions.c.version)
        )
        return [_version(row) for row in rows]

    def get_version(self, program_id: int, version: int | None = None) -> StoredVersion:
        program = self.get_program(program_id)
        wanted = program.current_version if version is None else version
        row = self.connection.execute(
            select(t.program_versions).where(
                t.program_versions.c.program_id == program_id, t.program_versions.c.version == wanted
            )
        ).first()
        if row is None:
            raise NotFound(f"program {program_id} has no version {wanted} (versions 1-{program.current_version})")
        return StoredVersion(info=_version(row), patient_id=program.patient_id, document=row.document,
                             exercises=row.exercises)

    def keep_photo(self, sha256: str, photo: bytes) -> None:
        """Store a photo a version shows, once per content."""
        kept = self.connection.scalar(select(t.exercise_photos.c.sha256).where(
            t.exercise_photos.c.clinic_id == self.clinic_id, t.exercise_photos.c.sha256 == sha256))
        if kept is None:
            self.connection.execute(insert(t.exercise_photos).values(
                clinic_id=self.clinic_id, sha256=sha256, photo=photo, created_at=self.now))

    def kept_photo(self, sha256: str) -> bytes | None:
        return self.connection.scalar(select(t.exercise_photos.c.photo).where(
            t.exercise_photos.c.clinic_id == self.clinic_id, t.exercise_photos.c.sha256 == sha256))

    def set_program_archived(self, program_id: int, archived: bool) -> ProgramSummary:
        self.get_program(program_id)
        self.connection.execute(
            update(t.programs)
            .where(t.programs.c.id == program_id)
            .values(archived_at=self.now if archived else None, updated_at=self.now)
        )
        return self.get_program(program_id)

    def count(self, table_name: str) -> int:
        """Rows of this clinic in ``table_name`` (program versions: of this clinic's programs)."""
        table = t.metadata.tables[table_name]
        query = select(func.count()).select_from(table)
        if "clinic_id" in table.c:
            query = query.where(table.c.clinic_id == self.clinic_id)
        elif table is t.clinics:
            query = query.where(table.c.id == self.clinic_id)
        elif table is t.program_versions:
            query = query.join(t.programs, t.programs.c.id == table.c.program_id).where(
                t.programs.c.clinic_id == self.clinic_id
            )
        else:
            raise ValueError(f"{table_name} holds no clinic's rows")
        return self.connection.scalar(query) or 0


def open_repository(url: str | None = None, *, engine: Engine | None = None, migrate: bool = True) -> Repository:
    """The repository for the database at ``url`` (or ``engine``), with the schema upgraded first by default."""
    if engine is None:
        if url is None:
            raise ValueError("give a database url or an engine")
        engine = make_engine(url)
    if migrate:
        upgrade(engine)
    return Repository(engine)


def database_exists(url: str) -> bool:
    """False only for a SQLite file that is not there yet (looking never creates it); a server database exists."""
    parsed = make_url(url)
    path = sqlite_path(parsed)
    return parsed.get_backend_name() != "sqlite" or (path is not None and path.exists())


def upgrade_database(repo: Repository) -> tuple[str, str]:
    """Bring the schema up to date (a no-op when current): (where the data lives, without a password; revision)."""
    return describe(repo.engine), upgrade(repo.engine)
