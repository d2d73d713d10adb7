"""Program checks: each rule produces a finding with a severity and a plain message."""

import datetime as dt

from rehab.domain import Patient, PlannedSwitch, Program, ProgramItem, Severity
from rehab.program.checks import check_program, has_errors
from rehab.program.timing import item_seconds, session_minutes
from tests.support.fakes import ladder_library

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


def test_a_note_whose_count_differs_from_the_dose_is_a_warning_naming_the_item():
    walk = ProgramItem(exercise="easy_squat", sets=3, reps=12, notes="10 steps one way, then 10 steps back.")
    found = messages(program(HIP, walk), Severity.WARNING)
    assert ("Easy squat (item 2): the note says '10 steps' differs from the dose (reps 12). Take the number out "
            "of the note, or make it match: the patient reads both.") in found
    agreeing = walk.model_copy(update={"notes": "12 steps one way, then 12 steps back."})
    assert messages(program(HIP, agreeing)) == []


def test_a_dose_above_the_exercise_weekly_max_is_a_warning():
    high = ProgramItem(exercise="easy_squat", sets=3, reps=20)
    assert "Easy squat (item 2): reps 20 is above this exercise's usual most of 14." in messages(
        program(HIP, high), Severity.WARNING)


def test_a_planned_switch_after_the_last_week_is_noted_and_an_unknown_one_is_an_error():
    late = SQUAT.model_copy(update={"switch": PlannedSwitch(from_week=9, exercise="mid_squat")})
    assert ("Easy squat (item 2): the switch to Mid squat is planned for week 9, after the last week; it will "
            "not happen.") in messages(program(HIP, late), Severity.INFO)
    unknown = SQUAT.model_copy(update={"switch": PlannedSwitch(from_week=2, exercise="no_such_move")})
    assert has_errors(check_program(program(HIP, unknown), LIBRARY))


def test_a_switch_to_a_one_leg_exercise_needs_a_side():
    to_one_leg = SQUAT.model_copy(update={"switch": PlannedSwitch(from_week=2, exercise="hard_squat")})
    assert ("Easy squat (item 2): Hard squat is done one leg at a time: choose left, right or both."
            in messages(program(HIP, to_one_leg), Severity.ERROR))


def test_a_switch_to_an_exercise_already_in_the_program_is_a_warning():
    repeat = SQUAT.model_copy(update={"switch": PlannedSwitch(from_week=2, exercise="side_lift")})
    assert ("Easy squat (item 2): the switch to Side lift repeats an exercise already in the program."
            in messages(program(HIP, repeat), Severity.WARNING))
