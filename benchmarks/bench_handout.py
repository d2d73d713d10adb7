"""Handout render time and size for 1, 5, 10, 20 and 40 exercises in both layouts, against a floor: a bare
reportlab canvas that draws the same exercise text with the same font, with no layout engine.

Run: ``.venv/bin/python -m benchmarks bench_handout`` (or ``python benchmarks/bench_handout.py``).
Targets (issues 3 and 12, on the 2-core project machine): the compact 10-exercise handout at most 60 ms median,
80 KB, and 2x the floor's time per page; the booklet at most 3x the floor per page, 150 ms and 150 KB for 10
exercises; time growing linearly with the number of exercises. The numbers go to BENCHMARKS.md; nothing here
is a timed test.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypdf import PdfReader  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.rl_accel import fp_str  # noqa: E402
from reportlab.lib.utils import simpleSplit  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from rehab.content.library import load_library  # noqa: E402
from rehab.domain import Patient, Phase, Program, ProgramItem  # noqa: E402
from rehab.domain.clinic import Clinic  # noqa: E402
from rehab.handout import render_handout  # noqa: E402
from rehab.handout.fonts import REGULAR, register_fonts  # noqa: E402
from rehab.handout.look import load_look  # noqa: E402
from rehab.words.dose import dose_in_words, frequency_in_words  # noqa: E402

SIZES = (1, 5, 10, 20, 40)
RUNS = 15
CLINIC = Clinic(name="Riverside Physio", phone="+44 20 7946 0958", website="www.example.org",
                address="12 Example Street, London", footer_note="Ask us if anything is unclear.")


def program_with(n: int) -> Program:
    exercises = [e for e in load_library() if e.default_dose.minutes is None]
    items = []
    for i in range(n):
        exercise = exercises[i % len(exercises)]
        items.append(ProgramItem(exercise=exercise.id, **exercise.default_dose.model_dump()))
    return Program(patient=Patient(name="Test Patient"), clinician="Alex Physio", phase=Phase.STRENGTHEN,
                   start_date=dt.date(2026, 11, 23), duration_weeks=6, items=items,
                   education=("pain_monitoring", "red_flags"), notes="Keep going.\nCall us with questions.")


def floor_pdf(program: Program) -> bytes:
    """The same exercise text on a bare canvas: name, dose, how often, steps, cues, cautions, tips."""
    library = load_library()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    width, height = A4
    size, leading, margin = 13, 18, 50
    y = height - margin
    canvas.setFont(REGULAR, size)
    for item in program.items:
        exercise = library.get(item.exercise)
        lines = [exercise.name, dose_in_words(item.dosage, exercise.one_leg, item.side),
                 frequency_in_words(item.dosage), *exercise.steps, *exercise.cues, *exercise.cautions,
                 exercise.progress_tip, exercise.ease_tip]
        for text in lines:
            for line in simpleSplit(text, REGULAR, size, width - 2 * margin):
                if y < margin:
                    canvas.showPage()
                    canvas.setFont(REGULAR, size)
                    y = height - margin
                canvas.drawString(margin, y, line)
                y -= leading
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def measure(make) -> tuple[float, float, bytes]:
    """(wall ms, CPU ms, result) of one call. CPU time is reported too: other work on a shared 2-core machine
    inflates wall time but hardly this process's own CPU time."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = make()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, result


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def run(layout: str) -> list[dict]:
    look = load_look()
    register_fonts(look.font.regular, look.font.bold)
    start = time.perf_counter()
    render_handout(program_with(10), CLINIC, layout=layout)  # the first render loads data, fonts and drawings
    cold_ms = (time.perf_counter() - start) * 1000
    rows = []
    for n in SIZES:
        program = program_with(n)
        samples: dict[str, list[float]] = {"ms": [], "cpu": [], "floor_ms": [], "floor_cpu": []}
        for _ in range(RUNS):  # interleaved, so a burst of load elsewhere hits both alike
            wall, cpu, pdf = measure(lambda p=program: render_handout(p, CLINIC, layout=layout))
            floor_wall, floor_cpu, floor = measure(lambda p=program: floor_pdf(p))
            for key, value in zip(samples, (wall, cpu, floor_wall, floor_cpu), strict=True):
                samples[key].append(value)
        row = {key: statistics.median(values) for key, values in samples.items()}
        n_pages, n_floor = pages(pdf), pages(floor)
        # the ratio of each handout run to the floor run right after it, then the median of those: on a shared
        # machine whose speed drifts from second to second, a pair sees the same speed, two medians may not
        paired = {key: statistics.median((a / n_pages) / (b / n_floor) for a, b in
                                         zip(samples[key], samples[f"floor_{key}"], strict=True))
                  for key in ("ms", "cpu")}
        rows.append(dict(row, n=n, kb=len(pdf) / 1024, pages=n_pages, floor_pages=n_floor, paired=paired,
                         cold_ms=cold_ms if n == 10 else None))
    return rows


