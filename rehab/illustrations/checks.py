"""Plausibility checks on solved poses: human joint ranges, contacts that really touch, nothing under the floor.

The tests run these over the whole library; ``python -m rehab illustrations --check`` prints them while a pose
is being written.
"""

from __future__ import annotations

import math

from . import body as B
from .poses import ExercisePoses
from .props import fixed_shapes
from .scene import SEGMENT_PARTS, Frame, frame_props, limb_role, part_points, solve

CONTACT_TOL = 1.0  # body units (about 2 cm): how far a resting part may float above or sink into a surface


def angle_problems(frame: Frame) -> list[str]:
    out = []
    pose = frame.pose
    for side in B.SIDES:
        for limb, values, ranges in (("leg", pose.legs[side], B.LEG_RANGES), ("arm", pose.arms[side], B.ARM_RANGES)):
            for joint, (lo, hi) in ranges.items():
                v = getattr(values, joint)
                if not lo - 0.5 <= v <= hi + 0.5:
                    out.append(f"{frame.name}: {side}_{limb}.{joint} = {v:.1f} is outside {lo:g}..{hi:g}")
    lo, hi = B.NECK_RANGE
    if not lo <= pose.neck <= hi:
        out.append(f"{frame.name}: neck = {pose.neck:.1f} is outside {lo:g}..{hi:g}")
    return out


def gap_to_surfaces(props: list, x: float, y: float, r: float) -> float:
    """Smallest gap between a disc (x, y, r) and the floor or any solid prop; negative means it sinks in."""
    gaps = [y - r]
    if y - r < -CONTACT_TOL:  # under the floor: no prop surface can make that a contact
        return y - r
    for _, shapes in fixed_shapes(props):
        for s in shapes:
            d = s.surface_distance(x, y)
            if d is not None:
                gaps.append(d - r)
    return min(gaps, key=abs)


def contact_problems(ex: ExercisePoses, frame: Frame) -> list[str]:
    out = []
    spec = next(f for f in ex.frames if f.name == frame.name)
    props = frame_props(ex, spec)
    for part in spec.contacts:
        gaps = [gap_to_surfaces(props, x, y, r) for (x, y, _), r in part_points(frame.skeleton, part)]
        if part in SEGMENT_PARTS:  # a segment touches if any point along it does, and none sinks in
            gaps = [min(gaps, key=abs)] + [g for g in gaps if g < -CONTACT_TOL]
        for gap in gaps:
            if abs(gap) > CONTACT_TOL:
                out.append(f"{frame.name}: {part} is {gap:+.1f} units from the nearest surface")
    return out


def drawn_radius(point: str) -> float:
    """How far the drawing reaches beyond a skeleton point (its stroke's half width)."""
    if point == "head":
        return B.HEAD_R
    if point.endswith(("heel", "toe")):
        return 0.0
    if point.endswith(("shoulder", "elbow", "hand")):
        return B.ARM_W / 2
    if point in ("pelvis", "chest", "neck"):
        return 0.0
    return B.LEG_W / 2


def floor_problems(ex: ExercisePoses, frame: Frame) -> list[str]:
    out = []
    for name, p in frame.skeleton.points.items():
        y = p[1]
        if y - drawn_radius(name) < -CONTACT_TOL:
            out.append(f"{frame.name}: {name} is {y - drawn_radius(name):.1f} units below the floor")
    return out


def segment_lengths(frame: Frame) -> dict[str, float]:
    pts = frame.skeleton.points
    return {name: math.dist(pts[a], pts[b]) for name, (a, b, _) in B.SEGMENTS.items()}


GRIP_TOL = 1.5  # body units: a hand that holds a body point must really reach it


def grip_problems(ex: ExercisePoses, frame: Frame) -> list[str]:
    """A hand told to hold a body point (``hand_at: r_ankle``) that cannot reach it."""
    spec = next(f for f in ex.frames if f.name == frame.name)
    out = []
    for side in B.SIDES:
        target = getattr(spec, f"{side}_arm").hand_at
        if isinstance(target, str):
            # on paper: a hand a little to the side of the leg still holds it in the picture
            cam = B.Camera(ex.yaw, ex.pitch)
            hand, held = cam.project(frame.skeleton.points[f"{side}_hand"]), cam.project(frame.skeleton.point(target))
            gap = math.dist(hand[:2], held[:2])
            if gap > GRIP_TOL:
                out.append(f"{frame.name}: {side}_hand is {gap:.1f} units short of {target}")
    return out


