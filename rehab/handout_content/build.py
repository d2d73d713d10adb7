"""build_content: a Program (with its clinic and library) becomes the HandoutContent every face prints.

Every number comes from the program's data through rehab.words.dose, rehab.program.timing and rehab.program.progression;
the fixed words come from rehab/words/handout.py.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..content.library import ExerciseLibrary
from ..domain import Category, Dosage, Exercise, Program, ProgramItem, ScheduledDose, Side
from ..domain.clinic import Clinic
from ..errors import RehabError
from ..program.progression import handout_exercises, schedule_program, side_for, switch_dose
from ..program.timing import item_seconds
from ..words import n_, p_
from ..words.dose import (
    amount_in_words,
    card_words,
    exercise_dose_in_words,
    frequency_in_words,
    side_in_words,
    with_load,
)
from ..words.entries import education_topics as load_education  # the topics in the language being written
from ..words.handout import WEEKDAYS_SHORT, long_date, settle_time, short_date, w, weeks_in_words
from ..words.help import help_contacts
from .model import (
    Advice,
    Calendar,
    Card,
    DayKind,
    Diary,
    ExerciseRow,
    HandoutContent,
    HelpBox,
    HelpGroup,
    PainLight,
    PainZone,
    Pair,
    PlanCell,
    PlanRow,
    Section,
    Topic,
    WeekPlan,
)


@dataclass(frozen=True)
class CardSubject:
    """One card's exercise and the dose it is printed at: the program item for the items' own exercises, the
    starting dose (``switch_dose``) for an exercise a planned switch brings in later."""

    exercise: Exercise
    dose: ProgramItem | Dosage
    side: Side | None
    note: str
    later: bool


def _subjects(program: Program, library: ExerciseLibrary) -> list[CardSubject]:
    """``rehab.program.progression.handout_exercises``, in its order, each with the dose its card prints."""
    subjects = []
    for exercise in handout_exercises(program, library):
        item = next((i for i in program.items if i.exercise == exercise.id), None)
        if item is not None:
            subjects.append(CardSubject(exercise, item, side_for(exercise, item), item.notes, False))
            continue
        item = next(i for i in program.items if i.switch is not None and i.switch.exercise == exercise.id)
        subjects.append(CardSubject(exercise, switch_dose(exercise, item), side_for(exercise, item), "", True))
    return subjects


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def _rounded(seconds: float) -> int:
    """Up to the next 5 minutes: an estimate should not promise less time than it takes."""
    return max(5, 5 * math.ceil(seconds / 60 / 5 - 1e-9))


def _kind_words(exercises: Sequence[Exercise]) -> tuple[str, str]:
    categories = {e.category for e in exercises}
    if Category.STRENGTH in categories and categories <= {Category.STRENGTH, Category.BALANCE}:
        return w("kind_strength"), w("kind_tick_strength")
    if categories <= {Category.STRETCH, Category.SOFT_TISSUE}:
        return w("kind_stretch"), w("kind_tick_stretch")
    if categories == {Category.CARDIO}:
        return w("kind_cardio"), w("kind_tick_cardio")
    return w("kind_mixed"), w("kind_tick_mixed")


def _kinds(program: Program, library: ExerciseLibrary, cards: dict[str, int]) -> list[tuple[DayKind, str]]:
    """Exercises grouped by how often they are done, in the program's order."""
    groups: dict[tuple[int, int], list[int]] = {}
    for index, item in enumerate(program.items):
        groups.setdefault((item.days_per_week, item.times_per_day), []).append(index)
    ordered = list(groups.items())
    kinds = []
    for position, ((days, _times), indexes) in enumerate(ordered):
        items = [program.items[i] for i in indexes]
        exercises = [library.get(item.exercise) for item in items]
        label, tick = _kind_words(exercises)
        # a day of this kind also holds every kind done on more days a week
        with_more = [i for (d, _t), idx in ordered for i in idx if d >= days]
        seconds = sum(item_seconds(program.items[i], library.get(program.items[i].exercise)) for i in with_more)
        minutes = _rounded(seconds)
        rows = []
        for item, exercise in zip(items, exercises, strict=True):
            rows.append(ExerciseRow(card=cards[exercise.id], exercise_id=exercise.id, name=exercise.name,
                                    dose=exercise_dose_in_words(exercise, item.dosage, side_for(exercise, item)),
                                    often=frequency_in_words(item.dosage), load=item.dosage.load))
        often = frequency_in_words(items[0].dosage)
        text = w("minutes_kind_all" if len(with_more) == len(indexes) else "minutes_kind_more", minutes=minutes)
        kinds.append((DayKind(key=f"kind{position + 1}", label=label, often=often, days_per_week=days,
                              minutes=minutes, minutes_text=text, rows=tuple(rows)), tick))
    return kinds


