"""Build page, step 2: start from a template, a blank program, or a saved program (continue it or copy it)."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from rehab import services
from rehab.content.content import load_templates
from rehab.domain import Phase
from rehab.domain.records import PatientRecord
from rehab.errors import RehabError, StorageError
from rehab.program import builder
from rehab.services import clinic_templates
from ui.build import state
from ui.build.drafts import autosave
from ui.context import CURRENT_PATIENT, CURRENT_PROGRAM, actor, attempt, repository, signed_in
from ui.records import program_labels
from ui.text import md

TEMPLATE = "build_start_template"
PROGRAM = "build_start_program"
VERSION = "build_start_version"


def default_clinician() -> str:
    """The signed-in clinician's name, printed on the handout unless changed (step 4)."""
    account = signed_in()
    return account.name if account is not None else ""


def _begin(work: builder.WorkingProgram, *, stored: bool, program_id: int | None, notice: str) -> None:
    state.sync()
    autosave()  # unsaved work on the page stays available as its draft
    state.new_start(work, stored=stored)
    st.session_state[CURRENT_PATIENT] = work.patient_id
    if program_id is None:
        st.session_state.pop(CURRENT_PROGRAM, None)
    else:
        st.session_state[CURRENT_PROGRAM] = program_id
    st.session_state[state.SEEN_SHARED] = (work.patient_id, program_id)
    st.session_state[state.NOTICE] = notice


def start_template(patient_id: int) -> None:
    ref = st.session_state[TEMPLATE]
    try:
        template = clinic_templates.resolve_template(ref, repo=repository())
    except RehabError as exc:
        st.session_state[state.NOTICE] = f"Could not start from that template: {exc}"
        return
    work = builder.from_template(template, patient_id=patient_id, start_date=dt.date.today(),
                                 clinician=default_clinician())
    _begin(work, stored=False, program_id=None, notice=f"Started from the template “{template.title}”.")


def start_blank(patient_id: int) -> None:
    work = builder.blank(patient_id=patient_id, start_date=dt.date.today(), phase=Phase.STRENGTHEN,
                         clinician=default_clinician())
    _begin(work, stored=False, program_id=None, notice="Started a blank program. Add exercises below.")


def open_version(patient_id: int, program_id: int, version: int | None, *, as_copy: bool) -> None:
    """Continue a saved program (the next save is its next version) or copy a version into a new program."""
    try:
        info, program = services.programs.view_version(program_id, version, repo=repository(), actor=actor())
        latest = services.programs.list_versions(program_id, repo=repository())[-1].version
    except StorageError as exc:
        st.session_state[state.NOTICE] = f"Could not open the program: {exc}"
        return
    if as_copy:
        work = builder.from_program(program, patient_id=patient_id,
                                    started_from=f"Copy of version {info.version}")
        work = work.model_copy(update={"start_date": dt.date.today().isoformat(),
                                       "clinician": work.clinician or default_clinician()})
        _begin(work, stored=False, program_id=None, notice=f"Copied version {info.version} into a new program.")
        return
    # Editing starts from the newest version, whichever version the content came from: an older version
    # brought back is saved on top as the next version, never over anything.
    work = builder.from_program(program, patient_id=patient_id, program_id=program_id, base_version=latest,
                                started_from=f"Version {info.version}")
    _begin(work, stored=info.version == latest, program_id=program_id,
           notice=f"Opened version {info.version}. Saving makes version {latest + 1}.")


def load_latest(patient_id: int, program_id: int) -> None:
    open_version(patient_id, program_id, None, as_copy=False)


