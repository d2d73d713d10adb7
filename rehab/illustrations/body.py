"""The figure model: a 3D stick body with fixed segment lengths, posed by joint angles, seen orthographically.

Working in 3D and projecting lets one model serve side views, front views, three-quarter views and side-lying
poses: a clamshell is the same body as a squat, turned. Units are "body units" (standing height about 100,
floor at y = 0). World axes: x to the right of the picture, y up, z towards the viewer.

Body-local axes (the pelvis frame): x anterior, y superior, z the body's right side. Joint angles are anatomical,
in degrees: hip flexion/abduction/external rotation, knee flexion, ankle dorsiflexion, shoulder
flexion/abduction, elbow flexion, neck flexion.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from .geometry import (
    IDENTITY,
    Mat,
    Vec,
    add,
    apply,
    column,
    cross,
    dot,
    from_columns,
    mul,
    rot_x,
    rot_y,
    rot_z,
    scale,
    sub,
    transpose,
)

HIP_HALF = 7.0
SHOULDER_HALF = 9.0
TRUNK_HALF_DEPTH = 1.6
HIP_BACK = 1.8  # hip joints sit behind the trunk's centre line, so lying legs rest flush with the back
HEAD_FWD = 1.2  # the head's centre sits in front of the spine, so a lying head rests flush too
TRUNK = 30.0  # hip joints to shoulder line
NECK = 4.0
HEAD_R = 6.2
THIGH = 24.0
SHANK = 23.0
ANKLE_H = 4.5  # ankle joint above the sole
HEEL_BACK = 2.0
TOE_FWD = 11.0
UPPER_ARM = 18.0
FOREARM = 21.0  # elbow to the middle of the hand (a real arm is about 0.44 of standing height)

LEG_W = 5.6
ARM_W = 4.4
TRUNK_W = 6.4

SEGMENTS = {  # name: (from point, to point, length)
    "r_thigh": ("r_hip", "r_knee", THIGH),
    "l_thigh": ("l_hip", "l_knee", THIGH),
    "r_shank": ("r_knee", "r_ankle", SHANK),
    "l_shank": ("l_knee", "l_ankle", SHANK),
    "r_upper_arm": ("r_shoulder", "r_elbow", UPPER_ARM),
    "l_upper_arm": ("l_shoulder", "l_elbow", UPPER_ARM),
    "r_forearm": ("r_elbow", "r_hand", FOREARM),
    "l_forearm": ("l_elbow", "l_hand", FOREARM),
    "trunk": ("pelvis", "chest", TRUNK),
}

# Human range of each joint angle in degrees; every pose is held to these.
LEG_RANGES = {"hip": (-30.0, 130.0), "knee": (0.0, 150.0), "ankle": (-50.0, 30.0), "abd": (-30.0, 50.0),
              "rot": (-45.0, 60.0)}
ARM_RANGES = {"shoulder": (-60.0, 180.0), "elbow": (0.0, 150.0), "abd": (-10.0, 180.0)}
NECK_RANGE = (-40.0, 60.0)

DIRECTIONS: dict[str, Vec] = {
    "right": (1.0, 0.0, 0.0),
    "left": (-1.0, 0.0, 0.0),
    "up": (0.0, 1.0, 0.0),
    "down": (0.0, -1.0, 0.0),
    "viewer": (0.0, 0.0, 1.0),
    "away": (0.0, 0.0, -1.0),
}

SIDES = ("r", "l")


@dataclass(frozen=True)
class LegAngles:
    hip: float = 0.0
    knee: float = 0.0
    ankle: float = 0.0
    abd: float = 0.0
    rot: float = 0.0


@dataclass(frozen=True)
class ArmAngles:
    shoulder: float = 0.0
    elbow: float = 0.0
    abd: float = 0.0


@dataclass(frozen=True)
class Orientation:
    up: str = "up"
    front: str = "right"
    lean: float = 0.0
    tilt: float = 0.0
    turn: float = 0.0

    def basis(self) -> Mat:
        """``lean`` tips the body forward about its left-right axis, ``tilt`` rolls it towards its right side
        about its front-back axis, ``turn`` rotates it to its left about its long axis."""
        u, f = DIRECTIONS[self.up], DIRECTIONS[self.front]
        if abs(dot(u, f)) > 1e-9:
            raise ValueError(f"body up '{self.up}' and front '{self.front}' must be at right angles")
        base = from_columns(f, u, cross(f, u))
        return mul(base, rot_y(self.turn), rot_z(-self.lean), rot_x(self.tilt))


@dataclass(frozen=True)
class Pose:
    """A fully solved pose: every angle known, so forward kinematics alone draws it."""

    pelvis: Vec
    orientation: Orientation
    legs: dict[str, LegAngles]
    arms: dict[str, ArmAngles]
    neck: float = 0.0


@dataclass
class Skeleton:
    """Posed joint positions in world space, and the trunk's box corners."""

    points: dict[str, Vec] = field(default_factory=dict)
    basis: Mat = IDENTITY
    trunk_corners: list[Vec] = field(default_factory=list)

    def moved(self, offset: Vec) -> Skeleton:
        return Skeleton(
            points={k: add(v, offset) for k, v in self.points.items()},
            basis=self.basis,
            trunk_corners=[add(c, offset) for c in self.trunk_corners],
        )

    def point(self, ref: str) -> Vec:
        """A joint (``r_knee``) or a fraction along a segment (``r_thigh:0.8`` is 80% of the way hip to knee)."""
        if ":" in ref:
            seg, frac_text = ref.split(":", 1)
            start, end, _ = SEGMENTS[seg]
            t = float(frac_text)
            a, b = self.points[start], self.points[end]
            return add(a, scale(sub(b, a), t))
        return self.points[ref]


