"""The clinic's emergency number: required, checked, 112 by default, and old profiles load with it."""

from __future__ import annotations

import json

import pytest

from rehab.domain.clinic import DEFAULT_EMERGENCY_NUMBER, Clinic, ClinicError, default_clinic, dump_clinic, load_clinic
from rehab.services.clinic import EMERGENCY_HELP, LABELS, build_clinic


def test_a_profile_saved_before_the_field_existed_loads_with_112():
    old = {"format": "rehab.clinic/1", "name": "Riverside Physio", "phone": "0123 456"}
    assert load_clinic(old).emergency_number == DEFAULT_EMERGENCY_NUMBER == "112"
    assert default_clinic().emergency_number == "112"


@pytest.mark.parametrize("typed, kept", [("999", "999"), ("911", "911"), (" 000 ", "000"), ("+44  999", "+44 999"),
                                         ("1 1 2", "1 1 2"), ("123456789012345", "123456789012345")])
def test_local_numbers_are_kept_tidied(typed, kept):
    assert Clinic(name="Clinic", emergency_number=typed).emergency_number == kept


@pytest.mark.parametrize("typed", ["12a", "+", "99+9", "call 999", "1234567890123456", "٩٩٩", "112\n999", "-112"])
def test_anything_but_digits_spaces_and_a_leading_plus_is_refused_naming_the_field(typed):
    with pytest.raises(ClinicError) as caught:
        build_clinic({"name": "Clinic", "emergency_number": typed})
    [problem] = caught.value.problems
    assert problem.startswith("Emergency number: use digits and spaces")
    assert "at most 15 characters" in problem and "112, 999 or 911" in problem


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_an_empty_emergency_number_is_refused_as_required(typed):
    with pytest.raises(ClinicError) as caught:
        build_clinic({"name": "Clinic", "emergency_number": typed})
    assert caught.value.problems == ["Emergency number: required; enter the local emergency number, such as 112, "
                                     "999 or 911."]


def test_a_clinic_file_with_a_bad_number_names_the_field():
    with pytest.raises(ClinicError) as caught:
        load_clinic({"format": "rehab.clinic/1", "name": "Clinic", "emergency_number": "nine nine nine"})
    assert any(p.startswith("emergency_number") for p in caught.value.problems)


def test_the_number_round_trips_through_the_profile_json():
    clinic = Clinic(name="Clinic", emergency_number="999")
    data = json.loads(dump_clinic(clinic))
    assert data["emergency_number"] == "999"
    assert load_clinic(data) == clinic


def test_the_form_label_and_help_name_the_usual_local_numbers():
    assert LABELS["emergency_number"] == "Emergency number"
    assert all(number in EMERGENCY_HELP for number in ("112", "999", "911"))
