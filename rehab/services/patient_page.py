"""What the patient's web page shows (issue 16): the handout's own content model, so the page says exactly what
the PDF says, plus the moving drawings and what the check-in form offers. No HTML here: server/patient_page.py
turns this into the page, escaping every string."""

from __future__ import annotations

import dataclasses
import datetime as dt

from ..clinic import default_clinic
from ..handout_content import HandoutContent, build_content
from .clinic import get_clinic
from .patient_links import Resolved
from .programs import version_handout

__all__ = ["PatientPage", "first_name", "patient_page", "page_pdf"]


@dataclasses.dataclass(frozen=True)
class PatientPage:
    clinic_name: str
    colour: str  # the clinic's #RRGGBB
    first_name: str  # never the whole name: the page may be seen over a shoulder
    content: HandoutContent
    drawings: dict[str, str]  # exercise id -> the looping SVG (library exercises; the clinic's own have none)
    today: tuple[tuple[str, str], ...]  # (exercise id, name) of the exercises done from now: the check-in list
    version: int
    reminder_days: tuple[int, ...]


def first_name(name: str) -> str:
    parts = name.split()
    return parts[0] if parts else ""


def patient_page(resolved: Resolved, *, today: dt.date | None = None) -> PatientPage:
    """The page of the version the link shows now, branded with the clinic's profile now."""
    from ..illustrations import animation_svg  # reportlab loads when a page is made, not with the services

    info, program, library, _ = version_handout(resolved.link.program_id, resolved.version, repo=resolved.repo)
    clinic = get_clinic(repo=resolved.repo) or default_clinic()
    content = build_content(program, clinic, library, prepared=info.created_at.date())
    drawings = {}
    for card in content.cards:
        if not library.get(card.exercise_id).custom:
            svg = animation_svg(card.exercise_id, load=card.load)
            if svg is not None:
                drawings[card.exercise_id] = svg
    now = tuple((card.exercise_id, card.name) for card in content.cards if not card.later)
    return PatientPage(clinic_name=clinic.name, colour=clinic.primary_color,
                       first_name=first_name(program.patient.name), content=content, drawings=drawings, today=now,
                       version=info.version, reminder_days=resolved.link.reminder_days)


def page_pdf(resolved: Resolved) -> bytes:
    """The exact handout PDF of the version shown (logged as a render by the link)."""
    from .programs import handout_pdf

    return handout_pdf(resolved.link.program_id, resolved.version, repo=resolved.repo, actor=resolved.actor)
