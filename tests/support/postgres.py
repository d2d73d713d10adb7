"""A throwaway PostgreSQL server from Debian's postgresql package: initdb into a temp dir, loopback port.

Used by the integration fixtures and by benchmarks/bench_storage.py. PostgreSQL refuses to run as root, so
under root the server runs as the ``postgres`` user in a directory it owns.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from tests.support.servers import free_port


def pg_bindir() -> Path | None:
    if os.environ.get("PG_BINDIR"):
        return Path(os.environ["PG_BINDIR"])
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(os.path.realpath(initdb)).parent if initdb else None


@contextlib.contextmanager
def throwaway_postgres(bindir: Path, *, fast: bool = True) -> Iterator[str]:
    """Yield ``postgresql+psycopg://postgres@127.0.0.1:PORT/postgres``; stop and delete the server after."""
    base = Path(tempfile.mkdtemp(prefix="rehab-pg-"))
    as_user: dict = {}
    if os.geteuid() == 0:
        pw = pwd.getpwnam(os.environ.get("PG_TEST_USER", "postgres"))
        os.chown(base, pw.pw_uid, pw.pw_gid)
        as_user = {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []}
    port, data = free_port(), base / "data"

    def run(*argv) -> None:
        subprocess.run([str(a) for a in argv], cwd=base, check=True, capture_output=True, text=True, **as_user)

    run(bindir / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {base} -c max_connections=100"
    if fast:  # throwaway data: durability off makes fixtures and bulk loads quick
        options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    try:
        run(bindir / "pg_ctl", "-D", data, "-l", base / "server.log", "-w", "-t", "30", "-o", options, "start")
    except subprocess.CalledProcessError as exc:
        log = (base / "server.log").read_text(errors="replace") if (base / "server.log").exists() else ""
        shutil.rmtree(base, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {exc.stderr}\n{log}") from None
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            cwd=base,
            capture_output=True,
            **as_user,
        )
        shutil.rmtree(base, ignore_errors=True)


def _driver_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def create_database(server_url: str) -> str:
    """A new empty database on the server; returns its SQLAlchemy URL."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(_driver_url(server_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + "/" + name


def drop_database(url: str) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(_driver_url(server + "/postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
