"""Patients: find a patient, keep their details up to date, see every version of their programs, and track pain
and function over time against the minimal important change."""

import datetime as dt

import pandas as pd
import streamlit as st

from rehab import services
from rehab.domain import Program, Side
from rehab.domain.records import PatientRecord, ProgramSummary
from rehab.program.outcomes import (
    AKPS_MIC,
    FUNCTION_SCALE,
    GLOBAL_CHANGE_LABELS,
    INSTRUMENTS,
    PAIN_LABEL,
    PAIN_MIC,
    PAIN_SCALE,
    describe_change,
    function_change,
    function_mic,
    function_points,
    latest_instrument,
    pain_change,
    pain_points,
)
from rehab.words.screens import items_table
from ui.context import CURRENT_PATIENT, CURRENT_PROGRAM, actor, attempt, repository
from ui.dates import DATE_INPUT, day
from ui.email import email_form, emails_panel
from ui.layout import wide_working_page
from ui.patient_link import check_in_summary, link_panel, weekly_pain
from ui.patients.chart import score_chart
from ui.records import (
    attempt_plain,
    authors,
    clinic_library,
    download_handout,
    flash,
    follow_handover,
    hand_over_patient,
    patient_label,
    program_labels,
    saved_at,
    show_flash,
    with_handed_patient,
)
from ui.review.history import review_table
from ui.text import md
from ui.widgets import forget, keep_choice, kept

FLASH = "patients_flash"
TAB = "patients_tab"  # the open tab: Details, Programs, Outcomes or Emails
TABS = ["Details", "Programs", "Outcomes", "Emails"]
PATIENT_LABELS = {"name": "Name", "email": "Email", "phone": "Phone", "date_of_birth": "Date of birth",
                  "notes": "Notes", "affected_side": "Affected side"}
OUTCOME_LABELS = {"recorded_on": "Date", "worst_pain": "Worst pain", "function_score": "Function score",
                  "instrument": "Questionnaire", "global_change": "Global rating of change"}
NO_SCORE = "No function score"
NOT_ASKED = "not asked"  # a selectbox shows None as an empty choice, so "not asked" and "not recorded" are words
NOT_RECORDED = "not recorded"
SIDES = [NOT_RECORDED, Side.LEFT, Side.RIGHT, Side.BOTH]
SIDE_WORDS = {None: "Not recorded", NOT_RECORDED: "Not recorded", Side.LEFT: "Left", Side.RIGHT: "Right",
              Side.BOTH: "Both"}

repo = repository()


def open_page(page: str, patient_id: int, program_id: int | None) -> None:
    """Hand the patient (and program) to another page through the shared session keys."""
    st.session_state[CURRENT_PATIENT] = st.session_state["patients_seen_patient"] = patient_id
    if program_id is None:
        st.session_state.pop(CURRENT_PROGRAM, None)
    else:
        st.session_state[CURRENT_PROGRAM] = st.session_state["patients_seen_program"] = program_id
    st.switch_page(page)


def act(action, *, doing: str, done: str) -> None:
    """Run a change; on success say so after a rerun, so every part of the page shows the new state."""
    if attempt(action, doing=doing) is not None:
        flash(FLASH, done)
        st.rerun()


def empty_state() -> None:
    st.info("There are no patients yet. Add your first patient on **Build program**, where you also build their "
            "exercise program. They will then appear here.", icon=":material/person_add:")
    if st.button("Go to Build program", type="primary", key="patients_go_build"):
        st.switch_page("app_pages/build.py")