def problems(ex: ExercisePoses) -> list[str]:
    frames = solve(ex)
    out: list[str] = []
    for frame in frames:
        out += angle_problems(frame) + contact_problems(ex, frame) + floor_problems(ex, frame)
        out += grip_problems(ex, frame)
        for name, length in segment_lengths(frame).items():
            if abs(length - B.SEGMENTS[name][2]) > 1e-6:
                out.append(f"{frame.name}: {name} is {length:.2f} long, not {B.SEGMENTS[name][2]:g}")
    return [f"{ex.id}: {p}" for p in out]


# ---- does the picture show what the steps say? ----------------------------------------------------------------
# Rules every drawing obeys (the key, the arrows, the props), then per-exercise rules that follow from its steps in
# assets/exercises.yaml. Distances are body units on paper (standing height about 100).

MOVED = 2.0  # a body point that travels this far between frames is moving
VISIBLE_TURN = 12.0  # degrees: a joint movement a reader can see between two small frames
VISIBLE_SHIFT = 4.0  # body units: a visible shift of the whole body
ARROW_REACH = 13.0  # how far an arrow may start from a moving part
ON_PROP = 1.5  # how deep a limb may cut into a prop before it reads as overlapping it
LIFTED = 6.0  # a foot this far above the floor reads as lifted, not as resting on it
LIMB_SEGMENTS = (("hip", "knee"), ("knee", "ankle"), ("foot_back", "foot_front"), ("shoulder", "elbow"),
                 ("elbow", "hand"))
SURFACES = ("mat", "bike", "leg_press")  # lain on or sat in: not obstacles a limb could wrongly cross


def _proj(cam: B.Camera, p) -> tuple[float, float]:
    q = cam.project(p)
    return q[0], q[1]


def _seg_dist(p, a, b) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def _joint_angles(frame: Frame) -> dict[str, float]:
    pose = frame.pose
    out = {f"{s}_leg.{k}": getattr(pose.legs[s], k) for s in B.SIDES for k in B.LEG_RANGES}
    out |= {f"{s}_arm.{k}": getattr(pose.arms[s], k) for s in B.SIDES for k in B.ARM_RANGES}
    o = pose.orientation
    return out | {"lean": o.lean, "tilt": o.tilt, "turn": o.turn}


def movement_problems(ex: ExercisePoses, frames: list[Frame]) -> list[str]:
    """Some frame must differ from the first by a visible joint movement or a visible shift of the body."""
    first = frames[0]
    for frame in frames[1:]:
        turn = max(abs(a - b) for a, b in zip(_joint_angles(first).values(), _joint_angles(frame).values(),
                                                strict=True))
        shift = math.dist(first.skeleton.points["pelvis"], frame.skeleton.points["pelvis"])
        if turn >= VISIBLE_TURN or shift >= VISIBLE_SHIFT:
            return []
    return [f"no frame differs visibly from '{first.name}' (under {VISIBLE_TURN:g} degrees and "
            f"{VISIBLE_SHIFT:g} units)"]


def _limb_strokes(sk: B.Skeleton, cam: B.Camera) -> dict[str, list[tuple[tuple, tuple, float]]]:
    """Each limb's drawn segments on paper: (start, end, half width)."""
    out = {}
    for s in B.SIDES:
        for limb, segs, w in (("leg", LIMB_SEGMENTS[:3], B.LEG_W), ("arm", LIMB_SEGMENTS[3:], B.ARM_W)):
            out[f"{s}_{limb}"] = [(_proj(cam, sk.points[f"{s}_{a}"]), _proj(cam, sk.points[f"{s}_{b}"]), w / 2)
                                  for a, b in segs]
    return out


