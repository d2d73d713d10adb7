"""Shared helpers for the Streamlit pages: services built once, plain error messages, session keys."""
