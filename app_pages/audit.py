"""Audit log (admins only): who opened, changed, printed or emailed which record, and every sign-in, newest first.

The log holds ids, never names or notes, so this page shows no patient text: a patient is a number here.
"""

import pandas as pd
import streamlit as st

from rehab import services
from rehab.domain.records import AuditEntry
from rehab.services import accounts
from rehab.words.audit import ACTION_WORDS
from ui.context import accounts_repository, attempt, repository, signed_in
from ui.records import saved_at
from ui.text import md

LIMITS = [200, 1000, 5000]

me = signed_in()
if me is None or not me.is_admin:  # app.py lists this page for admins only; this is a second lock
    st.error("Only an admin of your clinic can read the audit log.")
    st.stop()


def who(actor: str, names: dict[str, str]) -> str:
    """Sign-ins are logged as "account 7": show that account's email beside it."""
    return f"{names[actor]} ({actor})" if actor in names else actor


def log_table(entries: list[AuditEntry], names: dict[str, str]) -> pd.DataFrame:
    def number(value: int | None) -> str:
        return "" if value is None else str(value)

    return pd.DataFrame(
        {
            "When": [saved_at(e.at) for e in entries],
            "What": [ACTION_WORDS.get(e.action, e.action.value) for e in entries],
            "Who": [who(e.actor, names) for e in entries],
            "Patient": [number(e.patient_id) for e in entries],
            "Program": [number(e.program_id) for e in entries],
            "Version": [number(e.version) for e in entries],
            "Email message": [number(e.outbox_id) for e in entries],
            "Template": [number(e.template_id) for e in entries],
            "Action": [e.action.value for e in entries],
        }
    )


st.title("Audit log")
st.caption("Every time someone in your clinic opens, changes, prints or emails a patient's record, and every "
           "sign-in, newest first. Opening the same record again within 15 minutes is logged once. Patients and "
           "programs appear by number only; no names or notes are kept here.")

warnings = attempt(lambda: accounts.sign_in_warnings(repo=accounts_repository(), actor=me),
                   doing="check for failed sign-ins") or []
for warning in warnings:
    st.warning(f"**{md(warning.account.name)}** ({md(warning.account.email)}): {warning.failures} failed sign-ins in "
               f"a row from browsers this account has not signed in with before, the last at "
               f"{saved_at(warning.last_failed_at)}. Someone may be guessing the password. Browsers the person "
               "signed in with before are not slowed down; a new browser waits up to 15 minutes between tries. "
               "If it was not them, set a new password on Accounts.", icon=":material/warning:")

filter_col, action_col, limit_col = st.columns([1, 3, 1])
patient_id = filter_col.number_input("Patient number", min_value=1, step=1, value=None, key="audit_patient",
                                     placeholder="All patients")
actions = action_col.multiselect("What", options=list(ACTION_WORDS), key="audit_actions",
                                 format_func=ACTION_WORDS.get, placeholder="Everything")
limit = limit_col.selectbox("Show the newest", options=LIMITS, key="audit_limit",
                            format_func=lambda n: f"{n:,} entries")

entries = attempt(lambda: services.audit.audit_trail(repo=repository(), patient_id=patient_id and int(patient_id),
                                              limit=limit), doing="read the audit log")
if entries is None:
    st.stop()
if actions:
    entries = [e for e in entries if e.action in actions]
if not entries:
    st.info("No entries match. Clear the patient number or the choice of what to show.")
    st.stop()
people = attempt(lambda: accounts.list_users(repo=repository(), actor=me), doing="list the accounts") or []
names = {f"account {p.id}": p.email for p in people}
st.dataframe(log_table(entries, names), hide_index=True, width="stretch", height=min(38 + 35 * len(entries), 640),
             column_config={"Action": st.column_config.TextColumn(help="The name of the action in the database")})
st.caption(f"{len(entries):,} entr{'y' if len(entries) == 1 else 'ies'} shown.")
