"""Accounts (admins only): who can sign in to this clinic, add a person, turn an account off or on again, set a
new password for someone who forgot theirs.

Accounts are never deleted, so the names on saved versions stay meaningful. rehab.services.accounts checks against the
stored account that the person acting is an active admin of this clinic, whatever this page shows.
"""

import pandas as pd
import streamlit as st

from rehab.security.passwords import MIN_LENGTH
from rehab.services import accounts
from rehab.services.accounts import Account, AccountError, Role
from ui.context import attempt, repository, signed_in
from ui.records import saved_at
from ui.text import md

ADD = {"name": "accounts_new_name", "email": "accounts_new_email", "role": "accounts_new_role",
       "password": "accounts_new_password", "again": "accounts_new_password_again"}
RESET = {"password": "accounts_reset_password", "again": "accounts_reset_password_again"}
FLASH = "accounts_flash"
PROBLEMS = "accounts_problems"
RESET_PROBLEMS = "accounts_reset_problems"
ROLE_WORDS = {Role.CLINICIAN: "Clinician", Role.ADMIN: "Admin"}

me = signed_in()
if me is None or not me.is_admin:  # app.py lists this page for admins only; this is a second lock
    st.error("Only an admin of your clinic can manage accounts.")
    st.stop()


def people_table(people: list[Account]) -> None:
    st.dataframe(
        pd.DataFrame(
            {
                "Name": [p.name for p in people],
                "Email": [p.email for p in people],
                "Role": [ROLE_WORDS[p.role] for p in people],
                "Can sign in": ["Yes" if p.active else "No (turned off)" for p in people],
                "Added": [saved_at(p.created_at) for p in people],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def _add() -> None:
    values = {field: st.session_state.get(key) for field, key in ADD.items()}
    st.session_state[ADD["password"]] = st.session_state[ADD["again"]] = ""
    if values["password"] != values["again"]:
        st.session_state[PROBLEMS] = ["Password: the two passwords are not the same. Type them again."]
        return

    def add():
        try:
            return accounts.add_user(values["email"] or "", values["name"] or "", values["password"] or "",
                                     role=values["role"], clinic_id=me.clinic_id, repo=repository(), actor=me)
        except AccountError as exc:
            st.session_state[PROBLEMS] = exc.problems
            return None

    added = attempt(add, doing="add the account")
    if added is not None:
        st.session_state[ADD["name"]] = st.session_state[ADD["email"]] = ""
        st.session_state[FLASH] = (f"Added {md(added.name)} as {ROLE_WORDS[added.role].lower()}. Tell them their "
                                   "password in person or by phone, not by email.")


def add_form() -> None:
    with st.form("accounts_add_form", border=True):
        st.markdown("**Add a person**")
        name_col, email_col = st.columns(2)
        name_col.text_input("Name", key=ADD["name"], max_chars=200)
        email_col.text_input("Email (they sign in with it)", key=ADD["email"], max_chars=254,
                             placeholder="name@example.org")
        st.radio("Role", options=list(Role)[::-1], key=ADD["role"], horizontal=True, format_func=ROLE_WORDS.get,
                 help="Admins also change the clinic settings and accounts and read the audit log.")
        first_col, again_col = st.columns(2)
        first_col.text_input("Their first password", key=ADD["password"], type="password", max_chars=1024,
                             autocomplete="new-password",
                             help=f"At least {MIN_LENGTH} characters. A few plain words make a good password.")
        again_col.text_input("Password again", key=ADD["again"], type="password", max_chars=1024,
                             autocomplete="new-password")
        st.form_submit_button("Add account", type="primary", on_click=_add, icon=":material/person_add:")
    problems = st.session_state.pop(PROBLEMS, None)
    if problems:
        st.error("Not added. Please fix these:\n" + "\n".join(f"- {md(p)}" for p in problems),
                 icon=":material/error:")


def on_off(people: list[Account]) -> None:
    others = {p.id: p for p in people if p.id != me.clinician_id}
    st.markdown("**Turn an account off or on**")
    if not others:
        st.caption("Nobody else has an account yet. Add the clinicians who work with you above.")
        return
    st.caption("A person whose account is off cannot sign in; if they are signed in, they are signed out at their "
               "next click. Nothing they saved is changed. You cannot turn off your own account.")
    chosen = st.selectbox(
        "Account", options=list(others), key="accounts_pick",
        format_func=lambda i: f"{others[i].name} · {others[i].email} · {'on' if others[i].active else 'off'}",
    )
    person = others[chosen]
    label = f"Turn {'off' if person.active else 'on'} {md(person.name)}'s account"
    if st.button(label, key="accounts_toggle",
                 icon=":material/block:" if person.active else ":material/check_circle:"):
        done = attempt(lambda: accounts.set_user_active(person.id, not person.active, repo=repository(), actor=me)
                       or True, doing="change the account")
        if done:
            st.session_state[FLASH] = f"{md(person.name)} can {'no longer' if person.active else 'now'} sign in."
            st.rerun()



def _reset(others: dict[int, Account]) -> None:
    person = others[st.session_state["accounts_reset_pick"]]
    values = {field: st.session_state.get(key) or "" for field, key in RESET.items()}
    st.session_state[RESET["password"]] = st.session_state[RESET["again"]] = ""
    if values["password"] != values["again"]:
        st.session_state[RESET_PROBLEMS] = ["Password: the two passwords are not the same. Type them again."]
        return

    def reset():
        try:
            accounts.set_password(person.id, values["password"], repo=repository(), actor=me)
            return True
        except AccountError as exc:
            st.session_state[RESET_PROBLEMS] = exc.problems
            return None

    if attempt(reset, doing="set the new password"):
        st.session_state[FLASH] = (f"New password set for {md(person.name)}. Tell them in person or by phone; they "
                                   "can change it on Your account.")


def reset_form(people: list[Account]) -> None:
    others = {p.id: p for p in people if p.id != me.clinician_id}
    if not others:
        return
    with st.form("accounts_reset_form", border=True):
        st.markdown("**Set a new password**")
        st.caption("For someone who forgot theirs. Your own: use Your account in the sidebar.")
        st.selectbox("Account", options=list(others), key="accounts_reset_pick",
                     format_func=lambda i: f"{others[i].name} · {others[i].email}")
        first_col, again_col = st.columns(2)
        first_col.text_input("New password", key=RESET["password"], type="password", max_chars=1024,
                             autocomplete="new-password", help=f"At least {MIN_LENGTH} characters.")
        again_col.text_input("New password again", key=RESET["again"], type="password", max_chars=1024,
                             autocomplete="new-password")
        st.form_submit_button("Set the new password", on_click=_reset, args=(others,), icon=":material/key:")
    problems = st.session_state.pop(RESET_PROBLEMS, None)
    if problems:
        st.error("Not changed. Please fix these:\n" + "\n".join(f"- {md(p)}" for p in problems),
                 icon=":material/error:")


st.title("Accounts")
st.caption("Everyone who can sign in to your clinic. Each person has their own account: the audit log shows "
           "who looked at or changed each record.")
flash = st.session_state.pop(FLASH, None)
if flash:
    st.success(flash, icon=":material/check_circle:")
people = attempt(lambda: accounts.list_users(repo=repository(), actor=me), doing="list the accounts")
if people is None:
    st.stop()
people_table(people)
left, right = st.columns([3, 2], gap="large")
with left:
    add_form()
with right:
    with st.container(border=True):
        on_off(people)
    reset_form(people)