def choose_patient() -> PatientRecord | None:
    text = kept(st.text_input, "Search by name", "patients_search", "",
                placeholder="Part of a name, e.g. zoe or obrien", max_chars=200)
    include_archived = kept(st.toggle, "Include archived patients", "patients_include_archived", False)
    matches = attempt(lambda: services.patients.find_patients(text, repo=repo,
                                                              include_archived=include_archived, limit=50),
                      doing="search for patients")
    if matches is None:
        return None
    matches = with_handed_patient(matches, text, repo, include_archived=include_archived)
    if not matches:
        st.info("No patient matches this search. Check the spelling, type less of the name, or turn on "
                "**Include archived patients**.")
        return None
    by_id = {p.id: p for p in matches}
    keep_choice("patients_selected", list(by_id), default=st.session_state.get(CURRENT_PATIENT))
    with st.container(height=min(60 + 36 * len(matches), 420), border=True):  # radio options are Markdown
        chosen = kept(st.radio, f"{len(matches)} patient{'s' if len(matches) != 1 else ''}", "patients_selected",
                      None, options=list(by_id), format_func=lambda pid: md(patient_label(by_id[pid])))
    if len(matches) >= 50:
        st.caption("Showing the first 50 matches. Type more of the name to narrow the list.")
    return by_id[chosen]


# --- details --------------------------------------------------------------------------------------------------


def details_view(patient: PatientRecord) -> None:
    consent = "Yes, handouts may be emailed" if patient.email_consent else "No"
    lines = [
        f"**Email:** {md(patient.email) if patient.email else 'not recorded'}",
        f"**Email consent:** {consent}",
        f"**Phone:** {md(patient.phone) if patient.phone else 'not recorded'}",
        f"**Affected side:** {SIDE_WORDS[patient.affected_side]}",
        f"**Date of birth:** {day(patient.date_of_birth) if patient.date_of_birth else 'not recorded'}",
        f"**Added:** {saved_at(patient.created_at)} · **Last changed:** {saved_at(patient.updated_at)}",
    ]
    st.markdown("  \n".join(lines))
    st.markdown("**Notes**")
    with st.container(border=True, height=180 if len(patient.notes) > 400 else "content"):
        st.markdown(md(patient.notes) if patient.notes else "No notes.")


def edit_form(patient: PatientRecord) -> None:
    prefix = f"patients_edit_{patient.id}"
    name = kept(st.text_input, "Name", f"{prefix}_name", patient.name, max_chars=200)
    email = kept(st.text_input, "Email", f"{prefix}_email", patient.email or "", max_chars=254)
    consent = kept(st.checkbox, "The patient agrees to get handouts by email", f"{prefix}_consent",
                   patient.email_consent)
    phone = kept(st.text_input, "Phone", f"{prefix}_phone", patient.phone or "", max_chars=40)
    side = kept(st.selectbox, "Affected side", f"{prefix}_side", patient.affected_side or NOT_RECORDED,
                options=SIDES, format_func=lambda s: SIDE_WORDS[s])
    born = kept(st.date_input, "Date of birth", f"{prefix}_born", patient.date_of_birth,
                min_value=dt.date(1900, 1, 1), max_value=dt.date.today(), format=DATE_INPUT)
    notes = kept(st.text_area, "Notes (for the clinic only, never printed)", f"{prefix}_notes", patient.notes,
                 max_chars=10_000, height=140)
    details = {"name": name, "email": email.strip() or None, "phone": phone.strip() or None,
               "date_of_birth": born, "email_consent": consent, "notes": notes,
               "affected_side": None if side == NOT_RECORDED else side}
    stored = patient.model_dump(include=set(details))
    unsaved = details != stored
    if unsaved:
        st.caption(":orange[You have unsaved changes.]")
    if st.button("Save details", type="primary", key=f"{prefix}_save", disabled=not unsaved or patient.archived,
                 help="Restore the patient first" if patient.archived else None):
        saved = attempt_plain(lambda: services.patients.update_patient(patient.id, details, repo=repo, actor=actor()),
                              doing="save the details", labels=PATIENT_LABELS)
        if saved is not None:
            forget(*(f"{prefix}_{f}" for f in ("name", "email", "consent", "phone", "side", "born", "notes")))
            flash(FLASH, "Details saved.")
            st.rerun()


