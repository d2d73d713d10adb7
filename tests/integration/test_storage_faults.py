"""Database faults: unreachable, locked, read-only. A clear StorageUnavailable, and the program can be retried."""

from __future__ import annotations

import sqlite3
import subprocess

import psycopg
import pytest

from rehab import services
from rehab.storage.db import make_engine, upgrade
from rehab.storage.errors import StorageError, StorageUnavailable
from rehab.storage.repository import Repository
from tests.conftest import missing
from tests.support.postgres import free_port
from tests.support.storage_samples import sample_program

from .conftest import ENGINES, new_database_url

ACTOR = "t@example.org"


def _driver_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _set_read_only(url: str, on: bool) -> None:
    server, name = _driver_url(url).rsplit("/", 1)
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = {"on" if on else "off"}')


def test_an_unreachable_postgresql_server_gives_a_clear_error_without_the_password():
    engine = make_engine(f"postgresql+psycopg://rehab:s3cret-pw@127.0.0.1:{free_port()}/rehab")
    program = sample_program()
    try:
        with pytest.raises(StorageUnavailable) as caught:
            services.programs.save_program(program, repo=Repository(engine), actor=ACTOR)
    finally:
        engine.dispose()
    message = str(caught.value)
    assert "cannot reach PostgreSQL database rehab at 127.0.0.1" in message and "nothing was saved" in message
    assert "s3cret" not in message and "Zoë" not in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_an_unreachable_server_fails_at_startup_migration_too():
    engine = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/rehab")
    try:
        with pytest.raises(StorageUnavailable, match="cannot reach"):
            services.bootstrap.connect(engine=engine)
    finally:
        engine.dispose()


def test_a_sqlite_path_that_cannot_exist_gives_a_clear_error(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(StorageUnavailable, match="cannot create SQLite file"):
        make_engine(f"sqlite:///{blocker / 'rehab.db'}")


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not a database, just text " * 100)
    engine = make_engine(f"sqlite:///{path}")
    try:
        with pytest.raises(StorageUnavailable, match="cannot open SQLite file"):
            upgrade(engine)
    finally:
        engine.dispose()


@pytest.mark.parametrize("kind", ENGINES)
def test_a_read_only_database_refuses_the_save_and_the_same_program_saves_once_writable(request, tmp_path, kind):
    url = new_database_url(request, kind, tmp_path)
    writable = services.bootstrap.connect(engine=make_engine(url))
    services.patients.add_patient({"name": "Test Patient"}, repo=writable, actor=ACTOR)
    if kind == "sqlite":
        read_only_engine = make_engine(f"sqlite:///file:{tmp_path / 'rehab.db'}?mode=ro&uri=true")
    else:
        _set_read_only(url, True)
        read_only_engine = make_engine(url)
    program = sample_program()
    try:
        read_only = Repository(read_only_engine)
        assert [p.name for p in services.patients.find_patients("test",
                                                                repo=read_only)] == ["Test Patient"]  # reads work
        with pytest.raises(StorageUnavailable, match="is read-only; nothing was saved"):
            services.programs.save_program(program, repo=read_only, actor=ACTOR)
    finally:
        read_only_engine.dispose()
    if kind == "postgresql":
        _set_read_only(url, False)
        writable.engine.dispose()  # pooled connections keep the old setting
    assert services.programs.list_programs(repo=writable) == []
    assert services.programs.save_program(program, repo=writable, actor=ACTOR).version == 1
    writable.engine.dispose()


@pytest.fixture
def mount(tmp_path):
    """A small tmpfs of our own at ``mount.path``; ``mount.read_only(True)`` remounts it read-only (what a
    read-only volume or root file system does to the app; chmod would not stop root, a read-only mount does)."""
    path = tmp_path / "volume"
    path.mkdir()

    def run(*options: str) -> None:
        subprocess.run(["mount", *options], check=True, capture_output=True, timeout=30)

    try:
        run("-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", str(path))
    except (OSError, subprocess.CalledProcessError) as exc:
        missing(f"mounting a tmpfs (root with CAP_SYS_ADMIN): {exc}")

    class Mount:
        def read_only(self, on: bool) -> None:
            run("-o", "remount," + ("ro" if on else "rw"), str(path))

    Mount.path = path
    try:
        yield Mount()
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False, capture_output=True, timeout=30)


