"""Props as data: floor furniture (mat, wall, step, chair, ...) and things tied to the body (bands, strap).

Fixed props are placed in picture coordinates (x right, y up, floor at 0, body units). Each one turns into a few
primitive shapes, which the renderer draws and the tests use for contact checks. Body-tied props name body points
(``r_knee``, or ``r_thigh:0.8`` for 80% of the way down the thigh) and are resolved per frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Point = tuple[float, float]


@dataclass(frozen=True)
class Shape:
    """A primitive in picture coordinates. ``kind``: rect (x0, y0, x1, y1), circle (cx, cy, r), line (points)."""

    kind: str
    role: str  # colour role: prop, prop_dark, band, strap, weight, floor
    coords: tuple[float, ...]
    width: float = 0.0  # stroke width for lines
    radius: float = 0.0  # corner radius for rects
    closed: bool = False

    def bounds(self) -> tuple[float, float, float, float]:
        pad = self.width / 2
        if self.kind == "rect":
            x0, y0, x1, y1 = self.coords
            return min(x0, x1) - pad, min(y0, y1) - pad, max(x0, x1) + pad, max(y0, y1) + pad
        if self.kind == "circle":
            cx, cy, r = self.coords
            return cx - r - pad, cy - r - pad, cx + r + pad, cy + r + pad
        xs, ys = self.coords[0::2], self.coords[1::2]
        return min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad

    def surface_distance(self, x: float, y: float) -> float | None:
        """Signed distance from (x, y) to this solid's outline (negative inside); None for non-solids."""
        if self.kind == "rect":
            x0, y0, x1, y1 = self.coords
            dx = max(x0 - x, 0.0, x - x1)
            dy = max(y0 - y, 0.0, y - y1)
            if dx == 0 and dy == 0:
                return -min(x - x0, x1 - x, y - y0, y1 - y)
            return math.hypot(dx, dy)
        if self.kind == "circle":
            cx, cy, r = self.coords
            return math.hypot(x - cx, y - cy) - r
        return None


def rect(x0: float, y0: float, x1: float, y1: float, role: str = "prop", radius: float = 1.0) -> Shape:
    return Shape("rect", role, (x0, y0, x1, y1), radius=radius)


def line(points: list[Point], width: float, role: str = "prop_dark", closed: bool = False) -> Shape:
    return Shape("line", role, tuple(c for p in points for c in p), width=width, closed=closed)


def circle(cx: float, cy: float, r: float, role: str = "prop") -> Shape:
    return Shape("circle", role, (cx, cy, r))


