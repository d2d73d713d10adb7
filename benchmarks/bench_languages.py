"""Handouts in the patient's language: render time and pages of every built-in template in English, Spanish,
Polish, Arabic (right to left) and Spanish with English beneath, against the English handout of the same program.

Run: ``.venv/bin/python -m benchmarks bench_languages``. Target (issue 18): a translated handout within 1.2x the
English one's time; a two-language handout within 1.6x its pages. The numbers go to BENCHMARKS.md; nothing here
is a timed test.
"""

from __future__ import annotations

import datetime as dt
import io
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypdf import PdfReader  # noqa: E402

import rehab  # noqa: E402,F401  # first: it gives reportlab its right-to-left module before reportlab loads
from rehab.content.content import load_templates  # noqa: E402
from rehab.domain import Patient, Side  # noqa: E402
from rehab.domain.clinic import Clinic  # noqa: E402
from rehab.handout import render_handout  # noqa: E402
from rehab.program.templates import program_from_template  # noqa: E402

RUNS = 25
CLINIC = Clinic(name="Riverside Physio", phone="+44 20 7946 0958", website="www.example.org",
                address="12 Example Street, London", footer_note="Ask us if anything is unclear.")
CASES = (("English", "en", None), ("Spanish", "es", None), ("Polish", "pl", None), ("Arabic", "ar", None),
         ("Spanish + English", "es", "en"), ("Arabic + English", "ar", "en"), ("English + Arabic", "en", "ar"))


def timed(program) -> dict[str, tuple[float, float, int, float]]:
    """Per case: (median wall ms, median CPU ms, pages, time vs English), after one warm-up render of each (fonts,
    catalogues, drawings). The cases take turns, run by run, so a change in the machine's load falls on all of them
    alike (this shared machine's load moves within seconds); "time vs English" is the median, over the rounds, of
    the case's CPU time over the English render's in the same round (a ratio of two medians swung 1.0-1.4x from
    one run to the next)."""
    options = {label: dict(prepared=dt.date(2026, 11, 23), language=language, second_language=second)
               for label, language, second in CASES}
    pages = {label: len(PdfReader(io.BytesIO(render_handout(program, CLINIC, **o))).pages)
             for label, o in options.items()}
    wall: dict[str, list[float]] = {label: [] for label in options}
    cpu: dict[str, list[float]] = {label: [] for label in options}
    for _ in range(RUNS):
        for label, o in options.items():
            w0, c0 = time.perf_counter(), time.process_time()
            render_handout(program, CLINIC, **o)
            wall[label].append((time.perf_counter() - w0) * 1000)
            cpu[label].append((time.process_time() - c0) * 1000)
    english = cpu[CASES[0][0]]
    return {label: (statistics.median(wall[label]), statistics.median(cpu[label]), pages[label],
                    statistics.median(a / b for a, b in zip(cpu[label], english, strict=True)))
            for label in options}


def main() -> None:
    print("| template | handout | pages | median ms (CPU ms) | time vs English (paired median) | pages vs English |")
    print("|---|---|---:|---:|---:|---:|")
    worst_time: dict[str, float] = {}
    for template_id in sorted(load_templates()):
        program = program_from_template(template_id, Patient(name="Test Patient", affected_side=Side.LEFT),
                                        start_date=dt.date(2026, 11, 23), clinician="Alex Physio")
        results = timed(program)
        base = results["English"]
        for label, _language, _second in CASES:
            wall, cpu, pages, ratio = results[label]
            worst_time[label] = max(worst_time.get(label, 0.0), ratio)
            print(f"| {template_id} | {label} | {pages} | {wall:.1f} ({cpu:.1f}) | {ratio:.2f}x | "
                  f"{pages / base[2]:.2f}x |")
    print()
    print("Slowest against English (CPU time, per template): "
          + ", ".join(f"{label} {ratio:.2f}x" for label, ratio in worst_time.items() if label != "English") + ".")


if __name__ == "__main__":
    main()
