"""What the patient's check-ins through their link add up to (issue 16): pure functions, no I/O.

- ``weekly_adherence``: per program week, on how many days a session was recorded against the days planned,
  the worst pain during those sessions, the mornings that were worse, and the worst pain the patient gave for
  the week.
- ``review_answers``: per exercise, what the Review visit table can start from: the worst pain during the
  sessions that included it and the worst next-morning answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..domain import NextMorning, Program
from ..domain.links import CheckInKind, LinkCheckIn

MORNING_ORDER = (NextMorning.BETTER, NextMorning.SAME, NextMorning.WORSE)  # worst last


@dataclass(frozen=True)
class WeekAdherence:
    week: int  # 1 is the program's first week
    starts: dt.date
    days_done: int  # days with at least one session recorded
    days_planned: int
    worst_session_pain: int | None
    worse_mornings: int
    weekly_worst_pain: int | None  # the patient's own answer for the week (the highest, if given twice)

    @property
    def share(self) -> float:
        return min(1.0, self.days_done / self.days_planned) if self.days_planned else 0.0


def planned_days(program: Program) -> int:
    """Exercise days a week: the most frequent exercise sets it (the others fall on some of those days)."""
    return max((item.dosage.days_per_week for item in program.items), default=0)


def week_of(start: dt.date, day: dt.date) -> int:
    return (day - start).days // 7 + 1


def _max(values: Iterable[int | None]) -> int | None:
    found = [v for v in values if v is not None]
    return max(found) if found else None


def weekly_adherence(check_ins: Sequence[LinkCheckIn], program: Program, today: dt.date) -> list[WeekAdherence]:
    """Weeks 1 to the current week (at most the program's last; later check-ins extend it), oldest first."""
    start = program.start_date
    weeks = [week_of(start, c.created_at.date()) for c in check_ins]
    last = max([min(week_of(start, today), program.duration_weeks), *weeks, 0])
    rows = []
    for week in range(1, last + 1):
        these = [c for c, w in zip(check_ins, weeks, strict=True) if w == week]
        sessions = [c for c in these if c.kind is CheckInKind.SESSION]
        rows.append(WeekAdherence(
            week=week,
            starts=start + dt.timedelta(weeks=week - 1),
            days_done=len({c.created_at.date() for c in sessions if c.done}),
            days_planned=planned_days(program),
            worst_session_pain=_max(c.pain for c in sessions),
            worse_mornings=sum(1 for c in these if c.kind is CheckInKind.MORNING and c.morning is NextMorning.WORSE),
            weekly_worst_pain=_max(c.pain for c in these if c.kind is CheckInKind.WEEK),
        ))
    return rows


@dataclass(frozen=True)
class ReviewAnswer:
    pain_during: int | None
    next_morning: NextMorning | None
    sessions: int


def review_answers(check_ins: Sequence[LinkCheckIn], program: Program, version: int) -> dict[str, ReviewAnswer]:
    """Per exercise of ``program`` (the reviewed version): the worst pain of the sessions of that version that
    included it, and the worst morning answer of that version. Exercises never ticked get no answer."""
    mine = [c for c in check_ins if c.version == version]
    mornings = [c.morning for c in mine if c.kind is CheckInKind.MORNING and c.morning is not None]
    morning = max(mornings, key=MORNING_ORDER.index) if mornings else None
    found = {}
    for item in program.items:
        sessions = [c for c in mine if c.kind is CheckInKind.SESSION and item.exercise in c.done]
        if sessions:
            found[item.exercise] = ReviewAnswer(_max(c.pain for c in sessions), morning, len(sessions))
    return found


def weekly_pain_points(check_ins: Sequence[LinkCheckIn]) -> list[tuple[dt.date, int]]:
    """The patient's weekly worst-pain answers as (date, pain), for the outcome chart."""
    return [(c.created_at.date(), c.pain) for c in check_ins if c.kind is CheckInKind.WEEK and c.pain is not None]
