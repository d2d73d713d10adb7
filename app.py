"""Streamlit entry point: page setup and navigation. Pages stay thin over the rehab package."""

import streamlit as st

st.set_page_config(page_title="Knee exercise programs", page_icon=":material/directions_run:", layout="wide")

navigation = st.navigation(
    {
        "Programs": [
            st.Page("app_pages/build.py", title="Build program", icon=":material/edit_note:", default=True),
            st.Page("app_pages/review.py", title="Review visit", icon=":material/fact_check:"),
            st.Page("app_pages/patients.py", title="Patients", icon=":material/group:"),
        ],
        "Content": [
            st.Page("app_pages/library.py", title="Exercise library", icon=":material/fitness_center:"),
            st.Page("app_pages/templates.py", title="Templates", icon=":material/assignment:"),
        ],
        "Clinic": [
            st.Page("app_pages/settings.py", title="Clinic settings", icon=":material/settings:"),
        ],
    }
)
navigation.run()
