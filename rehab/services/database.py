"""The database as a whole, for the command line and scripts: open it for one command, bring its schema up to
date, export, import and back up. The app opens its repository once through ``bootstrap.connect``.

    with database.opened() as repo: ...          REHAB_DATABASE_URL, schema upgraded, closed at the end
    with database.clinic_opened() as repo: ...   the same, scoped to REHAB_CLINIC_ID (which must exist)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..config import Settings, SettingsError
from ..storage import transfer
from ..storage.repository import Repository, database_exists, open_repository, upgrade_database
from . import accounts

__all__ = ["backup", "clinic_opened", "export", "exists", "import_export", "opened", "read_export", "upgrade"]


@contextlib.contextmanager
def opened(settings: Settings | None = None, *, migrate: bool = True) -> Iterator[Repository]:
    """The repository of the database in REHAB_DATABASE_URL (its first clinic), schema upgraded unless
    ``migrate=False``; its connections are closed when the block ends."""
    repo = open_repository((settings or Settings.from_env()).database_url, migrate=migrate)
    try:
        yield repo
    finally:
        repo.engine.dispose()


@contextlib.contextmanager
def clinic_opened(settings: Settings | None = None) -> Iterator[Repository]:
    """The repository of the clinic in REHAB_CLINIC_ID, for a command that reads or writes only its records."""
    settings = settings or Settings.from_env()
    with opened(settings) as repo:
        yield for_clinic(repo, settings.clinic_id)


def for_clinic(repo: Repository, clinic_id: int) -> Repository:
    """The same database scoped to ``clinic_id``; SettingsError about REHAB_CLINIC_ID if there is no such clinic."""
    names = accounts.clinic_names(repo=repo)
    if clinic_id not in names:
        listed = ", ".join(f"{number} ({name or 'no name yet'})" for number, name in sorted(names.items()))
        raise SettingsError(f"REHAB_CLINIC_ID: there is no clinic {clinic_id} in this database; it has {listed}")
    return Repository(repo.engine, clinic_id)


def exists(settings: Settings | None = None) -> bool:
    """False only while REHAB_DATABASE_URL names a SQLite file that is not there yet (asking never creates it)."""
    return database_exists((settings or Settings.from_env()).database_url)


def upgrade(*, repo: Repository) -> tuple[str, str]:
    """Bring the schema up to date (safe to repeat): (where the data lives, without a password; the revision)."""
    return upgrade_database(repo)


def export(path: Path, *, repo: Repository, force: bool = False) -> dict[str, int]:
    """Every record of every clinic to a JSON file only its owner may read; rows written per table."""
    return transfer.write_export(repo.engine, path, force=force)


def read_export(path: Path) -> dict[str, Any]:
    """A JSON export read and checked for its format, before any database is opened."""
    return transfer.read_export(path)


def import_export(data: dict[str, Any], *, repo: Repository, force: bool = False) -> dict[str, int]:
    """Load an export into an empty database (``force``: replace every record); rows loaded per table."""
    return transfer.import_data(repo.engine, data, force=force)


def backup(path: Path, *, repo: Repository) -> int:
    """SQLite's online backup of the live database to a new file; its size in bytes."""
    return transfer.backup_sqlite(repo.engine, path)
