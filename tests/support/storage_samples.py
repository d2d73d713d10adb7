"""Sample records for the storage tests (obviously fake people)."""

from __future__ import annotations

import datetime as dt

from rehab.domain import Exercise, Patient, Program
from rehab.program.templates import program_from_template
from tests.support.fakes import exercise

FAKE_NAMES = ["Zoë Ñúñez", "Łukasz Żółć", "O'Brien & <Sons>", "Ολυμπία", "Юлия", "Test Patient"]


def sample_program(name: str = "Zoë Ñúñez", email: str | None = "zoe@example.org", **changes) -> Program:
    program = program_from_template(
        "phase2_strengthen",
        Patient(name=name, email=email, email_consent=email is not None),
        start_date=dt.date(2026, 11, 23),
        clinician="Test Clinician",
    )
    return program.model_copy(update=changes) if changes else program


def custom_exercise(exercise_id: str) -> Exercise:
    """A clinic's own exercise, written the way our patient text is: short, second person."""
    return exercise(
        exercise_id,
        name="Clinic wall slide",
        target_muscles=["front of thigh"],
        steps=["Stand with your back on a wall.", "Slide down a little.", "Slide back up."],
        cues=["Keep your knees over your toes."],
        progress_tip="Slide a little lower.",
        ease_tip="Slide down less far.",
        evidence="Clinic favourite; strengthens the thigh.",
    )
