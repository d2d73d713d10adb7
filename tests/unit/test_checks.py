"""Program checks: each rule produces a finding with a severity and a plain message."""

import datetime as dt

from rehab.checks import check_program, has_errors
from rehab.domain import Patient, Program, ProgramItem, Severity
from rehab.timing import item_seconds, session_minutes
from tests.unit.fakes import ladder_library

LIBRARY = ladder_library()
HIP = ProgramItem(exercise="side_lift", sets=3, reps=12, side="both")
SQUAT = ProgramItem(exercise="easy_squat", sets=3, reps=10)


def program(*items, phase="strengthen") -> Program:
    return Program(patient=Patient(name="Test Patient"), phase=phase, start_date=dt.date(2026, 11, 23),
                   items=items)


def messages(prog: Program, severity: Severity | None = None) -> list[str]:
    return [f.message for f in check_program(prog, LIBRARY) if severity in (None, f.severity)]


def test_a_balanced_program_has_no_findings():
    assert check_program(program(HIP, SQUAT), LIBRARY) == []


def test_an_avoid_early_exercise_in_phase_1_is_flagged():
    lunge = ProgramItem(exercise="forward_lunge", sets=2, reps=8, side="both")
    found = messages(program(HIP, lunge, phase="settle"), Severity.WARNING)
    assert "Forward lunge (item 2) is like lunges, which is best avoided in phase 1." in found
    assert not any("lunges" in m for m in messages(program(HIP, lunge, phase="strengthen")))


def test_missing_hip_strengthening_is_flagged():
    assert messages(program(SQUAT)) == [
        "No hip strengthening: hip plus knee exercise works better than knee exercise alone."
    ]


def test_a_one_leg_exercise_without_a_side_is_an_error():
    prog = program(ProgramItem(exercise="side_lift", sets=3, reps=12), SQUAT)
    findings = check_program(prog, LIBRARY)
    assert has_errors(findings)
    assert findings[0].item == 0
    assert findings[0].message == "Side lift (item 1) is done one leg at a time: choose left, right or both."


def test_strengthening_every_day_is_flagged():
    daily = SQUAT.model_copy(update={"days_per_week": 7})
    assert "every day" in messages(program(HIP, daily), Severity.WARNING)[0]


def test_short_stretch_holds_are_flagged():
    short = ProgramItem(exercise="calf_stretch", sets=1, reps=3, hold_seconds=5, days_per_week=7, side="both")
    assert messages(program(HIP, SQUAT, short)) == ["Calf stretch (item 3) holds under 10 seconds; hold 10-30 s."]


def test_the_same_exercise_twice_is_reported_once():
    assert messages(program(HIP, SQUAT, SQUAT)) == ["Easy squat is in the program 2 times."]


def test_more_than_ten_exercises_and_more_than_45_minutes_are_flagged():
    many = [HIP.model_copy(update={"side": side}) for side in ("left", "right")] + [SQUAT] * 9
    found = messages(program(*many))
    assert any(m.startswith("11 exercises: more than 10") for m in found)
    long = ProgramItem(exercise="bike", minutes=50)
    assert any(m.startswith("About 57 minutes a session") for m in messages(program(HIP, long)))


def test_session_time_counts_sets_reps_holds_rests_and_both_legs():
    # side_lift: one leg, both sides: 3 sets x 12 reps x 4 s x 2 sides + 2 rests x 60 s = 288 + 120
    assert item_seconds(HIP, LIBRARY.get("side_lift")) == 408
    stretch = ProgramItem(exercise="calf_stretch", sets=1, reps=3, hold_seconds=30, side="left", rest_seconds=0)
    assert item_seconds(stretch, LIBRARY.get("calf_stretch")) == 3 * (4 + 30)
    assert session_minutes(program(HIP, SQUAT), LIBRARY) == (408 + 3 * 10 * 4 + 120) / 60
