"""Engines, migrations and database faults, for SQLite (one machine) and PostgreSQL (several instances).

No engine exists until ``make_engine`` is called. ``upgrade`` brings the schema to the newest Alembic revision
and is safe to run at every start, also by several processes at once. ``translate_errors`` turns driver faults
into ``StorageUnavailable`` messages that never include SQL parameters (they may hold patient data).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, exc, make_url, text
from sqlalchemy.engine import URL, Connection

from .errors import StorageError, StorageUnavailable

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_PG_MIGRATION_LOCK = 0x7265_6861_6200  # any fixed bigint; serialises schema upgrades across instances


def _normalise(url: str | URL) -> URL:
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def describe(engine_or_url: Engine | str | URL) -> str:
    """Where the data lives, without any password, for messages."""
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    if url.get_backend_name() == "sqlite":
        return f"SQLite file {url.database or ':memory:'}"
    return f"PostgreSQL database {url.database or ''} at {url.host or 'local socket'}:{url.port or 5432}"


def sqlite_path(url: URL) -> Path | None:
    """The file behind a sqlite URL, or None for memory and URI-style databases."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    if url.database.startswith("file:"):
        return None
    return Path(url.database)


def make_engine(url: str | URL, *, busy_timeout_seconds: float = 5.0, echo: bool = False) -> Engine:
    """An engine with safe defaults: SQLite in WAL mode with foreign keys on; PostgreSQL through psycopg 3.

    ``busy_timeout_seconds`` is how long a write waits for another writer's lock (SQLite) or a row/table lock
    (PostgreSQL ``lock_timeout``) before ``StorageUnavailable`` says the database is busy.
    """
    parsed = _normalise(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        path = sqlite_path(parsed)
        if path is not None:
            _prepare_file(path)
        engine = create_engine(
            parsed,
            echo=echo,
            hide_parameters=True,
            connect_args={"timeout": busy_timeout_seconds, "check_same_thread": False},
        )
        _configure_sqlite(engine, busy_timeout_seconds)
        return engine
    if backend == "postgresql":
        options = f"-c lock_timeout={int(busy_timeout_seconds * 1000)}"
        return create_engine(
            parsed,
            echo=echo,
            hide_parameters=True,
            pool_pre_ping=True,  # instances outlive server restarts and idle disconnects
            connect_args={"connect_timeout": 5, "application_name": "rehab", "options": options},
        )
    raise StorageUnavailable(f"unsupported database '{backend}'; use sqlite:/// or postgresql+psycopg://")


def _prepare_file(path: Path) -> None:
    """Create the folder and an owner-only database file, so patient records are not readable by others."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not path.exists():
            path.touch(mode=0o600)
    except OSError as error:
        raise StorageUnavailable(f"cannot create SQLite file {path}: {_not_writable(path) or error.strerror}") from None


_ADVICE = "Make it writable, or set REHAB_DATABASE_URL to a place where the app may write"


def _not_writable(path: Path) -> str | None:
    """Why the app cannot write the SQLite file at ``path`` (a read-only file system, a folder or file this user
    may not write), or None when nothing stops it. SQLite writes next to the file too (its -wal and -shm files),
    so the folder must be writable even to read."""
    folder = path.parent
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is None:
        return None
    if os.statvfs(existing).f_flag & os.ST_RDONLY:
        return (f"the folder {folder} is on a read-only file system; the app needs to write there (the database "
                f"{path.name} and its -wal and -shm files). Mount it read-write, or set REHAB_DATABASE_URL to a "
                "place where the app may write")
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"the folder {existing} is read-only for this user; the app needs to write there. {_ADVICE}"
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        return f"the database file {path} is read-only for this user; the app needs to write to it. {_ADVICE}"
    return None


def _configure_sqlite(engine: Engine, busy_timeout_seconds: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself: the sqlite3 module's implicit transactions start
        # only at the first write, which makes read-then-write sequences racy.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_seconds * 1000)}")
            try:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")  # durable across app crashes in WAL mode
            except Exception:  # noqa: S110 - a read-only file keeps its journal mode; reads still work
                pass
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers ask for BEGIN IMMEDIATE: they queue on the lock up front instead of failing mid-transaction.
        conn.exec_driver_sql(conn.get_execution_options().get("sqlite_begin", "BEGIN"))


def write_options(engine: Engine) -> dict:
    """Execution options for a transaction that will write."""
    return {"sqlite_begin": "BEGIN IMMEDIATE"} if engine.dialect.name == "sqlite" else {}


_BUSY_STATES = {"55P03", "40P01", "40001", "57014"}  # lock timeout, deadlock, serialization, statement timeout
_READ_ONLY_STATES = {"25006"}


def _classify(error: exc.DBAPIError) -> str | None:
    """Which fault a driver error means, or None for errors that are not about the database being usable."""
    if isinstance(error, exc.IntegrityError):
        return None
    orig = error.orig
    state = getattr(orig, "sqlstate", None)
    if state is not None:  # PostgreSQL: decide by SQLSTATE only; its messages can quote row values
        if state in _BUSY_STATES:
            return "busy"
        if state in _READ_ONLY_STATES:
            return "read-only"
        if state.startswith("53"):
            return "full"
        if state.startswith(("08", "57P")):
            return "unreachable"
        return None
    if error.connection_invalidated or isinstance(error, exc.InterfaceError):
        return "unreachable"
    if not isinstance(orig, sqlite3.Error):
        # psycopg reports refused or timed-out connections without a SQLSTATE
        return "unreachable" if isinstance(error, exc.OperationalError) else None
    message = str(orig).lower()  # SQLite's own messages name the fault and never quote values
    for kind, phrases in _SQLITE_FAULTS:
        if any(phrase in message for phrase in phrases):
            return kind
    return None


_SQLITE_FAULTS = (
    ("busy", ("database is locked", "database table is locked", "database is busy")),
    ("read-only", ("readonly database", "read-only")),
    ("unopenable", ("unable to open database", "not a database", "malformed")),
    ("full", ("disk is full", "disk i/o error")),
)

_MESSAGES = {
    "busy": "{where} is busy (another user or program holds a lock); nothing was saved. Try again in a moment.",
    "read-only": "{where} is read-only; nothing was saved. Check the file or database permissions, then retry.",
    "unopenable": "cannot open {where}: the path is missing or not accessible, or the file is not a (healthy) "
    "database.",
    "full": "{where} is out of disk space or resources; nothing was saved. Free space, then retry.",
    "unreachable": "cannot reach {where}; nothing was saved. Check that the server is running and "
    "REHAB_DATABASE_URL is right, then retry.",
}


@contextlib.contextmanager
def translate_errors(engine: Engine) -> Iterator[None]:
    """Re-raise database faults as StorageUnavailable, and any other driver error as StorageError."""
    try:
        yield
    except exc.DBAPIError as error:
        kind = _classify(error)
        path = sqlite_path(engine.url) if kind in ("unopenable", "read-only") else None
        reason = _not_writable(path) if path is not None else None
        if reason is not None:  # say what is wrong, not "missing or not accessible"
            raise StorageUnavailable(f"cannot use {describe(engine)}: {reason}. Nothing was saved.") from None
        if kind is not None:
            raise StorageUnavailable(_MESSAGES[kind].format(where=describe(engine))) from None
        # Anything else is unexpected: name the kind only (driver messages can quote patient data).
        state = getattr(error.orig, "sqlstate", None)
        name = type(error.orig).__name__ + (f", SQLSTATE {state}" if state else "")
        raise StorageError(f"unexpected database error ({name}) in {describe(engine)}; nothing was saved") from error


def _alembic_config(connection: Connection):
    from alembic.config import Config  # imported here: only upgrades need Alembic

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    config = _alembic_config(None)  # type: ignore[arg-type]
    return ScriptDirectory.from_config(config).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with translate_errors(engine), engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@contextlib.contextmanager
def _migration_connection(engine: Engine) -> Iterator[Connection]:
    options = write_options(engine)
    with translate_errors(engine), engine.connect().execution_options(**options) as connection, connection.begin():
        if engine.dialect.name == "postgresql":
            # Several instances may start at once; the second waits here, then finds nothing to do.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        yield connection


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Migrate to ``revision`` in one transaction; a no-op when already there. Returns the new revision."""
    from alembic import command

    with _migration_connection(engine) as connection:
        command.upgrade(_alembic_config(connection), revision)
    return current_revision(engine) or ""


def downgrade(engine: Engine, revision: str = "base") -> None:
    from alembic import command

    with _migration_connection(engine) as connection:
        command.downgrade(_alembic_config(connection), revision)
