"""Build program: pick or add a patient, start from a template, a blank program or a saved one, set exercises and
doses, check, preview, save as a new version and download the handout. Work is autosaved as a draft."""

import streamlit as st

from rehab.program import builder
from ui.build import cache, state
from ui.build.drafts import autosave, offer_drafts, unsaved_banner
from ui.build.exercises import add_exercises, dose_grid, row_actions, row_problems
from ui.build.fields import language_field, program_fields
from ui.build.output import checks, conflict_panel, layout_choice, output_tabs, save_and_share
from ui.build.patient import choose_patient, current_patient, open_patient, patient_header
from ui.build.plan import week_plan
from ui.build.start import current_heading, load_latest, refresh_if_stale, saved_program_label, start_section
from ui.build.stepper import forget_step
from ui.build.template import save_as_template
from ui.context import CURRENT_PATIENT, CURRENT_PROGRAM
from ui.layout import action_bar, wide_working_page
from ui.patient_link import link_panel
from ui.text import md

ERROR_NOTICES = ("Could not", "Not saved", "That draft")


def follow_other_pages() -> None:
    """The Patients and Review pages hand over a patient (and program) through the shared session keys."""
    shared = (st.session_state.get(CURRENT_PATIENT), st.session_state.get(CURRENT_PROGRAM))
    if shared == st.session_state.get(state.SEEN_SHARED):
        return
    st.session_state[state.SEEN_SHARED] = shared
    patient_id, program_id = shared
    if patient_id is None:
        return
    work = state.sync()
    if patient_id != state.patient_id():
        autosave()
        open_patient(patient_id)
        work = None
    if program_id is not None and (work is None or work.program_id != program_id):
        load_latest(patient_id, program_id)


def show_notice() -> None:
    notice = st.session_state.pop(state.NOTICE, None)
    if notice and notice.startswith(ERROR_NOTICES):
        st.error(md(notice), icon=":material/error:")  # notices can quote names typed by users
    elif notice:  # not st.toast: its dialog has no accessible name, so screen readers announce nothing useful
        st.success(md(notice), icon=":material/check_circle:")


st.title("Build program")
wide_working_page()
follow_other_pages()
work = state.sync()
if work is not None:
    work = refresh_if_stale(work)
autosave()  # first, so a problem further down this run cannot lose the change
unsaved_banner()
show_notice()

st.subheader("1. Patient")
patient = current_patient()
if patient is None:
    choose_patient()
    st.stop()
patient_header(patient)
if work is not None and work.patient_id != patient.id:
    state.new_start(None, stored=True)
    work = None

st.subheader("2. Start")
offer_drafts(patient.id, lambda program_id: saved_program_label(patient.id, program_id))
if work is None:
    start_section(patient)
    st.stop()
current_heading(work)
actions = action_bar()  # Save, Download and Email, kept in view while scrolling; filled in once the checks have run

stamps = cache.stamps()
library = cache.library(stamps)
program, problems = builder.to_program(work, patient.as_patient(), library)
forget_step()  # this run shows a stepper's change everywhere: the preview need not go first on its own

# The page below the bar, in the order it shows. The handout preview, last on the page, is made and sent first:
# after a change it is what the clinician waits for, and the browser draws each part as it arrives, so the new
# page is on screen while the rest of the page is still being made (issue 17).
exercises_area, details_area, checks_area, handout_area, output_area = (st.container() for _ in range(5))
if program is not None:
    with output_area:
        output_tabs(program, library, stamps, patient.as_patient())

with exercises_area:
    st.subheader("3. Exercises")
    # Open by default only for an empty program; it stays as the clinician leaves it, and its content (the search
    # and the drawings) runs only while it is open.
    adder = st.expander("Add exercises: search and filter the library", icon=":material/add:", key=state.ADD_OPEN,
                        expanded=st.session_state.get(state.ADD_OPEN_FIRST, False), on_change="rerun")
    if adder.open:
        with adder:
            add_exercises(library, stamps, patient.affected_side, {item.exercise for item in work.items})
    if work.items:
        st.caption("Double-click a cell to change it. Leave Reps, Hold or Minutes empty when another gives the amount.")
        dose_grid(library)
        row_problems(problems)
        with st.expander("Order, harder and easier versions, remove", expanded=True, icon=":material/swap_vert:"):
            row_actions(library, patient.affected_side)
        if program is not None:
            with st.expander("Week-by-week plan", expanded=True, icon=":material/calendar_view_week:"):
                week_plan(program, library)
    else:
        st.info("No exercises yet. Search the library above and press **Add** on each exercise you want.",
                icon=":material/info:")

with details_area:
    st.subheader("4. Program details")
    program_fields(problems)
    language_field(program, library, cache.clinic_language(stamps))

with checks_area:
    st.subheader("5. Checks")
    findings = []
    if program is None:
        st.info("The checks and the session time appear once the doses and details above are complete.")
    else:
        findings = checks(program, library)

with handout_area:
    st.subheader("6. Save and hand out")
    if program is not None:
        conflict_panel(program, library)
    layout_choice(stamps)  # before the bar is filled: Download makes the PDF in the layout chosen
    with actions:
        save_and_share(work, program, findings, stamps, patient, lambda: save_as_template(program))
    if work.program_id is not None:
        with st.expander("Patient link: this program on the patient's phone", icon=":material/link:"):
            link_panel(work.program_id, archived=False, key=f"build_link_{work.program_id}")
            if state.dirty():
                st.caption("The link shows the last saved version. Save to show the patient your changes.")
