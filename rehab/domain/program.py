"""The domain model: exercises, doses, programs and patients.

Models are frozen pydantic models so the same classes validate the program document at the edge and
generate its JSON Schema; units live in field names (``hold_seconds``, ``days_per_week``).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

PROGRAM_FORMAT = "rehab.program/1"


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


class Language(StrEnum):
    """A language the patient's handout can be printed in (docs/translations.md). Arabic is written right to left."""

    EN = "en"
    ES = "es"
    PL = "pl"
    AR = "ar"

    @property
    def right_to_left(self) -> bool:
        return self is Language.AR


class Phase(StrEnum):
    SETTLE = "settle"
    STRENGTHEN = "strengthen"
    RETURN_TO_RUNNING = "return_to_running"


class Category(StrEnum):
    STRENGTH = "strength"
    STRETCH = "stretch"
    SOFT_TISSUE = "soft_tissue"
    BALANCE = "balance"
    CARDIO = "cardio"


class TargetArea(StrEnum):
    KNEE = "knee"
    HIP = "hip"
    TRUNK = "trunk"
    CALF = "calf"
    WHOLE_LEG = "whole_leg"


class Position(StrEnum):
    LYING_ON_BACK = "lying_on_back"
    LYING_ON_SIDE = "lying_on_side"
    LYING_ON_FRONT = "lying_on_front"
    SITTING = "sitting"
    STANDING = "standing"
    KNEELING = "kneeling"
    HANDS_AND_KNEES = "hands_and_knees"


class NextMorning(StrEnum):
    """How the knee felt the morning after exercise, compared with usual."""

    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


class Advice(StrEnum):
    PROGRESS = "progress"
    HOLD = "hold"
    REGRESS = "regress"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


Slug = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,63}$")]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Sentence = Annotated[str, StringConstraints(min_length=1, max_length=400)]
Paragraph = Annotated[str, StringConstraints(min_length=1, max_length=800)]  # patient text: a summary, a topic


class FrozenModel(BaseModel):
    """Base of every domain model: immutable, and unknown fields are an error (a typo never passes silently)."""

    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


class Dosage(FrozenModel):
    """How much of one exercise: the bounds are the clinical limits the app accepts."""

    sets: int = Field(1, ge=1, le=10, description="Sets per session.")
    reps: int | None = Field(None, ge=1, le=50, description="Repetitions per set (holds count as reps).")
    hold_seconds: int | None = Field(None, ge=1, le=300, description="Seconds to hold each rep.")
    minutes: int | None = Field(None, ge=1, le=120, description="Minutes per session, for cardio and rolling.")
    rest_seconds: int = Field(60, ge=0, le=600, description="Rest between sets, in seconds.")
    days_per_week: int = Field(3, ge=1, le=7, description="Days a week to do it.")
    times_per_day: int = Field(1, ge=1, le=6, description="Sessions a day on those days.")
    load: Annotated[str, StringConstraints(max_length=100)] | None = Field(
        None, description="Load or band in plain words, e.g. '1 kg ankle weight' or 'light band'."
    )

    @model_validator(mode="after")
    def _has_an_amount(self) -> Dosage:
        if self.reps is None and self.hold_seconds is None and self.minutes is None:
            raise ValueError("give reps, hold_seconds or minutes")
        return self

    @property
    def reps_or_one(self) -> int:
        return self.reps or 1


class ProgressionRule(FrozenModel):
    """How the week-by-week schedule raises the dose; per item it overrides the library default."""

    every_weeks: int = Field(1, ge=1, le=12, description="Weeks between steps up.")
    reps_step: int = Field(2, ge=1, le=10, description="Reps added per step.")
    reps_cap: int = Field(15, ge=1, le=50, description="Most reps per set before a set is added.")
    sets_cap: int = Field(3, ge=1, le=10, description="Most sets before moving to the next exercise.")
    hold_step_seconds: int = Field(5, ge=1, le=60, description="Seconds added to a hold per step.")
    hold_cap_seconds: int = Field(45, ge=1, le=300, description="Longest hold.")
    minutes_step: int = Field(5, ge=1, le=30, description="Minutes added per step for timed exercises.")
    minutes_cap: int = Field(40, ge=1, le=120, description="Longest timed session.")
    to_next_exercise: bool = Field(True, description="Move to the harder exercise once every cap is reached.")


