"""The copy-for-notes summary lists every exercise with its dose in words."""

import datetime as dt

from rehab.content.library import load_library
from rehab.domain import Patient
from rehab.program.templates import program_from_template
from rehab.words.summary import program_summary


def test_the_summary_lists_each_exercise_in_order_with_its_dose():
    library = load_library()
    program = program_from_template("phase2_strengthen", Patient(name="Test Patient"),
                                    start_date=dt.date(2026, 11, 23), clinician="Alex Physio")
    text = program_summary(program, library)
    lines = text.splitlines()
    assert lines[0] == "Home exercise program (strengthen phase), 4 weeks from 2026-11-23."
    assert "Prescribed by Alex Physio." in lines
    numbered = [line for line in lines if line[:1].isdigit()]
    assert len(numbered) == len(program.items)
    for number, (line, item) in enumerate(zip(numbered, program.items, strict=True), start=1):
        assert line.startswith(f"{number}. {library.get(item.exercise).name}: ")
    assert "Test Patient" not in text  # the record already names the patient; keep the summary reusable
    assert text.endswith("\n")
