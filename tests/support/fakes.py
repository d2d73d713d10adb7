"""Small hand-built exercises for unit tests that must not depend on the shipped data."""

from rehab.content.library import ExerciseLibrary
from rehab.domain import Dosage, Exercise, WeeklyRule


def exercise(ex_id: str, **changes) -> Exercise:
    fields = dict(
        id=ex_id,
        name=ex_id.replace("_", " ").capitalize(),
        category="strength",
        target_areas=["knee"],
        target_muscles=["thigh"],
        position="standing",
        one_leg=False,
        steps=["Stand tall.", "Bend a little.", "Stand up again."],
        cues=["Keep your knee over your toes."],
        default_dose=Dosage(sets=2, reps=10, days_per_week=3),
        progress_tip="Do it slower.",
        ease_tip="Do less.",
        phases=["strengthen"],
        evidence="Helps.",
    )
    fields.update(changes)
    return Exercise(**fields)


def ladder_library() -> ExerciseLibrary:
    """easy_squat -> mid_squat -> hard_squat, plus a hip exercise, a stretch and a timed exercise."""
    return ExerciseLibrary(
        [
            exercise("easy_squat", progression="mid_squat",
                     weekly=WeeklyRule(grow="reps", step=2, every_weeks=1, max=14)),
            exercise("mid_squat", regression="easy_squat", progression="hard_squat",
                     default_dose=Dosage(sets=2, reps=8, days_per_week=3)),
            exercise("hard_squat", regression="mid_squat", one_leg=True),
            exercise("side_lift", target_areas=["hip"], one_leg=True, position="lying_on_side"),
            exercise("calf_stretch", category="stretch", target_areas=["calf"], one_leg=True,
                     default_dose=Dosage(sets=1, reps=3, hold_seconds=20, days_per_week=7)),
            exercise("bike", category="cardio", target_areas=["whole_leg"],
                     default_dose=Dosage(minutes=15, days_per_week=3),
                     weekly=WeeklyRule(grow="minutes", step=10, every_weeks=2, max=40, max_rise_percent=30)),
            exercise("forward_lunge", one_leg=True),
        ]
    )
