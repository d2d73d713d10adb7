"""The program's own second language (``patient.second_language``): the handout takes it unless asked otherwise,
and a stored one that has become the handout's own language prints one language instead of failing."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from rehab.domain import Language, Patient, Side
from rehab.errors import RehabError
from tests.support.handout_samples import render, sample_clinic, sample_program

SPANISH, ENGLISH, POLISH = "Cómo hacer cada ejercicio", "How to do each exercise", "Jak robić każde ćwiczenie"


def two_language_program(first: str | None, second: str):
    return sample_program(patient=Patient(name="Test Patient", affected_side=Side.LEFT, language=first,
                                          second_language=second))


def text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_programs_second_language_is_printed_beneath_without_being_asked():
    printed = text(render(two_language_program("es", "en")))
    assert SPANISH in printed and ENGLISH in printed
    assert printed.index("Tus ejercicios para la rodilla") < printed.index("Your knee exercise program")


def test_an_explicit_second_language_wins_over_the_programs():
    printed = text(render(two_language_program("es", "en"), second_language="pl"))
    assert SPANISH in printed and POLISH in printed and ENGLISH not in printed


def test_a_stored_second_language_that_is_now_the_handouts_own_prints_one_language():
    """The program names no language, so it takes the clinic's, which was English when English was chosen as the
    second language and is Spanish now."""
    program = two_language_program(None, "es")
    now = render(program, sample_clinic(language=Language.ES))
    assert now == render(sample_program(patient=program.patient.model_copy(update={"second_language": None})),
                         sample_clinic(language=Language.ES))
    assert SPANISH in text(now) and ENGLISH not in text(now)
    # The same when the handout's language asked for is the stored second one.
    english = text(render(two_language_program("es", "en"), language="en"))
    assert ENGLISH in english and SPANISH not in english


def test_asking_for_the_handouts_own_language_as_the_second_is_still_refused():
    with pytest.raises(RehabError) as refused:
        render(two_language_program("es", "en"), second_language="es")
    assert str(refused.value) == "second_language: use one of: en, pl, ar (not the handout's own language, es)"