def _example_days(start: dt.date, n: int) -> str:
    """n weekdays spread over the week from the start day, e.g. Mon, Wed and Fri."""
    offsets = {1: (0,), 2: (0, 3), 3: (0, 2, 4), 4: (0, 2, 4, 6)}[n]
    names = [WEEKDAYS_SHORT[(start.weekday() + o) % 7] for o in offsets]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {w('and')} {names[-1]}"


def _with_advice(kinds: tuple[DayKind, ...], ticks: tuple[str, ...], start: dt.date) -> tuple[DayKind, ...]:
    """The kind with rest days between (2 to 4 days a week) says which days; a daily kind beside it says it is
    all there is to do on the other days."""
    spaced = next((k for k in kinds if 2 <= k.days_per_week <= 4 and k.label == w("kind_strength")),
                  next((k for k in kinds if 2 <= k.days_per_week <= 4), None))
    out = []
    for kind, tick in zip(kinds, ticks, strict=True):
        if kind is spaced:
            kind = replace(kind, advice=w("kind_day_off", label=tick.lower(),
                                          days=_example_days(start, kind.days_per_week)))
        elif kind.days_per_week == 7 and spaced is not None and len(kinds) == 2 and tick == w("kind_tick_stretch"):
            kind = replace(kind, advice=w("kind_other_days"))
        out.append(kind)
    return tuple(out)


def _rest_days(kinds: Sequence[DayKind], start: dt.date) -> str:
    fewer = [k for k in kinds if 2 <= k.days_per_week <= 4]
    if not fewer:
        return ""
    kind = next((k for k in fewer if k.label == w("kind_strength")), fewer[0])
    text = w("rest_days", label=kind.label.lower(), n=kind.days_per_week,
             days=_example_days(start, kind.days_per_week))
    daily = [k for k in kinds if k.days_per_week == 7]
    return text + (w("rest_days_daily", label=daily[0].label.lower()) if daily else w("rest_days_active"))


def _who(program: Program) -> tuple[Pair, ...]:
    pairs = [Pair(w("for"), program.patient.name)]
    if program.clinician.strip():
        pairs.append(Pair(w("from"), program.clinician.strip()))
    pairs.append(Pair(w("start"), w("start_value", date=long_date(program.start_date),
                                    weeks=weeks_in_words(program.duration_weeks))))
    side = program.patient.affected_side
    if side is not None:
        words = {Side.LEFT: w("side_left"), Side.RIGHT: w("side_right"), Side.BOTH: w("side_both")}
        pairs.append(Pair(w("sore_knee"), words[side]))
    return tuple(pairs)


def _help(clinic: Clinic) -> HelpBox:
    """The red-flag list split into "get urgent care" and "call us" by how each point ends."""
    topic = load_education().get("red_flags")
    urgent, call, other = [], [], []
    for point in topic.points if topic else ():
        for bucket, ending in ((urgent, w("red_flag_urgent_end")), (call, w("red_flag_call_end"))):
            if point.endswith(ending):
                bucket.append(point[: -len(ending)].strip())
                break
        else:
            other.append(point)
    groups = [HelpGroup(lead, tuple(points)) for lead, points in
              ((w("help_urgent_lead"), urgent), (w("help_call_lead"), call), ("", other)) if points]
    return HelpBox(heading=w("help_heading"), groups=tuple(groups), contacts=help_contacts(clinic).lines(),
                   qr_url=clinic.qr_url() or "", source_points=tuple(topic.points) if topic else ())


