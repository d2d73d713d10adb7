"""Plausibility checks on solved poses: human joint ranges, contacts that really touch, nothing under the floor.

The tests run these over the whole library; ``python -m rehab illustrations --check`` prints them while a pose
is being written.
"""

from __future__ import annotations

import math

from . import body as B
from .poses import ExercisePoses
from .props import fixed_shapes
from .scene import SEGMENT_PARTS, Frame, frame_props, part_points, solve

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
