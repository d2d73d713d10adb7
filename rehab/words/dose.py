"""Doses and frequencies in plain words for patients ("3 sets of 12, each leg"), and the words of an exercise card.

Every number a patient reads about a dose comes from the dose data here, never from prose: ``card_words`` builds
a card's dose, steps and "feels easy" / "if it hurts" text from one dose, and ``contradictions`` finds counts in
free text (steps, tips, a physio's note) that disagree with it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..domain import Dosage, Exercise, Growth, PainRule, PlannedSwitch, ProgramItem, Side, WeeklyRule
from . import N_, n_, np_, p_
from . import gettext as _
from .sources import english_source


def _plural(n: int, word: str) -> str:
    """English only: for the clinician's words (weekly rules, contradictions), never the patient's."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _times(n: int) -> str:
    if n == 1:
        return _("once")
    if n == 2:
        return _("twice")
    return n_("{n} time", "{n} times", n).format(n=n)


def _joined(*parts: str) -> str:
    return p_("separator", ", ").join(part for part in parts if part)


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def side_in_words(one_leg: bool, side: Side | None, each_side: bool = False) -> str:
    if each_side:
        return _("each side")
    if not one_leg:
        return ""
    if side is Side.LEFT:
        return _("left leg only")
    if side is Side.RIGHT:
        return _("right leg only")
    return _("each leg")


def _count_of(n: int, rep_unit: str) -> str:
    """'12 steps each way': ``rep_unit`` as the exercise names it; a translation takes the unit's plural form for
    ``n`` from the catalogue, where the English unit is the context ("kroki" for 2, "kroków" for 5 in Polish)."""
    message = f"{{n}} {rep_unit}"  # a variable, so the extractor takes the units from the library instead
    return np_("rep_unit", message, message, n).format(n=n)


def amount_in_words(dosage: Dosage, rep_unit: str | None = None) -> str:
    """How much in one session, without side or frequency; ``rep_unit`` names what a rep counts ('steps each way')."""
    sets, reps, hold, minutes = dosage.sets, dosage.reps, dosage.hold_seconds, dosage.minutes
    if minutes:
        text = n_("{n} minute", "{n} minutes", minutes).format(n=minutes)
        return text if sets == 1 else _joined(text, _times(sets))
    if hold and (reps or 1) == 1:
        text = n_("hold {n} second", "hold {n} seconds", hold).format(n=hold)
        return text if sets == 1 else _joined(text, _times(sets))
    if hold:
        if sets == 1:
            return _joined(n_("hold {n} second", "hold {n} seconds", hold).format(n=hold), _times(reps))
        return _joined(n_("{sets} set of {reps}", "{sets} sets of {reps}", sets).format(sets=sets, reps=reps),
                       n_("hold each for {n} second", "hold each for {n} seconds", hold).format(n=hold))
    count = _count_of(reps or 1, rep_unit) if rep_unit else None
    if sets > 1:
        return n_("{sets} set of {reps}", "{sets} sets of {reps}", sets).format(sets=sets, reps=count or reps)
    return count or n_("{n} time", "{n} times", reps or 1).format(n=reps or 1)


def with_load(load: str) -> str:
    """'with light band'; Polish puts the load on its own ('obciążenie: słaba guma') to keep its case right."""
    return p_("with_load", "with {load}").format(load=load)


def dose_in_words(
    dosage: Dosage, one_leg: bool, side: Side | None, *, each_side: bool = False, rep_unit: str | None = None
) -> str:
    """E.g. '3 sets of 12, each leg' or 'hold 30 seconds, 3 times, left leg only'."""
    text = _joined(amount_in_words(dosage, rep_unit), side_in_words(one_leg, side, each_side),
                   with_load(dosage.load) if dosage.load else "")
    return _upper_first(text)


def exercise_dose_in_words(exercise: Exercise, dosage: Dosage, side: Side | None) -> str:
    """The dose line for this exercise: its side words ('each leg', 'each side') and what its reps count."""
    return dose_in_words(dosage, exercise.one_leg, side, each_side=exercise.each_side, rep_unit=exercise.rep_unit)


def frequency_in_words(dosage: Dosage) -> str:
    """E.g. '3 days a week' or 'twice a day, every day'."""
    n = dosage.days_per_week
    days = _("every day") if n == 7 else n_("{n} day a week", "{n} days a week", n).format(n=n)
    if dosage.times_per_day == 1:
        return _upper_first(days)
    return _upper_first(_joined(_("{times} a day").format(times=_times(dosage.times_per_day)), days))


