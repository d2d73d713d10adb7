"""What the handout says, as plain data: no layout, no reportlab, no markup.

Every string here is plain text, exactly as the patient reads it (user text included, unescaped); a face
(the PDF layouts today, a web page or a translation later) decides only where and how it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pair:
    """A label and its value, e.g. ("For", "Ana Silva")."""

    label: str
    value: str


@dataclass(frozen=True)
class ExerciseRow:
    """One line of the exercise table on the fridge sheet; ``card`` is the number of its card."""

    card: int
    exercise_id: str
    name: str
    dose: str
    often: str
    load: str | None  # the dose's load ("light band"): the drawing shows a band only when it names one


@dataclass(frozen=True)
class DayKind:
    """Exercises done on the same days, e.g. strength work 3 days a week or stretches every day.

    ``minutes``: a day of this kind, including the exercises of more frequent kinds done that day too.
    """

    key: str
    label: str
    often: str
    days_per_week: int
    minutes: int
    minutes_text: str
    rows: tuple[ExerciseRow, ...]
    advice: str = ""  # which days: a day off between strength days, or "on the other days, only these"


@dataclass(frozen=True)
class Calendar:
    heading: str
    weekdays: tuple[str, ...]
    weeks: tuple[Pair, ...]  # ("Week 1", "23 Nov")
    kinds: tuple[str, ...]  # one tick row per kind in each week
    hint: str


@dataclass(frozen=True)
class PainZone:
    colour: str  # green, amber or red: the face picks the shade
    name: str
    numbers: str
    text: str


@dataclass(frozen=True)
class PainLight:
    heading: str
    intro: str
    zones: tuple[PainZone, ...]
    settle: str


@dataclass(frozen=True)
class HelpGroup:
    lead: str
    points: tuple[str, ...]


@dataclass(frozen=True)
class HelpBox:
    heading: str
    groups: tuple[HelpGroup, ...]
    contacts: tuple[str, ...]  # "Call us on …", "Emergency: …"
    qr_url: str
    source_points: tuple[str, ...] = ()  # the red-flag topic's points as written, before grouping


@dataclass(frozen=True)
class Advice:
    """One "when it feels easy" or "if it hurts" box of a card. ``short``: the same advice in one or two
    sentences, for a layout that prints the shared rules (HandoutContent.cards_rules) once."""

    heading: str
    lead: str
    points: tuple[str, ...]
    then: tuple[str, ...]
    short: str


@dataclass(frozen=True)
class Card:
    number: int
    exercise_id: str
    name: str
    summary: str  # a plain line saying what the exercise is; empty when the library has none
    dose: str
    rest: str
    often: str
    steps: tuple[str, ...]
    tips: tuple[str, ...]
    cautions: tuple[str, ...]
    easy: Advice
    hurts: Advice
    note: str  # the physio's note on this exercise
    later: bool  # an exercise the plan moves to later, not one to do from day 1
    load: str | None  # the dose's load, for the drawing


@dataclass(frozen=True)
class PlanCell:
    text: str
    new_name: str  # the exercise's name when it starts this week or heads a later table; else ""


@dataclass(frozen=True)
class PlanRow:
    name: str
    side: str
    cells: tuple[PlanCell, ...]

    @property
    def steady(self) -> bool:
        """The same dose of the same exercise every week: said once, not once a week."""
        return len({cell.text for cell in self.cells}) == 1 and not any(cell.new_name for cell in self.cells)


@dataclass(frozen=True)
class WeekPlan:
    heading: str
    intro: str
    weeks: tuple[Pair, ...]
    rows: tuple[PlanRow, ...]
    steady_heading: str = ""  # the column over a dose that never changes ("Every week")

    @property
    def changing(self) -> tuple[PlanRow, ...]:
        return tuple(row for row in self.rows if not row.steady)

    @property
    def steady(self) -> tuple[PlanRow, ...]:
        return tuple(row for row in self.rows if row.steady)


@dataclass(frozen=True)
class Diary:
    heading: str
    intro: str
    columns: tuple[str, ...]
    choices: tuple[str, ...]
    weeks: tuple[Pair, ...]


@dataclass(frozen=True)
class Topic:
    title: str
    paragraphs: tuple[str, ...]
    points: tuple[str, ...]
    on_page_one: bool = False  # page 1 already says what its first paragraph says (the pain traffic light)


@dataclass(frozen=True)
class Section:
    """A heading with paragraphs and points, e.g. "What this stage is for" or "Ready for the next stage?"."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    points: tuple[str, ...] = ()


@dataclass(frozen=True)
class HandoutContent:
    title: str
    condition: str
    who: tuple[Pair, ...]  # patient, start, physio and sore side
    prepared: Pair  # the date the handout was made
    purpose: Section | None
    next_stage: Section | None
    equipment: Section | None
    exercises_heading: str
    kinds: tuple[DayKind, ...]
    rest_days: str
    calendar: Calendar
    pain: PainLight
    help: HelpBox
    cards_heading: str
    cards_rules: Section  # when any exercise may be made harder: the same for every card
    cards: tuple[Card, ...]
    plan: WeekPlan
    diary: Diary
    education_heading: str
    education: tuple[Topic, ...]
    notes_heading: str
    notes: tuple[str, ...]  # the physio's notes, one paragraph each

    @property
    def rows(self) -> tuple[ExerciseRow, ...]:
        return tuple(row for kind in self.kinds for row in kind.rows)
