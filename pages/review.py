"""Page under construction in this change."""

import streamlit as st

st.title("review")
