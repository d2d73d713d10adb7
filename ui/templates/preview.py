"""A template as the Templates page shows it: exercises with doses in words, session time, weeks, purpose, the
criteria for the next stage, the handout's education topics, the physio's notes and the program checks."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from rehab.content.content import Template, load_education
from rehab.content.library import ExerciseLibrary
from rehab.domain import Patient, Phase, Severity
from rehab.program.checks import check_program
from rehab.program.templates import program_from_template
from rehab.program.timing import session_minutes
from rehab.words.screens import items_table
from ui.text import md

# The form labels of the template fields, for messages about a form (a JSON file's messages keep the field names).
FIELD_LABELS = {"title": "Title", "phase": "Phase", "duration_weeks": "Weeks", "summary": "Purpose",
                "move_on": "Criteria for the next stage", "education": "Education topics", "notes": "Notes"}
PHASE_NAMES = {Phase.SETTLE: "Settle", Phase.STRENGTHEN: "Strengthen", Phase.RETURN_TO_RUNNING: "Return to running"}


def in_form_words(problem: str) -> str:
    """``move_on: needs at least 1 entry`` → ``Criteria for the next stage: needs at least 1 entry``."""
    field, sep, rest = problem.partition(":")
    name = field.split("[")[0]
    if sep and name in FIELD_LABELS:
        return FIELD_LABELS[name] + field[len(name):] + sep + rest
    return problem


def phase_name(phase: Phase) -> str:
    return PHASE_NAMES[phase]


def show_template(template: Template, library: ExerciseLibrary) -> None:
    program = program_from_template(template, Patient(name="Preview"), start_date=dt.date.today())
    topics = load_education()
    st.subheader(md(template.title))
    st.write(md(template.summary))
    phase_col, count_col, minutes_col, weeks_col = st.columns(4)
    phase_col.metric("Phase", phase_name(template.phase))
    count_col.metric("Exercises", len(template.items))
    minutes_col.metric("Minutes a session", f"{session_minutes(program, library):.0f}")
    weeks_col.metric("Weeks", template.duration_weeks)
    st.dataframe(items_table(template.items, library), hide_index=True, width="stretch")
    st.markdown("**Criteria for the next stage**")
    st.markdown("\n".join(f"- {md(line)}" for line in template.move_on))
    named = ", ".join(topics[t].title for t in template.education if t in topics) or "none"
    st.markdown(f"**Education in the handout:** {md(named)}")
    if template.notes:
        st.markdown(f"**Notes for the physio:** {md(template.notes)}")
    for finding in check_program(program, library):
        show = st.info if finding.severity is Severity.INFO else st.warning
        show(md(finding.message))