def _moving_points(frames: list[Frame], cam: B.Camera) -> list[tuple[float, float]]:
    """Paper positions, through the movement, of every body point that moves."""
    from .scene import _trace

    out: list[tuple[float, float]] = []
    for name in frames[0].skeleton.points:
        path = _trace(frames, name, cam)
        if max(math.dist(path[0], p) for p in path) >= MOVED:
            out += path
    return out


def _still_limbs(frames: list[Frame]) -> set[str]:
    still = set()
    for s in B.SIDES:
        for limb, joints in (("leg", ("knee", "ankle", "toe")), ("arm", ("elbow", "hand"))):
            if all(math.dist(frames[0].skeleton.points[f"{s}_{j}"], f.skeleton.points[f"{s}_{j}"]) < MOVED
                   for f in frames for j in joints):
                still.add(f"{s}_{limb}")
    return still


def arrow_problems(ex: ExercisePoses, frames: list[Frame]) -> list[str]:
    """Arrows start at a moving part, stay above the floor, and lie on no body part that stays still."""
    from .scene import arrow_shapes

    cam = B.Camera(ex.yaw, ex.pitch)
    moving = _moving_points(frames, cam)
    still = _still_limbs(frames)
    out = []
    for n, spec in enumerate(ex.arrows, start=1):
        shapes = arrow_shapes(ex, frames, spec)
        if not shapes:
            out.append(f"arrow {n} is empty")
            continue
        line = shapes[0].coords
        pts = list(zip(line[0::2], line[1::2], strict=True))
        start = pts[0]
        if not moving or min(math.dist(start, p) for p in moving) > ARROW_REACH:
            out.append(f"arrow {n} starts {ARROW_REACH:g}+ units from any moving part")
        if not ex.pitch:  # seen from above, paper height is not height over the floor
            low = min(y for s in shapes for y in s.coords[1::2])
            if low < 0.5:
                out.append(f"arrow {n} reaches {low:.1f} units: at or below the floor")
        strokes = _limb_strokes(frames[spec.frame].skeleton, cam)
        dense = _dense(pts)
        hidden = sum(1 for p in dense if any(_seg_dist(p, a, b) < half for segs in strokes.values()
                                             for a, b, half in segs))
        if hidden > 0.4 * len(dense):
            out.append(f"arrow {n} is hidden on a limb for {hidden / len(dense):.0%} of its length")
        for limb in sorted(still):
            for a, b, half in strokes[limb]:
                if any(_seg_dist(p, a, b) < half for p in pts):
                    out.append(f"arrow {n} lies on the {limb.replace('_', ' ')}, which does not move")
                    break
    return out


def _dense(pts: list[tuple[float, float]], step: float = 1.0) -> list[tuple[float, float]]:
    """Points every ``step`` units along a polyline (a few points on a long straight arrow are not enough)."""
    out = [pts[0]]
    for a, b in zip(pts, pts[1:], strict=False):
        n = max(1, int(math.dist(a, b) / step))
        out += [(a[0] + (b[0] - a[0]) * i / n, a[1] + (b[1] - a[1]) * i / n) for i in range(1, n + 1)]
    return out


def overlap_problems(ex: ExercisePoses, frames: list[Frame]) -> list[str]:
    """No arm or leg cuts into a chair, step, wall, post or roller on paper (resting on one is fine)."""
    from .scene import _project_shape

    cam = B.Camera(ex.yaw, ex.pitch)
    out = []
    for spec, frame in zip(ex.frames, frames, strict=True):
        faded = {limb for limb in _limb_strokes(frame.skeleton, cam)
                 if limb_role(ex, frame.skeleton, limb).endswith("_far")}
        props = [p for p in frame_props(ex, spec) if getattr(p, "kind", "") not in SURFACES]
        shapes = [_project_shape(s, cam) for _, group in fixed_shapes(props) for s in group]
        for limb, segs in _limb_strokes(frame.skeleton, cam).items():
            if limb in faded:  # drawn pale behind the body: it reads as behind the prop too
                continue
            if any(_cuts(shapes, (a[0] + (b[0] - a[0]) * i / 8, a[1] + (b[1] - a[1]) * i / 8), half)
                   for a, b, half in segs for i in range(9)):
                out.append(f"{frame.name}: the {limb.replace('_', ' ')} overlaps a prop")
    return out