def lateral(side: str) -> float:
    return 1.0 if side == "r" else -1.0


def _thigh_frame(basis: Mat, side: str, a: LegAngles) -> Mat:
    sign = lateral(side)
    return mul(basis, rot_z(a.hip), rot_x(-sign * a.abd), rot_y(-sign * a.rot))


def trunk(pelvis: Vec, orientation: Orientation, neck: float) -> Skeleton:
    basis = orientation.basis()
    front, up, right = column(basis, 0), column(basis, 1), column(basis, 2)
    chest = add(pelvis, scale(up, TRUNK))
    pts: dict[str, Vec] = {"pelvis": pelvis, "chest": chest}
    for side in SIDES:
        pts[f"{side}_hip"] = add(pelvis, add(scale(right, lateral(side) * HIP_HALF), scale(front, -HIP_BACK)))
        pts[f"{side}_shoulder"] = add(chest, scale(right, lateral(side) * SHOULDER_HALF))
    head_frame = mul(basis, rot_z(-neck))
    pts["neck"] = add(chest, scale(up, NECK))
    pts["head"] = add(pts["neck"], apply(head_frame, (HEAD_FWD, HEAD_R, 0.0)))
    corners = []
    for centre, half in ((pelvis, HIP_HALF), (chest, SHOULDER_HALF)):
        for lat in (-half, half):
            for dep in (-TRUNK_HALF_DEPTH, TRUNK_HALF_DEPTH):
                corners.append(add(centre, add(scale(right, lat), scale(front, dep))))
    return Skeleton(points=pts, basis=basis, trunk_corners=corners)


def add_leg(sk: Skeleton, side: str, a: LegAngles) -> None:
    thigh = _thigh_frame(sk.basis, side, a)
    knee = add(sk.points[f"{side}_hip"], apply(thigh, (0.0, -THIGH, 0.0)))
    shank = mul(thigh, rot_z(-a.knee))
    ankle = add(knee, apply(shank, (0.0, -SHANK, 0.0)))
    foot = mul(shank, rot_z(a.ankle))
    lift = ANKLE_H - LEG_W / 2  # the foot is drawn as the leg's stroke continued, half a stroke above the sole
    sk.points.update({
        f"{side}_knee": knee,
        f"{side}_ankle": ankle,
        f"{side}_heel": add(ankle, apply(foot, (-HEEL_BACK, -ANKLE_H, 0.0))),
        f"{side}_toe": add(ankle, apply(foot, (TOE_FWD, -ANKLE_H, 0.0))),
        f"{side}_foot_back": add(ankle, apply(foot, (-HEEL_BACK + LEG_W / 2, -lift, 0.0))),
        f"{side}_foot_front": add(ankle, apply(foot, (TOE_FWD - LEG_W / 2, -lift, 0.0))),
    })


def add_arm(sk: Skeleton, side: str, a: ArmAngles) -> None:
    upper = mul(sk.basis, rot_z(a.shoulder), rot_x(-lateral(side) * a.abd))
    elbow = add(sk.points[f"{side}_shoulder"], apply(upper, (0.0, -UPPER_ARM, 0.0)))
    fore = mul(upper, rot_z(a.elbow))
    sk.points[f"{side}_elbow"] = elbow
    sk.points[f"{side}_hand"] = add(elbow, apply(fore, (0.0, -FOREARM, 0.0)))


