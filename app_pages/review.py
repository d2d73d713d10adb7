"""Review visit: enter how each exercise went, see what the app proposes (progress, hold or regress, with the
reason), accept or change each proposal, check the new doses, and save them as the program's next version."""

import datetime as dt

import pandas as pd
import streamlit as st

from rehab import services
from rehab.content.library import ExerciseLibrary
from rehab.domain import Advice, Program
from rehab.domain.records import PatientRecord, ProgramSummary, VersionInfo
from rehab.errors import ConflictError
from rehab.program.review import ACTION_LABELS, Action, ItemChange, apply_review, item_in_words, plan_review, propose
from ui.context import CURRENT_PATIENT, CURRENT_PROGRAM, actor, attempt, repository
from ui.dates import DATE_INPUT
from ui.email import email_form
from ui.layout import wide_working_page
from ui.patient_link import prefill_note, prefill_review
from ui.records import (
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
from ui.review.grid import (
    ANSWER_WIDTHS,
    DOSE,
    EXERCISE,
    FORM,
    FORMS,
    MORNING,
    MORNINGS,
    PAIN,
    blank_rows,
    carried_over,
    check_ins,
    column_width,
    matched_rows,
    review_record,
    same_for_rows,
)
from ui.text import md
from ui.widgets import forget, keep_choice, kept

FLASH = "review_flash"
ROWS = "review_rows"  # {(program_id, version): DataFrame of answers}, kept across page switches
BASE = "review_base"  # {program_id: the version this review started from}
SAVED = "review_saved"  # (patient_id, program_id, version) of the last version saved here
AS_PROPOSED = "As proposed"
# The one-click choices beside each proposal (the table of changes below uses the longer ACTION_LABELS).
CHOICE_LABELS = {AS_PROPOSED: AS_PROPOSED, Action.PROGRESS: "Progress", Action.HOLD: "Hold", Action.LESS: "Do less",
                 Action.EASIER: "Easier exercise"}
ADVICE_BADGE = {Advice.PROGRESS: "green", Advice.HOLD: "orange", Advice.REGRESS: "red"}

repo = repository()


def open_build(patient_id: int, program_id: int | None) -> None:
    st.session_state[CURRENT_PATIENT] = st.session_state["review_seen_patient"] = patient_id
    if program_id is None:
        st.session_state.pop(CURRENT_PROGRAM, None)
    else:
        st.session_state[CURRENT_PROGRAM] = st.session_state["review_seen_program"] = program_id
    st.switch_page("app_pages/build.py")


def choose_patient(search_col, pick_col) -> PatientRecord | None:
    text = kept(search_col.text_input, "Find the patient", "review_search", "", max_chars=200,
                placeholder="Type part of a name, e.g. zoe or obrien")
    found = attempt(lambda: services.patients.find_patients(text, repo=repo, limit=50), doing="search for patients")
    if found is None:
        return None
    found = with_handed_patient(found, text, repo, include_archived=False)
    if not found:
        pick_col.info("No active patient matches this search. Check the spelling, or find archived patients on "
                      "the **Patients** page.")
        return None
    by_id = {p.id: p for p in found}
    keep_choice("review_patient", list(by_id), default=st.session_state.get(CURRENT_PATIENT))
    chosen = kept(pick_col.selectbox, "Patient", "review_patient", None, options=list(by_id),
                  format_func=lambda pid: patient_label(by_id[pid]))
    return by_id[chosen]


def choose_program(patient: PatientRecord) -> ProgramSummary | None:
    programs = attempt(lambda: services.programs.list_programs(repo=repo, patient_id=patient.id),
                       doing="list the programs")
    if programs is None:
        return None
    if not programs:
        st.info(f"{md(patient.name)} has no program yet. Build one on **Build program**, then review it at the "
                "next visit.", icon=":material/edit_note:")
        if st.button("Build a program for this patient", type="primary", key="review_build_first"):
            open_build(patient.id, None)
        return None
    by_id = {p.id: p for p in programs}
    labels = program_labels(programs)
    keep_choice("review_program", list(by_id), default=st.session_state.get(CURRENT_PROGRAM))
    chosen = kept(st.selectbox, "Program", "review_program", None, options=list(by_id), format_func=labels.get)
    return by_id[chosen]


def decision_key(program_id: int, version: int, row: int) -> str:
    return f"review_decision_{program_id}_{version}_{row}"


def anything_entered(program_id: int, version: int) -> bool:
    rows = st.session_state.get(ROWS, {}).get((program_id, version))
    if rows is not None and rows[[PAIN, MORNING, FORM]].notna().any().any():
        return True
    prefix = f"review_decision_{program_id}_{version}_"
    return any(k.startswith(prefix) and v != AS_PROPOSED for k, v in st.session_state.items())


def base_version(summary: ProgramSummary) -> int:
    """The version this review works on: the newest when the review started, until it is saved. With nothing
    entered yet, a newer version simply replaces it."""
    bases = st.session_state.setdefault(BASE, {})
    base = bases.setdefault(summary.id, summary.current_version)
    if base < summary.current_version and not anything_entered(summary.id, base):
        bases[summary.id] = base = summary.current_version
    return base


def carry_to_newest(summary: ProgramSummary, old_version: int, old: Program, new: Program,
                    library: ExerciseLibrary) -> None:
    """Move the answers and decisions typed against ``old_version`` onto the newest version, then review that."""
    old_ids, new_ids = [i.exercise for i in old.items], [i.exercise for i in new.items]
    rows = st.session_state.setdefault(ROWS, {})
    old_rows = rows.get((summary.id, old_version), blank_rows(old, library))
    rows[(summary.id, summary.current_version)] = carried_over(old_rows, old_ids, blank_rows(new, library), new_ids)
    for row, match in matched_rows(old_ids, new_ids).items():
        previous = st.session_state.get(decision_key(summary.id, old_version, match))
        if previous is not None:
            st.session_state[decision_key(summary.id, summary.current_version, row)] = previous
    st.session_state[BASE][summary.id] = summary.current_version
    st.session_state.pop("review_conflict", None)


def newer_version_notice(summary: ProgramSummary, base: int, program: Program, library: ExerciseLibrary) -> None:
    conflict = st.session_state.get("review_conflict") == summary.id
    lead = ("Your review was not saved: someone saved" if conflict else "Someone saved")
    st.warning(
        f"{lead} version {summary.current_version} of this program after you started this review from version "
        f"{base}. Nothing was overwritten and your entries are kept. Carry them over to version "
        f"{summary.current_version}, check the proposals again, and save.",
        icon=":material/sync_problem:",
    )
    if st.button(f"Carry my entries over to version {summary.current_version}", key="review_carry", type="primary"):
        newest = attempt(lambda: services.programs.get_version(summary.id, repo=repo), doing="open the newest version")
        if newest is not None:
            carry_to_newest(summary, base, program, newest[1], library)
            st.rerun()


def grid_key(program_id: int, version: int) -> str:
    return f"review_grid_{program_id}_{version}"


def fill_rows(program_id: int, version: int, chosen: list[int], pain: int | None, morning: str | None,
              form: str | None) -> None:
    rows = st.session_state[ROWS]
    rows[(program_id, version)] = same_for_rows(rows[(program_id, version)], chosen, pain, morning, form)
    st.session_state.pop(grid_key(program_id, version), None)  # the table starts again from the filled rows


def same_answer_bar(summary: ProgramSummary, version: int, names: list[str]) -> None:
    """One answer for many exercises at once (often every exercise went alike); single rows can differ after."""
    prefix = f"review_same_{summary.id}_{version}"
    with st.container(border=True):
        chosen = st.pills("Exercises", list(range(len(names))), selection_mode="multi", key=f"{prefix}_rows",
                          default=list(range(len(names))), format_func=lambda row: names[row],
                          help="The exercises the answers below go to; all of them at first.")
        with st.container(horizontal=True, vertical_alignment="bottom"):
            pain = st.number_input("Pain (0-10)", min_value=0, max_value=10, step=1, value=None,
                                   key=f"{prefix}_pain", placeholder="0 to 10", width=150)
            morning = st.selectbox("Next morning", list(MORNINGS), index=None, key=f"{prefix}_morning",
                                   placeholder="Choose", width=170)
            form = st.selectbox("Good form", list(FORMS), index=None, key=f"{prefix}_form", placeholder="Choose",
                                width=150)
            every = len(chosen) == len(names)
            st.button("Same answer for every exercise" if every else f"Same answer for these {len(chosen)}",
                      key=f"{prefix}_go", icon=":material/done_all:", on_click=fill_rows,
                      disabled=not chosen or (pain is None and morning is None and form is None),
                      args=(summary.id, version, list(chosen), pain, morning, form),
                      help="Fills these answers into the chosen rows of the table below; change single rows after.")


def checkin_grid(summary: ProgramSummary, version: int, program: Program, library: ExerciseLibrary) -> pd.DataFrame:
    rows = st.session_state.setdefault(ROWS, {})
    stored = rows.get((summary.id, version))
    if stored is None:
        stored = rows[(summary.id, version)] = prefill_review(blank_rows(program, library), program, summary.id,
                                                              version)
    prefill_note(summary.id, version)
    same_answer_bar(summary, version, [library.get(item.exercise).name for item in program.items])
    edited = st.data_editor(
        stored,
        key=grid_key(summary.id, version),
        hide_index=True,
        width="stretch",
        height="content",  # every exercise in view: no scrolling inside the table
        num_rows="fixed",
        placeholder="",
        column_config={
            EXERCISE: st.column_config.TextColumn(EXERCISE, disabled=True, pinned=True,
                                                  width=column_width(EXERCISE, list(stored[EXERCISE]))),
            DOSE: st.column_config.TextColumn(DOSE, disabled=True, width=column_width(DOSE, list(stored[DOSE]))),
            PAIN: st.column_config.NumberColumn(PAIN, min_value=0, max_value=10, step=1, width=ANSWER_WIDTHS[PAIN],
                                                help="Worst pain during the exercise: 0 is none, 10 the worst."),
            MORNING: st.column_config.SelectboxColumn(MORNING, options=list(MORNINGS), width=ANSWER_WIDTHS[MORNING],
                                                      help="The knee the next morning, compared with usual."),
            FORM: st.column_config.SelectboxColumn(FORM, options=list(FORMS), width=ANSWER_WIDTHS[FORM],
                                                   help="All sets done with good form: knee over the foot, "
                                                   "pelvis level."),
        },
    )
    rows[(summary.id, version)] = edited  # kept outside the widget, so a page switch loses nothing
    return edited


def decisions(summary: ProgramSummary, version: int, program: Program, library: ExerciseLibrary,
              answers: pd.DataFrame) -> list[Action | None]:
    """Show each proposal with its reason and let the clinician accept or override it with one click."""
    chosen: list[Action | None] = []
    options = [AS_PROPOSED, *Action]
    for row, (item, check_in) in enumerate(zip(program.items, check_ins(answers), strict=True)):
        name_col, proposal_col, decision_col = st.columns([2, 3.2, 4.8], vertical_alignment="center")
        name_col.markdown(f"**{md(library.get(item.exercise).name)}**")
        proposal = propose(check_in, item, library, program.pain_rule) if check_in else None
        with proposal_col:
            if proposal is None:
                st.caption("No answers yet.")
            else:
                st.markdown(f":{ADVICE_BADGE[proposal.advice]}-badge[{ACTION_LABELS[proposal.action]}] "
                            + md(proposal.reason))
        key = decision_key(summary.id, version, row)
        keep_choice(key, options, default=AS_PROPOSED)
        decision = kept(decision_col.segmented_control, f"Decision for {library.get(item.exercise).name}", key,
                        AS_PROPOSED, options=options, label_visibility="collapsed", required=True,
                        format_func=CHOICE_LABELS.get)
        if decision != AS_PROPOSED:
            chosen.append(decision)
        else:
            chosen.append(proposal.action if proposal else None)
    return chosen


def after_in_words(change: ItemChange, library: ExerciseLibrary) -> str:
    if not change.changed:
        return "No change"
    moved = change.after.exercise != change.before.exercise
    return item_in_words(change.after, library, with_name=moved)


def changes_table(changes: list[ItemChange], library: ExerciseLibrary) -> None:
    """A static table, so long doses wrap and the clinician can read every one before saving."""
    st.table(
        pd.DataFrame(
            {
                "Exercise": [library.get(c.before.exercise).name for c in changes],
                "Decision": [ACTION_LABELS[c.action] for c in changes],
                "Before": [item_in_words(c.before, library, with_name=False) for c in changes],
                "After": [after_in_words(c, library) for c in changes],
                "Note": [c.note for c in changes],
            }
        ),
        hide_index=True,
        border="horizontal",
    )


def save_review(summary: ProgramSummary, patient: PatientRecord, version: int, program: Program,
                library: ExerciseLibrary, actions: list[Action], answers: pd.DataFrame) -> None:
    date_col, button_col = st.columns([1, 3], vertical_alignment="bottom")
    start = kept(date_col.date_input, "The new week-by-week plan starts on", f"review_start_{summary.id}_{version}",
                 dt.date.today(), format=DATE_INPUT, min_value=dt.date(2000, 1, 1))
    if not button_col.button(f"Save as version {version + 1}", type="primary", key="review_save",
                             icon=":material/save:"):
        return
    following = apply_review(program, actions, library, start_date=start)
    visit = review_record(answers, [item.exercise for item in program.items], actions)

    def save() -> VersionInfo | ConflictError:
        try:
            return services.programs.save_program(following, repo=repo, actor=actor(), program_id=summary.id,
                                        base_version=version, review=visit)
        except ConflictError as exc:
            return exc

    saved = attempt(save, doing="save the new version")
    if isinstance(saved, ConflictError):
        st.session_state["review_conflict"] = summary.id
        st.rerun()
    if saved is not None:
        st.session_state[BASE][summary.id] = saved.version
        st.session_state[ROWS].pop((summary.id, version), None)
        forget(*(decision_key(summary.id, version, row) for row in range(len(program.items))))
        st.session_state[SAVED] = (patient.id, summary.id, saved.version)
        flash(FLASH, f"Saved version {saved.version}. Download its handout or open it in Build program below; "
                     "the review below starts again from this version.")
        st.rerun()


def after_save(patient: PatientRecord, summary: ProgramSummary) -> None:
    """What to do with the version just saved, right here: download or email its handout, or open it on Build."""
    saved = st.session_state.get(SAVED)
    if not saved or saved[:2] != (patient.id, summary.id):
        return
    number = saved[2]
    row = st.container(horizontal=True)
    with row:
        download_handout(key=f"review_pdf_{summary.id}_{number}",
                         ids=(patient.id, summary.id, number), label=f"Download PDF of version {number}")
    if row.button("Open in Build program", key="review_open_build", icon=":material/edit_note:"):
        open_build(patient.id, summary.id)
    key = f"review_email_{summary.id}_{number}"
    box = st.expander(f"Email version {number} to the patient", key=f"{key}_open", icon=":material/mail:",
                      on_change="rerun")
    if box.open:  # it reads the email settings and may send; only while open
        with box:
            loaded = attempt(lambda: services.programs.get_version(summary.id, number, repo=repo),
                             doing="open the version")
            if loaded is not None:
                email_form(program_id=summary.id, version=number, program=loaded[1], patient=patient, key=key)


def review(patient: PatientRecord, summary: ProgramSummary) -> None:
    library = clinic_library(repo)
    version = base_version(summary)
    loaded = attempt(lambda: services.programs.view_version(summary.id, version, repo=repo, actor=actor()),
                     doing="open the program")
    if loaded is None:
        return
    info, program = loaded
    after_save(patient, summary)
    author = md(authors()[info.author])
    st.caption(f"Reviewing version {info.version}, saved by {author} on {saved_at(info.created_at)}. "
               f"Pain limits: up to {program.pain_rule.green_max}/10 is fine, above "
               f"{program.pain_rule.amber_max}/10 is too much.")
    if summary.current_version > version:
        newer_version_notice(summary, version, program, library)

    st.markdown("#### 1. How did each exercise go?")
    answers = checkin_grid(summary, version, program, library)
    st.markdown("#### 2. Proposals")
    actions = decisions(summary, version, program, library, answers)
    st.markdown("#### 3. Check the changes and save")
    missing = [library.get(item.exercise).name for item, a in zip(program.items, actions, strict=True) if a is None]
    if len(missing) == len(actions):
        st.info("Enter pain, the next morning and form for each exercise in step 1 (or choose a decision in step "
                "2) to see the new doses here.")
        return
    if missing:
        st.info("Still to do: enter how it went, or choose a decision, for " + md(", ".join(missing)) + ".")
        return
    changes_table(plan_review(program, actions, library), library)
    save_review(summary, patient, version, program, library, actions, answers)


st.title("Review visit")
wide_working_page()
st.caption("Ask how each exercise went since the last visit. The app proposes a change for each one; accept it "
           "or choose another, then save the next version of the program.")
show_flash(FLASH)
anyone = attempt(lambda: services.patients.find_patients(repo=repo, limit=1), doing="look up patients")
if anyone is None:
    st.stop()
if not anyone:
    st.info("There are no patients yet. Add a patient and build their program on **Build program** first; "
            "then review it here at their next visit.", icon=":material/person_add:")
    if st.button("Go to Build program", type="primary", key="review_go_build"):
        st.switch_page("app_pages/build.py")
    st.stop()

follow_handover("review_seen_patient", CURRENT_PATIENT, "review_search", "review_patient")
follow_handover("review_seen_program", CURRENT_PROGRAM, "review_program")
search_col, pick_col, program_col = st.columns([1, 1.3, 1.3])
patient = choose_patient(search_col, pick_col)
if patient is None:
    st.stop()
hand_over_patient(patient.id, "review_seen_patient")
with program_col:
    summary = choose_program(patient)
if summary is None:
    st.stop()
review(patient, summary)
