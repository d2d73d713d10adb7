"""Backup and restore: a JSON export of every table that imports back exactly, and SQLite's online backup.

The export (``rehab.export/1``) lists each table's columns and rows in primary-key order; bytes are base64
and times ISO 8601 with their UTC offset, so export → import → export gives the same file on either engine.
Exports hold patient data: they are written with owner-only permissions.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Column, Date, Engine, Integer, LargeBinary, String, Table, delete, insert, select, text

from . import tables as t
from .db import current_revision, describe, head_revision, sqlite_path, translate_errors, write_options
from .errors import DataNotEmpty, InvalidRecord, StorageError, StorageUnavailable

EXPORT_FORMAT = "rehab.export/1"
# Tables added to the export after rehab.export/1 first shipped, at the same schema revision: an export without
# them still imports (with none of their rows).
ADDED_LATER = frozenset({t.patient_links.name, t.link_check_ins.name})
_CHUNK = 1000


def _encode(column: Column, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, LargeBinary):
        return base64.b64encode(value).decode("ascii")
    if isinstance(column.type, t.UtcDateTime | Date):
        return value.isoformat()
    return value


def _decode(column: Column, value: Any, where: str) -> Any:
    if value is None:
        if not column.nullable or column.primary_key:
            raise ValueError(f"{where}: is required")
        return None
    kind = column.type
    try:
        if isinstance(kind, LargeBinary):
            return base64.b64decode(value, validate=True)
        if isinstance(kind, t.UtcDateTime):
            moment = dt.datetime.fromisoformat(value)
            if moment.tzinfo is None:
                raise ValueError("no UTC offset")
            return moment
        if isinstance(kind, Date):
            return dt.date.fromisoformat(value)
    except (TypeError, ValueError, binascii.Error):
        raise ValueError(f"{where}: {type(value).__name__} value is not a valid {kind.__class__.__name__}") from None
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise ValueError(f"{where}: must be true or false")
    elif isinstance(kind, Integer):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"{where}: must be a whole number")
    elif isinstance(kind, String):  # Text is a String too
        if not isinstance(value, str):
            raise ValueError(f"{where}: must be text")
        if kind.length and len(value) > kind.length:
            raise ValueError(f"{where}: is too long ({len(value)} characters; at most {kind.length})")
    return value


def _ordered(table: Table):
    return select(table).order_by(*table.primary_key.columns)


def export_data(engine: Engine) -> dict[str, Any]:
    """Every row of every table, read in one transaction so the export is a consistent snapshot."""
    with translate_errors(engine), engine.connect() as connection, connection.begin():
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        tables = {}
        for table in t.TABLE_ORDER:
            columns = list(table.columns)
            rows = [
                [_encode(column, value) for column, value in zip(columns, row, strict=True)]
                for row in connection.execute(_ordered(table))
            ]
            tables[table.name] = {"columns": [c.name for c in columns], "rows": rows}
    return {"format": EXPORT_FORMAT, "schema_revision": current_revision(engine), "tables": tables}


def dumps_export(data: dict[str, Any]) -> str:
    """One table row per line: diffable, and still plain JSON."""
    lines = [
        "{",
        f'"format":{json.dumps(data["format"])},',
        f'"schema_revision":{json.dumps(data["schema_revision"])},',
    ]
    lines.append('"tables":{')
    names = list(data["tables"])
    for index, name in enumerate(names):
        table = data["tables"][name]
        lines.append(f'{json.dumps(name)}:{{"columns":{json.dumps(table["columns"])},"rows":[')
        rows = [json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in table["rows"]]
        lines.append(",\n".join(rows))
        lines.append("]}" + ("," if index < len(names) - 1 else ""))
    lines.append("}}")
    return "\n".join(line for line in lines if line) + "\n"


def _write_private(path: Path, write) -> None:
    """Write via a temporary file in the same folder, then rename: never a half-written file at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".rehab-", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        os.close(fd)
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_export(engine: Engine, path: Path, *, force: bool = False) -> dict[str, int]:
    """Export to ``path`` (refusing to replace a file unless ``force``); returns row counts per table."""
    if path.exists() and not force:
        raise StorageError(f"{path} already exists; choose another name or use --force to replace it")
    data = export_data(engine)
    _write_private(path, lambda tmp: tmp.write_text(dumps_export(data), encoding="utf-8"))
    return {name: len(table["rows"]) for name, table in data["tables"].items()}


