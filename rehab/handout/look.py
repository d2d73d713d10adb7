"""Look and feel as data: assets/handout_look.yaml, checked on load, plus the colour rules built on it.

Colour rules: brand-coloured text is darkened until its contrast with the background is at least
``min_contrast`` (WCAG 2 ratio), and brand-coloured graphics (rules, arrows, the highlighted limb) until they
reach ``min_graphic_contrast`` on white (WCAG 1.4.11); grayscale maps each colour to the grey of the same
luminance, so every contrast ratio survives the conversion. The traffic light's three colours are checked on
load to stay apart in grey by ``traffic_light_grey_gap`` (CIE L*).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from reportlab.lib import colors

from ..content.files import ASSETS, read_yaml
from ..errors import LibraryError
from ..words.problems import messages

LOOK_FILE = ASSETS / "handout_look.yaml"
Hex = str


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Fonts(_Data):
    regular: str
    bold: str


class Margins(_Data):
    margin_left: float = Field(ge=18, le=144)
    margin_right: float = Field(ge=18, le=144)
    margin_top: float = Field(ge=18, le=144)
    margin_bottom: float = Field(ge=18, le=144)


class PageSetup(_Data):
    margin_left: float = Field(ge=18, le=144)
    margin_right: float = Field(ge=18, le=144)
    margin_top: float = Field(ge=18, le=144)
    margin_bottom: float = Field(ge=18, le=144)
    first_header_height: float = Field(ge=40, le=200)
    header_height: float = Field(ge=20, le=100)
    footer_height: float = Field(ge=20, le=100)
    large_print: Margins | None = Field(
        default=None, description="Margins in large print, where a page holds more 16-pt words with narrower ones.")


class Sizes(_Data):
    body: float = Field(ge=12, le=24, description="Body text; the floor of 12 pt is a readability rule.")
    table: float = Field(ge=11, le=24)
    header: float = Field(ge=9, le=24, description="Clinic details in the page-1 band and the later headers.")
    footer: float = Field(ge=8, le=18)
    title: float = Field(ge=16, le=40)
    heading: float = Field(ge=14, le=36)
    subheading: float = Field(ge=12, le=30)
    card_title: float = Field(ge=12, le=30)
    clinic_name: float = Field(ge=12, le=36)
    tick_box: float = Field(ge=12, le=40)
    diary_row: float = Field(ge=24, le=100)
    illustration_height: float = Field(ge=40, le=300)
    logo_height: float = Field(ge=20, le=100)
    qr_size: float = Field(ge=40, le=150)


class PrintSizes(_Data):
    normal: Sizes
    large: Sizes


class Space(_Data):
    paragraph: float = Field(ge=0, le=3)
    section: float = Field(ge=0, le=5)
    card_gap: float = Field(ge=0, le=72)
    cell_padding: float = Field(ge=0, le=20)


class Colours(_Data):
    text: Hex = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    muted: Hex = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    rule: Hex = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    light_rule: Hex = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    page: Hex = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    tint: float = Field(ge=0.03, le=0.4)
    green: Hex = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    amber: Hex = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    red: Hex = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    green_tint: Hex = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    amber_tint: Hex = Field(pattern=r"^#[0-9A-Fa-f]{6}$")
    red_tint: Hex = Field(pattern=r"^#[0-9A-Fa-f]{6}$")


class Look(_Data):
    font: Fonts
    leading: float = Field(ge=1.1, le=2.0)
    min_contrast: float = Field(ge=3.0, le=21.0)
    min_graphic_contrast: float = Field(ge=3.0, le=21.0)
    traffic_light_grey_gap: float = Field(ge=10, le=50)
    page: PageSetup
    sizes: PrintSizes
    space: Space
    colours: Colours

    @model_validator(mode="after")
    def _traffic_light_apart_in_grey(self) -> Look:
        c = self.colours
        greys = sorted((lightness(colors.HexColor(value)), name)
                       for name, value in (("green", c.green), ("amber", c.amber), ("red", c.red)))
        for (low, a), (high, b) in zip(greys, greys[1:], strict=False):
            if high - low < self.traffic_light_grey_gap:
                raise ValueError(f"colours: {a} and {b} are {high - low:.0f} apart in grey (L*); the traffic light "
                                 f"needs at least {self.traffic_light_grey_gap:g} to read in a grayscale print")
        return self

    def size(self, large_print: bool) -> Sizes:
        return self.sizes.large if large_print else self.sizes.normal

    def printed(self, large_print: bool) -> Look:
        """The look for this print size: large print takes its own margins when the file gives them."""
        return _in_large_print(self) if large_print and self.page.large_print is not None else self


@functools.lru_cache(maxsize=8)  # one look object per print size: styles and measurements cached by look stay hits
def _in_large_print(look: Look) -> Look:
    return look.model_copy(update={"page": look.page.model_copy(update=look.page.large_print.model_dump())})


def load_look_file(path: Path) -> Look:
    data = read_yaml(path)
    try:
        return Look.model_validate(data)
    except ValidationError as exc:
        raise LibraryError(f"{path.name}: " + "; ".join(messages(exc))) from None


@functools.cache
def load_look() -> Look:
    return load_look_file(LOOK_FILE)


# --- colour arithmetic (WCAG 2 relative luminance) ---------------------------------------------------------


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _gamma(linear: float) -> float:
    return 12.92 * linear if linear <= 0.0031308 else 1.055 * linear ** (1 / 2.4) - 0.055


def luminance(colour: colors.Color) -> float:
    r, g, b = (_linear(c) for c in (colour.red, colour.green, colour.blue))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def lightness(colour: colors.Color) -> float:
    """CIE L* (0 black to 100 white) of the colour's luminance: how light its grey looks."""
    y = luminance(colour)
    return 116 * y ** (1 / 3) - 16 if y > (6 / 29) ** 3 else y * (29 / 3) ** 3