def _cuts(shapes: list, p: tuple[float, float], half: float) -> bool:
    for s in shapes:
        d = s.surface_distance(*p)
        if d is None:  # a drawn line: a chair leg or back, a rail
            xy = list(zip(s.coords[0::2], s.coords[1::2], strict=True))
            d = min(_seg_dist(p, u, v) for u, v in zip(xy, xy[1:], strict=False)) - s.width / 2
        if d - half < -ON_PROP:
            return True
    return False


# -- per exercise: what its steps say, as geometry

def _y(frame: Frame, point: str) -> float:
    return frame.skeleton.point(point)[1]


def _knee(frame: Frame, side: str) -> float:
    return frame.pose.legs[side].knee


def _shank_tilt(frame: Frame, side: str) -> float:
    k, a = frame.skeleton.points[f"{side}_knee"], frame.skeleton.points[f"{side}_ankle"]
    return math.degrees(math.atan2(abs(k[0] - a[0]), k[1] - a[1]))


def _rule(ok: bool, message: str) -> list[str]:
    return [] if ok else [message]


def _slr(f: list[Frame]) -> list[str]:
    top = f[-1]
    return (_rule(max(_y(top, "r_heel"), _y(top, "r_ankle")) <= _y(top, "l_knee") + 1.0,
                  "the raised leg goes higher than the bent knee (steps: level with it)")
            + _rule(_knee(top, "r") <= 5, "the raised leg is not straight"))


def _wall_sit(f: list[Frame]) -> list[str]:
    hold = f[-1]
    return (_rule(35 <= _knee(hold, "r") <= 55, "the held knee bend is not about half a right angle")
            + _rule(_shank_tilt(hold, "r") <= 10, "the knees are not over the ankles in the hold"))


def _wall_slide(f: list[Frame]) -> list[str]:
    bends = [_knee(x, "r") for x in f]
    return (_rule(len(f) == 3 and bends == sorted(bends), "the slide does not show the range down the wall")
            + _rule(35 <= bends[-1] <= 55, "the bottom knee bend is not about half a right angle")
            + _rule(bends[0] <= 12, "it does not start from standing"))


def _knees_together(f: list[Frame]) -> list[str]:
    out = []
    for x in f:
        thighs = abs(x.pose.legs["r"].hip - x.pose.legs["l"].hip) + abs(x.pose.legs["r"].abd - x.pose.legs["l"].abd)
        gap = math.dist(x.skeleton.points["r_knee"], x.skeleton.points["l_knee"])
        out += _rule(thighs <= 12 and gap <= 2 * B.HIP_HALF + 2, f"{x.name}: the knees are apart")
    return out


def _lifted_foot(side: str, frames: slice = slice(None)):
    def rule(f: list[Frame]) -> list[str]:
        return [m for x in f[frames] for m in _rule(
            min(_y(x, f"{side}_heel"), _y(x, f"{side}_toe")) >= LIFTED, f"{x.name}: the lifted foot is not clear "
            "of the floor")]
    return rule


def _single_leg_squat(f: list[Frame]) -> list[str]:
    bend = _knee(f[-1], "r") - _knee(f[0], "r")
    return (_lifted_foot("l")(f) + _rule(bend >= 25 and 30 <= _knee(f[-1], "r") <= 60,
                                           "the standing knee does not bend a little, as if to sit"))


def _balance(f: list[Frame]) -> list[str]:
    return _lifted_foot("l", slice(-1, None))(f) + _rule(_knee(f[-1], "r") <= 20, "the standing knee is bent")


def _sideways(f: list[Frame]) -> list[str]:
    a, b = f[0].skeleton.points["r_ankle"], f[1].skeleton.points["r_ankle"]
    front = f[0].skeleton.basis
    fwd = abs(sum((b[i] - a[i]) * front[i][0] for i in range(3)))
    side = abs(sum((b[i] - a[i]) * front[i][2] for i in range(3)))
    return (_rule(side >= 8 and fwd <= 4, "the step is not straight to the side")
            + _rule(abs(front[2][0]) > 0.9, "a sideways step needs the front view"))


