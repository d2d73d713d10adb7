"""Everything one handout needs, worked out once: the program, clinic, look, palette, styles and schedule."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from reportlab.lib.pagesizes import A4, LETTER

from ..content.library import ExerciseLibrary
from ..domain import Exercise, Program, ScheduledDose
from ..domain.clinic import Clinic, Paper
from ..program.progression import schedule_program
from .fonts import FontSet
from .lines import Lines, Run
from .look import Look, Palette, Sizes
from .para import Paragraph
from .styles import Styles
from .text import drawable, markup, one_line

PAGE_SIZES = {Paper.A4: A4, Paper.LETTER: LETTER}


def illustrations() -> Callable | None:
    """``rehab.illustrations.drawing_for`` when that package exists; a bug inside it still raises."""
    try:
        module = importlib.import_module("rehab.illustrations")
    except ModuleNotFoundError as exc:
        if exc.name in ("rehab.illustrations", "rehab"):
            return None
        raise
    return getattr(module, "drawing_for", None)


@dataclass(frozen=True)
class Handout:
    program: Program
    clinic: Clinic
    library: ExerciseLibrary
    look: Look
    sizes: Sizes
    palette: Palette
    styles: Styles
    fonts: FontSet
    paper: Paper
    large_print: bool
    grayscale: bool
    prepared: dt.date
    drawing_for: Callable | None
    photos: Mapping[str, bytes] = field(default_factory=dict)  # the clinic's photos of its own exercises, by id

    @property
    def pagesize(self) -> tuple[float, float]:
        return PAGE_SIZES[self.paper]

    @property
    def frame_width(self) -> float:
        page = self.look.page
        return self.pagesize[0] - page.margin_left - page.margin_right

    @cached_property
    def exercises(self) -> list[Exercise]:
        return [self.library.get(item.exercise) for item in self.program.items]

    @cached_property
    def schedule(self) -> list[list[ScheduledDose]]:
        return schedule_program(self.program, self.library)

    def text(self, user_text: str, style_name: str = "body", **kw) -> Paragraph:
        """A paragraph of user or data text: drawable glyphs only, escaped, newlines kept."""
        return Paragraph(markup(user_text, self.fonts.glyphs), getattr(self.styles, style_name), **kw)

    def lines(self, runs: list[Run], style_name: str = "cell", bullet: str | None = None) -> Lines:
        """Text without markup, each (text, bold) run starting a line: drawable glyphs only (see lines.py)."""
        glyphs = self.fonts.glyphs
        return Lines([(drawable(text, glyphs), bold) for text, bold in runs], getattr(self.styles, style_name),
                     self.fonts.bold, bullet)

    def safe(self, user_text: str) -> str:
        """User text made ready to drop into trusted markup."""
        return markup(user_text, self.fonts.glyphs)

    def line(self, user_text: str) -> str:
        """User text for the canvas: one line, drawable glyphs, no markup."""
        return one_line(user_text, self.fonts.glyphs)
