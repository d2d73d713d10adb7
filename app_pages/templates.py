"""Program templates: the built-in ones (read-only; copy one to your clinic) and your clinic's own (edit, duplicate,
retire or restore, export and import as JSON, start a program from one). Clinic templates are shared by everyone in
the clinic and by no one else."""

import zlib

import pandas as pd
import streamlit as st

from rehab.content.content import load_education, load_templates
from rehab.errors import RehabError
from rehab.services import clinic_templates
from rehab.services.clinic_templates import ClinicTemplate
from ui.build import cache
from ui.build import state as build_state
from ui.context import actor, attempt, repository
from ui.dates import day
from ui.templates.preview import in_form_words, phase_name, show_template
from ui.text import md

NOTICE = "templates_notice"
CHOICE = "templates_clinic_choice"  # the chosen clinic template's id (not a widget key: see clinic_tab)
PICK_NEXT = "templates_pick_next"  # the clinic template to select on the next run (after copy, duplicate, import)
SHOW_RETIRED = "templates_show_retired"
BUILD_TEMPLATE = "build_start_template"  # the Build page's template choice (ui.build.start.TEMPLATE)

library = cache.library()
built_in = load_templates()


def done(message: str, template: ClinicTemplate | None = None) -> None:
    st.session_state[NOTICE] = message
    if template is not None:
        st.session_state[PICK_NEXT] = template.id
    st.rerun()


def run(action, doing: str, *, form: bool = False):
    """A service call with plain errors; a list of problems (e.g. an import) is shown one per line, naming the
    form's labels for a form and the JSON field names for a file."""
    def checked():
        try:
            return action()
        except RehabError as exc:
            problems = getattr(exc, "problems", None) or [str(exc)]
            if form:
                problems = [in_form_words(p) for p in problems]
            st.error(f"Could not {doing}:\n" + "\n".join(f"- {md(p)}" for p in problems), icon=":material/error:")
            return None

    return attempt(checked, doing=doing)  # anything else: the app's plain message, details in the server log


def builtin_tab() -> None:
    st.caption("Written and checked by the app's authors. They cannot be changed: copy one to your clinic to make "
               "it your own.")
    chosen = st.selectbox("Built-in template", list(built_in), key="template_preview",
                          format_func=lambda t: built_in[t].title)
    if st.button("Copy to clinic", key="templates_copy", icon=":material/content_copy:",
                 help="Add an editable copy to your clinic's templates."):
        copied = run(lambda: clinic_templates.copy_builtin(chosen, repo=repository(), actor=actor()),
                     doing="copy the template")
        if copied is not None:
            done(f"Copied “{copied.title}” to your clinic's templates.", copied)
    show_template(built_in[chosen], library)


def overview(templates: list[ClinicTemplate]) -> None:
    st.dataframe(
        pd.DataFrame({
            "Title": [t.title for t in templates],
            "Phase": [phase_name(t.document.phase) for t in templates],
            "Weeks": [t.document.duration_weeks for t in templates],
            "Exercises": [len(t.document.items) for t in templates],
            "Status": ["Retired" if t.retired else "In use" for t in templates],
            "Changed": [day(t.updated_at) for t in templates],
        }),
        hide_index=True, width="stretch",
    )


def actions(template: ClinicTemplate) -> None:
    start_col, copy_col, retire_col, export_col = st.columns(4)
    if start_col.button("Start a program", key="templates_start", type="primary", icon=":material/assignment:",
                        disabled=template.retired, width="stretch",
                        help="Open the Build page with this template chosen; pick the patient there."):
        st.session_state[BUILD_TEMPLATE] = template.ref
        st.session_state[build_state.NOTICE] = (f"“{template.title}” is chosen under 2. Start. Pick the patient "
                                                "(or press Start something else), then Start from this template.")
        st.switch_page("app_pages/build.py")
    if copy_col.button("Duplicate", key="templates_duplicate", icon=":material/control_point_duplicate:",
                       width="stretch"):
        copy = run(lambda: clinic_templates.duplicate_clinic_template(template.id, repo=repository(),
                                                                      actor=actor()), doing="duplicate the template")
        if copy is not None:
            done(f"Made “{copy.title}”.", copy)
    retired = template.retired
    label, icon = ("Restore", ":material/unarchive:") if retired else ("Retire", ":material/archive:")
    tip = None if retired else "Take it off the Build page's list. Programs started from it are not changed."
    if retire_col.button(label, key=f"templates_{label.lower()}", icon=icon, width="stretch", help=tip):
        change = clinic_templates.restore_clinic_template if retired else clinic_templates.retire_clinic_template
        if run(lambda: change(template.id, repo=repository(), actor=actor()),
               doing=f"{label.lower()} the template") is not None:
            done(f"Restored “{template.title}”: it is listed on the Build page again." if retired
                 else f"Retired “{template.title}”. Turn on “Show retired” to find it again.")
    export_col.download_button("Export JSON", data=clinic_templates.dumps_template(template.document),
                               file_name=f"template-{template.id}.json", mime="application/json",
                               key="templates_export", icon=":material/download:", on_click="ignore",
                               width="stretch")