def archive_controls(patient: PatientRecord) -> None:
    if patient.archived:
        st.warning("This patient is archived: hidden from lists, and their programs cannot be changed. "
                   "Nothing was deleted.", icon=":material/inventory_2:")
        if st.button("Restore patient", key="patients_restore"):
            act(lambda: services.patients.restore_patient(patient.id, repo=repo, actor=actor()),
                doing="restore the patient",
                done="Patient restored.")
        return
    st.caption("Archiving hides the patient and their programs from lists. Nothing is deleted, and you can "
               "restore them at any time.")
    if st.button("Archive patient", key="patients_archive", icon=":material/inventory_2:"):
        act(lambda: services.patients.archive_patient(patient.id, repo=repo, actor=actor()),
            doing="archive the patient",
            done="Patient archived. Turn on **Include archived** to find them again.")


# --- programs -------------------------------------------------------------------------------------------------


def version_view(summary: ProgramSummary, patient: PatientRecord) -> None:
    versions = attempt(lambda: services.programs.list_versions(summary.id, repo=repo), doing="list the versions")
    if not versions:
        return
    visits = attempt(lambda: {v.version: v for v in services.programs.list_review_visits(summary.id, repo=repo)},
                     doing="list the review visits") or {}
    st.markdown("**Every version**")
    names = authors()
    table = pd.DataFrame(
        {
            "Version": [v.version for v in versions],
            "Saved by": [names[v.author] for v in versions],
            "Saved at": [saved_at(v.created_at) for v in versions],
            "Made at": ["review visit" if v.version in visits else "" for v in versions],
        }
    )
    if any(v.copied_from_program_id for v in versions):
        table["Started as"] = [
            f"copy of program {v.copied_from_program_id}, version {v.copied_from_version}"
            if v.copied_from_program_id else "" for v in versions
        ]
    st.dataframe(table.iloc[::-1], hide_index=True, width="stretch", height=min(38 + 35 * len(versions), 220))
    numbers = [v.version for v in reversed(versions)]
    key = f"patients_version_{summary.id}"
    keep_choice(key, numbers, default=numbers[0])
    number = kept(st.selectbox, "View version", key, numbers[0], options=numbers,
                  format_func=lambda n: f"Version {n}" + (" (newest)" if n == numbers[0] else ""))
    loaded = attempt(lambda: services.programs.view_version(summary.id, number, repo=repo, actor=actor()),
                     doing="open this version")
    if loaded is None:
        return
    info, program = loaded
    parts = attempt(lambda: services.programs.version_handout(summary.id, number, repo=repo), doing="open this version")
    library = parts[2] if parts else clinic_library(repo)  # the clinic's own exercises as this version had them
    st.caption(f"Phase: {program.phase.value.replace('_', ' ')} · starts {day(program.start_date)} · "
               f"{program.duration_weeks} weeks · saved by {md(names[info.author])} on {saved_at(info.created_at)}")
    # Static tables: long doses wrap, so every column reads whole beside the patient list on a laptop screen.
    # st.table prints floats with six digits ("5.200000"): minutes as the clinician says them ("5.2")
    st.table(items_table(program.items, library).style.format({"Minutes": "{:g}"}), hide_index=True,
             border="horizontal")
    if number in visits:
        st.markdown(f"**Review visit that made this version** (how version {number - 1} went)")
        st.table(review_table(visits[number], library), hide_index=True, border="horizontal")
    if program.notes:
        st.markdown("**Notes to the patient:** " + md(program.notes))
    version_actions(summary, patient, program, number)


