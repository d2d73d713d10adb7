"""Sign in with email and password: a plain HTML form that posts to the address it is shown at, where our own
route (server/sign_in_route.py) checks the password and sets the session cookie; Streamlit widgets cannot set
cookies. The route sends the browser back here with a short result code when the sign-in did not work.

One message for every failure, so the page never tells which emails have accounts; after repeated failures it
says how long to wait (rehab.services.accounts throttles; the server never sleeps).
"""

import datetime as dt

import streamlit as st

from rehab.security.sign_in_throttle import wait_message
from rehab.services.accounts import SignInFailed
from server.sign_in_route import RESULT
from ui import auth_session

# The form's markup is fixed (no user data in it): the route reads the fields "email" and "password".
_FORM_STYLE = """<style>
.rehab-sign-in{display:flex;flex-direction:column;gap:1rem;padding:1.25rem;border:1px solid rgba(128,132,149,.4);
  border-radius:.5rem;font-family:inherit;color:inherit}
.rehab-sign-in label{display:flex;flex-direction:column;gap:.35rem;font-size:.875rem;color:inherit}
.rehab-sign-in input{font:inherit;font-size:1rem;padding:.5rem .75rem;color:inherit;background:transparent;
  border:1px solid #767b88;border-radius:.5rem}
.rehab-sign-in input:focus{outline:2px solid #1f6f8b;outline-offset:1px;border-color:#1f6f8b}
.rehab-sign-in button{align-self:flex-start;font:inherit;padding:.45rem 1rem;color:#fff;background:#1f6f8b;
  border:1px solid #1f6f8b;border-radius:.5rem;cursor:pointer}
.rehab-sign-in button:hover,.rehab-sign-in button:focus-visible{background:#17566c;outline:2px solid #17566c;
  outline-offset:2px}
</style>"""
_FORM = """<form class="rehab-sign-in" method="post" accept-charset="utf-8">
<label for="rehab-sign-in-email">Email<input id="rehab-sign-in-email" name="email" type="text" inputmode="email"
  maxlength="254" autocomplete="username" placeholder="you@example.org" spellcheck="false"
  autocapitalize="none"></label>
<label for="rehab-sign-in-password">Password<input id="rehab-sign-in-password" name="password" type="password"
  maxlength="1024" autocomplete="current-password"></label>
<button type="submit">Sign in</button>
</form>"""

RESULTS = {
    "failed": SignInFailed.MESSAGE,
    "empty": "Type your email and your password.",
    "error": "The app cannot reach its database right now. Try again in a minute, and tell your administrator "
             "if it keeps happening.",
}


def _result_message() -> str | None:
    """What the sign-in route reported, read once: the query is cleared so a reload does not repeat it."""
    result = st.query_params.get(RESULT)
    if result is None:
        return None
    seconds = st.query_params.get("seconds", "")
    st.query_params.clear()
    if result == "wait" and seconds.isdigit():
        return wait_message(dt.timedelta(seconds=min(int(seconds), 24 * 3600)))
    return RESULTS.get(result)


_, middle, _ = st.columns([1, 1.4, 1])
with middle:
    st.title("Sign in")
    st.caption("Knee exercise programs for your clinic. Only signed-in clinicians can see patient records.")
    notice = st.session_state.pop(auth_session.NOTICE, None)
    if notice:
        st.info(notice, icon=":material/info:")
    error = _result_message()
    if error:
        st.error(error, icon=":material/error:")
    st.html(_FORM_STYLE + _FORM)
    st.caption("No account yet, or forgot your password? Ask your clinic's admin.")
