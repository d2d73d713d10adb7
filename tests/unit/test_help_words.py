"""The help box's words: the clinic's phone (or a plain line) and the emergency number, every time."""

from __future__ import annotations

import textstat

from rehab.domain.clinic import Clinic, default_clinic
from rehab.words.help import help_contacts


def test_a_clinic_with_a_phone_gets_its_phone_and_its_emergency_number():
    contacts = help_contacts(Clinic(name="Clinic", phone=" 0123  456 789 ", emergency_number="999"))
    assert contacts.lines() == ("Call us on 0123 456 789.",
                                "For urgent care, call 999 or go to the emergency department.")


def test_the_default_clinic_without_a_phone_still_gets_a_plain_line_and_112():
    call_us, urgent = help_contacts(default_clinic()).lines()
    assert call_us == "Call your physio."
    assert "call 112" in urgent


def test_user_text_comes_back_unescaped_for_the_layout_to_escape():
    contacts = help_contacts(Clinic(name="Clinic", phone="<b>0123</b> & co"))
    assert contacts.call_us == "Call us on <b>0123</b> & co."


def test_the_help_lines_are_plain():
    for line in help_contacts(Clinic(name="Clinic", phone="0123 456")).lines():
        assert textstat.flesch_kincaid_grade(line) <= 7, line


def test_a_handout_for_the_default_clinic_names_the_emergency_number():
    import io

    import pypdf

    from tests.support.handout_samples import render, sample_program

    pdf = render(sample_program(), default_clinic())
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Call your physio." in text
    assert "For urgent care, call 112 or go to the emergency department." in text