class Growth(StrEnum):
    """What the week-by-week plan raises for one exercise; NONE keeps the starting dose every week."""

    REPS = "reps"
    HOLD_SECONDS = "hold_seconds"
    SETS = "sets"
    MINUTES = "minutes"
    NONE = "none"


class WeeklyRule(FrozenModel):
    """How the week plan grows one exercise, and its ceiling (reference §2, §6, §7).

    ``step`` is added every ``every_weeks`` weeks up to ``max``; ``max_rise_percent`` caps each step as a share of
    the amount so far (running time: no more than ~30% in two weeks). Load is never raised by the plan: that is
    the clinician's call at a review, so exercises that progress by load use ``grow: none``.
    """

    grow: Growth
    step: int | None = Field(None, ge=1, le=30, description="Amount added per step (reps, seconds, sets or minutes).")
    every_weeks: int = Field(1, ge=1, le=12, description="Weeks between steps.")
    max: int | None = Field(None, ge=1, le=300, description="The most the plan ever reaches.")
    max_rise_percent: int | None = Field(None, ge=1, le=100, description="Largest rise per step, in percent.")

    @model_validator(mode="after")
    def _complete(self) -> WeeklyRule:
        if self.grow is Growth.NONE:
            if self.step is not None or self.max is not None or self.max_rise_percent is not None:
                raise ValueError("grow: none takes no step, max or max_rise_percent")
        elif self.step is None or self.max is None:
            raise ValueError(f"grow: {self.grow.value} needs a step and a max")
        return self


NO_GROWTH = WeeklyRule(grow=Growth.NONE)


class Exercise(FrozenModel):
    """One library entry. Patient text (steps, cues, cautions, tips) is plain, second person."""

    id: Slug
    name: ShortText
    summary: Sentence | None = Field(None, description="One plain line saying what the exercise is.")
    category: Category
    target_areas: tuple[TargetArea, ...] = Field(min_length=1)
    target_muscles: tuple[ShortText, ...] = Field(min_length=1)
    equipment: tuple[ShortText, ...] = ()
    position: Position
    one_leg: bool = Field(description="Done one leg at a time, so the program must say which side.")
    each_side: bool = Field(False, description="Done on one side, then the other (side plank): the dose is per side.")
    rep_unit: ShortText | None = Field(None, description="What one rep counts, when not one move: 'steps each way'.")
    steps: tuple[Sentence, ...] = Field(min_length=3, max_length=6)
    cues: tuple[Sentence, ...] = Field(min_length=1, max_length=3)
    cautions: tuple[Sentence, ...] = ()
    default_dose: Dosage
    seconds_per_rep: int = Field(4, ge=1, le=30, description="Time one rep takes, for session estimates.")
    progression: Slug | None = Field(None, description="Id of the next, harder exercise.")
    regression: Slug | None = Field(None, description="Id of the easier exercise if this one hurts.")
    weekly: WeeklyRule = Field(NO_GROWTH, description="How the week plan grows it, and its ceiling.")
    progress_tip: Sentence = Field(description="How to make it harder without changing exercise.")
    ease_tip: Sentence = Field(description="How to make it easier without changing exercise.")
    phases: tuple[Phase, ...] = Field(min_length=1)
    evidence: Sentence
    custom: bool = False

    @property
    def is_strengthening(self) -> bool:
        return self.category is Category.STRENGTH

    @model_validator(mode="after")
    def _rule_fits_dose(self) -> Exercise:
        if self.one_leg and self.each_side:
            raise ValueError("each_side is for two-sided exercises that are not one_leg; choose one")
        rule, dose = self.weekly, self.default_dose
        if rule.grow is not Growth.NONE:
            start = getattr(dose, rule.grow.value)
            if start is None:
                raise ValueError(f"weekly: grows {rule.grow.value}, but default_dose has no {rule.grow.value}")
            if start > rule.max:
                raise ValueError(f"weekly: max {rule.max} is below the default_dose {rule.grow.value} ({start})")
        return self


# The Patient fields that belong to the program, not to the patient's record: each program prints in its own languages.
HANDOUT_LANGUAGES = frozenset({"language", "second_language"})


