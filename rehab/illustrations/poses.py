"""Load and validate assets/poses.yaml: per exercise, the camera, props, 2-3 frames and the movement arrows.

A frame may start with ``like: <earlier frame name>``: it copies that frame and replaces only the keys it gives
(limbs and ``body`` are replaced whole, not merged). See docs/illustrations.md for the format.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..content.files import ASSETS, read_yaml
from ..errors import LibraryError
from ..words.problems import messages
from .props import Prop

POSES_FILE = ASSETS / "poses.yaml"

Direction = Literal["right", "left", "up", "down", "viewer", "away"]
Limb = Literal["r_leg", "l_leg", "r_arm", "l_arm", "trunk"]
Caption = Literal["Start", "Move", "Finish", "Hold", "Walk", "Jog"]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BodySpec(_Strict):
    up: Direction = "up"
    front: Direction = "right"
    lean: float = Field(0.0, ge=-180, le=180, description="Forward tip of the whole body, degrees.")
    tilt: float = Field(0.0, ge=-90, le=90, description="Roll towards the body's right side, degrees.")
    turn: float = Field(0.0, ge=-90, le=90, description="Rotation to the body's left about its long axis.")

    @model_validator(mode="after")
    def _perpendicular(self) -> BodySpec:
        axes = {"right": "x", "left": "x", "up": "y", "down": "y", "viewer": "z", "away": "z"}
        if axes[self.up] == axes[self.front]:
            raise ValueError(f"up '{self.up}' and front '{self.front}' must be at right angles")
        return self


class LegSpec(_Strict):
    hip: float = 0.0
    knee: float = 0.0
    ankle: float = 0.0
    abd: float = 0.0
    rot: float = 0.0
    ankle_at: tuple[float, float] | None = Field(None, description="Reach the ankle to this point instead.")
    flat: bool = Field(True, description="With ankle_at: lay the sole level.")

    @model_validator(mode="after")
    def _one_way(self) -> LegSpec:
        if self.ankle_at is not None and (self.hip or self.knee or (self.ankle and self.flat)):
            raise ValueError("with ankle_at, give no hip or knee angle (and an ankle angle only with flat: false)")
        return self


class ArmSpec(_Strict):
    shoulder: float = 0.0
    elbow: float = 0.0
    abd: float = 0.0
    hand_at: tuple[float, float] | str | None = Field(None, description="A point, or a body point to hold.")

    @model_validator(mode="after")
    def _one_way(self) -> ArmSpec:
        if self.hand_at is not None and (self.shoulder or self.elbow):
            raise ValueError("give either hand_at or shoulder/elbow angles, not both")
        return self


class FrameSpec(_Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,20}$")
    caption: Caption | None = Field(None, description="Words under the frame; by default Start, Move, Finish.")
    body: BodySpec = BodySpec()
    pelvis: tuple[float, float] | tuple[float]
    rest: str | None = Field(None, description="Body part to drop onto a surface; sets the pelvis height.")
    surface: str = Field("floor", description="Prop name (or 'floor') that the rest part lies on.")
    neck: float = 0.0
    r_leg: LegSpec = LegSpec()
    l_leg: LegSpec = LegSpec()
    r_arm: ArmSpec = ArmSpec()
    l_arm: ArmSpec = ArmSpec()
    contacts: tuple[str, ...] = Field((), description="Parts that must touch the floor or a prop.")
    props: tuple[Prop, ...] = Field((), description="Props shown in this frame only (e.g. a moving sled).")

    @model_validator(mode="after")
    def _height_once(self) -> FrameSpec:
        if (len(self.pelvis) == 2) == (self.rest is not None):
            raise ValueError("give the pelvis as [x, y], or as [x] with 'rest'")
        return self


class ArrowSpec(_Strict):
    follow: str | None = Field(None, description="Body point whose path from the first to the last frame is drawn.")
    path: tuple[tuple[float, float], ...] | None = Field(None, description="Explicit points, picture coordinates.")
    arc: tuple[float, float, float, float, float] | None = Field(
        None, description="A circular arrow: centre x, centre y, radius, from and to angle in degrees."
    )
    frame: int = Field(-1, description="Index of the frame the arrow is drawn on.")
    both: bool = Field(False, description="Heads at both ends (back and forth).")
    offset: float = Field(7.0, description="Distance kept from the moving point, body units.")
    side: Literal["out", "in", "left", "right"] = Field(
        "out", description="Which side of the path to draw it: away from/towards the pelvis, or left/right of travel."
    )
    trim: float = Field(0.12, ge=0, le=0.4, description="Fraction cut from each end of a followed path.")
    ahead: bool = Field(False, description="Draw it past the moved point, pointing on along its path (a step).")

    @model_validator(mode="after")
    def _one_source(self) -> ArrowSpec:
        if sum(x is not None for x in (self.follow, self.path, self.arc)) != 1:
            raise ValueError("give one of 'follow', 'path' or 'arc'")
        return self


class ExercisePoses(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{1,63}$")
    yaw: float = Field(0.0, ge=-90, le=90, description="Camera turn about the vertical; 0 = side on.")
    pitch: float = Field(0.0, ge=0, le=90, description="Camera raised to look down, degrees (side-lying poses).")
    mirror: bool = False
    loop: bool = Field(False, description="Animate on from the last frame to the first (pedalling), not back.")
    highlight: tuple[Limb, ...] = Field(("r_leg",), description="Parts drawn in the accent colour: they move.")
    stance: tuple[Literal["r_leg", "l_leg"], ...] = Field(
        (), description="Legs drawn outlined: the leg you stand (or push) on while the other one moves."
    )
    props: tuple[Prop, ...] = ()
    frames: tuple[FrameSpec, ...] = Field(min_length=2, max_length=3)
    arrows: tuple[ArrowSpec, ...] = Field(min_length=1, max_length=3)

    @model_validator(mode="after")
    def _names(self) -> ExercisePoses:
        if self.yaw and self.pitch:
            raise ValueError("give yaw or pitch, not both (props are drawn for one camera turn)")
        both = sorted(set(self.stance) & set(self.highlight))
        if both:
            raise ValueError(f"a leg cannot both move and be stood on: {both}")
        names = [f.name for f in self.frames]
        if len(set(names)) != len(names):
            raise ValueError(f"frame names repeat: {names}")
        for f in self.frames:
            labels = [p.label for p in (*self.props, *f.props)]
            if f.rest and f.surface != "floor" and f.surface not in labels:
                raise ValueError(f"frame '{f.name}': 'surface: {f.surface}' names no prop (props: {labels})")
        for a in self.arrows:
            if not -len(self.frames) <= a.frame < len(self.frames):
                raise ValueError(f"arrow frame {a.frame} is out of range")
        return self

    @property
    def captions(self) -> list[str]:
        """The words under each frame: given ones, else Start, (Move,) Finish."""
        defaults = ["Start", *["Move"] * (len(self.frames) - 2), "Finish"]
        return [f.caption or d for f, d in zip(self.frames, defaults, strict=True)]


def _expand_likes(raw: dict) -> dict:
    frames = raw.get("frames")
    if not isinstance(frames, list):
        return raw
    done: dict[str, dict] = {}
    out = []
    for frame in frames:
        if isinstance(frame, dict) and "like" in frame:
            base = done.get(frame["like"])
            if base is None:
                raise LibraryError(f"poses.yaml: '{raw.get('id')}': 'like: {frame['like']}' names no earlier frame")
            # the caption names this frame's moment, so it is never copied
            merged = {**{k: v for k, v in base.items() if k != "caption"},
                      **{k: v for k, v in frame.items() if k != "like"}}
            frame = merged
        if isinstance(frame, dict) and "name" in frame:
            done[frame["name"]] = frame
        out.append(frame)
    return {**raw, "frames": out}


def parse_poses(data: object, source: str = "poses.yaml") -> dict[str, ExercisePoses]:
    if not isinstance(data, dict) or not isinstance(data.get("poses"), list):
        raise LibraryError(f"{source}: expected a top-level 'poses:' list")
    out: dict[str, ExercisePoses] = {}
    for index, raw in enumerate(data["poses"]):
        ident = raw.get("id") if isinstance(raw, dict) else None
        label = f"{source}: poses[{index}]" + (f" (id '{ident}')" if ident else "")
        try:
            entry = ExercisePoses.model_validate(_expand_likes(raw) if isinstance(raw, dict) else raw)
        except ValidationError as exc:
            raise LibraryError(f"{label}: " + "; ".join(messages(exc))) from None
        if entry.id in out:
            raise LibraryError(f"{label}: id '{entry.id}' is used twice")
        out[entry.id] = entry
    return out


def load_poses_file(path: Path) -> dict[str, ExercisePoses]:
    data = read_yaml(path)
    return parse_poses(data, path.name)


@functools.cache
def load_poses() -> dict[str, ExercisePoses]:
    """The built-in poses (cached: read-only data)."""
    return load_poses_file(POSES_FILE)