def _pain(program: Program) -> PainLight:
    rule = program.pain_rule
    zones = (
        PainZone("green", w("green"), w("green_range", high=rule.green_max), w("green_text")),
        PainZone("amber", w("amber"), w("amber_range", low=rule.green_max + 1, high=rule.amber_max), w("amber_text")),
        PainZone("red", w("red"), w("red_range", high=rule.amber_max), w("red_text")),
    )
    return PainLight(w("pain_heading"), w("pain_intro"), zones, w("settle", time=settle_time(rule.settle_minutes)))


def words_dose(dose: ProgramItem | Dosage) -> Dosage:
    return dose.dosage if isinstance(dose, ProgramItem) else dose


def _card(number: int, subject: CardSubject, program: Program, names: dict[str, str]) -> Card:
    exercise = subject.exercise
    words = card_words(exercise, subject.dose, subject.side, named_ok=set(names), names=names,
                       pain_rule=program.pain_rule)
    easy = Advice(w("easy_heading"), words.easy_when, words.easy_checks, (words.easy_how,),
                  words.easy_how.removeprefix(w("easy_how_prefix")))
    hurts = Advice(w("hurts_heading"), words.hurts_stop, (), (words.hurts_ease, words.hurts_next),
                   " ".join([words.hurts_stop, words.hurts_ease, words.hurts_next]))
    return Card(number=number, exercise_id=exercise.id, name=exercise.name, summary=words.summary,
                dose=words.dose, rest=words.rest, often=words.frequency, steps=words.steps, tips=exercise.cues,
                cautions=exercise.cautions, easy=easy, hurts=hurts, note=subject.note.strip(), later=subject.later,
                load=words_dose(subject.dose).load)


def _plan_cell(dosage: Dosage, exercise: Exercise, load_too: bool = True) -> str:
    text = amount_in_words(dosage, exercise.rep_unit)
    if dosage.load and load_too:
        text += p_("separator", ", ") + with_load(dosage.load)
    return text[0].upper() + text[1:]


def _hold_each(seconds: int) -> str:
    return w("hold_each", time=n_("{n} second", "{n} seconds", seconds).format(n=seconds))


def _plan(program: Program, library: ExerciseLibrary, schedule) -> WeekPlan:
    weeks = tuple(Pair(w("plan_week", n=n), short_date(program.start_date + dt.timedelta(weeks=n - 1)))
                  for n in range(1, program.duration_weeks + 1))
    rows = []
    for item, plan in zip(program.items, schedule, strict=True):
        exercise = library.get(item.exercise)
        # one load all through (one exercise): said once under the name, not in every week's cell
        loads = {(dose.exercise, dose.dosage.load) for dose in plan}
        same_load = len(loads) == 1 and plan[0].dosage.load is not None
        # one hold for every rep all through ("3 sets of 10, hold each for 5 seconds"): the hold is said once too
        holds = {(dose.exercise, dose.dosage.hold_seconds) for dose in plan}
        same_hold = len(holds) == 1 and plan[0].dosage.hold_seconds is not None and all(
            dose.dosage.sets > 1 and (dose.dosage.reps or 1) > 1 and not dose.dosage.minutes for dose in plan)
        cells = []
        for n, dose in enumerate(plan, start=1):
            changed = n > 1 and plan[n - 2].exercise != dose.exercise
            doing = library.get(dose.exercise)
            dosage = dose.dosage.model_copy(update={"hold_seconds": None}) if same_hold else dose.dosage
            cells.append(PlanCell(_plan_cell(dosage, doing, not same_load), doing.name if changed else ""))
        side = side_in_words(exercise.one_leg, side_for(exercise, item), exercise.each_side)
        if same_hold:
            side = ", ".join(part for part in (side, _hold_each(plan[0].dosage.hold_seconds)) if part)
        if same_load:
            side = ", ".join(part for part in (side, w("with_load", load=plan[0].dosage.load)) if part)
        rows.append(PlanRow(exercise.name, side, tuple(cells)))
    return WeekPlan(w("plan_heading"), w("plan_intro"), weeks, tuple(rows), w("plan_every_week"))


