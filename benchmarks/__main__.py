"""Run every benchmark and write BENCHMARKS.md: `python -m benchmarks` (or `make bench`).

Each bench_*.py prints a markdown section (median of several runs, with its own baseline measured in the
same run), kept in benchmarks/results/<name>.md so one benchmark can be rerun alone:
`python -m benchmarks bench_handout`. Speed is measured here, never asserted in unit tests.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TITLES = {
    "bench_handout": "PDF handout",
    "bench_illustrations": "Exercise drawings in the handout",
    "bench_storage": "Storage (100,000 patients, 300,000 program versions)",
    "bench_build_page": "Build program page reruns",
    "bench_csv_import": "Exercise CSV import, hostile files",
    "bench_sign_in": "Sign-in password check (argon2id), by how many clinics have the email",
    "bench_build_flow": "Build program in Chromium: from opening the page to a saved version",
    "bench_patient_link": "Patient link page under load (locust, 50 clients)",
    "bench_languages": "Handouts in the patient's language (issue 18)",
}


def main() -> int:
    if any(arg in ("-h", "--help") for arg in sys.argv[1:]):
        names = ", ".join(sorted(p.stem for p in HERE.glob("bench_*.py")))
        print(f"usage: python -m benchmarks [bench_name ...]\n\n{__doc__.strip()}\n\nbenchmarks: {names}")
        return 0
    only = set(sys.argv[1:])
    unknown = only - {p.stem for p in HERE.glob("bench_*.py")}
    if unknown:  # a typo must not rewrite BENCHMARKS.md from old results
        print(f"unknown benchmark: {', '.join(sorted(unknown))} (see --help)", file=sys.stderr)
        return 2
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    for script in sorted(HERE.glob("bench_*.py")):
        if only and script.stem not in only:
            continue
        print(f"running {script.name} ...", file=sys.stderr)
        result = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        if result.returncode != 0:
            print(result.stderr, file=sys.stderr)
            return result.returncode
        title = TITLES.get(script.stem, script.stem)
        measured = f"{dt.date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} cores"
        (results / f"{script.stem}.md").write_text(
            f"## {title}\n\n`python benchmarks/{script.name}` ({measured})\n\n{result.stdout.strip()}\n",
            encoding="utf-8",
        )
    sections = [path.read_text(encoding="utf-8") for path in sorted(results.glob("bench_*.md"))]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    header = (
        "# Benchmarks\n\n"
        f"Collected on {machine} by `make bench` (`python -m benchmarks [bench_name ...]`).\n"
        "Each number is a median of several runs; each section compares against its own baseline in the same run.\n"
    )
    (ROOT / "BENCHMARKS.md").write_text(header + "\n" + "\n".join(sections), encoding="utf-8")
    print("wrote BENCHMARKS.md", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
