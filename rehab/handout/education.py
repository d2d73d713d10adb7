"""The booklet's education pages (every paragraph of the topics the program chose) and the clinician's notes."""

from __future__ import annotations

from reportlab.platypus import KeepTogether

from ..handout_content.model import HandoutContent
from .blocks import Flowables, bullets, heading
from .context import Handout


def education_pages(h: Handout, content: HandoutContent) -> Flowables:
    story: Flowables = []
    for n, topic in enumerate(content.education):
        # the title stays with the first paragraph, and a short list stays whole with its topic
        head = [heading(h, topic.title, "subheading"), h.text(topic.paragraphs[0])]
        if n == 0:
            head.insert(0, heading(h, content.education_heading))
        rest = [*(h.text(p) for p in topic.paragraphs[1:]), *bullets(h, topic.points)]
        keep = 0 if h.large_print else 2  # large print: the title and first paragraph, so the topic fits a gap
        story.append(KeepTogether(head + rest[:keep]))
        story += rest[keep:]
    return story


def clinician_notes(h: Handout, content: HandoutContent) -> Flowables:
    if not content.notes:
        return []
    return [KeepTogether([heading(h, content.notes_heading), h.text(content.notes[0])]),
            *(h.text(p) for p in content.notes[1:])]
