"""Streamlit entry point: the sign-in gate, then navigation. Pages stay thin over the rehab package.

Served by serve.py (st.App), which adds the sign-in route and security headers. Pages run only through
st.navigation below, and it lists the app's pages only for a signed-in account: a browser without a live session
(never signed in, signed out, idle too long) gets the sign-in page whatever address it opens, and an empty
database gets only the first-run setup page.
"""

import logging
from pathlib import Path

import streamlit as st

from rehab.security import log_privacy
from rehab.services.accounts import SignedIn
from ui import auth_session
from ui.layout import every_page
from ui.text import md

log_privacy.install()  # exception messages never reach the server log: they can quote patient data
log = logging.getLogger("rehab.app")

# (section, script, title, icon, admins only)
PAGES = [
    ("Programs", "app_pages/build.py", "Build program", ":material/edit_note:", False),
    ("Programs", "app_pages/review.py", "Review visit", ":material/fact_check:", False),
    ("Programs", "app_pages/patients.py", "Patients", ":material/group:", False),
    ("Content", "app_pages/library.py", "Exercise library", ":material/fitness_center:", False),
    ("Content", "app_pages/templates.py", "Program templates", ":material/assignment:", False),
    ("Clinic", "app_pages/settings.py", "Clinic settings", ":material/settings:", True),
    ("Clinic", "app_pages/accounts.py", "Accounts", ":material/manage_accounts:", True),
    ("Clinic", "app_pages/audit.py", "Audit log", ":material/history:", True),
    ("You", "app_pages/password.py", "Your account", ":material/key:", False),
]


def entry_pages(first_run: bool) -> list:
    """Setup or sign-in, at every address of the app: a bookmark to /patients opens the sign-in page (and, once
    signed in, the Patients page) instead of "page not found"."""
    script, title, icon = (("app_pages/setup.py", "Set up", ":material/rocket_launch:") if first_run
                           else ("app_pages/sign_in.py", "Sign in", ":material/login:"))
    pages = [st.Page(script, title=title, icon=icon, default=True)]
    for _, page_script, *_ in PAGES:
        pages.append(st.Page(script, title=title, icon=icon, url_path=Path(page_script).stem))
    return pages


def navigation(account: SignedIn) -> st.Page:
    """The pages this account may open, as links in the sidebar under their section; returns the page to run.

    Streamlit's own sectioned navigation marks its section headings up as bare list items in a list (axe: list,
    listitem), so st.navigation only routes here (hidden) and the links are st.page_link, grouped by a caption.
    """
    sections: dict[str, list] = {}
    for section, script, title, icon, admins_only in PAGES:
        if admins_only and not account.is_admin:  # clinicians never get these: navigation is the only way in
            continue
        sections.setdefault(section, []).append(
            st.Page(script, title=title, icon=icon, default=script == PAGES[0][1]))
    current = st.navigation([page for pages in sections.values() for page in pages], position="hidden")
    with st.sidebar:
        for section, pages in sections.items():
            st.caption(f"**{section}**")
            for page in pages:
                st.page_link(page)
        st.divider()
    return current


st.set_page_config(page_title="Knee exercise programs", page_icon=":material/directions_run:", layout="wide")
every_page()

try:
    account = auth_session.gate()
    first_run = account is None and auth_session.needs_setup()
except Exception as exc:  # the database is down: show nothing but the reason
    log.warning("sign-in gate: %s", type(exc).__name__)
    auth_session.database_problem(exc)
    st.stop()

if account is None:
    st.navigation(entry_pages(first_run), position="hidden").run()
    st.stop()

current_page = navigation(account)  # drawn first: the links head the sidebar

with st.sidebar:
    st.caption(f"Signed in as **{md(account.name)}** ({account.role.value})")
    if st.button("Sign out", key="auth_sign_out", icon=":material/logout:"):
        auth_session.sign_out()
        st.rerun()
    auth_session.watch()  # blanks the screen by itself once the session ends (idle timeout, ended elsewhere)

current_page.run()
