"""Handout PDFs of a program document, outside the database: the public ``rehab.render_handout``, ``python -m
rehab render`` and the docs picture (``page1``). A stored version's handout is ``services.programs.handout_pdf``.
"""

from __future__ import annotations

import datetime as dt

from ..domain import Patient, Program, Side
from ..domain.clinic import Clinic
from ..program.templates import program_from_template

__all__ = ["SAMPLE_DATE", "SAMPLE_PATIENT", "render_document", "sample_clinic", "sample_handout"]

SAMPLE_PATIENT = "Sam Example"  # made up: pictures for the docs never show a real person
SAMPLE_DATE = dt.date(2026, 11, 23)


def render_document(program: Program, clinic: Clinic | None = None, **options) -> bytes:
    """The patient handout PDF of ``program``; the options (paper, large_print, grayscale, password, layout, …)
    and their defaults are rehab.handout.render_handout's."""
    from ..handout import render_handout  # reportlab loads only when a PDF is wanted

    return render_handout(program, clinic, **options)


def sample_clinic() -> Clinic:
    """A made-up clinic with every contact filled in, so the pictures show the help box as a clinic sees it
    (020 7946 0xxx is a range kept for drama and examples)."""
    return Clinic(name="Riverside Physio", address="12 Example Street\nLondon", phone="+44 20 7946 0958",
                  emergency_number="999", email="hello@example.org", website="www.example.org",
                  footer_note="Ask us if anything is unclear.")


def sample_handout(template_id: str, *, clinic: Clinic | None = None, paper: str | None = None,
                   layout: str | None = None) -> bytes:
    """The handout of a built-in template for a made-up patient, branded with ``clinic`` (None: the made-up
    ``sample_clinic``), the same bytes every day (the docs pictures)."""
    program = program_from_template(template_id, Patient(name=SAMPLE_PATIENT, affected_side=Side.LEFT),
                                    start_date=SAMPLE_DATE, clinician="Alex Physio")
    return render_document(program, clinic or sample_clinic(), paper=paper, layout=layout, prepared=SAMPLE_DATE,
                           invariant=True)