def version_actions(summary: ProgramSummary, patient: PatientRecord, program: Program, number: int) -> None:
    row = st.container(horizontal=True)  # buttons wrap to a second line on narrow screens
    with row:
        download_handout(key=f"patients_pdf_{summary.id}_{number}",
                         ids=(patient.id, summary.id, number), label=f"Download PDF of version {number}")
    if row.button("Open in Build program", key="patients_open_build", icon=":material/edit_note:",
                        disabled=summary.archived or patient.archived):
        open_page("app_pages/build.py", patient.id, summary.id)
    if row.button("Review visit", key="patients_open_review", icon=":material/fact_check:",
                         disabled=summary.archived or patient.archived):
        open_page("app_pages/review.py", patient.id, summary.id)
    if summary.archived:
        if row.button("Restore program", key="patients_program_restore"):
            act(lambda: services.programs.restore_program(summary.id, repo=repo, actor=actor()),
                doing="restore the program",
                done="Program restored.")
    elif row.button("Archive program", key="patients_program_archive", icon=":material/inventory_2:"):
        act(lambda: services.programs.archive_program(summary.id, repo=repo, actor=actor()),
            doing="archive the program",
            done="Program archived. Turn on **Show archived programs** to see it again.")
    email_controls(summary, patient, program, number)
    copy_controls(summary, patient, number)
    with st.expander("Patient link and check-ins", icon=":material/link:", expanded=True):
        link_panel(summary.id, archived=summary.archived or patient.archived, key=f"patients_link_{summary.id}")
        check_in_summary(summary.id)


def email_controls(summary: ProgramSummary, patient: PatientRecord, program: Program, number: int) -> None:
    key = f"patients_email_{summary.id}_{number}"
    box = st.expander(f"Email version {number} to the patient", key=f"{key}_open", icon=":material/mail:",
                      on_change="rerun")
    if box.open:  # it reads the email settings and may send; only while open
        with box:
            email_form(program_id=summary.id, version=number, program=program, patient=patient, key=key)


def copy_controls(summary: ProgramSummary, patient: PatientRecord, number: int) -> None:
    with st.expander(f"Copy version {number} to another patient", icon=":material/content_copy:"):
        st.caption("The copy keeps the exercises, doses, notes and handout languages, and takes the other patient's "
                   "name, contact details and sore side. Change anything on Build program.")
        text = kept(st.text_input, "Find the patient to copy to", "patients_copy_search", "", max_chars=200,
                    placeholder="Type part of their name")
        found = attempt(lambda: services.patients.find_patients(text, repo=repo, limit=50), doing="search for patients")
        targets = {p.id: p for p in found or [] if p.id != patient.id}
        if not targets:
            st.caption("No other active patient matches. Add new patients on Build program.")
            return
        keep_choice("patients_copy_target", [None, *targets], default=None)  # no one until the user chooses
        target_id = kept(st.selectbox, "Copy to", "patients_copy_target", None, options=list(targets),
                         format_func=lambda pid: patient_label(targets[pid]), placeholder="Choose the patient")
        if st.button(f"Copy version {number}", key="patients_copy", disabled=target_id is None):
            copied = attempt(
                lambda: services.programs.copy_program(summary.id, target_id, repo=repo, actor=actor(), version=number),
                doing="copy the program",
            )
            if copied is not None:
                st.session_state["patients_copied"] = (target_id, copied.program_id)
        done = st.session_state.get("patients_copied")
        if done and done[0] in targets:
            st.success(f"Copied. {md(targets[done[0]].name)} now has this program as a new program (version 1).")
            if st.button("Open the copy in Build program", key="patients_open_copy"):
                st.session_state.pop("patients_copied", None)
                open_page("app_pages/build.py", done[0], done[1])


def programs_tab(patient: PatientRecord) -> None:
    show_archived = kept(st.toggle, "Show archived programs", "patients_show_archived_programs", False)
    programs = attempt(lambda: services.programs.list_programs(repo=repo, patient_id=patient.id, include_archived=True),
                       doing="list the programs")
    if programs is None:
        return
    shown = [p for p in programs if show_archived or not p.archived]
    if not shown:
        hidden = len(programs) - len(shown)
        extra = f" ({hidden} archived program{'s' if hidden != 1 else ''} hidden)" if hidden else ""
        st.info(f"No programs yet{extra}. Build the first one on **Build program**.")
        if not patient.archived and st.button("Build a program for this patient", type="primary",
                                              key="patients_build_first"):
            open_page("app_pages/build.py", patient.id, None)
        return
    by_id = {p.id: p for p in shown}
    labels = program_labels(shown)
    keep_choice("patients_program", list(by_id), default=st.session_state.get(CURRENT_PROGRAM))
    chosen = kept(st.selectbox, "Program", "patients_program", None, options=list(by_id), format_func=labels.get)
    version_view(by_id[chosen], patient)


