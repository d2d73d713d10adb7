"""Education pages for the topics the program chose, and the clinician's own notes."""

from __future__ import annotations

import re

from reportlab.platypus import KeepTogether

from ..content import load_education
from ..errors import RehabError
from .blocks import Flowables, bullets, heading
from .context import Handout
from .words import w


def education_pages(h: Handout) -> Flowables:
    if not h.program.education:
        return []
    topics = load_education()
    story: Flowables = [heading(h, w("education_heading"))]
    for topic_id in h.program.education:
        topic = topics.get(topic_id)
        if topic is None:
            raise RehabError(f"education: '{topic_id}' is not a known topic; use one of: {', '.join(topics)}")
        # the title stays with the first paragraph: a heading alone at the foot of a page helps nobody
        story.append(KeepTogether([heading(h, topic.title, "subheading"), h.text(topic.paragraphs[0])]))
        story += [h.text(paragraph) for paragraph in topic.paragraphs[1:]]
        story += bullets(h, topic.points)
    return story


def clinician_notes(h: Handout) -> Flowables:
    notes = h.program.notes.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not notes:
        return []
    # a blank line starts a new paragraph (so pages can break between them); single newlines stay line breaks
    paragraphs = [p for p in re.split(r"\n[ \t]*\n", notes) if p.strip()]
    return [KeepTogether([heading(h, w("notes_heading")), h.text(paragraphs[0])]),
            *(h.text(p) for p in paragraphs[1:])]