def read_export(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidRecord([f"file not found: {path}"]) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidRecord([f"{path.name}: not a JSON export ({exc})"]) from None
    return data


def _decoded_rows(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise InvalidRecord([f"format: expected '{EXPORT_FORMAT}'"])
    head = head_revision()
    if data.get("schema_revision") != head:
        raise InvalidRecord(
            [f"schema_revision: the export has {data.get('schema_revision')!r}; this version of the app reads {head!r}"]
        )
    given = data.get("tables")
    expected = {table.name for table in t.TABLE_ORDER}
    if not isinstance(given, dict) or not expected - ADDED_LATER <= set(given) <= expected:
        raise InvalidRecord(["tables: must list exactly the tables " + ", ".join(x.name for x in t.TABLE_ORDER)])
    given = {**{name: {"columns": [c.name for c in t.metadata.tables[name].columns], "rows": []}
                for name in ADDED_LATER}, **given}
    decoded: dict[str, list[dict[str, Any]]] = {}
    problems: list[str] = []
    for table in t.TABLE_ORDER:
        entry = given[table.name]
        names = [c.name for c in table.columns]
        if not isinstance(entry, dict) or entry.get("columns") != names or not isinstance(entry.get("rows"), list):
            problems.append(f"tables.{table.name}: expected columns {names} and a list of rows")
            continue
        rows = []
        for index, row in enumerate(entry["rows"]):
            where = f"tables.{table.name}.rows[{index}]"
            if not isinstance(row, list) or len(row) != len(names):
                problems.append(f"{where}: expected {len(names)} values")
                continue
            try:
                rows.append(
                    {c.name: _decode(c, v, f"{where}.{c.name}") for c, v in zip(table.columns, row, strict=True)}
                )
            except ValueError as exc:
                problems.append(str(exc))
        decoded[table.name] = rows
        if len(problems) >= 20:
            break
    if not problems:
        problems = _clinic_mismatches(decoded)
    if problems:
        raise InvalidRecord(problems[:20])
    problems = _template_problems(decoded)
    if problems:
        raise InvalidRecord(problems[:20])
    return decoded


# (table, column, parent): the row's clinic_id must be the clinic_id of the parent row its column points at, so an
# edited export cannot file one clinic's patient, program or email under another clinic. Checked on import, where
# foreign keys alone (which point at an id, not at a clinic) would let such a row in. Program versions have no
# clinic of their own: they belong to their program's.
CLINIC_LINKS = (
    (t.patient_terms, "patient_id", t.patients),
    (t.programs, "patient_id", t.patients),
    (t.outcomes, "patient_id", t.patients),
    (t.outbox, "patient_id", t.patients),
    (t.outbox, "program_id", t.programs),
    (t.drafts, "patient_id", t.patients),
    (t.drafts, "program_key", t.programs),  # 0: a program not saved yet
    (t.review_visits, "program_id", t.programs),
    (t.audit_log, "patient_id", t.patients),
    (t.audit_log, "program_id", t.programs),
    (t.patient_links, "program_id", t.programs),
    (t.link_check_ins, "program_id", t.programs),
    (t.link_check_ins, "link_id", t.patient_links),
)


def _clinic_mismatches(rows: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Rows whose clinic is not their parent's (a missing parent is left to the foreign keys)."""
    parents = {parent for _, _, parent in CLINIC_LINKS}
    clinic_of = {table.name: {row["id"]: row["clinic_id"] for row in rows[table.name]} for table in parents}
    problems = []
    for table, column, parent in CLINIC_LINKS:
        for index, row in enumerate(rows[table.name]):
            parent_id = row[column]
            if not parent_id or parent_id not in clinic_of[parent.name]:
                continue
            if clinic_of[parent.name][parent_id] != row["clinic_id"]:
                problems.append(
                    f"tables.{table.name}.rows[{index}].clinic_id: is {row['clinic_id']}, but {parent.name} "
                    f"{parent_id} belongs to clinic {clinic_of[parent.name][parent_id]}"
                )
    return problems


def _template_problems(decoded: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Each clinic template must be a valid ``rehab.template/1`` document whose exercises are built-in or its own
    clinic's: an export edited by hand must not let one clinic's template use another clinic's exercise."""
    from pydantic import ValidationError

    from ..content.library import load_library
    from ..domain.template import TemplateDocument

    built_in = load_library()
    own = {(row["clinic_id"], row["exercise_id"]) for row in decoded["custom_exercises"]}
    problems = []
    for index, row in enumerate(decoded["clinic_templates"]):
        where = f"tables.clinic_templates.rows[{index}]"
        try:
            document = TemplateDocument.model_validate_json(row["document"])
        except ValidationError as exc:
            problems.append(f"{where}.document: not a valid rehab.template/1 document ({exc.error_count()} problems)")
            continue
        if document.title != row["title"]:
            problems.append(f"{where}.title: must be the document's title")
        named = [item.exercise for item in document.items]
        named += [item.switch.exercise for item in document.items if item.switch is not None]
        for exercise_id in named:
            if exercise_id not in built_in and (row["clinic_id"], exercise_id) not in own:
                problems.append(f"{where}.document: exercise '{exercise_id}' is not built in and not an exercise "
                                f"of clinic {row['clinic_id']}")
    return problems


def _is_empty(connection) -> bool:
    for table in t.TABLE_ORDER:
        if table is t.clinics:
            continue
        if connection.execute(select(table).limit(1)).first() is not None:
            return False
    clinics = connection.execute(select(t.clinics.c.id, t.clinics.c.profile, t.clinics.c.logo)).all()
    return all(row.id == t.DEFAULT_CLINIC_ID and row.profile == "{}" and row.logo is None for row in clinics)


def import_data(engine: Engine, data: dict[str, Any], *, force: bool = False) -> dict[str, int]:
    """Load an export into this database, all or nothing; with ``force`` existing records are replaced."""
    if current_revision(engine) != head_revision():
        raise StorageError("the database schema is not current; run `python -m rehab db upgrade` first")
    rows = _decoded_rows(data)
    options = write_options(engine)
    with translate_errors(engine), engine.connect().execution_options(**options) as connection, connection.begin():
        if not _is_empty(connection):
            if not force:
                raise DataNotEmpty(
                    "the database already holds records; import into an empty database, or use --force to "
                    "replace everything in it with the export"
                )
            for table in reversed(t.TABLE_ORDER):
                connection.execute(delete(table))
        else:
            connection.execute(delete(t.clinics))
        for table in t.TABLE_ORDER:
            batch = rows[table.name]
            for start in range(0, len(batch), _CHUNK):
                connection.execute(insert(table), batch[start : start + _CHUNK])
        if engine.dialect.name == "postgresql":
            _reset_sequences(connection)
    return {name: len(batch) for name, batch in rows.items()}


def _reset_sequences(connection) -> None:
    """Rows came with their ids; move each id sequence past them so new rows do not collide."""
    for table in t.TABLE_ORDER:
        if list(table.primary_key.columns.keys()) == ["id"]:
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608 - our own table names
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )


def backup_sqlite(engine: Engine, destination: Path) -> int:
    """Copy a live SQLite database with the online backup API (consistent while the app keeps running).

    Returns the size of the copy in bytes. The copy is checked with ``PRAGMA quick_check`` before it replaces
    nothing: an existing file at ``destination`` is refused.
    """
    if engine.dialect.name != "sqlite" or sqlite_path(engine.url) is None:
        raise StorageError(
            "db backup copies a SQLite database file; for PostgreSQL use `python -m rehab db export` or pg_dump"
        )
    if destination.exists():
        raise StorageError(f"{destination} already exists; choose a new file name for the backup")

    def copy(tmp: Path) -> None:
        with translate_errors(engine):
            source = engine.raw_connection()
            try:
                target = sqlite3.connect(tmp)
                try:
                    source.driver_connection.backup(target)
                    if target.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                        raise StorageError("the backup copy failed its integrity check; the database may be damaged")
                finally:
                    target.close()
            except sqlite3.Error as exc:
                raise StorageUnavailable(f"cannot back up {describe(engine)}: {exc}") from None
            finally:
                source.close()

    _write_private(destination, copy)
    return destination.stat().st_size
