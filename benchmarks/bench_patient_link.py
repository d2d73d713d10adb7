"""Patient link page under load: locust, 50 concurrent patients, one app process (`streamlit run serve.py`).

    PYTHONPATH=. .venv/bin/python benchmarks/bench_patient_link.py [--engines sqlite,postgresql] [--seconds 40]

Seeds 50 programs with a link each, starts the real server on the database, runs locust headless
(benchmarks/locust_patient_link.py: each user opens their page every 0.5-1.5 s and checks in now and then) and
prints requests per second and p50/p95 latency per engine, plus the page's size as sent (gzip) and unpacked.
Without a PostgreSQL URL a throwaway server is started from Debian's postgresql package.
Targets: p95 <= 100 ms at 50 clients; page <= 150 KB transferred, drawings included.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import gzip
import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from rehab import services
from rehab.config import Settings
from rehab.program.templates import program_from_template
from rehab.services import patient_links
from tests.e2e.conftest import AppServer

USERS = 50
P95_TARGET_MS = 100
SIZE_TARGET_KB = 150
TEMPLATES = ["phase1_settle", "phase2_strengthen", "phase3_return_to_running", "home_routine"]
HERE = Path(__file__).resolve().parent


def seed(url: str, tokens_file: Path) -> None:
    from rehab.domain import Patient

    repo = services.bootstrap.connect(Settings.from_env({"REHAB_DATABASE_URL": url}))
    tokens = []
    try:
        for n in range(USERS):
            patient = Patient(name=f"Bench Patient {n}")
            program = program_from_template(TEMPLATES[n % len(TEMPLATES)], patient,
                                            start_date=dt.date.today() - dt.timedelta(days=n % 20))
            program_id = services.programs.save_program(program, repo=repo, actor="bench").program_id
            tokens.append(patient_links.create_link(program_id, repo=repo, actor="bench")[1])
    finally:
        repo.engine.dispose()
    tokens_file.write_text("\n".join(tokens), encoding="utf-8")


def page_sizes(base: str, token: str) -> tuple[int, int]:
    request = urllib.request.Request(f"{base}/p/{token}", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        sent = response.read()
    return len(sent), len(gzip.decompress(sent))


def run_locust(base: str, tokens_file: Path, folder: Path, seconds: int) -> dict:
    prefix = folder / "locust"
    env = {**os.environ, "REHAB_BENCH_TOKENS": str(tokens_file)}
    subprocess.run([sys.executable, "-m", "locust", "-f", str(HERE / "locust_patient_link.py"), "--headless",
                    "-u", str(USERS), "-r", "25", "-t", f"{seconds}s", "--host", base, "--csv", str(prefix),
                    "--only-summary", "--loglevel", "WARNING"], check=True, env=env, capture_output=True, text=True)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    return rows


@contextlib.contextmanager
def database(engine: str, folder: Path):
    if engine == "sqlite":
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    from tests.support.postgres import create_database, pg_bindir, throwaway_postgres

    bindir = pg_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL not found; install it with: apt-get install -y postgresql")
    with throwaway_postgres(bindir) as server:
        yield create_database(server)


def measure(engine: str, seconds: int) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp, database(engine, Path(tmp)) as url:
        folder = Path(tmp)
        tokens_file = folder / "tokens.txt"
        seed(url, tokens_file)
        server = AppServer(url, folder)
        server.start()
        try:
            # every page once first: the drawings are made once per process, then served from memory
            sizes = [page_sizes(server.url, token) for token in tokens_file.read_text().split()]
            stats = run_locust(server.url, tokens_file, folder, seconds)
            load = os.getloadavg()[0]
        finally:
            server.stop()
    total, page, post = stats["Aggregated"], stats["/p/[token]"], stats["/p/[token]/check-in"]
    sent = max(s for s, _ in sizes) / 1024
    unpacked = max(u for _, u in sizes) / 1024

    def ms(row: dict, column: str) -> str:
        return f"{float(row[column]):.0f}"

    return [
        f"| {engine} | {float(total['Requests/s']):.1f} | {ms(page, '50%')} | {ms(page, '95%')} | "
        f"{ms(post, '50%')} | {ms(post, '95%')} | {int(total['Failure Count'])} | {sent:.0f} KB ({unpacked:.0f} KB) | "
        f"{load:.1f} |"
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--seconds", type=int, default=40)
    args = parser.parse_args(argv)
    rows = []
    for engine in args.engines.split(","):
        print(f"measuring {engine} ...", file=sys.stderr)
        rows += measure(engine, args.seconds)
    print(f"{USERS} locust users, each opening their own patient page every 0.5-1.5 s and checking in about once "
          f"in 11 requests, for {args.seconds} s against one app process (`streamlit run serve.py`). Latency in "
          f"ms. Targets: page p95 <= {P95_TARGET_MS} ms; page <= {SIZE_TARGET_KB} KB sent with its drawings. "
          "Machine load: the 1-minute load average at the end (locust and the server share the cores; above the "
          "core count, other work was competing and p95 mostly measures the queue).\n")
    print("| Database | Requests/s | Page p50 | Page p95 | Check-in p50 | Check-in p95 | Failures | "
          "Page sent (unpacked) | Machine load |")
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
