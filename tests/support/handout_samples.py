"""A sample program, clinic and handout for the handout tests (unit, integration, security and benchmarks alike):
made-up people with names that need Unicode, a fixed preparation date, and the same bytes every run."""

from __future__ import annotations

import datetime as dt

from rehab.domain import Patient, Phase, Program, ProgramItem, Side
from rehab.domain.clinic import Clinic
from rehab.handout import render_handout

PREPARED = dt.date(2026, 11, 20)


def sample_program(**changes) -> Program:
    items = (
        ProgramItem(exercise="quad_set", sets=3, reps=10, hold_seconds=5, rest_seconds=30, days_per_week=7),
        ProgramItem(exercise="glute_bridge", sets=3, reps=12, days_per_week=3),
        ProgramItem(exercise="clamshell", sets=2, reps=15, side=Side.LEFT, days_per_week=3,
                    notes="Keep your heels together.\nGo slowly."),
        ProgramItem(exercise="step_up", sets=3, reps=10, days_per_week=3, load="light band"),
        ProgramItem(exercise="standing_quad_stretch", sets=2, reps=1, hold_seconds=30, rest_seconds=0,
                    days_per_week=7),
    )
    fields = dict(
        patient=Patient(name="Zoë Ñúñez", affected_side=Side.LEFT),
        clinician="Alex Physio",
        phase=Phase.STRENGTHEN,
        start_date=dt.date(2026, 11, 23),
        duration_weeks=4,
        items=items,
        education=("pain_monitoring", "red_flags"),
        notes="First line\nSecond line\n\nA new paragraph.",
    )
    fields.update(changes)
    return Program(**fields)


def sample_clinic(**changes) -> Clinic:
    fields = dict(name="Riverside Physio", phone="+44 20 7946 0958", website="www.example.org",
                  email="hello@example.org", address="12 Example Street\nLondon", primary_color="#1F5F8B",
                  footer_note="Ask us if anything is unclear.")
    fields.update(changes)
    return Clinic(**fields)


def render(program=None, clinic=None, **kw) -> bytes:
    kw.setdefault("prepared", PREPARED)
    kw.setdefault("invariant", True)
    return render_handout(program or sample_program(), clinic or sample_clinic(), **kw)
