"""What the exercise drawings cost: the 10-exercise handout rendered with and without them, and the drawings alone.

Run: ``.venv/bin/python -m benchmarks.bench_illustrations`` (or ``python benchmarks/bench_illustrations.py``).
Targets (issues 4 and 13): drawings add at most 30 % to the 10-exercise handout's render time and at most 40 KB
to its size. "Without" swaps the handout's drawing source for none (what happens when the illustrations package is
absent), so both runs lay out the same text; "captioned" asks for the frame captions too (issue 13), as the
handout will; the kinds of run alternate. The animated SVGs (the Library page) are measured alone. The numbers go
to BENCHMARKS.md; nothing here is a timed test.
"""

from __future__ import annotations

import functools
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.graphics import renderPDF  # noqa: E402

from rehab.handout import cards, render_handout  # noqa: E402
from rehab.handout import render as handout_render  # noqa: E402
from rehab.illustrations import animate as ill_animate  # noqa: E402
from rehab.illustrations import animation_svg, drawing_for, svg_for  # noqa: E402
from rehab.illustrations import render as ill_render  # noqa: E402
from rehab.illustrations.poses import load_poses  # noqa: E402

try:  # the handout benchmark's program and clinic, so the two benchmarks measure the same document
    from benchmarks.bench_handout import CLINIC, pages, program_with  # noqa: E402
except ImportError:  # run as a script from benchmarks/
    from bench_handout import CLINIC, pages, program_with  # noqa: E402

RUNS = 21


def median_ms(make, runs: int = RUNS) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = make()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def _fast_picture_draw(self) -> None:
    """What the handout's Picture.draw would do with the drawing's own PDF fast path (a proposal, measured)."""
    draw_on = getattr(self.drawing, "draw_on", None)
    if draw_on is None:
        renderPDF.draw(self.drawing, self.canv, 0, 0)
    else:
        draw_on(self.canv, 0, 0)


def handout_with_and_without(n: int = 10, runs: int = RUNS) -> dict:
    """Interleaved runs (with, without, with, ...) so load from other processes hits both sides alike; CPU time
    (this process only) beside wall time, because the project machine is shared."""
    program = program_with(n)
    original = handout_render.illustrations
    original_draw = cards.Picture.draw
    kinds = ("with", "without", "fast", "captioned")
    captioned = functools.partial(drawing_for, caption_font="Helvetica", caption_size=8)
    timings: dict[str, dict[str, list[float]]] = {k: {"wall": [], "cpu": []} for k in kinds}
    pdfs: dict[str, bytes] = {}

    def once(kind: str) -> None:
        handout_render.illustrations = {"without": lambda: None, "captioned": lambda: captioned}.get(kind, original)
        cards.Picture.draw = _fast_picture_draw if kind == "fast" else original_draw
        wall, cpu = time.perf_counter(), time.process_time()
        pdfs[kind] = render_handout(program, CLINIC)
        timings[kind]["cpu"].append((time.process_time() - cpu) * 1000)
        timings[kind]["wall"].append((time.perf_counter() - wall) * 1000)

    try:
        for kind in kinds:  # warm: fonts, data files, solved poses
            once(kind)
        timings = {k: {"wall": [], "cpu": []} for k in kinds}
        for _ in range(runs):
            for kind in kinds:
                once(kind)
    finally:
        handout_render.illustrations = original
        cards.Picture.draw = original_draw
    out = dict(n=n)
    for kind in kinds:
        out[f"{kind}_ms"] = statistics.median(timings[kind]["wall"])
        out[f"{kind}_cpu_ms"] = statistics.median(timings[kind]["cpu"])
        out[f"{kind}_min_ms"] = min(timings[kind]["cpu"])  # least disturbed by other processes
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

    def animations() -> list[str]:
        ill_animate.animation_svg.cache_clear()  # each run builds them all, as a fresh server process would
        return [animation_svg(i) for i in ids]

    anim_ms, moving = median_ms(animations, runs=5)
    anim_sizes = [len(s.encode("utf-8")) for s in moving]
    return dict(count=len(ids), cold_ms=cold_ms, warm_ms=warm_ms, svg_ms=svg_ms,
                svg_kb_mean=statistics.fmean(sizes) / 1024, svg_kb_max=max(sizes) / 1024,
                anim_ms=anim_ms, anim_kb_mean=statistics.fmean(anim_sizes) / 1024, anim_kb_max=max(anim_sizes) / 1024)


def report(h: dict, d: dict) -> str:
    lines = [
        "| 10-exercise handout | median wall ms | median CPU ms | min CPU ms | KB | pages |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, label in (("without", "without drawings"), ("with", "with drawings"),
                        ("fast", "with drawings, fast PDF path"), ("captioned", "with drawings and captions")):
        lines.append(f"| {label} | {h[f'{kind}_ms']:.1f} | {h[f'{kind}_cpu_ms']:.1f} | {h[f'{kind}_min_ms']:.1f} | "
                     f"{h[f'{kind}_kb']:.1f} | {h[f'{kind}_pages']} |")
    lines.append("")
    for label, key in (("wall", "ms"), ("CPU", "cpu_ms"), ("minimum CPU", "min_ms")):
        added = h[f"with_{key}"] - h[f"without_{key}"]
        lines.append(f"- Drawings add {added:.1f} ms {label} time ({100 * added / h[f'without_{key}']:+.0f} %, "
                     "target <= 30 %) to the 10-exercise handout.")
    fast = h["fast_min_ms"] - h["without_min_ms"]
    lines.append(f"- With the drawings' own PDF writer (Picture.draw calling drawing.draw_on): {fast:+.1f} ms minimum "
                 f"CPU ({100 * fast / h['without_min_ms']:+.0f} %).")
    captions = h["captioned_min_ms"] - h["without_min_ms"]
    lines.append(f"- Drawings with frame captions (Start, Move, Finish, Hold): {captions:+.1f} ms minimum CPU "
                 f"({100 * captions / h['without_min_ms']:+.0f} %), {h['captioned_kb'] - h['without_kb']:+.1f} KB "
                 "(target <= 30 %, <= 40 KB).")
    lines += [
        f"- Drawings add {h['with_kb'] - h['without_kb']:.1f} KB (target <= 40 KB).",
        f"- All {d['count']} drawings as reportlab Drawings: {d['cold_ms']:.0f} ms cold (poses solved once per "
        f"process), {d['warm_ms']:.1f} ms warm; as SVG {d['svg_ms']:.1f} ms, {d['svg_kb_mean']:.1f} KB each on "
        f"average (largest {d['svg_kb_max']:.1f} KB).",
        f"- All {d['count']} animated SVGs (Library page): {d['anim_ms']:.0f} ms to build them all, "
        f"{d['anim_kb_mean']:.1f} KB each on average (largest {d['anim_kb_max']:.1f} KB).",
        f"- {RUNS} interleaved runs of each kind; Python {sys.version.split()[0]}.",
    ]
    return "\n".join(lines)


def main() -> None:
    print(report(handout_with_and_without(), drawings_alone()))


if __name__ == "__main__":
    main()
