"""Build page, steps 5-6: live checks with minutes per session, save (with conflicts explained), download,
email to the patient, copy for notes, and a preview made of the real PDF pages."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable

import streamlit as st

from rehab import services
from rehab.content.library import ExerciseLibrary
from rehab.domain import Finding, Patient, Program, Severity
from rehab.domain.records import PatientRecord
from rehab.errors import ConflictError, StorageError
from rehab.program.builder import WorkingProgram, from_program, to_program
from rehab.program.checks import check_program, has_errors
from rehab.program.timing import session_minutes
from rehab.services.catalog import Stamps
from rehab.words.summary import program_summary
from ui.build import cache, state
from ui.build.drafts import autosave, when
from ui.build.stepper import dose_stepper, stepped_alone
from ui.context import CURRENT_PROGRAM, actor, attempt, log, repository
from ui.email import email_form
from ui.records import authors
from ui.text import md

PDF_NAME = "exercise-program.pdf"  # never the patient's name: downloads land in shared folders
LAYOUTS = {"compact": "Compact: a one-page fridge sheet, then three exercises a page",
           "booklet": "Booklet: one exercise a page, with bigger pictures"}
PREVIEW_PAGE = "build_preview_page"  # the page shown (0-based)
EMAIL_OPEN = "build_email_open"  # the "Email to patient" popover (its own widget state)
SEND_GRACE = 0.04  # seconds the stepped page image gets to leave before the whole page reruns


def checks(program: Program, library: ExerciseLibrary) -> list[Finding]:
    findings = check_program(program, library)
    minutes = session_minutes(program, library)
    count_col, minutes_col, weeks_col = st.columns(3)
    count_col.metric("Exercises", len(program.items))
    minutes_col.metric("Minutes a session (about)", f"{minutes:.0f}")
    weeks_col.metric("Weeks", program.duration_weeks)
    if not findings:
        st.success("No problems found.", icon=":material/check_circle:")
    for finding in findings:
        # Messages are ours, but quote exercise names, which clinics may type themselves.
        if finding.severity is Severity.ERROR:
            st.error(md(finding.message), icon=":material/error:")
        elif finding.severity is Severity.WARNING:
            st.warning(md(finding.message), icon=":material/warning:")
        else:
            st.info(md(finding.message), icon=":material/info:")
    return findings


# --- saving ------------------------------------------------------------------------------------------------


def _save(base_version: int | None = None) -> None:
    """Save as a new version; ``base_version`` overrides the one the edit started from (after a conflict).
    The program is built again here from what the widgets hold now: a cell typed just before the click counts."""
    work = state.sync()
    if work is None:
        return
    repo = repository()
    try:
        patient = services.patients.get_patient(work.patient_id, repo=repo)
    except StorageError as exc:
        st.session_state[state.NOTICE] = f"Could not save the program: {exc} Your changes are still here."
        return
    program, problems = to_program(work, patient.as_patient(), cache.library())
    if program is None or has_errors(check_program(program, cache.library())):
        st.session_state[state.NOTICE] = "Not saved: fix the problems marked in red first."
        return
    base = base_version if base_version is not None else work.base_version
    try:
        info = services.programs.save_working_program(program, repo=repo, actor=actor(), patient_id=work.patient_id,
                                                      program_id=work.program_id, base_version=base)
    except ConflictError as exc:
        st.session_state[state.CONFLICT] = {"program_id": exc.program_id, "base": exc.base_version,
                                            "current": exc.current_version}
        return
    except StorageError as exc:
        st.session_state[state.NOTICE] = f"Could not save the program: {exc} Your changes are still here."
        return
    except Exception:
        log.exception("unexpected error while saving a program")
        st.session_state[state.NOTICE] = ("Could not save the program because of an unexpected problem. Your changes "
                                          "are still here and in your draft; try again.")
        return
    saved = work.model_copy(update={"program_id": info.program_id, "base_version": info.version,
                                    "started_from": f"Version {info.version}"})
    state.mark_saved(saved)
    st.session_state[state.AUTOSAVED] = None
    st.session_state[state.CONFLICT] = None
    st.session_state[CURRENT_PROGRAM] = info.program_id
    st.session_state[state.SEEN_SHARED] = (work.patient_id, info.program_id)
    st.session_state[state.NOTICE] = f"Saved as version {info.version}."


def _load_newer(program_id: int) -> None:
    """Replace the page with the newer version; the clinician's changes stay in their draft, offered above."""
    work = state.sync()
    if work is None:
        return
    try:
        info, program = services.programs.get_version(program_id, repo=repository())
    except StorageError as exc:
        st.session_state[state.NOTICE] = f"Could not open the newer version: {exc}"
        return
    autosave()
    fresh = from_program(program, patient_id=work.patient_id, program_id=program_id, base_version=info.version,
                         started_from=f"Version {info.version}")
    state.new_start(fresh, stored=True)
    st.session_state[state.NOTICE] = (f"Loaded version {info.version}. Your changes are kept as a draft: "
                                      "continue it or discard it at the top of step 2.")


