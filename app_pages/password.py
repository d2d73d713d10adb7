"""Your account: where you are signed in (end the other sessions), and your password. Every signed-in person
manages their own; changing the password needs the current one, and ends every other session of the account."""


import streamlit as st

from rehab.security.passwords import MIN_LENGTH
from rehab.services import accounts, sessions
from rehab.services.accounts import AccountError
from ui import auth_session
from ui.context import accounts_repository, attempt, repository, settings, signed_in
from ui.dates import moment
from ui.text import md

KEYS = {"current": "password_current", "new": "password_new", "again": "password_again"}
FLASH = "password_flash"
PROBLEMS = "password_problems"

me = signed_in()
if me is None:  # app.py shows pages to signed-in people only; this is a second lock
    st.stop()
here = auth_session.current_session_id()


def _change() -> None:
    values = {field: st.session_state.get(key) or "" for field, key in KEYS.items()}
    for key in KEYS.values():  # passwords never stay in the session after the click
        st.session_state[key] = ""
    if values["new"] != values["again"]:
        st.session_state[PROBLEMS] = ["New password: the two new passwords are not the same. Type them again."]
        return

    def change():
        try:
            accounts.change_own_password(values["current"], values["new"], repo=repository(), actor=me,
                                         keep_session=here)
            return True
        except AccountError as exc:
            st.session_state[PROBLEMS] = exc.problems
            return None

    if attempt(change, doing="change your password"):
        st.session_state[FLASH] = ("Your password is changed. Use the new one next time you sign in. "
                                   "Every other browser signed in to your account is signed out.")


def _end(session_id: int) -> None:
    ended = attempt(lambda: sessions.end_session(session_id, repo=accounts_repository(), actor=me),
                    doing="end that session")
    if ended is not None:
        st.session_state[FLASH] = "That browser is signed out." if ended else "That session had ended already."


st.title("Your account")
st.caption(f"Signed in as {md(me.name)} ({md(me.email)}).")
flash = st.session_state.pop(FLASH, None)
if flash:
    st.success(flash, icon=":material/check_circle:")

st.subheader("Where you are signed in")
st.caption(f"A session ends when you sign out there, or after {settings().idle_minutes} minutes without activity. "
           "If you see a browser you do not know, end it and change your password.")
open_sessions = attempt(lambda: sessions.open_sessions(me, repo=accounts_repository(),
                                                       idle_minutes=settings().idle_minutes),
                        doing="list your sessions") or []
with st.container(border=True):
    for number, session in enumerate(open_sessions):
        if number:
            st.divider()
        left, right = st.columns([4, 1], vertical_alignment="center")
        name = sessions.describe_agent(session.user_agent)
        left.markdown(f"**{name}**" + (" · this browser" if session.id == here else ""))
        left.caption(f"Signed in {moment(session.created_at)} · last active {moment(session.last_seen_at)}")
        if session.id != here:
            right.button("Sign out there", key=f"account_end_{session.id}", on_click=_end, args=(session.id,),
                         icon=":material/logout:", help=f"End the session of {name}, signed in "
                         f"{moment(session.created_at)}")

st.subheader("Your password")
st.caption("Forgot it? An admin of your clinic can set a new one for you on the Accounts page.")
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
