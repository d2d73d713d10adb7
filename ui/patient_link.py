"""The patient link on Build program and Patients (issue 16): make, renew or turn off the program's link, and
what the patient recorded through it (days done per week, pain)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st
from streamlit import config

from rehab import services
from rehab.domain import Program
from rehab.domain.links import LinkState
from rehab.program.adherence import review_answers, weekly_adherence, weekly_pain_points
from ui.context import actor, attempt, repository
from ui.dates import day
from ui.review.grid import MORNING, MORNINGS, PAIN

PATH = "/p/"  # server/patient_route.py serves the page here


def _origin() -> str:
    """The address this app is reached at (scheme, host and the server's base path), as the clinician's browser
    sees it; the patient route is served under the same base path (server/stack.py)."""
    try:
        url = st.context.url or ""
    except Exception:  # no browser request (a test run): the path alone
        url = ""
    parts = urlsplit(url)
    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    return origin + (f"/{base}" if base else "")


def _last_day(expires_at: dt.datetime) -> str:
    """The last day a link works (it expires at the start of the next)."""
    return day(expires_at - dt.timedelta(seconds=1))


def _new_link_key(program_id: int) -> str:
    return f"patient_link_new_{program_id}"


def _make(program_id: int) -> None:
    made = attempt(lambda: services.patient_links.create_link(program_id, repo=repository(), actor=actor()),
                   doing="make the patient link")
    if made is not None:
        st.session_state[_new_link_key(program_id)] = _origin() + PATH + made[1]


def _renew(program_id: int) -> None:
    attempt(lambda: services.patient_links.renew_link(program_id, repo=repository(), actor=actor()),
            doing="renew the patient link")


def _revoke(program_id: int) -> None:
    st.session_state.pop(_new_link_key(program_id), None)
    attempt(lambda: services.patient_links.revoke_link(program_id, repo=repository(), actor=actor()),
            doing="turn off the patient link")


def link_panel(program_id: int, *, archived: bool, key: str) -> None:
    """The link's state and its buttons; a new link's address is shown once, to copy."""
    link = attempt(lambda: services.patient_links.link_for(program_id, repo=repository()),
                   doing="look up the patient link")
    state = link.state(dt.datetime.now(dt.UTC)) if link is not None else None
    if state is LinkState.ACTIVE:
        st.markdown(f":material/link: **The patient link works until {_last_day(link.expires_at)}.** It always shows "
                    "the newest saved version.")
    elif state is LinkState.EXPIRED:
        st.markdown(f":material/link_off: **The patient link expired after {_last_day(link.expires_at)}.** Renew it to "
                    "make the same link work again.")
    elif state is LinkState.REVOKED:
        st.markdown(":material/link_off: **The patient link is turned off.** Make a new link to give the patient "
                    "one again.")
    else:
        st.markdown("No patient link yet. A link shows the patient this program on their phone, with moving "
                    "drawings, and lets them tell you how the exercises went.")
    new = st.session_state.get(_new_link_key(program_id))
    if new and state is LinkState.ACTIVE:
        st.code(new, language=None, wrap_lines=True)
        st.caption("Copy the link now and give it to the patient (message, email or the QR code of your choice). "
                   "It is shown only this once: the app keeps only a fingerprint of it. If it is lost, make a new "
                   "link; the old one then stops working.")
    row = st.container(horizontal=True)
    with row:
        label = "Make a patient link" if link is None or state is LinkState.REVOKED else "Make a new link"
        help_text = None if link is None else "The patient's current link stops working."
        st.button(label, key=f"{key}_make", icon=":material/add_link:", disabled=archived, on_click=_make,
                  args=(program_id,), help=help_text)
        if state in (LinkState.ACTIVE, LinkState.EXPIRED):
            st.button("Renew", key=f"{key}_renew", icon=":material/update:", disabled=archived, on_click=_renew,
                      args=(program_id,),
                      help="The same link works again, for the weeks after the program's end set in Clinic settings.")
            st.button("Turn off link", key=f"{key}_revoke", icon=":material/link_off:", on_click=_revoke,
                      args=(program_id,), help="The link stops working at once.")


def check_in_summary(program_id: int) -> None:
    """Days done per week against the plan, and the pain the patient gave, from their check-ins."""
    loaded = attempt(lambda: services.patient_links.program_check_ins(program_id, repo=repository()),
                     doing="load the patient's check-ins")
    if loaded is None:
        return
    program, check_ins = loaded
    if not check_ins:
        st.caption("No check-ins from the patient yet.")
        return
    weeks = weekly_adherence(check_ins, program, dt.date.today())

    def pain(value: int | None) -> str:
        return "–" if value is None else f"{value}/10"

    table = pd.DataFrame({
        "Week": [f"Week {w.week} (from {day(w.starts)})" for w in weeks],
        "Days done": [f"{w.days_done} of {w.days_planned}" for w in weeks],
        "Worst pain in sessions": [pain(w.worst_session_pain) for w in weeks],
        "Worse next mornings": [w.worse_mornings for w in weeks],
        "Worst pain of the week": [pain(w.weekly_worst_pain) for w in weeks],
    })
    st.markdown("**What the patient recorded through the link**")
    now = weeks[-1]
    st.markdown(f"Week {now.week}: exercise on **{now.days_done} of {now.days_planned} days** so far"
                + (f", worst pain in sessions {now.worst_session_pain}/10." if now.worst_session_pain is not None
                   else "."))
    st.dataframe(table, hide_index=True, width="stretch")


def weekly_pain(patient_id: int) -> list[tuple[dt.date, int]]:
    """The patient's weekly worst-pain answers through their links, for the outcome chart ([] when none)."""
    check_ins = attempt(lambda: services.patient_links.patient_check_ins(patient_id, repo=repository()),
                        doing="load the patient's weekly pain")
    return weekly_pain_points(check_ins or [])


def _prefilled_key(program_id: int, version: int) -> str:
    return f"review_prefilled_{program_id}_{version}"


def prefill_review(rows: pd.DataFrame, program: Program, program_id: int, version: int) -> pd.DataFrame:
    """The Review visit table with the patient's check-ins of this version filled in: per exercise the worst pain
    during the sessions that included it, and the worst next-morning answer. Form is left to the clinician."""
    loaded = attempt(lambda: services.patient_links.program_check_ins(program_id, repo=repository()),
                     doing="load the patient's check-ins")
    answers = review_answers(loaded[1], program, version) if loaded else {}
    if not answers:
        return rows
    filled = rows.copy()
    words = {value: word for word, value in MORNINGS.items()}
    for row, item in enumerate(program.items):
        answer = answers.get(item.exercise)
        if answer is None:
            continue
        if answer.pain_during is not None:
            filled.loc[row, PAIN] = answer.pain_during
        if answer.next_morning is not None:
            filled.loc[row, MORNING] = words[answer.next_morning]
    st.session_state[_prefilled_key(program_id, version)] = max(a.sessions for a in answers.values())
    return filled


def prefill_note(program_id: int, version: int) -> None:
    if st.session_state.get(_prefilled_key(program_id, version)):
        st.info("Pain and next morning are filled in from what the patient recorded through their link "
                f"(the worst answers since version {version} was saved). Check them with the patient and change "
                "any that are not right.", icon=":material/link:")