def conflict_panel(program: Program, library: ExerciseLibrary) -> None:
    conflict = st.session_state.get(state.CONFLICT)
    if not conflict:
        return
    current = conflict["current"]
    with st.container(border=True):
        st.warning(
            f"**Version {current} of this program was saved while you were working** (by someone else, or on "
            f"another page or tab; you started from version {conflict['base']}). Nothing was overwritten, and your "
            f"changes are still here. Look at version {current} below, then either save yours on top of it or load "
            "it instead.",
            icon=":material/sync_problem:",
        )
        try:
            info, theirs = services.programs.view_version(conflict["program_id"], current, repo=repository(),
                                                          actor=actor())
        except StorageError as exc:
            st.error(f"Could not open version {current}: {md(str(exc))}")
            return
        theirs_col, mine_col = st.columns(2)
        with theirs_col:
            st.markdown(f"**Version {current}**, saved {when(info.created_at)} by {md(authors()[info.author])}")
            st.code(program_summary(theirs, library), language=None, wrap_lines=True)
        with mine_col:
            st.markdown("**Your version** (not saved)")
            st.code(program_summary(program, library), language=None, wrap_lines=True)
        mine, load = st.columns(2)
        mine.button(f"Save mine as version {current + 1}", key="build_conflict_mine", type="primary",
                    on_click=_save, args=(current,), icon=":material/save:")
        load.button(f"Load version {current} instead", key="build_conflict_load",
                    on_click=_load_newer, args=(conflict["program_id"],), icon=":material/download:")


def handout_layout(stamps: Stamps) -> str:
    """The layout chosen on the page; the clinic's default until someone picks one."""
    chosen = st.session_state.get(state.LAYOUT)
    return chosen if chosen in LAYOUTS else cache.clinic_layout(stamps)


def layout_choice(stamps: Stamps) -> None:
    """The handout layout, in step 6 (not in the bar kept in view: one row of buttons there leaves room for the
    grid on a laptop screen). Download and the preview use it."""
    layout = handout_layout(stamps)
    st.radio("Handout layout", list(LAYOUTS), index=list(LAYOUTS).index(layout), format_func=LAYOUTS.get,
             key=state.LAYOUT, horizontal=True)


def save_and_share(work: WorkingProgram, program: Program | None, findings: list[Finding], stamps: Stamps,
                   patient: PatientRecord, template_button: Callable[[], None]) -> None:
    """Save, Download, Email and Save as clinic template in one row (the page keeps it in view while scrolling)."""
    blocked = program is None or has_errors(findings)
    layout = handout_layout(stamps)
    conflict = bool(st.session_state.get(state.CONFLICT))  # then the panel above offers the two ways on
    row = st.container(horizontal=True, vertical_alignment="center")  # each button as wide as its label
    label = "Save new program" if work.program_id is None else f"Save as version {work.base_version + 1}"
    row.button(label, key="build_save", type="primary", icon=":material/save:",
               disabled=blocked or conflict or not state.dirty(), on_click=_save)
    if program is not None:
        row.download_button("Download PDF", data=cache.handout_maker(program, stamps, layout), file_name=PDF_NAME,
                            mime="application/pdf", key="build_download", icon=":material/picture_as_pdf:",
                            on_click="ignore")
    else:
        row.button("Download PDF", key="build_download_off", disabled=True, icon=":material/picture_as_pdf:")
    with row:
        email_to_patient(work, patient)
        template_button()
    if blocked:
        row.caption("Fix the problems in red to save and download.", width="content")
    elif conflict:
        row.caption("Someone else saved first: see above.", width="content")
    elif state.dirty():
        row.caption("Not saved yet. The PDF shows the screen.", width="content")
    else:
        row.caption("Saved. The PDF matches it.", width="content")