# --- outcomes -------------------------------------------------------------------------------------------------


def outcome_form(patient: PatientRecord) -> None:
    prefix = f"patients_outcome_{patient.id}"
    with st.container(border=True):
        st.markdown("**Add an entry**")
        day_col, pain_col, change_col = st.columns(3)
        instrument_col, score_col, _ = st.columns(3)
        day = kept(day_col.date_input, "Date", f"{prefix}_date", dt.date.today(), max_value=dt.date.today(),
                   min_value=dt.date(2000, 1, 1), format=DATE_INPUT)
        pain = kept(pain_col.number_input, "Worst pain (0-10)", f"{prefix}_pain", None, min_value=0, max_value=10,
                    step=1, placeholder="0 to 10", help="Worst knee pain in the last week: 0 is none, 10 is the worst "
                    "possible.")
        instrument = kept(instrument_col.selectbox, "Function questionnaire", f"{prefix}_instrument", NO_SCORE,
                          options=[NO_SCORE, *INSTRUMENTS],
                          help="Record the total score only; the questions themselves are not stored.")
        score = kept(score_col.number_input, "Score (0-100)", f"{prefix}_score", None, min_value=0,
                     max_value=100, step=1, placeholder="0 to 100", disabled=instrument == NO_SCORE)
        change = kept(change_col.selectbox, "Global rating of change", f"{prefix}_change", NOT_ASKED,
                      options=[NOT_ASKED, *sorted(GLOBAL_CHANGE_LABELS, reverse=True)],
                      format_func=lambda v: "Not asked" if v == NOT_ASKED else f"{v:+d}  {GLOBAL_CHANGE_LABELS[v]}",
                      help="How the knee is now compared with the start of care, from -3 (much worse) to +3 "
                      "(much better).")
        if not st.button("Add entry", type="primary", key=f"{prefix}_add", disabled=patient.archived,
                         icon=":material/add:"):
            return
    if pain is None:
        st.error("Enter the worst pain, from 0 to 10.")
        return
    if instrument != NO_SCORE and score is None:
        st.error(f"Enter the {instrument} score, from 0 to 100, or choose “{NO_SCORE}”.")
        return
    entry = {"recorded_on": day, "worst_pain": int(pain), "global_change": None if change == NOT_ASKED else change,
             "function_score": None if instrument == NO_SCORE else int(score),
             "instrument": None if instrument == NO_SCORE else instrument}
    if attempt_plain(lambda: services.outcomes.add_outcome(patient.id, entry, repo=repo, actor=actor()),
                     doing="add the entry", labels=OUTCOME_LABELS):
        forget(*(f"{prefix}_{f}" for f in ("date", "pain", "instrument", "score", "change")))
        flash(FLASH, "Outcome entry added.")
        st.rerun()


def outcome_table(entries: list) -> None:
    rows = sorted(entries, key=lambda e: e.recorded_on, reverse=True)
    names = authors()
    st.dataframe(
        pd.DataFrame(
            {
                "Date": [day(e.recorded_on) for e in rows],
                "Worst pain": [e.worst_pain for e in rows],
                "Function score": [e.function_score for e in rows],
                "Questionnaire": [e.instrument or "" for e in rows],
                "Global change": [
                    "" if e.global_change is None else f"{e.global_change:+d} {GLOBAL_CHANGE_LABELS[e.global_change]}"
                    for e in rows
                ],
                "Entered by": [names[e.author] for e in rows],
            }
        ),
        hide_index=True, width="stretch", height=min(36 + 35 * len(rows), 300),
        column_config={"Function score": st.column_config.NumberColumn(format="%d")},
    )