def contrast(a: colors.Color, b: colors.Color) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(a: colors.Color, b: colors.Color, t: float) -> colors.Color:
    """``t`` of ``a`` and the rest of ``b``."""
    return colors.Color(*(t * x + (1 - t) * y for x, y in zip(a.rgb(), b.rgb(), strict=True)))


def readable_on(colour: colors.Color, *backgrounds: colors.Color, ratio: float) -> colors.Color:
    """The colour itself if it reads on every background, else darkened just enough (black always does)."""
    black = colors.Color(0, 0, 0)
    for step in range(21):
        candidate = mix(black, colour, step / 20)
        if all(contrast(candidate, bg) >= ratio for bg in backgrounds):
            return candidate
    return black


def to_grey(colour: colors.Color) -> colors.Color:
    """The grey with the same luminance, keeping alpha: contrast ratios do not change."""
    grey = _gamma(luminance(colour))
    return colors.Color(grey, grey, grey, alpha=getattr(colour, "alpha", 1))


def grey_everything(colour: object) -> colors.Color:
    """reportlab ``enforceColorSpace`` hook: every fill and stroke becomes grey, drawings included."""
    c = colors.toColor(colour)
    if isinstance(c, colors.CMYKColor):
        r, g, b = c.rgb()
        c = colors.Color(r, g, b, alpha=c.alpha)
    return to_grey(c)


@dataclass(frozen=True)
class Palette:
    """Every colour one handout uses, already made readable (and grey when asked)."""

    text: colors.Color
    muted: colors.Color
    rule: colors.Color
    light_rule: colors.Color
    page: colors.Color
    brand: colors.Color  # the clinic colour, darkened to 3:1 on white if light: rules, fills, logo, drawings
    brand_text: colors.Color  # brand colour for text on white or on the tint
    brand_tint: colors.Color  # light background
    on_brand_text: colors.Color  # text on a brand_text-filled bar
    green: colors.Color
    amber: colors.Color
    red: colors.Color
    green_tint: colors.Color
    amber_tint: colors.Color
    red_tint: colors.Color


def make_palette(look: Look, brand_hex: str, *, grayscale: bool = False) -> Palette:
    c = look.colours
    convert = to_grey if grayscale else (lambda colour: colour)

    def col(value: str) -> colors.Color:
        return convert(colors.HexColor(value))

    page, given = col(c.page), col(brand_hex)
    tint = mix(given, page, c.tint)  # a light background keeps the clinic's own hue, however light
    brand = readable_on(given, page, ratio=look.min_graphic_contrast)
    brand_text = readable_on(given, page, tint, ratio=look.min_contrast)
    white = colors.Color(1, 1, 1)
    on_brand = white if contrast(white, brand_text) >= look.min_contrast else colors.Color(0, 0, 0)
    return Palette(
        text=col(c.text),
        muted=col(c.muted),
        rule=col(c.rule),
        light_rule=col(c.light_rule),
        page=page,
        brand=brand,
        brand_text=brand_text,
        brand_tint=tint,
        on_brand_text=on_brand,
        green=col(c.green),
        amber=col(c.amber),
        red=col(c.red),
        green_tint=col(c.green_tint),
        amber_tint=col(c.amber_tint),
        red_tint=col(c.red_tint),
    )