ON_PAGE_ONE = frozenset({"pain_monitoring"})  # the pain traffic light on page 1 says what 0 to 10 means and how to
# use it: a short handout need not say it again


def _education(program: Program) -> tuple[Topic, ...]:
    topics = load_education()
    chosen = []
    for topic_id in program.education:
        topic = topics.get(topic_id)
        if topic is None:
            raise RehabError(f"education: '{topic_id}' is not a known topic; use one of: {', '.join(topics)}")
        chosen.append(Topic(topic.title, tuple(topic.paragraphs), tuple(topic.points),
                            on_page_one=topic_id in ON_PAGE_ONE))
    return tuple(chosen)


def _notes(notes: str) -> tuple[str, ...]:
    """A blank line starts a new paragraph (pages can break between them); single newlines stay line breaks."""
    notes = notes.replace("\r\n", "\n").replace("\r", "\n").strip()
    return tuple(p for p in re.split(r"\n[ \t]*\n", notes) if p.strip())


def build_content(program: Program, clinic: Clinic, library: ExerciseLibrary, *, prepared: dt.date,
                  schedule: Sequence[Sequence[ScheduledDose]] | None = None) -> HandoutContent:
    schedule = schedule if schedule is not None else schedule_program(program, library)
    subjects = _subjects(program, library)
    cards = {s.exercise.id: n for n, s in enumerate(subjects, start=1)}
    names = {s.exercise.id: s.exercise.name for s in subjects}  # a card may name only exercises with a card
    kinds_and_ticks = _kinds(program, library, cards)
    kinds = _with_advice(tuple(k for k, _ in kinds_and_ticks), tuple(t for _, t in kinds_and_ticks),
                         program.start_date)
    equipment: list[str] = []
    for subject in subjects:
        for thing in subject.exercise.equipment:
            if thing.lower() not in (e.lower() for e in equipment):
                equipment.append(thing)
    start = program.start_date
    calendar = Calendar(
        heading=w("calendar_heading_short"),
        weekdays=tuple(WEEKDAYS_SHORT[(start.weekday() + i) % 7] for i in range(7)),
        weeks=tuple(Pair(w("calendar_week", n=n + 1), short_date(start + dt.timedelta(weeks=n)))
                    for n in range(program.duration_weeks)),
        kinds=tuple(tick for _, tick in kinds_and_ticks),
        hint=w("calendar_hint"),
    )
    return HandoutContent(
        title=program.title.strip() or w("your_exercises"),
        condition=w("condition"),
        who=_who(program),
        prepared=Pair(w("prepared"), long_date(prepared)),
        purpose=Section(w("purpose_heading"), (program.purpose.strip(),)) if program.purpose.strip() else None,
        next_stage=(Section(w("next_stage_heading"), (w("next_stage_intro"),), tuple(program.next_stage))
                    if program.next_stage else None),
        equipment=(Section(w("equipment_heading"), (_sentence(", ".join(equipment)),))
                   if equipment else None),
        exercises_heading=w("your_exercises"),
        kinds=kinds,
        rest_days=_rest_days(kinds, start),
        calendar=calendar,
        pain=_pain(program),
        help=_help(clinic),
        cards_heading=w("cards_heading"),
        cards_rules=Section(w("cards_rules_heading"), (w("cards_rules_intro"),),
                            (w("easy_pain", green=program.pain_rule.green_max), w("easy_morning"), w("easy_form"))),
        cards=tuple(_card(n, s, program, names) for n, s in enumerate(subjects, start=1)),
        plan=_plan(program, library, schedule),
        diary=Diary(w("diary_heading"), w("diary_intro"),
                    (w("diary_week"), w("diary_pain"), w("diary_morning"), w("diary_notes")),
                    (w("diary_better"), w("diary_same"), w("diary_worse")),
                    tuple(Pair(w("plan_week", n=n), short_date(start + dt.timedelta(weeks=n - 1)))
                          for n in range(1, program.duration_weeks + 1))),
        education_heading=w("education_heading"),
        education=_education(program),
        notes_heading=w("notes_heading"),
        notes=_notes(program.notes),
    )
