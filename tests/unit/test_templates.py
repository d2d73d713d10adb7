"""Starting a program from a template."""

import datetime as dt

from rehab.content.content import load_templates
from rehab.domain import Patient
from rehab.program.templates import program_from_template


def test_a_program_from_a_template_copies_doses_and_topics_but_not_the_clinician_notes():
    for template in load_templates().values():
        program = program_from_template(template.id, Patient(name="Test Patient", affected_side="left"),
                                        start_date=dt.date(2026, 11, 23))
        assert program.items == template.items
        assert program.education == template.education
        assert program.phase == template.phase and program.duration_weeks == template.duration_weeks
        assert program.notes == ""  # template notes speak to the physio, not the patient
        assert program.template == template.id
