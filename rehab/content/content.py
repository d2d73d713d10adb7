"""Education topics, the avoid-early list and program templates: patient text and presets as data."""

from __future__ import annotations

import functools
from typing import Annotated

from pydantic import Field, StringConstraints

from ..domain import FrozenModel, Paragraph, Phase, ProgramItem, Sentence, ShortText, Slug
from ..errors import LibraryError, UnknownTemplate
from .files import ASSETS, parse_entries
from .library import load_library


class EducationTopic(FrozenModel):
    id: Slug
    title: ShortText
    paragraphs: tuple[Paragraph, ...] = Field(min_length=1)
    points: tuple[Sentence, ...] = Field((), description="Bullet points after the paragraphs.")


class AvoidEarly(FrozenModel):
    id: Slug
    name: ShortText
    reason: Sentence
    keywords: tuple[ShortText, ...] = Field(min_length=1, description="Words that flag an exercise name.")


class Template(FrozenModel):
    id: Slug
    title: ShortText
    phase: Phase
    duration_weeks: int = Field(ge=1, le=52)
    summary: Paragraph
    items: tuple[ProgramItem, ...] = Field(min_length=1)
    education: tuple[Slug, ...] = ()
    move_on: tuple[Sentence, ...] = Field(min_length=1, description="Criteria to move to the next phase.")
    notes: Annotated[str, StringConstraints(max_length=2000)] = ""


RUNNING_EXERCISE = "walk_run_intervals"


def running_rise() -> dict[str, str]:
    """The running-time rule the education text states, taken from the walk-run exercise's weekly rule, so the
    text and the week plan follow one number."""
    rule = load_library().get(RUNNING_EXERCISE).weekly
    if rule.max_rise_percent is None:
        raise LibraryError(f"exercise '{RUNNING_EXERCISE}': weekly.max_rise_percent is needed by the education text")
    return {"{running_rise_percent}": str(rule.max_rise_percent), "{running_rise_weeks}": str(rule.every_weeks)}


def _filled(topic: EducationTopic, values: dict[str, str]) -> EducationTopic:
    def fill(text: str) -> str:
        for key, value in values.items():
            text = text.replace(key, value)
        return text

    return topic.model_copy(update={"paragraphs": tuple(fill(p) for p in topic.paragraphs),
                                    "points": tuple(fill(p) for p in topic.points)})


@functools.cache
def load_education() -> dict[str, EducationTopic]:
    values = running_rise()
    return {t.id: _filled(t, values) for t in parse_entries(ASSETS / "education.yaml", "topics", EducationTopic)}


@functools.cache
def load_avoid_early() -> tuple[AvoidEarly, ...]:
    return tuple(parse_entries(ASSETS / "avoid_early.yaml", "avoid_early", AvoidEarly))


@functools.cache
def load_templates() -> dict[str, Template]:
    """Templates by id, checked against the library and the education topics."""
    templates = parse_entries(ASSETS / "templates.yaml", "templates", Template)
    library, topics = load_library(), load_education()
    for template in templates:
        for index, item in enumerate(template.items):
            if item.exercise not in library:
                raise LibraryError(
                    f"templates.yaml: template '{template.id}': items[{index}].exercise "
                    f"'{item.exercise}' is not in the library"
                )
        for topic in template.education:
            if topic not in topics:
                raise LibraryError(f"templates.yaml: template '{template.id}': education topic '{topic}' is unknown")
    return {t.id: t for t in templates}


def get_template(template_id: str) -> Template:
    templates = load_templates()
    if template_id not in templates:
        raise UnknownTemplate(f"template '{template_id}' is unknown; use one of: {', '.join(templates)}")
    return templates[template_id]
