"""Build page: save the program on screen as one of the clinic's templates (a small popover beside Save)."""

from __future__ import annotations

import streamlit as st

from rehab.content.content import Template, load_templates
from rehab.domain import Program
from rehab.errors import InvalidRecord, RehabError
from rehab.services import clinic_templates
from ui.context import actor, attempt, repository
from ui.templates.preview import in_form_words
from ui.text import md

OPEN = "build_template_open"
FORM = "build_template_form"


def _source(program: Program) -> Template | None:
    """The template the program started from, to offer its purpose and criteria as a starting point."""
    if program.template is None:
        return None
    if program.template in load_templates():
        return load_templates()[program.template]
    try:
        return clinic_templates.resolve_template(program.template, repo=repository())
    except RehabError:
        return None  # retired or gone: the clinician writes them afresh


def _save(program: Program, title: str, summary: str, move_on: str, notes: str):
    try:
        return clinic_templates.save_program_as_template(program, title=title, summary=summary,
                                                         move_on=move_on.splitlines(), notes=notes,
                                                         repo=repository(), actor=actor())
    except InvalidRecord as exc:  # name the popover's fields, not the file format's
        raise InvalidRecord([in_form_words(p) for p in exc.problems]) from None


def save_as_template(program: Program | None) -> None:
    """Content runs only while the popover is open; a program with problems cannot be saved as a template."""
    box = st.popover("Save as clinic template", key=OPEN, on_change="rerun", icon=":material/bookmark_add:",
                     disabled=program is None,
                     help="Keep this program's exercises, doses and topics as a template everyone in your clinic "
                          "can start from. No patient details are kept.")
    if program is None or not box.open:
        return
    source = _source(program)
    with box, st.form(FORM, border=False):
        st.caption("The exercises, doses, week-plan settings, phase, weeks and education topics are kept. The "
                   "patient, dates and the patient's notes are not.")
        title = st.text_input("Template title", value=source.title if source else program.title, max_chars=200)
        summary = st.text_area("Purpose (printed for the patient)", value=source.summary if source else "",
                               max_chars=800, height=90)
        move_on = st.text_area("Criteria for the next stage, one per line",
                               value="\n".join(source.move_on) if source else "", height=90)
        notes = st.text_area("Notes for the physio (not printed)", value=source.notes if source else "",
                             max_chars=2000, height=70)
        if not st.form_submit_button("Save template", type="primary", icon=":material/save:"):
            return
    with box:  # a problem shows in the popover, beside what was typed
        saved = attempt(lambda: _save(program, title, summary, move_on, notes), doing="save the template")
    if saved is not None:
        box.success(f"Saved the clinic template “{md(saved.title)}”. Find it on the Templates page.",
                    icon=":material/check_circle:")