class _Prop(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str | None = Field(None, description="Name used by 'rest: ... on:'; defaults to the kind.")

    @property
    def label(self) -> str:
        return self.name or self.kind  # type: ignore[attr-defined]


class Mat(_Prop):
    kind: Literal["mat"]
    x0: float
    x1: float
    depth: tuple[float, float] = Field((-14.0, 22.0), description="Near/far edges, shown when seen from above.")
    floor: bool = Field(False, description="Seen from above, draw it as bare floor (standing poses), not a mat.")

    def shapes(self) -> list[Shape]:
        return [rect(self.x0, 0.0, self.x1, 2.0, radius=1.0)]


class Wall(_Prop):
    """A wall whose face is at ``x``; ``side`` says which way the wall extends from its face."""

    kind: Literal["wall"]
    x: float
    side: Literal["left", "right"] = "left"
    height: float = 105.0

    def shapes(self) -> list[Shape]:
        x1 = self.x - 5.0 if self.side == "left" else self.x + 5.0
        return [rect(min(self.x, x1), 0.0, max(self.x, x1), self.height, radius=0.0)]


class Step(_Prop):
    kind: Literal["step"]
    x0: float
    x1: float
    height: float = 10.0

    def shapes(self) -> list[Shape]:
        return [rect(self.x0, 0.0, self.x1, self.height, radius=0.8)]


class Chair(_Prop):
    """A side-view chair; ``x`` is the front edge of the seat, ``facing`` the way a sitter faces."""

    kind: Literal["chair"]
    x: float
    facing: Literal["left", "right"] = "right"
    seat: float = 26.0
    depth: float = 22.0
    back: bool = True

    def shapes(self) -> list[Shape]:
        d = -1.0 if self.facing == "right" else 1.0
        front, rear = self.x, self.x + d * self.depth
        out = [
            line([(front - d * 1.5, 0.0), (front - d * 1.5, self.seat - 2)], 2.4),
            line([(rear + d * 1.5, 0.0), (rear + d * 1.5, self.seat - 2)], 2.4),
            rect(min(front, rear), self.seat - 3.0, max(front, rear), self.seat, role="prop", radius=1.0),
        ]
        if self.back:
            out.append(line([(rear + d * 1.5, self.seat), (rear + d * 3.5, self.seat + 26.0)], 2.6))
        return out


class Roll(_Prop):
    """Something round lying on the floor: a rolled towel, a foam roller or a ball."""

    kind: Literal["towel", "roller", "ball"]
    x: float
    y: float = 0.0  # bottom of the object
    r: float | None = None

    @property
    def radius(self) -> float:
        return self.r or {"towel": 3.0, "roller": 5.0, "ball": 2.6}[self.kind]

    def shapes(self) -> list[Shape]:
        role = "band" if self.kind == "ball" else "towel"
        outline = [circle(self.x, self.y + self.radius, self.radius, role=role)]
        if self.kind == "roller":  # the hollow core seen end-on, so it reads as a roller, not a ball or a block
            outline.append(circle(self.x, self.y + self.radius, self.radius * 0.42, role="prop"))
        return outline


class Post(_Prop):
    """A fixed upright to tie a band to (a door frame or a table leg), or to hold for balance (a rail)."""

    kind: Literal["post", "rail"]
    x: float
    height: float = 52.0

    def shapes(self) -> list[Shape]:
        if self.kind == "rail":
            return [
                line([(self.x, 0.0), (self.x, self.height)], 2.6),
                line([(self.x - 7.0, self.height), (self.x + 7.0, self.height)], 2.6),
                rect(self.x - 6.0, -0.5, self.x + 6.0, 1.0, role="prop_dark", radius=0.5),
            ]
        return [rect(self.x - 2.0, 0.0, self.x + 2.0, self.height, role="prop", radius=0.6)]


class Bike(_Prop):
    """A side-view exercise bike facing right: ``seat`` is the saddle top, ``crank`` the pedal axle."""

    kind: Literal["bike"]
    seat: Point
    crank: Point
    bars: Point
    crank_r: float = 7.0

    def shapes(self) -> list[Shape]:
        sx, sy = self.seat
        cx, cy = self.crank
        bx, by = self.bars
        base_y = 1.2
        return [
            rect(sx - 14.0, 0.0, bx + 10.0, base_y * 2, role="prop_dark", radius=1.0),
            circle(cx + 12.0, cy - 2.0, 10.0, role="prop"),  # flywheel
            line([(sx - 2.0, sy - 2.0), (cx, cy), (bx - 3.0, by - 18.0), (bx - 4.0, by)], 3.0),
            line([(cx, cy), (cx - 4.0, base_y), (sx - 12.0, base_y)], 3.0),
            line([(bx - 6.0, by), (bx + 3.0, by + 1.0)], 3.0),
            rect(sx - 6.0, sy - 2.2, sx + 5.0, sy, role="prop_dark", radius=1.0),
            circle(cx, cy, 1.8, role="prop_dark"),
        ]


class LegPress(_Prop):
    """A seated leg-press machine facing right: a sliding seat with a reclined back rest, and a fixed foot plate."""

    kind: Literal["leg_press"]
    seat: Point  # middle of the seat's top
    plate: Point  # centre of the foot plate's face
    plate_angle: float = 100.0  # degrees from horizontal
    back_angle: float = 58.0  # back rest, degrees from horizontal

    def shapes(self) -> list[Shape]:
        sx, sy = self.seat
        px, py = self.plate
        a = math.radians(self.back_angle)
        back_top = (sx - 9.0 - 34.0 * math.cos(a), sy + 34.0 * math.sin(a))
        pa = math.radians(self.plate_angle)
        ux, uy = math.cos(pa), math.sin(pa)
        half = 10.0
        base = 1.2
        return [
            line([(sx - 14.0, base), (px + 8.0, base)], 2.4),  # rail
            line([(sx, sy - 3.0), (sx, base)], 2.4),
            line([(px + 8.0, base), (px + 8.0, py), (px + 2.0, py)], 2.4),
            line([(sx - 9.0, sy + 1.0), back_top], 3.6),
            rect(sx - 10.0, sy - 3.0, sx + 9.0, sy, role="prop_dark", radius=1.2),
            line([(px - ux * half, py - uy * half), (px + ux * half, py + uy * half)], 3.2),
        ]


class Weight(_Prop):
    """An ankle cuff weight at a body point."""

    kind: Literal["weight"]
    at: str


class Band(_Prop):
    """An elastic band: a loop around two body points (``a`` and ``b``), or from a fixed point to the body."""

    kind: Literal["loop_band", "long_band"]
    a: str | Point
    b: str


class Strap(_Prop):
    kind: Literal["strap"]
    a: str
    b: str


Prop = Annotated[Mat | Wall | Step | Chair | Roll | Post | Bike | LegPress | Weight | Band | Strap,
                 Field(discriminator="kind")]

BODY_TIED = (Weight, Band, Strap)


def fixed_shapes(props: list[_Prop]) -> list[tuple[str, list[Shape]]]:
    """(prop label, its shapes) for every prop that does not move with the body."""
    return [(p.label, p.shapes()) for p in props if not isinstance(p, BODY_TIED)]  # type: ignore[attr-defined]


def surface_height(shapes: list[Shape], x: float) -> float:
    """Height of the highest top surface under x: the floor, or a rect's top, or a circle's top."""
    best = 0.0
    for s in shapes:
        if s.kind == "rect":
            x0, _, x1, y1 = s.coords
            if min(x0, x1) <= x <= max(x0, x1):
                best = max(best, y1)
        elif s.kind == "circle":
            cx, cy, r = s.coords
            if abs(x - cx) < r:
                best = max(best, cy + math.sqrt(r * r - (x - cx) ** 2))
    return best


def capsule(a: Point, b: Point, r: float, steps: int = 4) -> list[Point]:
    """The outline of a rounded band around the segment a-b (a circle when a and b meet)."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    base = math.atan2(dy, dx) if (dx or dy) else 0.0
    pts: list[Point] = []
    for centre, start in ((b, base - math.pi / 2), (a, base + math.pi / 2)):
        for i in range(steps + 1):
            t = start + math.pi * i / steps
            pts.append((centre[0] + r * math.cos(t), centre[1] + r * math.sin(t)))
    return pts
