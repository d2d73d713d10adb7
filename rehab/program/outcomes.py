"""Outcome scores over time and whether a change is big enough to matter (the minimal important change).

Facts from the clinical reference §4: for patellofemoral pain the minimal important change is 10 points on the
Kujala scale (AKPS, 0-100) and 2 cm on a 10 cm worst-pain line, used here as 2 points on the 0-10 worst-pain
scale (Crossley et al. 2004). The reference gives no value for KOOS-PF, so a KOOS-PF change is shown but not
judged. Only scores are stored and shown; never a questionnaire's wording.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..content.library import fold

AKPS = "Kujala (AKPS)"
KOOS_PF = "KOOS-PF"
OTHER = "Other"
INSTRUMENTS: tuple[str, ...] = (AKPS, KOOS_PF, OTHER)

PAIN_LABEL = "Worst pain"
PAIN_SCALE = (0, 10)
FUNCTION_SCALE = (0, 100)

# Plain labels for the 7-point global rating of change (-3..+3); our wording, not a questionnaire's.
GLOBAL_CHANGE_LABELS: dict[int, str] = {
    -3: "Much worse",
    -2: "Worse",
    -1: "A little worse",
    0: "About the same",
    1: "A little better",
    2: "Better",
    3: "Much better",
}


@dataclass(frozen=True)
class MinimalChange:
    """The smallest change in a score that patients notice as real, and which direction is better."""

    points: int
    higher_is_better: bool
    source: str


PAIN_MIC = MinimalChange(points=2, higher_is_better=False, source="Crossley et al. 2004 (2 cm on a 10 cm line)")
AKPS_MIC = MinimalChange(points=10, higher_is_better=True, source="Crossley et al. 2004")


def function_mic(instrument: str | None) -> MinimalChange | None:
    """The minimal important change for a function questionnaire, or None when the reference gives none."""
    if not instrument:
        return None
    name = fold(instrument)
    # Stored names come from our list, but older or imported entries may say just "AKPS" or "Kujala".
    if "akps" in name or "kujala" in name:
        return AKPS_MIC
    return None


class Entry(Protocol):
    """What an outcome entry needs here (rehab.domain.records.OutcomeRecord has these fields)."""

    recorded_on: dt.date
    worst_pain: int
    function_score: int | None
    instrument: str | None


@dataclass(frozen=True)
class Change:
    """A score's first and latest values and whether the difference reaches the minimal important change."""

    first: int
    latest: int
    first_on: dt.date
    latest_on: dt.date
    mic: MinimalChange | None

    @property
    def difference(self) -> int:
        return self.latest - self.first

    @property
    def improved(self) -> bool:
        if self.mic is None or self.difference == 0:
            return False
        return (self.difference > 0) == self.mic.higher_is_better

    @property
    def reaches_mic(self) -> bool | None:
        """True when the change, better or worse, is at least the minimal important change; None if unknown."""
        if self.mic is None:
            return None
        return abs(self.difference) >= self.mic.points


def in_date_order(entries: Iterable[Entry]) -> list[Entry]:
    """Oldest first; entries on the same day keep the order they were stored in."""
    return sorted(entries, key=lambda e: e.recorded_on)


def change_since_first(points: Sequence[tuple[dt.date, int]], mic: MinimalChange | None) -> Change | None:
    """The change from the first to the latest of (date, value) points in date order; None with fewer than 2."""
    if len(points) < 2:
        return None
    (first_on, first), (latest_on, latest) = points[0], points[-1]
    return Change(first=first, latest=latest, first_on=first_on, latest_on=latest_on, mic=mic)


def pain_points(entries: Iterable[Entry]) -> list[tuple[dt.date, int]]:
    return [(e.recorded_on, e.worst_pain) for e in in_date_order(entries)]


def latest_instrument(entries: Iterable[Entry]) -> str | None:
    """The questionnaire of the most recent entry that has a function score."""
    scored = [e for e in in_date_order(entries) if e.function_score is not None]
    return scored[-1].instrument if scored else None


def function_points(entries: Iterable[Entry], instrument: str) -> list[tuple[dt.date, int]]:
    """Scores from one questionnaire only: scores from different questionnaires cannot be compared."""
    return [
        (e.recorded_on, e.function_score)
        for e in in_date_order(entries)
        if e.function_score is not None and e.instrument == instrument
    ]


def pain_change(entries: Iterable[Entry]) -> Change | None:
    return change_since_first(pain_points(entries), PAIN_MIC)


def function_change(entries: Iterable[Entry]) -> tuple[str, Change] | None:
    """The change in the latest questionnaire's score, with that questionnaire's name."""
    entries = list(entries)
    instrument = latest_instrument(entries)
    if instrument is None:
        return None
    change = change_since_first(function_points(entries, instrument), function_mic(instrument))
    return (instrument, change) if change else None


def mic_band(first: int, mic: MinimalChange, scale: tuple[int, int]) -> tuple[int, int]:
    """Scores within the minimal important change of the first one, kept inside the scale."""
    low, high = scale
    return max(low, first - mic.points), min(high, first + mic.points)


def _points(n: int) -> str:
    return "1 point" if abs(n) == 1 else f"{abs(n)} points"


def describe_change(change: Change, measure: str) -> str:
    """One or two sentences for the clinician, e.g. 'Worst pain went down 3 points (6 to 3) ... It reaches ...'."""
    span = f"from {change.first_on.isoformat()} to {change.latest_on.isoformat()}"
    if change.difference == 0:
        moved = f"{measure} stayed at {change.first} {span}."
    else:
        direction = "up" if change.difference > 0 else "down"
        moved = f"{measure} went {direction} {_points(change.difference)} ({change.first} to {change.latest}) {span}."
    mic = change.mic
    if mic is None:
        return f"{moved} Our reference gives no minimal important change for this questionnaire, so it is not judged."
    if not change.reaches_mic:
        return (
            f"{moved} That is less than the minimal important change of {_points(mic.points)}, "
            "so it may not be a change the patient notices."
        )
    verdict = "a real improvement" if change.improved else "a real worsening"
    return f"{moved} That reaches the minimal important change of {_points(mic.points)}: {verdict}."
