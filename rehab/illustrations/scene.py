"""From pose data to geometry: solve each frame into a posed skeleton, then flatten it into 2D shapes.

The output is renderer-neutral (``Shape`` primitives with colour roles), so the PDF Drawing and the SVG come
from the same geometry, and the tests check the same numbers the reader sees.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from . import body as B
from .geometry import Vec, column, dot
from .load import shown
from .poses import ArrowSpec, ExercisePoses, FrameSpec
from .props import BODY_TIED, Band, Shape, Strap, Weight, capsule, circle, fixed_shapes, line, surface_height
from .props import Mat as MatProp
from .props import Roll as RollProp

LIMB_PARTS = ("hip", "knee", "ankle", "heel", "toe", "thigh", "shank", "foot")
ARROW_W = 2.0
MIN_ARROW = 11.0  # body units: the shortest arrow drawn
HALO = 2.2
FAR_SIDE = 0.7  # a side facing this directly away from the viewer (cosine) is drawn faded, as the far side
BAND_W = 1.6
STRAP_W = 2.4
GRIP_R = 2.9  # a hand that holds the ankle is drawn as a fist, so the hold is plain to see
STANCE_EDGE = 1.5  # the outline of a stance leg: dark edge this wide, white inside


@dataclass(frozen=True)
class Frame:
    name: str
    pose: B.Pose
    skeleton: B.Skeleton


def radius_of(ref: str) -> float:
    name = ref.split(":")[0]
    if name in ("head",):
        return B.HEAD_R
    if any(p in name for p in ("hand", "elbow", "arm")):
        return B.ARM_W / 2
    if any(p in name for p in ("heel", "toe")):
        return 0.0
    return B.LEG_W / 2


SEGMENT_PARTS = {f"{s}_{seg}" for s in B.SIDES for seg in ("thigh", "upper_arm")}

# Trunk box corners are stored level (pelvis, chest) x side (left, right) x depth (back, front).
TRUNK_FACES = {
    "back": (0, 2, 4, 6),
    "front": (1, 3, 5, 7),
    "l_side": (0, 1, 4, 5),
    "r_side": (2, 3, 6, 7),
}


def part_points(sk: B.Skeleton, part: str) -> list[tuple[Vec, float]]:
    """World points (with their drawn radius) that must touch a surface for ``part`` to rest on it.

    Trunk faces (back, front, l_side, r_side) give their four box corners; ``pelvis`` and ``shoulders`` the
    lowest corner at that end; ``r_foot`` the heel and toe; ``r_forearm`` and ``r_shank`` both ends.
    """
    if part in TRUNK_FACES:
        return [(sk.trunk_corners[i], B.TRUNK_W / 2) for i in TRUNK_FACES[part]]
    if part in ("pelvis", "shoulders"):
        ends = sk.trunk_corners[:4] if part == "pelvis" else sk.trunk_corners[4:]
        return [(min(ends, key=lambda p: p[1]), B.TRUNK_W / 2)]
    side = part[0]
    if part in SEGMENT_PARTS:  # a whole segment: sampled along its length, any sample may be the one touching
        return [(sk.point(f"{part}:{i / 8}"), radius_of(part)) for i in range(9)]
    if part.endswith("_foot"):
        return [(sk.points[f"{side}_heel"], 0.0), (sk.points[f"{side}_toe"], 0.0)]
    if part.endswith("_forearm"):
        return [(sk.points[f"{side}_{j}"], B.ARM_W / 2) for j in ("elbow", "hand")]
    if part.endswith("_shank"):
        return [(sk.points[f"{side}_{j}"], B.LEG_W / 2) for j in ("knee", "ankle")]
    return [(sk.point(part), radius_of(part))]


def frame_props(ex: ExercisePoses, spec: FrameSpec, load: str | None = None) -> list:
    """The frame's props; bands and ankle weights only when ``load`` uses them (fixed props always)."""
    return [p for p in (*ex.props, *spec.props) if not isinstance(p, BODY_TIED) or shown(p, load)]


