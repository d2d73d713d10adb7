"""What the patient's check-ins add up to: days done per week against the plan, and the Review visit's answers."""

import datetime as dt

from rehab.domain import NextMorning, Patient, Program, ProgramItem
from rehab.domain.links import CheckInKind, LinkCheckIn
from rehab.program.adherence import planned_days, review_answers, weekly_adherence, weekly_pain_points

START = dt.date(2026, 11, 2)  # a Monday
PROGRAM = Program(patient=Patient(name="Ann Test"), phase="strengthen", start_date=START, duration_weeks=4, items=(
    ProgramItem(exercise="glute_bridge", sets=3, reps=12, days_per_week=3),
    ProgramItem(exercise="step_up", sets=3, reps=10, days_per_week=2),
))


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(START + dt.timedelta(days=day), dt.time(hour), tzinfo=dt.UTC)


def check_in(n, when, kind, done=(), pain=None, morning=None, version=1) -> LinkCheckIn:
    return LinkCheckIn(id=n, program_id=1, version=version, kind=kind, done=done, pain=pain, morning=morning,
                       created_at=when)


def test_days_done_count_days_with_a_session_not_check_ins():
    entries = [
        check_in(1, at(0), CheckInKind.SESSION, ("glute_bridge",), 2),
        check_in(2, at(0, 18), CheckInKind.SESSION, ("step_up",), 4),  # the same day again
        check_in(3, at(2), CheckInKind.SESSION, ("glute_bridge",), 1),
        check_in(4, at(3), CheckInKind.MORNING, morning=NextMorning.WORSE),
        check_in(5, at(6), CheckInKind.WEEK, pain=5),
        check_in(6, at(9), CheckInKind.SESSION, (), 0),  # pain only, nothing ticked: not a day done
    ]
    weeks = weekly_adherence(entries, PROGRAM, today=START + dt.timedelta(days=10))
    assert planned_days(PROGRAM) == 3
    assert [(w.week, w.days_done, w.days_planned) for w in weeks] == [(1, 2, 3), (2, 0, 3)]
    first = weeks[0]
    assert (first.worst_session_pain, first.worse_mornings, first.weekly_worst_pain) == (4, 1, 5)
    assert round(first.share, 2) == 0.67 and weeks[1].worst_session_pain == 0


def test_weeks_run_to_today_but_not_past_the_program_unless_a_check_in_comes_later():
    assert len(weekly_adherence([], PROGRAM, today=START + dt.timedelta(days=100))) == 4
    late = [check_in(1, at(40), CheckInKind.WEEK, pain=1)]
    assert len(weekly_adherence(late, PROGRAM, today=START + dt.timedelta(days=100))) == 6
    assert weekly_adherence([], PROGRAM, today=START - dt.timedelta(days=3)) == []


def test_review_answers_take_the_worst_of_the_reviewed_version_only():
    entries = [
        check_in(1, at(0), CheckInKind.SESSION, ("glute_bridge",), 2),
        check_in(2, at(1), CheckInKind.SESSION, ("glute_bridge", "step_up"), 6),
        check_in(3, at(2), CheckInKind.MORNING, morning=NextMorning.SAME),
        check_in(4, at(3), CheckInKind.MORNING, morning=NextMorning.BETTER),
        check_in(5, at(4), CheckInKind.SESSION, ("glute_bridge",), 9, version=2),  # a later version: not this one
    ]
    answers = review_answers(entries, PROGRAM, version=1)
    assert answers["glute_bridge"].pain_during == 6 and answers["glute_bridge"].sessions == 2
    assert answers["step_up"].pain_during == 6 and answers["step_up"].next_morning is NextMorning.SAME
    assert review_answers(entries[:1], PROGRAM, version=1).keys() == {"glute_bridge"}


def test_weekly_pain_points_are_the_weekly_answers_only():
    entries = [check_in(1, at(0), CheckInKind.SESSION, ("glute_bridge",), 2), check_in(2, at(6), CheckInKind.WEEK,
                                                                                        pain=4)]
    assert weekly_pain_points(entries) == [(START + dt.timedelta(days=6), 4)]
