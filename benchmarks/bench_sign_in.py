"""Sign-in: how long the password check takes with the real argon2id parameters, for an email of one account
(right and wrong password), an unknown email, and an email with accounts in two clinics (issue 14, hole 7: an
address may have an account in several clinics, and the password is checked against each).

Run: ``python -m benchmarks bench_sign_in``. An unknown email must cost what a one-account email costs (no
account can be told from none by timing); two accounts cost about twice that. Nothing here is a timed test.
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


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade(engine)
        repo = Repository(engine)
        accounts.create_clinic_with_admin("Clinic A", "ana@example.org", "Ana", PASSWORD, repo=repo)
        accounts.add_clinic_with_admin("Clinic B", "bo@example.org", "Bo", OTHER, repo=repo, actor="bench")
        accounts.add_user("bo@example.org", "Bo", PASSWORD, role="clinician", clinic_id=1, repo=repo, actor="bench")
        cases = {
            "one account, right password (baseline)": ("ana@example.org", PASSWORD),
            "one account, wrong password": ("ana@example.org", "wrong horse battery"),
            "unknown email": ("nobody@example.org", PASSWORD),
            "accounts in two clinics, right password": ("bo@example.org", PASSWORD),
            "accounts in two clinics, wrong password": ("bo@example.org", "wrong horse battery"),
        }
        print("| Attempt | Median time |")
        print("|---|---|")
        for name, (email, password) in cases.items():
            print(f"| {name} | {measure(repo, email, password) * 1000:.0f} ms |")
        engine.dispose()


if __name__ == "__main__":
    main()
