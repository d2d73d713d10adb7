"""The clinic profile (name, contact, colours, logo) the handouts and emails are branded with, and the clinic
settings form's use cases: build a Clinic with plain messages, preview its handout, show an example email.

The preview renders the real handout of a small sample program with the clinic's branding and keeps page 1 as
a PNG (rehab.images rasterises it), so what the settings page shows is exactly what will print. The test email
(the form's other button) is the email service's: ``services.email.send_test_email_in_time``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from ..domain import Patient, Phase, Program, ProgramItem
from ..domain.clinic import Clinic, ClinicError
from ..domain.records import AuditAction
from ..storage.repository import Repository
from ..words.problems import form_message
from .audit import checked_actor

__all__ = [
    "EMERGENCY_HELP",
    "LABELS",
    "SAMPLE_PATIENT",
    "build_clinic",
    "email_example",
    "first_page_png",
    "get_clinic",
    "sample_program",
    "save_clinic",
]


def get_clinic(*, repo: Repository) -> Clinic | None:
    """The stored clinic profile, or None before one is saved."""
    with repo.transaction() as tx:
        fields, logo = tx.get_clinic_profile()
    if not fields:
        return None
    try:
        return Clinic.model_validate({**fields, "logo": logo})
    except ValidationError as exc:
        # A contact email saved under an older, looser rule is read as it is (like a patient's stored address):
        # the profile still loads, and the settings form asks for a valid one on the next save.
        if not fields.get("email") or {error["loc"][0] for error in exc.errors()} != {"email"}:
            raise
        loaded = Clinic.model_validate({**fields, "email": "", "logo": logo})
        return loaded.model_copy(update={"email": fields["email"]})


def save_clinic(clinic: Clinic, *, repo: Repository, actor: str) -> None:
    actor = checked_actor(actor)
    fields = clinic.model_dump(mode="json", exclude={"logo"})
    with repo.transaction(write=True) as tx:
        tx.save_clinic_profile(fields, clinic.logo)
        tx.audit(actor, AuditAction.CLINIC_SAVE)


# --- the clinic settings form -----------------------------------------------------------------------------------------

LABELS = {
    "name": "Clinic name",
    "address": "Address",
    "phone": "Phone",
    "emergency_number": "Emergency number",
    "email": "Email",
    "website": "Website",
    "primary_color": "Brand colour",
    "logo": "Logo",
    "footer_note": "Footer note",
    "default_paper": "Paper size",
    "language": "Handout language",
    "large_print": "Large print",
    "handout_layout": "Handout layout",
    "link_weeks_after_end": "Patient links work for",
    "email_subject_template": "Email subject",
    "email_body_template": "Email text",
}
EMERGENCY_HELP = ("The number patients call for an ambulance, printed on every handout. 112 works across Europe; "
                  "change it to your local number, such as 999 in the UK or 911 in the US and Canada.")
SAMPLE_PATIENT = "Sample Patient"  # printed on the preview; no real person's data ever goes into it


def _message(field: str, error: dict[str, Any]) -> str:
    name, kind = LABELS.get(field, field), error["type"]
    if kind not in ("string_too_short", "missing", "string_too_long"):
        if field == "primary_color":
            return f"{name} must be a colour like #1F5F8B."
        if field == "default_paper":
            return f"{name} must be A4 or Letter."
    return form_message(name, error)


def build_clinic(values: Mapping[str, Any]) -> Clinic:
    """A Clinic from the form's values (``logo`` as bytes or None); ClinicError with one plain line per field."""
    try:
        return Clinic.model_validate(dict(values))
    except ValidationError as exc:
        problems = [_message(str(e["loc"][0]) if e["loc"] else "name", e) for e in exc.errors()]
        raise ClinicError(problems) from None


def sample_program() -> Program:
    """A short program for the preview: two exercises, so page 1 shows the header, the list and the tick boxes."""
    return Program(
        patient=Patient(name=SAMPLE_PATIENT),
        clinician="Your physio",
        phase=Phase.STRENGTHEN,
        start_date=dt.date.today(),
        duration_weeks=2,
        items=(
            ProgramItem(exercise="glute_bridge", sets=3, reps=12, hold_seconds=2, rest_seconds=45),
            ProgramItem(exercise="clamshell", sets=2, reps=15, rest_seconds=45),
        ),
    )


def first_page_png(clinic: Clinic, *, paper: str | None = None, large_print: bool | None = None,
                   scale: float = 1.5) -> bytes:
    """Page 1 of the sample program's handout with this clinic's branding, as PNG bytes."""
    from pypdf import PdfReader, PdfWriter

    from ..handout import render_handout
    from ..images import pdf_page_images

    pdf = render_handout(sample_program(), clinic, paper=paper or clinic.default_paper,
                         large_print=clinic.large_print if large_print is None else large_print)
    first = PdfWriter()
    first.add_page(PdfReader(io.BytesIO(pdf)).pages[0])  # rasterise one page, not the whole handout
    out = io.BytesIO()
    first.write(out)
    return pdf_page_images(out.getvalue(), scale)[0]


def email_example(clinic: Clinic, clinician: str = "Your physio") -> tuple[str, str]:
    """The subject and text a patient would get with this clinic's email templates (or the defaults)."""
    from ..domain.email_template import DEFAULT_BODY_TEMPLATE, DEFAULT_SUBJECT_TEMPLATE, render_template

    values = {
        "patient_first_name": SAMPLE_PATIENT.split()[0],
        "clinician": clinician,
        "clinic_name": clinic.name,
        "clinic_phone": clinic.phone,
    }
    subject = render_template(clinic.email_subject_template or DEFAULT_SUBJECT_TEMPLATE, values, name="subject")
    body = render_template(clinic.email_body_template or DEFAULT_BODY_TEMPLATE, values, name="body")
    return subject.strip(), body.strip()
