"""Doses and frequencies in plain words for patients ("3 sets of 12, each leg")."""

from __future__ import annotations

from .domain import Dosage, Side


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def side_in_words(one_leg: bool, side: Side | None) -> str:
    if not one_leg:
        return ""
    if side is Side.LEFT:
        return "left leg only"
    if side is Side.RIGHT:
        return "right leg only"
    return "each leg"


def amount_in_words(dosage: Dosage) -> str:
    """How much in one session, without side or frequency."""
    sets, reps, hold, minutes = dosage.sets, dosage.reps, dosage.hold_seconds, dosage.minutes
    if minutes:
        text = _plural(minutes, "minute")
        return text if sets == 1 else f"{text}, {_times(sets)}"
    if hold and (reps or 1) == 1:
        text = f"hold {_plural(hold, 'second')}"
        return text if sets == 1 else f"{text}, {_times(sets)}"
    if hold:
        if sets == 1:
            return f"hold {_plural(hold, 'second')}, {_times(reps)}"
        return f"{sets} sets of {reps}, hold each for {_plural(hold, 'second')}"
    return f"{sets} sets of {reps}" if sets > 1 else _plural(reps or 1, "time")


def dose_in_words(dosage: Dosage, one_leg: bool, side: Side | None) -> str:
    """E.g. '3 sets of 12, each leg' or 'hold 30 seconds, 3 times, left leg only'."""
    parts = [amount_in_words(dosage)]
    side_text = side_in_words(one_leg, side)
    if side_text:
        parts.append(side_text)
    text = ", ".join(parts)
    if dosage.load:
        text += f", with {dosage.load}"
    return text[0].upper() + text[1:]


def frequency_in_words(dosage: Dosage) -> str:
    """E.g. '3 days a week' or 'twice a day, every day'."""
    days = "every day" if dosage.days_per_week == 7 else f"{_plural(dosage.days_per_week, 'day')} a week"
    if dosage.times_per_day == 1:
        return days[0].upper() + days[1:]
    return f"{_times(dosage.times_per_day).capitalize()} a day, {days}"


def rest_in_words(dosage: Dosage) -> str:
    """E.g. 'Rest 1 minute between sets.'; empty when there is nothing to rest between or no rest."""
    if dosage.rest_seconds == 0 or (dosage.sets <= 1 and (dosage.reps or 1) <= 1):
        return ""
    between = "sets" if dosage.sets > 1 else ("holds" if dosage.hold_seconds else "rounds")
    if dosage.rest_seconds % 60 == 0:
        return f"Rest {_plural(dosage.rest_seconds // 60, 'minute')} between {between}."
    return f"Rest {_plural(dosage.rest_seconds, 'second')} between {between}."
