"""Streamlit entry point: page setup and navigation. Pages stay thin over the rehab package."""

import streamlit as st

st.set_page_config(page_title="Knee exercise programs", page_icon=":material/directions_run:", layout="wide")

navigation = st.navigation(
    [
        st.Page("pages/library.py", title="Exercise library", icon=":material/fitness_center:", default=True),
        st.Page("pages/templates.py", title="Templates", icon=":material/assignment:"),
    ]
)
navigation.run()