def start_section(patient: PatientRecord) -> None:
    repo = repository()
    programs = attempt(lambda: services.programs.list_programs(repo=repo, patient_id=patient.id),
                       doing="list the programs")
    programs = programs or []
    built_in = load_templates()
    templates = {ref: t.title for ref, t in built_in.items()}  # the clinic's own are listed after the built-in ones
    templates |= attempt(lambda: clinic_templates.clinic_template_titles(repo=repo),
                         doing="list the clinic templates") or {}
    if st.session_state.get(TEMPLATE) not in templates:
        st.session_state[TEMPLATE] = next(iter(templates))
    template_col, blank_col, saved_col = st.columns([5, 3, 6], border=True)
    with template_col:
        st.markdown("**From a template**")
        st.selectbox("Template", list(templates), key=TEMPLATE, label_visibility="collapsed",
                     format_func=lambda t: templates[t] if t in built_in else f"{templates[t]} · your clinic")
        chosen = st.session_state[TEMPLATE]
        if chosen in built_in:
            st.caption(built_in[chosen].summary)
        else:
            own = attempt(lambda: clinic_templates.resolve_template(chosen, repo=repo), doing="read the template")
            st.caption(f"Your clinic's template. {md(own.summary) if own else ''}")
        st.button("Start from this template", key="build_start_template_go", type="primary",
                  on_click=start_template, args=(patient.id,), icon=":material/assignment:")
    with blank_col:
        st.markdown("**Blank program**")
        st.caption("No exercises yet: you add each one yourself.")
        st.button("Start blank", key="build_start_blank_go", on_click=start_blank, args=(patient.id,),
                  icon=":material/note_add:")
    with saved_col:
        st.markdown("**A saved program**")
        if not programs:
            st.caption("This patient has no saved programs yet.")
            return
        by_id = {p.id: p for p in programs}
        labels = program_labels(programs)
        if st.session_state.get(PROGRAM) not in by_id:
            st.session_state[PROGRAM] = programs[0].id
        chosen = st.selectbox("Program", list(by_id), key=PROGRAM, format_func=labels.get)
        newest = by_id[chosen].current_version
        versions = list(range(newest, 0, -1))
        if st.session_state.get(VERSION) not in versions:
            st.session_state[VERSION] = newest
        version = st.selectbox("Version", versions, key=VERSION,
                               format_func=lambda v: f"Version {v}" + (" (newest)" if v == newest else ""))
        edit_col, copy_col = st.columns(2)
        edit_col.button("Edit", key="build_start_edit", on_click=open_version, icon=":material/edit:",
                        args=(patient.id, chosen, version), kwargs={"as_copy": False}, width="stretch",
                        help="Change this program; saving makes its next version.")
        copy_col.button("Copy as new", key="build_start_copy", on_click=open_version, icon=":material/content_copy:",
                        args=(patient.id, chosen, version), kwargs={"as_copy": True}, width="stretch",
                        help="Start a separate new program from this version.")


def current_heading(work: builder.WorkingProgram) -> None:
    """What is open, and a way to start something else."""
    if work.program_id is None:
        where = "A new program, not saved yet"
    else:
        where = f"Saved program, next save makes version {work.base_version + 1}"
    text_col, button_col = st.columns([4, 1], vertical_alignment="center")
    text_col.markdown(f"**{where}** · started from: {md(work.started_from or 'a saved program')}")
    button_col.button("Start something else", key="build_close_work", on_click=_close, width="stretch",
                      icon=":material/restart_alt:", help="Unsaved changes stay in a draft you can continue later.")


def _close() -> None:
    state.sync()
    autosave()
    state.new_start(None, stored=True)
    st.session_state.pop(CURRENT_PROGRAM, None)
    work_patient = st.session_state.get(state.PATIENT)
    st.session_state[state.SEEN_SHARED] = (work_patient, None)



def saved_program_label(patient_id: int, program_id: int) -> str:
    """For a draft's offer: which saved program it belongs to."""
    try:
        summaries = services.programs.list_programs(repo=repository(), patient_id=patient_id)
        summary = next(p for p in summaries if p.id == program_id)
    except (StopIteration, StorageError):
        return "a saved program"
    return f"changes to your saved program “{program_labels([summary])[summary.id]}”"


def refresh_if_stale(work: builder.WorkingProgram) -> builder.WorkingProgram:
    """Without unsaved changes, show the newest version when one was saved meanwhile (e.g. on Review visit)."""
    if work.program_id is None or state.dirty():
        return work
    try:
        summaries = services.programs.list_programs(repo=repository(), patient_id=work.patient_id)
    except StorageError:
        return work
    current = next((p.current_version for p in summaries if p.id == work.program_id), None)
    if current is None or current <= (work.base_version or 0):
        return work
    try:
        info, program = services.programs.view_version(work.program_id, repo=repository(), actor=actor())
    except StorageError:
        return work
    fresh = builder.from_program(program, patient_id=work.patient_id, program_id=work.program_id,
                                 base_version=info.version, started_from=f"Version {info.version}")
    state.new_start(fresh, stored=True)
    st.session_state[state.NOTICE] = f"Version {info.version} was saved meanwhile; it is shown now."
    return fresh