def test_a_database_folder_on_a_read_only_file_system_is_named_as_such(mount):
    url = f"sqlite:///{mount.path / 'data' / 'rehab.db'}"
    setup = services.bootstrap.connect(engine=make_engine(url))
    services.patients.add_patient({"name": "Test Patient"}, repo=setup, actor=ACTOR)
    setup.engine.dispose()
    mount.read_only(True)
    engine = make_engine(url)
    try:
        with pytest.raises(StorageUnavailable) as caught:
            services.patients.find_patients("test", repo=services.bootstrap.connect(engine=engine))
    finally:
        engine.dispose()
    message = str(caught.value)
    assert f"the folder {mount.path / 'data'} is on a read-only file system; the app needs to write there" in message
    assert "missing or not accessible" not in message
    with pytest.raises(StorageUnavailable, match=r"cannot create SQLite file .*new[/\\]rehab\.db: the folder "
                                                 r".*new is on a read-only file system"):
        make_engine(f"sqlite:///{mount.path / 'new' / 'rehab.db'}")
    mount.read_only(False)  # writable again: the same database works, nothing was lost
    engine = make_engine(url)
    try:
        found = services.patients.find_patients("test", repo=services.bootstrap.connect(engine=engine))
        assert [p.name for p in found] == ["Test Patient"]
    finally:
        engine.dispose()


@pytest.mark.parametrize("kind", ENGINES)
def test_a_locked_database_reports_busy_and_the_save_succeeds_on_retry(request, tmp_path, kind):
    url = new_database_url(request, kind, tmp_path)
    setup = services.bootstrap.connect(engine=make_engine(url))
    setup.engine.dispose()
    impatient = Repository(make_engine(url, busy_timeout_seconds=0.2))
    program = sample_program()
    if kind == "sqlite":
        holder = sqlite3.connect(tmp_path / "rehab.db", isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
    else:
        holder = psycopg.connect(_driver_url(url))
        holder.execute("LOCK TABLE programs IN ACCESS EXCLUSIVE MODE")
    try:
        with pytest.raises(StorageUnavailable, match="is busy .* nothing was saved. Try again"):
            services.programs.save_program(program, repo=impatient, actor=ACTOR)
    finally:
        holder.rollback()
        holder.close()
    assert services.programs.save_program(program, repo=impatient, actor=ACTOR).version == 1
    assert len(services.patients.find_patients("zoe", repo=impatient)) == 1  # the failed try left no half-saved patient
    impatient.engine.dispose()


_FAIL_AUDIT = {
    "sqlite": [
        "CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit log unavailable'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION fail_audit() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit log unavailable'; END $$",
        "CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION fail_audit()",
    ],
}


@pytest.mark.parametrize("kind", ENGINES)
def test_a_save_that_fails_midway_leaves_no_partial_rows(request, tmp_path, kind):
    url = new_database_url(request, kind, tmp_path)
    repo = services.bootstrap.connect(engine=make_engine(url))
    info = services.programs.save_program(sample_program(), repo=repo, actor=ACTOR)
    with repo.engine.begin() as conn:
        for statement in _FAIL_AUDIT[kind]:
            conn.exec_driver_sql(statement)
    try:
        # The version row is written before the audit row fails: both must roll back.
        with pytest.raises(StorageError, match="unexpected database error") as caught:
            services.programs.save_program(
                sample_program(notes="v2"), repo=repo, actor=ACTOR, program_id=info.program_id, base_version=1
            )
        assert "v2" not in str(caught.value)
        with pytest.raises(StorageError):
            services.programs.save_program(sample_program(name="Test Patient"), repo=repo, actor=ACTOR)
        assert [v.version for v in services.programs.list_versions(info.program_id, repo=repo)] == [1]
        assert services.programs.list_programs(repo=repo)[0].current_version == 1
        assert services.patients.find_patients("test", repo=repo) == []
    finally:
        repo.engine.dispose()
