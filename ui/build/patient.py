"""Build page, step 1: find the patient (accent-insensitive) or add a new one."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from rehab import services
from rehab.domain import Side
from rehab.domain.records import PatientRecord
from rehab.errors import InvalidRecord, StorageError
from ui.build import state
from ui.build.drafts import autosave
from ui.context import CURRENT_PATIENT, CURRENT_PROGRAM, actor, attempt, repository
from ui.dates import DATE_INPUT, day
from ui.text import md

SIDE_WORDS = {None: "Not recorded", Side.LEFT: "Left knee", Side.RIGHT: "Right knee", Side.BOTH: "Both knees"}
PATIENT_LABELS = {
    "name": "Name",
    "email": "Email",
    "phone": "Phone",
    "date_of_birth": "Date of birth",
    "affected_side": "Affected side",
    "notes": "Notes",
    "actor": "Clinician",
}
NEW = {  # the add-patient form's widget keys
    "name": "build_np_name",
    "email": "build_np_email",
    "email_consent": "build_np_consent",
    "affected_side": "build_np_side",
    "date_of_birth": "build_np_dob",
}
ADD_ERROR = "build_np_error"
SEARCH = "build_patient_search"
PICK = "build_patient_pick"


def plain(problem: str) -> str:
    """'date_of_birth: 1800-01-01 must be ...' → 'Date of birth: 1800-01-01 must be ...'."""
    field, sep, rest = problem.partition(": ")
    if not sep:
        return problem
    label = PATIENT_LABELS.get(field.rsplit(".", 1)[-1])
    return f"{label}: {rest}" if label else f"{field.replace('_', ' ').capitalize()}: {rest}"


def patient_label(patient: PatientRecord) -> str:
    parts = [patient.name]
    if patient.date_of_birth:
        parts.append(f"born {day(patient.date_of_birth)}")
    if patient.email:
        parts.append(patient.email)
    return " · ".join(parts)


def open_patient(patient_id: int | None) -> None:
    """Make this the patient on the page (and for the other pages). Unsaved work for another patient is kept
    in its draft, so switching never loses it."""
    current = state.work()
    if current is not None and current.patient_id != patient_id:
        autosave()  # a change made together with this click is kept in the draft too
        state.new_start(None, stored=True)
    st.session_state[state.PATIENT] = patient_id
    if patient_id is None:
        st.session_state.pop(CURRENT_PATIENT, None)
    else:
        st.session_state[CURRENT_PATIENT] = patient_id
    st.session_state.pop(CURRENT_PROGRAM, None)
    st.session_state[state.SEEN_SHARED] = (patient_id, None)
    st.session_state.pop(PICK, None)


def _picked() -> None:
    chosen = st.session_state.get(PICK)
    if chosen is not None:
        state.sync()
        open_patient(chosen)


def _add_patient() -> None:
    values = {field: st.session_state.get(key) for field, key in NEW.items()}
    values["name"] = (values["name"] or "").strip()
    values["email"] = (values["email"] or "").strip() or None
    values["email_consent"] = bool(values["email_consent"])
    if not values["name"]:
        st.session_state[ADD_ERROR] = "Name: type the patient's name."
        return
    try:
        patient = services.patients.add_patient(values, repo=repository(), actor=actor())
    except InvalidRecord as exc:
        st.session_state[ADD_ERROR] = " ".join(plain(p).rstrip(".") + "." for p in exc.problems)
        return
    except StorageError as exc:
        st.session_state[ADD_ERROR] = f"Could not add the patient: {exc}"
        return
    st.session_state[ADD_ERROR] = None
    for key in NEW.values():
        st.session_state.pop(key, None)
    state.sync()
    open_patient(patient.id)
    st.session_state[state.NOTICE] = "Patient added. Now choose how to start their program."


def add_patient_form(expanded: bool) -> None:
    with st.expander("Add a new patient", expanded=expanded, icon=":material/person_add:"):
        with st.form("build_add_patient", border=False):
            name_col, email_col = st.columns(2)
            name_col.text_input("Name", key=NEW["name"], max_chars=200, placeholder="First and last name")
            email_col.text_input("Email (optional)", key=NEW["email"], max_chars=254, placeholder="name@example.org")
            side_col, dob_col, consent_col = st.columns([1, 1, 1], vertical_alignment="bottom")
            side_col.selectbox("Affected side", [None, Side.LEFT, Side.RIGHT, Side.BOTH], key=NEW["affected_side"],
                               format_func=lambda s: SIDE_WORDS[s])
            dob_col.date_input("Date of birth (optional)", value=None, key=NEW["date_of_birth"],
                               min_value=dt.date(1900, 1, 1), max_value=dt.date.today(), format=DATE_INPUT)
            consent_col.checkbox("Agrees to get handouts by email", key=NEW["email_consent"])
            st.form_submit_button("Add patient", type="primary", on_click=_add_patient, icon=":material/add:")
        if st.session_state.get(ADD_ERROR):
            st.error(md(st.session_state[ADD_ERROR]))  # it can quote what was typed


def choose_patient() -> None:
    repo = repository()
    everyone = attempt(lambda: services.patients.find_patients("", repo=repo, limit=1), doing="look up patients")
    if everyone is None:
        return
    if not everyone:
        st.info("**Start here.** Add your first patient below. Then pick a template, adjust the exercises and "
                "doses, and download the handout.", icon=":material/waving_hand:")
        add_patient_form(expanded=True)
        return
    search_col, pick_col = st.columns([1, 2])
    text = search_col.text_input("Find a patient", key=SEARCH, max_chars=200,
                                 placeholder="Part of a name, e.g. zoe or obrien")
    matches = attempt(lambda: services.patients.find_patients(text, repo=repo, limit=50),
                      doing="search for patients") or []
    by_id = {p.id: p for p in matches}
    if st.session_state.get(PICK) not in by_id:
        st.session_state.pop(PICK, None)
    pick_col.selectbox(
        "Patient",
        list(by_id),
        index=None,
        key=PICK,
        format_func=lambda pid: patient_label(by_id[pid]),
        placeholder="Choose a patient" if by_id else "No patient matches; add them below",
        on_change=_picked,
    )
    add_patient_form(expanded=False)


def current_patient() -> PatientRecord | None:
    """The patient on the page, or None (also when they were archived or no longer exist)."""
    patient_id = state.patient_id()
    if patient_id is None:
        return None
    patient = attempt(lambda: services.patients.view_patient(patient_id, repo=repository(), actor=actor()),
                      doing="open the patient")
    if patient is None or patient.archived:
        if patient is not None:
            st.warning("This patient is archived. Restore them on the Patients page to build a program.")
        return None
    return patient


def patient_header(patient: PatientRecord) -> None:
    facts = [SIDE_WORDS[patient.affected_side] if patient.affected_side else "Affected side not recorded"]
    if patient.date_of_birth:
        facts.append(f"born {day(patient.date_of_birth)}")
    if patient.email:
        facts.append(md(patient.email) + (" (email OK)" if patient.email_consent else " (no email consent)"))
    name_col, button_col = st.columns([5, 1], vertical_alignment="center")
    name_col.markdown(f"**{md(patient.name)}** · " + " · ".join(facts))
    button_col.button("Change patient", key="build_change_patient", on_click=_change_patient,
                      icon=":material/swap_horiz:", width="stretch")


def _change_patient() -> None:
    state.sync()
    open_patient(None)
