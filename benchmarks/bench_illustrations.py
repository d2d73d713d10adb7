"""What the exercise drawings cost: the 10-exercise handout rendered with and without them, and the drawings alone.

Run: ``.venv/bin/python -m benchmarks.bench_illustrations`` (or ``python benchmarks/bench_illustrations.py``).
Targets (issue 4): drawings add at most 30 % to the 10-exercise handout's render time and at most 40 KB to its
size. "Without" swaps the handout's drawing source for none (what happens when the illustrations package is
absent), so both runs lay out the same text; the two kinds of run alternate. The numbers go to BENCHMARKS.md; nothing here is a timed test.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rehab.handout import render as handout_render  # noqa: E402
from rehab.handout import render_handout  # noqa: E402
from rehab.illustrations import drawing_for, svg_for  # noqa: E402
from rehab.illustrations import render as ill_render  # noqa: E402
from rehab.illustrations.poses import load_poses  # noqa: E402

try:  # the handout benchmark's program and clinic, so the two benchmarks measure the same document
    from benchmarks.bench_handout import CLINIC, pages, program_with  # noqa: E402
except ImportError:  # run as a script from benchmarks/
    from bench_handout import CLINIC, pages, program_with  # noqa: E402

RUNS = 15


def median_ms(make, runs: int = RUNS) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = make()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def handout_with_and_without(n: int = 10, runs: int = RUNS) -> dict:
    """Interleaved runs (with, without, with, ...) so load from other processes hits both sides alike; CPU time
    (this process only) beside wall time, because the project machine is shared."""
    program = program_with(n)
    original = handout_render.illustrations
    timings: dict[str, dict[str, list[float]]] = {k: {"wall": [], "cpu": []} for k in ("with", "without")}
    pdfs: dict[str, bytes] = {}

    def once(kind: str) -> None:
        handout_render.illustrations = original if kind == "with" else (lambda: None)
        wall, cpu = time.perf_counter(), time.process_time()
        pdfs[kind] = render_handout(program, CLINIC)
        timings[kind]["cpu"].append((time.process_time() - cpu) * 1000)
        timings[kind]["wall"].append((time.perf_counter() - wall) * 1000)

    try:
        once("with"), once("without")  # warm: fonts, data files, solved poses
        timings = {k: {"wall": [], "cpu": []} for k in ("with", "without")}
        for _ in range(runs):
            once("with")
            once("without")
    finally:
        handout_render.illustrations = original
    out = dict(n=n)
    for kind in ("with", "without"):
        out[f"{kind}_ms"] = statistics.median(timings[kind]["wall"])
        out[f"{kind}_cpu_ms"] = statistics.median(timings[kind]["cpu"])
        out[f"{kind}_kb"] = len(pdfs[kind]) / 1024
        out[f"{kind}_pages"] = pages(pdfs[kind])
    return out


def drawings_alone() -> dict:
    ids = sorted(load_poses())
    ill_render._panels.cache_clear()
    start = time.perf_counter()
    for exercise_id in ids:
        drawing_for(exercise_id, 480, 110)
    cold_ms = (time.perf_counter() - start) * 1000  # includes solving every pose once
    warm_ms, _ = median_ms(lambda: [drawing_for(i, 480, 110) for i in ids])
    svg_ms, svgs = median_ms(lambda: [svg_for(i) for i in ids])
    sizes = [len(s.encode("utf-8")) for s in svgs]
    return dict(count=len(ids), cold_ms=cold_ms, warm_ms=warm_ms, svg_ms=svg_ms,
                svg_kb_mean=statistics.fmean(sizes) / 1024, svg_kb_max=max(sizes) / 1024)


def report(h: dict, d: dict) -> str:
    lines = [
        "| 10-exercise handout | median wall ms | median CPU ms | KB | pages |",
        "|---|---:|---:|---:|---:|",
        f"| without drawings | {h['without_ms']:.1f} | {h['without_cpu_ms']:.1f} | {h['without_kb']:.1f} | "
        f"{h['without_pages']} |",
        f"| with drawings | {h['with_ms']:.1f} | {h['with_cpu_ms']:.1f} | {h['with_kb']:.1f} | {h['with_pages']} |",
        "",
    ]
    for label, key in (("wall", "ms"), ("CPU", "cpu_ms")):
        added = h[f"with_{key}"] - h[f"without_{key}"]
        lines.append(f"- Drawings add {added:.1f} ms {label} time ({100 * added / h[f'without_{key}']:+.0f} %, "
                     "target <= 30 %) to the 10-exercise handout.")
    lines += [
        f"- Drawings add {h['with_kb'] - h['without_kb']:.1f} KB (target <= 40 KB).",
        f"- All {d['count']} drawings as reportlab Drawings: {d['cold_ms']:.0f} ms cold (poses solved once per "
        f"process), {d['warm_ms']:.1f} ms warm; as SVG {d['svg_ms']:.1f} ms, {d['svg_kb_mean']:.1f} KB each on "
        f"average (largest {d['svg_kb_max']:.1f} KB).",
        f"- Median of {RUNS} interleaved runs each; Python {sys.version.split()[0]}.",
    ]
    return "\n".join(lines)


def main() -> None:
    print(report(handout_with_and_without(), drawings_alone()))


if __name__ == "__main__":
    main()