def linear_fit(xs: list[float], ys: list[float]) -> tuple[float, float, float]:
    """Slope, intercept and R² of the least-squares line."""
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = my - slope * mx
    ss_res = sum((y - (slope * x + intercept)) ** 2 for x, y in zip(xs, ys, strict=True))
    ss_tot = sum((y - my) ** 2 for y in ys)
    return slope, intercept, 1 - ss_res / ss_tot if ss_tot else 1.0


def ratio(row: dict, key: str = "ms") -> float:
    """Handout time per page over floor time per page: the median over the paired runs."""
    return row["paired"][key]


TARGETS = {"compact": dict(ms=60, kb=80, ratio=2.0), "booklet": dict(ms=150, kb=150, ratio=3.0)}


def report(rows: list[dict], layout: str) -> str:
    target = TARGETS[layout]
    lines = [f"**{layout}** layout", "",
             "| exercises | pages | KB | median ms (CPU ms) | ms/page | floor pages | floor ms (CPU ms) | "
             "floor ms/page | per-page ratio (CPU) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['n']} | {r['pages']} | {r['kb']:.0f} | {r['ms']:.1f} ({r['cpu']:.1f}) | "
                     f"{r['ms'] / r['pages']:.2f} | {r['floor_pages']} | {r['floor_ms']:.1f} ({r['floor_cpu']:.1f}) | "
                     f"{r['floor_ms'] / r['floor_pages']:.2f} | {ratio(r):.2f}x ({ratio(r, 'cpu'):.2f}x) |")
    slope, intercept, r2 = linear_fit([r["n"] for r in rows], [r["ms"] for r in rows])
    ten = next(r for r in rows if r["n"] == 10)
    accel = "with" if fp_str.__module__ != "reportlab.lib.rl_accel" else "without"
    lines += [
        "",
        f"- 10 exercises: {ten['ms']:.1f} ms median ({ten['cpu']:.1f} ms CPU; target <= {target['ms']} ms), "
        f"{ten['kb']:.0f} KB (target <= {target['kb']} KB), {ten['pages']} pages; the first render in a fresh "
        f"process (data files, fonts, drawings) {ten['cold_ms']:.0f} ms.",
        f"- Time per page over the floor's: at most {max(ratio(r) for r in rows):.2f}x wall, "
        f"{max(ratio(r, 'cpu') for r in rows):.2f}x CPU (target <= {target['ratio']:.0f}x).",
        f"- Growth: {slope:.1f} ms per exercise + {intercept:.1f} ms fixed, R² = {r2:.4f}.",
        "- The per-page ratio is the median, over the runs, of each handout render against the floor render right "
        "after it.",
        f"- Median of {RUNS} interleaved runs each; Python {sys.version.split()[0]}, {accel} rl-accel "
        f"(reportlab's C speed-ups), {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the end.",
    ]
    return "\n".join(lines)


def main() -> int:
    print("\n\n".join(report(run(layout), layout) for layout in ("compact", "booklet")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
