"""Opening the database for a face (the app, the CLI, a script): settings in, a repository out."""

from __future__ import annotations

from ..config import Settings
from ..storage.repository import Engine, Repository, open_repository

__all__ = ["Repository", "connect"]


def connect(settings: Settings | None = None, *, engine: Engine | None = None, migrate: bool = True) -> Repository:
    """The repository for REHAB_DATABASE_URL (or ``engine``), with the schema upgraded first by default."""
    url = None if engine is not None else (settings or Settings.from_env()).database_url
    return open_repository(url, engine=engine, migrate=migrate)
