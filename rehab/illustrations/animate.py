"""The drawing as a looping animation: one self-contained SVG that moves the figure smoothly between its frames.

Why SVG with SMIL: it is vectors (sharp at any size, a few KB), needs no script (it plays inside an <img>, so
Streamlit's ``st.image`` and a plain patient web page can both show it), and the in-between poses come from
joint angles, not from morphing outlines: each sample is a real pose blended between two frames (``body.blend``),
so a knee bends along an arc rather than sliding. A CSS media query swaps in the still last frame (with its arrow)
for readers who ask for reduced motion. The PDF keeps the still frames.
"""

from __future__ import annotations

import functools
from xml.sax.saxutils import escape

from reportlab.lib import colors

from . import body as B
from .key import describe
from .poses import ExercisePoses, load_poses
from .props import Shape
from .render import DEFAULT_ACCENT, FLOOR, FLOOR_W, LIBRARY_LOAD, PAD, _LibraryLoad, _palette, resolve_load
from .scene import Frame, arrow_shapes, bounds, figure_shapes, layered, projected_props, solve, tied_shapes

STEPS = 8  # poses sampled between two frames; SMIL interpolates linearly between samples
MOVE_S = 1.1  # seconds from one frame to the next
PAUSE_S = 0.6  # seconds resting on a frame
HOLD_S = 1.6  # seconds on a frame captioned "Hold"


def _ease(t: float) -> float:
    return t * t * (3 - 2 * t)


def _sample_shapes(ex: ExercisePoses, frames: list[Frame], a: int, b: int, t: float, load: str | None) -> list[Shape]:
    """Props, body and bands for the pose ``t`` of the way from frame a to frame b (body in frame a's order)."""
    pose = B.blend(frames[a].pose, frames[b].pose, t)
    sk = B.skeleton(pose)
    props_a = projected_props(ex, ex.frames[a])
    props_b = projected_props(ex, ex.frames[b])
    props = [_mix_shape(p, q, t) for p, q in zip(props_a, props_b, strict=True)] if _same(props_a, props_b) else (
        props_a if t < 0.5 else props_b)
    near = ex.frames[a] if t < 0.5 else ex.frames[b]
    return [*layered(props, figure_shapes(ex, sk, depth_from=frames[0].skeleton)), *tied_shapes(ex, near, sk, load)]


def _same(xs: list[Shape], ys: list[Shape]) -> bool:
    return len(xs) == len(ys) and all(
        (x.kind, x.role, len(x.coords)) == (y.kind, y.role, len(y.coords)) for x, y in zip(xs, ys, strict=True))


def _mix_shape(p: Shape, q: Shape, t: float) -> Shape:
    return Shape(p.kind, p.role, tuple(u + (v - u) * t for u, v in zip(p.coords, q.coords, strict=True)),
                 width=p.width, radius=p.radius, closed=p.closed)


def _timeline(ex: ExercisePoses) -> list[tuple[int, int, float, float]]:
    """(frame a, frame b, blend, seconds) keyframes: through every frame, then back to the first (or, for a
    ``loop`` such as pedalling, on from the last frame to the first)."""
    n = len(ex.frames)
    order = [*range(n), 0] if ex.loop else [*range(n), *range(n - 2, -1, -1)]
    out: list[tuple[int, int, float, float]] = []
    clock = 0.0
    for i, (a, b) in enumerate(zip(order, order[1:], strict=False)):
        rest = HOLD_S if ex.captions[a] == "Hold" else PAUSE_S
        if i == 0:
            out.append((a, b, 0.0, clock))
        clock += rest
        out.append((a, b, 0.0, clock))
        for k in range(1, STEPS + 1):
            out.append((a, b, _ease(k / STEPS), clock + MOVE_S * k / STEPS))
        clock += MOVE_S
    return out


def _n(v: float) -> str:
    text = f"{v:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _pts(coords: tuple[float, ...]) -> str:
    return " ".join(f"{_n(coords[i])},{_n(coords[i + 1])}" for i in range(0, len(coords), 2))


def _hex(c: colors.Color | None) -> str:
    return "none" if c is None else "#" + c.hexval()[2:].lower()


def _style(shape: Shape, palette) -> str:
    stroke, fill = palette[shape.role]
    if shape.kind == "line":
        filled = shape.closed and shape.role != "band"
        return (f'fill="{_hex(fill) if filled else "none"}" stroke="{_hex(stroke)}" '
                f'stroke-width="{_n(shape.width)}" stroke-linecap="round" stroke-linejoin="round"')
    return f'fill="{_hex(fill)}" stroke="{_hex(stroke)}" stroke-width="0.6"'


def _element(shape: Shape, palette, anim: str = "") -> str:
    c = shape.coords
    style = _style(shape, palette)
    if shape.kind == "circle":
        return f'<circle cx="{_n(c[0])}" cy="{_n(c[1])}" r="{_n(c[2])}" {style}>{anim}</circle>'
    if shape.kind == "rect":
        x0, y0, x1, y1 = min(c[0], c[2]), min(c[1], c[3]), max(c[0], c[2]), max(c[1], c[3])
        return (f'<rect x="{_n(x0)}" y="{_n(y0)}" width="{_n(x1 - x0)}" height="{_n(y1 - y0)}" '
                f'rx="{_n(shape.radius)}" {style}>{anim}</rect>')
    tag = "polygon" if shape.closed else "polyline"
    return f'<{tag} points="{_pts(c)}" {style}>{anim}</{tag}>'


