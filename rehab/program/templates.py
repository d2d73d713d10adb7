"""Start a program from a template."""

from __future__ import annotations

import datetime as dt

from ..content.content import Template, get_template
from ..domain import Patient, Program


def program_from_template(
    template: str | Template,
    patient: Patient,
    *,
    start_date: dt.date | None = None,
    clinician: str = "",
) -> Program:
    """Templates train both legs; the patient's affected side is recorded for the clinician to narrow.
    The template's notes are for the clinician, so they are not copied into the notes printed for the patient.
    ``template`` is a built-in id or a template already resolved (a clinic's, see rehab.services.clinic_templates)."""
    if isinstance(template, str):
        template = get_template(template)
    return Program(
        patient=patient,
        clinician=clinician,
        phase=template.phase,
        start_date=start_date or dt.date.today(),
        duration_weeks=template.duration_weeks,
        items=template.items,
        education=template.education,
        template=template.id,
        purpose=template.summary,
        next_stage=template.move_on,
    )
