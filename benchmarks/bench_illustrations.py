"""What the exercise drawings cost: the 10-exercise handout rendered with and without them, and the drawings alone.

Run: ``.venv/bin/python -m benchmarks.bench_illustrations`` (or ``python benchmarks/bench_illustrations.py``).
Targets (issue 4): drawings add at most 30 % to the 10-exercise handout's render time and at most 40 KB to its
size. "Without" swaps the handout's drawing source for none (what happens when the illustrations package is
absent), so both runs lay out the same text. The numbers go to BENCHMARKS.md; nothing here is a timed test.
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

RUNS = 9


def median_ms(make, runs: int = RUNS) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = make()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def handout_with_and_without(n: int = 10) -> dict:
    program = program_with(n)
    render_handout(program, CLINIC)  # warm: fonts, data files, solved poses
    with_ms, with_pdf = median_ms(lambda: render_handout(program, CLINIC))
    original = handout_render.illustrations
    handout_render.illustrations = lambda: None
    try:
        render_handout(program, CLINIC)
        without_ms, without_pdf = median_ms(lambda: render_handout(program, CLINIC))
    finally:
        handout_render.illustrations = original
    return dict(n=n, with_ms=with_ms, without_ms=without_ms, with_kb=len(with_pdf) / 1024,
                without_kb=len(without_pdf) / 1024, with_pages=pages(with_pdf), without_pages=pages(without_pdf))


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
    added_ms = h["with_ms"] - h["without_ms"]
    added_pct = 100 * added_ms / h["without_ms"]
    added_kb = h["with_kb"] - h["without_kb"]
    lines = [
        "| 10-exercise handout | median ms | KB | pages |",
        "|---|---:|---:|---:|",
        f"| without drawings | {h['without_ms']:.1f} | {h['without_kb']:.1f} | {h['without_pages']} |",
        f"| with drawings | {h['with_ms']:.1f} | {h['with_kb']:.1f} | {h['with_pages']} |",
        "",
        f"- Drawings add {added_ms:.1f} ms ({added_pct:+.0f} %, target <= 30 %) and {added_kb:.1f} KB "
        f"(target <= 40 KB) to the 10-exercise handout.",
        f"- All {d['count']} drawings as reportlab Drawings: {d['cold_ms']:.0f} ms cold (poses solved once per "
        f"process), {d['warm_ms']:.1f} ms warm; as SVG {d['svg_ms']:.1f} ms, {d['svg_kb_mean']:.1f} KB each on "
        f"average (largest {d['svg_kb_max']:.1f} KB).",
        f"- Median of {RUNS} runs each; Python {sys.version.split()[0]}.",
    ]
    return "\n".join(lines)


def main() -> None:
    print(report(handout_with_and_without(), drawings_alone()))


if __name__ == "__main__":
    main()