def rest_in_words(dosage: Dosage) -> str:
    """E.g. 'Rest 1 minute between sets.'; empty when there is nothing to rest between or no rest."""
    if dosage.rest_seconds == 0 or (dosage.sets <= 1 and (dosage.reps or 1) <= 1):
        return ""
    between = "sets" if dosage.sets > 1 else ("holds" if dosage.hold_seconds else "rounds")
    if dosage.rest_seconds % 60 == 0:
        n = dosage.rest_seconds // 60
        text = {
            "sets": n_("Rest {n} minute between sets.", "Rest {n} minutes between sets.", n),
            "holds": n_("Rest {n} minute between holds.", "Rest {n} minutes between holds.", n),
            "rounds": n_("Rest {n} minute between rounds.", "Rest {n} minutes between rounds.", n),
        }[between]
    else:
        n = dosage.rest_seconds
        text = {
            "sets": n_("Rest {n} second between sets.", "Rest {n} seconds between sets.", n),
            "holds": n_("Rest {n} second between holds.", "Rest {n} seconds between holds.", n),
            "rounds": n_("Rest {n} second between rounds.", "Rest {n} seconds between rounds.", n),
        }[between]
    return text.format(n=n)


_GROWTH_WORDS = {"reps": ("rep", "reps"), "hold_seconds": ("s hold", "s hold"), "sets": ("set", "sets"),
                 "minutes": ("min", "min")}


def weekly_rule_in_words(rule: WeeklyRule, grow: bool = True) -> str:
    """For the clinician: '+1 rep every week, up to 15', '+5 s hold every 2 weeks, up to 30 s hold',
    '+5 min every 2 weeks (at most 30% at a time), up to 30 min', 'stays the same'."""
    if not grow:
        return "stays the same (growth off)"
    if rule.grow is Growth.NONE:
        return "stays the same"
    one, many = _GROWTH_WORDS[rule.grow.value]
    unit = one if rule.step == 1 else many
    every = "every week" if rule.every_weeks == 1 else f"every {rule.every_weeks} weeks"
    limit = f" (at most {rule.max_rise_percent}% at a time)" if rule.max_rise_percent else ""
    return f"+{rule.step} {unit} {every}{limit}, up to {rule.max} {many if rule.max != 1 else one}"


# --- counts stated in free text ----------------------------------------------------------------------------

_NUMBER_WORDS = {word: n for n, word in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"))}
_UNITS = {"second": "hold_seconds", "sec": "hold_seconds", "minute": "minutes", "min": "minutes",
          "rep": "reps", "repetition": "reps", "step": "reps", "time": "reps", "set": "sets"}
_COUNT = re.compile(
    r"(?P<before>\b\w+\s+)?\b(?P<n>\d+|" + "|".join(_NUMBER_WORDS) + r")\s*"
    r"(?P<unit>seconds?|secs?|minutes?|mins?|reps?|repetitions?|steps?|times|sets?)\b(?!\s+a\s+(?:day|week))",
    re.IGNORECASE,
)
_INCREMENT = {"add", "another", "extra", "more", "by"}


@dataclass(frozen=True)
class StatedCount:
    """A count written in text: ``field`` is the Dosage field it speaks of; an increment ('add 5 minutes')
    states a change, not an amount."""

    number: int
    field: str
    increment: bool
    text: str


def stated_counts(text: str) -> list[StatedCount]:
    found = []
    for match in _COUNT.finditer(text):
        raw = match["n"].lower()
        number = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        unit = match["unit"].lower()
        field = _UNITS[unit[:-1] if unit.endswith("s") else unit]
        before = (match["before"] or "").strip().lower()
        found.append(StatedCount(number, field, before in _INCREMENT, text[match.start("n"):match.end()]))
    return found


def contradictions(text: str, dosage: Dosage) -> list[str]:
    """Counts in ``text`` that disagree with the dose, in words: a hold, reps or sets other than the dose's, or
    more minutes than the whole session. Counts of things the dose does not set (a 3-second lowering) are fine."""
    problems = []
    for count in stated_counts(text):
        if count.increment:
            continue
        dosed = getattr(dosage, count.field)
        if dosed is None:
            continue
        if count.field == "minutes":
            if count.number > dosed:
                problems.append(f"'{count.text}' is more than the {_plural(dosed, 'minute')} of the dose")
        elif count.number != dosed:
            problems.append(f"'{count.text}' differs from the dose ({_FIELD_WORDS[count.field]} {dosed})")
    return problems


_FIELD_WORDS = {"hold_seconds": "hold seconds", "reps": "reps", "sets": "sets", "minutes": "minutes"}


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip()]


def _keep_sentences(text: str, dosage: Dosage, *, harder: bool) -> str:
    """The tip without sentences that suggest what the dose already is (harder: a target at or below the dose;
    easier: a target at or above it)."""
    kept = []
    for sentence in _sentences(text):
        met = False
        for count in stated_counts(sentence):
            dosed = getattr(dosage, count.field)
            if count.increment or dosed is None:
                continue
            if (harder and count.number <= dosed) or (not harder and count.number >= dosed):
                met = True
        if not met:
            kept.append(sentence)
    return " ".join(kept)


