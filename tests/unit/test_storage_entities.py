"""Input limits on patients and outcomes, reported per field before any SQL runs."""

from __future__ import annotations

import datetime as dt

import pytest

from rehab.domain import Patient
from rehab.domain.records import OutcomeInput, PatientDetails, validated
from rehab.storage.errors import InvalidRecord


def test_patient_details_from_a_program_patient_keep_every_field():
    patient = Patient(
        name="Zoë Ñúñez",
        email="zoe@example.org",
        email_consent=True,
        affected_side="left",
        date_of_birth=dt.date(1990, 1, 2),
        language="es",
        second_language="en",
    )
    details = PatientDetails.from_patient(patient)
    # the handout's languages are stored with the program, not with the patient's record
    assert details.model_dump(exclude={"phone", "notes"}) == patient.model_dump(
        exclude={"language", "second_language"})


def test_every_bad_field_is_reported_at_once():
    with pytest.raises(InvalidRecord) as caught:
        validated(PatientDetails, {"name": "", "email": "x" * 255, "phone": "1" * 41, "notes": "n" * 10_001})
    fields = [line.split(":")[0] for line in caught.value.problems]
    assert fields == ["name", "email", "phone", "notes"]


def test_an_outcome_in_the_future_is_refused():
    tomorrow_plus_one = dt.date.today() + dt.timedelta(days=2)
    with pytest.raises(InvalidRecord, match="recorded_on: .* is in the future"):
        validated(OutcomeInput, {"recorded_on": tomorrow_plus_one, "worst_pain": 1})


def test_scale_ends_are_allowed():
    low = validated(
        OutcomeInput,
        {
            "recorded_on": "2026-01-01",
            "worst_pain": 0,
            "function_score": 0,
            "instrument": "KOOS-PF",
            "global_change": -3,
        },
    )
    high = validated(
        OutcomeInput,
        {
            "recorded_on": "2026-01-01",
            "worst_pain": 10,
            "function_score": 100,
            "instrument": "AKPS",
            "global_change": 3,
        },
    )
    assert (low.worst_pain, high.worst_pain, low.global_change, high.global_change) == (0, 10, -3, 3)
