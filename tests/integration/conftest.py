"""Integration fixtures: every storage test runs on SQLite (a file in tmp) and on a real PostgreSQL server.

The PostgreSQL server starts once per session from Debian's postgresql package; each test gets a fresh
database. Without the package the PostgreSQL cases skip locally and fail under CI=true.
"""

from __future__ import annotations

import pytest

from rehab.storage.db import make_engine, upgrade
from rehab.storage.repository import Repository
from tests.conftest import missing
from tests.support.postgres import create_database, drop_database, pg_bindir, throwaway_postgres

ENGINES = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def pg_server():
    bindir = pg_bindir()
    if bindir is None or not (bindir / "initdb").exists():
        missing("PostgreSQL server binaries not found; install them with: apt-get install -y postgresql")
    with throwaway_postgres(bindir) as url:
        yield url


def new_database_url(request, kind: str, tmp_path, name: str = "rehab") -> str:
    """A fresh, empty database of ``kind``, dropped when the test ends."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / (name + '.db')}"
    url = create_database(request.getfixturevalue("pg_server"))
    request.addfinalizer(lambda: drop_database(url))
    return url


@pytest.fixture(params=ENGINES)
def db_url(request, tmp_path) -> str:
    return new_database_url(request, request.param, tmp_path)


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def repo(engine) -> Repository:
    return Repository(engine)


@pytest.fixture
def make_repo(db_url):
    """Another, independent Repository on the same database: its own engine and connection pool."""
    engines = []

    def make(**options) -> Repository:
        engine = make_engine(db_url, **options)
        engines.append(engine)
        return Repository(engine)

    yield make
    for engine in engines:
        engine.dispose()