def edit_form(template: ClinicTemplate) -> None:
    document = template.document
    topics = {topic_id: topic.title for topic_id, topic in load_education().items()}
    with st.form(f"templates_edit_{template.id}"):
        title = st.text_input("Title", value=document.title, max_chars=200)
        phase_col, weeks_col = st.columns(2)
        phases = list(type(document.phase))
        phase = phase_col.selectbox("Phase", phases, index=phases.index(document.phase), format_func=phase_name)
        weeks = weeks_col.number_input("Weeks", min_value=1, max_value=52, value=document.duration_weeks)
        summary = st.text_area("Purpose (printed for the patient)", value=document.summary, max_chars=800)
        move_on = st.text_area("Criteria for the next stage, one per line", value="\n".join(document.move_on))
        education = st.multiselect("Education topics in the handout", list(topics), default=list(document.education),
                                   format_func=lambda t: topics[t])
        notes = st.text_area("Notes for the physio (not printed)", value=document.notes, max_chars=2000)
        st.caption("To change exercises or doses: start a program from this template, change it on the Build page, "
                   "and save it as a clinic template.")
        if not st.form_submit_button("Save changes", type="primary", icon=":material/save:"):
            return
    changes = {"title": title.strip(), "phase": phase.value, "duration_weeks": int(weeks), "summary": summary.strip(),
               "move_on": [line.strip() for line in move_on.splitlines() if line.strip()],
               "education": education, "notes": notes.strip()}
    saved = run(lambda: clinic_templates.update_clinic_template(template.id, changes, repo=repository(),
                                                                actor=actor(), seen_at=template.updated_at),
                doing="save the changes", form=True)
    if saved is not None:
        done(f"Saved “{saved.title}”.")


def clinic_tab() -> None:
    st.caption("Your clinic's own starting points. Everyone in your clinic can use and change them; other clinics "
               "never see them.")
    show_retired = st.toggle("Show retired", key=SHOW_RETIRED)
    templates = attempt(lambda: clinic_templates.list_clinic_templates(repo=repository(),
                                                                       include_retired=show_retired),
                        doing="list the clinic templates")
    if not templates:
        st.info("No clinic templates yet. Copy a built-in one, press “Save as clinic template” on the Build page, "
                "or import a JSON file.", icon=":material/info:")
        return
    overview(templates)
    by_id = {t.id: t for t in templates}
    wanted = st.session_state.pop(PICK_NEXT, None)
    if wanted in by_id:
        st.session_state[CHOICE] = wanted
    if st.session_state.get(CHOICE) not in by_id:
        st.session_state[CHOICE] = templates[0].id
    # The widget's key follows the titles: a renamed template is shown by its new name at once (a kept widget
    # would show the label it had when it was first drawn).
    labels = {i: t.title + ("  (retired)" if t.retired else "") for i, t in by_id.items()}
    key = f"templates_pick_{zlib.crc32(repr(sorted(labels.items())).encode())}"
    ids = list(by_id)
    chosen = st.selectbox("Clinic template", ids, index=ids.index(st.session_state[CHOICE]), key=key,
                          format_func=labels.get)
    st.session_state[CHOICE] = chosen
    template = by_id[chosen]
    actions(template)
    if template.retired:
        st.info("This template is retired: restore it to change it or start programs from it.",
                icon=":material/archive:")
    else:
        with st.expander("Edit title, phase, purpose, criteria, education and notes", icon=":material/edit:"):
            edit_form(template)
    show_template(template.as_template(), library)


def import_tab() -> None:
    st.caption("Add a template from a rehab.template/1 JSON file, e.g. one exported by another clinic. Every field "
               "is checked; its exercises must be built-in or in your clinic's library.")
    upload = st.file_uploader("Template file (JSON)", type=["json"], key="templates_upload", max_upload_size=2)
    pasted = st.text_area("Or paste the JSON here", key="templates_paste", height=120)
    if st.button("Import", key="templates_import", icon=":material/upload:", disabled=upload is None and not pasted):
        source = upload.getvalue() if upload is not None else pasted
        imported = run(lambda: clinic_templates.import_template(source, repo=repository(), actor=actor()),
                       doing="import the template")
        if imported is not None:
            st.session_state.pop("templates_paste", None)
            done(f"Imported “{imported.title}” into your clinic's templates.", imported)


st.title("Program templates")
st.caption("Starting points to edit for each patient, from settling the knee to running again.")
notice = st.session_state.pop(NOTICE, None)
if notice:
    st.success(md(notice), icon=":material/check_circle:")
clinic, builtin, into = st.tabs(["Your clinic's templates", "Built-in templates", "Import JSON"])
with clinic:
    clinic_tab()
with builtin:
    builtin_tab()
with into:
    import_tab()
