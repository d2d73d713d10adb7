"""Storage benchmark: name-prefix search and one patient's programs with 100,000 patients and 300,000 versions.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_storage.py [--engines sqlite,postgresql] [--postgres-url URL]

Generates fake patients (invented names, some with accents) and program versions, bulk-loads them (SQLite:
executemany in one transaction; PostgreSQL: COPY), runs ANALYZE, then times the real service calls
(``rehab.services``: a transaction, the query and the conversion to records) and prints a markdown table of
medians. Without --postgres-url a throwaway server is started from Debian's postgresql package.
Targets: search <= 20 ms, a patient's programs <= 10 ms (median).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from rehab import services
from rehab.domain import Patient
from rehab.program.templates import program_from_template
from rehab.storage import tables as t
from rehab.storage.db import make_engine, upgrade
from rehab.storage.repository import Repository
from rehab.storage.search import name_terms, search_key

SEARCH_TARGET_MS = 20.0
PROGRAMS_TARGET_MS = 10.0

FIRST = [
    "Zoë",
    "Łukasz",
    "Ana",
    "Björn",
    "Chloé",
    "Dmitri",
    "Élodie",
    "Farah",
    "Gustavo",
    "Hana",
    "Inès",
    "Jonas",
    "Kofi",
    "Leïla",
    "Mateo",
    "Nuno",
    "Olga",
    "Priya",
    "Quentin",
    "Rosa",
    "Søren",
    "Tomás",
    "Ulla",
    "Vera",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zofia",
]
SYLLABLES = [
    "ba",
    "ko",
    "ri",
    "ñu",
    "sa",
    "te",
    "lo",
    "mi",
    "dra",
    "vé",
    "ch",
    "ber",
    "stan",
    "gu",
    "ell",
    "or",
    "ski",
    "ton",
    "we",
    "zą",
    "pe",
    "ha",
    "nn",
    "ru",
    "ol",
    "ic",
    "ma",
    "de",
    "ls",
    "qu",
]


def fake_name(rng: random.Random) -> str:
    surname = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
    return f"{rng.choice(FIRST)} {surname}"


def sqlite_time(moment: dt.datetime) -> str:
    return moment.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def generate(n_patients: int, n_versions: int, seed: int = 7):
    """Rows for patients, their search terms, programs (1 or 2 per patient) and versions (2 per program)."""
    rng = random.Random(seed)
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    template = services.programs.canonical_document(
        program_from_template("phase2_strengthen", Patient(name="NAME"), start_date=dt.date(2026, 11, 2))
    )
    patients, terms = [], []
    for pid in range(1, n_patients + 1):
        name = fake_name(rng)
        archived = now if rng.random() < 0.05 else None
        patients.append((pid, 1, name, search_key(name), None, None, None, False, None, "", now, now, archived))
        terms.extend((pid, term, 1) for term in name_terms(name))
    n_programs = n_versions // 2
    programs, versions = [], []
    for prog_id in range(1, n_programs + 1):
        pid = (prog_id - 1) % n_patients + 1
        programs.append((prog_id, 1, pid, "Your knee exercise program", 2, now, now, None))
        document = template.replace('"NAME"', '"' + patients[pid - 1][2] + '"')
        for version in (1, 2):
            versions.append((prog_id, version, document, "bench@example.org", now, None, None, None))
    return {"patients": patients, "patient_terms": terms, "programs": programs, "program_versions": versions}


def _columns(table) -> list[str]:
    return [c.name for c in table.columns]


def load_sqlite(engine, data) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.driver_connection.cursor()
        cursor.execute("BEGIN")
        for name, rows in data.items():
            columns = _columns(t.metadata.tables[name])
            marks = ", ".join("?" for _ in columns)
            converted = [tuple(sqlite_time(v) if isinstance(v, dt.datetime) else v for v in row) for row in rows]
            cursor.executemany(f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})", converted)  # noqa: S608
        cursor.execute("COMMIT")
        cursor.execute("ANALYZE")
    finally:
        raw.close()


def load_postgresql(engine, data) -> None:
    raw = engine.raw_connection()
    try:
        connection = raw.driver_connection
        with connection.cursor() as cursor:
            for name, rows in data.items():
                columns = ", ".join(_columns(t.metadata.tables[name]))
                with cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            for name in ("patients", "programs"):
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT MAX(id) FROM {name}))")
        connection.commit()
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE")
        connection.autocommit = False
    finally:
        raw.close()


def timed_ms(call) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def measure(repo: Repository, data, *, runs: int, seed: int = 11) -> dict[str, float]:
    rng = random.Random(seed)
    names = [row[2] for row in data["patients"]]
    # What a clinician types: 3-5 letters of a first name or surname, sometimes a single letter.
    prefixes = []
    for _ in range(40):
        word = rng.choice(rng.choice(names).split())
        prefixes.append(word[: rng.randint(3, 5)])
    prefixes += [rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(10)]
    patient_ids = [rng.randint(1, len(names)) for _ in range(50)]
    program_ids = [rng.randint(1, len(data["programs"])) for _ in range(50)]
    # Warm up the connection pool and caches, as a running app would be.
    services.patients.find_patients("zo", repo=repo)
    services.programs.list_programs(repo=repo, patient_id=1)
    search, search_one_letter, programs, open_latest = [], [], [], []
    for _ in range(runs):
        for prefix in prefixes:
            sample = timed_ms(lambda p=prefix: services.patients.find_patients(p, repo=repo))
            (search_one_letter if len(prefix) == 1 else search).append(sample)
        for pid in patient_ids:
            programs.append(timed_ms(lambda p=pid: services.programs.list_programs(repo=repo, patient_id=p)))
        for prog in program_ids:
            open_latest.append(timed_ms(lambda p=prog: services.programs.get_version(p, repo=repo)))
    found = services.patients.find_patients(prefixes[0], repo=repo)
    assert found and all(any(w.startswith(search_key(prefixes[0])) for w in search_key(p.name).split()) for p in found)
    return {
        "search": statistics.median(search),
        "search_p95": statistics.quantiles(search, n=20)[-1],
        "search_one_letter": statistics.median(search_one_letter),
        "programs": statistics.median(programs),
        "programs_p95": statistics.quantiles(programs, n=20)[-1],
        "open_latest": statistics.median(open_latest),
    }


@contextlib.contextmanager
def database(kind: str, workdir: Path, postgres_url: str | None):
    if kind == "sqlite":
        yield f"sqlite:///{workdir / 'bench.db'}"
        return
    if postgres_url:
        yield postgres_url
        return
    from tests.support.postgres import create_database, pg_bindir, throwaway_postgres

    bindir = pg_bindir()
    if bindir is None:
        sys.exit("PostgreSQL binaries not found: apt-get install -y postgresql, or pass --postgres-url")
    with throwaway_postgres(bindir) as server:
        yield create_database(server)


def run(kind: str, args, data, workdir: Path) -> dict:
    with database(kind, workdir, args.postgres_url) as url:
        engine = make_engine(url)
        try:
            upgrade(engine)
            started = time.perf_counter()
            (load_sqlite if kind == "sqlite" else load_postgresql)(engine, data)
            load_seconds = time.perf_counter() - started
            result = measure(Repository(engine), data, runs=args.runs)
            with engine.connect() as conn:
                if kind == "sqlite":
                    size = (workdir / "bench.db").stat().st_size
                else:
                    size = conn.scalar(text("SELECT pg_database_size(current_database())"))
                assert conn.scalar(text("SELECT COUNT(*) FROM program_versions")) == len(data["program_versions"])
        finally:
            engine.dispose()
    return {"engine": kind, "load_seconds": load_seconds, "size_mb": size / 1e6, **result}


def table(results: list[dict], args) -> str:
    head = (
        "| engine | patients | versions | bulk load | DB size | search median (p95) | one-letter search | "
        "patient's programs median (p95) | open latest version | targets |\n"
        "|---|---|---|---|---|---|---|---|---|---|\n"
    )
    lines = []
    for r in results:
        ok = r["search"] <= SEARCH_TARGET_MS and r["programs"] <= PROGRAMS_TARGET_MS
        lines.append(
            f"| {r['engine']} | {args.patients:,} | {args.versions:,} | {r['load_seconds']:.1f} s | "
            f"{r['size_mb']:.0f} MB | {r['search']:.2f} ms ({r['search_p95']:.2f}) | "
            f"{r['search_one_letter']:.2f} ms | {r['programs']:.2f} ms ({r['programs_p95']:.2f}) | "
            f"{r['open_latest']:.2f} ms | {'met' if ok else 'MISSED'} |"
        )
    return head + "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--versions", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=5, help="passes over the query set; medians over all")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", help="an empty PostgreSQL database to fill (default: a throwaway server)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    data = generate(args.patients, args.versions)
    print(
        f"generated {args.patients:,} patients, {len(data['program_versions']):,} versions "
        f"in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    results = []
    with tempfile.TemporaryDirectory(prefix="rehab-bench-") as workdir:
        for kind in args.engines.split(","):
            results.append(run(kind.strip(), args, data, Path(workdir)))
            print(f"{kind}: done", file=sys.stderr)
    print(table(results, args))
    missed = [r for r in results if r["search"] > SEARCH_TARGET_MS or r["programs"] > PROGRAMS_TARGET_MS]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