def email_to_patient(work: WorkingProgram, patient: PatientRecord) -> None:
    """Email the saved version, from the action bar. Its content runs only while open: it reads the stored version
    each time."""
    box = st.popover("Email to patient", key=EMAIL_OPEN, icon=":material/mail:", on_change="rerun", width="content")
    if not box.open:
        return
    with box:
        if work.program_id is None:
            st.info("Save the program first. The email carries the saved version.", icon=":material/save:")
            return
        if state.dirty() or st.session_state.get(state.CONFLICT):
            st.info(f"You have unsaved changes. Save them first: the email carries the saved version, and version "
                    f"{work.base_version} is not what is on screen now.", icon=":material/save:")
            return
        loaded = attempt(lambda: services.programs.get_version(work.program_id, work.base_version, repo=repository()),
                         doing="open the saved version")
        if loaded is not None:
            email_form(program_id=work.program_id, version=work.base_version, program=loaded[1], patient=patient,
                       key=f"build_email_{work.program_id}_{work.base_version}", fix_version=_save)


def copy_for_notes(program: Program, library: ExerciseLibrary) -> None:
    st.caption("Plain text for the clinical record. Use the copy button at the top right of the box.")
    st.code(program_summary(program, library), language=None, wrap_lines=True)


def output_tabs(program: Program, library: ExerciseLibrary, stamps: Stamps, patient: Patient) -> None:
    """"Copy for notes" and "Handout preview" as tabs. Keyed and tracked: the open tab stays open across reruns,
    and only the open one is made (the preview only while it shows). The Build page makes these first, before the
    layout choice is drawn: the preview reads the layout from that choice's state (``handout_layout``)."""
    notes_tab, preview_tab = st.tabs(["Copy for notes", "Handout preview"], key=state.OUTPUT_TAB, on_change="rerun")
    if notes_tab.open:
        with notes_tab:
            copy_for_notes(program, library)
    if preview_tab.open:
        with preview_tab:
            live_preview(program, library, stamps, patient)


@st.fragment
def live_preview(program: Program, library: ExerciseLibrary, stamps: Stamps, patient: Patient) -> None:
    """The page beside the dose stepper. A click on the stepper reruns only this part first, so the new page goes
    out without waiting for the rest of the page (its run, and the browser redrawing its ~200 parts, came before the
    image: issue 17); then the whole page reruns, so the grid, checks, week plan and save bar show the new dose
    too. Choosing another page reruns only this part."""
    stepped = stepped_alone()
    if stepped:  # this part alone: the program as the stepper left it (``program`` is the last whole run's)
        work = state.work()
        program = to_program(work, patient, library)[0] if work is not None else None
    page_column, stepper_column = st.columns([3, 1], gap="medium")
    if program is not None:
        with page_column:
            preview(program, stamps)
    with stepper_column:
        dose_stepper(library)
    if stepped:
        # Streamlit drops messages still waiting to go out when the next run starts: let the page image leave first
        # (it is sent within a few milliseconds; if not, the whole run below sends it again)
        time.sleep(SEND_GRACE)
        st.rerun(scope="app")


def preview(program: Program, stamps: Stamps) -> None:
    """The real PDF pages, one at a time with page 1 first (runs only while its tab is open): only the page shown is
    drawn, as JPEG at the size it is shown (one image pixel per screen pixel), sent inside the page's message. A
    dose change costs one render of the PDF and one page image (three pages side by side took ~30 ms more, issue
    17)."""
    shown = st.session_state.setdefault(PREVIEW_PAGE, 0)
    layout = handout_layout(stamps)
    try:
        with st.spinner("Drawing the page…", show_time=False):
            pages, count = cache.preview_pages(program, stamps, shown, shown + 1, layout)
        if shown >= count:  # the program got shorter
            st.session_state[PREVIEW_PAGE] = shown = 0
            pages, count = cache.preview_pages(program, stamps, 0, 1, layout)
    except Exception:
        log.exception("could not draw the handout preview")
        st.error("Could not draw the preview because of an unexpected problem. The download may still work.")
        return
    st.segmented_control(
        f"Page to show ({count} in all). Paper size and large print follow the clinic settings; the layout is the "
        "one chosen above.", list(range(count)), key=PREVIEW_PAGE, format_func=lambda page: str(page + 1),
        required=True)
    for image in pages[:1]:
        st.image(jpeg_data_uri(image), caption=f"Page {shown + 1} of {count}", width="content",
                 alt=f"Handout page {shown + 1} of {count}")


def jpeg_data_uri(jpeg: bytes) -> str:
    """The page image inside the page's own message: the browser draws it as the message arrives, with no second
    request to the server's media files (that request waited behind the rest of the page's run, issue 17)."""
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")