def _diagonal(f: list[Frame]) -> list[str]:
    a, b = f[0].skeleton.points["r_ankle"], f[1].skeleton.points["r_ankle"]
    front = f[0].skeleton.basis
    fwd = sum((b[i] - a[i]) * front[i][0] for i in range(3))
    side = sum((b[i] - a[i]) * front[i][2] for i in range(3))
    return _rule(fwd >= 8 and side >= 2, "the step is not forward and out to the side")


def _hip_flexor(f: list[Frame]) -> list[str]:
    hold = f[-1]
    return (_rule(_y(hold, "r_heel") >= 2.0, "the back heel is not off the floor")
            + _rule(_knee(hold, "r") <= 5, "the back knee is not straight"))


def _calf(f: list[Frame]) -> list[str]:
    hold = f[-1]
    return (_rule(_y(hold, "r_heel") <= 1.0, "the back heel is not pressed down")
            + _rule(_knee(hold, "r") <= 5, "the back knee is not straight")
            + _rule(_knee(hold, "l") >= 12, "the front knee does not bend"))


def _side_plank(f: list[Frame]) -> list[str]:
    out = []
    for x in f:
        elbow, shoulder = x.skeleton.points["l_elbow"], x.skeleton.points["l_shoulder"]
        out += _rule(70 <= x.pose.arms["l"].elbow <= 110 and abs(elbow[0] - shoulder[0]) <= 6,
                     f"{x.name}: not on the elbow, under the shoulder")
    hold = f[-1].skeleton.points
    knees = tuple((hold["l_knee"][i] + hold["r_knee"][i]) / 2 for i in range(2))
    off = _seg_dist(hold["pelvis"][:2], knees, hold["chest"][:2])
    return out + _rule(off <= 4, "the hold is not a line from knees to head")


def _range(side: str, start: tuple[float, float], end: tuple[float, float]):
    def rule(f: list[Frame]) -> list[str]:
        a, b = _knee(f[0], side), _knee(f[-1], side)
        return _rule(start[0] <= a <= start[1] and end[0] <= b <= end[1],
                     f"the knee goes {a:.0f} to {b:.0f} degrees, not {start} to {end}")
    return rule


def _standing_quad(f: list[Frame]) -> list[str]:
    return _rule(abs(f[-1].pose.legs["r"].hip) <= 10, "the knees are not side by side")


def _jog(f: list[Frame]) -> list[str]:
    jog = f[-1]
    behind = jog.skeleton.points["r_knee"][0] < jog.skeleton.points["pelvis"][0]
    high = max(jog.pose.legs[s].hip for s in B.SIDES)
    return _rule(behind and high <= 45, "the jog frame reads as a march (a knee lifted high in front)")


STEP_RULES = {
    "straight_leg_raise": [_slr],
    "wall_sit": [_wall_sit],
    "wall_slide": [_wall_slide],
    "side_lying_quad_stretch": [_knees_together],
    "single_leg_squat": [_single_leg_squat],
    "single_leg_balance": [_balance],
    "lateral_band_walk": [_sideways],
    "monster_walk": [_diagonal],
    "hip_flexor_stretch": [_hip_flexor],
    "standing_calf_stretch": [_calf],
    "side_plank": [_side_plank],
    "leg_press_0_45": [_range("r", (40, 50), (0, 10))],
    "knee_extension_90_45": [_range("r", (85, 95), (40, 50))],
    "terminal_knee_extension": [_range("r", (20, 45), (0, 10))],
    "standing_quad_stretch": [_standing_quad],
    "walk_run_intervals": [_jog],
}


def picture_problems(ex: ExercisePoses) -> list[str]:
    """Whether the picture shows what the steps say: the rules for every drawing, then the exercise's own."""
    frames = solve(ex)
    out = movement_problems(ex, frames) + arrow_problems(ex, frames) + overlap_problems(ex, frames)
    for rule in STEP_RULES.get(ex.id, []):
        out += rule(frames)
    return [f"{ex.id}: {p}" for p in out]