def surface_shapes(ex: ExercisePoses, spec: FrameSpec, name: str) -> list[Shape]:
    if name == "floor":
        return []
    return [s for label, shapes in fixed_shapes(frame_props(ex, spec)) if label == name for s in shapes]


def solve_frame(ex: ExercisePoses, spec: FrameSpec) -> Frame:
    """Angles first, then drop onto the rest surface, then reach the limbs given by target points."""
    orient = B.Orientation(**spec.body.model_dump())
    legs = {s: getattr(spec, f"{s}_leg") for s in B.SIDES}
    arms = {s: getattr(spec, f"{s}_arm") for s in B.SIDES}
    pelvis: Vec = (spec.pelvis[0], spec.pelvis[1] if len(spec.pelvis) == 2 else 0.0, 0.0)

    def angles(p: Vec) -> B.Pose:
        return B.Pose(
            pelvis=p,
            orientation=orient,
            legs={s: B.LegAngles(g.hip, g.knee, g.ankle, g.abd, g.rot) for s, g in legs.items()},
            arms={s: B.ArmAngles(a.shoulder, a.elbow, a.abd) for s, a in arms.items()},
            neck=spec.neck,
        )

    pose = angles(pelvis)
    if spec.rest:
        sk = B.skeleton(pose)
        shapes = surface_shapes(ex, spec, spec.surface)
        drop = max(surface_height(shapes, p[0]) - (p[1] - r) for p, r in part_points(sk, spec.rest))
        pelvis = (pelvis[0], pelvis[1] + drop, 0.0)
        pose = angles(pelvis)
    sk = B.skeleton(pose)
    solved_legs = dict(pose.legs)
    for s, leg in legs.items():
        if leg.ankle_at is not None:
            target = (leg.ankle_at[0], leg.ankle_at[1], sk.points[f"{s}_hip"][2])
            solved = B.leg_ik(sk, s, target, leg.abd, leg.rot, leg.flat)
            solved_legs[s] = solved if leg.flat else replace(solved, ankle=leg.ankle)
    pose = B.Pose(pelvis, orient, solved_legs, dict(pose.arms), spec.neck)
    sk = B.skeleton(pose)
    solved_arms = dict(pose.arms)
    for s, arm in arms.items():
        if arm.hand_at is not None:
            if isinstance(arm.hand_at, str):
                target = sk.point(arm.hand_at)
            else:
                target = (arm.hand_at[0], arm.hand_at[1], sk.points[f"{s}_shoulder"][2])
            solved_arms[s] = B.arm_ik(sk, s, target, arm.abd)
    pose = B.Pose(pelvis, orient, solved_legs, solved_arms, spec.neck)
    return Frame(spec.name, pose, B.skeleton(pose))


def solve(ex: ExercisePoses) -> list[Frame]:
    return [solve_frame(ex, f) for f in ex.frames]


# ---- flattening to shapes -------------------------------------------------------------------------------


def _xy(cam: B.Camera, p: Vec) -> tuple[float, float]:
    q = cam.project(p)
    return q[0], q[1]


def projected_props(ex: ExercisePoses, spec: FrameSpec) -> list[Shape]:
    """Fixed props as the camera sees them (the camera turns one way only, so rects stay rects)."""
    cam = B.Camera(ex.yaw, ex.pitch)
    out: list[Shape] = []
    for prop in frame_props(ex, spec):
        if isinstance(prop, BODY_TIED):
            continue
        if isinstance(prop, MatProp) and ex.pitch:
            (x0, y0), (x1, y1) = cam.flat(prop.x0, 0.0, prop.depth[1]), cam.flat(prop.x1, 2.0, prop.depth[0])
            out.append(Shape("rect", "floor_area" if prop.floor else "prop", (x0, y0, x1, y1), radius=1.0))
            continue
        if isinstance(prop, RollProp) and prop.kind == "roller" and ex.pitch:
            # Seen from above, a roller lying across the view shows its length: a rounded bar.
            r = prop.radius
            (x0, y0), (x1, y1) = cam.flat(prop.x - r, prop.y, 14.0), cam.flat(prop.x + r, prop.y + 2 * r, -14.0)
            out.append(Shape("rect", "towel", (x0, y0, x1, y1), radius=r * 0.9))
            continue
        for shape in prop.shapes():
            out.append(_project_shape(shape, cam))
    return out