def _kept_tip(exercise: Exercise, field: str, dosage: Dosage, *, harder: bool) -> str:
    """A tip without the sentences the dose already meets (``_keep_sentences``), decided on the English text.
    A translated tip is printed whole when the English keeps every sentence, else not at all (the card then
    gives its general advice): the counts in it are never read in another language."""
    source = english_source(exercise)
    english = getattr(source, field)
    kept = _keep_sentences(english, dosage, harder=harder)
    if source is exercise:
        return kept
    return getattr(exercise, field) if kept == " ".join(_sentences(english)) else ""


# --- one exercise card -------------------------------------------------------------------------------------

EASY_WHEN = N_("Make it harder when all of this is true for 2 sessions in a row:")
EASY_WHEN_PLANNED = N_("Step up as your week plan shows only when all of this is true for 2 sessions in a row:")
EASY_ASK = N_("Ask your physio how to make it harder at your next visit.")
EASE_FALLBACK = N_("Do less, or make the move smaller.")


@dataclass(frozen=True)
class CardWords:
    """Every word of one exercise card, plain text (escape before markup). ``named`` holds the ids of the other
    exercises the text names: always within the ``named_ok`` given to ``card_words``."""

    summary: str
    dose: str
    frequency: str
    rest: str
    steps: tuple[str, ...]
    easy_when: str
    easy_checks: tuple[str, ...]
    easy_how: str
    hurts_stop: str
    hurts_ease: str
    hurts_next: str
    named: tuple[str, ...]


def card_words(
    exercise: Exercise,
    item_or_dosage: ProgramItem | Dosage,
    side: Side | None,
    *,
    named_ok: set[str] | frozenset[str],
    names: Mapping[str, str],
    pain_rule: PainRule | None = None,
) -> CardWords:
    """The words of one exercise card, all from one dose.

    ``item_or_dosage``: the program item (its dose, growth switch and planned switch are used) or a bare dose
    (e.g. the starting dose of an exercise switched in later). ``side``: which leg for one-leg exercises
    (``rehab.program.progression.side_for``). ``named_ok``: ids of exercises that have a card in the same handout; the
    text never names any other exercise. ``names``: exercise id -> display name, for the ones it may name.

    Guarantees: the dose line says 'each leg' / 'each side' where it applies; steps are the exercise's own steps,
    which state no count of the dose (the built-in library is checked for that at load); "feels easy" never
    suggests an amount the dose already reaches, and "if it hurts" never suggests one it is already below.
    """
    rule = pain_rule or PainRule()
    item = item_or_dosage if isinstance(item_or_dosage, ProgramItem) else None
    dosage = item.dosage if item is not None else item_or_dosage
    switch: PlannedSwitch | None = item.switch if item is not None else None
    grows = item is not None and item.grow and exercise.weekly.grow is not Growth.NONE
    named: list[str] = []

    if switch is not None and switch.exercise in named_ok and switch.exercise != exercise.id:
        easy_how = _("From week {n}, your plan moves you on to {name}.").format(
            n=switch.from_week, name=names[switch.exercise])
        named.append(switch.exercise)
    else:
        tip = _kept_tip(exercise, "progress_tip", dosage, harder=True)
        easy_how = p_("easy_how_prefix", "How: ") + tip if tip else _(EASY_ASK)

    ease = _kept_tip(exercise, "ease_tip", dosage, harder=False) or _(EASE_FALLBACK)
    easier = exercise.regression
    if easier is not None and easier in named_ok and easier != exercise.id:
        hurts_next = _("If it still hurts, do this one instead: {name}.").format(name=names[easier])
        named.append(easier)
    else:
        hurts_next = _("If it still hurts, stop this exercise and call us.")

    return CardWords(
        summary=exercise.summary or exercise.steps[0],
        dose=exercise_dose_in_words(exercise, dosage, side),
        frequency=frequency_in_words(dosage),
        rest=rest_in_words(dosage),
        steps=tuple(exercise.steps),
        easy_when=_(EASY_WHEN_PLANNED if grows else EASY_WHEN),
        easy_checks=(p_("easy_pain", "Your pain stays at {green} out of 10 or less.").format(green=rule.green_max),
                     p_("easy_morning", "Your knee is no worse the next morning."),
                     p_("easy_form", "You do every set with good form.")),
        easy_how=easy_how,
        hurts_stop=_("Stop if your pain goes above {n} out of 10.").format(n=rule.amber_max),
        hurts_ease=ease,
        hurts_next=hurts_next,
        named=tuple(named),
    )
