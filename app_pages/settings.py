"""Clinic settings: the name, colour, logo and contact details every handout carries, with a live preview of
the handout's first page; default paper and print size; the emails to patients; the email server's status."""

import json

import streamlit as st

from rehab import services
from rehab.content.readability import GRADE_LIMIT, HINT, describe, grade
from rehab.domain.clinic import MAX_EMERGENCY_NUMBER, Clinic, ClinicError, default_clinic
from rehab.domain.email_template import DEFAULT_BODY_TEMPLATE, DEFAULT_SUBJECT_TEMPLATE, PLACEHOLDERS
from rehab.images import check_image
from rehab.services.clinic import EMERGENCY_HELP, build_clinic, email_example, first_page_png
from ui import email as settings_email
from ui.build.fields import LANGUAGE_NAMES
from ui.context import actor, attempt, repository
from ui.text import md
from ui.widgets import kept, set_kept

LOADED = "settings_loaded"  # the form holds the stored profile (or the user's edits of it)
LOGO = "settings_logo"  # {"bytes": the logo in the form, "file": last uploaded file id, "error": message}
NOTICE = "settings_notice"
KEYS = {
    "name": "settings_name",
    "primary_color": "settings_color",
    "address": "settings_address",
    "phone": "settings_phone",
    "emergency_number": "settings_emergency",
    "email": "settings_email",
    "website": "settings_website",
    "footer_note": "settings_footer",
    "default_paper": "settings_paper",
    "large_print": "settings_large",
    "handout_layout": "settings_layout",
    "language": "settings_language",
    "link_weeks_after_end": "settings_link_weeks",
    "email_subject_template": "settings_subject",
    "email_body_template": "settings_body",
}
PAPERS = {"a4": "A4", "letter": "Letter"}
LAYOUTS = {"compact": "Compact: a fridge sheet, then three exercises a page",
           "booklet": "Booklet: one exercise a page, with every tip"}


def _stored() -> Clinic | None:
    return attempt(lambda: services.clinic.get_clinic(repo=repository()), doing="load the clinic settings")


def _load(clinic: Clinic) -> None:
    """Put a profile into the form (before its widgets are drawn)."""
    values = clinic.model_dump(mode="json", exclude={"logo", "format"})
    for field, key in KEYS.items():
        set_kept(key, values[field])
    st.session_state[LOGO] = {"bytes": clinic.logo, "file": None, "error": None}
    st.session_state[LOADED] = True


def _discard() -> None:
    st.session_state[LOADED] = False
    st.session_state[NOTICE] = "Your changes were discarded; the form shows the saved settings."


def _values() -> dict:
    values = {field: st.session_state.get(key) for field, key in KEYS.items()}
    return values | {"logo": st.session_state[LOGO]["bytes"]}


@st.cache_data(show_spinner=False, max_entries=16)
def _checked(fields: str, logo: bytes | None) -> tuple[Clinic | None, list[str]]:
    """The form's values as a Clinic, or the problems; cached because checking a large logo decodes it."""
    try:
        return build_clinic({**json.loads(fields), "logo": logo}), []
    except ClinicError as exc:
        return None, exc.problems


@st.cache_data(show_spinner="Drawing the preview…", max_entries=16)
def _preview(fields: str, logo: bytes | None) -> bytes:
    return first_page_png(Clinic.model_validate({**json.loads(fields), "logo": logo}))


def _logo_input() -> None:
    logo = st.session_state[LOGO]
    upload = st.file_uploader("Logo: PNG or JPEG, at most 5 MB; transparent backgrounds are kept",
                              type=["png", "jpg", "jpeg"], key="settings_logo_upload", max_upload_size=5)
    if upload is not None and upload.file_id != logo["file"]:
        logo["file"] = upload.file_id
        try:
            check_image(upload.getvalue())
        except ValueError as exc:
            logo["error"] = f"This logo cannot be used: {exc}. The logo you had is kept."
        else:
            logo.update(bytes=upload.getvalue(), error=None)
    if logo["error"]:
        st.error(md(logo["error"]))
    if logo["bytes"]:
        shown, remove = st.columns([2, 3], vertical_alignment="center")
        shown.image(logo["bytes"], width=140, alt="Your clinic's logo")
        if remove.button("Remove logo", key="settings_logo_remove", icon=":material/delete:"):
            logo.update(bytes=None, error=None)
            st.rerun()
    else:
        st.caption("No logo: handouts show the app's own knee mark beside your clinic name.")


def _email_templates(clinic: Clinic | None) -> None:
    st.markdown("**Emails to patients**")
    names = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
    st.caption(f"Leave these empty to use the standard email. You can use {md(names)}. A line whose placeholder "
               "has no value (for example no phone number) is left out.")
    kept(st.text_input, "Subject", key=KEYS["email_subject_template"], default="", max_chars=200,
         placeholder=DEFAULT_SUBJECT_TEMPLATE)
    body = kept(st.text_area, "Text", key=KEYS["email_body_template"], default="", max_chars=10_000, height=240,
                placeholder=DEFAULT_BODY_TEMPLATE)
    if body.strip():
        level = grade(body)
        note = f"Reading level of your text: {describe(level)}."
        if level > GRADE_LIMIT:
            st.warning(f"{note} Aim for grade {GRADE_LIMIT:.0f} or below. {HINT}")
        else:
            st.caption(note)
    if clinic is not None:
        with st.expander("What a patient receives"):
            subject, text = email_example(clinic)
            st.text(f"Subject: {subject}\n\n{text}")


