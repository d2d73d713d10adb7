"""Sign-in: how long the password check takes with the real argon2id parameters (issue 14, hole 7: an address may
have an account in several clinics, and the password is checked against each). Every attempt does as many argon2
checks as the most accounts any one email has, so attempts cost the same whatever the email: compare the rows
within a column. A database where one address is used by two clinics makes every attempt cost two checks.

Run: ``python -m benchmarks bench_sign_in``. Nothing here is a timed test.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rehab.services import accounts  # noqa: E402
from rehab.services.accounts import SignInFailed  # noqa: E402
from rehab.storage.db import make_engine, upgrade  # noqa: E402
from rehab.storage.repository import Repository  # noqa: E402

RUNS = 9
PASSWORD = "correct horse battery staple"  # noqa: S105 - a benchmark account's password
OTHER = "another clinic's passphrase"  # noqa: S105


def measure(repo: Repository, email: str, password: str) -> float:
    times = []
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for run in range(RUNS):
        now = start + dt.timedelta(days=2 * run)  # failures are forgotten after a day: no run meets a lock
        started = time.perf_counter()
        with contextlib.suppress(SignInFailed):
            accounts.sign_in(email, password, client_id=f"bench {run}", repo=repo, now=now)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def database(folder: str, name: str, shared: bool) -> Repository:
    engine = make_engine(f"sqlite:///{Path(folder) / name}")
    upgrade(engine)
    repo = Repository(engine)
    accounts.create_clinic_with_admin("Clinic A", "ana@example.org", "Ana", PASSWORD, repo=repo)
    accounts.add_clinic_with_admin("Clinic B", "bo@example.org", "Bo", OTHER, repo=repo, actor="bench")
    if shared:
        accounts.add_user("bo@example.org", "Bo", PASSWORD, role="clinician", clinic_id=1, repo=repo, actor="bench")
    return repo


CASES = {
    "one account, right password (baseline)": ("ana@example.org", PASSWORD),
    "one account, wrong password": ("ana@example.org", "wrong horse battery"),
    "unknown email": ("nobody@example.org", PASSWORD),
    "bo@ (one clinic, or two in the second column), right password": ("bo@example.org", OTHER),
    "bo@, wrong password": ("bo@example.org", "wrong horse battery"),
}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        repos = [database(folder, "single.db", shared=False), database(folder, "shared.db", shared=True)]
        print("| Attempt | every email in one clinic | bo@ has accounts in two clinics |")
        print("|---|---:|---:|")
        for name, (email, password) in CASES.items():
            cells = " | ".join(f"{measure(repo, email, password) * 1000:.0f} ms" for repo in repos)
            print(f"| {name} | {cells} |")
        for repo in repos:
            repo.engine.dispose()


if __name__ == "__main__":
    main()
