"""Your password: every signed-in person changes their own, typing the current one first."""

import streamlit as st

from rehab import accounts
from rehab.accounts import AccountError
from rehab.passwords import MIN_LENGTH
from ui.context import attempt, repository, signed_in
from ui.text import md

KEYS = {"current": "password_current", "new": "password_new", "again": "password_again"}
FLASH = "password_flash"
PROBLEMS = "password_problems"

me = signed_in()
if me is None:  # app.py shows pages to signed-in people only; this is a second lock
    st.stop()


def _change() -> None:
    values = {field: st.session_state.get(key) or "" for field, key in KEYS.items()}
    for key in KEYS.values():  # passwords never stay in the session after the click
        st.session_state[key] = ""
    if values["new"] != values["again"]:
        st.session_state[PROBLEMS] = ["New password: the two new passwords are not the same. Type them again."]
        return

    def change():
        try:
            accounts.change_own_password(values["current"], values["new"], repo=repository(), actor=me)
            return True
        except AccountError as exc:
            st.session_state[PROBLEMS] = exc.problems
            return None

    if attempt(change, doing="change your password"):
        st.session_state[FLASH] = "Your password is changed. Use the new one next time you sign in."


st.title("Your password")
st.caption(f"Signed in as {md(me.name)} ({md(me.email)}). Forgot it? An admin of your clinic can set a new one "
           "for you on the Accounts page.")
flash = st.session_state.pop(FLASH, None)
if flash:
    st.success(flash, icon=":material/check_circle:")
left, _ = st.columns([2, 3])
with left, st.form("password_form", border=True):
    st.text_input("Current password", key=KEYS["current"], type="password", max_chars=1024,
                  autocomplete="current-password")
    st.text_input("New password", key=KEYS["new"], type="password", max_chars=1024, autocomplete="new-password",
                  help=f"At least {MIN_LENGTH} characters. A few plain words make a good password.")
    st.text_input("New password again", key=KEYS["again"], type="password", max_chars=1024,
                  autocomplete="new-password")
    st.form_submit_button("Change my password", type="primary", on_click=_change, icon=":material/key:")
problems = st.session_state.pop(PROBLEMS, None)
if problems:
    st.error("Not changed. Please fix these:\n" + "\n".join(f"- {md(p)}" for p in problems), icon=":material/error:")
