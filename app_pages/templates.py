"""Preview the program templates: exercises, doses in words, session time and the criteria to move on."""

import datetime as dt

import streamlit as st

from rehab.checks import check_program
from rehab.content import load_education, load_templates
from rehab.domain import Patient, Severity
from rehab.library import load_library
from rehab.tables import items_table
from rehab.templates import program_from_template
from rehab.timing import session_minutes

library, templates, topics = load_library(), load_templates(), load_education()

st.title("Program templates")
st.caption("Starting points to edit for each patient, from settling the knee to running again.")

chosen = st.selectbox("Template", list(templates), key="template_preview",
                      format_func=lambda t: templates[t].title)
template = templates[chosen]
program = program_from_template(template.id, Patient(name="Preview"), start_date=dt.date.today())

st.subheader(template.title)
st.write(template.summary)
minutes = session_minutes(program, library)
col1, col2, col3 = st.columns(3)
col1.metric("Exercises", len(template.items))
col2.metric("Minutes a session", f"{minutes:.0f}")
col3.metric("Weeks", template.duration_weeks)
st.dataframe(items_table(template.items, library), hide_index=True, width="stretch")

st.markdown("**Move on when**")
st.markdown("\n".join(f"- {line}" for line in template.move_on))
st.markdown("**Education in the handout:** " + ", ".join(topics[t].title for t in template.education))
if template.notes:
    st.markdown(f"**Notes for the physio:** {template.notes}")
for finding in check_program(program, library):
    show = st.info if finding.severity is Severity.INFO else st.warning
    show(finding.message)
