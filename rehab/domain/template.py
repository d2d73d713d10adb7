"""The ``rehab.template/1`` document: a clinic's own program template as JSON (the use cases are in
rehab.services.clinic_templates; storage checks an imported export against this model too)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from .program import FrozenModel, Paragraph, Phase, ProgramItem, Sentence, ShortText, Slug

TEMPLATE_FORMAT = "rehab.template/1"
MAX_ITEMS = 40  # as in a program


class TemplateDocument(FrozenModel):
    """A program template as JSON: what a program starts from, without a patient or dates.

    ``summary`` is the template's purpose and ``move_on`` its criteria for the next stage, both patient text;
    ``notes`` speak to the physio and never reach the handout.
    """

    format: Annotated[str, StringConstraints(pattern=r"^rehab\.template/1$")] = TEMPLATE_FORMAT
    title: ShortText = Field(description="Name of the template, as the clinic lists it.")
    phase: Phase
    duration_weeks: int = Field(ge=1, le=52, description="Weeks a program started from it lasts.")
    summary: Paragraph = Field(description="The purpose of this stage, in plain words for the patient.")
    move_on: tuple[Sentence, ...] = Field(min_length=1, max_length=10,
                                          description="Criteria for moving to the next stage.")
    items: tuple[ProgramItem, ...] = Field(min_length=1, max_length=MAX_ITEMS,
                                           description="Exercises and doses, with their week-plan settings.")
    education: tuple[Slug, ...] = Field((), description="Education topic ids printed in the handout.")
    notes: Annotated[str, StringConstraints(max_length=2000)] = Field("", description="For the physio only.")