def _padded(samples: list[list[Shape]]) -> list[list[Shape]] | None:
    """The samples with every polygon given the same number of points (a turning trunk's outline gains or loses
    a corner); None when the shapes themselves differ, so they cannot be morphed."""
    first = samples[0]
    if any(len(s) != len(first) or any((a.kind, a.role) != (b.kind, b.role) for a, b in zip(s, first, strict=True))
           for s in samples):
        return None
    out = [list(s) for s in samples]
    for i, shape in enumerate(first):
        if shape.kind != "line":
            continue
        most = max(len(s[i].coords) for s in samples)
        for s in out:
            c = s[i].coords
            if len(c) < most:
                s[i] = Shape(s[i].kind, s[i].role, c + c[-2:] * ((most - len(c)) // 2), width=s[i].width,
                             radius=s[i].radius, closed=s[i].closed)
    return out


def _animated(shapes: list[Shape], palette, key_times: str, dur: float) -> str:
    """One element per shape, with an <animate> for each attribute that changes over the samples."""
    first = shapes[0]
    c0 = first.coords
    if all(s.coords == c0 for s in shapes):
        return _element(first, palette)
    common = f'dur="{dur:.2f}s" keyTimes="{key_times}" repeatCount="indefinite" calcMode="linear"'

    def anim(attr: str, values: list[str]) -> str:
        return f'<animate attributeName="{attr}" values="{";".join(values)}" {common}/>'

    if first.kind == "circle":
        body = anim("cx", [_n(s.coords[0]) for s in shapes]) + anim("cy", [_n(s.coords[1]) for s in shapes])
    elif first.kind == "rect":
        body = (anim("x", [_n(min(s.coords[0], s.coords[2])) for s in shapes])
                + anim("y", [_n(min(s.coords[1], s.coords[3])) for s in shapes]))
    else:
        body = anim("points", [_pts(s.coords) for s in shapes])
    return _element(first, palette, body)


@functools.lru_cache(maxsize=256)
def animation_svg(
    exercise_id: str,
    width: float = 360,
    height: float = 150,
    accent: colors.Color | None = None,
    *,
    load: str | None | _LibraryLoad = LIBRARY_LOAD,
) -> str | None:
    """A looping SVG of the exercise (``width`` x ``height`` px), or None when it has no drawing. It carries its
    text alternative as <title>/<desc>, and holds still (last frame with its arrow) under reduced motion."""
    ex = load_poses().get(exercise_id)
    if ex is None:
        return None
    load = resolve_load(exercise_id, load)
    palette = _palette(accent or DEFAULT_ACCENT)
    frames = solve(ex)
    timeline = _timeline(ex)
    samples = [_sample_shapes(ex, frames, a, b, t, load) for a, b, t, _ in timeline]
    last = len(frames) - 1
    still = _sample_shapes(ex, frames, last, last, 0.0, load)
    for arrow in ex.arrows:
        if arrow.frame % len(frames) == last:
            still += arrow_shapes(ex, frames, arrow)
    x0, y0, x1, y1 = bounds([s for sample in samples for s in sample] + still)
    y0 = min(y0, -FLOOR_W)
    k = min((width - 2 * PAD) / (x1 - x0), (height - 2 * PAD) / (y1 - y0))
    tx = (width - k * (x1 - x0)) / 2 - k * x0
    ty = (height - k * (y1 - y0)) / 2 - k * y0
    # SVG's y runs down: flip about the floor, and mirror left-right when the pose asks for it
    sx = -k if ex.mirror else k
    tx = width - tx if ex.mirror else tx
    transform = f"matrix({_n4(sx)} 0 0 {_n4(-k)} {_n(tx)} {_n(height - ty)})"
    dur = timeline[-1][3]
    key_times = ";".join(f"{t / dur:.4f}".rstrip("0").rstrip(".") if t else "0" for *_, t in timeline)
    padded = _padded(samples)
    if padded is None:
        raise ValueError(f"{exercise_id}: the drawn parts change between frames, so they cannot be animated")
    moving = "".join(_animated([s[i] for s in padded], palette, key_times, dur) for i in range(len(padded[0])))
    still_svg = "".join(_element(s, palette) for s in still)
    floor = "" if ex.pitch else (f'<line x1="2" y1="{_n(height - ty)}" x2="{_n(width - 2)}" y2="{_n(height - ty)}" '
                                 f'stroke="{_hex(FLOOR)}" stroke-width="{FLOOR_W}" stroke-linecap="round"/>')
    words = describe(exercise_id, load) or ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}" height="{_n(height)}" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" role="img">'
        f"<title>{escape(exercise_id.replace('_', ' '))}: moving drawing</title><desc>{escape(words)}</desc>"
        "<style>.still{display:none}@media (prefers-reduced-motion: reduce){.moving{display:none}"
        ".still{display:inline}}</style>"
        f'{floor}<g class="moving" transform="{transform}">{moving}</g>'
        f'<g class="still" transform="{transform}">{still_svg}</g></svg>'
    )


def _n4(v: float) -> str:
    return f"{v:.4f}".rstrip("0").rstrip(".")