def skeleton(pose: Pose) -> Skeleton:
    """Forward kinematics: every joint from the pelvis out."""
    sk = trunk(pose.pelvis, pose.orientation, pose.neck)
    for side in SIDES:
        add_leg(sk, side, pose.legs[side])
        add_arm(sk, side, pose.arms[side])
    return sk


def solve_two_link(x: float, y: float, upper: float, lower: float, bend_forward: bool) -> tuple[float, float]:
    """Angles for a 2-link limb hanging along -y whose tip reaches local (x, y): (root flexion, middle flexion).

    Knees bend backward, so the thigh sits in front of the hip-ankle line; elbows bend forward, so the upper arm
    sits behind the shoulder-hand line. Out-of-reach targets are clamped to the reachable distance.
    """
    d = math.hypot(x, y)
    d = min(max(d, abs(upper - lower) + 1e-6), upper + lower - 1e-6)
    inner = math.degrees(math.acos((upper**2 + lower**2 - d**2) / (2 * upper * lower)))
    alpha = math.degrees(math.acos((upper**2 + d**2 - lower**2) / (2 * upper * d)))
    phi = math.degrees(math.atan2(x, -y))  # 0 = straight down, positive = forward
    return (phi - alpha if bend_forward else phi + alpha), 180.0 - inner


def leg_ik(sk: Skeleton, side: str, ankle_target: Vec, abd: float, rot: float, flat: bool) -> LegAngles:
    """Hip and knee angles that put the ankle at ``ankle_target`` (projected into the leg's swing plane)."""
    plane = mul(sk.basis, rot_x(-lateral(side) * abd))
    local = apply(transpose(plane), sub(ankle_target, sk.points[f"{side}_hip"]))
    hip, knee = solve_two_link(local[0], local[1], THIGH, SHANK, bend_forward=False)
    ankle = flat_ankle(plane, hip, knee) if flat else 0.0
    return LegAngles(hip=hip, knee=knee, ankle=ankle, abd=abd, rot=rot)


def flat_ankle(plane: Mat, hip: float, knee: float) -> float:
    """Dorsiflexion that lays the sole level, toes pointing roughly where the foot points at 0 degrees."""
    shank = mul(plane, rot_z(hip), rot_z(-knee))
    toe_y = column(shank, 0)[1]  # world height change of the toe direction at 0 degrees
    shin_y = column(shank, 1)[1]
    if abs(shin_y) < 1e-9:
        return 0.0
    return math.degrees(math.atan(-toe_y / shin_y))


def arm_ik(sk: Skeleton, side: str, hand_target: Vec, abd: float) -> ArmAngles:
    plane = mul(sk.basis, rot_x(-lateral(side) * abd))
    local = apply(transpose(plane), sub(hand_target, sk.points[f"{side}_shoulder"]))
    shoulder, elbow = solve_two_link(local[0], local[1], UPPER_ARM, FOREARM, bend_forward=True)
    return ArmAngles(shoulder=shoulder, elbow=elbow, abd=abd)


def blend(a: Pose, b: Pose, t: float) -> Pose:
    """A pose part-way from ``a`` to ``b`` (angles and pelvis linearly): used to trace movement arrows."""

    def mix(x: float, y: float) -> float:
        return x + (y - x) * t

    def mix_fields(x, y):
        return replace(x, **{k: mix(getattr(x, k), getattr(y, k)) for k in x.__dataclass_fields__})

    o = a.orientation
    if (o.up, o.front) == (b.orientation.up, b.orientation.front):
        o = replace(o, lean=mix(o.lean, b.orientation.lean), tilt=mix(o.tilt, b.orientation.tilt),
                    turn=mix(o.turn, b.orientation.turn))
    return Pose(
        pelvis=tuple(mix(p, q) for p, q in zip(a.pelvis, b.pelvis, strict=True)),  # type: ignore[arg-type]
        orientation=o,
        legs={s: mix_fields(a.legs[s], b.legs[s]) for s in SIDES},
        arms={s: mix_fields(a.arms[s], b.arms[s]) for s in SIDES},
        neck=mix(a.neck, b.neck),
    )


@dataclass(frozen=True)
class Camera:
    """Orthographic camera: ``yaw`` turns it about the vertical, ``pitch`` raises it to look down (degrees)."""

    yaw: float = 0.0
    pitch: float = 0.0

    @property
    def matrix(self) -> Mat:
        return mul(rot_x(self.pitch), rot_y(-self.yaw))

    def project(self, p: Vec) -> Vec:
        """(x, y) on paper and depth towards the viewer."""
        return apply(self.matrix, p)

    def flat(self, x: float, y: float, z: float = 0.0) -> tuple[float, float]:
        q = apply(self.matrix, (x, y, z))
        return q[0], q[1]