class Patient(FrozenModel):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    email: Annotated[str, StringConstraints(max_length=254)] | None = None
    email_consent: bool = False
    affected_side: Side | None = None
    date_of_birth: dt.date | None = None
    language: Language | None = Field(
        None, description="Language of the patient's handout and email (en, es, pl, ar); none: the clinic's."
    )
    second_language: Language | None = Field(
        None, description="A second language printed beneath every block of the handout, smaller (en, es, pl, ar; "
        "not the handout's own language); none: a one-language handout."
    )

    @model_validator(mode="after")
    def _two_different_languages(self) -> Patient:
        # Only when both are named: with no language the handout takes the clinic's, which may change later
        # (the handout then prints one language; rehab.words.choice.second_handout_language).
        if self.second_language is not None and self.second_language == self.language:
            raise ValueError(f"second_language: choose a language other than the handout's own ({self.language.value})")
        return self


class PainRule(FrozenModel):
    """Pain-monitoring thresholds on a 0-10 scale (traffic light)."""

    green_max: int = Field(2, ge=0, le=4, description="Pain up to this during exercise is fine (green).")
    amber_max: int = Field(5, ge=1, le=5, description="Above this, stop and ease off (red). Never above 5.")
    settle_minutes: int = Field(60, ge=0, le=240, description="Pain should settle back to usual within this.")

    @model_validator(mode="after")
    def _ordered(self) -> PainRule:
        if self.amber_max <= self.green_max:
            raise ValueError(f"amber_max ({self.amber_max}) must be above green_max ({self.green_max})")
        return self


class PlannedSwitch(FrozenModel):
    """The clinician's visible choice to change exercise part-way: from ``from_week`` the item becomes
    ``exercise``, at that exercise's starting dose on the days the patient already keeps."""

    from_week: int = Field(ge=2, le=52, description="First week of the new exercise.")
    exercise: Slug = Field(description="Exercise id from the library.")


class ProgramItem(Dosage):
    exercise: Slug = Field(description="Exercise id from the library.")
    side: Side | None = Field(None, description="Which leg, for one-leg exercises.")
    notes: Annotated[str, StringConstraints(max_length=2000)] = ""
    grow: bool = Field(True, description="Let the week plan grow the dose by the exercise's weekly rule.")
    switch: PlannedSwitch | None = Field(None, description="A planned change of exercise from a given week.")
    progression: ProgressionRule | None = Field(
        None, description="Step sizes for review visits; the week plan follows the exercise's weekly rule."
    )

    @property
    def dosage(self) -> Dosage:
        return Dosage(**{name: getattr(self, name) for name in Dosage.model_fields})

    @model_validator(mode="after")
    def _switch_changes_exercise(self) -> ProgramItem:
        if self.switch is not None and self.switch.exercise == self.exercise:
            raise ValueError("switch: the planned exercise is the one already in this row")
        return self


class Program(FrozenModel):
    """A home exercise program: the ``rehab.program/1`` document."""

    format: Annotated[str, StringConstraints(pattern=r"^rehab\.program/1$")] = PROGRAM_FORMAT
    title: Annotated[str, StringConstraints(max_length=200)] = "Your knee exercise program"
    patient: Patient
    clinician: Annotated[str, StringConstraints(max_length=200)] = ""
    phase: Phase
    start_date: dt.date
    duration_weeks: int = Field(6, ge=1, le=52)
    items: tuple[ProgramItem, ...] = Field(min_length=1, max_length=40)
    education: tuple[Slug, ...] = ()
    pain_rule: PainRule = PainRule()
    notes: Annotated[str, StringConstraints(max_length=10000)] = ""
    template: Slug | None = Field(None, description="Template the program started from.")
    purpose: Annotated[str, StringConstraints(max_length=1000)] = Field(
        "", description="What this stage is for, in plain words for the patient (the template's summary)."
    )
    next_stage: tuple[Sentence, ...] = Field(
        (), max_length=8, description="When the patient is ready for the next stage (the template's move_on)."
    )


class Finding(FrozenModel):
    severity: Severity
    message: str
    item: int | None = None  # index into program.items, when the finding is about one item


class CheckIn(FrozenModel):
    """What the patient reports about one exercise since the last visit."""

    pain_during: int = Field(ge=0, le=10, description="Worst pain during the exercise, 0-10.")
    next_morning: NextMorning = Field(description="Knee the next morning compared with usual.")
    good_form: bool = Field(description="Every set done with good control (knee over foot, level pelvis).")


class ScheduledDose(FrozenModel):
    """One week of one program item in the week-by-week plan."""

    week: int = Field(ge=1)
    exercise: Slug
    dosage: Dosage