def outcome_charts(entries: list, weekly: list) -> None:
    pain_col, function_col = st.columns(2)
    with pain_col:
        st.markdown(f"**{PAIN_LABEL} (0-10, lower is better)**")
        st.altair_chart(score_chart(pain_points(entries), title="Worst pain", scale=PAIN_SCALE, mic=PAIN_MIC,
                                    patient_points=weekly), width="stretch")
        if weekly:
            st.caption("Orange: the worst pain of each week, as the patient gave it through their link.")
        change = pain_change(entries)
        st.markdown(describe_change(change, PAIN_LABEL) if change else
                    "Add another entry at a later visit to see the change.")
    with function_col:
        instrument = latest_instrument(entries)
        if instrument is None:
            st.markdown("**Function score**")
            st.caption("No function scores yet. Add one with a questionnaire such as the Kujala scale (AKPS).")
            return
        mic = function_mic(instrument)
        st.markdown(f"**{md(instrument)} (0-100, higher is better)**")
        st.altair_chart(score_chart(function_points(entries, instrument), title=instrument, scale=FUNCTION_SCALE,
                                    mic=mic), width="stretch")
        found = function_change(entries)
        st.markdown(md(describe_change(found[1], instrument)) if found else
                    "Add another score at a later visit to see the change.")
    st.caption(f"Shaded band: within the minimal important change of the first entry ({PAIN_MIC.points} points "
               f"for worst pain, {AKPS_MIC.points} points for the Kujala scale; Crossley et al. 2004). The dashed line "
               "marks the first entry. A change that leaves the band is one patients notice.")


def outcomes_tab(patient: PatientRecord) -> None:
    outcome_form(patient)
    entries = attempt(lambda: services.outcomes.list_outcomes(patient.id, repo=repo), doing="load the outcome entries")
    if entries is None:
        return
    weekly = weekly_pain(patient.id)
    if not entries and not weekly:
        st.info("No outcome entries yet. Record pain (and a function score if you use one) at the first visit, "
                "then at each review, to see the change over time.")
        return
    outcome_charts(entries, weekly)
    st.markdown("**All entries**")
    outcome_table(entries)


# --- page -----------------------------------------------------------------------------------------------------

st.title("Patients")
wide_working_page()
show_flash(FLASH)
anyone = attempt(lambda: services.patients.find_patients(repo=repo, include_archived=True, limit=1),
                 doing="look up patients")
if anyone is None:
    st.stop()
if not anyone:
    empty_state()
    st.stop()

follow_handover("patients_seen_patient", CURRENT_PATIENT, "patients_search", "patients_selected")
follow_handover("patients_seen_program", CURRENT_PROGRAM, "patients_program")
list_col, detail_col = st.columns([1, 2.4], gap="large")
with list_col:
    patient = choose_patient()
if patient is None:
    st.stop()
hand_over_patient(patient.id, "patients_seen_patient")
patient = attempt(lambda: services.patients.view_patient(patient.id, repo=repo, actor=actor()),
                  doing="open the patient")
if patient is None:
    st.stop()

with detail_col:
    st.subheader(md(patient.name), divider="gray")
    # Keyed and tracked, so the open tab stays open when a save reruns the page (the outcome chart stays in view).
    details_tab, programs_tab_, outcomes_tab_, emails_tab = st.tabs(TABS, key=TAB, on_change="rerun")
    with details_tab:
        view_col, edit_col = st.columns([1, 1], gap="large")
        with view_col:
            details_view(patient)
            archive_controls(patient)
        with edit_col, st.expander("Edit details", icon=":material/edit:", expanded=False):
            edit_form(patient)
    with programs_tab_:
        programs_tab(patient)
    with outcomes_tab_:
        outcomes_tab(patient)
    with emails_tab:
        emails_panel(patient)