def _project_shape(shape: Shape, cam: B.Camera) -> Shape:
    c = shape.coords
    if shape.kind == "circle":
        return replace(shape, coords=(*cam.flat(c[0], c[1]), c[2]))
    return replace(shape, coords=tuple(v for i in range(0, len(c), 2) for v in cam.flat(c[i], c[i + 1])))


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    pts = sorted(set((round(x, 4), round(y, 4)) for x, y in points))
    if len(pts) <= 2:
        return pts

    def turn(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    for p in pts:
        while len(lower) >= 2 and turn(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list = []
    for p in reversed(pts):
        while len(upper) >= 2 and turn(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def limb_role(ex: ExercisePoses, sk: B.Skeleton, limb: str) -> str:
    """The colour role a limb (``r_leg``) is drawn in: accent (moves), stance (stood on) or body, faded ("_far")
    when it is on the far side of a side-on body."""
    cam = B.Camera(ex.yaw, ex.pitch)
    side = limb[0]
    behind = B.lateral(side) * dot(column(sk.basis, 2), cam.matrix[2]) < -FAR_SIDE
    lit, stance = limb in ex.highlight, limb in ex.stance
    other = f"{'l' if side == 'r' else 'r'}{limb[1:]}"
    # The one working limb stays full strength even on the far side (the bottom leg when side-lying).
    far = behind and not ((lit and other not in ex.highlight) or stance)
    return ("accent" if lit else "stance" if stance else "body") + ("_far" if far else "")


def figure_shapes(ex: ExercisePoses, sk: B.Skeleton, depth_from: B.Skeleton | None = None) -> list[Shape]:
    """The body as thick round-capped strokes, far parts first; highlighted limbs take the accent roles.

    ``depth_from`` orders the parts by another skeleton's depths (an animation keeps one order throughout)."""
    cam = B.Camera(ex.yaw, ex.pitch)
    depth = {k: cam.project(v)[2] for k, v in (depth_from or sk).points.items()}
    items: list[tuple[float, int, Shape]] = []
    trunk_pts = _hull([_xy(cam, c) for c in sk.trunk_corners])
    trunk_depth = (depth["pelvis"] + depth["chest"]) / 2
    trunk_role = "accent" if "trunk" in ex.highlight else "body"
    items.append((trunk_depth, 0, Shape("line", trunk_role, tuple(c for p in trunk_pts for c in p),
                                       width=B.TRUNK_W, closed=True)))
    hx, hy = _xy(cam, sk.points["head"])
    items.append((depth["head"], 1, circle(hx, hy, B.HEAD_R, role="body")))
    for s in B.SIDES:
        for limb, joints, width in (
            ("leg", ("hip", "knee", "ankle"), B.LEG_W),
            ("arm", ("shoulder", "elbow", "hand"), B.ARM_W),
        ):
            role = limb_role(ex, depth_from or sk, f"{s}_{limb}")
            stance = role.startswith("stance")
            far = role.endswith("_far")
            names = [f"{s}_{j}" for j in joints]
            d = sum(depth[n] for n in names) / len(names)
            if limb == "leg":  # one stroke from hip to toe: the foot continues the leg
                names += [f"{s}_foot_back", f"{s}_foot_front"]
            pts = [_xy(cam, sk.points[n]) for n in names]
            pri = 2 if limb == "leg" else 3
            if not far:  # a thin white edge keeps a near limb readable where it crosses the trunk or the far limb
                items.append((d, pri, line(pts, width + HALO, role="halo")))
            items.append((d, pri, line(pts, width, role=role)))
            if stance:  # outlined, so it reads as "stand on this one" in colour and in grey alike
                items.append((d, pri, line(pts, width - 2 * STANCE_EDGE, role="stance_core")))
    items.sort(key=lambda t: (round(t[0], 3), t[1]))  # stable: a limb's halo stays just under the limb
    return [shape for _, _, shape in items]


def tied_shapes(ex: ExercisePoses, spec: FrameSpec, sk: B.Skeleton, load: str | None) -> list[Shape]:
    """Bands, straps and weights, which follow the body from frame to frame (bands and weights per the load)."""
    cam = B.Camera(ex.yaw, ex.pitch)
    out: list[Shape] = []
    for p in frame_props(ex, spec, load):
        if not isinstance(p, BODY_TIED):
            continue
        if isinstance(p, Weight):
            x, y = _xy(cam, sk.point(p.at))
            out.append(Shape("rect", "weight", (x - 3.2, y - 2.6, x + 3.2, y + 2.6), radius=1.6))
        elif isinstance(p, Strap):
            out.append(line([_xy(cam, sk.point(p.a)), _xy(cam, sk.point(p.b))], STRAP_W, role="strap"))
        elif isinstance(p, Band):
            a = _xy(cam, sk.point(p.a)) if isinstance(p.a, str) else cam.flat(*p.a)
            b = _xy(cam, sk.point(p.b))
            r = B.LEG_W / 2 + 1.4 if p.kind == "loop_band" else 1.6
            out.append(line(capsule(a, b, r), BAND_W, role="band", closed=True))
    return out


def grip_shapes(ex: ExercisePoses, spec: FrameSpec, sk: B.Skeleton) -> list[Shape]:
    """A fist, with a white edge, at each hand that holds a body point (the ankle in a quad stretch)."""
    cam = B.Camera(ex.yaw, ex.pitch)
    out: list[Shape] = []
    for side in B.SIDES:
        arm = getattr(spec, f"{side}_arm")
        if isinstance(arm.hand_at, str):
            x, y = _xy(cam, sk.points[f"{side}_hand"])
            out += [circle(x, y, GRIP_R + HALO / 2, role="halo_fill"), circle(x, y, GRIP_R, role="body")]
    return out


def bounds(shapes: list[Shape]) -> tuple[float, float, float, float]:
    boxes = [s.bounds() for s in shapes]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _trace(frames: list[Frame], point: str, cam: B.Camera, steps: int = 6) -> list[tuple[float, float]]:
    pts = [_xy(cam, frames[0].skeleton.point(point))]
    for a, b in zip(frames, frames[1:], strict=False):
        for i in range(1, steps + 1):
            pose = B.blend(a.pose, b.pose, i / steps)
            pts.append(_xy(cam, B.skeleton(pose).point(point)))
    return pts


def arrow_shapes(ex: ExercisePoses, frames: list[Frame], spec: ArrowSpec) -> list[Shape]:
    """A movement arrow: the path a body point travels, moved clear of the body, with a head at the end."""
    cam = B.Camera(ex.yaw, ex.pitch)
    if spec.arc is not None:
        cx, cy, r, a0, a1 = spec.arc
        n = max(4, int(abs(a1 - a0) / 12))
        pts = [cam.flat(cx + r * math.cos(math.radians(a0 + (a1 - a0) * i / n)),
                        cy + r * math.sin(math.radians(a0 + (a1 - a0) * i / n))) for i in range(n + 1)]
    elif spec.path is not None:
        pts = [cam.flat(x, y) for x, y in spec.path]
    else:
        upto = spec.frame % len(frames) + 1  # the path so far: an arrow on a middle frame shows how it got there
        raw = _trace(frames[:upto], spec.follow or "", cam)
        if spec.ahead:  # the step just taken: from the frame before to this one
            pts = _ahead(_trace(frames[max(0, upto - 2):upto], spec.follow or "", cam), spec)
        else:
            pts = _offset_path(raw, frames[spec.frame].skeleton, cam, spec)
    pts = _lengthen(_dedupe(pts), MIN_ARROW)
    if len(pts) < 2:
        return []
    out = [line(pts, ARROW_W, role="arrow")]
    out.append(_head(pts[-2], pts[-1]))
    if spec.both:
        out.append(_head(pts[1], pts[0]))
    return out


def _ahead(raw: list[tuple[float, float]], spec: ArrowSpec) -> list[tuple[float, float]]:
    """A straight arrow that starts ``offset`` beyond where the point ended up and points on the way it went."""
    (x0, y0), (x1, y1) = raw[0], raw[-1]
    length = math.hypot(x1 - x0, y1 - y0) or 1.0
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    start = (x1 + ux * spec.offset, y1 + uy * spec.offset)
    return [start, (start[0] + ux * MIN_ARROW, start[1] + uy * MIN_ARROW)]


def _lengthen(pts: list[tuple[float, float]], minimum: float) -> list[tuple[float, float]]:
    """Stretch a short arrow about its middle, so a small movement still gets a visible arrow."""
    if len(pts) < 2:
        return pts
    (x0, y0), (x1, y1) = pts[0], pts[-1]
    length = math.hypot(x1 - x0, y1 - y0)
    travelled = sum(math.dist(a, b) for a, b in zip(pts, pts[1:], strict=False))  # an arc can end where it began
    if travelled >= minimum or length == 0:
        return pts
    k = minimum / length
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    return [(mx + (x - mx) * k, my + (y - my) * k) for x, y in pts]


def _dedupe(pts: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for p in pts:
        if not out or math.hypot(p[0] - out[-1][0], p[1] - out[-1][1]) > 0.3:
            out.append(p)
    return out


def _offset_path(raw, sk: B.Skeleton, cam: B.Camera, spec: ArrowSpec) -> list[tuple[float, float]]:
    cx, cy = _xy(cam, sk.points["pelvis"])
    n = len(raw)
    cut = int(round(spec.trim * (n - 1)))
    kept = raw[cut: n - cut] if n - 2 * cut >= 2 else raw
    (x0, y0), (x1, y1) = kept[0], kept[-1]
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    dx, dy = x1 - x0, y1 - y0
    length = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / length, dx / length
    # (nx, ny) is the left of travel; "out" puts the arrow on the side of the path away from the pelvis.
    if spec.side == "right":
        nx, ny = -nx, -ny
    elif spec.side in ("out", "in"):
        away = (mx - cx) * nx + (my - cy) * ny
        if (away < 0) == (spec.side == "out"):
            nx, ny = -nx, -ny
    return [(x + nx * spec.offset, y + ny * spec.offset) for x, y in kept]


def _head(a: tuple[float, float], b: tuple[float, float], size: float = 5.0) -> Shape:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    tip = (b[0] + ux * size * 0.55, b[1] + uy * size * 0.55)
    back = (b[0] - ux * size * 0.45, b[1] - uy * size * 0.45)
    left = (back[0] - uy * size * 0.55, back[1] + ux * size * 0.55)
    right = (back[0] + uy * size * 0.55, back[1] - ux * size * 0.55)
    return Shape("line", "arrow_head", (*tip, *left, *right), width=0.8, closed=True)


SMALL_PROPS = ("towel", "band")  # roles of the round things lying on the floor at the body's middle


def layered(props: list[Shape], figure: list[Shape]) -> list[Shape]:
    """Depth order: large props, the faded far limbs, the small round props (a towel under the near knee sits in
    front of the far leg), then the rest of the body."""
    small = [p for p in props if p.kind == "circle" and p.role in SMALL_PROPS]
    far = [f for f in figure if f.role.endswith("_far")]
    return ([p for p in props if p not in small] + far + small + [f for f in figure if not f.role.endswith("_far")])


@dataclass(frozen=True)
class Panel:
    """One frame, ready to draw: props behind, then the body, then bands and arrows."""

    name: str
    caption: str
    shapes: list[Shape]


def panels(ex: ExercisePoses, load: str | None) -> list[Panel]:
    frames = solve(ex)
    out = []
    for index, (spec, frame, caption) in enumerate(zip(ex.frames, frames, ex.captions, strict=True)):
        shapes = [*layered(projected_props(ex, spec), figure_shapes(ex, frame.skeleton)),
                  *tied_shapes(ex, spec, frame.skeleton, load), *grip_shapes(ex, spec, frame.skeleton)]
        for arrow in ex.arrows:
            if arrow.frame % len(frames) == index:
                shapes.extend(arrow_shapes(ex, frames, arrow))
        out.append(Panel(frame.name, caption, shapes))
    return out
