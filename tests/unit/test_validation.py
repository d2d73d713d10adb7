"""The one pydantic-error translator (rehab.words.problems): a document's field by its path, a form's field by its
label, the same rules under both."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from rehab.domain import Dosage
from rehab.domain.clinic import Clinic
from rehab.words.problems import form_message, messages, too_long


def _error(model, **data) -> dict:
    with pytest.raises(ValidationError) as caught:
        model(**data)
    return caught.value.errors()[0]


def test_a_form_message_names_the_label_and_the_rule():
    assert form_message("Sets", _error(Dosage, sets=0, reps=10), low=1, high=10) == "Sets must be 1 to 10."
    assert form_message("Sets", _error(Dosage, sets="many", reps=10)) == "Sets must be a whole number."
    assert form_message("Clinic name", _error(Clinic, name="")) == "Clinic name is required."
    long = _error(Clinic, name="x" * 201)
    assert form_message("Clinic name", long) == f"Clinic name {too_long(long)}."
    assert too_long(long) == "is too long (201 characters; at most 120)"


def test_a_value_error_keeps_its_reason_in_lower_case():
    error = _error(Clinic, name="Clinic", email="ana@example.org\nBcc: x@example.org")
    assert form_message("Email", error) == "Email: must be one line, without line breaks or control characters."


def test_a_document_message_names_the_path_with_the_same_words():
    with pytest.raises(ValidationError) as caught:
        Clinic(name="x" * 201)
    assert messages(caught.value) == ["name: is too long (201 characters; at most 120)"]
