"""Exercise CSV import: how long a file takes to be checked, for hostile files (issue 14: a 2 MB file of "a,"
once took 180 s and 3.8 GB) against the baseline of a valid file of the largest allowed size (1,000 exercises).

Run: ``python -m benchmarks bench_csv_import``. Target: every hostile file answered in well under a second.
The numbers go to BENCHMARKS.md; nothing here is a timed test.
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rehab.content.exercise_csv import MAX_CSV_BYTES, MAX_ROWS, CsvFileError, read_exercise_csv  # noqa: E402
from rehab.content.library import load_library  # noqa: E402

RUNS = 5
HEADER = ("id,name,category,target_areas,target_muscles,equipment,position,one_leg,step_1,step_2,step_3,cue_1,"
          "sets,reps,hold_seconds,progress_tip,ease_tip,phases,evidence")
ROW = ("clinic_slide_{n},Deep wall slide {n},strength,knee; hip,front of thigh,,standing,no,"
       "Stand with your back on a wall.,Slide down a little.,Slide back up.,Keep your knees over your toes.,"
       "{sets},10,,Slide a little lower.,Slide down less far.,strengthen,Clinic favourite.")


def rows(sets: str) -> bytes:
    return "\n".join([HEADER, *(ROW.format(n=n, sets=sets) for n in range(MAX_ROWS))]).encode()


FILES = {
    "valid, 1,000 exercises (baseline)": rows("2"),
    "1,000 rows, each with a problem": rows("zero"),
    "one line of 1,048,575 empty cells (`a,` x 1 M)": b"a," * (MAX_CSV_BYTES // 2 - 1),
    "700,000 short lines (`a,`)": HEADER.encode() + b"\n" + b"a,\n" * (MAX_CSV_BYTES // 3 - 100),
}


def measure(data: bytes, library) -> tuple[float, float, str]:
    """(median seconds, peak MB of one run, outcome)."""
    times = []
    outcome = ""
    for _ in range(RUNS):
        started = time.perf_counter()
        try:
            result = read_exercise_csv(data, library)
            outcome = f"{len(result.exercises)} exercises, {len(result.problems) + result.more_problems} problems"
        except CsvFileError as exc:
            outcome = f"refused: {str(exc).split(';')[0]}"
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    with contextlib.suppress(CsvFileError):
        read_exercise_csv(data, library)
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return statistics.median(times), peak, outcome


def main() -> None:
    library = load_library()
    print("| File | Size | Median time | Peak memory | Outcome |")
    print("|---|---|---|---|---|")
    for name, data in FILES.items():
        seconds, peak, outcome = measure(data, library)
        print(f"| {name} | {len(data) / 1e6:.2f} MB | {seconds * 1000:.0f} ms | {peak:.0f} MB | {outcome} |")


if __name__ == "__main__":
    main()
