"""First run: the database has no account yet. Name the clinic and make its admin account; the sign-in page follows
(signing in sets the session cookie, which only the sign-in form's route can do).

There is no default account or password. Once any account exists this page is never shown again (app.py), and
rehab.services.accounts refuses a second setup even if two browsers submit at the same moment.
"""

import streamlit as st

from rehab.domain.clinic import DEFAULT_EMERGENCY_NUMBER, MAX_EMERGENCY_NUMBER
from rehab.security.passwords import MIN_LENGTH
from rehab.services import accounts
from rehab.services.accounts import AccountError
from rehab.services.clinic import EMERGENCY_HELP
from ui import auth_session
from ui.context import accounts_repository, attempt
from ui.text import md

KEYS = {"clinic": "setup_clinic", "emergency": "setup_emergency", "name": "setup_name",
        "email": "setup_email", "password": "setup_password",
        "again": "setup_password_again"}
PROBLEMS = "setup_problems"


def _submit() -> None:
    values = {field: st.session_state.get(key, "") for field, key in KEYS.items()}
    for secret in ("password", "again"):
        st.session_state[KEYS[secret]] = ""  # typed again after a problem; never kept in the session
    if values["password"] != values["again"]:
        st.session_state[PROBLEMS] = ["Password: the two passwords are not the same. Type them again."]
        return

    def create():
        try:
            return accounts.create_clinic_with_admin(values["clinic"], values["email"], values["name"],
                                                     values["password"], repo=accounts_repository(),
                                                     emergency_number=values["emergency"])
        except AccountError as exc:
            st.session_state[PROBLEMS] = exc.problems
            return None

    if attempt(create, doing="set up the clinic") is not None:
        auth_session.clear("Your clinic is set up. Sign in with the email and password you just chose.")


_, middle, _ = st.columns([1, 1.6, 1])
with middle:
    st.title("Set up your clinic")
    st.markdown("Welcome. Nobody has an account yet, so start by naming your clinic and making your own account. "
                "You will be its **admin**: you can add the other clinicians and change the clinic's settings.")
    with st.form("setup_form", border=True):
        st.text_input("Clinic name", key=KEYS["clinic"], max_chars=accounts.CLINIC_NAME_MAX,
                      placeholder="e.g. Riverside Physio")
        if KEYS["emergency"] not in st.session_state:
            st.session_state[KEYS["emergency"]] = DEFAULT_EMERGENCY_NUMBER
        st.text_input("Emergency number", key=KEYS["emergency"], max_chars=MAX_EMERGENCY_NUMBER,
                      help=EMERGENCY_HELP)
        st.text_input("Your name", key=KEYS["name"], max_chars=200, autocomplete="name")
        st.text_input("Your email (you sign in with it)", key=KEYS["email"], max_chars=254, autocomplete="username",
                      placeholder="you@example.org")
        st.text_input("Password", key=KEYS["password"], type="password", max_chars=1024,
                      autocomplete="new-password",
                      help=f"At least {MIN_LENGTH} characters. A few plain words make a good password.")
        st.text_input("Password again", key=KEYS["again"], type="password", max_chars=1024,
                      autocomplete="new-password")
        st.form_submit_button("Create the clinic and my account", type="primary", on_click=_submit,
                              icon=":material/rocket_launch:")
    problems = st.session_state.pop(PROBLEMS, None)
    if problems:
        st.error("Nothing was saved yet. Please fix these:\n" + "\n".join(f"- {md(p)}" for p in problems),
                 icon=":material/error:")
    st.caption("Prefer the command line? `python -m rehab user add --help` shows how to do the same there.")
