"""Sign in with email and password. One message for every failure, so the page never tells which emails have
accounts; after repeated failures it says how long to wait (rehab.accounts throttles, the server never sleeps)."""

import streamlit as st

from rehab import accounts
from rehab.accounts import SignInFailed, SignInThrottled
from ui import auth_session
from ui.context import accounts_repository, attempt

EMAIL = "sign_in_email"
PASSWORD = "sign_in_password"  # noqa: S105 - a session key, not a password
ERROR = "sign_in_error"


def _submit() -> None:
    """Runs before the page is drawn again, so the password can be cleared from its field (and the session)."""
    email, password = st.session_state.get(EMAIL, ""), st.session_state.get(PASSWORD, "")
    st.session_state[PASSWORD] = ""
    if not email.strip() or not password:
        st.session_state[ERROR] = "Type your email and your password."
        return

    def check():
        try:
            return accounts.sign_in(email, password, client_id=auth_session.client_id(), repo=accounts_repository())
        except SignInThrottled as exc:
            st.session_state[ERROR] = str(exc)
        except SignInFailed:
            st.session_state[ERROR] = SignInFailed.MESSAGE
        return None

    account = attempt(check, doing="sign you in")
    if account is not None:
        auth_session.start(account)


_, middle, _ = st.columns([1, 1.4, 1])
with middle:
    st.title("Sign in")
    st.caption("Knee exercise programs for your clinic. Only signed-in clinicians can see patient records.")
    notice = st.session_state.pop(auth_session.NOTICE, None)
    if notice:
        st.info(notice, icon=":material/info:")
    with st.form("sign_in_form", border=True):
        st.text_input("Email", key=EMAIL, max_chars=254, autocomplete="username", placeholder="you@example.org")
        st.text_input("Password", key=PASSWORD, type="password", max_chars=1024, autocomplete="current-password")
        st.form_submit_button("Sign in", type="primary", on_click=_submit, icon=":material/login:")
    error = st.session_state.pop(ERROR, None)
    if error:
        st.error(error, icon=":material/error:")
    st.caption("No account yet, or forgot your password? Ask your clinic's admin.")