def _save(values: dict) -> None:
    try:
        clinic = build_clinic(values)
    except ClinicError as exc:
        st.error("Please fix these before saving:\n" + "\n".join(f"- {md(p)}" for p in exc.problems))
        return
    saved = attempt(lambda: services.clinic.save_clinic(clinic, repo=repository(), actor=actor()) or True,
                    doing="save the clinic settings")
    if saved:
        st.session_state[NOTICE] = "Saved. Every handout made from now on uses these settings."
        st.rerun()


stored = _stored()
if not st.session_state.get(LOADED):
    _load(stored or default_clinic())

st.title("Clinic settings")
st.caption("Your clinic's name, colour, logo and contact details go on every handout. The preview shows the "
           "first page as it will print; press Save to keep your changes.")
if stored is None:
    st.info("Your clinic is not set up yet. Start with its name, phone number and logo, then press Save. "
            "Until then handouts show “Your physiotherapy clinic”.")
if st.session_state.get(NOTICE):
    st.success(md(st.session_state.pop(NOTICE)))

form, preview = st.columns([5, 4], gap="large")
with form:
    with st.container(border=True):
        st.markdown("**Branding**")
        name_col, colour_col = st.columns([4, 1])
        with name_col:
            kept(st.text_input, "Clinic name", key=KEYS["name"], max_chars=120)
        with colour_col:
            kept(st.color_picker, "Brand colour", key=KEYS["primary_color"])
        _logo_input()
    with st.container(border=True):
        st.markdown("**Contact details** (printed on every page, so patients can reach you)")
        kept(st.text_area, "Address", key=KEYS["address"], max_chars=400, height=80)
        phone_col, email_col = st.columns(2)
        with phone_col:
            kept(st.text_input, "Phone", key=KEYS["phone"], max_chars=40)
        with email_col:
            kept(st.text_input, "Email", key=KEYS["email"], max_chars=254)
        kept(st.text_input, "Emergency number (for urgent care)", key=KEYS["emergency_number"],
             max_chars=MAX_EMERGENCY_NUMBER, help=EMERGENCY_HELP)
        kept(st.text_input, "Website (a QR code on the handout opens it)", key=KEYS["website"], max_chars=200)
        kept(st.text_input, "Footer note (one short line on every page)", key=KEYS["footer_note"], max_chars=200)
    with st.container(border=True):
        st.markdown("**Printing**")
        paper_col, large_col = st.columns(2)
        with paper_col:
            kept(st.radio, "Default paper size", key=KEYS["default_paper"], options=list(PAPERS),
                 format_func=PAPERS.get, horizontal=True)
        with large_col:
            kept(st.toggle, "Large print (16 pt)", key=KEYS["large_print"],
                 help="Handouts use large print unless you choose otherwise when you make one.")
        kept(st.radio, "Handout layout", key=KEYS["handout_layout"], options=list(LAYOUTS), format_func=LAYOUTS.get,
             help="The layout new handouts start with; you can still choose the other one when you make one.")
        kept(st.selectbox, "Handout language", key=KEYS["language"], options=list(LANGUAGE_NAMES),
             format_func=LANGUAGE_NAMES.get,
             help="For programs that name no language; choose a patient's own language on Build program. "
                  "Translations are marked 'needs clinical review' until a native-speaking physio has read them.")
    with st.container(border=True):
        st.markdown("**Patient links**")
        kept(st.number_input, "Weeks a patient link keeps working after the program ends",
             key=KEYS["link_weeks_after_end"], min_value=1, max_value=52, step=1,
             help="For new and renewed links. A link always works for at least a week after it is made.")
    values = _values()
    draft, problems = _checked(json.dumps({k: v for k, v in values.items() if k != "logo"}), values["logo"])
    with st.container(border=True):
        _email_templates(draft)

    changed = draft is None or draft != (stored or default_clinic())
    save_col, discard_col, state_col = st.columns([2, 2, 3], vertical_alignment="center")
    if save_col.button("Save settings", key="settings_save", type="primary", width="stretch"):
        _save(values)
    discard_col.button("Discard changes", key="settings_discard", on_click=_discard, disabled=not changed,
                       width="stretch")
    state_col.caption("Not saved yet." if stored is None else
                      "You have unsaved changes." if changed else "Everything is saved.")

with preview:
    st.markdown("**Preview: page 1 of a handout**")
    if draft is None:
        st.warning("The preview returns when these are fixed:\n" + "\n".join(f"- {md(p)}" for p in problems))
    else:
        fields = draft.model_dump_json(exclude={"logo", "email_subject_template", "email_body_template"})
        image = attempt(lambda: _preview(fields, draft.logo), doing="draw the preview")
        if image:
            st.image(image, width="stretch", output_format="PNG",  # PNG: text stays crisp
                     caption="A sample program for a sample patient, with your settings.",
                     alt="Page 1 of a sample handout with your clinic's name, colour, logo and contact details")
    with st.container(border=True):
        settings_email.draw()
